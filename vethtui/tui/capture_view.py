"""One live tcpdump view: a bounded log of packet lines, and a status for the area's border.

The engine formats packets into the capture session's queue as they cross
the tap; `flush` moves whatever is queued into the `PacketLog` in one batch
(the capture area calls it 20 times a second), which keeps the view smooth at
thousands of packets a second. Each line keeps its packet's skb id, so a line
picked in the view can be explained (packet_log.py).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import Vertical
from ..i18n import _
from .packet_log import PacketLog

if TYPE_CHECKING:  # pragma: no cover
    from ..engine import CaptureSession

MAX_LINES = 30_000
BATCH = 5_000


class CaptureView(Vertical):
    """The view of capture session `session` (its id is `capture_id`)."""

    DEFAULT_CSS = """
    CaptureView {
        height: 1fr;
        Log {
            height: 1fr; overflow-x: auto; overflow-y: auto; background: $surface;
            scrollbar-size-horizontal: 0;
        }
    }
    """

    def __init__(self, session: "CaptureSession", **kwargs):
        super().__init__(**kwargs)
        self.session = session
        self.capture_id = session.id
        self.lines_shown = 0

    def compose(self) -> ComposeResult:
        yield PacketLog(max_lines=MAX_LINES, id="capture-log")

    def on_mount(self) -> None:
        self.flush()

    @property
    def log_widget(self) -> PacketLog:
        return self.query_one("#capture-log", PacketLog)

    @property
    def ready(self) -> bool:
        """Composed: its log exists (a timer may tick while the view is still mounting)."""
        return bool(self.query("#capture-log"))

    @property
    def running(self) -> bool:
        return self.session.running

    @property
    def paused(self) -> bool:
        return self.session.paused

    def flush(self, budget: float = float("inf")) -> int:
        """Format queued packets into the log, for at most `budget` seconds; returns
        how many lines. What the view cannot take waits in the session's bounded
        ring, and what the ring cannot take is counted as not shown."""
        if not self.ready:
            return 0
        directions: list[str] = []
        lines = self.session.drain(BATCH, budget, directions)
        if lines:
            # the log follows the tail unless the user scrolled up or picked a packet
            self.log_widget.add_packets(lines, directions)
            self.lines_shown += len(lines)
        return len(lines)

    def toggle_pause(self) -> bool:
        if self.running:
            self.session.paused = not self.session.paused
        return self.session.paused

    def clear(self) -> None:
        if not self.ready:
            return
        self.log_widget.clear()
        self.log_widget.refresh()

    def status(self) -> str:
        """`● live · 12 packets captured`, as the area's border shows it."""
        s = self.session
        n = s.captured
        count = (_("{n} packet captured") if n == 1 else _("{n} packets captured")).format(n=n)
        if not s.running:
            state = _("■ stopped")
        elif s.paused:
            state = _("❚❚ paused (new packets are not kept)")
        else:
            state = _("● live")
        lost = s.not_shown
        if lost:
            count += " · " + _("{n} not shown (the view fell behind)").format(n=lost)
        return f"{state} · {count}"
