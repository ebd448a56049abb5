"""The sysctl table: every net.* name and default of Linux 6.18 (the goldens sysctl_01..03
replay the recorded `sysctl -a`; these pin what they cannot: the generated table is the
recording's, the init namespace's extras, inheritance and validation paths)."""
from __future__ import annotations

import importlib.util
from pathlib import Path

from vethtui.kernel import sysctl

GEN = Path(__file__).parent / "oracle" / "gen_sysctl_defaults.py"


def test_generated_table_is_the_recordings():
    spec = importlib.util.spec_from_file_location("gen_sysctl_defaults", GEN)
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    assert gen.render() == gen.OUT.read_text()


def test_fresh_namespace_lists_every_recorded_name(sh):
    out = sh("sysctl -a").output.splitlines()
    assert len(out) == 569
    assert "net.ipv4.igmp_link_local_mcast_reports = 1" in out
    assert "net.ipv6.conf.lo.use_tempaddr = -1" in out
    assert not any(".base_reachable_time =" in ln or ".retrans_time =" in ln for ln in out)
    names = sh("sysctl -aN").output.splitlines()
    assert len(names) == 572 and "net.ipv6.conf.all.stable_secret" in names
    dep = sh("sysctl -a --deprecated").output
    assert "net.ipv4.neigh.lo.retrans_time = 100" in dep


def test_init_namespace_keeps_its_own_keys(host):
    out = host("sysctl net.core.devconf_inherit_init_net net.ipv4.neigh.default.gc_thresh1").output
    assert out == "net.core.devconf_inherit_init_net = 0\nnet.ipv4.neigh.default.gc_thresh1 = 128\n"


def test_generic_keys_are_per_namespace_and_validated(sh):
    res = sh("ip netns add a", "sysctl -w net.ipv4.tcp_rmem='1 2'", "sysctl net.ipv4.tcp_rmem",
             "ip netns exec a sysctl net.ipv4.tcp_rmem", "sysctl -w net.ipv4.tcp_congestion_control=reno",
             "sysctl -w net.ipv4.tcp_congestion_control=vegas", "sysctl -w net.ipv4.tcp_syn_retries=0")
    assert res[2].output == "net.ipv4.tcp_rmem = 1\t2\t33554432\n"
    assert res[3].output == "net.ipv4.tcp_rmem = 4096\t131072\t33554432\n"
    assert res[4].status == 0
    assert res[5].status == 1 and "No such file or directory" in res[5].output
    assert res[6].status == 1 and "Invalid argument" in res[6].output


def test_ipv6_mtu_follows_the_device_and_its_bounds(sh):
    res = sh("ip link add veth0 type veth peer name veth1", "ip link set veth0 mtu 9000",
             "sysctl -n net.ipv6.conf.veth0.mtu", "sysctl -w net.ipv6.conf.veth0.mtu=9001",
             "sysctl -w net.ipv6.conf.default.mtu=9001", "sysctl -w net.ipv6.conf.veth0.hop_limit=0")
    assert res[2].output == "9000\n"
    assert res[3].status == 1 and res[4].status == 0 and res[5].status == 1


def test_stable_secret(sh):
    res = sh("cat /proc/sys/net/ipv6/conf/lo/stable_secret",
             "sysctl -w net.ipv6.conf.lo.stable_secret=2001:db8::1",
             "sysctl -n net.ipv6.conf.lo.stable_secret", "sysctl net.ipv6.conf.all.stable_secret")
    assert res[0].status == 1 and res[0].output.endswith("Input/output error\n")
    assert res[2].output == "2001:0db8:0000:0000:0000:0000:0000:0001\n"
    assert res[3].status == 1 and res[3].output == ""


def test_ipv6_defaults_are_the_kernels():
    assert len(sysctl.IPV6_DEVCONF) == 60
    assert sysctl.ipv6_conf_all()["accept_dad"] == 0 and sysctl.IPV6_DEVCONF["accept_dad"] == 1
