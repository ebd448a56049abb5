"""The asyncio engine: drives the virtual clock and hands events to the UI.

The simulation itself is synchronous and deterministic (vethtui.kernel). This
module is the bridge to asyncio: a driver task advances the virtual clock in
step with real time (speed 1), faster (speed N), or as fast as it can
("instant"), and wakes early when something new is scheduled. Commands typed
in the console become jobs of a shell Session; their output and the kernel's
rtnetlink-style events are published to subscribers as plain dataclasses, so
widgets never reach into the stack.
"""
from __future__ import annotations

import asyncio
import time
from collections import deque
from dataclasses import dataclass
from typing import Any, Callable, Optional

from .i18n import _
from .explain import explain_command, explain_packet, last_command_with_packets, ns_label
from .kernel.capture import Tap
from .kernel.events import CaptureEvent
from .kernel.world import World
from .tools.shell import Job, Session


@dataclass(frozen=True)
class OutputEvent:
    """Text a command printed (stream is "out" or "err")."""

    job_id: int
    stream: str
    text: str


@dataclass(frozen=True)
class JobStarted:
    job_id: int
    line: str
    net: str            # where it runs: the display name (to show) ...
    net_cookie: int = 0  # ... and the identity (to compare), as the kernel's events


@dataclass(frozen=True)
class JobDone:
    job_id: int
    line: str
    status: int


@dataclass(frozen=True)
class ClockTick:
    """Virtual time moved (published at most a few times a second)."""

    now: float


@dataclass(frozen=True)
class CaptureOpened:
    capture_id: int
    title: str


@dataclass(frozen=True)
class ClearScreen:
    pass


@dataclass(frozen=True)
class ConsoleNamespace:
    """The console entered a namespace (`ip netns exec NS bash`) or left it (`exit`)."""

    name: str          # "host" for the lab's own namespace
    prompt: str        # the prompt the console should now show


@dataclass(frozen=True)
class ClockError:
    """A timer raised (a bug in the simulation): reported, and the clock goes on."""

    message: str


@dataclass(frozen=True)
class ClockPaused:
    """Simulation mode: the virtual clock was paused (True) or let run again (False)."""

    paused: bool


@dataclass(frozen=True)
class CommandQueued:
    """Simulation mode: a command typed while the clock is paused waits to be stepped to."""

    line: str
    net: str            # display name
    net_cookie: int = 0  # identity


@dataclass(frozen=True)
class WorldReplaced:
    """A reset swapped in a new world: views must re-read everything."""

    world: Any


