"""A small internet behind the default lab's LAN gateway, built as a real-kernel scenario
would build it: namespaces, links, addresses, routes, forwarding and one NAT rule.

    host eth0 192.168.1.11 --LAN-- gateway eth0 192.168.1.1
                                   gateway wan0 203.0.113.2  (MASQUERADE of 192.168.1.0/24,
                                        |                   as a home router does)
                                 ~5 ms uplink
                                        |
                                   isp eth0 203.0.113.1, eth1 198.51.100.1
                                        |
                                 ~4 ms backbone
                                        |
                                   internet eth0 198.51.100.2, and on it the servers:
                                   8.8.8.8/32, 1.1.1.1/32, 93.184.216.34/32

The namespaces are hidden (no tool lists them), like the gateway's. The backbone hops
that are not simulated are folded into the servers' initial TTL
(net.ipv4.ip_default_ttl = 60 in `internet`), so a ping from the host sees ttl=57.
The two long links are wires with a propagation delay (a seeded few percent of
jitter, order kept), so round trips take about 18 ms instead of the LAN's 0.4 ms.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Optional

from ..kernel import core, netfilter as xt
from ..kernel.drivers import EthernetNic, Lan
from ..kernel.fib import RTPROT_STATIC, FibConfig, fib_new_table, fib_table_insert
from ..kernel.inet import aton, prefix_mask

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

    def transmit(self, src: EthernetNic, data: bytes, skb: Optional["SkBuff"] = None) -> None:
        sched = self.world.sched
        due = sched.now + self.delay * (0.97 + 0.06 * self.world.rng.random())
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


def _nic(world: "World", net, name: str, wire: Lan) -> EthernetNic:
    mac = bytes([0x52, 0x54, 0x00]) + bytes(world.rng.getrandbits(8) for _ in range(3))
    nic = EthernetNic(name, mac)
    net.register(nic)
    wire.attach(nic)
    return nic


def build_internet(world: "World", gw) -> None:
    """Give the default lab's gateway namespace `gw` an uplink to the internet."""
    uplink = Wire("uplink", UPLINK_S, world)
    backbone = Wire("backbone", BACKBONE_S, world)
    wan0 = _nic(world, gw, "wan0", uplink)
    _addr(gw, wan0, "203.0.113.2/24")
    gw.dev_open(wan0)
    _route(gw, "0.0.0.0/0", "203.0.113.1", wan0)
    # the home router's NAT: its LAN leaves from its public address
    nat = xt.xt_find_table(gw, "nat", create=True)
    nat.use_chain("POSTROUTING")
    masq = xt.Rule()
    masq.src, masq.smsk = aton("192.168.1.0"), prefix_mask(24)
    masq.outiface = "wan0"
    masq.target = xt.Target("MASQUERADE")
    nat.chains["POSTROUTING"].rules.append(masq)

    isp = world.new_net("isp", hidden=True)
    isp.dev_open(isp.loopback_dev)
    i0 = _nic(world, isp, "eth0", uplink)
    i1 = _nic(world, isp, "eth1", backbone)
    _addr(isp, i0, "203.0.113.1/24")
    _addr(isp, i1, "198.51.100.1/24")
    isp.dev_open(i0)
    isp.dev_open(i1)
    isp.write_sysctl("net.ipv4.ip_forward", "1")
    for server in SERVERS:
        _route(isp, server + "/32", "198.51.100.2", i1)

    inet = world.new_net("internet", hidden=True)
    inet.dev_open(inet.loopback_dev)
    e0 = _nic(world, inet, "eth0", backbone)
    _addr(inet, e0, "198.51.100.2/24")
    for server in SERVERS:
        _addr(inet, e0, server + "/32")
    inet.dev_open(e0)
    inet.write_sysctl("net.ipv4.ip_default_ttl", SERVER_TTL)
    _route(inet, "0.0.0.0/0", "198.51.100.1", e0)
