"""ss: iproute2 6.1's socket statistics over the simulated TCP and UDP sockets.

Options: -t -u -l -a -n -p -e -H -r -4 -x -h -V, and `state STATE` filters. The
table is rendered as ss.c renders it (render_calc_width for output that is not
a terminal): every column as wide as its widest field, the address right-aligned
against its ':', the port left-aligned, `Recv-Q`/`Send-Q` printed "%-6d", a
Netid column only when more than one kind of socket is asked for. Without -a
or -l the listing has the connected states less TIME-WAIT and SYN-RECV (SS_CONN);
-l is LISTEN (and UDP's UNCONN); ports are named from /etc/services unless -n.
UDP comes before TCP. Within a table, listeners come first, the newest first (the
kernel's hash order, which changes from boot to boot), then the connections.
"""
from __future__ import annotations

from typing import Optional

from ..kernel.inet import ntoa
from ..kernel.tcp import inet_hashinfo
from ..kernel.tcp_states import (SS_NAMES, TCP_CLOSE, TCP_ESTABLISHED, TCP_LISTEN, TCP_SYN_RECV,
                                 TCP_TIME_WAIT)
from ..kernel.udp import udp_table
from . import services
from .base import Proc
from .getopt import NO_ARGUMENT, REQUIRED, Getopt, GetoptError, LongOpt

USAGE = """Usage: ss [ OPTIONS ]
       ss [ OPTIONS ] [ FILTER ]
   -h, --help          this message
   -V, --version       output version information
   -n, --numeric       don't resolve service names
   -r, --resolve       resolve host names
   -a, --all           display all sockets
   -l, --listening     display listening sockets
   -o, --options       show timer information
   -e, --extended      show detailed socket information
   -m, --memory        show socket memory usage
   -p, --processes     show process using socket
   -T, --threads       show thread using socket
   -i, --info          show internal TCP information
       --tipcinfo      show internal tipc socket information
   -s, --summary       show socket usage summary
       --tos           show tos and priority information
       --cgroup        show cgroup information
   -b, --bpf           show bpf filter socket information
   -E, --events        continually display sockets as they are destroyed
   -Z, --context       display task SELinux security contexts
   -z, --contexts      display task and socket SELinux security contexts
   -N, --net           switch to the specified network namespace name

   -4, --ipv4          display only IP version 4 sockets
   -6, --ipv6          display only IP version 6 sockets
   -0, --packet        display PACKET sockets
   -t, --tcp           display only TCP sockets
   -M, --mptcp         display only MPTCP sockets
   -S, --sctp          display only SCTP sockets
   -u, --udp           display only UDP sockets
   -d, --dccp          display only DCCP sockets
   -w, --raw           display only RAW sockets
   -x, --unix          display only Unix domain sockets
       --tipc          display only TIPC sockets
       --vsock         display only vsock sockets
       --xdp           display only XDP sockets
   -f, --family=FAMILY display sockets of type FAMILY
       FAMILY := {inet|inet6|link|unix|netlink|vsock|tipc|xdp|help}

   -K, --kill          forcibly close sockets, display what was closed
   -H, --no-header     Suppress header line
   -O, --oneline       socket's data printed on a single line
       --inet-sockopt  show various inet socket options

   -A, --query=QUERY, --socket=QUERY
       QUERY := {all|inet|tcp|mptcp|udp|raw|unix|unix_dgram|unix_stream|unix_seqpacket|packet|packet_raw|packet_dgram|netlink|dccp|sctp|vsock_stream|vsock_dgram|tipc|xdp}[,QUERY]

   -D, --diag=FILE     Dump raw information about TCP sockets to FILE
   -F, --filter=FILE   read filter information from FILE
       FILTER := [ state STATE-FILTER ] [ EXPRESSION ]
       STATE-FILTER := {all|connected|synchronized|bucket|big|TCP-STATES}
         TCP-STATES := {established|syn-sent|syn-recv|fin-wait-{1,2}|time-wait|closed|close-wait|last-ack|listening|closing}
          connected := {established|syn-sent|syn-recv|fin-wait-{1,2}|time-wait|close-wait|last-ack|closing}
       synchronized := {established|syn-recv|fin-wait-{1,2}|time-wait|close-wait|last-ack|closing}
             bucket := {syn-recv|time-wait}
                big := {established|syn-sent|fin-wait-{1,2}|closed|close-wait|last-ack|listening|closing}
"""

SS_ALL = (1 << 12) - 1
SS_CONN = SS_ALL & ~((1 << TCP_LISTEN) | (1 << TCP_CLOSE) | (1 << TCP_TIME_WAIT)
                     | (1 << TCP_SYN_RECV))
