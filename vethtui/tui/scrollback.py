"""The console's scrollback: a `Log` that understands the tools' ANSI colours.

`ip -c` colours its output with ANSI escapes; the prompt echo is coloured the
same way. Lines are stored raw; widths and selections see them without the
escapes, and each line is parsed with `Text.from_ansi` only when drawn (and
cached), so writing stays as cheap as `Log`'s.

The console soft-wraps long lines as a terminal does (`explain` prints long
ones); capture views keep one packet a row and scroll sideways.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from itertools import accumulate
from typing import Optional

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.geometry import Size
from textual.reactive import Reactive
from textual.selection import Selection
from textual.strip import Strip
from textual.widgets import Log

_ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]")
_CONTROL = re.compile("[\x00-\x08\x0b-\x1a\x1c-\x1f]")


def strip_ansi(text: str) -> str:
    return _ANSI.sub("", text)


class TailLog(Log):
    """A Log that follows its end, unless the user scrolled back to read.

    Log's own auto-scroll decides from the scroll position at the moment of
    writing, which lags behind while new lines are not laid out yet: a burst
    of writes can leave the view stuck above the end. Here the view is pinned
    to the end until the user scrolls away from it (and pinned again when they
    come back), and the jump to the end waits for the next refresh.
    """

    # A Log grows with every write, and Widget.virtual_size re-lays the whole screen
    # out on each change (layout=True), although only this widget's scrollbars depend
    # on it: a capture view taking packets reflowed every pane ten times a second.
    # Here a change updates the scrollbars and repaints this widget; a scrollbar that
    # appears or goes still re-lays out (show_vertical_scrollbar does).
    virtual_size = Reactive(Size(0, 0), layout=False)

    def watch_virtual_size(self, size: Size) -> None:
        if self.is_mounted:
            self._scroll_update(size)
            self.refresh()

    def watch_show_vertical_scrollbar(self, shown: bool) -> None:
        # a scrollbar that appears after the view has scrolled starts at the top
        # (the layout that used to follow every write set its position again)
        if shown:
            self.vertical_scrollbar.position = self.scroll_y

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.pinned = True
        self._end_pending = False
        self._style: Style | None = None
        self.lines_dropped = 0
        """Lines pruned from the top so far (max_lines): line i now was line
        `lines_dropped + i` of everything written, which outlives pruning."""

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        if not self._end_pending:
            self.pinned = new_value >= self.max_scroll_y - 1

    def write(self, data: str, scroll_end: bool | None = None) -> "TailLog":
        super().write(data, scroll_end=False)
        if self.pinned if scroll_end is None else scroll_end:
            self._follow_end()
        return self

    def write_lines(self, lines, scroll_end: bool | None = None) -> "TailLog":
        dropped = self.lines_dropped
        super().write_lines(lines, scroll_end=False)
        if self.following if scroll_end is None else scroll_end:
            self._follow_end()
        elif self.lines_dropped > dropped:
            self._hold_view(self.lines_dropped - dropped)
        return self

    @property
    def following(self) -> bool:
        """Does a write take the view to the end? (Subclasses may hold it.)"""
        return self.pinned

    def clear(self) -> "TailLog":
        self.lines_dropped += len(self._lines)
        super().clear()
        self.pinned = True
        return self

    def _prune_max_lines(self) -> None:
        before = len(self._lines)
        super()._prune_max_lines()
        self.lines_dropped += before - len(self._lines)

    def _hold_view(self, rows: int) -> None:
        """Rows left the top while the user reads above the end: scroll up by as many,
        so the lines on screen stay where they are instead of sliding up."""
        if self.scroll_y > 0:
            self.scroll_to(y=max(0, self.scroll_y - rows), animate=False, immediate=True,
                           force=True)

    def _update_size(self, updates: int, lines: list[str]) -> None:
        """The widest line, measured here: Log starts a thread per write for it, which
        at 20 batches a second costs more than measuring a batch (and races tests)."""
        if lines:
            width = max(cell_len(self._process_line(line)) for line in lines)
            self._update_maximum_width(updates, width)

    # -- drawing: each line made once and cached (Log's cache only works while
    # -- text is selected), and the widget's style looked up once, not per line
    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._style = None

    def _line_text(self, raw: str) -> Text:
        return Text(self._process_line(raw), no_wrap=True, end="")

    def _line_text_for(self, y: int) -> Text:
        """Line `y` as drawn (subclasses add a gutter)."""
        return self._line_text(self._lines[y])

    def _render_line(self, y: int, scroll_x: int, width: int) -> Strip:
        style = self._style
        if style is None:
            style = self._style = self.rich_style
        if y >= len(self._lines):
            return Strip.blank(width, style)
        line = self._render_line_strip(y, style)
        line = line.crop_extend(scroll_x, scroll_x + width, style)
        return line.apply_offsets(scroll_x, y)

    def _plain_line(self, y: int) -> Optional[str]:
        """Line `y` as drawn when it is one run of the widget's style (no colours, no
        gutter): drawn as one segment, without Rich's Text. None: it needs Text."""
        return self._process_line(self._lines[y])

    _frame: Optional[dict] = None
    """What a frame reads once (`once_a_frame`) while render_lines runs; None otherwise."""

    def render_lines(self, crop):
        self._frame = {}
        try:
            return super().render_lines(crop)
        finally:
            self._frame = None

    def once_a_frame(self, name: str):
        """Attribute `name`, read at the first line a frame draws and kept for the rest of
        it (text_selection, scrollable_content_region: each walks up to the screen, and a
        view read them once or twice a line). Read lazily: a frame whose lines are all
        cached draws none, and a view being removed (a background screen drawn behind a
        dialog) has no screen to ask."""
        frame = self._frame
        if frame is None:
            return getattr(self, name)
        try:
            return frame[name]
        except KeyError:
            value = frame[name] = getattr(self, name)
            return value

    def _render_line_strip(self, y: int, rich_style: Style) -> Strip:
        selection = self.once_a_frame("text_selection")
        cache = self._render_line_cache
        if selection is None:
            strip = cache.get(y)
            if strip is not None:
                return strip
            # A capture view following 1000 frames a second draws a dozen new lines
            # each tick; through Text.render each cost ten times what the segment does.
            plain = self._plain_line(y)
            if plain:
                strip = cache[y] = Strip([Segment(plain, rich_style)], cell_len(plain))
                return strip
        text = self._line_text_for(y)
        text.stylize_before(rich_style)
        if selection is not None:
            span = selection.get_span(y - self._clear_y)
            if span is not None:
                start, end = span
                if end == -1:
                    end = len(text)
                text.stylize(self.screen.get_component_rich_style("screen--selection"),
                             start, end)
        strip = Strip(text.render(self.app.console), text.cell_len)
        if selection is None:
            cache[y] = strip
        return strip

    def _follow_end(self) -> None:
        if self.size.height and not self._end_pending:
            # laid out: the new virtual size is known, go to the end in this frame
            self.scroll_to_end()
        elif not self._end_pending:
            self._end_pending = True
            self.call_after_refresh(self._to_end)

    def _to_end(self) -> None:
        self.scroll_to_end()
        self._end_pending = False

    def scroll_to_end(self) -> None:
        """To the last line now, and pinned there. Forced: the scrollbars are only
        worked out at the next layout, and until then a log that has just outgrown
        its height does not count as scrollable (the view would stay at the top)."""
        self.scroll_end(animate=False, immediate=True, x_axis=False, force=True)
        self.pinned = True


