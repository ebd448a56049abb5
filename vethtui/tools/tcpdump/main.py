"""tcpdump 4.99 (libpcap 1.10) over the simulated capture taps.

Startup lines go to stderr ("verbose output suppressed...", "listening on ..."),
packet lines to stdout, and on exit the three counters to stderr. In the
console a live `tcpdump -i IF` becomes a capture view (the session's capture
hook); in a script it runs until -c packets or Ctrl+C/SIGINT.
"""
from __future__ import annotations

import time as _time
from collections import deque
from dataclasses import dataclass, field
from typing import Callable, Optional

from ...kernel.capture import Tap
from ...kernel.clock import Interrupted
from ..base import Proc
from . import printer

VERSION = """tcpdump version 4.99.3
libpcap version 1.10.3 (with TPACKET_V3)
OpenSSL 3.0.19 27 Jan 2026
"""

USAGE = """tcpdump version 4.99.3
libpcap version 1.10.3 (with TPACKET_V3)
OpenSSL 3.0.19 27 Jan 2026
Usage: tcpdump [-AbdDefhHIJKlLnNOpqStuUvxX#] [ -B size ] [ -c count ] [--count]
		[ -C file_size ] [ -E algo:secret ] [ -F file ] [ -G seconds ]
		[ -i interface ] [ --immediate-mode ] [ -j tstamptype ]
		[ -M secret ] [ --number ] [ --print ] [ -Q in|out|inout ]
		[ -r file ] [ -s snaplen ] [ -T type ] [ --version ]
		[ -V file ] [ -w file ] [ -W filecount ] [ -y datalinktype ]
		[ --time-stamp-precision precision ] [ --micro ] [ --nano ]
		[ -z postrotate-command ] [ -Z user ] [ expression ]
"""

WITH_ARG = set("BcCEFGiIjMQrsTVwWyzZ")


@dataclass
class TcpdumpOpts:
    iface: Optional[str] = None
    count: int = 0
    numeric: int = 0
    linebuf: bool = False
    ether: bool = False
    verbose: int = 0
    quiet: bool = False
    tstamp: int = 0          # number of -t given
    direction: str = "inout"
    write: Optional[str] = None
    read: Optional[str] = None
    hex: int = 0             # -x / -xx / -X / -XX
    number: bool = False
    expr: list[str] = field(default_factory=list)
    list_ifaces: bool = False
    snaplen: int = 262144
    immediate: bool = False
    print_with_w: bool = False


class TcpdumpUsage(Exception):
    def __init__(self, message: str, status: int = 1):
        self.message = message
        self.status = status


def parse_args(argv: list[str]) -> TcpdumpOpts:
    o = TcpdumpOpts()
    i = 1
    rest: list[str] = []
    while i < len(argv):
        a = argv[i]
        if a == "--":
            rest.extend(argv[i + 1:])
            break
        if a.startswith("--"):
            name, eq, val = a[2:].partition("=")
            if name == "immediate-mode":
                o.immediate = True
            elif name == "version":
                raise TcpdumpUsage(VERSION, 0)
            elif name == "help":
                raise TcpdumpUsage(USAGE, 0)
            elif name == "number":
                o.number = True
            elif name == "print":
                o.print_with_w = True
            elif name in ("count",):
                pass
            elif name in ("interface",):
                if not eq:
                    i += 1
                    val = argv[i] if i < len(argv) else ""
                o.iface = val
            elif name in ("micro", "nano", "time-stamp-precision", "list-interfaces"):
                if name == "list-interfaces":
                    o.list_ifaces = True
            else:
                raise TcpdumpUsage(f"tcpdump: unrecognized option '{a}'\n" + USAGE, 1)
            i += 1
            continue
        if a.startswith("-") and len(a) > 1:
            j = 1
            while j < len(a):
                ch = a[j]
                if ch in WITH_ARG:
                    val = a[j + 1:]
                    if not val:
                        i += 1
                        if i >= len(argv):
                            raise TcpdumpUsage(f"tcpdump: option requires an argument -- '{ch}'\n" + USAGE, 1)
                        val = argv[i]
                    _with_arg(o, ch, val)
                    break
                if ch == "n":
                    o.numeric += 1
                elif ch == "l":
                    o.linebuf = True
                elif ch == "e":
                    o.ether = True
                elif ch == "v":
                    o.verbose += 1
                elif ch == "q":
                    o.quiet = True
                elif ch == "t":
                    o.tstamp += 1
                elif ch == "x":
                    o.hex += 1
                elif ch == "X":
                    o.hex += 10
                elif ch == "D":
                    o.list_ifaces = True
                elif ch == "#":
                    o.number = True
                elif ch in "AbdfhHIJKLNOpSuU":
                    if ch == "h":
                        raise TcpdumpUsage(USAGE, 0)
                else:
                    raise TcpdumpUsage(f"tcpdump: invalid option -- '{ch}'\n" + USAGE, 1)
                j += 1
            i += 1
            continue
        rest.append(a)
        i += 1
    o.expr = rest
    return o


