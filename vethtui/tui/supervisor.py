"""Keeps the engine's clock driver running, and reports (never raises) its failures.

The engine drives virtual time from an asyncio task. Should a timer raise
(a bug in the simulation), that task ends and time would silently stop, and
the error would surface only as a traceback when the app quits. The
supervisor prints the error in the console, as the shell prints an internal
error, and starts the driver again (a few times at most).
"""
from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Callable

from ..engine import ClockError

if TYPE_CHECKING:  # pragma: no cover
    from ..engine import Engine

RESTARTS = 5


class ClockSupervisor:
    def __init__(self, engine: "Engine", report: Callable[[str], None]):
        self.engine = engine
        self.report = report
        self.failures = 0
        self._stopping = False
        self._watched: asyncio.Task | None = None
        engine.subscribe(self._on_event)

    def _on_event(self, event) -> None:
        # called for every event the engine publishes (thousands a second in a flood)
        if isinstance(event, ClockError):
            self.report(f"vethtui: internal error in the simulation: {event.message}\n")

    async def start(self) -> None:
        await self.engine.start()
        self.watch()

    def watch(self) -> None:
        """Follow the engine's driver task (again, after Engine.replace_world made a new one)."""
        task = self.engine.driver
        if isinstance(task, asyncio.Task) and task is not self._watched:
            self._watched = task
            task.add_done_callback(self._done)

    def _done(self, task: asyncio.Task) -> None:
        if self._stopping or task.cancelled():
            return
        err = task.exception()
        if err is None:
            return
        self.failures += 1
        self.engine.driver_failed()
        if self.failures > RESTARTS:
            self.report(f"vethtui: internal error: the clock stopped: "
                        f"{type(err).__name__}: {err}\n")
            return
        self.report(f"vethtui: internal error in the simulation: {type(err).__name__}: {err}\n")
        asyncio.get_running_loop().create_task(self.start())

    async def stop(self) -> None:
        self._stopping = True
        try:
            await self.engine.stop()
        except Exception:   # already reported when it happened
            self.engine.driver_failed()
