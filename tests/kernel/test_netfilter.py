"""Netfilter beyond the goldens: hook registration and priorities, conntrack timeouts on
the virtual clock, NAT's unique tuples, ICMP errors translated back through NAT,
explain naming the rule, iptables-save | iptables-restore."""
from __future__ import annotations

from tests.conftest import Shell
from vethtui.explain import explain_command
from vethtui.kernel import netfilter as xt
from vethtui.kernel import nf_conntrack as nfct
from vethtui.kernel.core import (NF_INET_FORWARD, NF_INET_LOCAL_IN, NF_INET_LOCAL_OUT,
                                 NF_INET_POST_ROUTING, NF_INET_PRE_ROUTING)
from vethtui.kernel.inet import aton
from vethtui.kernel.sockets import RawSocket
from vethtui.kernel.wire import ICMP_ECHO, build_icmp_echo
from vethtui.tools import iptables
from vethtui.tools.base import Proc

PAIR = ["ip link set lo up", "ip netns add ns1",
        "ip link add veth0 type veth peer name eth0 netns ns1",
        "ip addr add 10.0.0.1/24 dev veth0", "ip link set veth0 up",
        "ip -n ns1 addr add 10.0.0.2/24 dev eth0", "ip -n ns1 link set eth0 up"]

CONTAINER = ["ip netns add c1", "ip link add br0 type bridge",
             "ip addr add 172.18.0.1/16 dev br0", "ip link set br0 up",
             "ip link add veth-c1 type veth peer name eth0 netns c1",
             "ip link set veth-c1 master br0", "ip link set veth-c1 up",
             "ip -n c1 addr add 172.18.0.2/16 dev eth0", "ip -n c1 link set eth0 up",
             "ip -n c1 route add default via 172.18.0.1", "sysctl -w net.ipv4.ip_forward=1",
             "iptables -t nat -A POSTROUTING -s 172.18.0.0/16 ! -o br0 -j MASQUERADE"]


def _prios(net, hook):
    return [ops.priority for ops in net.nf_hooks_ipv4[hook]]


def test_no_rules_no_hooks(sh):
    sh(*PAIR)
    sh("iptables -L", "iptables -t nat -L", "iptables-save", "iptables -F", "iptables -Z",
       "iptables -N MINE", "iptables -t nat -N MINE")     # tables without base chains
    assert all(not hooks for hooks in sh.net.nf_hooks_ipv4)


def test_tables_register_at_linux_priorities(sh):
    sh("iptables -A INPUT -j ACCEPT")
    net = sh.net
    assert _prios(net, NF_INET_LOCAL_IN) == [0]
    assert not net.nf_hooks_ipv4[NF_INET_FORWARD]        # only the chain touched
    sh("iptables -t mangle -A OUTPUT -j ACCEPT", "iptables -A OUTPUT -j ACCEPT",
       "iptables -t nat -A POSTROUTING -j MASQUERADE")
    # conntrack -200, mangle -150, nat (DNAT side) -100, filter 0, nat (SNAT side) 100,
    # conntrack's confirm last
    assert _prios(net, NF_INET_LOCAL_OUT) == [-200, -150, -100, 0]
    assert _prios(net, NF_INET_PRE_ROUTING) == [-200, -100]
    assert _prios(net, NF_INET_POST_ROUTING) == [100, 2**31 - 1]
    assert _prios(net, NF_INET_LOCAL_IN) == [0, 100, 2**31 - 1]


def test_state_match_holds_conntrack(sh):
    sh(*PAIR)
    sh("iptables -A INPUT -m conntrack --ctstate ESTABLISHED -j ACCEPT")
    assert _prios(sh.net, NF_INET_PRE_ROUTING) == [-200]
    sh("iptables -D INPUT 1")
    assert not sh.net.nf_hooks_ipv4[NF_INET_PRE_ROUTING]


def test_icmp_entry_expires_after_30_virtual_seconds(sh):
    sh(*PAIR)
    sh("iptables -A INPUT -m state --state NEW -j ACCEPT", "ping -c 1 10.0.0.2")
    listing = sh("conntrack -L")
    assert "1 flow entries" in listing.output
    assert "icmp     1 29 src=10.0.0.1 dst=10.0.0.2 type=8" in listing.output
    sh("sleep 31")
    assert "0 flow entries" in sh("conntrack -L").output


