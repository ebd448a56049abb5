"""Benchmarks of the simulated stack: flood ping, many veth pairs, many routes.

Each function builds its own world, times the part that matters with
`time.perf_counter`, and returns a dict of figures. Commands go through the
shell and the tools exactly as typed in the console, so parsing and output
formatting are part of every figure.
"""
from __future__ import annotations

import re
import time

from vethtui.kernel import fib
from vethtui.kernel.inet import aton
from vethtui.labs.builtin import build
from vethtui.runner import run_lines

FLOOD_SETUP = """ip netns add ns1
ip netns add ns2
ip link add veth1 netns ns1 type veth peer name veth2 netns ns2
ip -n ns1 addr add 10.0.0.1/24 dev veth1
ip -n ns2 addr add 10.0.0.2/24 dev veth2
ip -n ns1 link set veth1 up
ip -n ns2 link set veth2 up
ip -n ns1 link set lo up
ip -n ns2 link set lo up""".splitlines()


def _run(world, lines):
    res = run_lines(world, lines, settle=0, capture=False)
    bad = [c for c in res.commands if c.status != 0]
    if bad:
        raise RuntimeError(f"benchmark setup failed: {bad[0].cmd}: {bad[0].output.strip()}")
    return res


# the netfilter section: ns2 tracks connections and accepts by state (conntrack at -200,
# the filter INPUT chain at 0, the confirm at LOCAL_IN), ns1 counts in its OUTPUT chain
NETFILTER_SETUP = ["ip netns exec ns2 iptables -A INPUT -m conntrack --ctstate NEW,ESTABLISHED "
                   "-j ACCEPT", "ip netns exec ns1 iptables -A OUTPUT -p icmp -j ACCEPT"]


def flood(count: int = 100_000, extra: tuple = ()) -> dict:
    """`ping -f -c COUNT` from ns1 to ns2 over a veth pair, the clock in instant mode."""
    world = build("netns", 0)
    _run(world, FLOOD_SETUP + list(extra))
    cmd = f"ip netns exec ns1 ping -f -c {count} 10.0.0.2"
    t0 = time.perf_counter()
    res = run_lines(world, [cmd], settle=0, capture=False)
    wall = time.perf_counter() - t0
    out = res.commands[0].output
    m = re.search(r"(\d+) packets transmitted, (\d+) received", out)
    received = int(m.group(2)) if m else 0
    return {
        "count": count,
        "received": received,
        "wall_s": round(wall, 3),
        "us_per_round_trip": round(wall / count * 1e6, 2),
        "virtual_s": round(world.sched.now, 3),
        "packets_traced": len(world.packets),
        "packets_sampled_out": world.untraced,
        "statistics": out.strip().splitlines()[-2:] if out else [],
    }


def veth_pairs(n: int = 1000) -> dict:
    """Create N pairs, list the 2N links with `ip link show`, delete the pairs."""
    world = build("netns", 0)
    session_lines = [f"ip link add va{i} type veth peer name vb{i}" for i in range(n)]
    t0 = time.perf_counter()
    _run(world, session_lines)
    create = time.perf_counter() - t0
    t0 = time.perf_counter()
    res = _run(world, ["ip link show"])
    listing = time.perf_counter() - t0
    lines = res.commands[0].output.count("\n")
    t0 = time.perf_counter()
    _run(world, [f"ip link del va{i}" for i in range(n)])
    delete = time.perf_counter() - t0
    return {
        "pairs": n,
        "create_s": round(create, 3),
        "list_ms": round(listing * 1e3, 1),
        "listed_lines": lines,
        "delete_s": round(delete, 3),
    }


def route_lookup(n: int = 10_000, lookups: int = 20_000) -> dict:
    """Longest-prefix lookups in a main table holding N routes."""
    world = build("netns", 0)
    _run(world, ["ip link add r0 type veth peer name r1", "ip addr add 192.168.0.1/16 dev r0",
                 "ip link set r1 up", "ip link set r0 up"])
    net = world.init_net
    t0 = time.perf_counter()
    _run(world, [f"ip route add 10.{i >> 8 & 255}.{i & 255}.0/24 via 192.168.0.{2 + i % 200}"
                 for i in range(n)])
    add = time.perf_counter() - t0
    # distinct destinations, so no route cache helps
    picks = [(i * 7919) % n for i in range(lookups)]
    dests = [aton(f"10.{k >> 8 & 255}.{k & 255}.{1 + k % 250}") for k in picks]
    t0 = time.perf_counter()
    for d in dests:
        fib.fib_lookup(net, fib.Flow(d, 0, 0, 1, 0))
    per_lookup = (time.perf_counter() - t0) / lookups
    t0 = time.perf_counter()
    res = _run(world, [f"ip route get 10.{i >> 8 & 255}.{i & 255}.9" for i in range(0, n, n // 100)])
    get = (time.perf_counter() - t0) / len(res.commands)
    return {
        "routes": n,
        "add_all_s": round(add, 3),
        "fib_lookup_us": round(per_lookup * 1e6, 2),
        "ip_route_get_ms": round(get * 1e3, 3),
    }
