"""IPv6 output and forwarding (net/ipv6/ip6_output.c).

ip6_local_out sends a packet built here along its route: a local destination
loops through `lo`, a multicast one goes straight to its 33:33 address, a
unicast one through nd_tbl (neighbour discovery first when needed). Only the
source fragments (ip6_fragment, a fragment header after the IPv6 header); a
router that cannot fit a packet into the next link answers "packet too big"
(ip6_forward), and a packet whose hop limit runs out "time exceeded".
Like ip_output, a device's drop (NET_XMIT_DROP) comes back as False.
"""
from __future__ import annotations

import ipaddress
from typing import TYPE_CHECKING, Callable, Optional

from . import core, neighbour
from .addrconf_core import ipv6_eth_mc_map, nd_tbl
from .ip6_route import ip6_mtu
from .mcast import joined_groups
from .netdev import IFF_LOOPBACK
from .skb import PACKET_LOOPBACK, DropReason
from .wire import ETH_P_IPV6, eth_header

if TYPE_CHECKING:  # pragma: no cover
    from .ip6_route import Route6
    from .netdev import NetDevice
    from .netns import Net
    from .skb import SkBuff

ZERO_ETH = bytes(14)
IPV6_MIN_MTU = 1280
NEXTHDR_FRAGMENT = 44


def ip6_local_out(net: "Net", skb: "SkBuff", rt: "Route6", mtu: int = 0) -> bool:
    """dst_output for a packet built here (skb.data: a placeholder Ethernet header and
    the IPv6 packet). `mtu`: the path MTU to fragment to (0: the device's)."""
    skb.dst = rt
    dev = rt.dev
    if skb.trace is not None:
        core.trace(skb, net, "ip6_route_output", "routed", route=rt.describe(), dev=dev.name)
    if rt.type == "local" or dev.flags & IFF_LOOPBACK:
        lo = net.loopback_dev
        skb.data = eth_header(lo.mac, lo.mac, ETH_P_IPV6) + skb.data[14:]
        if skb.trace is not None:
            core.trace(skb, net, "loopback_xmit", "looped back", dev=lo.name)
        return core.dev_queue_xmit(skb, lo)
    daddr = ipaddress.IPv6Address(bytes(skb.data[38:54]))
    if daddr.is_multicast and _mc_loopback_rcv is not None:
        if daddr in joined_groups(dev):
            # ip6_mc_output: a group this host joined gets its own copy (IPV6_MULTICAST_LOOP,
            # on by default) through dev_loopback_xmit, unseen by the taps
            loop = net.world.new_skb(skb.data, dev, cause=skb.id)
            loop.pkt_type = PACKET_LOOPBACK
            loop.csum_unnecessary = True
            net.world.sched.call_soon(_mc_loopback_rcv, loop, dev)
    mtu = mtu or ip6_mtu(dev)
    if len(skb.data) - 14 > mtu:
        frags = ip6_fragment(net, skb, mtu)
        for i, frag in enumerate(frags):
            if not ip6_finish_output2(net, frag, rt):
                for rest in frags[i + 1:]:
                    core.drop(rest, DropReason.NOT_SPECIFIED, "ip6_fragment", dev)
                return False
        return True
    return ip6_finish_output2(net, skb, rt)


# ip6_forward's errors: icmpv6 registers icmp6_send (set_icmp6_send), so that output
# does not import ICMPv6, which sends through output.
ICMPV6_PKT_TOOBIG = 2
ICMPV6_TIME_EXCEED = 3
ICMPV6_EXC_HOPLIMIT = 0
_icmp6_send: Callable = None  # type: ignore[assignment]


def set_icmp6_send(func: Callable) -> None:
    global _icmp6_send
    _icmp6_send = func


# dev_loopback_xmit's copy re-enters input after routing; ip6_input registers the
# function (set_mc_loopback_rcv), so that output does not import input.
_mc_loopback_rcv: Optional[Callable[["SkBuff", "NetDevice"], None]] = None


def set_mc_loopback_rcv(func: Callable[["SkBuff", "NetDevice"], None]) -> None:
    global _mc_loopback_rcv
    _mc_loopback_rcv = func


