"""bash's job builtins: `jobs`, `kill` and `wait`, over the session's background jobs.

`kill %N` or `kill PID` sends SIGTERM (or -9/-KILL, -INT, -s NAME); a killed
process closes its sockets on the way out (a server's listener disappears, its
connections send their FIN or RST). bash reports the end at the next prompt
("[1]+  Terminated              nc -l -p 1234"). `wait` waits for every job, or
for the ones named.
"""
from __future__ import annotations

from typing import Optional

from .base import Proc

SIGNALS = {"HUP": 1, "INT": 2, "QUIT": 3, "KILL": 9, "USR1": 10, "USR2": 12, "TERM": 15}
KILL_USAGE = ("kill: usage: kill [-s sigspec | -n signum | -sigspec] pid | jobspec ... or kill "
              "-l [sigspec]\n")


def _prefix(proc: Proc) -> str:
    session = proc.session
    return session.bash_prefix() if session is not None else "bash: "


def jobs(proc: Proc, argv: list[str]) -> int:
    session = proc.session
    if session is None:
        return 0
    live = [j for j in session.jobs if not j[2].done]
    for i, (num, text, _task) in enumerate(live):
        mark = "+" if i == len(live) - 1 else ("-" if i == len(live) - 2 else " ")
        proc.outln(f"[{num}]{mark}  {'Running':<24}{text} &")
    return 0


def _find(session, spec: str):
    """A job by %N, %% / %+ (the current one), %- or by the pid bash printed."""
    live = [j for j in session.jobs if not j[2].done]
    if spec.startswith("%"):
        key = spec[1:]
        if key in ("", "%", "+"):
            return live[-1] if live else None
        if key == "-":
            return live[-2] if len(live) > 1 else None
        if key.isdigit():
            return next((j for j in live if j[0] == int(key)), None)
        return next((j for j in live if j[1].startswith(key)), None)
    return next((j for j in live if getattr(j[2], "pid", None) == int(spec)), None)


def kill(proc: Proc, argv: list[str]) -> int:
    session = proc.session
    args = argv[1:]
    sig = 15
    if args and args[0] == "-l":
        proc.outln(" 1) SIGHUP\t 2) SIGINT\t 3) SIGQUIT\t 9) SIGKILL\t15) SIGTERM")
        return 0
    if args and args[0] in ("-s", "-n"):
        if len(args) < 2:
            proc.err(f"{_prefix(proc)}kill: {args[0]}: option requires an argument\n{KILL_USAGE}")
            return 2
        name = args[1].upper().removeprefix("SIG")
        sig = int(name) if name.isdigit() else SIGNALS.get(name, -1)
        bad = args[1]
        args = args[2:]
        if sig < 0:
            proc.err(f"{_prefix(proc)}kill: {bad}: invalid signal specification\n")
            return 1
    elif args and args[0].startswith("-") and len(args[0]) > 1 and not args[0][1:].isdigit() \
            or args and args[0].startswith("-") and args[0][1:].isdigit():
        name = args[0][1:].upper().removeprefix("SIG")
        sig = int(name) if name.isdigit() else SIGNALS.get(name, -1)
        if sig < 0:
            proc.err(f"{_prefix(proc)}kill: {args[0][1:]}: invalid signal specification\n")
            return 1
        args = args[1:]
    if not args:
        proc.err(f"{_prefix(proc)}{KILL_USAGE}")
        return 2
    status = 0
    for spec in args:
        if not spec.startswith("%") and not spec.isdigit():
            proc.err(f"{_prefix(proc)}kill: {spec}: arguments must be process or job IDs\n")
            status = 1
            continue
        job = _find(session, spec) if session is not None else None
        if job is None:
            if spec.startswith("%"):
                proc.err(f"{_prefix(proc)}kill: {spec}: no such job\n")
            else:
                proc.err(f"{_prefix(proc)}kill: ({spec}) - No such process\n")
            status = 1
            continue
        task = job[2]
        if sig == 2:
            task.interrupt()
        elif sig:
            task.kill(128 + sig)
    return status


async def wait(proc: Proc, argv: list[str]) -> int:
    session = proc.session
    if session is None:
        return 0
    targets = []
    status = 0
    for spec in argv[1:]:
        job = _find(session, spec) if (spec.startswith("%") or spec.isdigit()) else None
        if job is None:
            proc.err(f"{_prefix(proc)}wait: {spec}: no such job\n" if spec.startswith("%")
                     else f"{_prefix(proc)}wait: pid {spec} is not a child of this shell\n")
            status = 127
            continue
        targets.append(job[2])
    if len(argv) == 1:
        targets = [j[2] for j in session.jobs]
    last: Optional[int] = None
    for task in targets:
        while not task.done:
            ev = proc.event()
            task.add_done_callback(lambda _t, ev=ev: ev.set())
            await proc.wait(ev, None)
        last = task.result if isinstance(task.result, int) else 0
    if len(argv) == 1:
        return 0
    return last if last is not None else status
