"""Route lookup as fib_table_lookup and the default rules do it."""
from __future__ import annotations

from vethtui.kernel import fib, route
from vethtui.kernel.inet import aton, ntoa


def test_local_table_wins_over_main(sh):
    sh("ip link set lo up", "ip link add veth0 type veth peer name veth1",
       "ip addr add 192.168.2.11/24 dev veth0", "ip link set veth0 up", "ip link set veth1 up")
    res = fib.fib_lookup(sh.net, fib.Flow(aton("192.168.2.11")))
    assert res.type == fib.RTN_LOCAL and res.table == fib.RT_TABLE_LOCAL
    res = fib.fib_lookup(sh.net, fib.Flow(aton("192.168.2.12")))
    assert res.type == fib.RTN_UNICAST and res.table == fib.RT_TABLE_MAIN
    assert (ntoa(res.prefix), res.prefixlen) == ("192.168.2.0", 24)


def test_longest_prefix_then_metric(sh):
    sh("ip link set lo up", "ip link add veth0 type veth peer name veth1",
       "ip addr add 192.168.2.11/24 dev veth0", "ip link set veth0 up", "ip link set veth1 up",
       "ip route add 10.0.0.0/8 via 192.168.2.1",
       "ip route add 10.1.0.0/16 via 192.168.2.2",
       "ip route add 10.1.0.0/16 via 192.168.2.3 metric 5")
    res = fib.fib_lookup(sh.net, fib.Flow(aton("10.1.2.3")))
    assert res.prefixlen == 16 and ntoa(res.nh.gw) == "192.168.2.2"   # metric 0 first
    res = fib.fib_lookup(sh.net, fib.Flow(aton("10.9.9.9")))
    assert res.prefixlen == 8 and ntoa(res.nh.gw) == "192.168.2.1"


def test_output_device_skips_other_devices_routes(sh):
    """ping -I veth0 to veth1's address: the local route via veth1 is skipped."""
    sh("ip link set lo up", "ip link add veth0 type veth peer name veth1",
       "ip addr add 192.168.2.11/24 dev veth0", "ip addr add 192.168.2.12/24 dev veth1",
       "ip link set veth0 up", "ip link set veth1 up")
    veth0 = sh.net.dev_by_name("veth0")
    rt = route.ip_route_output(sh.net, aton("192.168.2.12"), 0, veth0.ifindex)
    assert rt.type == fib.RTN_UNICAST and rt.dev is veth0 and ntoa(rt.src) == "192.168.2.11"
    rt = route.ip_route_output(sh.net, aton("192.168.2.12"))
    assert rt.type == fib.RTN_LOCAL and rt.dev.name == "lo"
    assert sh.net.dev_by_index(rt.iif).name == "veth1"   # rt_iif: the local route's device


def test_no_route_with_fixed_device_assumes_on_link(sh):
    sh("ip link set lo up", "ip link add veth0 type veth peer name veth1",
       "ip addr add 192.168.2.11/24 dev veth0", "ip link set veth0 up")
    veth0 = sh.net.dev_by_name("veth0")
    rt = route.ip_route_output(sh.net, aton("203.0.113.5"), 0, veth0.ifindex)
    assert rt.dev is veth0 and rt.gw == 0
    try:
        route.ip_route_output(sh.net, aton("203.0.113.5"))
    except route.RouteError as err:
        assert err.errno == "ENETUNREACH"
    else:
        raise AssertionError("expected ENETUNREACH")


def test_linkdown_routes_still_match_unless_ignored(sh):
    sh("ip link set lo up", "ip link add veth0 type veth peer name veth1",
       "ip addr add 192.168.2.11/24 dev veth0", "ip link set veth0 up")
    res = fib.fib_lookup(sh.net, fib.Flow(aton("192.168.2.12")))
    assert res.nh.flags & fib.RTNH_F_LINKDOWN
    sh("sysctl -w net.ipv4.conf.veth0.ignore_routes_with_linkdown=1")
    try:
        fib.fib_lookup(sh.net, fib.Flow(aton("192.168.2.12")))
    except fib.FibError as err:
        assert err.errno == "ENETUNREACH"
    else:
        raise AssertionError("linkdown route should be ignored")


def test_local_routes_survive_link_down(sh):
    sh("ip link set lo up", "ip link add veth0 type veth peer name veth1",
       "ip addr add 192.168.2.11/24 dev veth0", "ip link set veth0 up", "ip link set veth0 down")
    res = fib.fib_lookup(sh.net, fib.Flow(aton("192.168.2.11")))
    assert res.type == fib.RTN_LOCAL
    assert fib.inet_addr_type(sh.net, aton("192.168.2.255")) == fib.RTN_UNICAST  # brd gone


def test_ten_thousand_routes_lookup(sh):
    sh("ip link set lo up", "ip link add veth0 type veth peer name veth1",
       "ip addr add 192.168.2.11/24 dev veth0", "ip link set veth0 up", "ip link set veth1 up")
    net = sh.net
    dev = net.dev_by_name("veth0")
    tb = net.fib_tables[fib.RT_TABLE_MAIN]
    for i in range(10000):
        dst = (10 << 24) | (i << 8)
        fib.fib_table_insert(net, tb, fib.FibConfig(dst=dst, dst_len=24, gw=aton("192.168.2.1"),
                                                    oif=dev.ifindex))
    res = fib.fib_lookup(net, fib.Flow((10 << 24) | (4321 << 8) | 7))
    assert res.prefixlen == 24 and res.prefix == (10 << 24) | (4321 << 8)