def test_masquerade_keeps_the_id_unless_it_clashes():
    """Two containers ping 8.8.8.8 with the same ICMP id: the second flow's id is
    rewritten on eth0 (nf_nat's unique tuple) and translated back for its replies."""
    host = Shell("default")
    host(*CONTAINER, "ip netns add c2", "ip link add veth-c2 type veth peer name eth0 netns c2",
         "ip link set veth-c2 master br0", "ip link set veth-c2 up",
         "ip -n c2 addr add 172.18.0.3/16 dev eth0", "ip -n c2 link set eth0 up",
         "ip -n c2 route add default via 172.18.0.1",
         "ip netns exec c1 ping -c 1 172.18.0.1", "ip netns exec c2 ping -c 1 172.18.0.1")
    world = host.world
    socks = []
    for name in ("c1", "c2"):
        s = RawSocket(world.netns[name], ident=4242)
        s.sendto(build_icmp_echo(ICMP_ECHO, 4242, 1, bytes(56)), aton("8.8.8.8"))
        socks.append(s)
    host("sleep 1")
    assert all(len(s.rxq) == 1 for s in socks)            # both got their reply
    cn = nfct.ct_net(host.net)
    ids = sorted(ct.reply[3] for ct in cn.entries() if ct.tuple[2] == aton("8.8.8.8"))
    assert len(ids) == 2 and 4242 in ids and ids[0] != ids[1]


def test_icmp_error_from_the_isp_translated_back_to_the_container():
    host = Shell("default")
    host(*CONTAINER)
    r = host("ip netns exec c1 ping -c 1 -W 1 9.9.9.9")
    assert "From 203.0.113.1 icmp_seq=1 Destination Net Unreachable" in r.output


def test_explain_names_the_rule_and_the_rewrite():
    host = Shell("default")
    host(*CONTAINER)
    host("ip netns exec c1 ping -c 1 8.8.8.8")
    text = explain_command(host.world, host.world.commands[-1])
    assert "table nat, chain POSTROUTING: rule 1 matches, -j MASQUERADE" in text
    assert "NAT at POSTROUTING: source 172.18.0.2 becomes 192.168.1.11" in text


def test_drop_is_netfilter_drop_with_the_rule(sh):
    sh(*PAIR)
    sh("ip netns exec ns1 iptables -A INPUT -p icmp -j ACCEPT",
       "ip netns exec ns1 iptables -I INPUT -s 10.0.0.1 -j DROP")
    sh("ping -c 1 -W 1 10.0.0.2")
    text = explain_command(sh.world, sh.world.commands[-1])
    assert "SKB_DROP_REASON_NETFILTER_DROP" in text
    assert "iptables -t filter: chain INPUT, rule 1 (-j DROP)" in text
    out = sh("ip netns exec ns1 iptables -L INPUT -v -n").output
    assert "    1    84 DROP       0    --  *      *       10.0.0.1" in out


def test_reject_tcp_reset_refuses_non_tcp(sh):
    r = sh("iptables -A INPUT -p udp -j REJECT --reject-with tcp-reset")
    assert r.status == 4 and "RULE_APPEND failed (Invalid argument)" in r.output
    assert sh("iptables -A INPUT -p tcp -j REJECT --reject-with tcp-reset").status == 0


def test_save_restore_round_trip(sh):
    sh("iptables -N WEB", "iptables -A WEB -p tcp -m multiport --dports 80,443 -j ACCEPT",
       "iptables -A INPUT -m comment --comment \"to the web\" -j WEB",
       "iptables -P FORWARD DROP",
       "iptables -t nat -A PREROUTING -p tcp --dport 8080 -j DNAT --to-destination 172.18.0.2:80")
    saved = sh("iptables-save").output
    sh("ip netns add other")
    other = sh.world.netns["other"]
    out: list[str] = []
    proc = Proc(sh.world, other, lambda kind, text: out.append(text))
    proc.stdin_lines = saved.splitlines()
    assert iptables.restore_main(proc, ["iptables-restore"]) == 0, out
    again = sh("ip netns exec other iptables-save").output
    strip = [ln for ln in saved.splitlines() if not ln.startswith("#")]
    assert [ln for ln in again.splitlines() if not ln.startswith("#")] == strip


