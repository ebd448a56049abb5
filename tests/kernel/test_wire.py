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


def test_ipv6_round_trip_and_icmp6_checksum():
    from vethtui.kernel.wire import IPPROTO_ICMPV6, IPv6, icmp6_with_checksum, ipv6_pseudo_header
    src, dst = bytes(15) + b"\x01", b"\xff\x02" + bytes(13) + b"\x02"
    body = icmp6_with_checksum(src, dst, bytes([133, 0, 0, 0, 0, 0, 0, 0]))
    assert checksum(ipv6_pseudo_header(src, dst, len(body), IPPROTO_ICMPV6) + body) == 0
    ip6 = IPv6(src, dst, IPPROTO_ICMPV6, 255, body, traffic_class=0x12, flow_label=0x345)
    raw = ip6.emit()
    assert len(raw) == 40 + len(body) and raw[0] >> 4 == 6
    back = IPv6.parse(raw)
    assert (back.src, back.dst, back.next_header, back.hop_limit, back.payload,
            back.traffic_class, back.flow_label) == (src, dst, 58, 255, body, 0x12, 0x345)
    assert IPv6.parse(back.emit()) == back


def test_udp_and_tcp_round_trip():
    from vethtui.kernel.wire import TCP_ACK, TCP_SYN, Tcp, Udp
    u = Udp(5353, 53, 8 + 3, 0xBEEF, b"abc")
    assert Udp.parse(u.emit()) == u
    t = Tcp(40000, 80, 1, 2, TCP_SYN | TCP_ACK, 64240, doff=6, options=b"\x02\x04\x05\xb4",
            payload=b"hi")
    back = Tcp.parse(t.emit())
    assert back == t and back.header_len == 24


def test_arp_with_other_address_lengths_parses_and_truncation_is_an_error():
    raw = bytes.fromhex("0001080008040001") + bytes(range(8)) + bytes(4) + bytes(8) + bytes(4)
    arp = Arp.parse(raw)
    assert (arp.hln, arp.pln, arp.sha) == (8, 4, bytes(range(8)))
    assert arp.emit() == raw and Arp.parse(arp.emit()) == arp
    with pytest.raises(ParseError):
        Arp.parse(raw[:-1])


@pytest.mark.parametrize("cls", ["IPv6", "Udp", "Tcp"])
def test_new_headers_refuse_truncated_input(cls):
    from vethtui.kernel import wire
    with pytest.raises(ParseError):
        getattr(wire, cls).parse(b"\x60" + bytes(6))
