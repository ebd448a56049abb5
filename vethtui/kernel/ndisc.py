"""Neighbour discovery (net/ipv6/ndisc.c): nd_tbl, solicitations and advertisements.

nd_tbl is the IPv6 twin of arp_tbl and shares neighbour.py's state machine
(INCOMPLETE, REACHABLE, STALE, DELAY, PROBE, FAILED), with its own ops:
ndisc_constructor (multicast and loopback need no resolution), ndisc_solicit
(a neighbor solicitation to the target's solicited-node group, unicast once
the entry has a link-layer address) and ndisc_error_report (ICMPv6 "address
unreachable" for what waited on a FAILED entry). Received solicitations and
advertisements go through ndisc_recv_ns / ndisc_recv_na, which also serve
duplicate address detection (addrconf's DAD probes come from ::).
"""
from __future__ import annotations

import ipaddress
from typing import TYPE_CHECKING, Optional

from . import addrconf, core, icmpv6, ip6_output, neighbour
from .addrconf_core import (ipv6_chk_addr, ipv6_eth_mc_map, ipv6_get_ifaddr, ipv6_get_lladdr,
                            nd_tbl, solicited_node)
from .neighbour import (NEIGH_UPDATE_F_OVERRIDE, NEIGH_UPDATE_F_WEAK_OVERRIDE, NTF_ROUTER,
                        NUD_NOARP, NUD_REACHABLE, NUD_STALE, NUD_VALID)
from .netdev import IFF_LOOPBACK, IFF_NOARP
from .wire import ETH_P_IPV6, build_ipv6_header, eth_header, icmp6_with_checksum

if TYPE_CHECKING:  # pragma: no cover
    from .netdev import NetDevice
    from .skb import SkBuff

NDISC_ROUTER_SOLICITATION = 133
NDISC_ROUTER_ADVERTISEMENT = 134
NDISC_NEIGHBOUR_SOLICITATION = 135
NDISC_NEIGHBOUR_ADVERTISEMENT = 136
NDISC_REDIRECT = 137
ND_OPT_SOURCE_LL_ADDR = 1
ND_OPT_TARGET_LL_ADDR = 2
ND_OPT_NONCE = 14
UNSPECIFIED = ipaddress.IPv6Address("::")
ALL_NODES = ipaddress.IPv6Address("ff02::1")


# ---------------------------------------------------------------- nd_tbl ops

def ndisc_constructor(n: "neighbour.Neighbour") -> None:
    """ndisc_constructor: multicast keys map to 33:33:..., loopback and NOARP devices
    need no resolution."""
    dev = n.dev
    key = n.key
    if key.is_multicast:
        n.nud_state = NUD_NOARP
        n.ha = ipv6_eth_mc_map(key)
    elif dev.flags & (IFF_NOARP | IFF_LOOPBACK):
        n.nud_state = NUD_NOARP
        n.ha = dev.mac


def ndisc_solicit(n: "neighbour.Neighbour", skb: Optional["SkBuff"]) -> None:
    """ndisc_solicit: the source is the waiting packet's own (when it is ours); unicast
    probes to the known address while probes < ucast_solicit, else multicast."""
    dev = n.dev
    target = n.key
    saddr = None
    if skb is not None and len(skb.data) >= 54:
        src = ipaddress.IPv6Address(bytes(skb.data[22:38]))
        if ipv6_chk_addr(dev.net, src, dev):
            saddr = src
    parms = n.parms.data
    if n.probes < parms["ucast_probes"] and n.ha is not None and n.nud_state & NUD_VALID:
        ndisc_send_ns(dev, target, target, saddr, n.ha, cause=skb)
    else:
        ndisc_send_ns(dev, target, solicited_node(target), saddr, None, cause=skb)


def ndisc_error_report(skb: "SkBuff") -> None:
    """ndisc_error_report: ICMPv6 destination unreachable, address unreachable."""
    icmpv6.icmp6_send(skb, icmpv6.ICMPV6_DEST_UNREACH, icmpv6.ICMPV6_ADDR_UNREACH, 0)


# ---------------------------------------------------------------- sending

def _ndisc_send(dev: "NetDevice", src: ipaddress.IPv6Address, dst: ipaddress.IPv6Address,
                body: bytes, ha: Optional[bytes], what: str, cause=None) -> None:
    """ndisc_send_skb: hop limit 255, through nd_tbl for a unicast destination."""
    net = dev.net
    icmp = icmp6_with_checksum(src.packed, dst.packed, body)
    pkt = build_ipv6_header(src.packed, dst.packed, 58, len(icmp), 255) + icmp
    skb = net.world.new_skb(bytes(14) + pkt, dev, cause=cause.id if cause is not None else None)
    if skb.trace is not None:
        # DAD's probes are addrconf's own timer traffic (explain sets them aside)
        core.trace(skb, net, "addrconf" if src == UNSPECIFIED else "ndisc_send_skb", what,
                   src=str(src), dst=str(dst), dev=dev.name)
    if dst.is_multicast:
        skb.data = eth_header(ipv6_eth_mc_map(dst), dev.mac, ETH_P_IPV6) + pkt
        core.dev_queue_xmit(skb, dev)
        return
    if ha is not None:
        skb.data = eth_header(ha, dev.mac, ETH_P_IPV6) + pkt
        core.dev_queue_xmit(skb, dev)
        return
    ip6_output.ip6_neigh_output(net, skb, dev, dst)