def test_user_chain_return_and_goto(sh):
    sh(*PAIR)
    sh("ip netns exec ns1 iptables -N CHECK",
       "ip netns exec ns1 iptables -A CHECK -s 10.0.0.1 -j RETURN",
       "ip netns exec ns1 iptables -A CHECK -j DROP",
       "ip netns exec ns1 iptables -A INPUT -p icmp -j CHECK",
       "ip netns exec ns1 iptables -A INPUT -p icmp -j ACCEPT")
    assert sh("ping -c 1 10.0.0.2").status == 0                # RETURN, then ACCEPT
    net = sh.world.netns["ns1"]
    table = xt.xt_find_table(net, "filter")
    assert [r.pcnt for r in table.chains["CHECK"].rules] == [1, 0]
    assert [r.pcnt for r in table.chains["INPUT"].rules] == [1, 1]


def test_netview_rows_for_a_netfilter_pane():
    from vethtui import netview
    host = Shell("default")
    host(*CONTAINER, "ip netns exec c1 ping -c 1 8.8.8.8")
    rows = {r.key: r for r in netview.nf_rules(host.net)}
    masq = rows["nat/POSTROUTING/1"]
    assert (masq.packets, masq.bytes, masq.target) == (1, 84, "MASQUERADE")
    assert masq.text == "-A POSTROUTING -s 172.18.0.0/16 ! -o br0 -j MASQUERADE"
    (conn,) = netview.connections(host.net)
    assert conn.proto == "icmp" and conn.reply.startswith("8.8.8.8 > 192.168.1.11 id ")
    assert netview.connections(host.world.netns["c1"]) == []


ROUTER = ["ip link set lo up", "ip netns add ns1", "ip netns add ns2",
          "ip link add veth1 type veth peer name eth0 netns ns1",
          "ip link add veth2 type veth peer name eth0 netns ns2",
          "ip addr add 10.0.1.1/24 dev veth1", "ip addr add 10.0.2.1/24 dev veth2",
          "ip link set veth1 up", "ip link set veth2 up",
          "ip -n ns1 addr add 10.0.1.2/24 dev eth0", "ip -n ns2 addr add 10.0.2.2/24 dev eth0",
          "ip -n ns1 link set eth0 up", "ip -n ns2 link set eth0 up",
          "ip -n ns1 route add default via 10.0.1.1", "ip -n ns2 route add default via 10.0.2.1",
          "sysctl -w net.ipv4.ip_forward=1"]


def _segment(src: str, dst: str, sport: int, dport: int, seq: int, ack: int, flags: int) -> bytes:
    """A bare TCP header with a correct checksum, as a raw IPPROTO_TCP socket sends it."""
    import struct
    from vethtui.kernel.wire import checksum, ipv4_pseudo_header
    hdr = struct.pack("!HHIIBBHHH", sport, dport, seq, ack, 0x50, flags, 64240, 0, 0)
    c = checksum(ipv4_pseudo_header(aton(src).to_bytes(4, "big"), aton(dst).to_bytes(4, "big"),
                                    6, len(hdr)) + hdr)
    return hdr[:16] + c.to_bytes(2, "big") + hdr[18:]


def _tcp_ok(rcv) -> bool:
    from vethtui.kernel.wire import checksum, ipv4_pseudo_header
    seg = rcv.icmp
    return checksum(ipv4_pseudo_header(rcv.src.to_bytes(4, "big"), rcv.dst.to_bytes(4, "big"),
                                       6, len(seg)) + seg) == 0


