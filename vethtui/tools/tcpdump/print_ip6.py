"""IPv6 and ICMPv6 as tcpdump prints them (print-ip6.c, print-icmp6.c, print-hbhopts.c)."""
from __future__ import annotations

import struct
from typing import Optional

from ...kernel.wire import IPPROTO_ICMPV6, checksum, ipv6_pseudo_header
from .print_transport import tcp_print, udp_print
from .print_util import (IPPROTO_NAMES, NUMERIC, TCP_PORTS, UDP_PORTS, PrintOpts, _group_records,
                         _ip6addr, _port, _shouldbe, hex_only)

def ip6_print(p: bytes, length: int, o=NUMERIC) -> str:
    o = PrintOpts.of(o)
    out = ["" if o.ether else "IP6 "]
    if len(p) < 40:
        return out[0] + "[|ip6]"
    if length < 40:
        return out[0] + f"truncated-ip6 {length}"
    plen = int.from_bytes(p[4:6], "big")
    nh = p[6]
    if plen and length < plen + 40:
        out.append(f"truncated-ip6 - {plen + 40 - length} bytes missing!")
    if o.verbose:
        flow = int.from_bytes(p[0:4], "big")
        out.append("(")
        if flow & 0x0FF00000:
            out.append(f"class 0x{(flow & 0x0FF00000) >> 20:02x}, ")
        if flow & 0x000FFFFF:
            out.append(f"flowlabel 0x{flow & 0x000FFFFF:05x}, ")
        out.append(f"hlim {p[7]}, next-header {IPPROTO_NAMES.get(nh, 'unknown')} ({nh}) "
                   f"payload length: {plen}) ")
    body = p[40:40 + plen]
    src, dst = _ip6addr(p[8:24]), _ip6addr(p[24:40])
    if nh not in (6, 17, 33, 132):
        out.append(f"{src} > {dst}: ")
    if nh == 0 and len(body) >= 8:
        hlen = (body[1] + 1) * 8
        out.append("HBH " + _ip6_options(body[2:hlen], o))
        nh = body[0]
        body = body[hlen:]
        if nh in (6, 17, 33, 132):
            pass
    fragmented = False
    if nh == 44 and len(body) >= 8:
        # frag6_print: offset and length of this piece (and the identification with -v);
        # only a first fragment's payload is decoded further
        off = int.from_bytes(body[2:4], "big") & 0xFFF8
        flen = len(body) - 8
        if o.verbose:
            out.append(f"frag (0x{int.from_bytes(body[4:8], 'big'):08x}:{off}|{flen})")
        else:
            out.append(f"frag ({off}|{flen})")
        if off:
            return "".join(out)
        out.append(" ")
        nh = body[0]
        body = body[8:]
        fragmented = True
    if nh == 58:
        out.append(icmp6_print(body, len(body), None if fragmented else p, o))
    elif nh == 17:
        out.append(udp_print(body, len(body), p, False, o))
    elif nh == 6:
        out.append(tcp_print(body, len(body), p, o))
    else:
        out.append(f"ip-proto-{nh} {len(body)}")
    return "".join(out)


def _ip6_options(opts: bytes, o: PrintOpts) -> str:
    out = []
    i = 0
    while i < len(opts):
        t = opts[i]
        if t == 0:
            if o.verbose:
                out.append("(pad1)")
            i += 1
            continue
        ln = opts[i + 1] if i + 1 < len(opts) else 0
        if t == 1:
            if o.verbose:
                out.append("(padn)")
        elif t == 5 and ln == 2:
            if o.verbose:
                out.append(f"(rtalert: 0x{int.from_bytes(opts[i + 2:i + 4], 'big'):04x}) ")
        elif o.verbose:
            out.append(f"(opt_type 0x{t:02x}: len={ln})")
        i += ln + 2
    if o.verbose:
        out.append(" ")
    return "".join(out)


ICMP6_TYPES = {1: "destination unreachable", 2: "packet too big", 3: "time exceeded in-transit",
               4: "parameter problem", 128: "echo request", 129: "echo reply",
               130: "multicast listener query", 131: "multicast listener report",
               132: "multicast listener done", 133: "router solicitation",
               134: "router advertisement", 135: "neighbor solicitation",
               136: "neighbor advertisement", 137: "redirect", 143: "multicast listener report v2"}
ND_OPTS = {1: "source link-address", 2: "destination link-address", 3: "prefix info",
           4: "redirected header", 5: "mtu", 25: "rdnss", 31: "dnssl"}
MLDV2_TYPES = {1: "is_in", 2: "is_ex", 3: "to_in", 4: "to_ex", 5: "allow", 6: "block"}


