"""Frames to text, the way tcpdump 4.99.3 prints them.

The printers follow tcpdump's own (print-ether.c, print-sll.c, print-arp.c,
print-ip.c, print-icmp.c, print-ip6.c ...): the same fields in the same order,
`-e` (the link-level header; the protocol name then moves into it:
"ethertype ARP (0x0806), length 42: Request who-has ..."), `-v`/`-vv` (the IPv4
header "(tos 0x0, ttl 64, id 1, offset 0, flags [DF], proto ICMP (1), length
84)", ARP's "Ethernet (len 6), IPv4 (len 4)", the datagram quoted in an ICMP
error), `-q`, and without `-n` the names tcpdump would find in an isolated lab
(127.0.0.1 is "localhost", a MAC gets " (oui Unknown)", ports their /etc/services
names). Decoding is done from the bytes, so what is printed is what was on the wire.

This module prints the link layers, ARP, IPv4 and ICMP; print_ip6.py prints IPv6
and ICMPv6, print_transport.py UDP, TCP and IGMP, over print_util.py (name tables,
options, addresses, hex dumps), as tcpdump keeps one print-*.c per protocol.
Headers are read through kernel/wire.py, the stack's own wire layer.

`summary(frame)` is the line of `tcpdump -i any -n` after the direction (what the
oracle records); `format_packet(pkt, opts)` is a whole packet of any link type
(Ethernet, Linux cooked v1/v2) as a capture or `-r` prints it, after the
timestamp; `hex_dump(...)` is -x/-xx/-X/-XX.
"""
from __future__ import annotations

import struct
from typing import Callable, Optional

from ...kernel.wire import SLL2_HDR, SLL_HDR, Arp, Icmp, ParseError, checksum
from .print_ip6 import ip6_print
from .print_transport import igmp_print, tcp_print, udp_print
from .print_util import (ARPHRD_NAMES, ARPOP_NAMES, ETHERTYPES, ICMP_TYPE_NAMES, IPPROTO_NAMES,
                         NETDB_PROTO, NUMERIC, SLL_PKTTYPES, TCP_PORTS, UDP_PORTS, PrintOpts,
                         _etheraddr, _ipaddr, _port, _shouldbe, _Trunc, ascii_only,
                         hex_and_ascii, hex_only, mac)

__all__ = ["PrintOpts", "NUMERIC", "format_packet", "hex_dump", "hex_and_ascii", "hex_only",
           "summary", "ether_body", "link_header", "link_header_len", "ip6_print"]


# ---------------------------------------------------------------- link layers

def format_packet(data: bytes, linktype: int, o=NUMERIC, length: Optional[int] = None,
                  ifname: Callable[[int], str] = lambda i: "?") -> str:
    """One packet as tcpdump prints it after the timestamp (no trailing newline)."""
    o = PrintOpts.of(o)
    length = len(data) if length is None else length
    if linktype == 276:
        return sll2_print(data, length, o, ifname)
    if linktype == 113:
        return sll_print(data, length, o)
    return ether_print(data, length, o)


def link_header_len(linktype: int) -> int:
    return {276: 20, 113: 16}.get(linktype, 14)


def ether_print(d: bytes, length: int, o=NUMERIC) -> str:
    o = PrintOpts.of(o)
    out: list[str] = []
    if len(d) < 14:
        return "[|ether]"
    if o.ether:
        out.append(f"{_etheraddr(d[6:12], o)} > {_etheraddr(d[0:6], o)}, ")
    et = (d[12] << 8) | d[13]
    p = d[14:]
    plen = length - 14
    if et <= 1500:
        if et < plen:
            plen = et
            p = p[:et]
        if o.ether:
            out.append(f"802.3, length {plen}: ")
        out.append(_llc(p, o))
        return "".join(out)
    if o.ether:
        out.append(_ethertype_text(et, o) + f", length {length}: ")
    body = ethertype_print(et, p, plen, o)
    if body is None:
        if not o.ether:
            out.append(f"{_etheraddr(d[6:12], o)} > {_etheraddr(d[0:6], o)}, "
                       f"{_ethertype_text(et, o)}, length {length}: ")
        out.append(default_print(p))
    else:
        out.append(body)
    return "".join(out)


