"""NAT and TCP together: the transport checksum after a rewrite (nf_nat's manip_pkt with
inet_proto_csum_replace4/2), for a complete checksum and for a CHECKSUM_PARTIAL one (a
local socket's segment, which carries only the pseudo-header's sum), and the neighbour
confirmation a forwarded TCP segment carries (skb->dst_pending_confirm)."""
from __future__ import annotations

import re
import struct

from vethtui.kernel.inet import aton
from vethtui.kernel.nf_nat import NF_NAT_MANIP_DST, NF_NAT_MANIP_SRC, manip_pkt
from vethtui.kernel.tcp_output import csum_ok, csum_partial_pseudo
from vethtui.kernel.wire import checksum, ipv4_header, ipv4_pseudo_header

SRC, DST = aton("172.18.0.2"), aton("93.184.216.34")
NEW = aton("192.168.1.11")


def _frame(partial: bool, proto: int = 6, payload: bytes = b"GET / HTTP/1.1\r\n\r\n") -> bytearray:
    if proto == 6:
        seg = struct.pack("!HHIIHHHH", 40000, 80, 1, 1, 5 << 12 | 0x18, 64, 0, 0) + payload
        field = 16
    else:
        seg = struct.pack("!HHHH", 40000, 53, 8 + len(payload), 0) + payload
        field = 6
    if partial:
        c = csum_partial_pseudo(SRC, DST, proto, len(seg))
    else:
        c = checksum(ipv4_pseudo_header(SRC.to_bytes(4, "big"), DST.to_bytes(4, "big"), proto,
                                        len(seg)) + seg)
    seg = seg[:field] + c.to_bytes(2, "big") + seg[field + 2:]
    return bytearray(bytes(14) + ipv4_header(SRC, DST, proto, len(seg), 64, 1, 0, df=True) + seg)


def _valid_full(buf: bytes, proto: int) -> bool:
    seg = buf[34:]
    return checksum(ipv4_pseudo_header(buf[26:30], buf[30:34], proto, len(seg)) + seg) == 0


def test_snat_keeps_a_complete_tcp_checksum_right():
    buf = _frame(partial=False)
    manip_pkt(buf, 14, (6, NEW, DST, 61000, 80), NF_NAT_MANIP_SRC)
    assert buf[26:30] == NEW.to_bytes(4, "big") and buf[34:36] == (61000).to_bytes(2, "big")
    assert _valid_full(buf, 6)
    assert checksum(bytes(buf[14:34])) == 0                     # and the IP header's


def test_dnat_keeps_a_complete_udp_checksum_right():
    buf = _frame(partial=False, proto=17, payload=b"abc")
    manip_pkt(buf, 14, (17, SRC, aton("10.0.0.9"), 40000, 5353), NF_NAT_MANIP_DST)
    assert _valid_full(buf, 17)


def test_a_partial_checksum_moves_with_the_address_only():
    """inet_proto_csum_replace4(pseudohdr) on CHECKSUM_PARTIAL: the field becomes the new
    pseudo-header's sum; the port change is left to the device (replace2 does nothing)."""
    buf = _frame(partial=True)
    manip_pkt(buf, 14, (6, NEW, DST, 61000, 80), NF_NAT_MANIP_SRC)
    seglen = len(buf) - 34
    assert int.from_bytes(buf[50:52], "big") == csum_partial_pseudo(NEW, DST, 6, seglen)
    assert csum_ok(bytes(buf), 34, seglen, 6, 16)
    # the same segment mangled as if its checksum were complete would be garbage
    assert not _valid_full(buf, 6)


def test_forwarded_tcp_confirms_the_routers_neighbour(sh):
    """A TCP sender's dst_pending_confirm survives the veth (skb_scrub_packet keeps it), so
    the router forwarding its segments confirms its neighbour there and never probes it,
    where forwarded pings leave it to go STALE -> DELAY -> PROBE."""
    sh("ip netns add a", "ip netns add b",
       "ip link add va type veth peer name eth0 netns a",
       "ip link add vb type veth peer name eth0 netns b",
       "ip addr add 10.0.1.1/24 dev va", "ip addr add 10.0.2.1/24 dev vb",
       "ip link set va up", "ip link set vb up",
       "ip -n a addr add 10.0.1.2/24 dev eth0", "ip -n a link set eth0 up",
       "ip -n a route add default via 10.0.1.1",
       "ip -n b addr add 10.0.2.2/24 dev eth0", "ip -n b link set eth0 up",
       "ip -n b link set lo up", "ip -n b route add default via 10.0.2.1",
       "sysctl -w net.ipv4.ip_forward=1")
    res = sh("ip netns exec b python3 -m http.server 80 > /dev/null 2>&1 &",
             # b asks for its router first: the router's entry for b starts STALE, and
             # the ping's reply puts it in DELAY (a ping confirms nothing)
             "ip netns exec b ping -c 1 10.0.2.1 "
             "> /dev/null; ip netns exec a curl -s -o /dev/null -w '%{http_code}\\n' "
             "http://10.0.2.2/; sleep 8",
             "ip -s neigh show dev vb")
    assert res[1].output == "200\n"
    # curl's forwarded segments confirmed it within the 5 s of DELAY: no probe
    # (without the bit, the DELAY timer finds it unconfirmed and probes: `probes 1`)
    assert re.match(r"10\.0\.2\.2 lladdr \S+ .*probes 0 ", res[2].output), res[2].output
