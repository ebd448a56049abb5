"""Simulation mode's event list (vethtui.stepper), the paused engine, `vethtui run --steps`."""
from __future__ import annotations

import io
from pathlib import Path

from vethtui.engine import ClockPaused, CommandQueued, Engine, JobStarted
from vethtui.labs.loader import world_for_lab
from vethtui.runner import main as run_main
from vethtui.runner import run_lines, step_rows
from vethtui.stepper import Follower, Stepper, packet_path

PAIR = ["ip link add veth0 type veth peer name veth1",
        "ip addr add 192.168.2.11/24 dev veth0",
        "ip link set veth0 up", "ip link set veth1 up",
        "ip addr add 192.168.2.12/24 dev veth1"]
PING = "ping -c 1 -I veth0 192.168.2.12"


def test_the_article_step_two_row_by_row():
    """ping -I veth0 to veth1's address: the ARP request leaves veth0, arrives at veth1,
    arp_process refuses it (three times), the echo request dies, the error goes via lo."""
    world = world_for_lab("default", 0)
    rows = step_rows(world, PAIR + [PING])
    ping = rows.index("   0.010000                 $ ping -c 1 -I veth0 192.168.2.12")
    assert rows[ping + 1:ping + 6] == [
        "   0.010000  host           ping sends ICMP echo request 192.168.2.11 > 192.168.2.12, "
        "id 4783, seq 1",
        "   0.010000  veth0          ICMP echo request 192.168.2.11 > 192.168.2.12, id 4783, "
        "seq 1 waits for ARP (neighbour INCOMPLETE)",
        "   0.010000  veth0          xmit ARP request who-has 192.168.2.12 tell 192.168.2.11",
        "   0.010014  veth1          rcv ARP request who-has 192.168.2.12 tell 192.168.2.11 "
        "(broadcast)",
        "   0.010014  veth1          arp_process: source 192.168.2.11 is a local address and "
        "accept_local=0 (all=0 or veth1=0) on veth1: not answered",
    ]
    assert sum("xmit ARP request" in r for r in rows) == 3
    assert any("DROP ICMP echo request" in r and "NEIGH_FAILED (neigh_invalidate)" in r
               for r in rows)
    assert rows[-1].endswith("raw_err: not matched: the socket is bound to veth0 "
                             "(SO_BINDTODEVICE, ping -I) and the packet counts as arriving on "
                             "lo (inet_iif)")
    # the kernel's own timer traffic (IPv6 DAD, MLD, router solicitations) is set aside
    assert not any("IPv6" in r for r in rows)
    times = [float(r.split()[0]) for r in rows]
    assert times == sorted(times)


def test_run_steps_prints_the_rows(tmp_path: Path):
    script = tmp_path / "s.sh"
    script.write_text("\n".join(PAIR + [PING]) + "\n")
    out = io.StringIO()
    assert run_main(script, "default", False, 0, out=out, steps=True) == 0
    assert out.getvalue().splitlines() == step_rows(world_for_lab("default", 0), PAIR + [PING])


def test_a_copy_across_the_lan_is_not_told_twice():
    world = world_for_lab("default", 0)
    rows = step_rows(world, ["ping -c 1 192.168.1.1"])
    cells = [r.split(None, 2)[1:] for r in rows]
    assert sum(c == ["eth0", "xmit ICMP echo request 192.168.1.11 > 192.168.1.1, id 4774, "
                             "seq 1"] for c in cells) == 1
    assert sum(c[0] == "gateway:eth0" and c[1].startswith("rcv ICMP echo request")
               for c in cells) == 1
    assert any(c[0] == "gateway:eth0" and c[1].startswith("xmit ICMP echo reply")
               for c in cells)
    assert any(c[1].startswith("delivered to ping's raw socket") for c in cells)
    # the ARP reply frees the echo request waiting for it: told in that order
    whats = [c[1] for c in cells]
    assert whats.index("arp_process learns 192.168.1.1's MAC (REACHABLE)") \
        < whats.index("neigh_update: dequeued")


def test_filters():
    world = world_for_lab("default", 0)
    follower = Follower(world)
    run_lines(world, PAIR + [PING], settle=0, capture=False)
    events = follower.collect()
    commands = [e for e in events if e.kind == "command"]
    assert len(commands) == 6 and all(e.matches("ARP") for e in commands)  # commands stay
    events = [e for e in events if e.kind != "command"]
    arp = [e for e in events if e.matches("ARP")]
    icmp = [e for e in events if e.matches("ICMP")]
    timers = [e for e in events if e.matches("timers")]
    assert arp and all(e.proto == "ARP" for e in arp)
    assert icmp and all(e.proto == "ICMP" for e in icmp)
    assert timers and all(e.background for e in timers)
    assert {e.proto for e in timers} <= {"IPv6", "IGMP"}


