"""IPv6 input (net/ipv6/ip6_input.c): ipv6_rcv, ip6_mc_input, ip6_input_finish.

ipv6_rcv checks the header and trims the frame; the route decides: a
multicast group the device joined (all-nodes, each address's solicited-node
group, all-routers when forwarding) or one of our own addresses is delivered
(hop-by-hop options skipped, raw sockets shown a copy, then the protocol
registered with inet6_add_protocol: ICMPv6), anything else is forwarded
(ip6_forward) or, without a route, dropped with "no route" sent back when
forwarding. Registered with the core for ETH_P_IPV6 (inet6_init).
"""
from __future__ import annotations

import ipaddress
from typing import TYPE_CHECKING

from . import core, icmpv6, ip6_output, ipv6_raw, ndisc  # noqa: F401 (ndisc registers)
from .addrconf_core import enabled, ipv6_chk_addr
from .ip6_route import ip6_route_output
from .mcast import joined_groups
from .netdev import IFF_LOOPBACK
from .reassembly import ipv6_frag_rcv
from .skb import PACKET_OTHERHOST, DropReason
from .wire import ETH_P_IPV6

if TYPE_CHECKING:  # pragma: no cover
    from .netdev import NetDevice
    from .skb import SkBuff

NEXTHDR_HOP = 0
NEXTHDR_FRAGMENT = 44
NEXTHDR_NONE = 59


def ipv6_rcv(skb: "SkBuff", dev: "NetDevice") -> None:
    """ipv6_rcv -> ip6_rcv_core -> ip6_rcv_finish."""
    net = dev.net
    d = skb.data
    if not enabled(dev):
        core.drop(skb, "IPV6DISABLED", "ip6_rcv_core", dev)
        return
    if skb.pkt_type == PACKET_OTHERHOST:
        core.drop(skb, DropReason.OTHERHOST, "ip6_rcv_core", dev)
        return
    if len(d) < 54 or d[14] >> 4 != 6:
        core.drop(skb, DropReason.IP_INHDR, "ip6_rcv_core", dev)
        return
    plen = (d[18] << 8) | d[19]
    if 54 + plen > len(d):
        core.drop(skb, "PKT_TOO_SMALL", "ip6_rcv_core", dev)
        return
    if len(d) > 54 + plen:
        skb.data = d = d[:54 + plen]     # pskb_trim_rcsum: Ethernet padding
    saddr = ipaddress.IPv6Address(bytes(d[22:38]))
    daddr = ipaddress.IPv6Address(bytes(d[38:54]))
    if saddr.is_multicast or (daddr.is_loopback and not dev.flags & IFF_LOOPBACK):
        core.drop(skb, DropReason.IP_INHDR, "ip6_rcv_core", dev)
        return
    if skb.trace is not None:
        core.trace(skb, net, "ipv6_rcv", "accepted", dev=dev.name, src=str(saddr),
                   dst=str(daddr))
    if daddr.is_multicast:
        if daddr not in joined_groups(dev):
            if skb.trace is not None:
                core.trace(skb, net, "ip6_mc_input", "not joined", group=str(daddr),
                           dev=dev.name)
            core.drop(skb, DropReason.NOT_SPECIFIED, "ip6_mc_input", dev)
            return
        ip6_input_finish(skb, dev)
        return
    # a link-local destination is ours only on the device it arrived on; what comes back
    # through lo keeps the route it was sent by (any of our addresses)
    scoped = daddr.is_link_local and not dev.flags & IFF_LOOPBACK
    if ipv6_chk_addr(net, daddr, dev if scoped else None):
        if skb.trace is not None:
            core.trace(skb, net, "ip6_route_input", "local", dst=str(daddr), dev=dev.name)
        ip6_input_finish(skb, dev)
        return
    if scoped:
        core.drop(skb, DropReason.NOT_SPECIFIED, "ip6_route_input", dev)
        return
    rt = ip6_route_output(net, daddr, None)
    if rt is None or rt.type != "unicast":
        if net.ipv6_all.get("forwarding"):
            icmpv6.icmp6_send(skb, icmpv6.ICMPV6_DEST_UNREACH, icmpv6.ICMPV6_NOROUTE, 0)
        core.drop(skb, DropReason.IP_INNOROUTES, "ip6_pkt_discard", dev)
        return
    ip6_output.ip6_forward(skb, dev, rt)


def ip6_input_finish(skb: "SkBuff", dev: "NetDevice") -> None:
    """ip6_protocol_deliver_rcu: skip the hop-by-hop options, raw sockets, then the protocol."""
    net = dev.net
    d = skb.data
    nexthdr = d[20]
    off = 54
    if nexthdr == NEXTHDR_HOP:
        if len(d) < off + 8:
            core.drop(skb, DropReason.IP_INHDR, "ipv6_parse_hopopts", dev)
            return
        nexthdr = d[off]
        off += (d[off + 1] + 1) * 8
    if nexthdr == NEXTHDR_FRAGMENT:
        whole = ipv6_frag_rcv(skb, dev, off)
        if whole is None:
            return
        skb = whole
        d = skb.data
        nexthdr = d[20]
        off = 54
    delivered = ipv6_raw.ipv6_raw_deliver(net, skb, nexthdr, off)
    handler = core.inet6_protos.get(nexthdr)
    if handler is not None:
        handler(skb, dev, off)
    elif not delivered and nexthdr != NEXTHDR_NONE:
        if skb.trace is not None:
            core.trace(skb, net, "ip6_input", "no protocol", nexthdr=nexthdr, dev=dev.name)
        icmpv6.icmp6_send(skb, icmpv6.ICMPV6_PARAMPROB, 1, 6)
        core.drop(skb, DropReason.IP_NOPROTO, "ip6_protocol_deliver_rcu", dev)


def _mc_loopback(skb: "SkBuff", dev: "NetDevice") -> None:
    """ip6_input for our own multicast copy: the group is joined, deliver it."""
    skb.dev = dev
    if skb.trace is not None:
        core.trace(skb, dev.net, "ip6_mc_input", "own copy", dev=dev.name,
                   why="a group this host joined: its own copy comes back (multicast loop)")
    ip6_input_finish(skb, dev)


# inet6_init: IPv6 receives ETH_P_IPV6; our own multicast copies come back to input
core.dev_add_pack(ETH_P_IPV6, ipv6_rcv)
ip6_output.set_mc_loopback_rcv(_mc_loopback)