def ndisc_send_ns(dev: "NetDevice", target: ipaddress.IPv6Address, daddr: ipaddress.IPv6Address,
                  saddr: Optional[ipaddress.IPv6Address], ha: Optional[bytes] = None,
                  nonce: Optional[bytes] = None, cause=None) -> None:
    """ndisc_send_ns: from the given source or the device's link-local address; with
    a source link-layer address option unless the source is :: (DAD), which may carry
    a nonce instead."""
    if saddr is None:
        saddr = ipv6_get_lladdr(dev)
        if saddr is None:
            return
    body = bytes([NDISC_NEIGHBOUR_SOLICITATION, 0, 0, 0, 0, 0, 0, 0]) + target.packed
    if saddr != UNSPECIFIED:
        body += bytes([ND_OPT_SOURCE_LL_ADDR, 1]) + dev.mac
    if nonce is not None:
        body += bytes([ND_OPT_NONCE, 1]) + nonce
    _ndisc_send(dev, saddr, daddr, body, ha,
                "dad probe" if saddr == UNSPECIFIED else "neighbor solicitation", cause)


def ndisc_send_na(dev: "NetDevice", daddr: ipaddress.IPv6Address, target: ipaddress.IPv6Address,
                  router: bool, solicited: bool, override: bool, inc_opt: bool = True,
                  cause=None) -> None:
    """ndisc_send_na: from the target address, with the target link-layer address when
    inc_opt (ndisc_recv_ns asks for it only in answer to a multicast solicitation: a
    unicast one's sender already knows it, so the advertisement is 24 bytes)."""
    flags = (0x80 if router else 0) | (0x40 if solicited else 0) | (0x20 if override else 0)
    body = bytes([NDISC_NEIGHBOUR_ADVERTISEMENT, 0, 0, 0, flags, 0, 0, 0]) + target.packed
    if inc_opt and dev.mac:
        body += bytes([ND_OPT_TARGET_LL_ADDR, 1]) + dev.mac
    _ndisc_send(dev, target, daddr, body, None, "neighbor advertisement", cause)


# ---------------------------------------------------------------- receiving

def _options(b: bytes) -> dict[int, bytes]:
    opts: dict[int, bytes] = {}
    i = 0
    while i + 2 <= len(b):
        ln = b[i + 1] * 8
        if ln == 0:
            break
        opts.setdefault(b[i], b[i + 2:i + ln])
        i += ln
    return opts


def ndisc_rcv(skb: "SkBuff", dev: "NetDevice", off: int) -> None:
    """ndisc_rcv: hop limit must be 255 (the message never crossed a router)."""
    d = skb.data
    if d[21] != 255:
        core.drop(skb, "IPV6_NDISC_HOP_LIMIT", "ndisc_rcv", dev)
        return
    t = d[off]
    if t == NDISC_NEIGHBOUR_SOLICITATION:
        ndisc_recv_ns(skb, dev, off)
    elif t == NDISC_NEIGHBOUR_ADVERTISEMENT:
        ndisc_recv_na(skb, dev, off)
    elif t == NDISC_ROUTER_SOLICITATION and dev.ipv6_cnf.get("forwarding"):
        ndisc_recv_rs(skb, dev, off)
    else:
        # router solicitations reach a host only to be ignored (no router here)
        if skb.trace is not None:
            core.trace(skb, dev.net, "ndisc_rcv", "ignored", type=t, dev=dev.name,
                       why="a host does not answer router solicitations"
                       if t == NDISC_ROUTER_SOLICITATION else "")
        core.drop(skb, "NOT_SPECIFIED", "ndisc_rcv", dev)