def _ethertype_text(et: int, o: PrintOpts) -> str:
    if o.quiet:
        return ETHERTYPES.get(et, f"Unknown Ethertype (0x{et:04x})")
    return f"ethertype {ETHERTYPES.get(et, 'Unknown')} (0x{et:04x})"


def _llc(p: bytes, o: PrintOpts) -> str:
    if len(p) < 3:
        return "[|llc]"
    dsap, ssap, ctl = p[0], p[1], p[2]
    return (f"LLC, dsap Unknown (0x{dsap & 0xFE:02x}) Individual, ssap Unknown "
            f"(0x{ssap & 0xFE:02x}) Command, ctrl 0x{ctl:02x}: " + default_print(p[3:]))


def sll2_print(d: bytes, length: int, o=NUMERIC,
               ifname: Callable[[int], str] = lambda i: "?") -> str:
    o = PrintOpts.of(o)
    if len(d) < 20:
        return "[|sll2]"
    proto, _, ifidx, hatype, pkttype, halen, _addr = SLL2_HDR.unpack_from(d)
    out = [f"{ifname(ifidx):<5} {SLL_PKTTYPES.get(pkttype, '?'):<3} "]
    if o.ether:
        out.append(f"ifindex {ifidx} {_etheraddr(d[12:18], o)} ")
        if not o.quiet:
            if proto <= 1500:
                out.append("802.3" if proto == 1 else "802.2" if proto == 4 else
                           f"ethertype Unknown (0x{proto:04x})")
                out.append(f", length {length}: ")
            else:
                out.append(_ethertype_text(proto, o) + f", length {length}: ")
    p = d[20:]
    if proto <= 1500:
        out.append(default_print(p))
        return "".join(out)
    body = ethertype_print(proto, p, length - 20, o)
    if body is None:
        if not o.ether:
            out.append(f"ifindex {ifidx} {_etheraddr(d[12:18], o)} "
                       f"{_ethertype_text(proto, o)}, length {length}: ")
        out.append(default_print(p))
    else:
        out.append(body)
    return "".join(out)


def sll_print(d: bytes, length: int, o=NUMERIC) -> str:
    """Linux cooked v1 (what `tcpdump` with no -i captures when "any" is the first
    device): with -e, " In 00:00:00:00:00:00 ethertype IPv4 (0x0800), length 100: "."""
    o = PrintOpts.of(o)
    if len(d) < 16:
        return "[|sll]"
    pkttype, hatype, halen, _addr, proto = SLL_HDR.unpack_from(d)
    out = []
    if o.ether:
        out.append(f"{SLL_PKTTYPES.get(pkttype, '?'):>3} ")
        if halen == 6:
            out.append(f"{_etheraddr(d[6:12], o)} ")
        if not o.quiet:
            if proto <= 1500:
                out.append("802.3" if proto == 1 else "802.2" if proto == 4 else
                           f"ethertype Unknown (0x{proto:04x})")
            else:
                out.append(_ethertype_text(proto, o))
            out.append(f", length {length}: ")
    if proto <= 1500:
        out.append(default_print(d[16:]))
        return "".join(out)
    body = ethertype_print(proto, d[16:], length - 16, o)
    if body is None:
        if not o.ether:
            out.append(f"{SLL_PKTTYPES.get(pkttype, '?'):>3} ")
            if halen == 6:
                out.append(f"{_etheraddr(d[6:12], o)} ")
            out.append(_ethertype_text(proto, o) + f", length {length}: ")
        out.append(default_print(d[16:]))
    else:
        out.append(body)
    return "".join(out)


def ethertype_print(et: int, p: bytes, length: int, o=NUMERIC) -> Optional[str]:
    o = PrintOpts.of(o)
    try:
        if et == 0x0800:
            return ip_print(p, length, o)
        if et in (0x0806, 0x8035):
            return arp_print(p, length, o)
        if et == 0x86DD:
            return ip6_print(p, length, o)
    except _Trunc:
        return "[|" + {0x0800: "ip", 0x0806: "arp", 0x86DD: "ip6"}.get(et, "ether") + "]"
    return None


def default_print(p: bytes) -> str:
    return hex_and_ascii(p, "\n\t")


# ---------------------------------------------------------------- ARP

