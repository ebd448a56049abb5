"""The capture area: one tab per live tcpdump view.

A `tcpdump -i IF` typed in the console becomes a `CaptureOpened` event and a
new tab; a timer drains every open view 20 times a second. Views can be
paused, cleared, stopped (tcpdump's closing counters appear) and closed.
"""
from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any, Iterable, Optional

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import TabbedContent, TabPane

from ..engine import CaptureOpened, CaptureStopped
from .capture_view import CaptureView

if TYPE_CHECKING:  # pragma: no cover
    from ..engine import Engine

FLUSH_HZ = 20


class CaptureArea(Vertical):
    """Tabs of capture views; hidden while there is none (class `-empty`)."""

    DEFAULT_CSS = """
    CaptureArea {
        height: 1fr;
        border-subtitle-color: $text-muted;
        TabbedContent { height: 1fr; }
        TabPane { padding: 0; height: 1fr; }
        ContentSwitcher { height: 1fr; }
        ContentTabs { height: 1; }
        ContentTabs Underline { display: none; }
        ContentTabs Tab { height: 1; padding: 0 1; }
        ContentTabs Tab.-active { text-style: bold reverse; }
    }
    """

    class Closed(Message):
        """A view was closed while its capture ran: tcpdump's last words, for the console."""

        def __init__(self, title: str, lines: list[str]) -> None:
            super().__init__()
            self.title = title
            self.lines = lines

    def __init__(self, engine: "Engine", **kwargs):
        super().__init__(**kwargs)
        self.engine = engine
        self._timer = None
        self._status_at = 0.0

    def compose(self) -> ComposeResult:
        yield TabbedContent(id="capture-tabs")

    def on_mount(self) -> None:
        self.set_class(True, "-empty")
        self._timer = self.set_interval(1 / FLUSH_HZ, self.flush, pause=True)

    # -- views -----------------------------------------------------------------
    @property
    def tabs(self) -> TabbedContent:
        return self.query_one(TabbedContent)

    @property
    def views(self) -> list[CaptureView]:
        return list(self.query(CaptureView))

    def view(self, capture_id: int) -> Optional[CaptureView]:
        for v in self.views:
            if v.capture_id == capture_id:
                return v
        return None

    @property
    def active_view(self) -> Optional[CaptureView]:
        active = self.tabs.active
        if not active:
            return None
        try:
            return self.tabs.get_pane(active).query_one(CaptureView)
        except Exception:
            return None

    async def open_view(self, capture_id: int) -> None:
        cs = self.engine.capture(capture_id)
        if cs is None or self.view(capture_id) is not None:
            return
        pane_id = f"capture-{capture_id}"
        await self.tabs.add_pane(TabPane(cs.title, CaptureView(cs), id=pane_id))
        self.tabs.active = pane_id
        view = self.view(capture_id)
        if view is not None:
            view.flush()
            self._label(view)
        self.set_class(False, "-empty")
        self.show_status()
        self._timer.resume()

    async def close_view(self, view: CaptureView) -> None:
        running = view.running
        self.engine.close_capture(view.capture_id)      # stops it, and the engine forgets it
        if running:
            lines = [text for text, _ in view.session.drain(10_000)]
            self.post_message(self.Closed(view.session.title, lines))
        await self.tabs.remove_pane(f"capture-{view.capture_id}")
        if not self.views:
            self.set_class(True, "-empty")
            self._timer.pause()
        self.show_status()

    def stop_view(self, view: CaptureView) -> None:
        self.engine.close_capture(view.capture_id)
        view.flush()
        self._label(view)
        self.show_status()

    def toggle_pause(self, view: CaptureView) -> None:
        view.toggle_pause()
        self._label(view)
        self.show_status()

    def next_view(self) -> None:
        views = self.views
        current = self.active_view
        if not views:
            return
        i = views.index(current) if current in views else -1
        self.tabs.active = f"capture-{views[(i + 1) % len(views)].capture_id}"

    def _label(self, view: CaptureView) -> None:
        mark = "" if view.running and not view.paused else " ❚❚" if view.running else " ■"
        try:
            self.tabs.get_tab(f"capture-{view.capture_id}").label = view.session.title + mark
        except Exception:
            pass

    # -- draining ------------------------------------------------------------------
    def flush(self) -> int:
        """Drain every view once (the timer's tick; tests call it directly)."""
        total = 0
        for v in self.views:
            total += v.flush()
        self.show_status(force=False)
        return total

    def show_status(self, force: bool = True) -> None:
        """The active view's state and count in the area's bottom border.

        The timer passes force=False: a count that merely grew is redrawn at
        most 4 times a second (the border spans the whole area)."""
        view = self.active_view
        text = view.status() if view is not None else ""
        if text == self.border_subtitle:
            return
        now = time.monotonic()
        same_state = text.split(" · ")[0] == str(self.border_subtitle).split(" · ")[0]
        if not force and same_state and now - self._status_at < 0.25:
            return
        self._status_at = now
        self.border_subtitle = text

    def on_tabbed_content_tab_activated(self) -> None:
        self.show_status()

    def engine_events(self, events: Iterable[Any]) -> None:
        for ev in events:
            if isinstance(ev, CaptureOpened):
                self.call_next(self.open_view, ev.capture_id)
            elif isinstance(ev, CaptureStopped):
                v = self.view(ev.capture_id)
                if v is not None:
                    v.flush()
                    self._label(v)
                    self.show_status()
