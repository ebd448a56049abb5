"""The console's scrollback: a `Log` that understands the tools' ANSI colours.

`ip -c` colours its output with ANSI escapes; the prompt echo is coloured the
same way. Lines are stored raw; widths and selections see them without the
escapes, and each line is parsed with `Text.from_ansi` only when drawn (and
cached), so writing stays as cheap as `Log`'s.
"""
from __future__ import annotations

import re

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.pinned = True
        self._end_pending = False
        self._style: Style | None = None

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
        super().write_lines(lines, scroll_end=False)
        if self.pinned if scroll_end is None else scroll_end:
            self._follow_end()
        return self

    def clear(self) -> "TailLog":
        super().clear()
        self.pinned = True
        return self

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

    def _render_line(self, y: int, scroll_x: int, width: int) -> Strip:
        style = self._style
        if style is None:
            style = self._style = self.rich_style
        if y >= len(self._lines):
            return Strip.blank(width, style)
        line = self._render_line_strip(y, style)
        line = line.crop_extend(scroll_x, scroll_x + width, style)
        return line.apply_offsets(scroll_x, y)

    def _render_line_strip(self, y: int, rich_style: Style) -> Strip:
        selection = self.text_selection
        cache = self._render_line_cache
        if selection is None and y in cache:
            return cache[y]
        text = self._line_text(self._lines[y])
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
            self.scroll_end(animate=False, immediate=True, x_axis=False)
            self.pinned = True
        elif not self._end_pending:
            self._end_pending = True
            self.call_after_refresh(self._to_end)

    def _to_end(self) -> None:
        self.scroll_end(animate=False, immediate=True, x_axis=False)
        self._end_pending = False
        self.pinned = True


class Scrollback(TailLog):
    """Console output with ANSI colours."""

    DEFAULT_CSS = """
    Scrollback {
        background: $surface;
        overflow-x: auto;
        overflow-y: auto;
    }
    """

    @classmethod
    def _process_line(cls, line: str) -> str:
        return _CONTROL.sub("\ufffd", strip_ansi(line)).expandtabs()

    @property
    def text(self) -> str:
        """Everything shown, without colours (tests read this)."""
        return "\n".join(strip_ansi(line) for line in self.lines)

    def get_selection(self, selection: Selection) -> tuple[str, str] | None:
        return selection.extract(self.text), "\n"

    def _line_text(self, raw: str) -> Text:
        raw = _CONTROL.sub("\ufffd", raw)
        text = Text.from_ansi(raw, no_wrap=True, end="") if "\x1b" in raw else Text(raw)
        text.expand_tabs()
        return text