def icmp6_print(b: bytes, length: int, iph: Optional[bytes] = None, o=NUMERIC) -> str:
    o = PrintOpts.of(o)
    if length == 0:
        return "ICMP6, length 0 (invalid)"
    if len(b) < 4:
        return "ICMP6, [|icmp6]"
    out = []
    if o.verbose and iph is not None and len(b) >= length:
        pseudo = ipv6_pseudo_header(iph[8:24], iph[24:40], length, IPPROTO_ICMPV6)
        c = checksum(pseudo + b[:length])
        field = (b[2] << 8) | b[3]
        out.append("[icmp6 sum ok] " if c == 0 else
                   f"[bad icmp6 cksum 0x{field:04x} -> 0x{_shouldbe(field, c):04x}!] ")
    t = b[0]
    out.append("ICMP6, " + ICMP6_TYPES.get(t, f"unknown icmp6 type ({t})"))
    if o.verbose and t in (133, 134, 135, 136, 137):
        out.append(f", length {length}")
    try:
        if t in (128, 129):
            ident, seq = struct.unpack("!HH", b[4:8])
            out.append(f", id {ident}, seq {seq}")
        elif t == 1:
            code = b[1]
            names = {0: "unreachable route", 1: " unreachable prohibited", 2: "beyond scope",
                     3: "unreachable address", 4: "unreachable port"}
            out.append(", " + names.get(code, f"unknown unreach code ({code})"))
            if code in (0, 1, 3):
                out.append(" " + _ip6addr(b[32:48]))
            elif code == 2:
                out.append(f" {_ip6addr(b[32:48])}, source address {_ip6addr(b[16:32])}")
            elif code == 4:
                inner_nh, ulp = b[14], b[48:]
                dport = int.from_bytes(ulp[2:4], "big")
                if inner_nh == 6:
                    out.append(f", {_ip6addr(b[32:48])} tcp port {_port(dport, TCP_PORTS, o)}")
                elif inner_nh == 17:
                    out.append(f", {_ip6addr(b[32:48])} udp port {_port(dport, UDP_PORTS, o)}")
                else:
                    out.append(f", {_ip6addr(b[32:48])} protocol {inner_nh} port {dport} "
                               "unreachable")
            elif o.verbose <= 1:
                out.append(hex_only(b[:length], "\n\t"))
                return "".join(out)
        elif t == 2:
            out.append(f", mtu {int.from_bytes(b[4:8], 'big')}")
        elif t == 3:
            out.append(" for " + _ip6addr(b[32:48]) if b[1] == 0 else
                       " (reassembly)" if b[1] == 1 else f", unknown code ({b[1]})")
        elif t == 133:
            if o.verbose:
                out.append(_nd_options(b[8:length], o))
        elif t == 135:
            out.append(f", who has {_ip6addr(b[8:24])}")
            if o.verbose:
                out.append(_nd_options(b[24:length], o))
        elif t == 136:
            out.append(f", tgt is {_ip6addr(b[8:24])}")
            if o.verbose:
                flags = int.from_bytes(b[4:8], "big")
                names = [n for bit, n in ((0x80000000, "router"), (0x40000000, "solicited"),
                                          (0x20000000, "override")) if flags & bit]
                out.append(f", Flags [{', '.join(names) if names else 'none'}]")
                out.append(_nd_options(b[24:length], o))
        elif t == 134:
            if o.verbose:
                out.append(_nd_options(b[16:length], o))
        elif t == 143:
            out.append(_group_records(b, length, o, 16, MLDV2_TYPES, "v2-report"))
        elif t not in ICMP6_TYPES:
            out.append(f", length {length}")
            if o.verbose <= 1:
                out.append(hex_only(b[:length], "\n\t"))
            return "".join(out)
    except (struct.error, ValueError, IndexError):
        return "".join(out) + " [|icmp6]"
    if not o.verbose:
        out.append(f", length {length}")
    return "".join(out)


def _nd_options(b: bytes, o: PrintOpts) -> str:
    out = []
    i = 0
    while i + 2 <= len(b):
        t, ln = b[i], b[i + 1]
        if ln == 0:
            break
        data = b[i + 2:i + ln * 8]
        out.append(f"\n\t  {ND_OPTS.get(t, 'unknown')} option ({t}), length {ln * 8} ({ln}): ")
        if t in (1, 2):
            out.append(":".join(f"{x:02x}" for x in data))
        elif t == 5:
            out.append(f" {int.from_bytes(b[i + 4:i + 8], 'big')}" + ("" if ln == 1 else
                                                                      "bad option length"))
        else:
            if o.verbose <= 1:
                out.append(hex_only(data, "\n\t  "))
                return "".join(out)
        if o.verbose > 1:
            out.append(hex_only(data, "\n\t    "))
        i += ln * 8
    return "".join(out)
