"""The console's input line: history on Up/Down, completion on Tab."""
from __future__ import annotations

from typing import Callable, Optional

from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.reactive import Reactive
from textual.widgets import Input

from ..tools import completion
from .history import History


class CommandInput(Input):
    """An Input that behaves like readline for the keys a learner uses.

    `net_for_completion` returns the namespace whose devices and sysctls Tab
    completes (the console's).
    """

    DEFAULT_CSS = """
    CommandInput {
        border: none;
        /* what the prompt leaves of the row: Input's own 100% made it as wide as the
           whole row, so the line's end and the cursor went past the pane's edge */
        width: 1fr;
        height: 1;
        padding: 0;
        background: $surface;
        &:focus { border: none; background-tint: transparent; }
        & > .input--placeholder { color: $text-disabled; }
    }
    """

    BINDINGS = [
        Binding("up", "history_previous", "Previous command", show=False),
        Binding("down", "history_next", "Next command", show=False),
        Binding("tab", "complete", "Complete", show=False),
        # a newline that arrives as a character (a paste without bracketed-paste
        # markers, `printf 'a\nb'` into the terminal) ends the line as Enter does
        Binding("ctrl+j", "submit", "Run", show=False),
    ]

    # Input sets its virtual size (the line's width) on every key, and
    # Widget.virtual_size re-lays the whole screen out on each change: every key
    # typed reflowed every pane. Only this widget's scrolling depends on it.
    virtual_size = Reactive(Size(0, 0), layout=False)

    def watch_virtual_size(self, size: Size) -> None:
        if self.is_mounted:
            self._scroll_update(size)
            self.refresh()

    BLINK = True
    """Whether the cursor blinks (the tests turn it off for stable screenshots)."""

    class Pasted(Message):
        """A pasted block with line ends: `lines` are complete lines to run in order,
        `rest` the unfinished last line, left in the prompt for editing."""

        def __init__(self, lines: list[str], rest: str) -> None:
            super().__init__()
            self.lines = lines
            self.rest = rest

    class Completions(Message):
        """Tab twice with several candidates: the console lists them, as bash does."""

        def __init__(self, line: str, candidates: tuple[str, ...]) -> None:
            super().__init__()
            self.line = line
            self.candidates = candidates

    def __init__(self, history: History, net_for_completion: Callable[[], object], **kwargs):
        kwargs.setdefault("select_on_focus", False)
        super().__init__(**kwargs)
        self.history = history
        self._net = net_for_completion
        self._last_tab_line: Optional[str] = None

    def on_mount(self) -> None:
        self.cursor_blink = self.BLINK

    # -- paste ---------------------------------------------------------------
    def _on_paste(self, event: events.Paste) -> None:
        """Bracketed paste: a block of lines runs line by line, as a shell would
        (Input alone would keep the first line and drop the rest)."""
        text = event.text.replace("\r\n", "\n").replace("\r", "\n")
        if "\n" not in text:
            return super()._on_paste(event)
        event.stop()
        event.prevent_default()
        # readline: the first newline accepts the whole line the text went into
        first, *more = text.split("\n")
        rest = more.pop()
        start, end = sorted(self.selection)
        before, after = self.value[:start], self.value[end:]
        lines = [before + first + after, *more]
        self.value = ""
        self.post_message(self.Pasted(lines, rest))

    # -- keys in the order they came ------------------------------------------
    async def _on_key(self, event: events.Key) -> None:
        """The prompt's own bindings (Enter, Tab, Up/Down, editing keys) run when
        their key arrives. Textual runs a non-priority binding only once the key has
        bubbled up to the app, and by then the keys a terminal handed over in the
        same read (type-ahead, a raw paste, keys typed while a flood kept the app
        busy) have already gone into the line: `ip -br link⏎ip -br addr⏎` ran as
        `ip -br linkip -br addr`."""
        for binding in self._bindings.key_to_bindings.get(event.key, ()):
            if not binding.priority and await self.app.run_action(binding.action, self):
                event.stop()
                event.prevent_default()
                return
        await super()._on_key(event)

    # -- enter ---------------------------------------------------------------
    async def action_submit(self) -> None:
        """Enter takes the line out of the prompt at once, as readline's accept-line
        does. Input leaves it there until a handler clears it, so keys a terminal
        handed over in the same read (type-ahead, a paste without bracketed-paste
        markers, anything typed while the app was busy) joined the submitted line."""
        line = self.value
        self.value = ""
        self.post_message(self.Submitted(self, line, None))

    # -- history -------------------------------------------------------------
    def action_history_previous(self) -> None:
        line = self.history.previous(self.value)
        if line is None:
            self.app.bell()
            return
        self._set(line)

    def action_history_next(self) -> None:
        line = self.history.next()
        if line is None:
            return
        self._set(line)

    def _set(self, line: str, cursor: Optional[int] = None) -> None:
        self.value = line
        self.cursor_position = len(line) if cursor is None else cursor

    # -- completion --------------------------------------------------------------
    def action_complete(self) -> None:
        line, cursor = self.value, self.cursor_position
        try:
            comp = completion.complete(line, cursor, self._net())
            done = completion.apply(line, cursor, comp)
        except Exception:   # completion must never cost the user their line
            self.app.bell()
            return
        if done.changed:
            self._last_tab_line = None
            self._set(done.line, done.cursor)
            return
        if done.listing and self._last_tab_line == line:
            self._last_tab_line = None
            self.post_message(self.Completions(line, done.listing))
            return
        self._last_tab_line = line
        self.app.bell()
