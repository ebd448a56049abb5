"""The capture area: live tcpdump views, tiled side by side or one tab each.

A `tcpdump -i IF` typed in the console becomes a `CaptureOpened` event and a
new view; a timer drains every open view 20 times a second. Views can be
paused, cleared, stopped (tcpdump's closing counters appear) and closed.

The article's point is watching veth0, veth1 and lo at once, so while there is
room every view is shown (tiled in a grid of views at least `TILE_WIDTH` wide
and `TILE_HEIGHT` high, each titled `ns:iface · filter`); when there is not,
or after Ctrl+T, one view shows at a time under its tab. The keys (F5-F8,
Ctrl+S, Ctrl+W) act on the highlighted tile, or the active tab.

Picking a packet in one view marks the same packet in every other view (its
copies: the frame veth0 sent is the one veth1 received) and the packets it
caused (the reply on lo), from `Engine.related_packets`.
"""
from __future__ import annotations

import math
import time
from typing import TYPE_CHECKING, Any, Iterable, Optional

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.geometry import Region
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import ContentSwitcher, TabbedContent, TabPane

from ..engine import CaptureOpened, CaptureStopped
from .capture_view import CaptureView
from .packet_log import PacketLog

if TYPE_CHECKING:  # pragma: no cover
    from ..engine import Engine

TILE_WIDTH = 70
TILE_HEIGHT = 5
FLUSH_HZ = 12
"""How often the views take what the engine captured. Each take scrolls a view and
repaints its region; at 20 a second that was a third of the app's time at 1000
frames a second (12: 720 -> 600-630 CPU ms per 1000 frames), and a line still shows
within 83 ms of its packet."""
FLUSH_BUDGET = 0.006
"""Seconds of each tick the views may spend formatting packets (shared among them): a
key typed meanwhile waits that long at most (12 ms made a flood's keys wait; 6 ms a tick,
72 ms a second, still keeps up with 1000 frames a second)."""


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
        &.-tiled ContentSwitcher { layout: grid; grid-gutter: 0; }
        &.-tiled ContentTabs { display: none; }
        &.-tiled TabPane {
            border: round $primary 30%; border-title-color: $text-muted;
            height: 1fr;
        }
        &.-tiled TabPane.-active-tile { border: round $accent; border-title-color: $accent; }
    }
    """

    tiled: reactive[bool] = reactive(True, init=False)
    """Views side by side while there is room (Ctrl+T switches to one tab at a time)."""

    class Closed(Message):
        """A view was closed while its capture ran: tcpdump's last words, for the console."""

        def __init__(self, title: str, lines: list[str]) -> None:
            super().__init__()
            self.title = title
            self.lines = lines

    class Shown(Message):
        """The area appeared (its first view opened) or went away (its last closed)."""

        def __init__(self, shown: bool) -> None:
            super().__init__()
            self.shown = shown

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
        pane = TabPane(self.view_title(cs), CaptureView(cs), id=pane_id)
        pane.border_title = self.view_title(cs)
        await self.tabs.add_pane(pane)
        self.tabs.active = pane_id
        view = self.view(capture_id)
        if view is not None:
            view.flush()
            self._label(view)
        if self.has_class("-empty"):
            self.set_class(False, "-empty")
            self.post_message(self.Shown(True))
        self.show_status()
        self._timer.resume()
        self.arrange_views()

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
            self.post_message(self.Shown(False))
        self.show_status()
        self.arrange_views()

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

    @staticmethod
    def view_title(cs) -> str:
        """`ns1:veth1 · icmp`: where the view captures, and its filter."""
        return cs.title + (f" · {cs.filter_text}" if cs.filter_text else "")

    def _label(self, view: CaptureView) -> None:
        mark = "" if view.running and not view.paused else " ❚❚" if view.running else " ■"
        try:
            self.tabs.get_tab(f"capture-{view.capture_id}").label = view.session.title + mark
            self.tabs.get_pane(f"capture-{view.capture_id}").border_title = \
                self.view_title(view.session) + mark
        except Exception:
            pass

    # -- tiles or tabs ----------------------------------------------------------------
    def grid_for(self, n: int, width: int, height: int) -> Optional[tuple[int, int]]:
        """(columns, rows) to tile `n` views in `width` x `height` cells, or None
        when they do not fit (tabs then)."""
        if n < 2:
            return None
        for cols in range(min(n, max(1, width // TILE_WIDTH)), 0, -1):
            rows = math.ceil(n / cols)
            if rows * TILE_HEIGHT <= height:
                return cols, rows
        return None

    def toggle_tiled(self) -> bool:
        self.tiled = not self.tiled
        return self.tiled

    def watch_tiled(self, tiled: bool) -> None:
        self.arrange_views()

    def on_resize(self) -> None:
        self.call_after_refresh(self.arrange_views)

    def arrange_views(self) -> None:
        """Show every view (tiled) when there is room and tiles are wanted, else the
        active one only."""
        try:
            switcher = self.tabs.query_one(ContentSwitcher)
        except Exception:
            return
        panes = list(self.tabs.query(TabPane))
        size = self.content_region
        grid = self.grid_for(len(panes), size.width, size.height) if self.tiled else None
        self.set_class(grid is not None, "-tiled")
        active = self.tabs.active
        if grid is None:
            for pane in panes:
                pane.display = pane.id == active
                pane.set_class(False, "-active-tile")
            return
        switcher.styles.grid_size_columns, switcher.styles.grid_size_rows = grid
        for pane in panes:
            pane.display = True
            pane.set_class(pane.id == active, "-active-tile")

    @property
    def is_tiled(self) -> bool:
        """Are the views shown side by side now?"""
        return self.has_class("-tiled")

    # -- draining ------------------------------------------------------------------
    def flush(self) -> int:
        """Drain every view once (the timer's tick; tests call it directly)."""
        total = 0
        views = self.views
        for v in views:
            total += v.flush(FLUSH_BUDGET / max(1, len(views)))
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
        self._set_status_row(text)

    def _set_status_row(self, text: str) -> None:
        """The bottom border's text, repainting that row only. Widget.border_subtitle's
        setter refreshes the whole area, and a container's refresh draws every view in
        it again: at 1000 frames a second one frame in six was that (17 of 109 in 5 s),
        each the whole area instead of its last row."""
        width, height = self.outer_size
        if not (width and height and self.is_mounted):
            self.border_subtitle = text
            return
        self._border_subtitle = self.render_str(text).expand_tabs(4).split()[0]
        offset = self.content_offset
        self.refresh(Region(-offset.x, height - 1 - offset.y, width, 1))

    def on_tabbed_content_tab_activated(self) -> None:
        self.show_status()
        self.arrange_views()

    def on_packet_log_picked(self, message: PacketLog.Picked) -> None:
        """A packet picked in one view is marked in the others (its copies, the
        packets it caused, with the direction each crossed that device)."""
        marks = self.engine.related_packets(message.skb_id) \
            if message.skb_id is not None else {}
        for view in self.views:
            if view.ready:
                view.log_widget.set_marks({} if view.log_widget is message.log else marks)

    def on_descendant_focus(self, event) -> None:
        """Focusing a tile (a click, F4) makes it the view the keys act on."""
        for view in self.views:
            # a view being closed has lost its log already (the monkey found it asking)
            if view.ready and event.widget is view.log_widget \
                    and self.tabs.active != f"capture-{view.capture_id}":
                self.tabs.active = f"capture-{view.capture_id}"

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
