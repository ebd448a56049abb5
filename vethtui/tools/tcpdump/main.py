"""tcpdump 4.99.3 (libpcap 1.10.3, TPACKET_V3) over the simulated capture taps.

What a script (or the oracle's pipe) sees, in order: the startup lines on stderr
("tcpdump: data link type LINUX_SLL2" for `-i any`; "tcpdump: verbose output
suppressed, use -v[v]... for full protocol decode" unless -v or -w, else a
"tcpdump: " prefix; "listening on IF, link-type ..., snapshot length 262144
bytes"), the packets on stdout, and when -c is reached or on Ctrl+C the three
counters on stderr. stdout is flushed before the counters, so with or without
-l the packets come first; without -l (a pipe) it is block-buffered, so other
programs' output can come before them.

Capture timing is libpcap's: without --immediate-mode the kernel hands packets
over a block at a time, when the block's timer fires (every 1 s, or 100 ms when
printing to a terminal or with -l). tcpdump therefore sees a burst at once, stops
after -c of them, and "packets received by filter" counts every packet that
passed the filter by then (including ones -Q threw away, and the outgoing copy of
each loopback frame, which libpcap drops in user space).

In the console a live `tcpdump -i IF` becomes a capture view (the session's
capture hook); in a script it runs until -c packets or SIGINT.
"""
from __future__ import annotations

import math
import time as _time
from collections import deque
from dataclasses import dataclass, field
from typing import Callable, Optional

from ...kernel.capture import Tap
from ...kernel.clock import Interrupted
from .. import scratch as scratch_fs
from ..base import Proc
from . import pcap, printer
from .filter import DLT_EN10MB, DLT_LINUX_SLL, DLT_LINUX_SLL2, FilterError, compile_filter

VERSION = """tcpdump version 4.99.3
libpcap version 1.10.3 (with TPACKET_V3)
OpenSSL 3.0.19 27 Jan 2026
"""

USAGE = VERSION + """Usage: tcpdump [-AbdDefhHIJKlLnNOpqStuUvxX#] [ -B size ] [ -c count ] [--count]
\t\t[ -C file_size ] [ -E algo:secret ] [ -F file ] [ -G seconds ]
\t\t[ -i interface ] [ --immediate-mode ] [ -j tstamptype ]
\t\t[ -M secret ] [ --number ] [ --print ] [ -Q in|out|inout ]
\t\t[ -r file ] [ -s snaplen ] [ -T type ] [ --version ]
\t\t[ -V file ] [ -w file ] [ -W filecount ] [ -y datalinktype ]
\t\t[ --time-stamp-precision precision ] [ --micro ] [ --nano ]
\t\t[ -z postrotate-command ] [ -Z user ] [ expression ]
"""

# getopt's SHORTOPTS of tcpdump 4.99 on Linux
WITH_ARG = set("BcCEFGiIjMQrsTVwWyzZm")
NO_ARG = set("aAbdDefhHJKlLnNOpqStuUvxXY#")
LONG_OPTS = {  # name: takes an argument
    "buffer-size": True, "list-interfaces": False, "help": False, "interface": True,
    "monitor-mode": False, "time-stamp-type": True, "list-time-stamp-types": False,
    "micro": False, "nano": False, "time-stamp-precision": True,
    "dont-verify-checksums": False, "list-data-link-types": False, "no-optimize": False,
    "no-promiscuous-mode": False, "direction": True, "snapshot-length": True,
    "absolute-tcp-sequence-numbers": False, "packet-buffered": False, "linktype": True,
    "immediate-mode": False, "debug-filter-parser": False, "relinquish-privileges": True,
    "count": False, "fp-type": False, "number": False, "print": False, "version": False,
}
LONG_AS_SHORT = {"buffer-size": "B", "list-interfaces": "D", "help": "h", "interface": "i",
                 "monitor-mode": "I", "time-stamp-type": "j", "list-time-stamp-types": "J",
                 "dont-verify-checksums": "K", "list-data-link-types": "L",
                 "no-optimize": "O", "no-promiscuous-mode": "p", "direction": "Q",
                 "snapshot-length": "s", "absolute-tcp-sequence-numbers": "S",
                 "packet-buffered": "U", "linktype": "y", "debug-filter-parser": "Y",
                 "relinquish-privileges": "Z", "number": "#"}
