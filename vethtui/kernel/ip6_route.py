"""IPv6 routes (net/ipv6/route.c, as far as the lab needs it): the routes addrconf and
`ip -6 route` add, the lookup (the local table first, then the longest prefix of
main), ip6_route_output, the hop limit and MTU a route's device gives, and the path
MTUs "packet too big" taught (rt6_do_update_pmtu's route exceptions).
"""
from __future__ import annotations

import ipaddress
from typing import TYPE_CHECKING

from .addrconf_core import ipv6_chk_addr

if TYPE_CHECKING:  # pragma: no cover
    from .netdev import NetDevice
    from .netns import Net


class Route6:
    __slots__ = ("dst", "plen", "dev", "gw", "metric", "proto", "table", "type")

    def __init__(self, dst: ipaddress.IPv6Address, plen: int, dev, gw=None, metric: int = 256,
                 proto: str = "kernel", table: str = "main", rtype: str = "unicast"):
        self.dst = dst
        self.plen = plen
        self.dev = dev
        self.gw = gw
        self.metric = metric
        self.proto = proto
        self.table = table
        self.type = rtype

    def network(self) -> ipaddress.IPv6Network:
        return ipaddress.IPv6Network((self.dst, self.plen), strict=False)

    def describe(self) -> str:
        kind = "" if self.type == "unicast" else self.type + " "
        via = f" via {self.gw}" if self.gw is not None else ""
        return f"{kind}{self.dst}/{self.plen}{via} dev {self.dev.name} table {self.table}"


def lookup(net: "Net", dst: ipaddress.IPv6Address, oif=None):
    """Local table first, then the longest prefix of main (lowest metric)."""
    for r in net.routes6:
        if r.table == "local" and r.type == "local" and r.dst == dst:
            return r
    best = None
    for r in net.routes6:
        if r.table != "main":
            continue
        if oif is not None and r.dev is not oif:
            continue
        if dst in r.network():
            if best is None or r.plen > best.plen or (r.plen == best.plen and r.metric < best.metric):
                best = r
    return best


def ip6_route_output(net: "Net", daddr: ipaddress.IPv6Address, oif=None):
    """ip6_route_output: a local route for our own addresses, else the main table
    (restricted to `oif` when the socket or the address's zone names a device)."""
    if ipv6_chk_addr(net, daddr, None):
        for r in net.routes6:
            if r.table == "local" and r.type == "local" and r.dst == daddr:
                return r
    if daddr.is_multicast:
        # the local table's multicast ff00::/8 route of the device (the first one without)
        for r in net.routes6:
            if r.type == "multicast" and (oif is None or r.dev is oif):
                return r
        return None
    return lookup(net, daddr, oif)


def hop_limit(dev: "NetDevice") -> int:
    """ip6_dst_hoplimit: the output device's net.ipv6.conf.DEV.hop_limit."""
    return dev.ipv6_cnf.get("hop_limit", 64) or 64


PMTU_EXPIRES = 600.0    # net.ipv6.route.mtu_expires


def rt6_pmtu_discovery(net: "Net", daddr: ipaddress.IPv6Address, mtu: int) -> None:
    """rt6_do_update_pmtu: a route exception for the destination, for mtu_expires."""
    cache = net.__dict__.setdefault("rt6_pmtu", {})
    cache[daddr] = (mtu, net.world.sched.now + PMTU_EXPIRES)


def ip6_mtu(dev: "NetDevice") -> int:
    """The device's IPv6 MTU (net.ipv6.conf.DEV.mtu, which follows the device's)."""
    return dev.ipv6_cnf.get("mtu", dev.mtu) or dev.mtu


def path_mtu(net: "Net", daddr: ipaddress.IPv6Address, dev: "NetDevice") -> int:
    mtu = ip6_mtu(dev)
    cached = net.__dict__.get("rt6_pmtu", {}).get(daddr)
    if cached is not None and cached[1] > net.world.sched.now:
        mtu = min(mtu, cached[0])
    return mtu