def ip6_fragment(net: "Net", skb: "SkBuff", mtu: int) -> list["SkBuff"]:
    """ip6_fragment's slow path: a fragment header in each piece, payload in
    multiples of 8 bytes, one identification (ipv6_select_ident) for all."""
    d = skb.data
    hdr = bytearray(d[14:54])
    nexthdr = hdr[6]
    payload = d[54:]
    ident = net.world.rng.getrandbits(32)
    step = (mtu - 40 - 8) & ~7
    frags = []
    pos = 0
    while pos < len(payload):
        chunk = payload[pos:pos + step]
        more = pos + step < len(payload)
        h = bytearray(hdr)
        h[4:6] = (8 + len(chunk)).to_bytes(2, "big")
        h[6] = NEXTHDR_FRAGMENT
        fh = bytes([nexthdr, 0]) + (pos | (1 if more else 0)).to_bytes(2, "big") \
            + ident.to_bytes(4, "big")
        f = net.world.new_skb(ZERO_ETH + bytes(h) + fh + chunk, skb.dev, cause=skb.id,
                              trace=skb.trace)
        f.dst = skb.dst
        f.sk = skb.sk
        core.trace(f, net, "ip6_fragment", "fragment", offset=pos, length=len(chunk))
        frags.append(f)
        pos += step
    return frags


def ip6_finish_output2(net: "Net", skb: "SkBuff", rt: "Route6") -> bool:
    """ip6_finish_output2: multicast to its mapped address, unicast via the neighbour
    of the gateway or of the destination itself."""
    dev = rt.dev
    daddr = ipaddress.IPv6Address(bytes(skb.data[38:54]))
    if daddr.is_multicast:
        skb.data = eth_header(ipv6_eth_mc_map(daddr), dev.mac, ETH_P_IPV6) + skb.data[14:]
        return core.dev_queue_xmit(skb, dev)
    return ip6_neigh_output(net, skb, dev, rt.gw or daddr)


def ip6_neigh_output(net: "Net", skb: "SkBuff", dev: "NetDevice", nexthop) -> bool:
    tbl = nd_tbl(net)
    n = tbl.lookup(nexthop, dev)
    if n is None:
        n = tbl.create(nexthop, dev)
    return neighbour.neigh_output(n, skb)


def ip6_forward(skb: "SkBuff", dev: "NetDevice", rt: "Route6") -> None:
    """ip6_forward: forwarding on (net.ipv6.conf.all.forwarding), hop limit, MTU."""
    net = dev.net
    d = skb.data
    if not net.ipv6_all.get("forwarding"):
        if skb.trace is not None:
            core.trace(skb, net, "ip6_forward", "not forwarding", dev=dev.name,
                       why="net.ipv6.conf.all.forwarding=0: a host drops what is not for it")
        core.drop(skb, "NOT_SPECIFIED", "ip6_forward", dev)
        return
    hlim = d[21]
    if hlim <= 1:
        if skb.trace is not None:
            core.trace(skb, net, "ip6_forward", "hop limit exceeded", hlim=hlim, dev=dev.name)
        _icmp6_send(skb, ICMPV6_TIME_EXCEED, ICMPV6_EXC_HOPLIMIT, 0)
        core.drop(skb, "IP_INHDR", "ip6_forward", dev)
        return
    out = rt.dev
    mtu = ip6_mtu(out)
    if len(d) - 14 > mtu:
        if skb.trace is not None:
            core.trace(skb, net, "ip6_forward", "packet too big", mtu=mtu, dev=dev.name,
                       out=out.name)
        _icmp6_send(skb, ICMPV6_PKT_TOOBIG, 0, mtu)
        core.drop(skb, DropReason.PKT_TOO_BIG, "ip6_forward", dev)
        return
    pkt = bytearray(d[14:])
    pkt[7] = hlim - 1
    new = net.world.new_skb(ZERO_ETH + bytes(pkt), out, cause=skb.id, trace=skb.trace)
    new.dst = rt
    if new.trace is not None:
        core.trace(new, net, "ip6_forward", "forwarded", out=out.name, hlim=hlim - 1,
                   dev=dev.name)
    ip6_finish_output2(net, new, rt)