MAXIMUM_SNAPLEN = 262144
STDIO_BUFSIZ = 4096


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
    xflag: int = 0           # -x / -xx
    Xflag: int = 0           # -X / -XX
    Aflag: int = 0           # -A / -AA
    number: bool = False
    expr: list[str] = field(default_factory=list)
    list_ifaces: bool = False
    snaplen: int = MAXIMUM_SNAPLEN
    immediate: bool = False
    print_with_w: bool = False
    count_mode: bool = False
    packet_buffered: bool = False
    nano: bool = False

    @property
    def hex(self) -> int:
        """Old name: nonzero when -x/-X was given."""
        return self.xflag + 10 * self.Xflag


class TcpdumpUsage(Exception):
    def __init__(self, message: str, status: int = 1, stdout: bool = False):
        self.message = message
        self.status = status
        self.stdout = stdout


def _atoi(s: str) -> int:
    """C's atoi: leading blanks, a sign, digits; 0 if none."""
    s = s.lstrip(" \t\n\r\f\v")
    sign = 1
    if s[:1] in "+-" and s:
        sign = -1 if s[0] == "-" else 1
        s = s[1:]
    n = 0
    for ch in s:
        if not ch.isdigit():
            break
        n = n * 10 + int(ch)
    return sign * n


def parse_args(argv: list[str]) -> TcpdumpOpts:
    """getopt_long as glibc does it for tcpdump's options (it permutes: options may
    follow the expression words)."""
    o = TcpdumpOpts()
    rest: list[str] = []
    i = 1
    while i < len(argv):
        a = argv[i]
        if a == "--":
            rest.extend(argv[i + 1:])
            break
        if a.startswith("--"):
            name, eq, val = a[2:].partition("=")
            matches = [n for n in LONG_OPTS if n.startswith(name)] if name else []
            if name in LONG_OPTS:
                matches = [name]
            if len(matches) != 1:
                if len(matches) > 1:
                    raise TcpdumpUsage(f"tcpdump: option '{a}' is ambiguous; possibilities:" +
                                       "".join(f" '--{m}'" for m in matches) + "\n" + USAGE)
                raise TcpdumpUsage(f"tcpdump: unrecognized option '{a}'\n" + USAGE)
            name = matches[0]
            if LONG_OPTS[name]:
                if not eq:
                    i += 1
                    if i >= len(argv):
                        raise TcpdumpUsage(f"tcpdump: option '--{name}' requires an "
                                           "argument\n" + USAGE)
                    val = argv[i]
            elif eq:
                raise TcpdumpUsage(f"tcpdump: option '--{name}' doesn't allow an argument\n"
                                   + USAGE)
            if name in LONG_AS_SHORT:
                _opt(o, LONG_AS_SHORT[name], val)
            elif name == "version":
                raise TcpdumpUsage(VERSION, 0, stdout=True)
            elif name == "immediate-mode":
                o.immediate = True
            elif name == "print":
                o.print_with_w = True
            elif name == "count":
                o.count_mode = True
            elif name == "nano":
                o.nano = True
            elif name == "micro":
                o.nano = False
            elif name == "time-stamp-precision":
                if val not in ("micro", "nano"):
                    raise TcpdumpUsage("tcpdump: unsupported time stamp precision\n")
                o.nano = val == "nano"
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
                            raise TcpdumpUsage(f"tcpdump: option requires an argument -- "
                                               f"'{ch}'\n" + USAGE)
                        val = argv[i]
                    _opt(o, ch, val)
                    break
                if ch in NO_ARG:
                    _opt(o, ch, "")
                else:
                    raise TcpdumpUsage(f"tcpdump: invalid option -- '{ch}'\n" + USAGE)
                j += 1
            i += 1
            continue
        rest.append(a)
        i += 1
    o.expr = rest
    return o


