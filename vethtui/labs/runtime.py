"""A lab being done: its world, the current step, live checks, hints, resets and progress.

`LabRuntime(spec, target)` works over an Engine (the app: commands typed in the
console, events from `engine.subscribe`) or over a bare World (headless: the
runtime runs commands itself, as `vethtui lab test` does). It

- taps every namespace (the lab's own and each `ip netns` one, as they
  appear) and counts the packets each packet check of the current step wants;
- keeps the commands run since the step began, with output and exit status;
- evaluates the current step's checks after every command, every packet, and
  after kernel state changes (those are noted at once and evaluated at the
  next command end, packet or clock tick, so a check never sees a half-made
  change); a step whose checks all pass is ticked off (for good), its checks
  are shown as they stood then, and (with auto_advance) the next step becomes
  current; in the app (auto_advance=False) the passed step stays on screen
  with its success text until the learner moves on;
- reveals hints one at a time; resets a step or the whole lab;
- saves progress (done steps, current step, hints shown) as JSON in the
  user's data directory, atomically, and resumes it on the next start; what
  it could not do (a corrupt file, kept aside; an unwritable directory) and a
  resume are one-line notices for the console (`take_notices`).

Reset: the world is rebuilt from the lab's setup and the reference solutions
of the steps before the current one are replayed into it, silently. So
"reset step" gives the state the step was designed to start from, whatever
the learner did; "reset lab" rebuilds the setup alone and clears progress.
Resuming a saved lab does the same replay, so step 3 starts from the state
steps 1 and 2 leave behind. (Replaying the learner's own commands instead
would also replay their mistakes.)

Listeners (`on_change`) get a `Progress` snapshot, only when it changed.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Optional

from ..engine import WorldReplaced as LabWorldReplaced  # noqa: F401  (re-exported: one event for resets)
from ..kernel.capture import Tap
from ..kernel.events import (AddrEvent, CaptureEvent, LinkEvent, NeighEvent, NetnsEvent,
                             RouteEvent, SysctlEvent)
from ..kernel.world import World
from ..paths import data_dir
from . import models as m
from ..i18n import gettext_in
from .checks import (HOST, CheckResult, CommandRun, Context, PacketMatcher, PacketSeen,
                     describe, evaluate, lab_netns)
from .files import build_world, run_quietly

SETTLE_S = 4.0          # after a solution, let late ARP retries and timeouts happen
SETTLE_STEP_S = 0.05
STATE_EVENTS = (LinkEvent, AddrEvent, RouteEvent, NeighEvent, SysctlEvent, NetnsEvent)


@dataclass(frozen=True)
class StepStatus:
    index: int
    title: str
    done: bool


@dataclass(frozen=True)
class Progress:
    """Everything the lab pane shows, in the learner's language."""

    lab_title: str
    step: int
    steps: tuple[StepStatus, ...]
    step_title: str
    step_text: str
    checks: tuple[CheckResult, ...]
    hints: tuple[str, ...]
    hints_total: int
    passed: bool
    success: str
    complete: bool

    @property
    def done_count(self) -> int:
        return sum(1 for s in self.steps if s.done)


# ---------------------------------------------------------------- saved progress

PROGRESS_FORMAT = 1


class ProgressProblem(Exception):
    """A saved progress file that cannot be used or written: one line, for the learner.
    `text(lang)` says it in the learner's language."""

    def __init__(self, template: str, **fields: Any) -> None:
        super().__init__(template.format(**fields))
        self.template = template
        self.fields = fields

    def text(self, lang: str = "en") -> str:
        fields = {k: gettext_in(v, lang) if k == "kept" else v for k, v in self.fields.items()}
        if "kept" in fields:
            fields["kept"] = fields["kept"].format(**self.fields)
        return gettext_in(self.template, lang).format(**fields)


