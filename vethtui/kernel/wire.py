"""Wire formats: Ethernet II, Linux cooked (SLL, SLL2), ARP, IPv4, IPv6, ICMP, UDP, TCP.

Kept apart from the stack's logic (smoltcp's `wire/`): each header is a small
frozen dataclass with `parse(bytes)` (raising `ParseError` on bad input) and
`emit() -> bytes`. Frames in the simulator are real bytes with correct
checksums, so a pcap written from them is exact and a capture can always be
decoded again from what was on the wire.

One layer for everyone who reads or writes headers: the stack builds with
the `build_*` helpers and `ipv4_header` (its hot path does not make
dataclasses, it reads fields by offset), tcpdump's printer and pcap files
decode with the dataclasses and the header structs here, and explain names
packets through `Frame`. The Internet checksum is `checksum`, for all of them.
"""
from __future__ import annotations

import struct
from dataclasses import dataclass, field

ETH_P_IP = 0x0800
ETH_P_ARP = 0x0806
ETH_P_IPV6 = 0x86DD
ETH_HLEN = 14
ETH_ZLEN = 60  # minimum frame without FCS: NICs pad shorter frames

ARPHRD_ETHER = 1
ARPHRD_LOOPBACK = 772
ARPOP_REQUEST = 1
ARPOP_REPLY = 2

IPPROTO_HOPOPTS = 0
IPPROTO_ICMP = 1
IPPROTO_IGMP = 2
IPPROTO_TCP = 6
IPPROTO_UDP = 17
IPPROTO_ICMPV6 = 58

ICMP_ECHOREPLY = 0
ICMP_DEST_UNREACH = 3
ICMP_SOURCE_QUENCH = 4
ICMP_REDIRECT = 5
ICMP_ECHO = 8
ICMP_TIME_EXCEEDED = 11
ICMP_PARAMETERPROB = 12

ICMP_NET_UNREACH = 0
ICMP_HOST_UNREACH = 1
ICMP_PROT_UNREACH = 2
ICMP_PORT_UNREACH = 3
ICMP_FRAG_NEEDED = 4

BROADCAST_MAC = b"\xff" * 6
ZERO_MAC = b"\x00" * 6

_ETH = struct.Struct("!6s6sH")
_ARP = struct.Struct("!HHBBH6s4s6s4s")
ARP_FIXED = struct.Struct("!HHBBH")         # hrd, pro, hln, pln, op (any address lengths)
_IP = struct.Struct("!BBHHHBBH4s4s")
_IP_C = struct.Struct("!BBHHHBBHII")
_IP6 = struct.Struct("!IHBB16s16s")
_ICMP = struct.Struct("!BBH")
_ICMP_ECHO = struct.Struct("!BBHHH")
_UDP = struct.Struct("!HHHH")
_TCP = struct.Struct("!HHIIHHHH")
# an IPv4 header's source and destination as integers: unpack_from(frame, 26) reads both
# behind an Ethernet header (12 + 14), one call for what the receive path asks per packet
IP_ADDRS = struct.Struct("!II")
SLL_HDR = struct.Struct("!HHH8sH")          # Linux cooked v1: pkttype, hatype, halen, addr, proto
SLL2_HDR = struct.Struct("!HHIHBB8s")       # v2: proto, 0, ifindex, hatype, pkttype, halen, addr
SLL_HLEN = 16
SLL2_HLEN = 20
IP_DF = 0x4000
IPV6_HLEN = 40


class ParseError(ValueError):
    """Bytes that are not a valid header of the expected kind."""


def mac_str(mac: bytes) -> str:
    return ":".join(f"{b:02x}" for b in mac)


def mac_bytes(text: str) -> bytes:
    parts = text.split(":")
    if len(parts) != 6:
        raise ValueError(text)
    out = bytes(int(p, 16) for p in parts)
    if any(len(p) == 0 or len(p) > 2 for p in parts):
        raise ValueError(text)
    return out


def checksum(data: bytes) -> int:
    """The Internet checksum (RFC 1071) of `data`.

    The ones' complement sum of the 16-bit words is the data, read as one big
    integer, modulo 0xFFFF (2**16 is 1 modulo 0xFFFF), with 0xFFFF standing
    for a zero remainder of non-zero data: one C-level operation instead of a
    loop over words.
    """
    if len(data) % 2:
        data = bytes(data) + b"\x00"
    x = int.from_bytes(data, "big")
    r = x % 0xFFFF
    if r == 0 and x:
        r = 0xFFFF
    return ~r & 0xFFFF


