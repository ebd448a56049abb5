"""The console: scrollback and a prompt, wired to the engine's shell session.

Every command, whoever starts it, is echoed after the prompt when its job
starts (`JobStarted`); its output streams in as the tools print it
(`OutputEvent`). While a foreground job runs, lines typed are kept and run
in turn when it ends, as a terminal's type-ahead does. Ctrl+C is SIGINT to
the foreground job; with none, bash's `^C` and a fresh line.

The prompt is the shell session's: `ip netns exec ns1 bash` makes it
`root@vethtui(ns1):~# ` (`ConsoleNamespace`) until `exit`. Events are handled
in order, so each command is echoed after the prompt it was typed at.
"""
from __future__ import annotations

from collections import deque
from typing import TYPE_CHECKING, Any, Callable, Iterable

from rich.cells import cell_len
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Static

from ..i18n import _
from ..engine import (ClearScreen, ConsoleNamespace, JobDone, JobStarted, OutputEvent,
                      WorldReplaced)
from ..tools.completion import columns
from .history import History
from .prompt import CommandInput
from .scrollback import Scrollback

if TYPE_CHECKING:  # pragma: no cover
    from ..engine import Engine

IDLE_HINT = "type a command: Tab completes, Up/Down recalls, F1 helps"
IDLE_HINT_SHORT = "Tab completes, F1 helps"
BUSY_HINT_SHORT = "Ctrl+C interrupts"


def colour_prompt(prompt: str) -> str:
    """The prompt as a colour prompt draws it: bold green user@host, bold blue cwd
    (`root@vethtui(ns1):~# ` keeps the namespace with the host)."""
    who, sep, rest = prompt.rpartition(":")
    if not sep or not rest.endswith(("# ", "$ ")):
        return prompt
    return f"\x1b[1;32m{who}\x1b[0m:\x1b[1;34m{rest[:-2]}\x1b[0m{rest[-2:]}"