def arp_print(p: bytes, length: int, o=NUMERIC) -> str:
    o = PrintOpts.of(o)
    out = []
    try:
        a = Arp.parse(p)
    except ParseError:
        return ("" if o.ether else "ARP, ") + "[|arp]"
    hrd, pro, hln, pln, op = a.hrd, a.pro, a.hln, a.pln, a.op
    if not o.ether:
        out.append("ARP, ")
    if (pro not in (0x0800, 0x1000)) or pln != 4 or hln == 0 or o.verbose:
        out.append(f"{ARPHRD_NAMES.get(hrd, f'Unknown Hardware ({hrd})')} (len {hln}), "
                   f"{ETHERTYPES.get(pro, f'Unknown Protocol (0x{pro:04x})')} (len {pln})")
        if not o.verbose:
            out.append(f", length {length}")
            return "".join(out)
    sha, spa, tha, tpa = a.sha, a.sip, a.tha, a.tip
    opname = ARPOP_NAMES.get(op, f"Unknown ({op})")
    out.append(f"{', ' if o.verbose else ''}{opname} ")

    def paddr(a: bytes) -> str:
        if pro in (0x0800, 0x1000) and pln == 4:
            return _ipaddr(a, o)
        return "<wrong proto type>" if pro not in (0x0800, 0x1000) else "<wrong len>"

    def haddr(a: bytes) -> str:
        return _etheraddr(a, o) if hln == 6 else mac(a)
    if op == 1:
        out.append(f"who-has {paddr(tpa)}")
        if any(tha):
            out.append(f" ({haddr(tha)})")
        out.append(f" tell {paddr(spa)}")
    elif op == 2:
        out.append(f"{paddr(spa)} is-at {haddr(sha)}")
    elif op in (3, 8):
        out.append(f"who-is {haddr(tha)} tell {haddr(sha)}")
    elif op == 4:
        out.append(f"{haddr(tha)} at {paddr(tpa)}")
    elif op == 9:
        out.append(f"{haddr(sha)} at {paddr(spa)}")
    else:
        return "".join(out) + default_print(p)
    out.append(f", length {length}")
    return "".join(out)


# ---------------------------------------------------------------- IPv4

def ip_print(p: bytes, length: int, o=NUMERIC) -> str:
    o = PrintOpts.of(o)
    out: list[str] = []
    if len(p) < 1:
        raise _Trunc()
    ver = p[0] >> 4
    if ver != 4:
        if ver == 6:
            return "IP6, wrong link-layer encapsulation (invalid)"
        return f"IP{ver} (invalid)"
    if not o.ether:
        out.append("IP ")
    if len(p) < 20:
        return "".join(out) + "[|ip]"
    if length < 20:
        return "".join(out) + f"truncated-ip {length}"
    hlen = (p[0] & 0xF) * 4
    if hlen < 20:
        return "".join(out) + f"bad-hlen {hlen}"
    tot = (p[2] << 8) | p[3]
    if length < tot:
        out.append(f"truncated-ip - {tot - length} bytes missing! ")
    if tot < hlen:
        return "".join(out) + f"bad-len {tot}"
    snap = p[:tot]
    plen = tot - hlen
    off = (p[6] << 8) | p[7]
    proto = p[9]
    src, dst = _ipaddr(p[12:16], o), _ipaddr(p[16:20], o)
    if o.verbose:
        tos = p[1]
        out.append(f"(tos 0x{tos:x}")
        out.append({0: "", 1: ",ECT(1)", 2: ",ECT(0)", 3: ",CE"}[tos & 3])
        if p[8] >= 1:
            out.append(f", ttl {p[8]}")
        flags = [name for bit, name in ((0x2000, "+"), (0x4000, "DF"), (0x8000, "rsvd"))
                 if off & bit]
        out.append(f", id {(p[4] << 8) | p[5]}, offset {(off & 0x1FFF) * 8}, "
                   f"flags [{', '.join(flags) if flags else 'none'}], "
                   f"proto {IPPROTO_NAMES.get(proto, 'unknown')} ({proto})")
        out.append(f", length {tot}")
        if hlen > 20:
            out.append(", options (" + _ip_options(p[20:hlen]) + ")")
        if len(p) >= hlen:
            s = checksum(p[:hlen])
            if s != 0:
                field = (p[10] << 8) | p[11]
                out.append(f", bad cksum {field:x} (->{_shouldbe(field, s):x})!")
        out.append(")\n    ")
    if (off & 0x1FFF) == 0:
        if proto not in (6, 17, 132, 33):
            out.append(f"{src} > {dst}: ")
        out.append(_ip_demux(snap[hlen:], plen, bool(off & 0x2000), proto, p, o))
    else:
        out.append(f"{src} > {dst}:")
        if not o.numeric and proto in NETDB_PROTO:
            out.append(f" {NETDB_PROTO[proto]}")
        else:
            out.append(f" ip-proto-{proto}")
    return "".join(out)


