"""The lab runtime: checks evaluated live, steps ticked off, hints, resets, saved progress."""
from __future__ import annotations

import io
import json

import pytest

from vethtui.engine import make_engine
from vethtui.labs.cli import main as lab_main
from vethtui.labs.files import load_lab_file
from vethtui.labs.runtime import LabRuntime, LabWorldReplaced, ProgressStore, run_lab_test

from .conftest import LABS

ALL = sorted(p.name for p in LABS.glob("*.toml"))


@pytest.mark.parametrize("name", ALL)
def test_every_shipped_lab_passes_its_own_test(name):
    out = io.StringIO()
    status = lab_main(["test", str(LABS / name)], out=out)
    assert status == 0, out.getvalue()
    assert "warning" not in out.getvalue()
    assert out.getvalue().rstrip().endswith("steps pass")


def test_lab_test_report_names_the_failing_check(tmp_path):
    text = (LABS / "01-veth-one-address.toml").read_text().replace(
        '"ip link set veth1 up",\n', '')
    bad = tmp_path / "no-veth1-up.toml"
    bad.write_text(text)
    out = io.StringIO()
    assert lab_main(["test", str(bad)], out=out) == 1
    lines = out.getvalue().splitlines()
    assert "  ✗ 2. Address veth0, bring both ends up" in lines
    assert "      ✗ veth0 shows UP, LOWER_UP: veth0 shows <NO-CARRIER,BROADCAST,MULTICAST,UP,M-DOWN>, " \
           "without LOWER_UP" in lines
    assert "      ✗ veth1 is up: veth1 is down" in lines
    assert "  ✗ 4. Ping the other end" in lines   # no carrier: the ARP never reaches veth1
    assert lines[-1] == "  FAILED: 2 of 4 steps pass"


def test_lab_test_in_chinese():
    reports = run_lab_test(load_lab_file(LABS / "02-arp-accept-local.toml"), lang="zh")
    assert [r.title for r in reports][2] == "强制从 veth0 发出"
    assert all(r.passed for r in reports)


@pytest.fixture
def lab2():
    return load_lab_file(LABS / "02-arp-accept-local.toml")


def headless(spec, **kw):
    kw.setdefault("store", None)
    kw.setdefault("resume", False)
    return LabRuntime(spec, None, **kw)


def test_checks_say_in_plain_words_what_still_fails(lab2):
    rt = headless(lab2)
    p = rt.progress()
    assert (p.step, p.passed) == (0, False)
    assert [(c.ok, c.text, c.why) for c in p.checks] == [
        (False, "192.168.2.12/24 is on veth1", "veth1 does not have 192.168.2.12/24 (it has: "
                                               "nothing)"),
        (False, "table main has a route to 192.168.2.0/24 (dev veth1)",
         "no route to 192.168.2.0/24 (dev veth1) in table main"),
        (True, "table main has a route to 192.168.2.0/24 (dev veth0)", ""),
    ]
    rt.set_lang("zh")
    assert rt.progress().checks[0].why == "veth1 上没有 192.168.2.12/24（现有：无）"


def test_steps_tick_off_and_advance_after_commands_and_packets(lab2):
    rt = headless(lab2)
    seen = []
    rt.on_change(lambda p: seen.append((p.step, [s.done for s in p.steps][:3])))
    rt.run("ip addr add 192.168.2.12/24 dev veth1")
    assert rt.current == 1 and rt.done[0]
    rt.run("ping -c 1 -I veth0 192.168.2.12")   # not what step 2 asks
    checks = rt.progress().checks
    assert [c.ok for c in checks] == [False, False, True]
    rt.run("ping -c 1 192.168.2.12")
    assert rt.current == 2 and rt.done[1]
    assert seen[:2] == [(0, [True, False, False]), (1, [True, False, False])]


def test_sysctl_checks_explain_max_of_all_and_device(lab2):
    rt = headless(lab2, auto_advance=False)
    rt.goto(3)
    rt.run("echo 0 > /proc/sys/net/ipv4/conf/veth1/rp_filter")
    c = rt.progress().checks[1]
    assert c.text == "the rp_filter in effect for veth1 is 0 or 2"
    assert c.why == "1 is in effect (all = 1, veth1 = 0: the larger counts)"
    rt.run("sysctl -w net.ipv4.conf.all.rp_filter=2")
    assert rt.progress().checks[1].ok
    assert not rt.done[3]
    rt.run("sysctl -w net.ipv4.conf.all.accept_local=1")   # an OR: `all` is enough
    assert rt.done[3]


