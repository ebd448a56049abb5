"""A capture view's lines, each knowing the packet it shows; a cursor picks one to explain.

Every line carries the skb id of its packet (tcpdump's own startup and closing
lines carry none, and the cursor passes over them). Up/Down or j/k move the
cursor, Enter or a click asks for the packet's walk-through (`ExplainRequested`).

The buffer is bounded: lines leave the top as new ones arrive. The cursor is
an absolute line number (`TailLog.lines_dropped` plus the index), so it stays
on its packet while the lines above it go, and the view scrolls up by as many
rows so nothing slides under the reader; a cursor whose own line went moves to
the first packet left.

With no cursor, or the cursor on the newest packet, the view follows new
packets (the cursor riding on the newest); anywhere else the view holds still,
which is what lets a learner pick a line at a thousand packets a second.
Leaving the view for the console drops the cursor and follows again.

`#` shows each packet's number (the id `explain N` takes) before its line.
Lines wider than the view end in `…`; Left/Right scroll sideways. Packets
another view picked are marked (`set_marks`): an arrow for the direction the
packet crossed this device (→ sent, ← received), bold for the same packet,
italic for one it caused.
"""
from __future__ import annotations

from typing import Iterable, Optional

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.strip import Strip

from .scrollback import TailLog


class PacketLog(TailLog):
    """Packet lines with their skb ids, written in batches with `add_packets`."""

    COMPONENT_CLASSES = {"packet-log--cursor"}
    DEFAULT_CSS = """
    PacketLog > .packet-log--cursor {
        background: $block-cursor-background;
        color: $block-cursor-foreground;
        text-style: $block-cursor-text-style;
    }
    """
    BINDINGS = [
        Binding("up,k", "cursor_up", "Previous packet", show=False),
        Binding("down,j", "cursor_down", "Next packet", show=False),
        Binding("pageup", "cursor_page(-1)", "Page up", show=False),
        Binding("pagedown", "cursor_page(1)", "Page down", show=False),
        Binding("home", "cursor_first", "First packet", show=False),
        Binding("end", "cursor_last", "Newest packet", show=False),
        Binding("enter", "explain", "Explain"),
        Binding("left,h", "scroll_sideways(-1)", "Scroll left", show=False),
        Binding("right,l", "scroll_sideways(1)", "Scroll right", show=False),
        Binding("number_sign", "toggle_ids", "Packet #"),
    ]

    class Picked(Message):
        """The cursor is on packet `skb_id` (None: no packet picked any more)."""

        def __init__(self, log: "PacketLog", skb_id: Optional[int]) -> None:
            super().__init__()
            self.log = log
            self.skb_id = skb_id

    class ExplainRequested(Message):
        """Show packet `skb_id`'s walk-through (Enter or a click on its line)."""

        def __init__(self, skb_id: int) -> None:
            super().__init__()
            self.skb_id = skb_id

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._skbs: list[Optional[int]] = []     # parallel to the lines
        self._dirs: list[str] = []                # parallel to the lines: In, Out, ...
        self.marks: dict[int, str] = {}
        """Packets picked in another view: skb id -> "same", "caused" or "cause"."""
        self.show_ids = False
        """Each packet line starts with its number (`#` toggles)."""
        self.cursor: Optional[int] = None
        """The selected line as an absolute number (survives lines dropped above it)."""
        self._cursor_tails = True
        self._cursor_style: Optional[Style] = None
        self._down_at = None

    # -- writing ---------------------------------------------------------------------
    def add_packets(self, pairs: Iterable[tuple[str, Optional[int]]],
                    directions: Optional[list[str]] = None) -> int:
        """Append (text, skb id or None) lines, with their directions if known;
        returns how many lines were added."""
        texts: list[str] = []
        ids: list[Optional[int]] = []
        dirs: list[str] = []
        for i, (text, skb_id) in enumerate(pairs):
            d = directions[i] if directions is not None and i < len(directions) else ""
            for part in text.splitlines():      # one row per line, as Log splits them
                texts.append(part)
                ids.append(skb_id)
                dirs.append(d)
        if not texts:
            return 0
        index = self.cursor_index
        self._cursor_tails = index is None or index == self._packet_at(len(self._skbs) - 1, -1)
        self._skbs.extend(ids)
        self._dirs.extend(dirs)
        self.write_lines(texts)
        if self.cursor is not None:
            newest = self._packet_at(len(self._skbs) - 1, -1)
            if self._cursor_tails and self.pinned and newest is not None:
                self.cursor = self.lines_dropped + newest
                self.refresh()
            elif self.cursor < self.lines_dropped:
                first = self._packet_at(0, 1)
                self.cursor = None if first is None else self.lines_dropped + first
        return len(texts)

    @property
    def following(self) -> bool:
        return self.pinned and self._cursor_tails

    def skb_id_at(self, index: int) -> Optional[int]:
        """The packet line `index` shows (None for tcpdump's own lines)."""
        return self._skbs[index] if 0 <= index < len(self._skbs) else None

    def _prune_max_lines(self) -> None:
        if self.max_lines is not None and len(self._skbs) > self.max_lines:
            del self._skbs[:len(self._skbs) - self.max_lines]
            del self._dirs[:len(self._dirs) - self.max_lines]
        super()._prune_max_lines()

    def clear(self) -> "PacketLog":
        super().clear()
        self._skbs.clear()
        self._dirs.clear()
        self.cursor = None
        self._cursor_tails = True
        return self

    # -- the cursor --------------------------------------------------------------------
    @property
    def cursor_index(self) -> Optional[int]:
        """The cursor's line in `lines`, or None."""
        if self.cursor is None:
            return None
        index = self.cursor - self.lines_dropped
        return index if 0 <= index < len(self._skbs) else None

    def _packet_at(self, start: int, step: int) -> Optional[int]:
        """The first packet line from `start` going `step` (+1 down, -1 up)."""
        skbs = self._skbs
        i = start
        while 0 <= i < len(skbs):
            if skbs[i] is not None:
                return i
            i += step
        return None

    def _move_to(self, index: Optional[int]) -> None:
        if index is None:
            return
        old = self.cursor_index
        self.cursor = self.lines_dropped + index
        if old is not None:
            self.refresh_line(old)
        self.refresh_line(index)
        if old != index:
            self.post_message(self.Picked(self, self.skb_id_at(index)))
        if index == self._packet_at(len(self._skbs) - 1, -1):
            # the newest packet: follow again, the cursor riding on it
            self.scroll_to_end()
            self._cursor_tails = True
            return
        self._cursor_tails = False
        top, height = int(self.scroll_y), max(1, self.size.height)
        if index < top:
            self.scroll_to(y=index, animate=False, immediate=True, force=True)
        elif index >= top + height:
            self.scroll_to(y=index - height + 1, animate=False, immediate=True, force=True)

    def _place_cursor(self) -> None:
        """The cursor appears on the last packet in view (the newest when following)."""
        top = int(self.scroll_y)
        bottom = min(len(self._skbs), top + max(1, self.size.height)) - 1
        index = self._packet_at(bottom, -1)
        if index is None or index < top:
            index = self._packet_at(len(self._skbs) - 1, -1)
        self._move_to(index)

    def drop_cursor(self) -> None:
        """No selection; the view follows new packets again."""
        index = self.cursor_index
        if self.cursor is None:
            return
        self.cursor = None
        self._cursor_tails = True
        if index is not None:
            self.refresh_line(index)
        self.scroll_to_end()
        self.post_message(self.Picked(self, None))

    def action_cursor_up(self) -> None:
        index = self.cursor_index
        if index is None:
            self._place_cursor()
        else:
            self._move_to(self._packet_at(index - 1, -1))

    def action_cursor_down(self) -> None:
        index = self.cursor_index
        if index is None:
            self._place_cursor()
        else:
            self._move_to(self._packet_at(index + 1, 1))

    def action_cursor_page(self, pages: int) -> None:
        index = self.cursor_index
        if index is None:
            self._place_cursor()
            return
        step = max(1, self.size.height - 1) * pages
        target = max(0, min(len(self._skbs) - 1, index + step))
        self._move_to(self._packet_at(target, -1 if pages > 0 else 1))

    def action_cursor_first(self) -> None:
        self._move_to(self._packet_at(0, 1))

    def action_cursor_last(self) -> None:
        self._move_to(self._packet_at(len(self._skbs) - 1, -1))

    def action_explain(self) -> None:
        index = self.cursor_index
        if index is None:
            self._place_cursor()
            index = self.cursor_index
        skb_id = self.skb_id_at(index) if index is not None else None
        if skb_id is not None:
            self.post_message(self.ExplainRequested(skb_id))

    def action_scroll_sideways(self, direction: int) -> None:
        """Left/Right: see the rest of a line wider than the view."""
        self.scroll_to(x=max(0, self.scroll_x + direction * max(8, self.size.width // 2)),
                       animate=False, immediate=True, force=True)

    def action_toggle_ids(self) -> None:
        """`#`: each packet's number (what `explain N` takes) before its line."""
        self.show_ids = not self.show_ids
        self._redraw_all()

    def set_marks(self, marks: dict[int, str]) -> None:
        """Mark the packets another view picked (an empty dict clears the marks)."""
        if marks == self.marks:
            return
        self.marks = marks
        self._redraw_all()

    def _redraw_all(self) -> None:
        self._render_line_cache.clear()
        self.virtual_size = Size(self._width + self._gutter_width(), self.line_count)
        self.refresh()

    def _gutter_width(self) -> int:
        return (7 if self.show_ids else 0) + (2 if self.marks else 0)

    def _update_maximum_width(self, updates: int, size: int) -> None:
        """The widest line, and room for the gutter beside it."""
        if updates == self._updates:
            self._width = max(size, self._width)
            self.virtual_size = Size(self._width + self._gutter_width(), self.line_count)

    def _gutter(self, y: int) -> str:
        """What goes before line `y`: its number (with #), its mark (when marked)."""
        out = ""
        sid = self._skbs[y] if y < len(self._skbs) else None
        if self.show_ids:
            out += f"#{sid:<5} " if sid is not None else "       "
        if self.marks:
            d = self._dirs[y] if y < len(self._dirs) else ""
            if sid is not None and sid in self.marks:
                out += "→ " if d == "Out" else "← " if d else "• "
            else:
                out += "  "
        return out

    def _plain_line(self, y: int) -> Optional[str]:
        return None if self.show_ids or self.marks else super()._plain_line(y)

    def _line_text_for(self, y: int) -> Text:
        text = super()._line_text_for(y)
        gutter = self._gutter(y)
        if not gutter:
            return text
        sid = self._skbs[y] if y < len(self._skbs) else None
        relation = self.marks.get(sid) if sid is not None else None
        line = Text(gutter, no_wrap=True, end="")
        line.append_text(text)
        if relation == "same":
            line.stylize("bold reverse")
        elif relation in ("caused", "cause"):
            line.stylize("italic underline")
        return line

    # -- focus and mouse ------------------------------------------------------------------
    def on_focus(self) -> None:
        if self.cursor_index is None:
            self._place_cursor()

    def on_blur(self) -> None:
        # focus gone to the console drops the selection; a screen over this one (the
        # explanation) or the terminal window losing focus keeps it
        if self.is_attached and self.app.app_focus and self.app.screen is self.screen:
            self.drop_cursor()

    def on_mouse_down(self, event: events.MouseDown) -> None:
        self._down_at = event.screen_offset

    def on_click(self, event: events.Click) -> None:
        """A click on a packet line selects it and explains it (a drag selects text)."""
        if event.screen_offset != self._down_at:
            return
        offset = event.get_content_offset(self)
        if offset is None:
            return
        index = int(self.scroll_y) + offset.y
        skb_id = self.skb_id_at(index)
        if skb_id is None:
            return
        self._move_to(index)
        self.post_message(self.ExplainRequested(skb_id))

    # -- drawing ---------------------------------------------------------------------------
    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._cursor_style = None

    def _render_line(self, y: int, scroll_x: int, width: int) -> Strip:
        strip = super()._render_line(y, scroll_x, width)
        # Log.render_line gives the widget's whole width; a vertical scrollbar covers
        # the last columns, so the cut is marked where the text is seen to end
        visible = min(width, self.once_a_frame("scrollable_content_region").width)
        if y < len(self._lines) and visible > 2:
            full = self._render_line_strip(y, self._style or self.rich_style).cell_length
            if full > scroll_x + visible or scroll_x > 0:
                strip = _mark_cut(strip, visible, left=scroll_x > 0,
                                  right=full > scroll_x + visible)
                if visible < width:
                    strip = strip.extend_cell_length(width)
        if self.cursor is not None and y == self.cursor - self.lines_dropped:
            style = self._cursor_style
            if style is None:
                style = self._cursor_style = self.get_component_rich_style(
                    "packet-log--cursor", partial=True)
            strip = Strip(Segment.apply_style(list(strip), post_style=style),
                          strip.cell_length)
        return strip


def _mark_cut(strip: Strip, width: int, left: bool, right: bool) -> Strip:
    """`…` at the edge where a line goes on beyond the view."""
    segments = list(strip.divide([1, width - 1, width]))
    parts = list(segments)
    if left and parts:
        style = next((seg.style for seg in parts[0]), None)
        parts[0] = Strip([Segment("…", style)], 1)
    if right and len(parts) >= 3:
        style = next((seg.style for seg in parts[2]), None)
        parts[2] = Strip([Segment("…", style)], 1)
    return Strip.join(parts)