def _opt(o: TcpdumpOpts, ch: str, val: str) -> None:
    if ch == "i":
        o.iface = val
    elif ch == "c":
        n = _atoi(val)
        if n <= 0:
            raise TcpdumpUsage(f"tcpdump: invalid packet count {val}\n")
        o.count = n
    elif ch == "w":
        o.write = val
    elif ch == "r":
        o.read = val
    elif ch == "Q":
        v = val.lower()
        if v not in ("in", "out", "inout"):
            raise TcpdumpUsage(f"tcpdump: unknown capture direction `{val}'\n")
        o.direction = v
    elif ch == "s":
        try:
            n = int(val, 0)
        except ValueError:
            n = -1
        if n < 0 or n > MAXIMUM_SNAPLEN:
            raise TcpdumpUsage(f"tcpdump: invalid snaplen {val} (must be >= 0 and <= "
                               f"{MAXIMUM_SNAPLEN})\n")
        o.snaplen = n or MAXIMUM_SNAPLEN
    elif ch == "n":
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
        o.xflag += 1
    elif ch == "X":
        o.Xflag += 1
    elif ch == "A":
        o.Aflag += 1
    elif ch == "D":
        o.list_ifaces = True
    elif ch == "#":
        o.number = True
    elif ch == "U":
        o.packet_buffered = True
    elif ch == "h":
        raise TcpdumpUsage(USAGE, 0)


# ---------------------------------------------------------------- formatting

class LineFormatter:
    """Capture events (or pcap Packets) to tcpdump's printed text, one packet a call.

    `line(ev)` gives the packet's text without the final newline: the -# number,
    the timestamp (per -t...), the packet as printed for the link type (SLL2
    columns "veth0 Out " for `-i any`), continuation lines for -v, and the -x/-X
    dump lines. `epoch` maps virtual time to the wall clock (World.epoch)."""

    def __init__(self, opts: TcpdumpOpts, any_iface, epoch: float,
                 ifname: Optional[Callable[[int], str]] = None):
        self.opts = opts
        # True for -i any (SLL2), False for a device (EN10MB), or a link type number
        self.linktype = pcap._linktype(any_iface)
        self.any = self.linktype != pcap.LINKTYPE_ETHERNET
        self.epoch = epoch
        self.ifname = ifname
        self.ref: Optional[tuple[int, int]] = None
        self.n = 0
        self.popts = printer.PrintOpts(opts.verbose, opts.ether, bool(opts.numeric), opts.quiet)

    # -- timestamps ---------------------------------------------------------------
    def timestamp(self, sec: int, frac: int) -> str:
        """ts_print(): `frac` is in µs, or ns when opts.nano."""
        mode = self.opts.tstamp
        unit = 1000000000 if self.opts.nano else 1000000
        width = 9 if self.opts.nano else 6
        if mode == 1:
            return ""
        if mode == 2:
            return f"{sec}.{frac:0{width}d} "
        if mode in (3, 5):
            if self.ref is None:
                self.ref = (sec, frac)
            cur = sec * unit + frac
            ref = self.ref[0] * unit + self.ref[1]
            neg = cur < ref
            d = abs(cur - ref)
            if mode == 3:
                self.ref = (sec, frac)
            ds, df = divmod(d, unit)
            tm = _time.gmtime(ds)
            return f"{'-' if neg else ' '}{tm.tm_hour:02d}:{tm.tm_min:02d}:{tm.tm_sec:02d}." \
                   f"{df:0{width}d} "
        tm = _time.gmtime(sec)          # the lab's clock is UTC
        hms = f"{tm.tm_hour:02d}:{tm.tm_min:02d}:{tm.tm_sec:02d}.{frac:0{width}d}"
        if mode == 4:
            return _time.strftime("%Y-%m-%d ", tm) + hms + " "
        if mode > 5:
            return ""
        return hms + " "

    # -- packets -------------------------------------------------------------------
    def packet_of(self, ev) -> pcap.Packet:
        if isinstance(ev, pcap.Packet):
            return ev
        pkt = pcap.packet_from_event(ev, self.linktype, self.epoch, self.opts.snaplen)
        if self.opts.nano:
            total = int(round(self.epoch * 1e9)) + int(round(ev.time * 1e9))
            pkt.sec, pkt.usec = divmod(total, 1000000000)
            pkt.nano = True
        return pkt

    def line(self, ev) -> str:
        pkt = self.packet_of(ev)
        self.n += 1
        o = self.opts
        frac = pkt.usec
        if pkt.nano and not o.nano:
            frac //= 1000
        elif o.nano and not pkt.nano:
            frac *= 1000
        s = (f"{self.n:5d}  " if o.number else "") + self.timestamp(pkt.sec, frac)
        if isinstance(ev, pcap.Packet):
            names = self.ifname or (lambda i: "?")
        else:
            names = lambda i, name=ev.iface: name
        s += printer.format_packet(pkt.data, pkt.linktype, self.popts, pkt.length, names)
        if o.xflag or o.Xflag or o.Aflag:
            s += printer.hex_dump(pkt.data, pkt.linktype, o.xflag, o.Xflag, o.Aflag)
        return s


