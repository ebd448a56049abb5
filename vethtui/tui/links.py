"""The link list: `ip -br -c link` and its addresses, one keyed row per device."""
from __future__ import annotations

from typing import Any, Optional

from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.message import Message
from textual.widgets import DataTable

from ..kernel.events import AddrEvent, LinkEvent, NetnsEvent
from ..tools.ip.addr import brief_addr
from ..tools.ip.common import IpOpts, flags_str, link_name, mac_text
from ..tools.ip.link import colored
from .net_table import Cells, NetTable, ansi

COLOUR = IpOpts(color=True)


def link_cells(dev, net) -> Cells:
    """ifindex, name@peer, state, flags, MTU, MAC, addresses, coloured as `ip -c` does."""
    name, mdown = link_name(dev, net)
    state = dev.operstate()
    sc = "up" if state == "UP" else "down" if state == "DOWN" else None
    ifas = list(dev.in_dev.ifa_list) if dev.in_dev is not None else []
    ifa6 = list(getattr(dev, "inet6", []))
    # `ip -br -c addr`'s line for the device, less its name and state columns
    lead = brief_addr(dev, net, COLOUR, [], [])
    addrs = brief_addr(dev, net, COLOUR, ifas, ifa6)[len(lead):].rstrip()
    return (str(dev.ifindex),
            ansi(colored(COLOUR, "ifname", name)),
            ansi(colored(COLOUR, sc, state)) if sc else Text(state),
            flags_str(dev.get_flags(), mdown),
            str(dev.mtu),
            ansi(colored(COLOUR, "mac", mac_text(dev.mac))),
            ansi(addrs))


class LinkList(NetTable):
    """Devices of the namespace; Enter or a click shows details, `c` captures."""

    TITLE = "Links"
    COLUMNS = (("ifindex", "#"), ("name", "name"), ("state", "state"), ("flags", "flags"),
               ("mtu", "mtu"), ("mac", "link/ether"), ("addrs", "addresses"))
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
        return [(str(d.ifindex), link_cells(d, self.net)) for d in self.net.devices_in_order()]

    def wants(self, event: Any) -> bool:
        # a peer in another namespace changes our row too (name@ifN, state)
        return isinstance(event, (LinkEvent, AddrEvent, NetnsEvent))

    def selected_device(self):
        if not self.row_count:
            return None
        try:
            key = self.ordered_rows[self.cursor_row].key.value
        except IndexError:
            return None
        return self.net.dev_by_index(int(key))

    def action_capture(self) -> None:
        dev = self.selected_device()
        if dev is not None:
            self.post_message(self.CaptureRequested(dev.name))

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
        dev = self.selected_device()
        return dev.ifindex if dev is not None else None
