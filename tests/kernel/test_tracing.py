"""The tracer's budget, the input-route cache and the flood fast path.

These pin behaviour the fast path must not change: every drop is remembered,
a reply to a traced request is traced, cached input routes follow sysctl
writes, and a flood longer than the 16-bit sequence space loses nothing.
"""
from __future__ import annotations

import re

from vethtui.kernel import world as world_mod

PAIR = ("ip netns add ns1", "ip netns add ns2",
        "ip link add veth1 netns ns1 type veth peer name veth2 netns ns2",
        "ip -n ns1 addr add 10.0.0.1/24 dev veth1", "ip -n ns2 addr add 10.0.0.2/24 dev veth2",
        "ip -n ns1 link set veth1 up", "ip -n ns2 link set veth2 up")


def _hooks(world, sid):
    return [e.hook for e in world.packets[sid].trace]


def test_small_exchanges_are_traced_whole(sh):
    sh(*PAIR)
    res = sh("ip netns exec ns1 ping -c 1 10.0.0.2")
    assert "1 received" in res.output
    assert sh.world.untraced == 0
    replies = [r for r in sh.world.packets.values()
               if r.trace and any(e.verdict == "echo reply" for e in r.trace)]
    assert replies, "the echo reply is remembered"
    hooks = _hooks(sh.world, replies[-1].id)
    assert hooks[0] == "icmp_push_reply" and "netif_receive_skb" in hooks


def test_flood_is_sampled_but_replies_follow_their_requests(sh):
    sh(*PAIR)
    n = world_mod.TRACE_BURST * 2
    res = sh(f"ip netns exec ns1 ping -f -q -c {n} 10.0.0.2")
    assert f"{n} packets transmitted, {n} received" in res.output
    w = sh.world
    assert w.untraced > 0
    assert len(w.packets) < 2 * n
    requests = {r.id for r in w.packets.values() if r.trace and r.trace[0].hook == "raw_sendmsg"}
    answered = {r.cause for r in w.packets.values()
                if r.trace and r.trace[0].hook == "icmp_push_reply"}
    assert requests and requests <= answered, "every traced request has its reply traced"


def test_drops_are_remembered_even_untraced(sh):
    sh(*PAIR)
    w = sh.world
    w._trace_tokens = 0.0            # budget spent: nothing new gets traced
    w._trace_refill_at = w._trace_next = float("inf")
    sh("ip -n ns2 link set veth2 down")
    res = sh("ip netns exec ns1 ping -c 1 -W 1 10.0.0.2")
    assert "0 received" in res.output
    assert any(d[3] for d in w.recent_drops)


def test_cached_input_route_follows_sysctl_writes(sh):
    """The article's case: ARP from a local source is refused until accept_local=1."""
    sh("ip link set lo up", "ip link add veth0 type veth peer name veth1",
       "ip addr add 192.168.2.11/24 dev veth0", "ip addr add 192.168.2.12/24 dev veth1",
       "ip link set veth0 up", "ip link set veth1 up")
    sh("echo 1 > /proc/sys/net/ipv4/conf/all/rp_filter")   # as Ubuntu has it
    res = sh("ping -c 1 -W 1 -I veth0 192.168.2.12")
    assert "0 received" in res.output
    sh("echo 1 > /proc/sys/net/ipv4/conf/veth1/accept_local",
       "echo 1 > /proc/sys/net/ipv4/conf/veth0/accept_local",
       "echo 0 > /proc/sys/net/ipv4/conf/all/rp_filter",
       "echo 0 > /proc/sys/net/ipv4/conf/veth0/rp_filter",
       "echo 0 > /proc/sys/net/ipv4/conf/veth1/rp_filter")
    res = sh("ping -c 1 -W 1 -I veth0 192.168.2.12")
    assert "1 received" in res.output


def test_flood_past_the_sequence_wrap_loses_nothing(sh):
    sh(*PAIR)
    res = sh("ip netns exec ns1 ping -f -q -c 65600 10.0.0.2")
    m = re.search(r"(\d+) packets transmitted, (\d+) received(.*)", res.output)
    assert m and m.group(1) == m.group(2) == "65600"
    assert "duplicates" not in m.group(3)
