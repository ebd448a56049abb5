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

The command line is options.py (getopt_long, TcpdumpOpts) and the printed lines
output.py (LineFormatter, "listening on", the counters); this module runs it.

In the console a live `tcpdump -i IF` becomes a capture view (the session's
capture hook); in a script it runs until -c packets or SIGINT.
"""
from __future__ import annotations

import math
from collections import deque
from typing import Optional

from ...kernel.capture import Tap
from ...kernel.clock import Interrupted
from .. import scratch as scratch_fs
from ..base import Proc
from ..resolv import hosts_by_addr, hosts_by_name
from . import pcap
from .filter import DLT_EN10MB, DLT_LINUX_SLL, DLT_LINUX_SLL2, FilterError, compile_filter
from .options import (MAXIMUM_SNAPLEN, STDIO_BUFSIZ, USAGE, VERSION, TcpdumpOpts, TcpdumpUsage,
                      parse_args)
from .output import LineFormatter, counters, link_type_line

__all__ = ["main", "run_capture", "read_file", "device_list", "parse_args", "TcpdumpOpts",
           "TcpdumpUsage", "LineFormatter", "link_type_line", "counters", "USAGE", "VERSION",
           "MAXIMUM_SNAPLEN"]

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
        match = compile_filter(o.expr, linktype, netmask=netmask if netmask is not None else 0,
                               hosts=hosts_by_name(proc.session))
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
    """The capture loop used by scripts (and by a console with no views).

    Over 80 lines: pcap_loop's timing (block timeouts, -c, --immediate-mode,
    buffering, SIGINT and the closing counters) is one sequence whose steps share
    the counters; it is the next function to split (a capture-state object)."""
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
    fmt.popts.hosts = hosts_by_addr(proc.session)
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
        match = compile_filter(o.expr, pf.linktype, netmask=0, savefile=True,
                               hosts=hosts_by_name(proc.session))
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
    fmt.popts.hosts = hosts_by_addr(proc.session)
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