def link_type_line(iface: str, linktype: Optional[int] = None) -> str:
    if linktype == DLT_LINUX_SLL:
        return f"listening on {iface}, link-type LINUX_SLL (Linux cooked v1), " \
               f"snapshot length {MAXIMUM_SNAPLEN} bytes\n"
    if iface.startswith("any"):
        return f"listening on {iface}, link-type LINUX_SLL2 (Linux cooked v2), " \
               f"snapshot length {MAXIMUM_SNAPLEN} bytes\n"
    return f"listening on {iface}, link-type EN10MB (Ethernet), " \
           f"snapshot length {MAXIMUM_SNAPLEN} bytes\n"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def counters(captured: int, received: int, dropped: int = 0) -> str:
    """info(1): tcpdump's closing lines."""
    return (f"{_plural(captured, 'packet')} captured\n"
            f"{_plural(received, 'packet')} received by filter\n"
            f"{_plural(dropped, 'packet')} dropped by kernel\n")


# ---------------------------------------------------------------- devices

PSEUDO_DEVICES = [
    ("bluetooth-monitor", "Bluetooth Linux Monitor", "Wireless"),
    ("nflog", "Linux netfilter log (NFLOG) interface", "none"),
    ("nfqueue", "Linux netfilter queue (NFQUEUE) interface", "none"),
    ("dbus-system", "D-Bus system bus", "none"),
    ("dbus-session", "D-Bus session bus", "none"),
]


def device_list(net) -> list[tuple[str, str]]:
    """pcap_findalldevs(): (name, the -D text after the name), in libpcap 1.10's
    order: by its "figure of merit" (not running, not up, disconnected, loopback
    and "any" each push a device down), devices of equal merit in the order they
    were found (interface index order, then libpcap's pseudo devices)."""
    entries = []
    for order, dev in enumerate(net.devices_in_order()):
        up = dev.is_up
        loop = dev.type == 772
        running = up and (loop or _carrier(dev))
        merit = 0
        if not running:
            merit |= 0x80000000
        if not up:
            merit |= 0x40000000
        if not loop and not running:
            merit |= 0x20000000
        if loop:
            merit |= 0x10000000
        flags = [f for f, on in (("Up", up), ("Running", running), ("Loopback", loop)) if on]
        text = " [" + (", ".join(flags) if flags else "none")
        if not loop:
            text += ", Connected" if running else ", Disconnected"
        entries.append((merit, order, dev.name, text + "]"))
    entries.append((0x08000000, 5000, "any",
                    " (Pseudo-device that captures on all interfaces) [Up, Running]"))
    for k, (name, desc, flag) in enumerate(PSEUDO_DEVICES):
        entries.append((0xC0000000, 10000 + k, name, f" ({desc}) [{flag}]"))
    entries.sort(key=lambda e: (e[0], e[1]))
    return [(name, text) for _, _, name, text in entries]