class CaptureSession:
    """A live `tcpdump` shown in a view: a tap, a bounded ring and a formatter.

    As tcpdump reads a kernel ring buffer, the tap only puts each matching
    packet into a bounded ring (`RING` packets); the view drains it on a timer
    and formats packets then, within a time budget (`drain`), so a view costs
    nothing while the stack is busy and the screen stays responsive under a
    flood. A packet that arrives while the ring is full is not kept: it is
    counted in `not_shown` (tcpdump's "packets dropped by kernel", which the
    closing counters print), as tcpdump loses what it cannot keep up with.
    """

    RING = 4096

    def __init__(self, engine: "Engine", capture_id: int, net, iface: str, ifindex: Optional[int],
                 opts, match, limit: int = 50000):
        from .tools.tcpdump.main import LineFormatter, link_type_line  # loaded at the first capture
        self.engine = engine
        self.id = capture_id
        self.net = net
        self.iface = iface
        self.ifindex = ifindex
        self.opts = opts
        self.match = match
        self.formatter = LineFormatter(opts, ifindex is None, engine.world.epoch)
        self.pending: deque[tuple[str, Optional[int]]] = deque()   # lines to show first
        self.ring: deque[CaptureEvent] = deque()                    # packets not yet shown
        self.closing: deque[tuple[str, Optional[int]]] = deque()   # after the last packet
        self.captured = 0
        self.seen = 0
        self.not_shown = 0
        self.paused = False
        self.running = True
        self.events: deque[CaptureEvent] = deque(maxlen=limit)   # what export writes
        own = net is engine.world.init_net
        title = f"{iface}" if own else f"{ns_label(net.display_name, own)}:{iface}"
        self.title = title
        self.filter_text = " ".join(opts.expr)
        """The tcpdump filter the view was opened with ("" for none)."""
        if opts.verbose == 0:
            self.pending.append(("tcpdump: verbose output suppressed, use -v[v]... for full "
                                 "protocol decode", None))
        self.pending.append((link_type_line(iface).rstrip("\n"), None))
        self.tap = Tap(net, ifindex, self._sink, self._gone)

    def _sink(self, ev: CaptureEvent) -> None:
        self.seen += 1
        o = self.opts
        if o.direction == "in" and ev.direction == "Out":
            return
        if o.direction == "out" and ev.direction != "Out":
            return
        if not self.match(ev):
            return
        if self.paused:
            return
        if len(self.ring) >= self.RING:
            self.not_shown += 1
            return
        self.captured += 1
        self.ring.append(ev)
        if o.count and self.captured >= o.count:
            self.stop()

    def _gone(self) -> None:
        self._closing([("tcpdump: pcap_loop: The interface disappeared", None)])
        self.stop()

    def _closing(self, lines: list[tuple[str, Optional[int]]]) -> None:
        """tcpdump's last words come after every packet it took from the ring."""
        self.closing.extend(lines)

    def stop(self) -> None:
        if not self.running:
            return
        self.running = False
        self.tap.close()
        c = self.captured
        s = max(c + self.not_shown, self.seen)
        d = self.not_shown
        self._closing([(f"{c} packet{'s' if c != 1 else ''} captured", None),
                       (f"{s} packet{'s' if s != 1 else ''} received by filter", None),
                       (f"{d} packet{'s' if d != 1 else ''} dropped by kernel", None)])
        self.engine._publish(CaptureStopped(self.id))

    def clear(self) -> None:
        """The view was cleared: what it holds (and would export) starts again."""
        self.ring.clear()
        self.events.clear()

    def export(self, path: str) -> int:
        """Write the packets the view holds to `path` as `tcpdump -w` would (Ethernet, or
        Linux cooked v2 for a view on "any"); returns how many. Only where the user asks."""
        from .tools.tcpdump import api
        return api.export_pcap(path, list(self.events),
                               iface="any" if self.ifindex is None else self.iface,
                               epoch=self.engine.world.epoch)

    def drain(self, max_lines: int = 2000, budget: float = float("inf"),
              directions: Optional[list[str]] = None) -> list[tuple[str, Optional[int]]]:
        """Lines to show, in order: tcpdump's startup lines, packets formatted now
        (at most `max_lines`, stopping once `budget` seconds of formatting are
        spent), and, once the ring is empty, tcpdump's closing lines. `directions`,
        when given, gets each line's direction ("In", "Out", ...; "" for tcpdump's
        own lines). The wall clock is read every 8 lines (every 32 until the fourth
        session, when the engine's slice changed the same way: the edit took both), so a
        view overshoots its share of the budget by a few lines at most."""
        out: list[tuple[str, Optional[int]]] = []
        while self.pending and len(out) < max_lines:
            out.append(self.pending.popleft())
        if directions is not None:
            directions.extend([""] * len(out))
        fmt = self.formatter.line
        ring = self.ring
        deadline = time.monotonic() + budget
        n = 0
        while ring and len(out) < max_lines:
            ev = ring.popleft()
            out.append((fmt(ev), ev.skb_id))
            self.events.append(ev)
            if directions is not None:
                directions.append(ev.direction)
            n += 1
            if n & 7 == 0 and time.monotonic() > deadline:
                break
        if not ring:
            while self.closing and len(out) < max_lines:
                out.append(self.closing.popleft())
                if directions is not None:
                    directions.append("")
        return out

    @property
    def backlog(self) -> int:
        """Packets taken but not yet shown."""
        return len(self.ring)


@dataclass(frozen=True)
class CaptureStopped:
    capture_id: int