STATE_WORDS = {"established": 1 << 1, "syn-sent": 1 << 2, "syn-recv": 1 << 3,
               "fin-wait-1": 1 << 4, "fin-wait-2": 1 << 5, "time-wait": 1 << 6,
               "closed": 1 << 7, "close-wait": 1 << 8, "last-ack": 1 << 9,
               "listening": 1 << 10, "closing": 1 << 11, "all": SS_ALL,
               "connected": SS_ALL & ~((1 << TCP_LISTEN) | (1 << TCP_CLOSE)),
               "synchronized": SS_ALL & ~((1 << TCP_LISTEN) | (1 << TCP_CLOSE) | (1 << 2)),
               "bucket": (1 << TCP_SYN_RECV) | (1 << TCP_TIME_WAIT),
               "big": SS_ALL & ~((1 << TCP_SYN_RECV) | (1 << TCP_TIME_WAIT))}

LONGOPTS = [LongOpt(n, NO_ARGUMENT, k) for n, k in (
    ("help", "h"), ("version", "V"), ("numeric", "n"), ("resolve", "r"), ("all", "a"),
    ("listening", "l"), ("options", "o"), ("extended", "e"), ("memory", "m"),
    ("processes", "p"), ("threads", "T"), ("info", "i"), ("summary", "s"), ("events", "E"),
    ("context", "Z"), ("contexts", "z"), ("ipv4", "4"), ("ipv6", "6"), ("packet", "0"),
    ("tcp", "t"), ("mptcp", "M"), ("sctp", "S"), ("udp", "u"), ("dccp", "d"), ("raw", "w"),
    ("unix", "x"), ("kill", "K"), ("no-header", "H"), ("oneline", "O"))] + [
    LongOpt("family", REQUIRED, "f"), LongOpt("query", REQUIRED, "A"),
    LongOpt("socket", REQUIRED, "A"), LongOpt("net", REQUIRED, "N")]

# columns: (header, left delimiter, right-aligned)
COLUMNS = [("Netid", "", False), ("State", " ", False), ("Recv-Q", " ", False),
           ("Send-Q", " ", False), ("Local Address:", " ", True), ("Port", "", False),
           ("Peer Address:", " ", True), ("Port", "", False), ("Process", "", False),
           ("", "", False)]


def render(rows: list[list[str]], header: bool, disabled: set[int]) -> str:
    """render_calc_width + render for output that is not a terminal (compact)."""
    cols = [i for i in range(len(COLUMNS)) if i not in disabled]
    last = len(COLUMNS) - 1
    table: list[list[Optional[str]]] = []
    if header:     # print_header: every column but the last
        table.append([COLUMNS[i][0] if i != last else None for i in cols])
    for r in rows:
        table.append([r[i] for i in cols])
    max_len = [0] * len(cols)
    for line in table:
        for j, tok in enumerate(line):
            if tok is not None and len(tok) > max_len[j]:
                max_len[j] = len(tok)
    width = []
    first = True
    for j, i in enumerate(cols):
        w = max_len[j] + len(COLUMNS[i][1]) if (not first and max_len[j]) else max_len[j]
        width.append(w)
        if w:
            first = False
    out = []
    for line in table:
        text = []
        started = False
        for j, i in enumerate(cols):
            tok = line[j]
            if tok is None:
                break
            printed = 0
            if started:
                text.append(COLUMNS[i][1])
                printed = len(COLUMNS[i][1])
            started = True
            w = width[j]
            if w and COLUMNS[i][2]:
                pad = w - len(tok) - printed
                if pad > 0:
                    text.append(" " * pad)
            text.append(tok)
            printed += len(tok)
            if w and not COLUMNS[i][2] and w - printed > 0:
                text.append(" " * (w - printed))
        out.append("".join(text) + "\n")
    return "".join(out)


class _Stop(Exception):
    """ss exits here, with this status (its words already said)."""

    def __init__(self, status: int):
        super().__init__(status)
        self.status = status


class _Opts:
    def __init__(self):
        self.numeric = self.resolve = self.listening = self.all = self.extended = False
        self.processes = self.no_header = False
        self.tcp = self.udp = self.other = False


FLAGS = {"n": "numeric", "r": "resolve", "a": "all", "l": "listening", "e": "extended",
         "p": "processes", "t": "tcp", "u": "udp", "H": "no_header",
         **{letter: "other" for letter in ("x", "w", "0", "S", "d", "M", "6")}}


def main(proc: Proc, argv: list[str]) -> int:
    g = Getopt("ss", argv, "dhaletuwxnro460spTbEf:mMiA:D:F:vVzZN:KHSO", LONGOPTS)
    try:
        o = _options(proc, g)
        states = _states_asked(proc, o, g.operands)
    except _Stop as stop:
        return stop.status
    if not (o.tcp or o.udp or o.other):
        o.tcp = o.udp = True       # inet sockets (a lab has no unix or raw sockets to list)
    rows = _rows(proc, o, states)
    kinds = [k for k, on in (("udp", o.udp), ("tcp", o.tcp)) if on]
    disabled = set() if len(kinds) + (1 if o.other else 0) > 1 else {0}
    if not states & (states - 1):
        disabled.add(1)             # one state asked for: no State column
    proc.out(render(rows, not o.no_header, disabled))
    return 0


