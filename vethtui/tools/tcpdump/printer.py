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

(Over 600 lines, for now: one module holds what tcpdump keeps in one print-*.c
file per protocol. The split it wants is tcpdump's: link layers, ARP, IPv4 and
ICMP, IPv6 and ICMPv6, UDP/TCP/IGMP, hex dumps, over a small shared module of
address and option helpers; not done in the layering change that moved its
header parsing to kernel/wire.py.)

`summary(frame)` is the line of `tcpdump -i any -n` after the direction (what the
oracle records); `format_packet(pkt, opts)` is a whole packet of any link type
(Ethernet, Linux cooked v1/v2) as a capture or `-r` prints it, after the
timestamp; `hex_dump(...)` is -x/-xx/-X/-XX.
"""
from __future__ import annotations

import struct
from typing import Callable, Optional

from ...kernel.inet import ntoa
from ...kernel.wire import (IPPROTO_ICMPV6, IPPROTO_UDP, SLL2_HDR, SLL_HDR, Arp, Icmp,
                            ParseError, Tcp, checksum, ipv4_pseudo_header, ipv6_pseudo_header)

ETHERTYPES = {0x0800: "IPv4", 0x0806: "ARP", 0x86DD: "IPv6", 0x8100: "802.1Q",
              0x88CC: "LLDP", 0x8035: "Reverse ARP", 0x9000: "Loopback", 0x88A8: "802.1Q-QinQ",
              0x8847: "MPLS unicast", 0x8848: "MPLS multicast", 0x8863: "PPPoE D",
              0x8864: "PPPoE S", 0x888E: "EAPOL", 0x88F7: "PTP", 0x9100: "802.1Q-9100",
              0x0842: "Wake-on-LAN", 0x80F3: "AARP", 0x809B: "Appletalk", 0x6003: "DECnet",
              0x22F0: "TSN", 0x893A: "IEEE1905.1", 0x88E5: "802.1AE"}
IPPROTO_NAMES = {0: "Options", 1: "ICMP", 2: "IGMP", 4: "IPIP", 6: "TCP", 8: "EGP", 9: "IGRP",
                 17: "UDP", 33: "DCCP", 41: "IPv6", 43: "Routing", 44: "Fragment", 46: "RSVP",
                 47: "GRE", 50: "ESP", 51: "AH", 55: "Mobile IP", 58: "ICMPv6", 88: "EIGRP",
                 89: "OSPF", 103: "PIM", 108: "Compressed IP", 112: "VRRP", 113: "PGM",
                 132: "SCTP", 135: "Mobility", 143: "Ethernet"}
NETDB_PROTO = {0: "hopopt", 1: "icmp", 2: "igmp", 4: "ipencap", 6: "tcp", 17: "udp",
               41: "ipv6", 47: "gre", 50: "esp", 51: "ah", 58: "ipv6-icmp", 89: "ospf",
               103: "pim", 112: "vrrp", 132: "sctp"}
UDP_PORTS = {53: "domain", 67: "bootps", 68: "bootpc", 69: "tftp", 123: "ntp", 161: "snmp",
             162: "snmp-trap", 514: "syslog", 520: "route", 9: "discard", 7: "echo",
             137: "netbios-ns", 138: "netbios-dgm", 500: "isakmp", 1194: "openvpn",
             5353: "mdns", 546: "dhcpv6-client", 547: "dhcpv6-server"}
TCP_PORTS = {20: "ftp-data", 21: "ftp", 22: "ssh", 23: "telnet", 25: "smtp", 53: "domain",
             80: "http", 110: "pop3", 143: "imap", 179: "bgp", 389: "ldap", 443: "https",
             587: "submission", 993: "imaps", 995: "pop3s", 3306: "mysql", 8080: "http-alt",
             9: "discard", 7: "echo"}
ARPHRD_NAMES = {1: "Ethernet", 6: "Token Ring", 15: "Frame Relay", 24: "IEEE 1394",
                32: "InfiniBand"}
ARPOP_NAMES = {1: "Request", 2: "Reply", 3: "Reverse Request", 4: "Reverse Reply",
               8: "Inverse Request", 9: "Inverse Reply", 10: "NACK Reply"}
SLL_PKTTYPES = {0: "In", 1: "B", 2: "M", 3: "P", 4: "Out"}
ICMP_TYPE_NAMES = {0: "echo reply", 4: "source quench", 8: "echo request",
                   10: "router solicitation", 13: "time stamp request",
                   14: "time stamp reply", 15: "information request",
                   16: "information reply", 17: "address mask request"}


class PrintOpts:
    """The printing flags of tcpdump's netdissect_options that matter here."""

    def __init__(self, verbose: int = 0, ether: bool = False, numeric: bool = True,
                 quiet: bool = False):
        self.verbose = verbose
        self.ether = ether
        self.numeric = numeric
        self.quiet = quiet

    @classmethod
    def of(cls, o) -> "PrintOpts":
        if isinstance(o, PrintOpts):
            return o
        return cls(getattr(o, "verbose", 0), getattr(o, "ether", False),
                   bool(getattr(o, "numeric", 1)), getattr(o, "quiet", False))