def ndisc_recv_ns(skb: "SkBuff", dev: "NetDevice", off: int) -> None:
    net = dev.net
    d = skb.data
    saddr = ipaddress.IPv6Address(bytes(d[22:38]))
    daddr = ipaddress.IPv6Address(bytes(d[38:54]))
    target = ipaddress.IPv6Address(bytes(d[off + 8:off + 24]))
    opts = _options(bytes(d[off + 24:]))
    lladdr = opts.get(ND_OPT_SOURCE_LL_ADDR)
    dad = saddr == UNSPECIFIED
    if target.is_multicast or (dad and daddr != solicited_node(target)):
        core.drop(skb, "IPV6_NDISC_BAD_CODE", "ndisc_recv_ns", dev)
        return
    ifp = ipv6_get_ifaddr(dev, target)
    if ifp is None:
        if skb.trace is not None:
            core.trace(skb, net, "ndisc_recv_ns", "not ours", target=str(target), dev=dev.name)
        core.drop(skb, "NOT_SPECIFIED", "ndisc_recv_ns", dev)
        return
    if ifp.tentative:
        if dad:
            # someone else probes the address we are probing: ours is a duplicate,
            # unless the nonce is our own probe looped back (RFC 7527)
            nonce = opts.get(ND_OPT_NONCE)
            if nonce is not None and nonce == ifp.dad_nonce:
                return
            addrconf.addrconf_dad_failure(dev, ifp, skb)
        return
    router = bool(dev.ipv6_cnf.get("forwarding"))
    if dad:
        if skb.trace is not None:
            core.trace(skb, net, "ndisc_recv_ns", "dad answered", target=str(target),
                       dev=dev.name, why="another node probes an address we hold")
        ndisc_send_na(dev, ALL_NODES, target, router, False, True, cause=skb)
        return
    tbl = nd_tbl(net)
    n = tbl.lookup(saddr, dev)
    if n is None and lladdr is not None:
        n = tbl.create(saddr, dev)
    if n is not None and lladdr is not None:
        neighbour.neigh_update(n, bytes(lladdr), NUD_STALE,
                               NEIGH_UPDATE_F_WEAK_OVERRIDE | NEIGH_UPDATE_F_OVERRIDE)
    if skb.trace is not None:
        core.trace(skb, net, "ndisc_recv_ns", "answered", target=str(target), asker=str(saddr),
                   dev=dev.name)
    # ndisc_send_na(dev, saddr, &msg->target, !!is_router, true, (ifp && inc), inc):
    # override and the target's link-layer address only for a multicast solicitation
    inc = daddr.is_multicast
    ndisc_send_na(dev, saddr, target, router, True, inc, inc, cause=skb)


def ndisc_recv_rs(skb: "SkBuff", dev: "NetDevice", off: int) -> None:
    """ndisc_recv_rs on a router: the solicitor's link-layer address is remembered
    (STALE), as a neighbour solicitation's would be; no advertisement is sent here."""
    d = skb.data
    saddr = ipaddress.IPv6Address(bytes(d[22:38]))
    lladdr = _options(bytes(d[off + 8:])).get(ND_OPT_SOURCE_LL_ADDR)
    if saddr == UNSPECIFIED or lladdr is None:
        return
    tbl = nd_tbl(dev.net)
    n = tbl.lookup(saddr, dev) or tbl.create(saddr, dev)
    if skb.trace is not None:
        core.trace(skb, dev.net, "ndisc_recv_rs", "solicitor remembered", asker=str(saddr),
                   dev=dev.name)
    neighbour.neigh_update(n, bytes(lladdr), NUD_STALE,
                           NEIGH_UPDATE_F_WEAK_OVERRIDE | NEIGH_UPDATE_F_OVERRIDE)


def ndisc_recv_na(skb: "SkBuff", dev: "NetDevice", off: int) -> None:
    net = dev.net
    d = skb.data
    daddr = ipaddress.IPv6Address(bytes(d[38:54]))
    flags = d[off + 4]
    solicited = bool(flags & 0x40)
    override = bool(flags & 0x20)
    is_router = bool(flags & 0x80)
    target = ipaddress.IPv6Address(bytes(d[off + 8:off + 24]))
    if target.is_multicast or (daddr.is_multicast and solicited):
        core.drop(skb, "NOT_SPECIFIED", "ndisc_recv_na", dev)
        return
    lladdr = _options(bytes(d[off + 24:])).get(ND_OPT_TARGET_LL_ADDR)
    ifp = ipv6_get_ifaddr(dev, target)
    if ifp is not None:
        if ifp.tentative:
            addrconf.addrconf_dad_failure(dev, ifp, skb)
        elif skb.trace is not None:
            core.trace(skb, net, "ndisc_recv_na", "someone advertises our address",
                       target=str(target), dev=dev.name)
        return
    n = nd_tbl(net).lookup(target, dev)
    if n is None:
        if skb.trace is not None:
            core.trace(skb, net, "ndisc_recv_na", "unsolicited", target=str(target),
                       dev=dev.name, why="no neighbour entry waits for it")
        return
    upd = NEIGH_UPDATE_F_WEAK_OVERRIDE | (NEIGH_UPDATE_F_OVERRIDE if override else 0)
    if is_router:
        n.flags |= NTF_ROUTER
    else:
        n.flags &= ~NTF_ROUTER
    if skb.trace is not None:
        core.trace(skb, net, "ndisc_recv_na", "neighbour updated", neighbour=str(target),
                   dev=dev.name, state="REACHABLE" if solicited else "STALE")
    neighbour.neigh_update(n, bytes(lladdr) if lladdr is not None else None,
                           NUD_REACHABLE if solicited else NUD_STALE, upd)


# ndisc_init: nd_tbl's ops, what addrconf and ICMPv6 hand to neighbour discovery
icmpv6.register_ndisc_rcv(ndisc_rcv)
addrconf.addrconf_ndisc.send_ns = ndisc_send_ns
neighbour.nd_tbl_ops.constructor = ndisc_constructor
neighbour.nd_tbl_ops.solicit = ndisc_solicit
neighbour.nd_tbl_ops.error_report = ndisc_error_report
