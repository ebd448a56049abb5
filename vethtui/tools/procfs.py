"""`cat` and `echo`, enough for /proc/sys and the shell's scratch files."""
from __future__ import annotations

from ..kernel.sysctl import Dir, SysctlError
from .base import Proc


def cat(proc: Proc, argv: list[str]) -> int:
    status = 0
    files = [a for a in argv[1:] if not (a.startswith("-") and len(a) > 1)]
    if not files:
        for line in proc.stdin_lines:
            proc.out(line)
        return 0
    for path in files:
        if path.startswith("/proc/sys"):
            parts = [p for p in path[len("/proc/sys"):].split("/") if p]
            try:
                node = proc.net.sysctl.resolve(parts)
            except SysctlError as err:
                msg = "Not a directory" if err.errno == "ENOTDIR" else "No such file or directory"
                proc.err(f"cat: {path}: {msg}\n")
                status = 1
                continue
            if isinstance(node, Dir):
                proc.err(f"cat: {path}: Is a directory\n")
                status = 1
                continue
            try:
                proc.out(node.get() + "\n")
            except SysctlError:        # stable_secret before one is set
                proc.err(f"cat: {path}: Input/output error\n")
                status = 1
        elif proc.session is not None and path in proc.session.files:
            proc.out(proc.session.files[path])
        else:
            proc.err(f"cat: {path}: No such file or directory\n")
            status = 1
    return status


def echo(proc: Proc, argv: list[str]) -> int:
    args = argv[1:]
    newline = True
    escapes = False
    while args and args[0] in ("-n", "-e", "-E", "-ne", "-en"):
        flag = args.pop(0)
        if "n" in flag:
            newline = False
        if "e" in flag[1:]:
            escapes = True
    text = " ".join(args)
    if escapes:
        text = text.encode().decode("unicode_escape")
    proc.out(text + ("\n" if newline else ""))
    return 0