def test_dnat_of_a_port_and_the_tcp_tracker(sh):
    """A port published with DNAT: the SYN reaches 10.0.2.2:80 with a valid checksum, the
    SYN/ACK goes back as 10.0.1.1:8080, and conntrack follows SYN_SENT, SYN_RECV,
    ESTABLISHED (ASSURED, five days)."""
    sh(*ROUTER, "iptables -t nat -A PREROUTING -p tcp --dport 8080 -j DNAT "
                "--to-destination 10.0.2.2:80",
       # raw sockets play client and server: the kernel's own TCP (no listener on 80,
       # nothing sent from 40000) must not answer with resets, as on a real host
       "ip netns exec ns2 iptables -A OUTPUT -p tcp --tcp-flags RST RST -j DROP",
       "ip netns exec ns1 iptables -A OUTPUT -p tcp --tcp-flags RST RST -j DROP")
    world = sh.world
    c = RawSocket(world.netns["ns1"], protocol=6)
    s = RawSocket(world.netns["ns2"], protocol=6)
    c.sendto(_segment("10.0.1.2", "10.0.1.1", 40000, 8080, 1000, 0, 0x02), aton("10.0.1.1"))
    sh("sleep 0.1")
    (syn,) = list(s.rxq)
    assert (syn.dst, int.from_bytes(syn.icmp[2:4], "big")) == (aton("10.0.2.2"), 80)
    assert _tcp_ok(syn)
    out = sh("conntrack -L").output
    assert ("tcp      6 119 SYN_SENT src=10.0.1.2 dst=10.0.1.1 sport=40000 dport=8080 "
            "[UNREPLIED] src=10.0.2.2 dst=10.0.1.2 sport=80 dport=40000 mark=0 use=1") in out
    s.sendto(_segment("10.0.2.2", "10.0.1.2", 80, 40000, 5000, 1001, 0x12), aton("10.0.1.2"))
    sh("sleep 0.1")
    synack = c.rxq[-1]
    assert (synack.src, int.from_bytes(synack.icmp[0:2], "big")) == (aton("10.0.1.1"), 8080)
    assert _tcp_ok(synack)
    assert " SYN_RECV " in sh("conntrack -L").output
    c.sendto(_segment("10.0.1.2", "10.0.1.1", 40000, 8080, 1001, 5001, 0x10), aton("10.0.1.1"))
    sh("sleep 0.1")
    out = sh("conntrack -L").output
    assert "tcp      6 431999 ESTABLISHED src=10.0.1.2" in out and "[ASSURED]" in out


def test_reject_with_tcp_reset_answers_a_syn(sh):
    sh(*ROUTER, "ip netns exec ns2 iptables -A INPUT -p tcp --dport 81 "
                "-j REJECT --reject-with tcp-reset")
    c = RawSocket(sh.world.netns["ns1"], protocol=6)
    c.sendto(_segment("10.0.1.2", "10.0.2.2", 40001, 81, 7000, 0, 0x02), aton("10.0.2.2"))
    sh("sleep 0.1")
    (rst,) = list(c.rxq)
    seg = rst.icmp
    assert rst.src == aton("10.0.2.2") and _tcp_ok(rst)
    assert seg[13] == 0x14                                   # RST, ACK
    assert int.from_bytes(seg[4:8], "big") == 0
    assert int.from_bytes(seg[8:12], "big") == 7001          # the SYN's sequence + 1
    assert rst.ttl == 63


def test_default_lab_container_reaches_the_internet_only_with_forwarding_and_nat():
    """The issue's walk: no ip_forward, then no NAT (the request leaves eth0 from
    172.18.0.2 and nothing comes back), then MASQUERADE (eth0 shows 192.168.1.11)."""
    from vethtui.labs.builtin import build
    from vethtui.runner import run_lines
    world = build("default", 0)
    setup = CONTAINER[:-2]            # the container, without ip_forward and the rule
    res = run_lines(world, setup + [
        "ip netns exec c1 ping -c 1 -W 1 8.8.8.8",
        "sysctl -w net.ipv4.ip_forward=1",
        "ip netns exec c1 ping -c 1 -W 2 8.8.8.8",
        "iptables -t nat -A POSTROUTING -s 172.18.0.0/16 ! -o br0 -j MASQUERADE",
        "ip netns exec c1 ping -c 1 8.8.8.8"], settle=0)
    statuses = [c.status for c in res.commands[-5:]]
    assert statuses == [1, 0, 1, 0, 0]
    assert "64 bytes from 8.8.8.8: icmp_seq=1 ttl=57" in res.commands[-1].output
    eth0 = [p["line"] for p in res.packets if p["iface"] == "eth0" and " ICMP " in p["line"]]
    assert [ln.split(",")[0] for ln in eth0] == [
        "IP 172.18.0.2 > 8.8.8.8: ICMP echo request",          # forwarded, not translated
        "IP 192.168.1.11 > 8.8.8.8: ICMP echo request",        # masqueraded
        "IP 8.8.8.8 > 192.168.1.11: ICMP echo reply"]