class ProgressStore:
    """One JSON file per lab under DATA_DIR/progress/.

    Writes are atomic (a private temporary file in the same directory, then
    rename), so two vethtui processes on the same lab never leave a half-written
    file: the last one to save wins. A file that cannot be used (not JSON,
    another format, another version of the lab) is moved aside, never
    overwritten, and `load` raises ProgressProblem saying where it went.
    """

    def __init__(self, root: Optional[Path] = None):
        self.root = Path(root) if root is not None else data_dir() / "progress"

    def path(self, lab_id: str) -> Path:
        safe = re.sub(r"[^A-Za-z0-9_.-]", "_", lab_id) or "lab"
        return self.root / f"{safe}.json"

    def load(self, lab_id: str, fingerprint: Optional[str] = None) -> Optional[dict]:
        """The saved progress, None when there is none; ProgressProblem when there is
        a file that cannot be used (it is moved aside first)."""
        p = self.path(lab_id)
        try:
            text = p.read_text(encoding="utf-8")
        except (FileNotFoundError, NotADirectoryError):
            return None      # nothing saved (saving will say why it cannot)
        except OSError as err:
            raise ProgressProblem("cannot read the saved progress {path}: {err}",
                                  path=p, err=_strerror(err))
        try:
            data = json.loads(text)
        except ValueError:
            data = None
        if not isinstance(data, dict):
            why = "the saved progress {path} is corrupt"
        elif data.get("format") != PROGRESS_FORMAT:
            why = "the saved progress {path} is from an older format"
        elif fingerprint is not None and data.get("fingerprint") != fingerprint:
            why = "the saved progress {path} is for an older version of this lab"
        else:
            return data
        aside = self._move_aside(p)
        raise ProgressProblem(why + " ({kept}); the lab starts afresh", path=p,
                              kept="kept as {aside}" if aside else "left in place",
                              aside=aside)

    def _move_aside(self, p: Path) -> Optional[Path]:
        stamp = time.strftime("%Y%m%d-%H%M%S")
        for k in range(100):
            aside = p.with_name(f"{p.name}.{stamp}{'-' + str(k) if k else ''}.bad")
            try:
                # link + unlink: never replaces an existing file, unlike rename
                os.link(p, aside)
            except FileExistsError:
                continue
            except OSError:
                return None
            try:
                p.unlink()
            except OSError:
                pass
            return aside
        return None

    def save(self, lab_id: str, data: dict) -> None:
        """Write atomically; ProgressProblem when the directory cannot be written."""
        p = self.path(lab_id)
        tmp = None
        try:
            p.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=p.parent, prefix=f".{p.name}.", suffix=".tmp")
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write(json.dumps(data, indent=1, ensure_ascii=False))
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, p)
            tmp = None
        except OSError as err:
            raise ProgressProblem("cannot save progress to {path}: {err}",
                                  path=p, err=_strerror(err))
        finally:
            if tmp is not None:
                try:
                    os.unlink(tmp)
                except OSError:
                    pass

    def clear(self, lab_id: str) -> None:
        try:
            self.path(lab_id).unlink()
        except OSError:
            pass


def _strerror(err: OSError) -> str:
    return err.strerror or str(err)


def fingerprint(spec: m.LabSpec) -> str:
    h = hashlib.sha1()
    for st in spec.steps:
        h.update(m.text_in(st.title, "en").encode())
        h.update("\n".join(st.solution).encode())
    return h.hexdigest()[:12]


# ---------------------------------------------------------------- the runtime

def _is_engine(obj: Any) -> bool:
    return hasattr(obj, "subscribe") and hasattr(obj, "run_command") and hasattr(obj, "world")


