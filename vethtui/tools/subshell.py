"""`bash`, `sh` and `exit`: enough of a shell to enter a namespace and leave it.

    ip netns exec ns1 bash        the console now runs in ns1 (its prompt says so)
    exit                          back to where it was
    bash -c 'ip a; ip r'          one command line in a child shell
    ip netns exec ns1 sh -c '...' the same inside ns1

A script (vethtui run, or anything not at the interactive console) has no
terminal for a child shell to read: `bash` alone reads end-of-file and exits 0,
as `bash < /dev/null` does. `exit N` ends the command line with status N.
"""
from __future__ import annotations

from .base import Proc


async def bash(proc: Proc, argv: list[str]) -> int:
    name = argv[0]
    args = argv[1:]
    session = proc.session
    if args and args[0] == "-c":
        if len(args) < 2:
            proc.err(f"{name}: -c: option requires an argument\n")
            return 2
        return await session.run_line_in(args[1], proc._write, proc.net, proc.job)
    if args and args[0] in ("--version", "-version"):
        proc.out("GNU bash, version 5.2.15(1)-release (x86_64-pc-linux-gnu)\n")
        return 0
    if args:
        proc.err(f"vethtui: {name} {args[0]}: only `{name}` and `{name} -c COMMAND` are "
                 f"simulated\n")
        return 127
    if session is None or session.script or not proc.tty or proc.background:
        return 0           # no terminal to read: end of input at once
    session.enter_net(proc.net)
    return 0


def exit_(proc: Proc, argv: list[str]) -> int:
    session = proc.session
    status = session.last_status if session is not None else 0
    if len(argv) > 1:
        text = argv[1]
        if not text.lstrip("-").isdigit():
            proc.err(f"{session.bash_prefix() if session else 'bash: '}exit: {text}: "
                     f"numeric argument required\n")
            status = 2
        else:
            status = int(text) & 0xFF
    if session is None:
        return status
    if not session.script and proc.tty and not session.net_stack:
        proc.err("vethtui: exit: this is the lab's own shell (Ctrl+Q quits vethtui)\n")
        return 1
    if not session.script and session.net_stack:
        proc.out("exit\n")
        session.leave_net()
        return status
    session.exit_requested = True
    return status
