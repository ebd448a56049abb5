"""The engine between the simulation and asyncio: clock modes, errors, foreground."""
from __future__ import annotations

import asyncio

from vethtui.engine import ClockError, JobDone, make_engine


async def test_instant_speed_sprints_only_while_something_waits():
    engine = make_engine("default", speed="instant")
    await engine.start()
    try:
        await asyncio.sleep(0.3)
        idle_now = engine.world.sched.now
        assert idle_now < 5.0, "idle, the clock runs at real speed (not years ahead)"
        done = []
        engine.subscribe(lambda ev: done.append(ev) if isinstance(ev, JobDone) else None)
        engine.run_command("sleep 600")
        for _ in range(200):
            await asyncio.sleep(0.01)
            if done:
                break
        assert done and engine.world.sched.now >= idle_now + 600
    finally:
        await engine.stop()


async def test_an_instant_sprint_ends_with_the_command():
    """Once the command that made the clock sprint has ended, the kernel's own timers
    (router solicitations, conntrack timeouts) do not run hours ahead in what is left
    of the slice: `iptables -A` then `ping -c 3` cost the clock seconds, not hours."""
    engine = make_engine("default", speed="instant")
    await engine.start()
    try:
        await asyncio.sleep(0.2)
        done = []
        engine.subscribe(lambda ev: done.append(ev) if isinstance(ev, JobDone) else None)
        for line in ("iptables -A OUTPUT -p icmp -j ACCEPT", "ping -c 3 192.168.1.1"):
            start, n = engine.world.sched.now, len(done)
            engine.run_command(line)
            for _ in range(300):
                await asyncio.sleep(0.01)
                if len(done) > n:
                    break
            await asyncio.sleep(0.2)
            spent = engine.world.sched.now - start
            assert len(done) > n and spent < 5.0, (line, spent)
    finally:
        await engine.stop()


async def test_a_timer_that_raises_is_published_and_the_clock_goes_on():
    engine = make_engine("netns", speed="instant")
    errors, ran = [], []
    engine.subscribe(lambda ev: errors.append(ev) if isinstance(ev, ClockError) else None)

    def bad():
        raise RuntimeError("boom")
    engine.world.sched.call_later(0.5, bad)
    engine.world.sched.call_later(1.0, lambda: ran.append(True))
    engine.run_command("sleep 2")
    await engine.start()
    try:
        for _ in range(200):
            await asyncio.sleep(0.01)
            if ran and not engine._jobs:
                break
    finally:
        await engine.stop()
    assert errors == [ClockError("RuntimeError: boom")]
    assert ran == [True]


def test_a_command_that_ends_at_once_gives_ctrl_c_back():
    engine = make_engine("netns", speed="instant")
    engine.run_command("ip link set lo up")
    engine.settle(0.1)
    ping = engine.run_command("ping 127.0.0.1")
    engine.settle(1.5)
    assert engine.foreground is ping
    engine.run_command("hostname")
    engine.settle(0.01)
    assert engine.foreground is ping
    side = engine.run_command("sleep 5", foreground=False)
    assert engine.foreground is ping and not side.done
    assert engine.interrupt()
    engine.settle(0.1)
    assert ping.done and ping.status == 0


def test_a_capture_view_exports_what_it_holds(tmp_path):
    from vethtui.tools.tcpdump import api
    engine = make_engine("netns", speed="instant")
    for line in ("ip link add veth0 type veth peer name veth1",
                 "ip addr add 192.168.2.11/24 dev veth0", "ip link set veth0 up",
                 "ip link set veth1 up"):
        engine.run_command(line)
        engine.settle(0.01)
    net = engine.world.init_net
    cs = engine.open_capture(net, "veth1", net.dev_by_name("veth1").ifindex)
    engine.run_command("ping -c 1 -W 1 192.168.2.12")
    engine.settle(5)
    shown = [text for text, sid in cs.drain() if sid is not None]
    path = tmp_path / "view.pcap"
    assert cs.export(str(path)) == len(shown) > 0
    fmt = api.formatter("veth1", engine.world.epoch, "-n")
    again = [fmt.line(p) for p in api.open_pcap(str(path)).packets]
    assert again == shown
    cs.clear()
    assert cs.export(str(path)) == 0


def test_events_name_a_namespace_by_its_cookie_not_its_name():
    """`ip netns add host` shares the display name of the lab's own namespace; a route
    added there must not look like the host's to a pane, and a namespace deleted and
    made again under the same name is a new one."""
    from vethtui import netview
    from vethtui.netview import RouteEvent
    engine = make_engine("netns")
    seen = []
    engine.subscribe(seen.append)
    for line in ("ip netns add host", "ip -n host link set lo up"):
        engine.run_until_done(engine.run_command(line))
    host = engine.world.init_net
    other = engine.world.netns["host"]
    assert netview.name_of(other) == netview.name_of(host) == "host"
    routes = [ev for ev in seen if isinstance(ev, RouteEvent)]
    assert routes and all(netview.concerns(ev, other) for ev in routes)
    assert not any(netview.concerns(ev, host) for ev in routes)
    old = netview.cookie_of(other)
    for line in ("ip netns del host", "ip netns add host"):
        engine.run_until_done(engine.run_command(line))
    assert netview.cookie_of(engine.world.netns["host"]) not in (old, netview.cookie_of(host))
