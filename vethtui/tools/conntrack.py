"""conntrack (conntrack-tools 1.4.7): -L, -D, -F, -E, -C with the tuple filters labs need.

The listing is conntrack's default text output: protocol name and number, the
seconds left, TCP's state, the original tuple, [UNREPLIED], the reply tuple,
[ASSURED], mark and use. The summary ("N flow entries have been shown.") goes to
stderr, which a terminal or the oracle's pipe shows before the buffered listing.
"""
from __future__ import annotations

import re

from ..kernel import nf_conntrack as nfct
from ..kernel.inet import aton, ntoa
from ..kernel.clock import Interrupted
from .base import Proc

VERSION = "conntrack v1.4.7 (conntrack-tools)"
PROTO_NUMS = {"tcp": 6, "udp": 17, "icmp": 1}


OUTPUTS = ("xml", "extended", "timestamp", "id", "ktimestamp", "labels", "userspace", "save")


def format_entry(cn, ct, extended: bool = False) -> str:
    p = ct.tuple[0]
    name = nfct.PROTO_NAMES.get(p, "unknown")
    # -o extended: the layer 3 protocol first (__snprintf_l3protocol, "%-8s %u ")
    out = f"{'ipv4':<8s} 2 " if extended else ""
    out += f"{name:<8s} {p} {cn.remaining(ct)} "
    if p == 6:
        out += f"{nfct.TCP_STATE_NAMES[ct.tcp_state]} "
    out += _tuple(ct.tuple)
    if not ct.status & nfct.IPS_SEEN_REPLY:
        out += "[UNREPLIED] "
    out += _tuple(ct.reply)
    if ct.status & nfct.IPS_ASSURED:
        out += "[ASSURED] "
    out += f"mark={ct.mark} use=1"
    return out


def _tuple(t) -> str:
    p, s, d, a, b = t
    out = f"src={ntoa(s)} dst={ntoa(d)} "
    if p in (6, 17):
        out += f"sport={a} dport={b} "
    elif p == 1:
        out += f"type={b >> 8} code={b & 0xFF} id={a} "
    return out


class _Filter:
    def __init__(self):
        self.proto = None
        self.src = self.dst = self.rsrc = self.rdst = None
        self.sport = self.dport = None
        self.snat = self.dnat = None     # -n ADDR / -g ADDR (filter_nat)
        self.extended = False            # -o extended

    def ok(self, ct) -> bool:
        p, s, d, a, b = ct.tuple
        if self.proto is not None and p != self.proto:
            return False
        # filter_nat: the source rewritten to ADDR (the reply goes to ADDR, not to the
        # original source), the destination rewritten to ADDR (the reply comes from it)
        if self.snat is not None and not (ct.reply[2] != s and ct.reply[2] == self.snat):
            return False
        if self.dnat is not None and not (ct.reply[1] != d and ct.reply[1] == self.dnat):
            return False
        if self.src is not None and s != self.src:
            return False
        if self.dst is not None and d != self.dst:
            return False
        if self.rsrc is not None and ct.reply[1] != self.rsrc:
            return False
        if self.rdst is not None and ct.reply[2] != self.rdst:
            return False
        if self.sport is not None and (p not in (6, 17) or a != self.sport):
            return False
        if self.dport is not None and (p not in (6, 17) or b != self.dport):
            return False
        return True


def _usage_error(proc: Proc, msg: str) -> int:
    proc.err(f"{VERSION}: {msg}\nTry `conntrack -h' or 'conntrack --help' for more information.\n")
    return 2


LONG = {"dump": "L", "list": "L", "delete": "D", "flush": "F", "event": "E", "count": "C",
        "proto": "p", "protonum": "p", "orig-src": "s", "src": "s", "orig-dst": "d",
        "dst": "d", "reply-src": "r", "reply-dst": "q", "sport": "sport", "dport": "dport",
        "orig-port-src": "sport", "orig-port-dst": "dport", "version": "V", "help": "h",
        "src-nat": "n", "dst-nat": "g", "output": "o"}


async def main(proc: Proc, argv: list[str]) -> int:
    parsed = _parse(proc, argv)
    if isinstance(parsed, int):
        return parsed               # an error, or -V: said and done
    command, f = parsed
    if command == "h" or not command:
        if not command:
            return _usage_error(proc, "no command specified")
        proc.outln("Command line interface for the connection tracking system. Version 1.4.7")
        return 0
    cn = nfct.ct_net(proc.net)
    entries = [ct for ct in cn.entries()] if cn is not None else []    # the expired reaped
    if command == "E":
        if f.extended:
            proc.err("vethtui: conntrack -E -o extended: not simulated\n")
            return 127
        return await _events(proc, f)
    return _do_command(proc, command, f, cn, entries)


def _option_name(word: str):
    """The option a word names: a long one by its full name, a short one by its letter."""
    if word.startswith("--"):
        return LONG.get(word[2:])
    if word.startswith("-") and len(word) == 2:
        return word[1]
    return None