class LabRuntime:
    """See the module docstring. `target`: an Engine, a World, or None (build one)."""

    def __init__(self, spec: m.LabSpec, target: Any = None, *, seed: int = 0,
                 lang: str = "en", store: Optional[ProgressStore] = None,
                 resume: bool = True, auto_advance: bool = True):
        self.spec = spec
        self.seed = seed
        self.lang = lang
        self.store = store
        self.auto_advance = auto_advance
        n = len(spec.steps)
        self.done = [False] * n
        self.hints_shown = [0] * n
        self.current = 0
        self.engine = target if _is_engine(target) else None
        if self.engine is not None:
            world = self.engine.world
        elif isinstance(target, World):
            world = target
        else:
            world = build_world(spec, seed)
        self.world: World = world
        if target is not None:
            self.seed = getattr(world, "seed", seed)   # resets rebuild with the same seed
        self._listeners: list[Callable[[Progress], None]] = []
        self._commands: list[CommandRun] = []
        self._jobs: dict[int, CommandRun] = {}
        self._taps: list[Tap] = []
        self._tapped: set[int] = set()
        self._unsub: list[Callable[[], None]] = []
        self._dirty = False
        self._busy = False          # rebuilding or replaying: ignore events
        self._session = None
        self._last: Optional[Progress] = None
        self._results: tuple[CheckResult, ...] = ()
        self._matcher = PacketMatcher([])
        self._notices: list[str] = []
        self._save_failed = False
        self.reset_note = ""
        """What the last reset did, in a line for the console."""
        if resume and store is not None:
            self._restore()
        self._attach()
        self._start_step(self.current, evaluate_now=False)
        self.evaluate()

    # -- wiring ---------------------------------------------------------------
    def _attach(self) -> None:
        if self.engine is not None:
            self._unsub.append(self.engine.subscribe(self._on_engine_event))
        else:
            self._unsub.append(self.world.bus.subscribe(self._on_kernel_event))
        self._tap_all()

    def _detach(self) -> None:
        for fn in self._unsub:
            fn()
        self._unsub.clear()
        for t in self._taps:
            t.close()
        self._taps.clear()
        self._tapped.clear()

    def _tap_all(self) -> None:
        nets = [self.world.init_net] + list(self.world.netns.values())
        for net in nets:
            if net is not None and id(net) not in self._tapped:
                self._tapped.add(id(net))
                self._taps.append(Tap(net, None, self._on_packet))

    def close(self) -> None:
        self._detach()
        self._listeners.clear()

    def take_notices(self) -> list[str]:
        """One-line messages for the console (a resume, a progress file that could not
        be used or saved), in the learner's language; each is handed out once."""
        out, self._notices = self._notices, []
        return out

    def _notice(self, template: str, **fields: Any) -> None:
        self._notices.append(gettext_in(template, self.lang).format(**fields))

    # -- listeners ------------------------------------------------------------
    def on_change(self, fn: Callable[[Progress], None]) -> Callable[[], None]:
        """Call `fn(progress)` whenever what the pane shows changes."""
        self._listeners.append(fn)

        def unsubscribe() -> None:
            if fn in self._listeners:
                self._listeners.remove(fn)
        return unsubscribe

    def _notify(self, force: bool = False) -> None:
        p = self.progress()
        if force or p != self._last:
            self._last = p
            for fn in list(self._listeners):
                fn(p)

    # -- events ---------------------------------------------------------------
    def _on_engine_event(self, ev: Any) -> None:
        if self._busy:
            return
        name = type(ev).__name__
        if name == "JobStarted":
            self._jobs[ev.job_id] = CommandRun(ev.line, self._lab_netns(ev))
        elif name == "OutputEvent":
            run = self._jobs.get(ev.job_id)
            if run is not None:
                run.output += ev.text
        elif name == "JobDone":
            run = self._jobs.pop(ev.job_id, None) or CommandRun(ev.line, HOST)
            run.status = ev.status
            self.record_command(run)
        elif name == "ClockTick":
            if self._dirty:
                self.evaluate()
        else:
            self._on_kernel_event(ev)

    def _lab_netns(self, ev: Any) -> str:
        """The lab's name for the namespace an event names: "host" only for the lab's
        own (by identity: `ip netns add host` makes another with that display name)."""
        own = self.world.init_net
        return lab_netns(ev.net, own is not None and ev.net_cookie == own.net_cookie)

    def _on_kernel_event(self, ev: Any) -> None:
        if self._busy:
            return
        if isinstance(ev, NetnsEvent) and ev.action == "new":
            self._tap_all()
        if isinstance(ev, STATE_EVENTS):
            self._dirty = True

    def _on_packet(self, ev: CaptureEvent) -> None:
        if self._busy:
            return
        p = PacketSeen(self._lab_netns(ev), ev.iface, ev.direction, ev.data, ev.time, ev)
        if self._matcher.see(p) or self._dirty:
            self.evaluate()

    def record_command(self, run: CommandRun) -> None:
        """A command finished (from the engine, or run headlessly): keep it, evaluate."""
        if run.netns == "":
            run.netns = HOST
        self._commands.append(run)
        if len(self._commands) > 500:
            del self._commands[:100]
        self.evaluate()

    # -- evaluation -------------------------------------------------------------
    def check_now(self, index: Optional[int] = None) -> tuple[CheckResult, ...]:
        """The current step's checks evaluated now, with no side effects."""
        i = self.current if index is None else index
        ctx = Context(self.world, self._matcher if i == self.current else None,
                      self._commands if i == self.current else [], self.lang)
        return tuple(evaluate(c, ctx) for c in self.spec.steps[i].checks)

    def evaluate(self) -> Progress:
        """Evaluate the current step; tick it off (and move on) when every check passes."""
        self._dirty = False
        self._results = self.check_now()
        if all(r.ok for r in self._results) and not self.done[self.current]:
            self.done[self.current] = True
            self._save()
            if self.auto_advance and self.current + 1 < len(self.spec.steps):
                self._notify()
                self._start_step(self.current + 1)
                return self.progress()
        self._notify()
        return self.progress()

    def _start_step(self, i: int, evaluate_now: bool = True) -> None:
        self.current = i
        self._matcher = PacketMatcher(list(self.spec.steps[i].checks))
        self._commands = []
        self._save()
        if evaluate_now:
            self.evaluate()

    # -- what the pane shows ---------------------------------------------------------
    def progress(self) -> Progress:
        spec, lang = self.spec, self.lang
        step = spec.steps[self.current]
        shown = self.hints_shown[self.current]
        return Progress(
            lab_title=spec.title(lang),
            step=self.current,
            steps=tuple(StepStatus(i, m.text_in(s.title, lang), self.done[i])
                        for i, s in enumerate(spec.steps)),
            step_title=m.text_in(step.title, lang),
            step_text=m.text_in(step.text, lang),
            checks=self._results if not self.done[self.current] else self.passed_checks(),
            hints=tuple(m.text_in(h, lang) for h in step.hints[:shown]),
            hints_total=len(step.hints),
            passed=self.done[self.current],
            success=m.text_in(step.success, lang) if self.done[self.current] else "",
            complete=all(self.done),
        )

    def success_text(self, index: int) -> str:
        """Step `index`'s success text, in the learner's language."""
        return m.text_in(self.spec.steps[index].success, self.lang)

    def passed_checks(self, index: Optional[int] = None) -> tuple[CheckResult, ...]:
        """A ticked-off step's checks as they stood when it passed: every one held
        (a step passes only when all of them do), whatever has happened since."""
        i = self.current if index is None else index
        return tuple(CheckResult(True, describe(c, self.lang)) for c in self.spec.steps[i].checks)

    def set_lang(self, lang: str) -> None:
        self.lang = lang
        self._results = self.check_now()
        self._notify()

    # -- navigation and hints ----------------------------------------------------------
    def goto(self, i: int) -> None:
        if 0 <= i < len(self.spec.steps) and i != self.current:
            self._start_step(i)

    def next_step(self) -> None:
        self.goto(self.current + 1)

    def prev_step(self) -> None:
        self.goto(self.current - 1)

    def reveal_hint(self) -> Optional[str]:
        """Show the next hint of the current step; None when all are shown."""
        step = self.spec.steps[self.current]
        n = self.hints_shown[self.current]
        if n >= len(step.hints):
            return None
        self.hints_shown[self.current] = n + 1
        self._save()
        self._notify()
        return m.text_in(step.hints[n], self.lang)

    # -- resets -----------------------------------------------------------------------
    def reset_step(self) -> None:
        """Rebuild the world as the current step expects to find it (setup + earlier solutions)."""
        self.done[self.current] = False
        self.hints_shown[self.current] = 0
        self._rebuild(self.current)
        self._start_step(self.current)
        n = self.current + 1
        self.reset_note = gettext_in(
            "step {n} was reset" if n == 1 else "step {n} was reset (step 1 replayed)" if n == 2
            else "step {n} was reset (steps 1-{k} replayed)", self.lang).format(n=n, k=n - 1)

    def reset_lab(self) -> None:
        """Back to the setup's state and step 1, progress cleared."""
        n = len(self.spec.steps)
        self.done = [False] * n
        self.hints_shown = [0] * n
        self._rebuild(0)
        self._start_step(0)
        self.reset_note = gettext_in("the lab was reset: back to step 1", self.lang)

    def _rebuild(self, upto: int) -> None:
        self._busy = True
        try:
            self._detach()
            world = build_world(self.spec, self.seed)
            replay(world, self.spec.steps[:upto])
            self.world = world
            self._session = None
            self._jobs.clear()
            if self.engine is not None:
                replace_engine_world(self.engine, world)
            self._attach()
        finally:
            self._busy = False

    # -- headless commands -------------------------------------------------------------
    def run(self, line: str) -> CommandRun:
        """Run one command line to completion in the lab's namespace (headless)."""
        from ..tools.shell import Session
        if self._session is None:
            self._session = Session(self.world, self.world.init_net, script=True, tty=False)
        output, status = run_quietly(self.world, self._session, line)
        run = CommandRun(line, HOST, output, status)
        self.record_command(run)
        return run

    def settle(self, seconds: float = SETTLE_S, until_done: bool = True) -> None:
        """Let virtual time pass, evaluating as it goes (stops early once the step is done)."""
        sched = self.world.sched
        end = sched.now + seconds
        while sched.now < end:
            sched.run_due(min(end, sched.now + SETTLE_STEP_S))
            if self._dirty:
                self.evaluate()
            if until_done and self.done[self.current]:
                return

    # -- saving ------------------------------------------------------------------------
    def _save(self) -> None:
        if self.store is None or self._busy:
            return
        try:
            self.store.save(self.spec.id, {
                "lab": self.spec.id, "fingerprint": fingerprint(self.spec),
                "step": self.current, "done": [i for i, d in enumerate(self.done) if d],
                "hints": self.hints_shown, "format": PROGRESS_FORMAT,
            })
        except ProgressProblem as err:
            if not self._save_failed:      # said once; the lab goes on unsaved
                self._save_failed = True
                self._notices.append(err.text(self.lang))

    def _restore(self) -> None:
        try:
            data = self.store.load(self.spec.id, fingerprint(self.spec))
        except ProgressProblem as err:
            self._notices.append(err.text(self.lang))
            return
        if not data:
            return
        n = len(self.spec.steps)
        try:
            done = [int(i) for i in data.get("done", [])]
            hints = [int(h) for h in data.get("hints", [])]
            step = int(data.get("step", 0))
        except (TypeError, ValueError):
            self._notices.append(ProgressProblem(
                "the saved progress {path} is corrupt ({kept}); the lab starts afresh",
                path=self.store.path(self.spec.id), kept="left in place").text(self.lang))
            return
        for i in done:
            if 0 <= i < n:
                self.done[i] = True
        for i, h in enumerate(hints[:n]):
            self.hints_shown[i] = max(0, min(h, len(self.spec.steps[i].hints)))
        self.current = max(0, min(step, n - 1))
        if self.current:
            self._busy = True
            try:
                replay(self.world, self.spec.steps[:self.current])
            finally:
                self._busy = False
            if self.current == 1:
                self._notice("resumed at step {n} (step 1 replayed)", n=self.current + 1)
            else:
                self._notice("resumed at step {n} (steps 1-{k} replayed)", n=self.current + 1,
                             k=self.current)
        elif any(self.done) or any(self.hints_shown):
            self._notice("resumed at step {n}", n=self.current + 1)


