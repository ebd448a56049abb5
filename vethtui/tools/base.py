"""What every tool gets: a process context, exit(), and iproute2's `matches`.

A tool is `def main(proc, argv) -> int` (or `async def` when it waits on the
clock, like ping and tcpdump). It writes to `proc.out`/`proc.err`, which the
shell merges in order, as a terminal or the oracle's pipe shows them, and
ends with a status; `raise Exit(n)` plays the part of C's exit(n).
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Callable, Optional

from ..kernel.clock import Event, EventWait, Sleep

if TYPE_CHECKING:  # pragma: no cover
    from ..kernel.netns import Net
    from ..kernel.world import World


class Exit(Exception):
    """exit(status) from anywhere inside a tool."""

    def __init__(self, status: int):
        super().__init__(status)
        self.status = status & 0xFF


class Proc:
    """The process a tool runs as: its namespace, its output, its clock."""

    def __init__(self, world: "World", net: "Net", write: Callable[[str, str], None],
                 tty: bool = False, session=None, argv0: str = ""):
        self.world = world
        self.net = net
        self._write = write
        self.tty = tty
        self.session = session
        self.argv0 = argv0
        self.stdin_lines: list[str] = []
        self.background = False
        self.interrupted = False
        self.on_capture_start: Optional[Callable] = None

    # -- output -----------------------------------------------------------
    def note(self, text: str) -> None:
        """Something `explain` should tell about this command (not printed now)."""
        mark = getattr(self.session, "current_mark", None)
        if mark is not None:
            mark.notes.append(text)

    def out(self, text: str) -> None:
        if text:
            self._write("out", text)

    def err(self, text: str) -> None:
        if text:
            self._write("err", text)

    def outln(self, text: str = "") -> None:
        self._write("out", text + "\n")

    def errln(self, text: str = "") -> None:
        self._write("err", text + "\n")

    # -- time -------------------------------------------------------------
    @property
    def now(self) -> float:
        return self.world.sched.now

    def sleep(self, seconds: float) -> Sleep:
        return Sleep(seconds)

    def event(self) -> Event:
        return Event(self.world.sched)

    def wait(self, event: Event, timeout: Optional[float]) -> EventWait:
        return event.wait(timeout)


def matches(word: str, pattern: str) -> bool:
    """iproute2's matches(): `word` is a non-empty prefix of `pattern`."""
    return bool(word) and len(word) <= len(pattern) and pattern.startswith(word)


class ArgError(Exception):
    """A parse error already worded as the tool words it, with its status."""

    def __init__(self, message: str, status: int):
        super().__init__(message)
        self.message = message
        self.status = status