class Scrollback(TailLog):
    """Console output with ANSI colours, soft-wrapped at the pane's width.

    A line longer than the pane goes on over as many rows as it needs, cut at
    the column as a terminal's autowrap cuts it (not at a word). Each line's
    width is measured once, when written; rows are counted again only when the
    width changes, and the row-to-line map is rebuilt lazily (at most once a
    frame), so a burst of output costs what it costs in a `Log`.

    Backspace moves back over the last line as on a terminal, and what follows
    overwrites: `ping -f` prints a dot per request and "\\b \\b" per reply,
    so its line stays as short as a terminal shows it instead of growing by
    four characters a packet.
    """

    DEFAULT_CSS = """
    Scrollback {
        background: $surface;
        overflow-x: hidden;
        overflow-y: auto;
    }
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._cells: list[int] = []        # each line's width, without escapes
        self._rows: list[int] = []         # each line's rows at the wrap width
        self._total_rows = 0
        self._wrap = 0                     # the width rows were counted for (0: not laid out)
        self._ends: Optional[list[int]] = None   # cumulative rows: line i ends before _ends[i]
        self._back = 0                     # columns the cursor sits left of the last line's end

    @classmethod
    def _process_line(cls, line: str) -> str:
        return _CONTROL.sub("\ufffd", strip_ansi(line)).expandtabs()

    @property
    def text(self) -> str:
        """Everything shown, without colours (tests read this)."""
        return "\n".join(strip_ansi(line) for line in self.lines)

    @property
    def row_count(self) -> int:
        """Rows the lines take at the current width (a trailing empty line takes none)."""
        return self._total_rows - (1 if self._lines and not self._lines[-1] else 0)

    def get_selection(self, selection: Selection) -> tuple[str, str] | None:
        return selection.extract(self.text), "\n"

    # -- writing ---------------------------------------------------------------
    def write(self, data: str, scroll_end: bool | None = None) -> "Scrollback":
        if not data:
            return self
        lines = self._lines
        if not lines:
            self._append("")
        for i, text in enumerate(data.split("\n")):
            if i:
                self._back = 0
                self._append("")
            if text:
                if self._back or "\b" in text or "\r" in text:
                    self._set_last(self._overstrike(lines[-1], text))
                else:
                    self._set_last(lines[-1] + text)
        if self.max_lines is not None and len(lines) > self.max_lines:
            self._prune_max_lines()
        self._update_virtual_size()
        self.refresh()
        if self.pinned if scroll_end is None else scroll_end:
            self._follow_end()
        return self

    def write_lines(self, lines, scroll_end: bool | None = None) -> "Scrollback":
        return self.write("".join(f"{line}\n" for line in lines), scroll_end)

    def _overstrike(self, line: str, text: str) -> str:
        """`text` written at the cursor: backspace steps back, carriage return goes to
        the line's start, a character overwrites."""
        out = list(line)
        back = self._back
        for ch in text:
            if ch == "\b":
                if back < len(out):
                    back += 1
            elif ch == "\r":
                back = len(out)
            elif back:
                out[-back] = ch
                back -= 1
            else:
                out.append(ch)
        self._back = back
        return "".join(out)

    def _rows_for(self, cells: int) -> int:
        return max(1, -(-cells // self._wrap)) if self._wrap > 0 else 1

    def _append(self, raw: str) -> None:
        cells = cell_len(self._process_line(raw)) if raw else 0
        rows = self._rows_for(cells)
        self._lines.append(raw)
        self._cells.append(cells)
        self._rows.append(rows)
        self._total_rows += rows
        self._ends = None

    def _set_last(self, raw: str) -> None:
        y = len(self._lines) - 1
        self._lines[y] = raw
        cells = cell_len(self._process_line(raw))
        rows = self._rows_for(cells)
        self._cells[y] = cells
        self._total_rows += rows - self._rows[y]
        self._rows[y] = rows
        self._ends = None
        self._render_line_cache.discard(y)

    def _prune_max_lines(self) -> None:
        remove = len(self._lines) - (self.max_lines or 0)
        if self.max_lines is None or remove <= 0:
            return
        rows = sum(self._rows[:remove])
        del self._cells[:remove]
        del self._rows[:remove]
        self._total_rows -= rows
        self._ends = None
        super()._prune_max_lines()
        if not self.pinned:
            self._hold_view(rows)

    def clear(self) -> "Scrollback":
        super().clear()
        self._cells.clear()
        self._rows.clear()
        self._total_rows = 0
        self._ends = None
        self._back = 0
        return self

    # -- wrapping ----------------------------------------------------------------
    def _update_virtual_size(self) -> None:
        self.virtual_size = Size(self._wrap, self.row_count)

    def _rewrap(self, width: int) -> None:
        """Count every line's rows again for a new width (a resize, a scrollbar)."""
        self._wrap = width
        self._rows = [self._rows_for(c) for c in self._cells]
        self._total_rows = sum(self._rows)
        self._ends = None
        self._update_virtual_size()
        if self.pinned:
            self._follow_end()

    def _check_width(self) -> None:
        # the width left of the vertical scrollbar, which comes and goes without a Resize
        width = self.scrollable_content_region.width
        if width > 0 and width != self._wrap:
            self._rewrap(width)

    def on_resize(self) -> None:
        self._check_width()

    def render_lines(self, crop):
        self._check_width()
        return super().render_lines(crop)

    def line_at_row(self, row: int) -> tuple[int, int]:
        """(line index, which of its rows) for a row of the wrapped view."""
        if self._ends is None:
            self._ends = list(accumulate(self._rows))
        index = bisect_right(self._ends, row)
        return index, row - (self._ends[index - 1] if index else 0)

    def _render_line(self, y: int, scroll_x: int, width: int) -> Strip:
        style = self._style
        if style is None:
            style = self._style = self.rich_style
        if y >= self.row_count:
            return Strip.blank(width, style)
        index, part = self.line_at_row(y)
        line = self._render_line_strip(index, style)
        if self._wrap <= 0:
            line = line.crop_extend(scroll_x, scroll_x + width, style)
            return line.apply_offsets(scroll_x, index)
        start = part * self._wrap
        line = line.crop_extend(start, start + self._wrap, style)
        if width > self._wrap:
            line = line.extend_cell_length(width, style)
        return line.apply_offsets(start, index)

    def _plain_line(self, y: int) -> Optional[str]:
        raw = self._lines[y]
        return None if "\x1b" in raw else super()._plain_line(y)

    def _line_text(self, raw: str) -> Text:
        raw = _CONTROL.sub("\ufffd", raw)
        text = Text.from_ansi(raw, no_wrap=True, end="") if "\x1b" in raw else Text(raw)
        text.expand_tabs()
        return text
