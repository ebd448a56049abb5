"""IPv6's data plane: nd_tbl on neighbour.py's state machine, DAD, ICMPv6, forwarding,
and the veth MTU check, through the kernel's own functions."""
from __future__ import annotations

import ipaddress

from vethtui.kernel import ipv6, ndisc
from vethtui.kernel.neighbour import NUD_FAILED, NUD_REACHABLE, NUD_STALE, nud_name

A = ipaddress.IPv6Address

PAIR = [
    "ip link set lo up",
    "ip netns add b",
    "ip -n b link set lo up",
    "ip link add veth0 address 02:00:00:00:00:01 type veth peer name veth1 netns b "
    "address 02:00:00:00:00:02",
    "ip addr add 2001:db8::1/64 dev veth0",
    "ip -n b addr add 2001:db8::2/64 dev veth1",
    "ip link set veth0 up",
    "ip -n b link set veth1 up",
    "sleep 3",
]


def _b(sh):
    return next(n for n in sh.world.nets if n.name == "b")


def test_ndisc_resolves_and_both_ends_learn(sh):
    sh(*PAIR)
    res = sh("ping -c 1 2001:db8::2")
    assert "64 bytes from 2001:db8::2: icmp_seq=1 ttl=64" in res.output
    veth0 = sh.net.dev_by_name("veth0")
    n = ndisc.nd_tbl(sh.net).lookup(A("2001:db8::2"), veth0)
    assert n.nud_state == NUD_REACHABLE and n.ha == bytes.fromhex("020000000002")
    b = _b(sh)
    # the solicited end keeps the asker STALE; the NA and the reply sent to it make it DELAY
    m = ndisc.nd_tbl(b).lookup(A("2001:db8::1"), b.dev_by_name("veth1"))
    assert nud_name(m.nud_state) == "DELAY"
    assert not sh.net.arp_tbl.entries           # the IPv4 table learnt nothing


def test_unanswered_solicitations_fail_with_address_unreachable(sh):
    sh(*PAIR)
    res = sh("ping -c 2 -i 0.5 2001:db8::99")
    assert res.output.count("Destination unreachable: Address unreachable") == 2
    assert "From 2001:db8::1 icmp_seq=1 " in res.output
    n = ndisc.nd_tbl(sh.net).lookup(A("2001:db8::99"), sh.net.dev_by_name("veth0"))
    assert n.nud_state == NUD_FAILED


def test_dad_fails_on_a_duplicate(sh):
    sh(*PAIR)
    sh("ip -n b addr add 2001:db8::1/64 dev veth1", "sleep 3")
    b = _b(sh)
    a = ipv6.ipv6_get_ifaddr(b.dev_by_name("veth1"), A("2001:db8::1"))
    assert a.flag_words() == ["dadfailed", "tentative"]
    assert not ipv6.ipv6_chk_addr(b, A("2001:db8::1"))
    # the holder kept its address and learnt nothing from the probe (source ::)
    assert ipv6.ipv6_chk_addr(sh.net, A("2001:db8::1"))


def test_dad_completes_when_both_ends_probe_different_addresses(sh):
    """Both ends of a pair in one namespace probe at once; each sees the other's probe
    for an address it does not hold, so both complete."""
    sh("ip link set lo up", "ip link add veth0 type veth peer name veth1",
       "ip link set veth0 up", "ip link set veth1 up")
    veth0 = sh.net.dev_by_name("veth0")
    assert [a.flag_words() for a in veth0.inet6] == [["tentative"]]
    sh("sleep 3")
    assert [a.flag_words() for a in veth0.inet6] == [[]]


def test_addresses_in_scope_order(sh):
    sh(*PAIR)
    sh("ip addr add 2001:db8::5/64 dev veth0")
    order = [str(a.addr) for a in sh.net.dev_by_name("veth0").inet6]
    assert order[:2] == ["2001:db8::5", "2001:db8::1"] and order[2].startswith("fe80::")


def test_ping_loopback_and_family_errors(sh):
    sh("ip link set lo up")
    assert "64 bytes from ::1: icmp_seq=1 ttl=64" in sh("ping -c 1 ::1").output
    assert sh("ping6 -c 1 ::").output.count("64 bytes from ::1") == 1
    res = sh("ping -4 -c 1 ::1")
    assert res.output == "ping: ::1: Address family for hostname not supported\n"
    assert res.status == 2
    assert sh("ping -6 -c 1 127.0.0.1").status == 2
    res = sh("ping -c 1 -s 70000 ::1")
    assert "ping: local error: message too long, mtu: 65536" in res.output
    assert "+1 errors" in res.output