def _with_arg(o: TcpdumpOpts, ch: str, val: str) -> None:
    if ch == "i":
        o.iface = val
    elif ch == "c":
        try:
            n = int(val)
            if n <= 0:
                raise ValueError
        except ValueError:
            raise TcpdumpUsage(f"tcpdump: invalid packet count {val}\n", 1)
        o.count = n
    elif ch == "w":
        o.write = val
    elif ch == "r":
        o.read = val
    elif ch == "Q":
        if val not in ("in", "out", "inout"):
            raise TcpdumpUsage(f"tcpdump: {val}: direction must be 'in', 'out' or 'inout'\n", 1)
        o.direction = val
    elif ch == "s":
        try:
            o.snaplen = int(val) or 262144
        except ValueError:
            raise TcpdumpUsage(f"tcpdump: invalid snaplen {val}\n", 1)


class LineFormatter:
    """Turns capture events into tcpdump output lines."""

    def __init__(self, opts: TcpdumpOpts, any_iface: bool, epoch: float):
        self.opts = opts
        self.any = any_iface
        self.epoch = epoch
        self.prev: Optional[float] = None
        self.first: Optional[float] = None
        self.n = 0

    def timestamp(self, t: float) -> str:
        mode = self.opts.tstamp
        if mode == 1:
            return ""
        wall = self.epoch + t
        if mode == 2:
            return f"{wall:.6f} "
        if mode == 3:
            delta = 0.0 if self.prev is None else t - self.prev
            self.prev = t
            return _hms(delta) + " "
        if mode == 4:
            lt = _time.gmtime(int(wall))
            return _time.strftime("%Y-%m-%d ", lt) + _clock(wall) + " "
        if mode >= 5:
            if self.first is None:
                self.first = t
            return _hms(t - self.first) + " "
        return _clock(wall) + " "

    def line(self, ev) -> str:
        self.n += 1
        ts = self.timestamp(ev.time)
        prefix = f"{self.n:5d}  " if self.opts.number else ""
        s = prefix + ts
        if self.any:
            s += f"{ev.iface} {ev.direction:<3} " if False else f"{ev.iface} {ev.direction}  "
        if self.opts.ether:
            if self.any:
                s += _cooked_header(ev)
            else:
                s += printer.link_header(ev.data, False)
                body = printer.summary(ev.data, self.opts.verbose)
                # with -e the protocol name moves into the link header
                if body.startswith("ARP, "):
                    body = body[5:]
                elif body.startswith("IP "):
                    body = body[3:]
                return s + body
        return s + printer.summary(ev.data, self.opts.verbose)


def _cooked_header(ev) -> str:
    et = (ev.data[12] << 8) | ev.data[13]
    name = printer.ETHERTYPES.get(et, "Unknown")
    return f"{printer.mac(ev.data[6:12])} ethertype {name} (0x{et:04x}), length {len(ev.data) + 6}: "


def _clock(wall: float) -> str:
    lt = _time.gmtime(int(wall))
    us = int(round((wall - int(wall)) * 1e6))
    if us >= 1000000:
        us = 999999
    return f"{lt.tm_hour:02d}:{lt.tm_min:02d}:{lt.tm_sec:02d}.{us:06d}"


