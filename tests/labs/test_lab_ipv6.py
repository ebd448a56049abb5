"""Lab 10 (IPv6 on a veth pair) as a learner meets it: checks that wait for what the
lesson says (a valid address, not a tentative one; the probe of the far side's neighbour
entry), and the other spellings of the same command (ping6, -I veth0) accepted."""
from __future__ import annotations

import pytest

from vethtui.labs.files import load_lab_file
from vethtui.labs.runtime import LabRuntime

from .conftest import LABS


@pytest.fixture
def lab10():
    return LabRuntime(load_lab_file(LABS / "10-ipv6-veth.toml"), None, store=None, resume=False)


def test_a_tentative_address_is_not_yet_the_answer(lab10):
    rt = lab10
    assert [c.ok for c in rt.progress().checks] == [False, False, False]
    run = rt.run("ip link set veth0 up && ip -6 addr show dev veth0")
    assert "fe80::5054:ff:fe00:1/64 scope link tentative" in run.output
    assert [c.ok for c in rt.progress().checks] == [True, True, False]   # link, DAD probe
    rt.run("sleep 2")
    assert rt.current == 0
    rt.run("ip -6 addr show dev veth0")
    assert rt.current == 1 and rt.done[0]


def test_the_device_sysctl_turns_the_far_end_on_too(lab10):
    rt = lab10
    for line in ("ip link set veth0 up", "sleep 3", "ip -6 addr show dev veth0"):
        rt.run(line)
    assert rt.current == 1
    rt.run("ip netns exec ns1 sysctl -w net.ipv6.conf.veth1.disable_ipv6=0")
    rt.run("sleep 3")
    rt.run("ip -n ns1 -6 addr show dev veth1")
    assert rt.current == 2


def _through_step(rt, n):
    spec = rt.spec
    for step in spec.steps[:n]:
        for line in step.solution:
            rt.run(line)
    assert rt.current == n


def test_ping6_and_the_far_sides_probe(lab10):
    rt = lab10
    _through_step(rt, 4)
    rt.run("ping6 -c 1 2001:db8::2")
    rt.run("ip -6 neigh")
    checks = rt.progress().checks
    # everything but the probe ns1 sends five seconds after it last used its entry
    assert [c.ok for c in checks] == [True] * 6 + [False]
    rt.run("sleep 5")
    assert rt.current == 5 and rt.done[4]


def test_a_link_local_ping_names_its_link_either_way(lab10):
    rt = lab10
    _through_step(rt, 5)
    out = rt.run("ping -c 1 -I veth0 fe80::5054:ff:fe00:2").output
    assert "64 bytes from fe80::5054:ff:fe00:2%veth0: icmp_seq=1 ttl=64" in out
    assert rt.done[5]
