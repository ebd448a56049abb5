"""A small internet behind the default lab's LAN gateway, built as a real-kernel scenario
would build it: namespaces, links, addresses, routes and forwarding.

    host eth0 192.168.1.11 --LAN-- gateway eth0 192.168.1.1
                                   gateway wan0 203.0.113.2
                                 ~5 ms uplink
                                        |
                                   isp eth0 203.0.113.1, eth1 198.51.100.1
                                        |
                                 ~4 ms backbone
                                        |
                                   internet eth0 198.51.100.2, and on it the servers:
                                   8.8.8.8/32, 1.1.1.1/32, 93.184.216.34/32

The ISP routes the LAN's prefix 192.168.1.0/24 back to the gateway (no NAT there, as in
tests/oracle/scenarios/nf_01_masquerade_ping.sh), so a container's private source
172.18.0.0/16 gets no answer until the host masquerades it. The namespaces are hidden
(no tool lists them), like the gateway's. The backbone hops
that are not simulated are folded into the servers' initial TTL
(net.ipv4.ip_default_ttl = 60 in `internet`), so a ping from the host sees ttl=57.
The two long links are wires with a propagation delay (a seeded few percent of
jitter, order kept), so round trips take about 18 ms instead of the LAN's 0.4 ms.
"""
from __future__ import annotations

import random
from typing import TYPE_CHECKING, Optional

from ..kernel import core
from ..kernel.drivers import EthernetNic, Lan
from ..kernel.fib import RTPROT_STATIC, FibConfig, fib_new_table, fib_table_insert
from ..kernel.inet import aton

if TYPE_CHECKING:  # pragma: no cover
    from ..kernel.skb import SkBuff
    from ..kernel.world import World

SERVERS = ["8.8.8.8", "1.1.1.1", "93.184.216.34"]
UPLINK_S = 0.005       # one way, the gateway's uplink to the ISP
BACKBONE_S = 0.004     # one way, the ISP to the servers
SERVER_TTL = "60"


class Wire(Lan):
    """A point-to-point link with a propagation delay: frames arrive `delay` later
    (a seeded jitter of a few percent, never reordering)."""

    def __init__(self, name: str, delay: float, world: "World"):
        super().__init__(name)
        self.delay = delay
        self.world = world
        self._last_due = 0.0
        # its own seeded draws: traffic to the internet leaves the world's sequence
        # (ping ids, MACs of later links) as it was
        self.rng = random.Random(world.seed * 7919 + len(name))

    def transmit(self, src: EthernetNic, data: bytes, skb: Optional["SkBuff"] = None) -> None:
        sched = self.world.sched
        due = sched.now + self.delay * (0.97 + 0.06 * self.rng.random())
        due = max(due, self._last_due)
        self._last_due = due
        for nic in self.ports:
            if nic is not src:
                sched.call_at(due, self._arrive, nic, data, skb.id if skb is not None else None,
                              skb.trace if skb is not None else None)

    def _arrive(self, nic: EthernetNic, data: bytes, cause: Optional[int],
                trace: Optional[list]) -> None:
        if not nic.flags & 1 or not nic.carrier or nic.net is None:
            return
        nic.stats.rx_packets += 1
        nic.stats.rx_bytes += len(data)
        copy = nic.net.world.new_skb(data, nic, cause=cause, trace=trace)
        core.netif_rx(nic, copy, counted=True)


def _addr(net, dev, cidr: str) -> None:
    from .builtin import add_address
    add_address(net, dev, cidr)


def _route(net, dst: str, gw: str, dev) -> None:
    addr, _, plen = dst.partition("/")
    tb = fib_new_table(net, 254)
    fib_table_insert(net, tb, FibConfig(dst=aton(addr), dst_len=int(plen), gw=aton(gw),
                                        oif=dev.ifindex, protocol=RTPROT_STATIC))


def _nic(net, name: str, wire: Lan, mac: bytes) -> EthernetNic:
    nic = EthernetNic(name, mac)
    net.register(nic)
    # IPv4 only beyond the LAN: no addrconf, DAD or MLD chatter on the internet's links
    net.write_sysctl(f"net.ipv6.conf.{name}.disable_ipv6", "1")
    wire.attach(nic)
    return nic


NO_IPV6 = {"net.ipv6.conf.all.disable_ipv6": "1", "net.ipv6.conf.default.disable_ipv6": "1"}


def build_internet(world: "World", gw) -> None:
    """Give the default lab's gateway namespace `gw` an uplink to the internet."""
    state = world.rng.getstate()     # the lab's random sequence stays what it was without it
    uplink = Wire("uplink", UPLINK_S, world)
    backbone = Wire("backbone", BACKBONE_S, world)
    wan0 = _nic(gw, "wan0", uplink, bytes([0x52, 0x54, 0x00, 0x12, 0x36, 0x02]))
    _addr(gw, wan0, "203.0.113.2/24")
    gw.dev_open(wan0)
    _route(gw, "0.0.0.0/0", "203.0.113.1", wan0)

    isp = world.new_net("isp", hidden=True, sysctl_profile=NO_IPV6)
    isp.dev_open(isp.loopback_dev)
    i0 = _nic(isp, "eth0", uplink, bytes([0x00, 0x1A, 0x2B, 0x00, 0x00, 0x01]))
    i1 = _nic(isp, "eth1", backbone, bytes([0x00, 0x1A, 0x2B, 0x00, 0x00, 0x02]))
    _addr(isp, i0, "203.0.113.1/24")
    _addr(isp, i1, "198.51.100.1/24")
    isp.dev_open(i0)
    isp.dev_open(i1)
    isp.write_sysctl("net.ipv4.ip_forward", "1")
    for server in SERVERS:
        _route(isp, server + "/32", "198.51.100.2", i1)
    _route(isp, "192.168.1.0/24", "203.0.113.2", i0)    # the customer's prefix, routed

    inet = world.new_net("internet", hidden=True, sysctl_profile=NO_IPV6)
    inet.dev_open(inet.loopback_dev)
    e0 = _nic(inet, "eth0", backbone, bytes([0x00, 0x1A, 0x2B, 0x00, 0x01, 0x01]))
    _addr(inet, e0, "198.51.100.2/24")
    for server in SERVERS:
        _addr(inet, e0, server + "/32")
    inet.dev_open(e0)
    inet.write_sysctl("net.ipv4.ip_default_ttl", SERVER_TTL)
    _route(inet, "0.0.0.0/0", "198.51.100.1", e0)
    world.rng.setstate(state)