def _hms(d: float) -> str:
    h = int(d // 3600)
    m = int(d // 60 % 60)
    s = d % 60
    return f"{h:02d}:{m:02d}:{s:09.6f}"


def link_type_line(iface: str) -> str:
    if iface == "any":
        return "listening on any, link-type LINUX_SLL2 (Linux cooked v2), snapshot length 262144 bytes\n"
    return f"listening on {iface}, link-type EN10MB (Ethernet), snapshot length 262144 bytes\n"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


async def main(proc: Proc, argv: list[str]) -> int:
    try:
        o = parse_args(argv)
    except TcpdumpUsage as u:
        (proc.out if u.status == 0 else proc.err)(u.message)
        return u.status
    net = proc.net
    if o.list_ifaces:
        n = 1
        for dev in net.devices_in_order():
            extra = " [Loopback, Up, Running]" if dev.type == 772 and dev.is_up else ""
            proc.out(f"{n}.{dev.name}{extra}\n")
            n += 1
        proc.out(f"{n}.any (Pseudo-device that captures on all interfaces) [Up, Running]\n")
        return 0
    from . import filter as flt
    try:
        match = flt.compile_expr(o.expr)
    except flt.FilterError as err:
        proc.err(f"tcpdump: {err}\n")
        return 1
    if o.read is not None:
        from . import pcap
        return pcap.read_file(proc, o, match)
    iface = o.iface
    if iface is None:
        first = next((d for d in net.devices_in_order() if d.is_up and d.type != 772), None)
        iface = first.name if first is not None else "lo"
        if first is None and not net.loopback_dev.is_up:
            proc.err("tcpdump: no suitable device found\n")
            return 1
    if iface != "any":
        dev = net.dev_by_name(iface)
        if dev is None:
            proc.err(f"tcpdump: {iface}: No such device exists\n"
                     "(No such device exists)\n")
            return 1
        if not dev.is_up:
            proc.err(f"tcpdump: {iface}: That device is not up\n")
            return 1
        ifindex = dev.ifindex
    else:
        ifindex = None
    session = proc.session
    if session is not None and session.capture_hook is not None and not proc.background \
            and proc.tty and o.write is None:
        return session.capture_hook(proc, o, net, iface, ifindex, match)
    return await run_capture(proc, o, net, iface, ifindex, match)


async def run_capture(proc: Proc, o: TcpdumpOpts, net, iface: str, ifindex, match) -> int:
    """The blocking capture loop used by scripts (and by a console with no views)."""
    writer = None
    if o.write is not None:
        from . import pcap
        try:
            writer = pcap.PcapWriter(o.write, any_iface=ifindex is None)
        except OSError as err:
            proc.err(f"tcpdump: {o.write}: {err.strerror}\n")
            return 1
    if o.verbose == 0 and writer is None:
        proc.err("tcpdump: verbose output suppressed, use -v[v]... for full protocol decode\n")
    proc.err(link_type_line(iface))
    queue: deque = deque()
    gone = [False]
    event = proc.event()
    stats = {"seen": 0, "captured": 0}

    def sink(ev) -> None:
        stats["seen"] += 1
        if o.direction == "in" and ev.direction == "Out":
            return
        if o.direction == "out" and ev.direction != "Out":
            return
        if not match(ev):
            return
        queue.append(ev)
        event.set()

    def on_gone() -> None:
        gone[0] = True
        event.set()
    tap = Tap(net, ifindex, sink, on_gone)
    fmt = LineFormatter(o, ifindex is None, proc.world.epoch)
    captured = 0
    status = 0
    interrupted = False
    try:
        while True:
            while queue:
                ev = queue.popleft()
                captured += 1
                if writer is not None:
                    writer.write(ev)
                    if o.print_with_w:
                        proc.out(fmt.line(ev) + "\n")
                else:
                    proc.out(fmt.line(ev) + "\n")
                    if o.hex:
                        proc.out(printer_hex(ev.data, o.hex, skip_link=o.hex < 2 and o.hex < 20))
                if o.count and captured >= o.count:
                    break
            if o.count and captured >= o.count:
                break
            if gone[0]:
                proc.err("tcpdump: pcap_loop: The interface disappeared\n")
                status = 1
                break
            event.clear()
            await event.wait(None)
    except Interrupted:
        interrupted = True
    finally:
        tap.close()
        if writer is not None:
            writer.close()
    if interrupted:
        proc.out("\n")
    proc.err(f"{_plural(captured, 'packet')} captured\n"
             f"{_plural(max(captured, stats['seen']), 'packet')} received by filter\n"
             f"0 packets dropped by kernel\n")
    return status


def printer_hex(data: bytes, level: int, skip_link: bool) -> str:
    """-x/-xx (hex) and -X/-XX (hex and ASCII), 16 bytes a line."""
    ascii_ = level >= 10
    full = level in (2, 20) or level >= 20
    body = data if full else data[14:]
    out = []
    for off in range(0, len(body), 16):
        chunk = body[off:off + 16]
        groups = " ".join(chunk[i:i + 2].hex() for i in range(0, len(chunk), 2))
        line = f"\t0x{off:04x}:  {groups}"
        if ascii_:
            pad = 40 - len(groups)
            line += " " * pad + "  " + "".join(chr(b) if 32 <= b < 127 else "." for b in chunk)
        out.append(line)
    return "\n".join(out) + ("\n" if out else "")
