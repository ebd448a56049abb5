"""`download FILE`: vethtui's own command (no Linux tool has it) for browser sessions.

In `vethtui serve` a file of the scratch file system (a `tcpdump -w` capture, a
redirection's output) reaches the learner as a browser download; nothing is
written on the serving machine. In a terminal there is nothing to hand over:
files are the user's own there.
"""
from __future__ import annotations

import posixpath

from . import scratch
from .base import Proc


def main(proc: Proc, argv: list[str]) -> int:
    session = proc.session
    if len(argv) != 2 or argv[1].startswith("-"):
        proc.err("usage: download FILE   (a file written in this session, e.g. by tcpdump -w)\n")
        return 2
    path = argv[1]
    deliver = getattr(session, "deliver", None)
    if deliver is None:
        proc.err("download: only in a browser session (vethtui serve); "
                 "here files are written where you name them\n")
        return 1
    data = scratch.read_bytes(session, path)
    if data is None:
        proc.err(f"download: {path}: No such file or directory\n")
        return 1
    deliver(posixpath.basename(path.rstrip("/")) or "download", data)
    proc.out(f"{path}: {len(data)} bytes sent to the browser as a download\n")
    return 0