def _carrier(dev) -> bool:
    return bool(getattr(dev, "carrier", True))


# ---------------------------------------------------------------- main

async def main(proc: Proc, argv: list[str]) -> int:
    try:
        o = parse_args(argv)
        if o.list_ifaces:
            for n, (name, text) in enumerate(device_list(proc.net), 1):
                proc.out(f"{n}.{name}{text}\n")
            return 0
        if o.tstamp > 5:
            raise TcpdumpUsage("tcpdump: only -t, -tt, -ttt, -tttt and -ttttt are supported\n")
    except TcpdumpUsage as u:
        (proc.out if u.stdout else proc.err)(u.message)
        return u.status
    if o.read is not None:
        return read_file(proc, o)
    net = proc.net
    iface = o.iface
    # "-i any" asks for LINUX_SLL2 (tcpdump sets it while parsing the options); an
    # "any" picked as the default device keeps libpcap's own LINUX_SLL (v1)
    sll2 = iface is not None and iface.startswith("any")
    if iface is None:
        devs = device_list(net)
        iface = devs[0][0] if devs else "any"
    elif iface.isdigit() or (iface.startswith("-") and iface[1:].isdigit()):
        n = int(iface)
        devs = device_list(net)
        if n < 1:
            proc.err("tcpdump: Invalid adapter index\n")
            return 1
        if n > len(devs):
            proc.err("tcpdump: Invalid adapter index\n")
            return 1
        iface = devs[n - 1][0]
    any_iface = iface.startswith("any")
    netmask = None
    if any_iface:
        ifindex = None
        if iface != "any":
            proc.err(f"tcpdump: {iface}: No such device exists\n(No such device exists)\n")
            return 1
    else:
        dev = net.dev_by_name(iface)
        if dev is None:
            if any(iface == p[0] for p in PSEUDO_DEVICES):
                proc.err(f"tcpdump: {iface}: That device is not up\n")
                return 1
            proc.err(f"tcpdump: {iface}: No such device exists\n(No such device exists)\n")
            return 1
        if not dev.is_up:
            proc.err(f"tcpdump: {iface}: That device is not up\n")
            return 1
        ifindex = dev.ifindex
        netmask = _netmask(dev)
    if any_iface and sll2:
        proc.err("tcpdump: data link type LINUX_SLL2\n")
    linktype = (DLT_LINUX_SLL2 if sll2 else DLT_LINUX_SLL) if any_iface else DLT_EN10MB
    try:
        match = compile_filter(o.expr, linktype, netmask=netmask if netmask is not None else 0)
    except FilterError as err:
        proc.err(f"tcpdump: {err.message}\n")
        return 1
    session = proc.session
    if session is not None and session.capture_hook is not None and not proc.background \
            and proc.tty and o.write is None:
        return session.capture_hook(proc, o, net, iface, ifindex, match)
    return await run_capture(proc, o, net, iface, ifindex, match, linktype)


def _netmask(dev) -> Optional[int]:
    """pcap_lookupnet(): the netmask of the device's first IPv4 address, if any."""
    in_dev = getattr(dev, "in_dev", None)
    for ifa in getattr(in_dev, "ifa_list", None) or []:
        return ifa.mask
    return None


class _Stdout:
    """stdio's stdout: line-buffered (-l, or a terminal) or 4096-byte blocks (a pipe)."""

    def __init__(self, proc: Proc, line: bool):
        self.proc = proc
        self.line = line
        self.buf = ""

    def write(self, text: str) -> None:
        if self.line:
            self.proc.out(text)
            return
        self.buf += text
        while len(self.buf) >= STDIO_BUFSIZ:
            self.proc.out(self.buf[:STDIO_BUFSIZ])
            self.buf = self.buf[STDIO_BUFSIZ:]

    def flush(self) -> None:
        if self.buf:
            self.proc.out(self.buf)
            self.buf = ""