class Engine:
    """One lab: its world, the console's shell session, and the clock driver."""

    def __init__(self, world: World, speed: str = "1", lab_name: str = ""):
        self.world = world
        self.lab_name = lab_name
        self.session = Session(world, world.init_net, script=False, tty=True,
                               on_clear=lambda: self._publish(ClearScreen()))
        self.session.capture_hook = self._capture_hook
        self.session.on_net_change = self._net_changed
        self.speed = self._parse_speed(speed)
        self._subs: list[Callable[[Any], None]] = []
        self._jobs: dict[int, Job] = {}
        self._next_job = 1
        self._captures: dict[int, CaptureSession] = {}
        self._next_capture = 1
        self._wake: Optional[asyncio.Event] = None
        self._driver: Optional[asyncio.Task] = None
        self._last_tick = -1.0
        self.foreground: Optional[Job] = None
        self._queued: list = []      # simulation mode: (line, net, foreground) typed while paused
        world.bus.subscribe(self._publish)
        world.sched.on_new_deadline = self._poke

    # -- speed ----------------------------------------------------------------
    @staticmethod
    def _parse_speed(speed: str) -> float:
        if str(speed) == "instant":
            return float("inf")
        try:
            v = float(speed)
        except ValueError:
            raise ValueError(f"vethtui: bad --speed value: {speed!r} (a number or 'instant')")
        if v <= 0:
            raise ValueError(f"vethtui: bad --speed value: {speed!r}")
        return v

    def set_speed(self, speed: str) -> None:
        self.speed = self._parse_speed(speed)
        self._anchor()
        self._poke()

    # -- events ---------------------------------------------------------------
    def subscribe(self, fn: Callable[[Any], None]) -> Callable[[], None]:
        self._subs.append(fn)

        def unsubscribe() -> None:
            if fn in self._subs:
                self._subs.remove(fn)
        return unsubscribe

    def _publish(self, event: Any) -> None:
        for fn in list(self._subs):
            fn(event)

    def _net_changed(self, net) -> None:
        self._publish(ConsoleNamespace(net.display_name, self.session.prompt()))

    # -- commands -------------------------------------------------------------
    def run_command(self, line: str, net=None, foreground: bool = True) -> Job:
        """Start a console command; output arrives as OutputEvent, the end as JobDone.

        A foreground command is the one Ctrl+C reaches; `foreground=False` (a
        capture opened from a pane while ping runs) leaves that one in place.
        While the clock is paused the line waits (`CommandQueued`, returns None) until
        stepping reaches it (`step_kernel`)."""
        if self.paused or self._queued:
            self._queued.append((line, net, foreground))
            where = net or self.session.net
            self._publish(CommandQueued(line, where.display_name, where.net_cookie))
            if not self.paused:
                self._start_queued()
            return None
        return self._run_now(line, net, foreground)

    def _run_now(self, line: str, net=None, foreground: bool = True) -> Job:
        job_id = self._next_job
        self._next_job += 1
        target = net or self.session.net

        def write(stream: str, text: str, job_id=job_id) -> None:
            self._publish(OutputEvent(job_id, stream, text))
        self._publish(JobStarted(job_id, line, target.display_name, target.net_cookie))
        job = self.session.start(line, write, net=target)
        job.id = job_id
        self._jobs[job_id] = job
        previous = self.foreground
        if foreground:
            self.foreground = job

        def done(j: Job, job_id=job_id, line=line) -> None:
            self._jobs.pop(job_id, None)
            if self.foreground is j:
                # a command that ended at once (tcpdump opening a view) gives
                # Ctrl+C back to the one that was running
                self.foreground = previous if previous is not None and not previous.done \
                    else None
            self._publish(JobDone(job_id, line, j.status if j.status is not None else 0))
            if self._queued and not self.paused:
                self._start_queued()
        job.add_done_callback(done)
        self._poke()
        return job

    def interrupt(self) -> bool:
        """Ctrl+C: SIGINT to the foreground job, if any."""
        job = self.foreground
        if job is None or job.done:
            return False
        job.interrupt()
        self._poke()
        return True

    # -- captures ---------------------------------------------------------------
    def _capture_hook(self, proc, opts, net, iface: str, ifindex, match) -> int:
        cs = self.open_capture(net, iface, ifindex, opts, match)
        # vethtui's own line (tcpdump itself prints nothing like it): in the UI's language
        proc.out(_("tcpdump: capturing on {view} in a view (Ctrl+W closes it)").format(
            view=cs.title) + "\n")
        return 0

    def open_capture(self, net, iface: str, ifindex: Optional[int], opts=None,
                     match=None) -> CaptureSession:
        from .tools.tcpdump.main import TcpdumpOpts
        opts = opts or TcpdumpOpts(iface=iface, numeric=1)
        match = match or (lambda ev: True)
        cid = self._next_capture
        self._next_capture += 1
        cs = CaptureSession(self, cid, net, iface, ifindex, opts, match)
        self._captures[cid] = cs
        self._publish(CaptureOpened(cid, cs.title))
        return cs

    def capture(self, capture_id: int) -> Optional[CaptureSession]:
        return self._captures.get(capture_id)

    def close_capture(self, capture_id: int) -> None:
        cs = self._captures.pop(capture_id, None)
        if cs is not None:
            cs.stop()

    # -- the clock driver ---------------------------------------------------------
    def _anchor(self) -> None:
        self._wall0 = time.monotonic()
        self._virt0 = self.world.sched.now

    def _poke(self) -> None:
        if self._wake is not None:
            self._wake.set()

    async def start(self) -> None:
        """Start driving the clock (call from inside a running event loop)."""
        if self._driver is not None:
            return
        self._wake = asyncio.Event()
        self._anchor()
        self._driver = asyncio.create_task(self._drive())

    async def stop(self) -> None:
        if self._driver is not None:
            self._driver.cancel()
            try:
                await self._driver
            except asyncio.CancelledError:
                pass
            self._driver = None

    def busy(self) -> bool:
        """Is a command waiting on the clock? (An open capture alone does not count:
        watching a quiet link must not make an instant clock race ahead.)"""
        return bool(self._jobs)

    SLICE = 0.004
    """Seconds of wall time the simulation may run before the UI gets the loop back: the
    longest a key waits behind the simulation. Under a flood 4 ms (was 8) took the keys'
    p50 from 80 to 63 ms and p95 from 122 to 99-113 ms, the simulation then running less
    of the time (the eth0 view took 1240-1440 frames/s instead of 2200)."""

    BREATHER = 0.002
    """Seconds the simulation leaves the loop to the UI after a slice it could not finish
    (a flood at real speed). With no pause (sleep(0)) the engine was ready again at once,
    and each hop of a key through Textual's queues (driver, app, screen, prompt) waited
    for another whole slice."""

    def _run_slice(self, target: float, while_busy: bool = False) -> bool:
        """Run timers due by virtual time `target` for at most SLICE seconds of wall
        time; True when all of them ran. The wall clock is read every 8 timers: under a
        flood with three captures a timer can take 0.3 ms, and every 32 let a 4 ms slice
        run to 10-19 ms (seen on the pty), a key waiting behind it.

        `while_busy` (an instant clock's sprint): stop as soon as no command waits
        on the clock any more. The sprint exists for the command; once it has
        ended (`iptables -A` at once, `ping -c 3` after its last reply) the rest of
        the slice would run the kernel's timers hours ahead (router solicitations,
        conntrack timeouts) in the few milliseconds left."""
        sched = self.world.sched
        jobs = self._jobs
        deadline = time.monotonic() + self.SLICE
        n = 0
        while True:
            if while_busy and not jobs:
                return True
            nxt = sched.next_deadline()
            if nxt is None or nxt > target:
                if sched.now < target < float("inf"):
                    sched.run_due(target)      # no timer left: the clock reaches target
                return True
            sched.step()
            n += 1
            if n & 7 == 0 and time.monotonic() > deadline:
                return False

    async def _drive(self) -> None:
        """Advance virtual time in slices, yielding to the UI between them.

        Instant speed sprints timer to timer while a command waits; otherwise
        virtual time follows the wall clock (times the speed). When the
        simulation cannot keep up (a flood ping at real speed), virtual time
        falls behind instead of the screen freezing: after each slice the loop
        yields, and the anchor moves so the backlog is not chased."""
        sched = self.world.sched
        sprinting = False
        while True:
            self._wake.clear()
            if self.paused:              # simulation mode: only step_kernel moves time
                await self._wake.wait()
                continue
            try:
                if self.speed == float("inf") and self.busy():
                    # instant: jump timer to timer while a command waits on the clock;
                    # idle, time runs at real speed (the kernel's hourly timers must
                    # not race ahead years)
                    sprinting = True
                    self._run_slice(float("inf"), while_busy=True)
                    self._tick()
                    if sched.next_deadline() is not None:
                        await asyncio.sleep(0)
                        continue
                    await self._wake.wait()
                    continue
                if sprinting:
                    sprinting = False
                    self._anchor()
                speed = 1.0 if self.speed == float("inf") else self.speed
                target = self._virt0 + (time.monotonic() - self._wall0) * speed
                if not self._run_slice(target):
                    # behind: let the UI run, and let virtual time slip to where it is
                    self._tick()
                    self._wall0 = time.monotonic()
                    self._virt0 = sched.now
                    await asyncio.sleep(self.BREATHER)
                    continue
                self._tick()
                nxt = sched.next_deadline()
                delay = 0.25 if nxt is None else max(0.0, (nxt - sched.now) / speed)
                delay = min(delay, 0.25)
            except Exception as err:   # a timer raised: say so, keep the clock going
                self._publish(ClockError(f"{type(err).__name__}: {err}"))
                delay = 0.0
            try:
                await asyncio.wait_for(self._wake.wait(), timeout=delay)
            except asyncio.TimeoutError:
                pass

    def _tick(self) -> None:
        now = self.world.sched.now
        if now - self._last_tick >= 0.1 or now < self._last_tick:
            self._last_tick = now
            self._publish(ClockTick(now))

    # -- simulation mode (issue 15; vethtui.stepper holds the event list) --------------
    paused = False

    def _start_queued(self) -> bool:
        """Start the first command typed while paused, once the foreground one is done."""
        if not self._queued or (self.foreground is not None and not self.foreground.done):
            return False
        line, net, foreground = self._queued.pop(0)
        self._run_now(line, net, foreground)
        return True

    def pause(self) -> None:
        """Stop the virtual clock: commands typed start only when stepping reaches them."""
        if not self.paused:
            self.paused = True
            self._publish(ClockPaused(True))

    def resume(self) -> None:
        if self.paused:
            self.paused = False
            self._anchor()
            self._poke()
            self._publish(ClockPaused(False))
            self._start_queued()

    def step_kernel(self) -> bool:
        """While paused: start the command typed next if nothing else is due now, else
        jump to the next instant something is scheduled for and run it (a frame's next
        hop, a timer). False when nothing is left to do."""
        sched = self.world.sched
        nxt = sched.next_deadline()
        if self._queued and (nxt is None or nxt > sched.now) and self._start_queued():
            return True
        if nxt is None:
            return False
        ran = sched.step()
        self._tick()
        return ran

    # -- reset ----------------------------------------------------------------------
    def replace_world(self, world: World) -> None:
        """Swap in a new world (a lab reset): captures close, jobs are forgotten,
        the console gets a fresh shell (keeping its clear and capture hooks), the
        clock driver follows the new clock, and subscribers hear WorldReplaced."""
        for cid in list(self._captures):
            self.close_capture(cid)
        for job in list(self._jobs.values()):
            if job.task is not None and not job.task.done:
                job.task.kill()
        self._jobs.clear()
        self._queued.clear()
        self.foreground = None
        driver = self._driver
        if driver is not None:
            driver.cancel()
            self._driver = None
        old = self.world
        old.bus.unsubscribe(self._publish)
        old.sched.on_new_deadline = None
        old_session = self.session
        self.world = world
        self.session = Session(world, world.init_net, script=False, tty=True,
                               on_clear=old_session.on_clear)
        self.session.capture_hook = old_session.capture_hook
        self.session.on_net_change = self._net_changed
        world.bus.subscribe(self._publish)
        world.sched.on_new_deadline = self._poke
        self._last_tick = -1.0
        if driver is not None:
            try:
                asyncio.get_running_loop().create_task(self.start())
            except RuntimeError:
                pass
        self._publish(WorldReplaced(world))

    # -- read-only queries for the UI -----------------------------------------------------
    @property
    def driver(self) -> "Optional[asyncio.Task]":
        """The task that runs the clock (None while stopped); the TUI's supervisor
        follows it to report and restart a simulation that failed."""
        return self._driver

    def driver_failed(self) -> None:
        """The driver task ended with an exception: forget it, so start() makes another."""
        self._driver = None

    def namespaces(self) -> list:
        """The lab's own namespace, then every `ip netns` one in the order they were made
        (what a pane can show; hidden namespaces, such as a lab's peers, are not listed)."""
        return [self.world.init_net, *self.world.netns.values()]

    # -- explanations ------------------------------------------------------------------
    def related_packets(self, skb_id: int) -> dict[int, str]:
        """Packet `skb_id` as other capture views see it: {id: "same"} for the packet
        and its copies (the frame veth0 sent is the frame veth1 received; a bridge's
        or a LAN's copies), {id: "caused"} for what it made the stack send (the
        echo reply on lo, an ARP request for it, an ICMP error) and their copies,
        {id: "cause"} for the packet that made it."""
        from .explain import continues
        packets = self.world.packets
        rec = packets.get(skb_id)
        if rec is None:
            return {skb_id: "same"}
        while rec.cause is not None and rec.cause in packets \
                and continues(packets[rec.cause], rec):
            rec = packets[rec.cause]
        children: dict[int, list] = {}
        for r in packets.values():
            if r.cause is not None and r.id != r.cause:
                children.setdefault(r.cause, []).append(r)
        out: dict[int, str] = {}

        def mark(r, relation: str, depth: int = 0) -> None:
            if r.id in out or depth > 8:
                return
            out[r.id] = relation
            for child in children.get(r.id, ()):
                mark(child, relation if continues(r, child) else "caused", depth + 1)
        mark(rec, "same")
        if rec.cause is not None and rec.cause in packets:
            parent = packets[rec.cause]
            out.setdefault(parent.id, "cause")
        return out

    def explain_packet(self, skb_id: int) -> str:
        """The numbered walk-through of one packet (a capture view's selection)."""
        return explain_packet(self.world, skb_id)

    def explain_last(self) -> str:
        """What the last command that made packets met (the console's `explain`)."""
        mark = last_command_with_packets(self.world)
        return explain_command(self.world, mark) if mark is not None else ""

    # -- helpers for tests (no asyncio needed) ---------------------------------------
    def settle(self, seconds: float = 0.0) -> None:
        """Run the clock forward instantly (tests, instant mode)."""
        sched = self.world.sched
        sched.run_due(sched.now + seconds)

    def run_until_done(self, job: Job, limit: float = 3600.0) -> None:
        sched = self.world.sched
        sched.run_while(lambda: not job.done, limit=sched.now + limit)


# Labs sit above the engine: the engine does not import them. The labs package
# registers the function that turns a lab's name or file into a World when it is
# imported (vethtui/labs/__init__.py); a caller may also build the World itself.
_world_loader: Optional[Callable[[str, int], World]] = None


def register_world_loader(loader: Callable[[str, int], World]) -> None:
    """`loader(lab, seed)` builds the World for a lab name or lab file path."""
    global _world_loader
    _world_loader = loader


def make_engine(lab: "str | World", seed: int = 0, speed: str = "1",
                lab_name: str = "") -> Engine:
    """An engine over `lab`: a World already built, or a lab name or file for the
    registered loader (importing vethtui.labs registers it)."""
    if isinstance(lab, World):
        return Engine(lab, speed, lab_name=lab_name)
    if _world_loader is None:
        raise RuntimeError("make_engine: no lab loader registered (import vethtui.labs first)")
    return Engine(_world_loader(lab, seed), speed, lab_name=lab_name or lab)
