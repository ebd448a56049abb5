"""Virtual time: a timer heap and the coroutine runner for simulated processes.

The whole simulation runs on one virtual clock. Nothing here reads the wall
clock: the headless runner jumps from timer to timer ("instant" speed), the
TUI's engine advances the clock in step with real time (or faster). This is
smoltcp's `poll(timestamp)` idea: time is an input, so the same seed and the
same commands always give the same transcript.

Processes (ping, tcpdump, sleep) are ordinary `async def` coroutines, but they
are driven by this scheduler, not by asyncio: they await the small primitives
below (`Sleep`, `Event`), and the scheduler resumes them at the right virtual
instant. That keeps the simulation deterministic and lets asyncio (the TUI)
drive the clock from outside without any of its private internals.
"""
from __future__ import annotations

import heapq
from heapq import heappush
from typing import Any, Callable, Coroutine, Optional


class Timer:
    """A scheduled callback; cancelling is lazy (the heap entry stays, emptied).

    The heap holds entries `[when, seq, fn, args]`; a Timer is the handle of
    one, for the callers that may cancel. Cancelling empties the entry's
    function, and whoever pops an empty entry skips it.
    """

    __slots__ = ("when", "_entry", "cancelled")

    def __init__(self, when: float, entry: list):
        self.when = when
        self._entry = entry
        self.cancelled = False

    def cancel(self) -> None:
        self.cancelled = True
        self._entry[2] = None


class Scheduler:
    """A heap of timers on a virtual clock measured in seconds (float)."""

    def __init__(self, start: float = 0.0):
        self.now = start
        self._heap: list[list] = []   # [when, seq, fn or None, args]
        self._seq = 0
        # Listeners told when a timer earlier than every other is added, so
        # a real-time driver sleeping until the old deadline can wake up.
        self.on_new_deadline: Optional[Callable[[], None]] = None

    def call_at(self, when: float, fn: Callable, *args: Any) -> Timer:
        if when < self.now:
            when = self.now
        self._seq += 1
        entry = [when, self._seq, fn, args]
        heap = self._heap
        if self.on_new_deadline is not None and (not heap or when < heap[0][0]):
            heapq.heappush(heap, entry)
            self.on_new_deadline()
        else:
            heapq.heappush(heap, entry)
        return Timer(when, entry)

    def post(self, when: float, fn: Callable, *args: Any) -> None:
        """call_at for a callback nobody will cancel: no Timer handle is made (the
        backlog's drain and a woken process, once or more per packet in a flood)."""
        if when < self.now:
            when = self.now
        seq = self._seq = self._seq + 1
        heap = self._heap
        if self.on_new_deadline is not None and (not heap or when < heap[0][0]):
            heappush(heap, [when, seq, fn, args])
            self.on_new_deadline()
        else:
            heappush(heap, [when, seq, fn, args])

    def call_later(self, delay: float, fn: Callable, *args: Any) -> Timer:
        return self.call_at(self.now + max(0.0, delay), fn, *args)

    def call_soon(self, fn: Callable, *args: Any) -> Timer:
        """Run at the current instant, after everything already due now."""
        return self.call_at(self.now, fn, *args)

    def next_deadline(self) -> Optional[float]:
        heap = self._heap
        while heap and heap[0][2] is None:
            heapq.heappop(heap)
        return heap[0][0] if heap else None

    def run_due(self, until: float) -> int:
        """Run every timer due at or before `until`; the clock ends at `until`."""
        ran = 0
        heap = self._heap
        while heap:
            when, _, fn, args = heap[0]
            if when > until:
                break
            heapq.heappop(heap)
            if fn is None:
                continue
            if when > self.now:
                self.now = when
            fn(*args)
            ran += 1
        if until > self.now:
            self.now = until
        return ran

    def step(self) -> bool:
        """Jump to the next deadline and run everything due then."""
        nxt = self.next_deadline()
        if nxt is None:
            return False
        self.run_due(nxt)
        return True

    def run_while(self, cond: Callable[[], bool], limit: float = float("inf")) -> bool:
        """Advance instantly, timer by timer, while `cond()` holds and time < limit.

        Returns False when the simulation stopped making progress: a very
        large number of steps without the clock moving (a livelock, such as a
        packet loop with no TTL to stop it), so the caller can intervene.
        """
        still = 0     # instants run in a row without the clock moving
        heap = self._heap
        pop = heapq.heappop
        while cond():
            # next_deadline() and run_due(next) inlined: this loop is the
            # simulation's heartbeat, run once per packet hop in a flood
            while heap and heap[0][2] is None:
                pop(heap)
            if not heap:
                break
            entry = heap[0]
            nxt = entry[0]
            if nxt > limit:
                break
            if nxt > self.now:
                self.now = nxt
                still = 0
            else:
                still += 1
            while True:     # everything due at nxt, the head first
                pop(heap)
                fn = entry[2]
                if fn is not None:
                    fn(*entry[3])
                if not heap:
                    break
                entry = heap[0]
                if entry[0] > nxt:
                    break
            if still > 200000:
                return False
        return True

    def pending(self) -> int:
        return sum(1 for entry in self._heap if entry[2] is not None)


# ---------------------------------------------------------------- processes

class Interrupted(Exception):
    """Thrown into a process at its await point: SIGINT (Ctrl+C)."""


class Wait:
    """Base awaitable: a process yields it and the runner arms it."""

    def __await__(self):
        return (yield self)

    def arm(self, task: "Task") -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def disarm(self) -> None:
        pass