# ---------------------------------------------------------------- Ethernet

@dataclass(frozen=True)
class Ethernet:
    dst: bytes
    src: bytes
    ethertype: int
    payload: bytes = b""

    @classmethod
    def parse(cls, data: bytes) -> "Ethernet":
        if len(data) < ETH_HLEN:
            raise ParseError("ethernet: truncated header")
        dst, src, et = _ETH.unpack_from(data)
        return cls(dst, src, et, bytes(data[ETH_HLEN:]))

    def emit(self) -> bytes:
        return _ETH.pack(self.dst, self.src, self.ethertype) + self.payload


def eth_header(dst: bytes, src: bytes, ethertype: int) -> bytes:
    return _ETH.pack(dst, src, ethertype)


# ---------------------------------------------------------------- ARP

@dataclass(frozen=True)
class Arp:
    op: int
    sha: bytes
    sip: bytes
    tha: bytes
    tip: bytes
    hrd: int = ARPHRD_ETHER
    pro: int = ETH_P_IP
    hln: int = 6
    pln: int = 4

    SIZE = 28

    @classmethod
    def parse(cls, data: bytes) -> "Arp":
        """Any address lengths (tcpdump prints what it finds); too short is an error."""
        if len(data) < 8:
            raise ParseError("arp: truncated header")
        hrd, pro, hln, pln, op = ARP_FIXED.unpack_from(data)
        if len(data) < 8 + 2 * hln + 2 * pln:
            raise ParseError("arp: truncated addresses")
        i = 8
        sha = bytes(data[i:i + hln])
        sip = bytes(data[i + hln:i + hln + pln])
        tha = bytes(data[i + hln + pln:i + 2 * hln + pln])
        tip = bytes(data[i + 2 * hln + pln:i + 2 * hln + 2 * pln])
        return cls(op, sha, sip, tha, tip, hrd, pro, hln, pln)

    def emit(self) -> bytes:
        return (ARP_FIXED.pack(self.hrd, self.pro, self.hln, self.pln, self.op)
                + self.sha + self.sip + self.tha + self.tip)


def build_arp_frame(op: int, eth_dst: bytes, eth_src: bytes, sha: bytes, sip: bytes,
                    tha: bytes, tip: bytes) -> bytes:
    """An ARP frame as the kernel builds it: 42 bytes, no padding (veth does not pad)."""
    return (_ETH.pack(eth_dst, eth_src, ETH_P_ARP)
            + _ARP.pack(ARPHRD_ETHER, ETH_P_IP, 6, 4, op, sha, sip, tha, tip))


# ---------------------------------------------------------------- IPv4

@dataclass(frozen=True)
class IPv4:
    src: bytes
    dst: bytes
    proto: int
    ttl: int = 64
    ident: int = 0
    tos: int = 0
    flags: int = 0x2  # DF
    frag: int = 0
    payload: bytes = b""
    ihl: int = 5
    total_length: int = 0
    csum: int = 0
    options: bytes = b""

    @classmethod
    def parse(cls, data: bytes) -> "IPv4":
        if len(data) < 20:
            raise ParseError("ipv4: truncated header")
        vihl, tos, tot, ident, ff, ttl, proto, csum, src, dst = _IP.unpack_from(data)
        if vihl >> 4 != 4:
            raise ParseError("ipv4: bad version")
        ihl = vihl & 0xF
        if ihl < 5 or len(data) < ihl * 4:
            raise ParseError("ipv4: bad header length")
        end = min(tot, len(data)) if tot >= ihl * 4 else len(data)
        return cls(src, dst, proto, ttl, ident, tos, ff >> 13, ff & 0x1FFF,
                   bytes(data[ihl * 4:end]), ihl, tot, csum, bytes(data[20:ihl * 4]))

    def emit(self) -> bytes:
        return build_ipv4(self.src, self.dst, self.proto, self.payload, self.ttl,
                          self.ident, self.tos, self.flags)

    def checksum_ok(self, raw: bytes) -> bool:
        return checksum(raw[: self.ihl * 4]) == 0


