"""IPv4 output (net/ipv4/ip_output.c): headers, local output, fragmentation.

A locally built packet gets its route, then either loops through `lo` (the
route's type is local; the route stays attached, so the receiving side skips
input routing, as loopback packets keep skb_dst) or goes to the neighbour
layer of the output device. Input (ip.py) and ICMP (icmp.py) sit above this
module and send through it.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Callable, Optional

from . import core, neighbour
from .core import NF_INET_LOCAL_OUT, NF_INET_POST_ROUTING, nf_hook_slow
from .neighbour import NUD_CONNECTED
from .netdev import IFF_LOOPBACK
from .route import RTCF_BROADCAST, RTCF_MULTICAST, Rtable
from .skb import PACKET_LOOPBACK, DropReason
from .wire import ARPHRD_LOOPBACK, ETH_P_IP, checksum, eth_header

if TYPE_CHECKING:  # pragma: no cover
    from .netdev import NetDevice
    from .netns import Net
    from .skb import SkBuff

ZERO_ETH = bytes(14)   # the placeholder Ethernet header a packet is built behind


def ip_select_ident(net: "Net") -> int:
    """The next IP identifier of the namespace (one counter, as the kernel's hashed
    per-destination counters look from a single flow)."""
    net.ip_id = (net.ip_id + 1) & 0xFFFF
    return net.ip_id


def ip_local_out(net: "Net", skb: "SkBuff", rt: Rtable) -> bool:
    """dst_output for a packet built here; skb.data is a placeholder Ethernet
    header followed by the IP packet. False when it was not sent: netfilter
    dropped it (NF_DROP, skb.dropped is NETFILTER_DROP: the sender's sendmsg gets
    EPERM) or the device did (NET_XMIT_DROP: raw_sendmsg's ip_send_skb turns it
    into ENOBUFS). A packet a hook stole counts as sent."""
    skb.dst = rt
    if skb.trace is not None:
        core.trace(skb, net, "ip_route_output", "routed", route=rt.describe(),
                   table=rt.table_name, dev=rt.dev.name)
    hooks = net.nf_hooks_ipv4
    if hooks[NF_INET_LOCAL_OUT]:
        if not nf_hook_slow(hooks[NF_INET_LOCAL_OUT], skb, None, rt.dev):
            return skb.dropped != DropReason.NETFILTER_DROP
        rt = skb.dst   # netfilter: a DNAT at LOCAL_OUT re-routes (ip_route_me_harder)
    if rt.flags & (RTCF_BROADCAST | RTCF_MULTICAST) and not rt.dev.type == ARPHRD_LOOPBACK:
        # ip_mc_output: a copy for ourselves (dev_loopback_xmit), the frame out
        loop = net.world.new_skb(skb.data, rt.dev, cause=skb.id)
        loop.dst = rt
        loop.pkt_type = PACKET_LOOPBACK  # taps skip it
        net.world.sched.call_soon(_loopback_deliver, loop, rt.dev)
    if hooks[NF_INET_POST_ROUTING] and not nf_hook_slow(hooks[NF_INET_POST_ROUTING], skb, None,
                                                         rt.dev):
        return skb.dropped != DropReason.NETFILTER_DROP
    return ip_finish_output(net, skb, rt)


# dev_loopback_xmit: the copy keeps its route and re-enters input after routing.
# The kernel gets there through netif_rx; here ip.py registers its ip_rcv_finish
# (set_mc_loopback_rcv), so that output does not import input.
_mc_loopback_rcv: Optional[Callable[["SkBuff", "NetDevice"], None]] = None


def set_mc_loopback_rcv(func: Callable[["SkBuff", "NetDevice"], None]) -> None:
    global _mc_loopback_rcv
    _mc_loopback_rcv = func


def _loopback_deliver(skb: "SkBuff", dev: "NetDevice") -> None:
    skb.dev = dev
    _mc_loopback_rcv(skb, dev)


def ip_finish_output(net: "Net", skb: "SkBuff", rt: Rtable, forwarding: bool = False) -> bool:
    """ip_finish_output: fragment what does not fit the device's MTU (DF unset).
    ip_do_fragment stops at the first fragment the device refuses and frees the
    rest (kfree_skb_list): they never reach the wire. A forwarded packet
    (IPSKB_FORWARDED) is measured against the route's MTU, never a learned path MTU
    (ip_dst_mtu_maybe_forward)."""
    dev = rt.dev
    tot = len(skb.data) - 14
    # dst_mtu (Rtable.mtu), inlined for the common case: the route's mtu metric if lower,
    # else the device's; with route exceptions about, Rtable.mtu itself (ipv4_mtu)
    mtu = dev.mtu
    metric = rt.mtu_metric
    if metric and metric < mtu:
        mtu = metric
    if net.fnhe and not forwarding:
        mtu = rt.mtu()
    if tot > mtu and dev.type != ARPHRD_LOOPBACK:
        frags = ip_fragment(net, skb, mtu)
        for i, frag in enumerate(frags):
            if not ip_finish_output2(net, frag, rt):
                for rest in frags[i + 1:]:
                    core.drop(rest, DropReason.NOT_SPECIFIED, "ip_do_fragment", dev)
                return False
        return True
    return ip_finish_output2(net, skb, rt)


def ip_fragment(net: "Net", skb: "SkBuff", mtu: int) -> list["SkBuff"]:
    """ip_do_fragment: payload in chunks of (mtu - header) rounded down to 8 bytes."""
    d = skb.data
    ihl = (d[14] & 0xF) * 4
    hdr = bytearray(d[14:14 + ihl])
    payload = d[14 + ihl:]
    ident = (hdr[4] << 8) | hdr[5]
    if ident == 0:
        ident = ip_select_ident(net)
    base_off = (((hdr[6] << 8) | hdr[7]) & 0x1FFF) * 8
    more_after = bool(hdr[6] & 0x20)
    step = (mtu - ihl) & ~7
    frags = []
    pos = 0
    while pos < len(payload):
        chunk = payload[pos:pos + step]
        last = pos + step >= len(payload)
        h = bytearray(hdr)
        h[2:4] = (ihl + len(chunk)).to_bytes(2, "big")
        h[4:6] = ident.to_bytes(2, "big")
        off = (base_off + pos) // 8
        mf = 0x2000 if (not last or more_after) else 0
        h[6:8] = (mf | off).to_bytes(2, "big")
        h[10:12] = b"\x00\x00"
        h[10:12] = checksum(bytes(h)).to_bytes(2, "big")
        f = net.world.new_skb(ZERO_ETH + bytes(h) + chunk, skb.dev, cause=skb.id, trace=skb.trace)
        f.dst = skb.dst
        f.sk = skb.sk
        f.nfct = skb.nfct   # netfilter: fragments keep the packet's conntrack entry
        core.trace(f, net, "ip_fragment", "fragment", offset=off * 8, length=len(chunk))
        frags.append(f)
        pos += step
    return frags


def ip_finish_output2(net: "Net", skb: "SkBuff", rt: Rtable) -> bool:
    dev = rt.dev
    if dev.flags & IFF_LOOPBACK:
        # __ipv4_neigh_lookup_noref: loopback's one neighbour is 0.0.0.0, NOARP
        if net.arp_tbl.lookup(0, dev) is None:
            net.arp_tbl.create(0, dev)
        skb.data = eth_header(dev.mac, dev.mac, ETH_P_IP) + skb.data[14:]
        core.trace(skb, net, "loopback_xmit", "looped back", dev=dev.name)
        return core.dev_queue_xmit(skb, dev)
    nexthop = rt.gw or int.from_bytes(skb.data[30:34], "big")
    tbl = net.arp_tbl
    n = tbl.entries.get((dev.ifindex, nexthop))     # __ipv4_neigh_lookup_noref (tbl.lookup)
    if n is None:
        n = tbl.create(nexthop, dev)
    if skb.dst_pending_confirm:
        # sock_confirm_neigh: the sending socket's flag is spent; the neighbour is alive
        if skb.sk is not None:
            skb.sk.dst_pending_confirm = False
        n.confirmed = net.world.sched.now
    if n.nud_state & NUD_CONNECTED and skb.trace is None:
        # neigh_output is inline in the kernel: its connected path (neigh_hh_output) is
        # here too for an untraced packet, once per packet sent
        skb.data = n.ha + dev.mac + n.tbl.eth_type + skb.data[14:]
        return core.dev_queue_xmit(skb, dev)
    return neighbour.neigh_output(n, skb)