def test_forwarding_hop_limit_and_packet_too_big(sh):
    sh("ip netns add a", "ip netns add r", "ip netns add b",
       "ip link add veth0 netns a type veth peer name r0 netns r",
       "ip link add veth1 netns b type veth peer name r1 netns r",
       "ip -n a addr add 2001:db8:1::2/64 dev veth0",
       "ip -n r addr add 2001:db8:1::1/64 dev r0",
       "ip -n r addr add 2001:db8:2::1/64 dev r1",
       "ip -n b addr add 2001:db8:2::2/64 dev veth1",
       "ip -n a link set veth0 up", "ip -n r link set r0 up", "ip -n r link set r1 up",
       "ip -n b link set veth1 up",
       "ip -n a -6 route add default via 2001:db8:1::1",
       "ip -n b -6 route add default via 2001:db8:2::1", "sleep 3")
    assert "0 received" in sh("ip netns exec a ping -c 1 -W 1 2001:db8:2::2").output
    sh("ip netns exec r sysctl -w net.ipv6.conf.all.forwarding=1")
    assert "ttl=63" in sh("ip netns exec a ping -c 1 2001:db8:2::2").output
    res = sh("ip netns exec a ping -c 1 -t 1 2001:db8:2::2")
    assert "From 2001:db8:1::1 icmp_seq=1 Time exceeded: Hop limit" in res.output
    sh("ip -n r link set r1 mtu 1280")
    res = sh("ip netns exec a ping -c 1 -s 1400 2001:db8:2::2")
    assert "From 2001:db8:1::1 icmp_seq=1 Packet too big: mtu=1280" in res.output
    a = next(n for n in sh.world.nets if n.name == "a")
    assert ipv6.path_mtu(a, A("2001:db8:2::2"), a.dev_by_name("veth0")) == 1280


def test_veth_mtu_mismatch_counts_and_enobufs(sh):
    sh("sysctl -w net.ipv6.conf.default.disable_ipv6=1", "ip link set lo up",
       "ip netns add b", "ip netns exec b sysctl -w net.ipv6.conf.default.disable_ipv6=1",
       "ip link add veth0 type veth peer name veth1 netns b",
       "ip link set veth0 mtu 9000", "ip addr add 10.0.0.1/24 dev veth0",
       "ip link set veth0 up", "ip -n b addr add 10.0.0.2/24 dev veth1",
       "ip -n b link set veth1 up", "ping -c 1 10.0.0.2")
    res = sh("ping -c 1 -W 1 -s 2000 10.0.0.2")
    assert res.output.count("ping: sendmsg: No buffer space available") == 1
    veth0 = sh.net.dev_by_name("veth0")
    veth1 = _b(sh).dev_by_name("veth1")
    # -W 1: one retry (500 ms of 1000), then the hard error: two frames refused
    assert veth0.stats.tx_dropped == 2 and veth1.stats.rx_dropped == 2
    assert veth0.stats.rx_dropped == 0 and veth1.stats.tx_dropped == 0


def test_stale_after_reachable_time(sh):
    sh(*PAIR, "ping -c 1 2001:db8::2", "sleep 60")
    n = ndisc.nd_tbl(sh.net).lookup(A("2001:db8::2"), sh.net.dev_by_name("veth0"))
    assert n.nud_state == NUD_STALE


def test_answer_to_a_unicast_solicitation_has_no_link_layer_option():
    """ndisc_recv_ns: ndisc_send_na(..., override = ifp && inc, inc_opt = inc), inc being a
    multicast destination. b's entry for 2001:db8::1 goes DELAY -> PROBE 5 s after the ping
    and its unicast probe is answered without the target link-layer address (length 24, as
    recorded on Linux 6.18 in lab_10_ipv6_veth), the multicast one with it (32)."""
    from vethtui.labs.builtin import build
    from vethtui.runner import run_lines
    world = build("netns", 0)
    res = run_lines(world, PAIR + ["ping -c 1 2001:db8::2", "sleep 7"])
    nas = [p["line"] for p in res.packets
           if p["iface"] == "veth0" and "advertisement, tgt is 2001:db8::" in p["line"]]
    assert nas == ["IP6 2001:db8::2 > 2001:db8::1: ICMP6, neighbor advertisement, "
                   "tgt is 2001:db8::2, length 32",
                   "IP6 2001:db8::1 > fe80::ff:fe00:2: ICMP6, neighbor advertisement, "
                   "tgt is 2001:db8::1, length 24"]
    b = next(n for n in world.nets if n.name == "b")
    m = ndisc.nd_tbl(b).lookup(A("2001:db8::1"), b.dev_by_name("veth1"))
    assert nud_name(m.nud_state) == "REACHABLE"    # the option-less answer confirms it
