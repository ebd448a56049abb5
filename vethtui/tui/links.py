"""The link list: `ip -br -c link` and its addresses, one keyed row per device."""
from __future__ import annotations

from typing import Any, Optional

from textual import events
from textual.binding import Binding
from textual.message import Message
from textual.widgets import DataTable

from .. import netview
from ..netview import AddrEvent, LinkEvent, NetnsEvent
from .net_table import Cells, Column, NetTable, ansi


def link_cells(row: netview.LinkRow) -> Cells:
    """ifindex, name@peer, state, master, flags, MTU, MAC, addresses, coloured as `ip -c`."""
    return (str(row.ifindex), ansi(row.name), ansi(row.state), row.master, row.flags, row.mtu,
            ansi(row.mac), ansi(row.addresses))


class LinkList(NetTable):
    """Devices of the namespace; Enter or a click shows details, `c` captures."""

    TITLE = "Links"
    # flags, MTU and MAC are given up first; name, state, master and addresses carry the
    # lesson (master only while some device is plugged into a bridge)
    COLUMNS = (Column("ifindex", "#", drop=2), Column("name", "name"), Column("state", "state"),
               Column("master", "master"), Column("flags", "flags", drop=5),
               Column("mtu", "mtu", drop=4), Column("mac", "link/ether", drop=3),
               Column("addrs", "addresses", elastic=True))
    HIDE_WHEN_EMPTY = ("master",)
    BINDINGS = [
        Binding("c", "capture", "Capture"),
        Binding("enter", "select_cursor", "Details", show=True),
    ]

    class DetailsRequested(Message):
        """Show a device's details (Enter or a click on its row)."""

        def __init__(self, ifindex: int) -> None:
            super().__init__()
            self.ifindex = ifindex

    class CaptureRequested(Message):
        """Open a live tcpdump view on a device."""

        def __init__(self, name: str) -> None:
            super().__init__()
            self.name = name

    def compute_rows(self) -> list[tuple[str, Cells]]:
        return [(row.key, link_cells(row)) for row in netview.links(self.net)]

    def wants(self, event: Any) -> bool:
        # a peer in another namespace changes our row too (name@ifN, state)
        return isinstance(event, (LinkEvent, AddrEvent, NetnsEvent))

    def selected_ifindex(self) -> Optional[int]:
        if not self.row_count:
            return None
        try:
            return int(self.ordered_rows[self.cursor_row].key.value)
        except IndexError:
            return None

    def selected_name(self) -> str:
        """The device under the cursor ("" for none)."""
        ifindex = self.selected_ifindex()
        return netview.device_name(self.net, ifindex) if ifindex is not None else ""

    def action_capture(self) -> None:
        name = self.selected_name()
        if name:
            self.post_message(self.CaptureRequested(name))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.post_message(self.DetailsRequested(int(event.row_key.value)))

    def on_click(self, event: events.Click) -> None:
        """One click on a row shows its details (DataTable wants two)."""
        meta = event.style.meta
        row = meta.get("row")
        if row is None or row < 0 or meta.get("out_of_bounds", False):
            return
        event.prevent_default()
        event.stop()
        self.focus()
        self.move_cursor(row=row, animate=False)
        try:
            key = self.ordered_rows[row].key.value
        except IndexError:
            return
        self.post_message(self.DetailsRequested(int(key)))

    def ifindex_of_cursor(self) -> Optional[int]:
        return self.selected_ifindex()