class Sleep(Wait):
    __slots__ = ("delay", "_timer")

    def __init__(self, delay: float):
        self.delay = delay
        self._timer: Optional[Timer] = None

    def arm(self, task: "Task") -> None:
        self._timer = task.sched.call_later(self.delay, task._resume, None)

    def disarm(self) -> None:
        if self._timer:
            self._timer.cancel()


class Event(Wait):
    """A one-shot or re-armable event carrying a value to its waiter.

    `wake_delay` is the scheduling latency of the waiting process: a socket
    reader is woken that long after the packet is queued, by when a burst
    that arrived together is all in the queue.

    A wait's timeout is a deadline checked by one lazy timer: a flood ping
    waits with a new 10 ms timeout for every packet, and re-arming a timer
    only when it fires (or when a deadline comes earlier) keeps that to one
    timer per 10 ms instead of one per packet. Expiry happens at the exact
    deadline either way.
    """

    def __init__(self, sched: Scheduler, wake_delay: float = 0.0):
        self.sched = sched
        self.wake_delay = wake_delay
        self._waiter: Optional[Task] = None
        self._timer: Optional[Timer] = None
        self._deadline: Optional[float] = None
        self._deadline_task: Optional["Task"] = None
        self.is_set = False
        self.value: Any = None

    def set(self, value: Any = None) -> None:
        self.is_set = True
        self.value = value
        task = self._waiter
        if task is not None:
            self._waiter = None
            self._deadline = None       # the pending timer finds nothing to expire
            sched = self.sched
            delay = self.wake_delay
            sched.post(sched.now + (delay if delay > 0.0 else 0.0), task._step, True, None)

    def _check_deadline(self) -> None:
        self._timer = None
        when = self._deadline
        if when is None or self._waiter is None:
            return
        if self.sched.now >= when:
            task = self._deadline_task
            self._waiter = None
            self._deadline = None
            task._resume(False)
        else:
            self._timer = self.sched.call_at(when, self._check_deadline)

    def clear(self) -> None:
        self.is_set = False
        self.value = None

    def wait(self, timeout: Optional[float] = None) -> "EventWait":
        return EventWait(self, timeout)

    def arm(self, task: "Task") -> None:
        EventWait(self, None).arm(task)


class EventWait(Wait):
    """Wait for an event with an optional timeout; resumes with True if set."""

    def __init__(self, event: Event, timeout: Optional[float]):
        self.event = event
        self.timeout = timeout

    def arm(self, task: "Task") -> None:
        ev = self.event
        if ev.is_set:
            task.sched.call_later(ev.wake_delay, task._resume, True)
            return
        ev._waiter = task        # set() resumes it with True
        timeout = self.timeout
        if timeout is not None:
            # the deadline, and the one lazy timer re-armed only for an earlier one
            when = task.sched.now + (timeout if timeout > 0.0 else 0.0)
            ev._deadline = when
            ev._deadline_task = task
            t = ev._timer
            if t is None or t.cancelled or t.when > when:
                if t is not None:
                    t.cancel()
                ev._timer = ev.sched.call_at(when, ev._check_deadline)
        else:
            ev._deadline = None

    def disarm(self) -> None:
        ev = self.event
        ev._waiter = None
        ev._deadline = None


class Task:
    """A process: a coroutine stepped by the scheduler on virtual time."""

    def __init__(self, sched: Scheduler, coro: Coroutine, name: str = "",
                 on_done: Optional[Callable[["Task"], None]] = None):
        self.sched = sched
        self.coro = coro
        self.name = name
        self.done = False
        self.result: Any = None
        self.error: Optional[BaseException] = None
        self._waiting: Optional[Wait] = None
        self._on_done = [on_done] if on_done else []
        sched.call_soon(self._resume, None)

    def add_done_callback(self, fn: Callable[["Task"], None]) -> None:
        if self.done:
            fn(self)
        else:
            self._on_done.append(fn)

    def _resume(self, value: Any) -> None:
        self._step(value, None)

    def _step(self, value: Any, exc: Optional[BaseException]) -> None:
        if self.done:
            return
        self._waiting = None
        try:
            if exc is not None:
                req = self.coro.throw(exc)
            else:
                req = self.coro.send(value)
        except StopIteration as stop:
            self._finish(stop.value, None)
            return
        except Interrupted:
            self._finish(130, None)
            return
        except Exception as err:  # a bug in a tool: report, never hang
            self._finish(None, err)
            return
        if not isinstance(req, Wait):
            self._finish(None, TypeError(f"process awaited {req!r}"))
            return
        self._waiting = req
        req.arm(self)

    def interrupt(self) -> None:
        """Deliver SIGINT: the coroutine sees `Interrupted` at its await."""
        if self.done:
            return
        if self._waiting is not None:
            self._waiting.disarm()
            self._waiting = None
        self.sched.call_soon(self._step, None, Interrupted())

    def kill(self, status: int = 137) -> None:
        """Stop without giving the process a chance to print (SIGKILL; SIGTERM's 143 for a
        process that does not handle it)."""
        if self.done:
            return
        if self._waiting is not None:
            self._waiting.disarm()
        self.coro.close()
        self._finish(status, None)

    def _finish(self, result: Any, error: Optional[BaseException]) -> None:
        self.done = True
        self.result = result
        self.error = error
        for fn in self._on_done:
            fn(self)
        self._on_done.clear()
