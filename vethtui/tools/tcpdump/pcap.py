"""pcap files: `tcpdump -w` writes them (Ethernet, or Linux cooked v2 for -i any),
`tcpdump -r` reads them back, including files the real tcpdump wrote.

This is the one place the simulator writes to the host, and only because the
user named the file.
"""
from __future__ import annotations

import struct
from dataclasses import dataclass

from ..base import Proc

LINKTYPE_ETHERNET = 1
LINKTYPE_LINUX_SLL = 113
LINKTYPE_LINUX_SLL2 = 276
DIR_TO_PKTTYPE = {"In": 0, "B": 1, "M": 2, "P": 3, "Out": 4}
PKTTYPE_TO_DIR = {v: k for k, v in DIR_TO_PKTTYPE.items()}


class PcapWriter:
    def __init__(self, path: str, any_iface: bool, epoch: float = 0.0, snaplen: int = 262144):
        self.any = any_iface
        self.f = open(path, "wb")
        linktype = LINKTYPE_LINUX_SLL2 if any_iface else LINKTYPE_ETHERNET
        self.f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, snaplen, linktype))
        self.epoch = epoch
        self.count = 0

    def record(self, ev) -> bytes:
        data = ev.data
        if self.any:
            et = (data[12] << 8) | data[13]
            hatype = 772 if ev.iface == "lo" else 1
            addr = (data[0:6] if ev.direction == "Out" and False else data[6:12]) + b"\x00\x00"
            hdr = struct.pack("!HHIHBB8s", et, 0, ev.ifindex, hatype,
                              DIR_TO_PKTTYPE.get(ev.direction, 0), 6, addr)
            data = hdr + data[14:]
        return data

    def write(self, ev, when: float = None) -> None:
        from ...kernel.world import World  # noqa: F401  (epoch lives on the world)
        data = self.record(ev)
        t = (when if when is not None else ev.time) + self.epoch_for(ev)
        sec = int(t)
        usec = int(round((t - sec) * 1e6))
        if usec >= 1000000:
            sec, usec = sec + 1, usec - 1000000
        self.f.write(struct.pack("<IIII", sec, usec, len(data), len(data)) + data)
        self.count += 1

    def epoch_for(self, ev) -> float:
        return self.epoch

    def close(self) -> None:
        if not self.f.closed:
            self.f.close()


@dataclass
class FileEvent:
    """A packet read back from a pcap, shaped like a CaptureEvent."""

    time: float
    net: str
    ifindex: int
    iface: str
    direction: str
    data: bytes
    skb_id: int = 0
    linktype: str = "ether"


def read_packets(path: str):
    """Yield FileEvents; raise ValueError with tcpdump's words on a bad file."""
    with open(path, "rb") as f:
        head = f.read(24)
        if len(head) < 24:
            raise ValueError("truncated dump file; tried to read 4 file header bytes, only got %d" % len(head))
        magic = struct.unpack("<I", head[:4])[0]
        if magic in (0xA1B2C3D4, 0xA1B23C4D):
            endian = "<"
        elif magic in (0xD4C3B2A1, 0x4D3CB2A1):
            endian = ">"
        else:
            raise ValueError("bad dump file format")
        nano = magic in (0xA1B23C4D, 0x4D3CB2A1)
        _, _, _, _, _, snaplen, linktype = struct.unpack(endian + "IHHiIII", head)
        linktype &= 0xFFFF
        yield linktype
        while True:
            rh = f.read(16)
            if len(rh) < 16:
                return
            sec, frac, incl, orig = struct.unpack(endian + "IIII", rh)
            data = f.read(incl)
            t = sec + frac / (1e9 if nano else 1e6)
            if linktype == LINKTYPE_ETHERNET:
                yield FileEvent(t, "", 0, "", "", data)
            elif linktype == LINKTYPE_LINUX_SLL2 and len(data) >= 20:
                et, _, ifidx, hatype, pkttype, alen, addr = struct.unpack("!HHIHBB8s", data[:20])
                eth = (b"\x00" * 6) + addr[:6] + struct.pack("!H", et) + data[20:]
                yield FileEvent(t, "", ifidx, f"if{ifidx}", PKTTYPE_TO_DIR.get(pkttype, "In"), eth)
            elif linktype == LINKTYPE_LINUX_SLL and len(data) >= 16:
                pkttype, hatype, alen = struct.unpack("!HHH", data[:6])
                addr = data[6:14]
                et = struct.unpack("!H", data[14:16])[0]
                eth = (b"\x00" * 6) + addr[:6] + struct.pack("!H", et) + data[16:]
                yield FileEvent(t, "", 0, "", PKTTYPE_TO_DIR.get(pkttype, "In"), eth)


LINKTYPE_NAMES = {LINKTYPE_ETHERNET: "EN10MB (Ethernet)",
                  LINKTYPE_LINUX_SLL2: "LINUX_SLL2 (Linux cooked v2)",
                  LINKTYPE_LINUX_SLL: "LINUX_SLL (Linux cooked v1)"}


def read_file(proc: Proc, o, match) -> int:
    from .main import LineFormatter
    try:
        it = read_packets(o.read)
        linktype = next(it)
    except FileNotFoundError:
        proc.err(f"tcpdump: {o.read}: No such file or directory\n")
        return 1
    except ValueError as err:
        proc.err(f"tcpdump: {o.read}: {err}\n")
        return 1
    except OSError as err:
        proc.err(f"tcpdump: {o.read}: {err.strerror}\n")
        return 1
    proc.err(f"reading from file {o.read}, link-type {LINKTYPE_NAMES.get(linktype, str(linktype))}, "
             f"snapshot length 262144\n")
    fmt = LineFormatter(o, linktype != LINKTYPE_ETHERNET, 0.0)
    fmt.local_time = False
    n = 0
    for ev in it:
        if not match(ev):
            continue
        n += 1
        if linktype == LINKTYPE_LINUX_SLL2 and ev.iface.startswith("if"):
            ev.iface = _ifname(proc, ev.ifindex)
        proc.out(fmt.line(ev) + "\n")
        if o.count and n >= o.count:
            break
    return 0


def _ifname(proc: Proc, ifindex: int) -> str:
    dev = proc.net.dev_by_index(ifindex)
    return dev.name if dev is not None else f"if{ifindex}"