async def run_capture(proc: Proc, o: TcpdumpOpts, net, iface: str, ifindex, match,
                      linktype: Optional[int] = None) -> int:
    """The capture loop used by scripts (and by a console with no views)."""
    writer = None
    if linktype is None:
        linktype = DLT_LINUX_SLL2 if ifindex is None else DLT_EN10MB
    if o.write is not None:
        try:
            writer = pcap.PcapWriter(o.write, linktype=linktype, epoch=proc.world.epoch,
                                     snaplen=o.snaplen,
                                     file=scratch_fs.writer(proc.session, o.write))
        except OSError as err:
            proc.err(f"tcpdump: {o.write}: {err.strerror}\n")
            return 1
    printing = writer is None or o.print_with_w
    if o.verbose == 0 and writer is None:
        proc.err("tcpdump: verbose output suppressed, use -v[v]... for full protocol decode\n")
    else:
        proc.err("tcpdump: ")
    proc.err(link_type_line(iface, linktype).replace(f"{MAXIMUM_SNAPLEN} bytes",
                                                     f"{o.snaplen} bytes"))

    sched = proc.world.sched
    start = sched.now
    # the block timeout: 100 ms when printing to a terminal or with -l, else 1 s
    tov = 0.1 if printing and (proc.tty or o.linebuf) else 1.0
    ring: deque = deque()
    gone = [False]
    event = proc.event()
    stats = {"recv": 0, "captured": 0}
    wake_at = [None]
    lo_ifindex = net.loopback_dev.ifindex

    def deliver() -> None:
        wake_at[0] = None
        event.set()

    def sink(ev) -> None:
        # the kernel runs the filter on every frame; -Q and loopback's outgoing
        # copies are dropped afterwards, in libpcap (so they still count)
        is_lo = ev.ifindex == lo_ifindex
        if is_lo and match(_as_outgoing(ev)):
            stats["recv"] += 1
        if not match(ev):
            return
        stats["recv"] += 1
        if o.direction == "in" and ev.direction == "Out":
            return
        if o.direction == "out" and ev.direction != "Out":
            return
        ring.append(ev)
        if o.immediate:
            event.set()
        elif wake_at[0] is None:
            k = math.floor((sched.now - start) / tov + 1e-9) + 1
            wake_at[0] = start + k * tov
            sched.call_at(wake_at[0], deliver)

    def on_gone() -> None:
        gone[0] = True
        event.set()

    tap = Tap(net, ifindex, sink, on_gone)
    fmt = LineFormatter(o, linktype, proc.world.epoch)
    out = _Stdout(proc, o.linebuf or proc.tty)
    got = _GotCounter(proc, sched, start) if (writer is not None and o.verbose) else None
    status = 0
    interrupted = False
    # libpcap filters the first block again in user space (packets may have come
    # before the kernel filter was set): a filter that loads kernel metadata
    # (inbound/outbound or ifindex on one device) rejects all of that block
    first_block = [True]
    try:
        while True:
            if ring and first_block[0]:
                first_block[0] = False
                if getattr(match, "kernel_metadata", False):
                    block = [ev for ev in (list(ring)[:1] if o.immediate else list(ring))]
                    for ev in block:
                        ring.remove(ev)
                    ring.extendleft(reversed([ev for ev in block if match(ev, userland=True)]))
            while ring and not (o.count and stats["captured"] >= o.count):
                ev = ring.popleft()
                stats["captured"] += 1
                if writer is not None:
                    writer.write(ev)
                    if o.packet_buffered:
                        writer.flush()
                if printing and not o.count_mode:
                    out.write(fmt.line(ev) + "\n")
                if got is not None:
                    got.changed(stats["captured"])
            if o.count and stats["captured"] >= o.count:
                break
            if gone[0]:
                status = 1
                break
            event.clear()
            await event.wait(None)
    except Interrupted:
        interrupted = True
    finally:
        tap.close()
        if got is not None:
            got.stop()
    if writer is None:
        # "we got interrupted, so perhaps we didn't manage to finish a line"
        if interrupted:
            out.write("\n")
    out.flush()
    if gone[0] and not interrupted:
        proc.err("tcpdump: pcap_loop: The interface disappeared\n")
    if writer is not None:
        writer.close()
    proc.err(counters(stats["captured"], stats["recv"]))
    return status