def test_packet_path_ends_where_it_died():
    world = world_for_lab("default", 0)
    run_lines(world, PAIR + [PING], settle=4, capture=False)
    arp = next(r.id for r in world.packets.values()
               if r.trace and r.trace[0].hook == "arp_send")
    path = packet_path(world, arp)
    assert [(e.where, e.kind) for e in path] == [("veth0", "xmit"), ("veth1", "rcv"),
                                                 ("veth1", "refuse")]
    echo = next(r.id for r in world.packets.values()
                if r.trace and r.trace[0].hook == "raw_sendmsg")
    last = packet_path(world, echo)[-1]
    assert (last.kind, last.reason, last.dev) == ("drop", "NEIGH_FAILED", "veth0")
    assert packet_path(world, 10**9) == []


# ---------------------------------------------------------------- the paused engine

def paused_engine() -> tuple[Engine, list]:
    world = world_for_lab("default", 0)
    run_lines(world, PAIR, settle=0, capture=False)
    engine = Engine(world)
    seen: list = []
    engine.subscribe(seen.append)
    engine.pause()
    return engine, seen


def test_a_command_typed_while_paused_waits_until_stepping_reaches_it():
    engine, seen = paused_engine()
    assert isinstance(seen[-1], ClockPaused) and seen[-1].paused
    assert engine.run_command(PING) is None
    assert any(isinstance(e, CommandQueued) and e.line == PING for e in seen)
    assert not any(isinstance(e, JobStarted) for e in seen)
    now = engine.world.sched.now
    stepper = Stepper(engine.world)
    first = stepper.forward(engine.step_kernel)
    assert first.kind == "command" and first.what == f"$ {PING}"
    assert any(isinstance(e, JobStarted) for e in seen)
    whats = [stepper.forward(engine.step_kernel) for _ in range(5)]
    assert [(e.where, e.kind) for e in whats] == [
        ("host", "send"), ("veth0", "proto"), ("veth0", "xmit"), ("veth1", "rcv"),
        ("veth1", "refuse")]
    assert whats[-1].what.startswith("arp_process: source 192.168.2.11 is a local address")
    assert engine.world.sched.now - now < 0.001      # the clock moved only as far as needed


def test_back_rewinds_the_view_not_the_kernel():
    engine, _seen = paused_engine()
    engine.run_command(PING)
    stepper = Stepper(engine.world)
    shown = [stepper.forward(engine.step_kernel) for _ in range(6)]
    now = engine.world.sched.now
    assert stepper.back() == shown[4]
    assert stepper.back() == shown[3]
    assert engine.world.sched.now == now
    assert stepper.forward(engine.step_kernel) == shown[4]
    assert stepper.forward(engine.step_kernel) == shown[5]
    assert engine.world.sched.now == now
    assert len(stepper.visible()) == 6


def test_filter_arp_steps_over_the_rest():
    engine, _seen = paused_engine()
    engine.run_command(PING)
    stepper = Stepper(engine.world, "ARP")
    rows = [stepper.forward(engine.step_kernel) for _ in range(5)]
    assert rows.pop(0).what == f"$ {PING}"            # commands show whatever the filter
    assert [(e.where, e.proto) for e in rows] == [("veth0", "ARP"), ("veth1", "ARP"),
                                                  ("veth1", "ARP"), ("veth0", "ARP")]
    assert rows[3].time > 0.9                        # the retry, a second later
    assert stepper.cycle_filter() == "ICMP"
    assert stepper.current is None or stepper.current.matches("ICMP")


def test_resume_starts_what_was_queued_and_nothing_happens_means_none():
    engine, seen = paused_engine()
    engine.run_command("ip link set veth1 down")
    engine.resume()
    assert not engine.paused
    assert any(isinstance(e, JobStarted) for e in seen)
    engine.settle(0.01)
    assert not engine.world.init_net.dev_by_name("veth1").is_up
    world = world_for_lab("netns", 0)
    idle = Engine(world)
    idle.pause()
    assert Stepper(world).forward(idle.step_kernel) is None