def replay(world: World, steps: list[m.Step]) -> None:
    """Run the reference solutions of `steps` in `world`, quietly, and let timers settle."""
    from ..tools.shell import Session
    lines = [line for st in steps for line in st.solution]
    if not lines:
        return
    session = Session(world, world.init_net, script=True, tty=False)
    for line in lines:
        run_quietly(world, session, line)
    world.sched.run_due(world.sched.now + 1.0)


def replace_engine_world(engine: Any, world: World) -> None:
    """Swap a new world into a running Engine (a reset): Engine.replace_world."""
    engine.replace_world(world)


def runtime_for(lab: str, engine: Any, *, lang: str = "en", seed: int = 0,
                resume: bool = True) -> Optional[LabRuntime]:
    """The LabRuntime for `vethtui LAB` (None when LAB is a built-in lab, not a file).

    `engine` must have been made for the same lab (make_engine(lab, seed, ...)).
    Progress is saved in the user's data directory and resumed. A passed step
    stays current, with its success text, until the learner moves on.
    """
    from .builtin import BUILTIN_LABS
    from .files import load_lab_file, resolve_lab
    if lab in BUILTIN_LABS:
        return None
    path = resolve_lab(lab)
    if path is None:
        return None
    spec = load_lab_file(path)
    return LabRuntime(spec, engine, seed=seed, lang=lang, store=ProgressStore(), resume=resume,
                      auto_advance=False)


# ---------------------------------------------------------------- headless test

@dataclass
class StepReport:
    index: int
    title: str
    passed: bool
    failing: list[CheckResult]
    commands: list[CommandRun]
    warnings: list[str]


def run_lab_test(spec: m.LabSpec, seed: int = 0, lang: str = "en") -> list[StepReport]:
    """Run every step's reference solution from the setup; report each step's checks."""
    rt = LabRuntime(spec, None, seed=seed, lang=lang, store=None, resume=False,
                    auto_advance=False)
    reports = []
    try:
        for i, step in enumerate(spec.steps):
            rt.goto(i)
            warnings = []
            if not step.solution:
                warnings.append("no reference solution")
            elif all(r.ok for r in rt.check_now()):
                warnings.append("its checks pass before its solution runs")
            runs = [rt.run(line) for line in step.solution]
            if not rt.done[i]:
                rt.settle(SETTLE_S)
            final = rt.check_now()
            failing = [] if rt.done[i] else [r for r in final if not r.ok]
            reports.append(StepReport(i, m.text_in(step.title, lang), rt.done[i], failing,
                                      runs, warnings))
    finally:
        rt.close()
    return reports