def _ip_options(opts: bytes) -> str:
    parts = []
    i = 0
    while i < len(opts):
        t = opts[i]
        if t == 0:
            parts.append("EOL")
            i += 1
            continue
        if t == 1:
            parts.append("NOP")
            i += 1
            continue
        ln = opts[i + 1] if i + 1 < len(opts) else 0
        name = {7: "RR", 68: "TS", 131: "LSRR", 137: "SSRR", 148: "RA"}.get(t, f"unknown {t}")
        if t == 148 and ln == 4:
            v = int.from_bytes(opts[i + 2:i + 4], "big")
            parts.append("RA" + ("" if v == 0 else f" value {v}"))
        else:
            parts.append(f"{name} {ln}")
        i += max(ln, 2)
    return ",".join(parts)


def _ip_demux(b: bytes, plen: int, fragmented: bool, proto: int, iph: bytes,
              o: PrintOpts) -> str:
    if proto == 1:
        return icmp_print(b, plen, fragmented, o)
    if proto == 17:
        return udp_print(b, plen, iph, fragmented, o)
    if proto == 6:
        return tcp_print(b, plen, iph, o)
    if proto == 2:
        return igmp_print(b, plen, o)
    if proto == 58:
        return "[ICMPv6 requires IPv4] (invalid)"
    name = NETDB_PROTO.get(proto) if not o.numeric else None
    return f" {name} {plen}" if name else f" ip-proto-{proto} {plen}"


# ---------------------------------------------------------------- ICMP

def icmp_print(b: bytes, plen: int, fragmented: bool = False, o=NUMERIC) -> str:
    """print-icmp.c's icmp_print. Over 80 lines as tcpdump's is: one case per ICMP
    type, each a line or two; splitting the switch would scatter the table."""
    o = PrintOpts.of(o)
    if len(b) < 2:
        return "ICMP [|icmp]"
    t, code = b[0], b[1]

    def inner_dst() -> str:
        if len(b) < 28:
            raise _Trunc()
        return _ipaddr(b[24:28], o)
    try:
        if t in (0, 8):
            if len(b) < 8:
                raise _Trunc()
            echo = Icmp.parse(b)
            ident, seq = echo.ident, echo.seq
            s = f"echo {'request' if t == 8 else 'reply'}, id {ident}, seq {seq}"
        elif t == 3:
            if code == 0:
                s = f"net {inner_dst()} unreachable"
            elif code == 1:
                s = f"host {inner_dst()} unreachable"
            elif code == 2:
                s = f"{inner_dst()} protocol {b[17] if len(b) > 17 else 0} unreachable"
            elif code == 3:
                if len(b) < 18:
                    raise _Trunc()
                ihl = (b[8] & 0xF) * 4
                ip_p = b[17]
                if len(b) < 8 + ihl + 4:
                    raise _Trunc()
                dport = int.from_bytes(b[8 + ihl + 2:8 + ihl + 4], "big")
                if ip_p == 6:
                    s = f"{inner_dst()} tcp port {_port(dport, TCP_PORTS, o)} unreachable"
                elif ip_p == 17:
                    s = f"{inner_dst()} udp port {_port(dport, UDP_PORTS, o)} unreachable"
                else:
                    s = f"{inner_dst()} protocol {ip_p} port {dport} unreachable"
            elif code == 4:
                mtu = int.from_bytes(b[6:8], "big") if len(b) >= 8 else 0
                s = (f"{inner_dst()} unreachable - need to frag (mtu {mtu})" if mtu
                     else f"{inner_dst()} unreachable - need to frag")
            else:
                texts = {5: "{} unreachable - source route failed",
                         6: "net {} unreachable - unknown", 7: "host {} unreachable - unknown",
                         8: "{} unreachable - source host isolated",
                         9: "net {} unreachable - admin prohibited",
                         10: "host {} unreachable - admin prohibited",
                         11: "net {} unreachable - tos prohibited",
                         12: "host {} unreachable - tos prohibited",
                         13: "host {} unreachable - admin prohibited filter",
                         14: "host {} unreachable - host precedence violation",
                         15: "host {} unreachable - precedence cutoff"}
                s = texts[code].format(inner_dst()) if code in texts else \
                    f"{inner_dst()} unreachable - #{code}"
        elif t == 5:
            if len(b) < 28:
                raise _Trunc()
            gw = _ipaddr(b[4:8], o)
            names = {0: "redirect {} to net {}", 1: "redirect {} to host {}",
                     2: "redirect-tos {} to net {}", 3: "redirect-tos {} to host {}"}
            s = names[code].format(inner_dst(), gw) if code in names else \
                f"redirect-#{code} {inner_dst()} to {gw}"
        elif t == 11:
            if len(b) < 28:
                raise _Trunc()
            s = {0: "time exceeded in-transit", 1: "ip reassembly time exceeded"}.get(
                code, f"time exceeded-#{code}")
        elif t == 12:
            s = f"parameter problem - code {code}" if code else \
                f"parameter problem - octet {b[4] if len(b) > 4 else 0}"
        elif t == 18:
            s = f"address mask is 0x{int.from_bytes(b[4:8], 'big'):08x}"
        elif t == 13:
            ident, seq = struct.unpack("!HH", b[4:8])
            s = f"time stamp query id {ident} seq {seq}"
        else:
            s = ICMP_TYPE_NAMES.get(t, f"type-#{t}")
    except _Trunc:
        return "ICMP [|icmp]"
    out = [f"ICMP {s}, length {plen}"]
    if o.verbose and not fragmented and len(b) >= plen:
        c = checksum(b[:plen])
        if c != 0:
            field = (b[2] << 8) | b[3]
            out.append(f" (wrong icmp cksum {field:x} (->{_shouldbe(field, c):x})!)")
    if o.verbose and t in (3, 4, 5, 11, 12) and len(b) >= 8 + 20:
        inner = b[8:]
        ilen = (inner[2] << 8) | inner[3]
        out.append("\n\t")
        try:
            out.append(ip_print(inner[:ilen], ilen, o))
        except _Trunc:
            out.append("[|ip]")
    return "".join(out)