def test_not_packet_check_shows_the_offending_packet(lab2):
    rt = headless(lab2, auto_advance=False)
    rt.run("ip addr add 192.168.2.12/24 dev veth1")
    rt.goto(2)
    rt.run("echo 1 > /proc/sys/net/ipv4/conf/all/accept_local")
    rt.run("echo 0 > /proc/sys/net/ipv4/conf/all/rp_filter")
    rt.run("echo 0 > /proc/sys/net/ipv4/conf/veth0/rp_filter")
    rt.run("echo 0 > /proc/sys/net/ipv4/conf/veth1/rp_filter")
    rt.run("ping -c 1 -I veth0 192.168.2.12")
    checks = rt.progress().checks
    assert checks[0].why == "`ping -c 1 -I veth0 192.168.2.12` exited with 0"
    assert checks[2].text == "No packet captured matching “ARP, Reply”"
    assert checks[2].why.startswith("one was: veth0 In ARP, Reply 192.168.2.12 is-at ")
    assert not rt.done[2]


def test_hints_are_revealed_one_at_a_time(lab2):
    rt = headless(lab2, auto_advance=False)
    rt.goto(3)
    assert rt.progress().hints == ()
    assert rt.reveal_hint().startswith("Write the files under /proc/sys/net/ipv4/conf/")
    assert rt.reveal_hint().startswith("rp_filter in effect is the larger")
    assert rt.reveal_hint() is None
    p = rt.progress()
    assert (len(p.hints), p.hints_total) == (2, 2)


def test_progress_is_saved_and_resumed_with_earlier_solutions_replayed(lab2, data_dir):
    store = ProgressStore()
    rt = headless(lab2, store=store)
    rt.run("ip addr add 192.168.2.12/24 dev veth1")
    rt.run("ping -c 1 192.168.2.12")
    rt.reveal_hint()
    saved = json.loads((data_dir / "progress" / "02-arp-accept-local.json").read_text())
    assert (saved["step"], saved["done"], saved["hints"]) == (2, [0, 1], [0, 0, 1, 0, 0])
    again = LabRuntime(lab2, None, store=store)
    assert again.current == 2 and again.done[:3] == [True, True, False]
    assert again.hints_shown[2] == 1
    veth1 = again.world.init_net.dev_by_name("veth1")   # step 1's solution was replayed
    assert [i.prefixlen for i in veth1.in_dev.ifa_list] == [24]


def test_reset_step_and_reset_lab(lab2):
    rt = headless(lab2, auto_advance=False)
    for line in lab2.steps[0].solution:
        rt.run(line)
    rt.goto(3)
    rt.run("echo 1 > /proc/sys/net/ipv4/conf/veth1/accept_local")
    rt.run("ip link del veth0")
    old = rt.world
    rt.reset_step()
    assert rt.world is not old and rt.current == 3
    net = rt.world.init_net
    assert net.dev_by_name("veth0") is not None
    assert net.dev_by_name("veth1").in_dev.ifa_list     # steps 1-3 replayed
    assert not rt.progress().checks[0].ok                # accept_local back to 0
    rt.reset_lab()
    assert (rt.current, rt.done) == (0, [False] * 5)
    assert not rt.world.init_net.dev_by_name("veth1").in_dev.ifa_list


def test_runtime_over_an_engine(lab2):
    path = str(LABS / "02-arp-accept-local.toml")
    engine = make_engine(path, seed=0, speed="instant")
    rt = LabRuntime(lab2, engine, store=None)
    events = []
    engine.subscribe(events.append)

    def run(line):
        job = engine.run_command(line)
        engine.run_until_done(job)
        return job

    run("ip addr add 192.168.2.12/24 dev veth1")
    assert rt.current == 1
    run("ping -c 1 192.168.2.12")
    assert rt.current == 2
    run("ping -c 1 -I veth0 192.168.2.12")
    engine.settle(5)
    assert rt.done[2] and rt.current == 3
    rt.reset_step()                  # a new world swapped into the engine
    assert engine.world is rt.world and engine.session.world is rt.world
    assert any(isinstance(e, LabWorldReplaced) for e in events)
    run("ip netns exec nowhere true")   # commands still reach the runtime after a reset
    assert rt._commands[-1].simple == [("nowhere", ["true"])]


def test_namespaced_commands_and_packets(tmp_path):
    spec = load_lab_file(LABS / "03-veth-namespaces.toml")
    rt = headless(spec)
    for step in spec.steps[:3]:
        for line in step.solution:
            rt.run(line)
    assert rt.current == 3
    rt.run("ping -c 1 10.1.1.3")   # in the wrong namespace
    assert rt.progress().checks[0].why == "not run yet"
    rt.run("ip netns exec ns1 ping -c 1 10.1.1.3")
    assert rt.progress().complete