def _datagram(src: str, dst: str, sport: int, dport: int, payload: bytes) -> bytes:
    import struct
    from vethtui.kernel.wire import checksum, ipv4_pseudo_header
    hdr = struct.pack("!HHHH", sport, dport, 8 + len(payload), 0) + payload
    c = checksum(ipv4_pseudo_header(aton(src).to_bytes(4, "big"), aton(dst).to_bytes(4, "big"),
                                    17, len(hdr)) + hdr)
    return hdr[:6] + c.to_bytes(2, "big") + hdr[8:]


def test_udp_tracker_unreplied_replied_stream(sh):
    """UDP through SNAT: [UNREPLIED] and 30 s; a reply clears it (still 30 s); traffic
    after two seconds makes it a stream: [ASSURED], 120 s."""
    sh(*ROUTER, "iptables -t nat -A POSTROUTING -o veth2 -j SNAT --to-source 10.0.2.1")
    world = sh.world
    c = RawSocket(world.netns["ns1"], protocol=17)
    s = RawSocket(world.netns["ns2"], protocol=17)
    c.sendto(_datagram("10.0.1.2", "10.0.2.2", 5353, 53, b"q"), aton("10.0.2.2"))
    sh("sleep 0.1")
    (q,) = list(s.rxq)
    assert q.src == aton("10.0.2.1") and _tcp_ok_udp(q)
    assert ("udp      17 29 src=10.0.1.2 dst=10.0.2.2 sport=5353 dport=53 [UNREPLIED] "
            "src=10.0.2.2 dst=10.0.2.1 sport=53 dport=5353 mark=0 use=1") in sh("conntrack -L").output
    s.sendto(_datagram("10.0.2.2", "10.0.2.1", 53, 5353, b"a"), aton("10.0.2.1"))
    sh("sleep 0.1")
    assert c.rxq and c.rxq[-1].dst == aton("10.0.1.2") and _tcp_ok_udp(c.rxq[-1])
    out = sh("conntrack -L").output
    assert "udp      17 29 src=10.0.1.2" in out and "UNREPLIED" not in out and "ASSURED" not in out
    sh("sleep 2")
    c.sendto(_datagram("10.0.1.2", "10.0.2.2", 5353, 53, b"q2"), aton("10.0.2.2"))
    sh("sleep 0.1")
    out = sh("conntrack -L").output
    assert "udp      17 119 src=10.0.1.2" in out and "[ASSURED]" in out


def _tcp_ok_udp(rcv) -> bool:
    from vethtui.kernel.wire import checksum, ipv4_pseudo_header
    seg = rcv.icmp
    return checksum(ipv4_pseudo_header(rcv.src.to_bytes(4, "big"), rcv.dst.to_bytes(4, "big"),
                                       17, len(seg)) + seg) == 0


def test_removing_the_masqueraded_address_ends_its_connections():
    host = Shell("default")
    host(*CONTAINER, "ip netns exec c1 ping -c 1 8.8.8.8", "ip addr add 192.168.1.12/24 dev eth0")
    assert "1 flow entries" in host("conntrack -L").output
    host("ip addr del 192.168.1.12/24 dev eth0")          # another address: nothing ends
    assert "1 flow entries" in host("conntrack -L").output
    host("ip addr del 192.168.1.11/24 dev eth0")
    assert "0 flow entries" in host("conntrack -L").output
