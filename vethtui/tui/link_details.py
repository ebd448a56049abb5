"""A link's details: `ip -d -s addr show dev X`, its peer and its namespace.

Counters move without events, so while the screen is open it reads them
again twice a second (read-only, from the device's stats).
"""
from __future__ import annotations

from typing import Optional

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import ScrollableContainer
from textual.screen import ModalScreen
from textual.widgets import Static

from ..kernel.drivers import VethDevice
from ..tools.ip.addr import addr6_line, addr_line
from ..tools.ip.common import IpOpts
from ..tools.ip.link import link_lines, stats_lines

DETAIL = IpOpts(color=True, details=1, stats=1)


def describe(dev, net) -> str:
    """The device in words: kind, namespace, and the peer of a veth."""
    kind = dev.kind or ("loopback" if dev.type == 772 else "ethernet")
    lines = [f"{dev.name}: {kind} device, ifindex {dev.ifindex}, in namespace "
             f"{net.display_name}"]
    if isinstance(dev, VethDevice):
        peer = dev.peer
        if peer is None:
            lines.append("peer: none (its peer was deleted)")
        else:
            where = peer.net.display_name if peer.net is not None else "?"
            same = " (the same namespace)" if peer.net is net else ""
            lines.append(f"peer: {peer.name}, ifindex {peer.ifindex}, in namespace {where}{same}")
    if dev.master is not None:
        lines.append(f"master: {dev.master.name}")
    return "\n".join(lines)


def details_text(dev, net) -> str:
    """What `ip -d -s addr show dev DEV` prints for it (ANSI colours)."""
    lines = list(link_lines(dev, net, DETAIL, False))
    for ifa in (dev.in_dev.ifa_list if dev.in_dev is not None else []):
        lines.extend(addr_line(ifa, DETAIL))
    for a6 in getattr(dev, "inet6", []):
        lines.extend(addr6_line(a6, DETAIL))
    lines.extend(stats_lines(dev, DETAIL))
    return "\n".join(lines)


class LinkDetails(ModalScreen[Optional[str]]):
    """Dismissed with "capture" when the user asks for a capture on the link."""

    DEFAULT_CSS = """
    LinkDetails {
        align: center middle;
        #details {
            width: 96%; height: auto; max-height: 90%; overflow: auto auto;
            border: round $accent; border-title-color: $accent; background: $surface;
            padding: 0 1;
        }
        #details Static { width: auto; text-wrap: nowrap; }
        #details-about { color: $text-muted; margin-bottom: 1; }
    }
    """
    BINDINGS = [
        Binding("escape,q", "dismiss_none", "Close"),
        Binding("c", "capture", "Capture on this link"),
    ]

    def __init__(self, net, ifindex: int):
        super().__init__()
        self.net = net
        self.ifindex = ifindex

    def compose(self) -> ComposeResult:
        with ScrollableContainer(id="details"):
            yield Static("", id="details-about", markup=False)
            yield Static("", id="details-body", markup=False)

    def on_mount(self) -> None:
        box = self.query_one("#details")
        box.border_subtitle = "c: capture · Esc: close"
        self.refresh_details()
        self.set_interval(0.5, self.refresh_details)

    def refresh_details(self) -> None:
        dev = self.net.dev_by_index(self.ifindex)
        box = self.query_one("#details")
        about = self.query_one("#details-about", Static)
        body = self.query_one("#details-body", Static)
        if dev is None:
            box.border_title = f"ifindex {self.ifindex}"
            about.update("This device no longer exists.")
            body.update("")
            return
        box.border_title = f"{dev.name}: ip -d -s addr show dev {dev.name}"
        about.update(describe(dev, self.net))
        body.update(Text.from_ansi(details_text(dev, self.net), no_wrap=True))

    def action_dismiss_none(self) -> None:
        self.dismiss(None)

    def action_capture(self) -> None:
        self.dismiss("capture")
