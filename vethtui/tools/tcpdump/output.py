"""tcpdump's printed lines: a packet with its number, timestamp and dumps
(LineFormatter), the "listening on" line, and the closing counters."""
from __future__ import annotations

import time as _time
from typing import Callable, Optional

from . import pcap, printer
from .filter import DLT_LINUX_SLL
from .options import MAXIMUM_SNAPLEN, TcpdumpOpts

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
        self.popts = printer.PrintOpts(opts.verbose, opts.ether, bool(opts.numeric), opts.quiet,
                                       opts.Sflag)
        self.popts.tcp_seq = {}

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