def ipv4_header(src: int, dst: int, proto: int, payload_len: int, ttl: int, ident: int,
                tos: int = 0, df: bool = True) -> bytes:
    """A 20-byte IPv4 header for addresses as integers, as the stack builds one."""
    frag = IP_DF if df else 0
    tot = 20 + payload_len
    # the header checksum (ip_fast_csum): the ones' complement sum of the 16-bit words
    # is their sum modulo 0xFFFF (as 0xFFFF for 0; the sum is never 0), and a 32-bit
    # address counts whole, since hi * 0x10000 + lo = hi + lo modulo 0xFFFF
    c = (0x4500 | tos) + tot + ident + frag + (ttl << 8 | proto) + src + dst
    return _IP_C.pack(0x45, tos, tot, ident, frag, ttl, proto, 0xFFFF - (c % 0xFFFF or 0xFFFF),
                      src, dst)


def ipv4_pseudo_header(src: bytes, dst: bytes, proto: int, length: int) -> bytes:
    """RFC 768/793: what UDP and TCP over IPv4 checksum along with their bytes."""
    return src + dst + struct.pack("!BBH", 0, proto, length)


def build_ipv4(src: bytes, dst: bytes, proto: int, payload: bytes, ttl: int = 64,
               ident: int = 0, tos: int = 0, flags: int = 0x2) -> bytes:
    tot = 20 + len(payload)
    hdr = _IP.pack(0x45, tos, tot, ident, flags << 13, ttl, proto, 0, src, dst)
    csum = checksum(hdr)
    return hdr[:10] + struct.pack("!H", csum) + hdr[12:] + payload


def ipv4_rewrite_ttl(packet: bytes, ttl: int) -> bytes:
    """Decrease-TTL forwarding: new TTL and a recomputed header checksum."""
    ihl = (packet[0] & 0xF) * 4
    hdr = bytearray(packet[:ihl])
    hdr[8] = ttl
    hdr[10:12] = b"\x00\x00"
    hdr[10:12] = struct.pack("!H", checksum(bytes(hdr)))
    return bytes(hdr) + packet[ihl:]


# ---------------------------------------------------------------- IPv6

@dataclass(frozen=True)
class IPv6:
    src: bytes
    dst: bytes
    next_header: int
    hop_limit: int = 64
    payload: bytes = b""
    traffic_class: int = 0
    flow_label: int = 0
    payload_length: int = -1        # as read; emit() writes len(payload) when -1

    @classmethod
    def parse(cls, data: bytes) -> "IPv6":
        if len(data) < IPV6_HLEN:
            raise ParseError("ipv6: truncated header")
        vtf, plen, nh, hlim, src, dst = _IP6.unpack_from(data)
        if vtf >> 28 != 6:
            raise ParseError("ipv6: bad version")
        return cls(src, dst, nh, hlim, bytes(data[IPV6_HLEN:IPV6_HLEN + plen]),
                   (vtf >> 20) & 0xFF, vtf & 0xFFFFF, plen)

    def emit(self) -> bytes:
        plen = len(self.payload) if self.payload_length < 0 else self.payload_length
        return build_ipv6_header(self.src, self.dst, self.next_header, plen, self.hop_limit,
                                 self.traffic_class, self.flow_label) + self.payload


def build_ipv6_header(src: bytes, dst: bytes, next_header: int, payload_len: int,
                      hop_limit: int, traffic_class: int = 0, flow_label: int = 0) -> bytes:
    return _IP6.pack(6 << 28 | traffic_class << 20 | flow_label, payload_len, next_header,
                     hop_limit, src, dst)


def ipv6_pseudo_header(src: bytes, dst: bytes, length: int, next_header: int) -> bytes:
    """RFC 8200 8.1: what ICMPv6, UDP and TCP over IPv6 checksum along with their bytes."""
    return src + dst + struct.pack("!I3xB", length, next_header)


def icmp6_with_checksum(src: bytes, dst: bytes, body: bytes) -> bytes:
    """An ICMPv6 message with its checksum field filled in (the field is zero in `body`)."""
    csum = checksum(ipv6_pseudo_header(src, dst, len(body), IPPROTO_ICMPV6) + body)
    return body[:2] + struct.pack("!H", csum) + body[4:]


# ---------------------------------------------------------------- ICMP

