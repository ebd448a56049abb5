"""Policy routing (kernel/fib_rules.py): the rule walk behind every route lookup."""
from __future__ import annotations

import pytest

from vethtui.kernel import fib, fib_rules, route
from vethtui.kernel.inet import aton, ntoa

SETUP = ("ip link set lo up", "ip link add veth0 type veth peer name veth1",
         "ip addr add 192.168.2.11/24 dev veth0", "ip addr add 10.9.0.1/24 dev veth1",
         "ip link set veth0 up", "ip link set veth1 up",
         "ip route add default via 192.168.2.1 table 100",
         "ip route add 10.0.0.0/8 via 10.9.0.254 table 100")


def test_untouched_namespace_keeps_the_fast_path(sh):
    sh(*SETUP)
    assert sh.net.__dict__.get("fib_rules") is None
    assert [r.pref for r in fib_rules.rules_of(sh.net)] == [0, 32766, 32767]
    assert fib_rules.default_pref(sh.net) == 32765
    sh("ip rule add table 100", "ip rule add table 100 from 1.2.3.4")
    assert [r.pref for r in sh.net.fib_rules] == [0, 32764, 32765, 32766, 32767]


def test_input_lookup_matches_iif(sh):
    sh(*SETUP, "ip rule add iif veth1 table 100")
    veth0, veth1 = sh.net.dev_by_name("veth0"), sh.net.dev_by_name("veth1")
    res = fib.fib_lookup(sh.net, fib.Flow(aton("8.8.8.8"), aton("10.9.0.7"), iif=veth1.ifindex))
    assert res.table == 100 and ntoa(res.nh.gw) == "192.168.2.1"
    with pytest.raises(fib.FibError):      # from veth0: main has no default route
        fib.fib_lookup(sh.net, fib.Flow(aton("8.8.8.8"), aton("10.9.0.7"), iif=veth0.ifindex))


def test_output_lookup_is_iif_lo(sh):
    sh(*SETUP, "ip rule add iif lo table 100")
    rt = route.ip_route_output(sh.net, aton("8.8.8.8"))
    assert rt.res.table == 100 and ntoa(rt.gw) == "192.168.2.1"


def test_suppress_prefixlength_skips_the_default_route(sh):
    sh(*SETUP, "ip rule add table 100 suppress_prefixlength 0 pref 10")
    with pytest.raises(route.RouteError):
        route.ip_route_output(sh.net, aton("8.8.8.8"))
    assert route.ip_route_output(sh.net, aton("10.1.2.3")).res.table == 100


def test_goto_and_nop(sh):
    sh(*SETUP, "ip rule add pref 10 goto 30", "ip rule add pref 20 prohibit",
       "ip rule add pref 30 nop", "ip rule add pref 40 table 100")
    assert route.ip_route_output(sh.net, aton("8.8.8.8")).res.table == 100
    sh("ip rule del pref 10")
    with pytest.raises(route.RouteError) as err:
        route.ip_route_output(sh.net, aton("8.8.8.8"))
    assert err.value.errno == "EACCES"


def test_rule_changes_flush_the_route_cache(sh):
    sh(*SETUP)
    with pytest.raises(route.RouteError):
        route.ip_route_output(sh.net, aton("8.8.8.8"))
    sh("ip rule add to 8.8.8.0/24 table 100")
    assert route.ip_route_output(sh.net, aton("8.8.8.8")).res.table == 100
    sh("ip rule del to 8.8.8.0/24")
    with pytest.raises(route.RouteError):
        route.ip_route_output(sh.net, aton("8.8.8.8"))