def _as_outgoing(ev):
    from dataclasses import replace
    try:
        return replace(ev, direction="Out")
    except TypeError:  # not a dataclass
        return ev


class _GotCounter:
    """-w with -v: once a second "Got N\\r" on stderr when the count changed."""

    def __init__(self, proc: Proc, sched, start: float):
        self.proc = proc
        self.sched = sched
        self.first = True
        self.prev = 0
        self.count = 0
        self.active = True
        self.armed = False
        self.next = start + 1.000001
        self._arm()

    def _arm(self) -> None:
        if self.armed or not self.active:
            return
        self.armed = True
        while self.next <= self.sched.now:
            self.next += 1.0
        self.sched.call_later(self.next - self.sched.now, self._tick)

    def _tick(self) -> None:
        self.armed = False
        if not self.active:
            return
        self.next += 1.0
        if self.first or self.count != self.prev:
            self.proc.err(f"Got {self.count}\r")
            self.first = False
            self.prev = self.count

    def changed(self, count: int) -> None:
        self.count = count
        self._arm()

    def stop(self) -> None:
        self.active = False


# ---------------------------------------------------------------- -r

def read_file(proc: Proc, o: TcpdumpOpts) -> int:
    """`tcpdump -r FILE`: decode a pcap file (ours or the real tcpdump's)."""
    path = o.read
    scratch = getattr(proc.session, "files", None) or {}
    data = None
    if path in scratch:          # written by a redirection: the shell's scratch file system
        data = scratch[path].encode("utf-8", "surrogateescape")
    elif not scratch_fs.host_files(proc.session):
        proc.err(f"tcpdump: {path}: No such file or directory\n")
        return 1
    try:
        pf = pcap.open_pcap(path, data)
    except FileNotFoundError:
        proc.err(f"tcpdump: {path}: No such file or directory\n")
        return 1
    except IsADirectoryError:
        proc.err("tcpdump: error reading dump file: Is a directory\n")
        return 1
    except pcap.PcapError as err:
        proc.err(f"tcpdump: {err}\n")
        return 1
    except OSError as err:
        proc.err(f"tcpdump: {path}: {err.strerror}\n")
        return 1
    proc.err(f"reading from file {path}, link-type {pcap.linktype_text(pf.linktype)}, "
             f"snapshot length {pf.snaplen}\n")
    if pf.linktype == pcap.LINKTYPE_LINUX_SLL2:
        proc.err("Warning: interface names might be incorrect\n")
    try:
        match = compile_filter(o.expr, pf.linktype, netmask=0, savefile=True)
    except FilterError as err:
        proc.err(f"tcpdump: {err.message}\n")
        return 1
    writer = None
    if o.write is not None:
        try:
            writer = pcap.PcapWriter(o.write, linktype=pf.linktype, snaplen=pf.snaplen,
                                     file=scratch_fs.writer(proc.session, o.write))
        except OSError as err:
            proc.err(f"tcpdump: {o.write}: {err.strerror}\n")
            return 1
    printing = writer is None or o.print_with_w

    def ifname(i: int) -> str:
        dev = proc.net.dev_by_index(i)
        return dev.name if dev is not None else "?"
    fmt = LineFormatter(o, pf.linktype, 0.0, ifname)
    out = _Stdout(proc, o.linebuf or proc.tty)
    n = 0
    status = 0
    try:
        for pkt in pf.packets:
            if not match.match_bytes(pkt.data):
                continue
            n += 1
            if writer is not None:
                writer.write_packet(pkt)
            if printing and not o.count_mode:
                out.write(fmt.line(pkt) + "\n")
            if o.count and n >= o.count:
                break
    except pcap.PcapError as err:
        out.flush()
        proc.err(f"tcpdump: pcap_loop: {err}\n")
        status = 1
    out.flush()
    if writer is not None:
        writer.close()
    if o.count_mode:
        proc.out(f"{n} packet{'' if n == 1 else 's'}\n")
    return status
