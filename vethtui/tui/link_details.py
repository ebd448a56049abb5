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

from .. import netview


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
        detail = netview.link_detail(self.net, self.ifindex)
        box = self.query_one("#details")
        about = self.query_one("#details-about", Static)
        body = self.query_one("#details-body", Static)
        if detail is None:
            box.border_title = f"ifindex {self.ifindex}"
            about.update("This device no longer exists.")
            body.update("")
            return
        box.border_title = f"{detail.name}: ip -d -s addr show dev {detail.name}"
        about.update(detail.about)
        body.update(Text.from_ansi(detail.text, no_wrap=True))

    def action_dismiss_none(self) -> None:
        self.dismiss(None)

    def action_capture(self) -> None:
        self.dismiss("capture")
