"""Wire formats: every header parses what it emits, and checksums are the Internet's."""
from __future__ import annotations

import pytest

from vethtui.kernel.wire import (ARPOP_REQUEST, Arp, Ethernet, Icmp, IPv4, ParseError,
                                 build_arp_frame, build_icmp_echo, build_ipv4, checksum)


def test_checksum_rfc1071_example():
    # RFC 1071's worked example: 0001 f203 f4f5 f6f7 sums to 0xddf2, complement 0x220d
    assert checksum(bytes.fromhex("0001f203f4f5f6f7")) == 0x220D


def test_checksum_odd_length_pads_with_zero():
    assert checksum(b"\x01") == checksum(b"\x01\x00")


def test_ethernet_round_trip():
    e = Ethernet(b"\xff" * 6, b"\x02\x00\x00\x00\x00\x0a", 0x0806, b"payload")
    assert Ethernet.parse(e.emit()) == e


def test_arp_round_trip_and_frame_length():
    frame = build_arp_frame(ARPOP_REQUEST, b"\xff" * 6, b"\x02" * 6, b"\x02" * 6,
                            bytes([192, 168, 2, 11]), bytes(6), bytes([192, 168, 2, 12]))
    assert len(frame) == 42          # veth does not pad: tcpdump says "length 28"
    arp = Arp.parse(Ethernet.parse(frame).payload)
    assert arp.op == ARPOP_REQUEST and arp.tip == bytes([192, 168, 2, 12])
    assert Arp.parse(arp.emit()) == arp


def test_ipv4_header_checksum_verifies():
    pkt = build_ipv4(bytes([10, 0, 0, 1]), bytes([10, 0, 0, 2]), 1, b"x" * 8, ttl=64, ident=7)
    assert checksum(pkt[:20]) == 0
    ip = IPv4.parse(pkt)
    assert ip.ttl == 64 and ip.ident == 7 and ip.payload == b"x" * 8 and ip.checksum_ok(pkt)


def test_icmp_echo_checksum_and_fields():
    body = build_icmp_echo(8, 0x1234, 7, bytes(56))
    assert checksum(body) == 0
    icmp = Icmp.parse(body)
    assert (icmp.type, icmp.ident, icmp.seq, len(icmp.payload)) == (8, 0x1234, 7, 56)
    assert Icmp.parse(icmp.emit()).emit() == body


@pytest.mark.parametrize("cls,data", [(Ethernet, b"\x00" * 13), (Arp, b"\x00" * 7),
                                      (IPv4, b"\x45" + b"\x00" * 10), (Icmp, b"\x08\x00")])
def test_truncated_input_is_a_parse_error(cls, data):
    with pytest.raises(ParseError):
        cls.parse(data)


def test_ipv4_rejects_wrong_version():
    pkt = bytearray(build_ipv4(bytes(4), bytes(4), 1, b""))
    pkt[0] = 0x65
    with pytest.raises(ParseError):
        IPv4.parse(bytes(pkt))
