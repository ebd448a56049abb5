"""Wire formats: Ethernet II, ARP, IPv4 and ICMP as bytes.

Kept apart from the stack's logic (smoltcp's `wire/`): each header is a small
frozen dataclass with `parse(bytes)` (raising `ParseError` on bad input) and
`emit() -> bytes`. Frames in the simulator are real bytes with correct
checksums, so a pcap written from them is exact and a capture can always be
decoded again from what was on the wire.

The stack's hot path does not build dataclasses: it uses the `build_*`
helpers and `struct` offsets directly; the dataclasses serve the decoders
(tcpdump's printer, tests).
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

IPPROTO_ICMP = 1
IPPROTO_TCP = 6
IPPROTO_UDP = 17

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
_IP = struct.Struct("!BBHHHBBH4s4s")
_ICMP = struct.Struct("!BBH")
_ICMP_ECHO = struct.Struct("!BBHHH")


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
        if len(data) < 8:
            raise ParseError("arp: truncated header")
        hrd, pro, hln, pln, op = struct.unpack_from("!HHBBH", data)
        if hln != 6 or pln != 4 or len(data) < 28:
            raise ParseError("arp: unsupported address lengths")
        _, _, _, _, _, sha, sip, tha, tip = _ARP.unpack_from(data)
        return cls(op, sha, sip, tha, tip, hrd, pro, hln, pln)

    def emit(self) -> bytes:
        return _ARP.pack(self.hrd, self.pro, self.hln, self.pln, self.op,
                         self.sha, self.sip, self.tha, self.tip)


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
    body = _ICMP_ECHO.pack(icmp_type, 0, 0, ident, seq) + payload
    return body[:2] + struct.pack("!H", checksum(body)) + body[4:]


def build_icmp_error(icmp_type: int, code: int, quoted: bytes, info: int = 0) -> bytes:
    body = struct.pack("!BBHI", icmp_type, code, 0, info) + quoted
    return body[:2] + struct.pack("!H", checksum(body)) + body[4:]


@dataclass
class Frame:
    """A decoded view of an Ethernet frame, as far as the simulator knows it."""

    eth: Ethernet
    arp: Arp | None = None
    ip: IPv4 | None = None
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
        except ParseError as err:
            fr.errors.append(str(err))
        return fr
