"""The filters a learner pipes into: grep, head, tail, wc."""
from __future__ import annotations

import re
from typing import Callable


def run(words: list[str], data: str, write: Callable[[str, str], None], session) -> int:
    name = words[0] if words else ""
    lines = data.splitlines(keepends=True)
    if name == "grep":
        return _grep(words[1:], lines, write)
    if name in ("head", "tail"):
        n = 10
        args = words[1:]
        i = 0
        while i < len(args):
            a = args[i]
            if a == "-n" and i + 1 < len(args):
                n = _int(args[i + 1], 10)
                i += 2
                continue
            if re.fullmatch(r"-n?\d+", a):
                n = int(a.lstrip("-n"))
            i += 1
        write("out", "".join(lines[:n] if name == "head" else lines[-n:] if n else []))
        return 0
    if name == "wc":
        if "-l" in words:
            write("out", f"{len(lines)}\n")
        else:
            nwords = len(data.split())
            write("out", f"{len(lines):>7} {nwords:>7} {len(data.encode()):>7}\n")
        return 0
    if name == "cat":
        write("out", data)
        return 0
    from .shell import NOT_SIMULATED
    if name in NOT_SIMULATED:
        write("err", f"vethtui: {name}: command not simulated\n")
    else:
        write("err", f"{session.bash_prefix()}{name}: command not found\n")
    return 127


def _int(s: str, default: int) -> int:
    try:
        return int(s)
    except ValueError:
        return default


def _grep(args: list[str], lines: list[str], write) -> int:
    invert = ignore = count = only = False
    pattern = None
    for a in args:
        if a.startswith("-") and pattern is None and len(a) > 1:
            invert |= "v" in a
            ignore |= "i" in a
            count |= "c" in a
            only |= "o" in a
            continue
        if pattern is None:
            pattern = a
    if pattern is None:
        write("err", "Usage: grep [OPTION]... PATTERNS [FILE]...\n"
                     "Try 'grep --help' for more information.\n")
        return 2
    try:
        rx = re.compile(pattern, re.I if ignore else 0)
    except re.error:
        rx = re.compile(re.escape(pattern), re.I if ignore else 0)
    hits = [ln for ln in lines if bool(rx.search(ln)) != invert]
    if count:
        write("out", f"{len(hits)}\n")
    elif only:          # -o: each non-empty match on a line of its own (none with -v)
        if not invert:
            write("out", "".join(m.group(0) + "\n" for ln in hits
                                 for m in rx.finditer(ln.rstrip("\n")) if m.group(0)))
    else:
        write("out", "".join(hits))
    return 0 if hits else 1
