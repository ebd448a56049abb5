"""UDP, TCP and IGMP as tcpdump prints them (print-udp.c, print-tcp.c, print-igmp.c)."""
from __future__ import annotations

import struct

from ...kernel.wire import IPPROTO_UDP, Tcp, checksum, ipv4_pseudo_header
from .print_util import (NUMERIC, TCP_PORTS, UDP_PORTS, PrintOpts, _group_records, _ip6addr,
                         _ipaddr, _port, _shouldbe)

# ---------------------------------------------------------------- UDP, TCP, IGMP

def udp_print(b: bytes, length: int, iph: bytes, fragmented: bool, o=NUMERIC) -> str:
    o = PrintOpts.of(o)
    v6 = (iph[0] >> 4) == 6
    if v6:
        src, dst = _ip6addr(iph[8:24]), _ip6addr(iph[24:40])
    else:
        src, dst = _ipaddr(iph[12:16], o), _ipaddr(iph[16:20], o)
    if len(b) < 4:
        return f"{src} > {dst}: [|udp]"
    sport, dport = struct.unpack("!HH", b[:4])
    head = f"{src}.{_port(sport, UDP_PORTS, o)} > {dst}.{_port(dport, UDP_PORTS, o)}: "
    if length < 8:
        return head + f"truncated-udp {length}"
    ulen = struct.unpack("!H", b[4:6])[0]
    if ulen < 8:
        return head + f"truncated-udplength {ulen}"
    ulen -= 8
    length -= 8
    if ulen < length:
        length = ulen
    out = [head]
    if o.verbose > 1 and not fragmented and not v6 and len(b) >= 8 + length:
        csum = struct.unpack("!H", b[6:8])[0]
        if csum == 0:
            out.append("[no cksum] ")
        else:
            pseudo = ipv4_pseudo_header(iph[12:16], iph[16:20], IPPROTO_UDP, length + 8)
            s = checksum(pseudo + b[:8 + length])
            out.append("[udp sum ok] " if s == 0 else
                       f"[bad udp cksum 0x{csum:04x} -> 0x{_shouldbe(csum, s):04x}!] ")
    if o.quiet:
        out.append(f"UDP, length {length}")
    else:
        out.append(f"UDP, length {length}")
    return "".join(out)


_TCP_FLAGS = ((0x01, "F"), (0x02, "S"), (0x04, "R"), (0x08, "P"), (0x10, "."),
              (0x20, "U"), (0x40, "E"), (0x80, "W"))


def tcp_print(b: bytes, length: int, iph: bytes, o=NUMERIC) -> str:
    o = PrintOpts.of(o)
    v6 = (iph[0] >> 4) == 6
    if v6:
        src, dst = _ip6addr(iph[8:24]), _ip6addr(iph[24:40])
    else:
        src, dst = _ipaddr(iph[12:16], o), _ipaddr(iph[16:20], o)
    if len(b) < 20:
        return f"{src} > {dst}: [|tcp]"
    t = Tcp.parse(b)
    sport, dport, seq, ack, win, urp = t.sport, t.dport, t.seq, t.ack, t.window, t.urgent
    hlen = t.header_len
    flags = t.flags
    out = [f"{src}.{_port(sport, TCP_PORTS, o)} > {dst}.{_port(dport, TCP_PORTS, o)}: "]
    if o.quiet:
        return out[0] + f"tcp {length - hlen}"
    fl = "".join(ch for bit, ch in _TCP_FLAGS if flags & bit) or "none"
    out.append(f"Flags [{fl}]")
    datalen = length - hlen
    if datalen > 0 or flags & 0x07:
        out.append(f", seq {seq}" + (f":{seq + datalen}" if datalen > 0 else ""))
    if flags & 0x10:
        out.append(f", ack {ack}")
    out.append(f", win {win}")
    if flags & 0x20:
        out.append(f", urg {urp}")
    if hlen > 20:
        out.append(", options [" + _tcp_options(b[20:hlen]) + "]")
    out.append(f", length {datalen}")
    return "".join(out)


def _tcp_options(opts: bytes) -> str:
    parts = []
    i = 0
    while i < len(opts):
        k = opts[i]
        if k == 0:
            parts.append("eol")
            break
        if k == 1:
            parts.append("nop")
            i += 1
            continue
        ln = opts[i + 1] if i + 1 < len(opts) else 2
        v = opts[i + 2:i + ln]
        if k == 2:
            parts.append(f"mss {int.from_bytes(v, 'big')}")
        elif k == 3:
            parts.append(f"wscale {v[0] if v else 0}")
        elif k == 4:
            parts.append("sackOK")
        elif k == 8 and len(v) == 8:
            a, c = struct.unpack("!II", v)
            parts.append(f"TS val {a} ecr {c}")
        else:
            parts.append(f"opt-{k}:{v.hex()}")
        i += max(ln, 2)
    return ",".join(parts)


IGMPV3_TYPES = {1: "is_in", 2: "is_ex", 3: "to_in", 4: "to_ex", 5: "allow", 6: "block"}


def igmp_print(b: bytes, length: int, o=NUMERIC) -> str:
    """print-igmp.c: queries, v1/v2/v3 reports (v3 group records with -v), leaves."""
    o = PrintOpts.of(o)
    if o.quiet:
        return "igmp"
    if not b:
        return "[|igmp]"
    ip = lambda off: _ipaddr(b[off:off + 4], o)
    t = b[0]
    out = []
    try:
        if t == 0x11:
            out.append("igmp query")
            if length >= 12:
                out.append(" v3")
                if length & 3:
                    out.append(f" [invalid len {length}]")
                else:
                    mrc = b[1]
                    mrt = mrc if mrc < 128 else ((mrc & 0x0F) | 0x10) << (((mrc & 0x70) >> 4) + 3)
                    if mrc != 100:
                        out.append(f" [max resp time {mrt * 0.1:.1f}s]" if mrt < 600 else
                                   f" [max resp time {mrt // 10}s]")
                    if int.from_bytes(b[4:8], "big"):
                        out.append(f" [gaddr {ip(4)}")
                        nsrcs = int.from_bytes(b[10:12], "big")
                        if nsrcs:
                            if o.verbose > 1:
                                out.append(" {" + "".join(f" {ip(12 + 4 * i)}"
                                                          for i in range(nsrcs)) + " }")
                            else:
                                out.append(f", {nsrcs} source(s)")
                        out.append("]")
            else:
                if b[1]:
                    out.append(" v2")
                    if b[1] != 100:
                        out.append(f" [max resp time {b[1]}]")
                else:
                    out.append(" v1")
                if int.from_bytes(b[4:8], "big"):
                    out.append(f" [gaddr {ip(4)}]")
                if length != 8:
                    out.append(f" [len {length}]")
        elif t == 0x12:
            out.append(f"igmp v1 report {ip(4)}" + ("" if length == 8 else f" [len {length}]"))
        elif t == 0x16:
            out.append(f"igmp v2 report {ip(4)}")
        elif t == 0x17:
            out.append(f"igmp leave {ip(4)}")
        elif t == 0x22:
            out.append("igmp v3 report")
            if length < 16 or length & 3:
                out.append(f" [invalid len {length}]")
            else:
                out.append(_group_records(b, length, o, 4, IGMPV3_TYPES, "v3-report"))
        else:
            out.append(f"igmp-{t}")
    except (IndexError, ValueError):
        return "".join(out) + " [|igmp]"
    if o.verbose and length >= 4 and len(b) >= length and checksum(b[:length]):
        out.append(f" bad igmp cksum {int.from_bytes(b[2:4], 'big'):x}!")
    return "".join(out)