def _options(proc: Proc, g: Getopt) -> _Opts:
    o = _Opts()
    try:
        for opt, val in g:
            if opt == "h":
                proc.out(USAGE)
                raise _Stop(0)
            if opt == "V":
                proc.out("ss utility, iproute2-6.1.0\n")
                raise _Stop(0)
            if opt in FLAGS:
                setattr(o, FLAGS[opt], True)
            elif opt in ("Z", "z"):
                proc.err("ss: SELinux is not enabled.\n")
                raise _Stop(255)
    except GetoptError as err:
        proc.err(f"{err}\n{USAGE}")
        raise _Stop(255)
    return o


def _states_asked(proc: Proc, o: _Opts, ops: list[str]) -> int:
    """The TCP states to list: -a, -l or the default, or `state S` / `exclude S` words."""
    states = SS_CONN
    if o.all:
        states = SS_ALL
    elif o.listening:
        states = (1 << TCP_LISTEN) | (1 << TCP_CLOSE)
    if not ops:
        return states
    mask = 0
    k = 0
    while k + 1 < len(ops) and ops[k] in ("state", "exclude", "excl"):
        bit = STATE_WORDS.get(ops[k + 1])
        if bit is None:
            proc.err(f"ss: wrong state name: {ops[k + 1]}\n")
            raise _Stop(255)
        mask = mask | bit if ops[k] == "state" else (mask or SS_ALL) & ~bit
        k += 2
    if k < len(ops) or not k:
        proc.err("vethtui: ss: filter expressions are not simulated\n")
        raise _Stop(1)
    return mask


def _rows(proc: Proc, o: _Opts, states: int) -> list[list[str]]:
    """UDP's sockets, then TCP's listeners (the newest first) and connections."""
    rows: list[list[str]] = []
    net = proc.net
    args = (o.numeric, o.resolve, o.processes, o.extended, proc)
    if o.udp:
        table = udp_table(net)
        socks = [s for port in table for s in table[port]]
        for s in reversed(socks):
            st = TCP_ESTABLISHED if s.connected else TCP_CLOSE
            if states & (1 << st):
                rows.append(_row("udp", s, st, *args))
    if o.tcp:
        h = inet_hashinfo(net)
        if states & (1 << TCP_LISTEN):
            for s in reversed(list(h.listening.values())):
                rows.append(_row("tcp", s, TCP_LISTEN, *args))
        for s in list(h.ehash.values()):
            if states & (1 << s.state):
                rows.append(_row("tcp", s, s.state, *args))
    return rows


def _addr(addr: int, resolve: bool, proc: Proc) -> str:
    if resolve and addr:
        from .nc import _hosts_name
        name = _hosts_name(proc, addr)
        if name:
            return name
    return ntoa(addr)


def _port(port: int, proto: str, numeric: bool) -> str:
    if port == 0:
        return "*"
    if not numeric:
        name = services.getservbyport(port, proto)
        if name:
            return name
    return str(port)


def _row(kind: str, s, state: int, numeric: bool, resolve: bool, processes: bool,
         extended: bool, proc: Proc) -> list[str]:
    rq, wq = s.queues()
    if state == TCP_TIME_WAIT:
        rq = wq = 0
    unconnected = state in (TCP_LISTEN, TCP_CLOSE)
    laddr = s.rcv_saddr if unconnected else s.saddr
    raddr, rport = (0, 0) if unconnected else (s.daddr, s.dport)
    extra = ""
    if processes and s.owner and state != TCP_TIME_WAIT:
        extra += f" users:({s.owner})"
    if extended and state != TCP_TIME_WAIT:
        extra += f" ino:{_ino(s)} sk:{_cookie(s):x} cgroup:/ <->"
    return [kind, SS_NAMES[state], f"{rq:<6d}", f"{wq:<6d}", _addr(laddr, resolve, proc) + ":",
            _port(s.sport, kind, numeric), _addr(raddr, resolve, proc) + ":",
            _port(rport, kind, numeric), extra, ""]


def _ino(s) -> int:
    """The socket's inode number, drawn once from the world's generator."""
    ino = getattr(s, "ino", None)
    if ino is None:
        ino = s.ino = 20000 + s.net.world.rng.randrange(200000)
    return ino


def _cookie(s) -> int:
    """sock_gen_cookie: a counter, per boot, as `sk:` shows it."""
    ck = getattr(s, "cookie", None)
    if ck is None:
        world = s.net.world
        world.sock_cookie = getattr(world, "sock_cookie", 0x1000) + 1
        ck = s.cookie = world.sock_cookie
    return ck
