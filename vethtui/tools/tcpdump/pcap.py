"""pcap files as libpcap 1.10 writes and reads them.

`tcpdump -w` writes the classic format (magic a1b2c3d4, version 2.4, microsecond
stamps, snaplen 262144) with link type EN10MB for one device, or LINUX_SLL2
(Linux cooked v2) for `-i any`; `tcpdump -r` reads those back, files written by
the real tcpdump included (both byte orders, micro- and nanosecond stamps, SLL v1
and v2, and pcapng's section/interface/enhanced packet blocks).

The SLL2 header is what the kernel's AF_PACKET socket reports for the frame
(libpcap's pcap-linux.c fills it from the sockaddr_ll): the ethertype, a
reserved 0, the interface index, the ARPHRD type (1 Ethernet, 772 loopback), the
packet type (0 host, 1 broadcast, 2 multicast, 3 other host, 4 outgoing), the
address length 6 and the address: `dev_parse_header`, i.e. the frame's source
MAC, for incoming and outgoing frames alike (zeros on loopback).

This module is the one place the simulator writes to the host, and only because
the user named the file.
"""
from __future__ import annotations

import struct
from dataclasses import dataclass
from typing import Iterable, Iterator, Optional

from ...kernel.wire import ARPHRD_ETHER, ARPHRD_LOOPBACK, SLL2_HDR, SLL_HDR

LINKTYPE_ETHERNET = 1
LINKTYPE_LINUX_SLL = 113
LINKTYPE_LINUX_SLL2 = 276
SNAPLEN = 262144

DIR_TO_PKTTYPE = {"In": 0, "B": 1, "M": 2, "P": 3, "Out": 4}
PKTTYPE_TO_DIR = {0: "In", 1: "B", 2: "M", 3: "P", 4: "Out"}

LINKTYPE_NAMES = {LINKTYPE_ETHERNET: ("EN10MB", "Ethernet"),
                  LINKTYPE_LINUX_SLL: ("LINUX_SLL", "Linux cooked v1"),
                  LINKTYPE_LINUX_SLL2: ("LINUX_SLL2", "Linux cooked v2")}


def linktype_text(linktype: int) -> str:
    """"EN10MB (Ethernet)", as tcpdump prints a link type."""
    name = LINKTYPE_NAMES.get(linktype)
    return f"{name[0]} ({name[1]})" if name else str(linktype)


# ---------------------------------------------------------------- packets

@dataclass
class Packet:
    """One captured frame as a pcap record holds it: link-layer bytes of `linktype`."""

    sec: int
    usec: int                 # microseconds (or nanoseconds when nano)
    data: bytes               # caplen bytes
    length: int               # original length on the wire
    linktype: int = LINKTYPE_ETHERNET
    nano: bool = False

    @property
    def time(self) -> float:
        return self.sec + self.usec / (1e9 if self.nano else 1e6)

    @property
    def ifindex(self) -> int:
        if self.linktype == LINKTYPE_LINUX_SLL2 and len(self.data) >= 8:
            return struct.unpack("!I", self.data[4:8])[0]
        return 0

    @property
    def direction(self) -> str:
        if self.linktype == LINKTYPE_LINUX_SLL2 and len(self.data) >= 11:
            return PKTTYPE_TO_DIR.get(self.data[10], "?")
        if self.linktype == LINKTYPE_LINUX_SLL and len(self.data) >= 2:
            return PKTTYPE_TO_DIR.get(struct.unpack("!H", self.data[0:2])[0], "?")
        return ""


def is_loopback_event(ev) -> bool:
    # lo is registered first in every namespace: ifindex 1, as in Linux
    return ev.ifindex == 1 or ev.iface == "lo"


def sll2_header(ev) -> bytes:
    """The 20-byte Linux cooked v2 header libpcap builds for a frame seen on `-i any`."""
    data = ev.data
    proto = (data[12] << 8) | data[13] if len(data) >= 14 else 0
    hatype = ARPHRD_LOOPBACK if is_loopback_event(ev) else ARPHRD_ETHER
    src = data[6:12] if len(data) >= 12 else b"\x00" * 6
    return SLL2_HDR.pack(proto, 0, ev.ifindex, hatype, DIR_TO_PKTTYPE.get(ev.direction, 0), 6,
                         src + b"\x00\x00")


def sll2_bytes(ev) -> bytes:
    """The frame as a `-i any` capture holds it: SLL2 header + network-layer bytes."""
    return sll2_header(ev) + ev.data[14:]


def sll_bytes(ev) -> bytes:
    """The frame as Linux cooked v1 holds it (`tcpdump` with no -i picks "any" as
    SLL v1 when no other interface is up): packet type, ARPHRD type, address length,
    8-byte address, ethertype, then the network-layer bytes."""
    data = ev.data
    proto = (data[12] << 8) | data[13] if len(data) >= 14 else 0
    hatype = ARPHRD_LOOPBACK if is_loopback_event(ev) else ARPHRD_ETHER
    src = data[6:12] if len(data) >= 12 else b"\x00" * 6
    return SLL_HDR.pack(DIR_TO_PKTTYPE.get(ev.direction, 0), hatype, 6, src + b"\x00\x00",
                        proto) + data[14:]