class Console(Vertical):
    """Scrollback above, `root@vethtui:~# ` and the input line below."""

    DEFAULT_CSS = """
    Console {
        height: 1fr;
        #prompt-row { height: 1; }
        #prompt { width: auto; height: 1; color: $success; text-style: bold; }
        #prompt.-busy { color: $text-disabled; text-style: none; }
    }
    """

    BINDINGS = [
        Binding("pageup,shift+pageup", "scroll_page(-1)", "Scroll up", show=False),
        Binding("pagedown,shift+pagedown", "scroll_page(1)", "Scroll down", show=False),
        Binding("ctrl+home", "scroll_edge(-1)", "Top of the scrollback", show=False),
        Binding("ctrl+end", "scroll_edge(1)", "Bottom of the scrollback", show=False),
    ]

    def __init__(self, engine: "Engine", history: History, **kwargs):
        super().__init__(**kwargs)
        self.engine = engine
        self.history = history
        self.pump: Callable[[], None] = lambda: None
        """Shows the engine events still queued (the app sets it: attributes down)."""
        self.pending: deque[str] = deque()
        self.unseen = 0
        """Lines written while the reader was scrolled up (the border says so)."""
        self._interrupted = False
        self.prompt = engine.session.prompt()
        """The prompt shown now (the session's, with the namespace the console is in)."""

    def compose(self) -> ComposeResult:
        yield Scrollback(max_lines=5000, id="scrollback")
        with Horizontal(id="prompt-row"):
            yield Static(self.prompt, id="prompt", markup=False)
            yield CommandInput(self.history, lambda: self.engine.session.net,
                               placeholder=_(IDLE_HINT), id="command")

    @property
    def scrollback(self) -> Scrollback:
        return self.query_one(Scrollback)

    @property
    def input(self) -> CommandInput:
        return self.query_one(CommandInput)

    @property
    def busy(self) -> bool:
        job = self.engine.foreground
        return job is not None and not job.done

    # -- typing --------------------------------------------------------------
    @on(Input.Submitted, "#command")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        line = event.value       # the prompt emptied itself (CommandInput.action_submit)
        self.history.add(line)
        self.scroll_to_end()
        self.submit(line)

    @on(CommandInput.Pasted)
    def _pasted(self, event: CommandInput.Pasted) -> None:
        """A pasted block: each line runs in turn (queued like type-ahead while a
        command runs; a failing line does not stop the next), the unfinished last
        line stays in the prompt."""
        event.stop()
        self.scroll_to_end()
        for line in event.lines:
            self.history.add(line)
            self.submit(line)
        self.input.value = event.rest
        self.input.cursor_position = len(event.rest)

    # -- reading back --------------------------------------------------------------
    def action_scroll_page(self, pages: int) -> None:
        """PgUp/PgDn (and with Shift, as terminals do): scroll the console by a page."""
        sb = self.scrollback
        sb.scroll_to(y=max(0, sb.scroll_y + pages * max(1, sb.size.height - 1)),
                     animate=False, immediate=True)
        self._after_scroll()

    def action_scroll_edge(self, direction: int) -> None:
        sb = self.scrollback
        if direction < 0:
            sb.scroll_to(y=0, animate=False, immediate=True)
        else:
            sb.scroll_to_end()
        self._after_scroll()

    def scroll_to_end(self) -> None:
        """Back to the newest line (a command typed after reading back, as terminals do)."""
        if not self.scrollback.pinned:
            self.scrollback.scroll_to_end()
        self._after_scroll()

    def _after_scroll(self) -> None:
        sb = self.scrollback
        sb.pinned = sb.scroll_y >= sb.max_scroll_y - 1
        if sb.pinned:
            self.unseen = 0
        self._show_position()

    def _show_position(self) -> None:
        """The bottom border: where the reader is, and what came while they read."""
        sb = self.scrollback
        if sb.pinned:
            self.border_subtitle = ""
            return
        more = f"↓ {self.unseen} new line{'s' if self.unseen != 1 else ''} · " \
            if self.unseen else ""
        self.border_subtitle = f"{more}scrolled back: PgDn or Ctrl+End returns"

    def submit(self, line: str) -> None:
        """Run `line` now, or when the foreground job ends."""
        if self.busy:
            self.pending.append(line)
            return
        self._run(line)

    def _pump(self) -> None:
        """Show engine events still queued, so what we write lands after them."""
        self.pump()

    def _run(self, line: str) -> None:
        if not line.strip():
            self._pump()
            self.write(colour_prompt(self.prompt) + line + "\n")
            return
        try:
            self.engine.run_command(line)
        except Exception as err:  # the shell reports its own errors; this is a bug
            self.write(f"vethtui: internal error: {type(err).__name__}: {err}\n")
        self._update_prompt()

    @on(CommandInput.Completions)
    def _list_completions(self, event: CommandInput.Completions) -> None:
        event.stop()
        self._pump()
        width = max(20, self.scrollback.size.width - 1)
        self.write(colour_prompt(self.prompt) + event.line + "\n"
                   + "\n".join(columns(event.candidates, width)) + "\n")

    # -- keys the app routes here ------------------------------------------------------
    def interrupt(self) -> None:
        """Ctrl+C. During a command the terminal flushes its input queue as it sends
        SIGINT (termios without NOFLSH): the lines typed ahead and the one being typed
        are dropped, not run after the command ends."""
        self.pending.clear()
        self._pump()
        if self.busy:
            self.write("^C")
            self._interrupted = True
            self.input.value = ""
            self.engine.interrupt()
            return
        self.write(colour_prompt(self.prompt) + self.input.value + "^C\n")
        self.input.value = ""
        self.history.reset()

    def clear(self) -> None:
        """Ctrl+L and `clear`."""
        self.scrollback.clear()
        self.scrollback.refresh()

    def write(self, text: str) -> None:
        sb = self.scrollback
        if not sb.pinned:
            self.unseen += text.count("\n")
        sb.write(text)
        if not sb.pinned:
            self._show_position()

    # -- engine events ------------------------------------------------------------
    def engine_events(self, events: Iterable[Any]) -> None:
        out: list[str] = []

        def flush() -> None:
            if out:
                self.write("".join(out))
                out.clear()
        for ev in events:
            if isinstance(ev, OutputEvent):
                out.append(ev.text)
            elif isinstance(ev, JobStarted):
                out.append(colour_prompt(self.prompt) + ev.line + "\n")
            elif isinstance(ev, ConsoleNamespace):
                self.prompt = ev.prompt
            elif isinstance(ev, WorldReplaced):
                self.prompt = self.engine.session.prompt()
            elif isinstance(ev, ClearScreen):
                out.clear()
                self.clear()
            elif isinstance(ev, JobDone):
                flush()
                if self._interrupted and not self.busy:
                    # bash ends the line after a job killed by SIGINT (`sleep 9` then ^C)
                    self._interrupted = False
                    lines = self.scrollback.lines
                    if lines and lines[-1]:
                        self.write("\n")
                if not self.busy:
                    self._next_pending()
        flush()
        self._update_prompt()

    def _next_pending(self) -> None:
        while self.pending and not self.busy:
            self._run(self.pending.popleft())

    def _update_prompt(self) -> None:
        busy = self.busy
        prompt = self.query_one("#prompt", Static)
        prompt.set_class(busy, "-busy")
        if str(prompt.content) != self.prompt:
            prompt.update(self.prompt)
        self._fit_placeholder()

    def on_resize(self) -> None:
        # the input is laid out after the console: measure it then
        self.call_after_refresh(self._fit_placeholder)

    def _fit_placeholder(self) -> None:
        """The longest hint that fits the input whole (a cut hint reads as a broken one:
        at 80 columns the console's input has about 30 cells, and a Chinese hint takes
        two a character): the full one, a short one, or none."""
        if self.busy:
            line = self.engine.foreground.line if self.engine.foreground else ""
            hints = (_("running {line}: Ctrl+C interrupts").format(line=repr(line)),
                     _(BUSY_HINT_SHORT))
        else:
            hints = (_(IDLE_HINT), _(IDLE_HINT_SHORT))
        room = self.input.content_size.width - 1      # the cursor's cell
        if room <= 0:                                  # not laid out yet
            text = hints[0]
        else:
            text = next((h for h in hints if cell_len(h) <= room), "")
        if self.input.placeholder != text:
            self.input.placeholder = text