def _parse(proc: Proc, argv: list[str]):
    """The command and the filter, or the exit status when conntrack stops here."""
    command = ""
    f = _Filter()
    i = 1
    while i < len(argv):
        a = argv[i]
        i += 1
        opt = _option_name(a)
        if opt is None:
            return _usage_error(proc, f"unknown option `{a}'" if a.startswith("-") else
                                f"Bad parameter `{a}'")
        if opt in "LDFECVh" and len(opt) == 1:
            if opt == "V":
                proc.outln("conntrack v1.4.7 (conntrack-tools)")
                return 0
            if command:
                return _usage_error(proc, "Invalid parameters")
            command = opt
            if opt in "LDE" and i < len(argv) and argv[i] in ("conntrack", "expect"):
                if argv[i] == "expect":
                    proc.err(f"{VERSION}: 0 expectation entries have been shown.\n")
                    return 0
                i += 1
            continue
        if opt in "ng":
            # -n/--src-nat [ADDR], -g/--dst-nat [ADDR]: the address is optional, and
            # without one conntrack 1.4.7 lists every flow (recorded: nf_14)
            if i < len(argv) and not argv[i].startswith("-"):
                try:
                    addr = aton(argv[i])
                except ValueError:
                    return _usage_error(proc, f"Invalid IP address `{argv[i]}'")
                i += 1
                setattr(f, "snat" if opt == "n" else "dnat", addr)
            continue
        if i >= len(argv):
            return _usage_error(proc, f"option `{a}' requires an argument")
        i += 1
        status = _filter_option(proc, f, opt, a, argv[i - 1])
        if status is not None:
            return status
    return command, f


def _filter_option(proc: Proc, f: _Filter, opt: str, word: str, val: str):
    """-p, -s -d -r -q, --sport --dport into the filter; the exit status if val is bad."""
    if opt == "p":
        if val.lower() in PROTO_NUMS:
            f.proto = PROTO_NUMS[val.lower()]
        elif val.isdigit():
            f.proto = int(val)
        else:
            return _usage_error(proc, f"unknown protocol `{val}'")
    elif opt in "sdrq":
        try:
            addr = aton(val)
        except ValueError:
            return _usage_error(proc, f"Invalid IP address `{val}'")
        setattr(f, {"s": "src", "d": "dst", "r": "rsrc", "q": "rdst"}[opt], addr)
    elif opt == "o":
        # parse_parameter: a comma list, each word the start of an output name (any case)
        words = val.split(",")
        for i, word in enumerate(words):
            name = next((n for n in OUTPUTS if word and n.startswith(word.lower())), None)
            if name is None:     # named from the bad word to the end of the list
                return _usage_error(proc, f"Bad parameter `{','.join(words[i:])}'")
            if name != "extended":
                proc.err(f"vethtui: conntrack -o {name}: not simulated\n")
                return 127
            f.extended = True
    elif opt in ("sport", "dport"):
        # strtoul: the leading digits, none giving port 0 (no error: nothing matches)
        setattr(f, opt, int(re.match(r"\d*", val).group() or 0))
    else:
        return _usage_error(proc, f"unknown option `{word}'")
    return None


def _do_command(proc: Proc, command: str, f: _Filter, cn, entries: list) -> int:
    """-L, -C, -D, -F on the flows the filter chooses."""
    chosen = [ct for ct in entries if f.ok(ct)]
    if command == "L":
        _report(proc, [format_entry(cn, ct, f.extended) for ct in chosen],
                f"{VERSION}: {len(chosen)} flow entries have been shown.\n")
        return 0
    if command == "C":
        proc.outln(str(len(chosen)))
        return 0
    if command == "D":
        lines = []
        for ct in chosen:
            lines.append(format_entry(cn, ct, f.extended))
            cn.delete(ct, "DESTROY")
        _report(proc, lines, f"{VERSION}: {len(chosen)} flow entries have been deleted.\n")
        return 0 if chosen else 1
    if command == "F":
        if cn is not None:
            for ct in entries:
                cn.delete(ct, "DESTROY")
        proc.err(f"{VERSION}: connection tracking table has been emptied.\n")
        return 0
    return 0


def _report(proc: Proc, lines: list[str], summary: str) -> None:
    """stdout is line-buffered on a terminal but block-buffered into a pipe: there the
    summary on (unbuffered) stderr comes first and the listing when conntrack exits."""
    if proc.tty:
        for line in lines:
            proc.outln(line)
        proc.err(summary)
    else:
        proc.err(summary)
        for line in lines:
            proc.outln(line)


async def _events(proc: Proc, f: _Filter) -> int:
    """conntrack -E: NEW, UPDATE and DESTROY events as they happen, until interrupted."""
    cn = nfct.ct_net_get(proc.net)     # ctnetlink listens; it does not track by itself
    ev = proc.event()
    count = [0]

    def listener(kind: str, ct) -> None:
        if not f.ok(ct):
            return
        count[0] += 1
        tag = {"NEW": "    [NEW] ", "UPDATE": " [UPDATE] ", "DESTROY": "[DESTROY] "}[kind]
        line = format_entry(cn, ct)
        if kind == "DESTROY":
            head, _, rest = line.partition(" src=")
            parts = head.split()
            line = f"{parts[0]:<8s} {parts[1]} src=" + rest
        proc.outln(tag + line)
        ev.set()

    cn.listeners.append(listener)
    try:
        while True:
            ev.clear()
            await ev.wait(None)
    except Interrupted:
        pass
    finally:
        cn.listeners.remove(listener)
    proc.err(f"{VERSION}: {count[0]} flow events have been shown.\n")
    return 0