@dataclass(frozen=True)
class Icmp:
    type: int
    code: int
    rest: bytes = b"\x00\x00\x00\x00"  # id/seq for echo, unused/mtu for errors
    payload: bytes = b""
    csum: int = 0

    @classmethod
    def parse(cls, data: bytes) -> "Icmp":
        if len(data) < 8:
            raise ParseError("icmp: truncated header")
        t, c, csum = _ICMP.unpack_from(data)
        return cls(t, c, bytes(data[4:8]), bytes(data[8:]), csum)

    @property
    def ident(self) -> int:
        return struct.unpack("!H", self.rest[:2])[0]

    @property
    def seq(self) -> int:
        return struct.unpack("!H", self.rest[2:4])[0]

    def emit(self) -> bytes:
        body = struct.pack("!BBH", self.type, self.code, 0) + self.rest + self.payload
        return body[:2] + struct.pack("!H", checksum(body)) + body[4:]


def build_icmp_echo(icmp_type: int, ident: int, seq: int, payload: bytes) -> bytes:
    """The checksum over the message with a zero checksum, then the header packed again
    with it (a ping sends one of these a round trip: no slicing and re-joining)."""
    c = checksum(_ICMP_ECHO.pack(icmp_type, 0, 0, ident, seq) + payload)
    return _ICMP_ECHO.pack(icmp_type, 0, c, ident, seq) + payload


def build_icmp_error(icmp_type: int, code: int, quoted: bytes, info: int = 0) -> bytes:
    body = struct.pack("!BBHI", icmp_type, code, 0, info) + quoted
    return body[:2] + struct.pack("!H", checksum(body)) + body[4:]


# ---------------------------------------------------------------- UDP, TCP

@dataclass(frozen=True)
class Udp:
    sport: int
    dport: int
    length: int
    csum: int = 0
    payload: bytes = b""

    SIZE = 8

    @classmethod
    def parse(cls, data: bytes) -> "Udp":
        if len(data) < 8:
            raise ParseError("udp: truncated header")
        sport, dport, ulen, csum = _UDP.unpack_from(data)
        return cls(sport, dport, ulen, csum, bytes(data[8:]))

    def emit(self) -> bytes:
        return _UDP.pack(self.sport, self.dport, self.length, self.csum) + self.payload


TCP_FIN, TCP_SYN, TCP_RST, TCP_PSH, TCP_ACK, TCP_URG, TCP_ECE, TCP_CWR = (
    0x01, 0x02, 0x04, 0x08, 0x10, 0x20, 0x40, 0x80)


@dataclass(frozen=True)
class Tcp:
    sport: int
    dport: int
    seq: int
    ack: int
    flags: int
    window: int
    doff: int = 5                    # header length in 32-bit words
    csum: int = 0
    urgent: int = 0
    options: bytes = b""
    payload: bytes = b""

    @classmethod
    def parse(cls, data: bytes) -> "Tcp":
        if len(data) < 20:
            raise ParseError("tcp: truncated header")
        sport, dport, seq, ack, offfl, win, csum, urp = _TCP.unpack_from(data)
        doff = offfl >> 12
        hlen = doff * 4
        return cls(sport, dport, seq, ack, offfl & 0xFF, win, doff, csum, urp,
                   bytes(data[20:max(hlen, 20)]), bytes(data[max(hlen, 20):]))

    @property
    def header_len(self) -> int:
        return self.doff * 4

    def emit(self) -> bytes:
        return (_TCP.pack(self.sport, self.dport, self.seq, self.ack,
                          self.doff << 12 | self.flags, self.window, self.csum, self.urgent)
                + self.options + self.payload)


@dataclass
class Frame:
    """A decoded view of an Ethernet frame, as far as the simulator knows it."""

    eth: Ethernet
    arp: Arp | None = None
    ip: IPv4 | None = None
    ip6: IPv6 | None = None
    icmp: Icmp | None = None
    errors: list[str] = field(default_factory=list)

    @classmethod
    def decode(cls, data: bytes) -> "Frame":
        eth = Ethernet.parse(data)
        fr = cls(eth)
        try:
            if eth.ethertype == ETH_P_ARP:
                fr.arp = Arp.parse(eth.payload)
            elif eth.ethertype == ETH_P_IP:
                fr.ip = IPv4.parse(eth.payload)
                if fr.ip.proto == IPPROTO_ICMP and fr.ip.frag == 0:
                    fr.icmp = Icmp.parse(fr.ip.payload)
            elif eth.ethertype == ETH_P_IPV6:
                fr.ip6 = IPv6.parse(eth.payload)
        except ParseError as err:
            fr.errors.append(str(err))
        return fr
