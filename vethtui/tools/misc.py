"""Small builtins: sleep, clear, true, false, hostname, and `help`."""
from __future__ import annotations

import re

from ..i18n import _
from ..kernel.clock import Interrupted
from .base import Proc


async def sleep(proc: Proc, argv: list[str]) -> int:
    if len(argv) < 2:
        proc.err("sleep: missing operand\nTry 'sleep --help' for more information.\n")
        return 1
    total = 0.0
    for a in argv[1:]:
        m = re.fullmatch(r"(\d+(?:\.\d*)?|\.\d+)([smhd]?)", a)
        if not m:
            proc.err(f"sleep: invalid time interval '{a}'\n"
                     "Try 'sleep --help' for more information.\n")
            return 1
        total += float(m.group(1)) * {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}[m.group(2)]
    await proc.sleep(total)
    return 0


def clear(proc: Proc, argv: list[str]) -> int:
    session = proc.session
    if session is not None and session.on_clear is not None:
        session.on_clear()
    else:
        proc.out("\x1b[H\x1b[2J\x1b[3J")
    return 0


def true(proc: Proc, argv: list[str]) -> int:
    return 0


def false(proc: Proc, argv: list[str]) -> int:
    return 1


def hostname(proc: Proc, argv: list[str]) -> int:
    proc.out(proc.world.hostname + "\n")
    return 0


HELP_INTRO = "vethtui simulates these commands (as on a Linux 6.18 host, run as root):"
# (synopsis, what it is): `help` prints them, F1 shows them as a table; the synopses are
# the tools' own words, the descriptions vethtui's (in the learner's language)
HELP_COMMANDS = (
    ("ip link | addr | route | neigh | netns", "iproute2 6.1: show, add, del, set, get, flush"),
    ("bridge link | fdb", "the bridge tool"),
    ("route -n, arp -n", "net-tools views of routes and neighbours"),
    ("ip rule", "policy routing; ip -j / -p for JSON"),
    ("ping [-c N] [-I dev|addr] [-i s] [-s n] [-t ttl] [-W s] [-f] [-b] HOST, ping6", ""),
    ("tcpdump [-i IF|any] [-nelvAS] [-x|-X] [-c N] [-Q in|out] [-w FILE|-r FILE] [EXPR]", ""),
    ("iptables [-t T] -A|-I|-D|-R|-F|-Z|-N|-X|-P|-L|-S ..., iptables-save, iptables-restore",
     ""),
    ("conntrack -L|-D|-F|-E", "the connection tracking table"),
    ("nc [-l] [-u] [-z] [-v] HOST PORT, curl URL, python3 -m http.server PORT &, ss -tuna", ""),
    ("traceroute [-n] [-I|-T] HOST", ""),
    ("sysctl [-w] KEY[=VALUE], cat /proc/sys/..., echo V > /proc/sys/...", ""),
    ("explain [ID]", "what the last command's packets met, or packet ID's path"),
    ("ip netns exec NS bash (then exit), bash -c '...', sleep, clear, help, a `sudo` prefix",
     ""),
    ("jobs, kill %N|PID, wait; sort, uniq, cut, tr", ""),
)
HELP_SHELL = "Shell: ;  &&  ||  &  |grep/head/tail/wc  > >> 2>&1  globs  # comments"
HELP_ELSE = 'Anything else answers "vethtui: CMD: command not simulated" (status 127).'


def help_text() -> str:
    """What `help` prints, in the language in force (the synopses stay the tools' own)."""
    lines = [_(HELP_INTRO), ""]
    for synopsis, what in HELP_COMMANDS:
        lines.append(f"  {synopsis:<38}  {_(what)}" if what else f"  {synopsis}")
    lines += ["", _(HELP_SHELL), _(HELP_ELSE)]
    return "\n".join(lines) + "\n"


def help_(proc: Proc, argv: list[str]) -> int:
    proc.out(help_text())
    return 0