def hex_dump(data: bytes, linktype: int, xflag: int, Xflag: int, Aflag: int = 0) -> str:
    """What -x/-xx/-X/-XX (or -A/-AA) append to a packet's text (lines "\\n\\t0x0000:  ...")."""
    hdr = link_header_len(linktype)
    if Xflag:
        if Xflag > 1:
            return hex_and_ascii(data)
        return hex_and_ascii(data[hdr:]) if len(data) > hdr else ""
    if xflag:
        if xflag > 1:
            return hex_only(data)
        return hex_only(data[hdr:]) if len(data) > hdr else ""
    if Aflag:
        if Aflag > 1:
            return ascii_only(data)
        return ascii_only(data[hdr:]) if len(data) > hdr else ""
    return ""


# ---------------------------------------------------------------- compatibility

def summary(data: bytes, verbose: int = 0, o: Optional[PrintOpts] = None) -> str:
    """An Ethernet frame as `tcpdump -i any -n` prints it after the direction (`o`: the
    options of one tcpdump run, whose TCP conversations make sequence numbers relative)."""
    return ether_body(data, o if o is not None else PrintOpts(verbose=verbose))


def ether_body(data: bytes, o=NUMERIC) -> str:
    """The protocol part of an Ethernet frame (what follows the SLL2 columns)."""
    o = PrintOpts.of(o)
    if len(data) < 14:
        return "[|ether]"
    et = (data[12] << 8) | data[13]
    if et <= 1500:
        return _llc(data[14:14 + et], o)
    body = ethertype_print(et, data[14:], len(data) - 14, o)
    if body is None:
        src = mac(data[6:12])
        return (f"ifindex 0 {src} {_ethertype_text(et, o)}, length {len(data) + 6}: "
                + default_print(data[14:]))
    return body


def link_header(data: bytes, any_iface: bool = False) -> str:
    """The -e part of an Ethernet frame: `src > dst, ethertype X (0x...), length N: `."""
    et = (data[12] << 8) | data[13]
    name = ETHERTYPES.get(et, "Unknown")
    return (f"{mac(data[6:12])} > {mac(data[0:6])}, ethertype {name} (0x{et:04x}), "
            f"length {len(data)}: ")