def link_bytes(ev, linktype: int) -> bytes:
    """A CaptureEvent's bytes as a capture of `linktype` holds them."""
    if linktype == LINKTYPE_LINUX_SLL2:
        return sll2_bytes(ev)
    if linktype == LINKTYPE_LINUX_SLL:
        return sll_bytes(ev)
    return ev.data


def usec_stamp(t: float, epoch: float) -> tuple[int, int]:
    """Virtual time `t` as a wall-clock (seconds, microseconds) stamp."""
    total = int(round(epoch * 1e6)) + int(round(t * 1e6))
    return total // 1000000, total % 1000000


def packet_from_event(ev, any_iface, epoch: float = 0.0,
                      snaplen: int = SNAPLEN) -> Packet:
    """A CaptureEvent as `tcpdump -i IF` (Ethernet) or `-i any` (SLL2) records it.
    `any_iface` may also be a link type number (1, 113 or 276)."""
    linktype = _linktype(any_iface)
    data = link_bytes(ev, linktype)
    sec, usec = usec_stamp(ev.time, epoch)
    return Packet(sec, usec, data[:snaplen], len(data), linktype)


def _linktype(any_iface) -> int:
    if isinstance(any_iface, bool) or any_iface in (None, 0):
        return LINKTYPE_LINUX_SLL2 if any_iface else LINKTYPE_ETHERNET
    return int(any_iface)


# ---------------------------------------------------------------- writing

def file_header(linktype: int, snaplen: int = SNAPLEN) -> bytes:
    return struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, snaplen, linktype)


def record(pkt: Packet) -> bytes:
    return struct.pack("<IIII", pkt.sec, pkt.usec, len(pkt.data), pkt.length) + pkt.data


