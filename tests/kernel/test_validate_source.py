"""fib_validate_source: accept_local (OR of all and dev), rp_filter (max of all and dev)."""
from __future__ import annotations

import pytest

from vethtui.kernel import fib
from vethtui.kernel.inet import aton


@pytest.fixture
def pair(sh):
    sh("ip link set lo up", "ip link add veth0 type veth peer name veth1",
       "ip addr add 192.168.2.11/24 dev veth0", "ip addr add 192.168.2.12/24 dev veth1",
       "ip link set veth0 up", "ip link set veth1 up")
    return sh


def _validate(sh):
    return fib.fib_validate_source(sh.net, aton("192.168.2.11"), aton("192.168.2.12"), 0, 0,
                                   sh.net.dev_by_name("veth1"))


def test_local_source_refused_by_default(pair):
    v = _validate(pair)
    assert not v.ok and v.errno == "EINVAL" and v.path == "local_source"


@pytest.mark.parametrize("where", ["all", "veth1"])
def test_accept_local_on_all_or_device(pair, where):
    pair(f"sysctl -w net.ipv4.conf.{where}.accept_local=1")
    assert _validate(pair).ok


def test_accept_local_on_the_sending_side_does_not_help(pair):
    pair("sysctl -w net.ipv4.conf.veth0.accept_local=1")
    assert not _validate(pair).ok


@pytest.mark.parametrize("all_,dev,ok", [(0, 0, True), (1, 0, False), (0, 1, False),
                                         (2, 0, True), (0, 2, True), (2, 1, True), (1, 2, True)])
def test_rp_filter_uses_the_maximum(pair, all_, dev, ok):
    pair("sysctl -w net.ipv4.conf.veth1.accept_local=1",
         f"sysctl -w net.ipv4.conf.all.rp_filter={all_}",
         f"sysctl -w net.ipv4.conf.veth1.rp_filter={dev}")
    v = _validate(pair)
    assert v.ok is ok
    if not ok:
        assert v.errno == "EXDEV" and v.path == "strict"