NUMERIC = PrintOpts()


def mac(b: bytes) -> str:
    return ":".join(f"{x:02x}" for x in b)


def _etheraddr(b: bytes, o: PrintOpts) -> str:
    s = mac(b)
    if not o.numeric and b == b"\xff" * 6:
        return "Broadcast"
    if not o.numeric:
        oui = int.from_bytes(b[:3], "big")
        s += f" (oui {'Ethernet' if oui == 0 else 'Unknown'})"
    return s


def _ipaddr(b: bytes, o: PrintOpts) -> str:
    v = int.from_bytes(b, "big")
    if not o.numeric and v == 0x7F000001:
        return "localhost"
    return ntoa(v)


def _shouldbe(sum_field: int, computed: int) -> int:
    """in_cksum_shouldbe(): the checksum the field should have held."""
    s = (~sum_field & 0xFFFF) + (~computed & 0xFFFF)
    s = (s & 0xFFFF) + (s >> 16)
    s = (s & 0xFFFF) + (s >> 16)
    return (~s) & 0xFFFF


class _Trunc(Exception):
    pass


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


def _port(n: int, table: dict, o: PrintOpts) -> str:
    if not o.numeric and n in table:
        return table[n]
    return str(n)


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


# ---------------------------------------------------------------- IPv6

def _group_records(b: bytes, length: int, o, alen: int, types: dict, unknown: str) -> str:
    """IGMPv3 and MLDv2 reports list group records the same way (print-igmp.c,
    print-icmp6.c mldv2_report_print): `, N group record(s)`, then with -v each
    `[gaddr G type, K source(s)]` (-vv: the sources); only the address size differs."""
    ngroups = int.from_bytes(b[6:8], "big")
    out = [f", {ngroups} group record(s)"]
    if not o.verbose:
        return "".join(out)
    addr = (lambda a: _ipaddr(a, o)) if alen == 4 else _ip6addr
    g = 8
    for _ in range(ngroups):
        if length < g + 4 + alen:
            out.append(" [invalid number of groups]")
            break
        nsrcs = int.from_bytes(b[g + 2:g + 4], "big")
        out.append(f" [gaddr {addr(b[g + 4:g + 4 + alen])} "
                   f"{types.get(b[g], f' [{unknown}-#{b[g]}]')}")
        first = g + 4 + alen
        if o.verbose == 1:
            out.append(f", {nsrcs} source(s)")
        else:
            out.append(" {" + "".join(f" {addr(b[first + alen * j:first + alen * (j + 1)])}"
                                      for j in range(nsrcs)) + " }")
        g = first + alen * nsrcs
        out.append("]")
    return "".join(out)


def _ip6addr(b: bytes) -> str:
    import ipaddress
    return str(ipaddress.IPv6Address(bytes(b)))


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
    if nh == 58:
        out.append(icmp6_print(body, len(body), p, o))
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


# ---------------------------------------------------------------- hex dumps

def _hex_words(chunk: bytes) -> str:
    """` 4500 0054 ...`: a line's bytes in 16-bit words, an odd last byte alone."""
    words = "".join(f" {chunk[i]:02x}{chunk[i + 1]:02x}" for i in range(0, len(chunk) - 1, 2))
    return words + (f" {chunk[-1]:02x}" if len(chunk) % 2 else "")


def hex_and_ascii(data: bytes, ident: str = "\n\t", oset: int = 0) -> str:
    """tcpdump's hex_and_ascii_print_with_offset(): -X / -XX."""
    out = []
    for start in range(0, len(data), 16):
        chunk = data[start:start + 16]
        hexpart = _hex_words(chunk)
        asc = "".join(chr(c) if 0x20 < c <= 0x7E else "." for c in chunk)
        out.append(f"{ident}0x{oset + start:04x}: {hexpart:<40}  {asc}")
    return "".join(out)


def hex_only(data: bytes, ident: str = "\n\t", oset: int = 0) -> str:
    """tcpdump's hex_print_with_offset(): -x / -xx."""
    out = []
    for start in range(0, len(data), 16):
        out.append(f"{ident}0x{oset + start:04x}: {_hex_words(data[start:start + 16])}")
    return "".join(out)


def ascii_only(data: bytes) -> str:
    """tcpdump's ascii_print(): -A / -AA."""
    out = ["\n"]
    n = len(data)
    for i, c in enumerate(data):
        if c == 0x0D:
            if n - i - 1 > 1 and data[i + 1] != 0x0A:
                out.append(".")
        elif not (0x20 < c <= 0x7E) and c not in (0x09, 0x20, 0x0A):
            out.append(".")
        else:
            out.append(chr(c))
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

def summary(data: bytes, verbose: int = 0) -> str:
    """An Ethernet frame as `tcpdump -i any -n` prints it after the direction."""
    return ether_body(data, PrintOpts(verbose=verbose))


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