class PcapWriter:
    """`pcap_dump_open` + `pcap_dump`: a classic pcap file, written as packets come.

    Records are buffered (as stdio buffers them) and reach the file on flush()
    or close(); `-U` flushes after every packet."""

    def __init__(self, path: str, any_iface: bool = False, epoch: float = 0.0,
                 snaplen: int = SNAPLEN, linktype: Optional[int] = None, file=None):
        self.linktype = linktype if linktype is not None else _linktype(any_iface)
        self.any = self.linktype != LINKTYPE_ETHERNET
        self.snaplen = snaplen
        self.epoch = epoch
        # `file`: a binary file object to write instead of opening `path` (a scratch file)
        self.f = file if file is not None else open(path, "wb")
        self._buf = bytearray(file_header(self.linktype, snaplen))
        self.count = 0

    def write(self, ev) -> None:
        """Record a CaptureEvent (the Tap sink signature)."""
        self.write_packet(packet_from_event(ev, self.linktype, self.epoch, self.snaplen))

    def write_packet(self, pkt: Packet) -> None:
        if len(pkt.data) > self.snaplen:
            pkt = Packet(pkt.sec, pkt.usec, pkt.data[:self.snaplen], pkt.length,
                         pkt.linktype, pkt.nano)
        if pkt.nano:
            pkt = Packet(pkt.sec, pkt.usec // 1000, pkt.data, pkt.length, pkt.linktype)
        self._buf += record(pkt)
        self.count += 1
        if len(self._buf) >= 4096:
            self.flush()

    def flush(self) -> None:
        if self._buf and not self.f.closed:
            self.f.write(self._buf)
            self.f.flush()
            self._buf = bytearray()

    def close(self) -> None:
        if not self.f.closed:
            self.flush()
            self.f.close()


def write_events(path: str, events: Iterable, any_iface: bool = False,
                 epoch: float = 0.0, snaplen: int = SNAPLEN) -> int:
    """Write capture events to `path` as `tcpdump -w` would (EN10MB, or SLL2 when
    `any_iface`); `epoch` is World.epoch. Returns the number of packets written.
    Raises OSError if the file cannot be written."""
    w = PcapWriter(path, any_iface=any_iface, epoch=epoch, snaplen=snaplen)
    try:
        for ev in events:
            w.write(ev)
    finally:
        w.close()
    return w.count


# ---------------------------------------------------------------- reading

class PcapError(Exception):
    """A file libpcap would refuse, worded as libpcap words it."""


@dataclass
class PcapFile:
    linktype: int
    snaplen: int
    nano: bool
    packets: Iterator[Packet]


def open_pcap(path: str, data: Optional[bytes] = None) -> PcapFile:
    """Open a pcap (or pcapng) file: raises OSError, or PcapError with libpcap's text
    ("unknown file format", "truncated dump file; ..."). Packets are read lazily; a
    damaged record raises PcapError from the iterator. With `data`, read those
    bytes instead of the file (a file of the shell's scratch file system)."""
    import io
    f = io.BytesIO(data) if data is not None else open(path, "rb")
    try:
        magic = f.read(4)
        if len(magic) < 4:
            raise PcapError("truncated dump file; tried to read 4 file header bytes, "
                            f"only got {len(magic)}")
        m = struct.unpack("<I", magic)[0]
        if m == 0x0A0D0D0A:
            return _open_pcapng(f, magic)
        if m in (0xA1B2C3D4, 0xA1B23C4D):
            e = "<"
        elif m in (0xD4C3B2A1, 0x4D3CB2A1):
            e = ">"
        else:
            raise PcapError("unknown file format")
        nano = m in (0xA1B23C4D, 0x4D3CB2A1)
        rest = f.read(20)
        if len(rest) < 20:
            raise PcapError("truncated dump file; tried to read 20 file header bytes, "
                            f"only got {len(rest)}")
        major, minor, _zone, _sig, snaplen, linktype = struct.unpack(e + "HHiIII", rest)
        if major < 2:
            raise PcapError("archaic pcap savefile format")
        linktype &= 0x03FFFFFF
        if snaplen == 0 or snaplen > 0x7FFFFFFF:
            snaplen = SNAPLEN
    except BaseException:
        f.close()
        raise
    return PcapFile(linktype, snaplen, nano, _records(f, e, linktype, nano))


def _records(f, e: str, linktype: int, nano: bool) -> Iterator[Packet]:
    with f:
        while True:
            rh = f.read(16)
            if not rh:
                return
            if len(rh) < 16:
                raise PcapError("truncated dump file; tried to read 16 header bytes, "
                                f"only got {len(rh)}")
            sec, frac, incl, orig = struct.unpack(e + "IIII", rh)
            data = f.read(incl)
            if len(data) < incl:
                raise PcapError(f"truncated dump file; tried to read {incl} captured bytes, "
                                f"only got {len(data)}")
            yield Packet(sec, frac, data, orig, linktype, nano)


def _open_pcapng(f, magic: bytes) -> PcapFile:
    head = f.read(8)
    if len(head) < 8:
        raise PcapError("truncated dump file; tried to read 12 file header bytes, "
                        f"only got {4 + len(head)}")
    bom = head[4:8]
    e = "<" if bom == b"\x4d\x3c\x2b\x1a" else ">" if bom == b"\x1a\x2b\x3c\x4d" else None
    if e is None:
        raise PcapError("unknown file format")
    blen = struct.unpack(e + "I", head[0:4])[0]
    f.read(blen - 12)
    ifaces: list[tuple[int, int]] = []      # (linktype, ts divisor)

    # the first interface description block gives the file's link type
    first = _pcapng_next(f, e)
    pending = []
    while first is not None and first[0] != 1:
        pending.append(first)
        first = _pcapng_next(f, e)
    if first is None:
        f.close()
        return PcapFile(LINKTYPE_ETHERNET, SNAPLEN, False, iter(()))
    linktype, snaplen = struct.unpack(e + "HxxI", first[1][:8])
    ifaces.append((linktype, _if_tsresol(first[1], e)))

    def packets() -> Iterator[Packet]:
        with f:
            while True:
                blk = _pcapng_next(f, e)
                if blk is None:
                    return
                btype, body = blk
                if btype == 1:
                    lt, _ = struct.unpack(e + "HxxI", body[:8])
                    ifaces.append((lt, _if_tsresol(body, e)))
                elif btype == 6:
                    ifid, hi, lo, cap, orig = struct.unpack(e + "IIIII", body[:20])
                    lt, div = ifaces[ifid] if ifid < len(ifaces) else (linktype, 1000000)
                    ts = (hi << 32) | lo
                    sec, frac = divmod(ts, div)
                    usec = frac * 1000000 // div
                    yield Packet(sec, usec, body[20:20 + cap], orig, lt)
                elif btype == 3:
                    orig = struct.unpack(e + "I", body[:4])[0]
                    yield Packet(0, 0, body[4:4 + orig], orig, linktype)
    return PcapFile(linktype, snaplen or SNAPLEN, False, packets())


def _pcapng_next(f, e: str):
    h = f.read(8)
    if len(h) < 8:
        return None
    btype, blen = struct.unpack(e + "II", h)
    body = f.read(blen - 12)
    f.read(4)
    return btype, body


def _if_tsresol(body: bytes, e: str) -> int:
    i = 8
    while i + 4 <= len(body):
        code, ln = struct.unpack(e + "HH", body[i:i + 4])
        if code == 0:
            break
        if code == 9 and ln >= 1:
            v = body[i + 4]
            return 2 ** (v & 0x7F) if v & 0x80 else 10 ** v
        i += 4 + ((ln + 3) & ~3)
    return 1000000


def read_packets(path: str) -> tuple[int, list[Packet]]:
    """(link type, packets) of a whole file; raises OSError or PcapError."""
    pf = open_pcap(path)
    return pf.linktype, list(pf.packets)
