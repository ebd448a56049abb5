"""IPv6 address configuration (net/ipv6/addrconf.c) as far as the lab needs it.

The labs are about IPv4, but a Linux host with IPv6 enabled shows ::1 on lo,
an EUI-64 link-local address on every link with carrier, kernel routes for
them, and it speaks on the wire as soon as a link comes up: duplicate address
detection (a neighbour solicitation from ::), MLDv2 reports for the
solicited-node group (mcast.py), router solicitations. This module models that
control plane so `ip -6 addr`, `ip -6 route` and a capture look like Linux:
adding and removing addresses and their routes, what NETDEV_UP/DOWN and
forwarding do, DAD and its failure (dadfailed), router solicitations, and source
selection (ipv6_dev_get_saddr).

Below it: addrconf_core.py (the address, nd_tbl, the lookups the data plane
makes), mcast.py (MLD) and ip6_route.py (routes, PMTU). The data plane is in
ip6_output.py, ipv6_raw.py, icmpv6.py, ndisc.py, reassembly.py and ip6_input.py,
each importing only those before it; what a lower module asks of a higher one goes
through a table the higher one fills when imported, as ndisc fills addrconf_ndisc.
"""
from __future__ import annotations

import ipaddress
from typing import TYPE_CHECKING, Callable, Optional

from . import core
from .addrconf_core import (ALL_ROUTERS, IFA_F_DADFAILED, IFA_F_NODAD, IFA_F_NOPREFIXROUTE,
                            IFA_F_TENTATIVE, Addr6, addrconf_xmit, enabled, eui64,
                            icmp6_packet, ip6_mc_frame, ipv6_chk_addr, nd_tbl, solicited_node)
from .ip6_route import Route6
from .mcast import ipv6_dev_mc_inc, ipv6_mc_dad_complete
from .neighbour import neigh_ifdown
from .netdev import IFF_LOOPBACK

if TYPE_CHECKING:  # pragma: no cover
    from .netdev import NetDevice
    from .netns import Net


# ---------------------------------------------------------------- addresses

def addrs(dev: "NetDevice") -> list[Addr6]:
    return dev.inet6


def add_address(dev: "NetDevice", a: Addr6) -> None:
    """ipv6_add_addr: newest first; DAD starts when the link can carry it."""
    net = dev.net
    if dev.ipv6_cnf.get("accept_dad", 1) > 0 and not a.flags & IFA_F_NODAD \
            and not dev.flags & IFF_LOOPBACK:
        a.flags |= IFA_F_TENTATIVE
    ipv6_link_dev_addr(dev, a)
    if a.plen < 128 and not a.flags & IFA_F_NOPREFIXROUTE and not a.addr.is_loopback:
        net_prefix = ipaddress.IPv6Network((a.addr, a.plen), strict=False)
        if not any(r.dev is dev and r.table == "main" and r.network() == net_prefix
                   for r in net.routes6):
            net.routes6.append(Route6(net_prefix.network_address, a.plen, dev))
    if dev.is_up:
        # addrconf_add_dev's multicast route (linkdown without carrier); one added while
        # the device is down is dead and never listed (measured: ip6_11, ip_17)
        _ensure_multicast_route(dev)
    if not a.tentative:
        _add_local_route(dev, a)
        addrconf_dad_completed(dev, a, dad_done=True)
    elif dev.is_up and dev.carrier:
        _start_dad(dev, a)
    net.notify_link(dev, "change")


def _scope_rank(a: Addr6) -> int:
    """__ipv6_addr_src_scope: 1 node-local (::1), 2 link-local, 14 global."""
    if a.addr.is_loopback:
        return 1
    if a.addr.is_link_local:
        return 2
    return 14


def ipv6_link_dev_addr(dev: "NetDevice", a: Addr6) -> None:
    """ipv6_link_dev_addr: before the first address of the same or a narrower scope
    (the newest first within a scope, wider scopes ahead)."""
    rank = _scope_rank(a)
    for i, other in enumerate(dev.inet6):
        if rank >= _scope_rank(other):
            dev.inet6.insert(i, a)
            return
    dev.inet6.append(a)


def _ensure_multicast_route(dev: "NetDevice") -> None:
    if dev.flags & IFF_LOOPBACK:
        return
    net = dev.net
    if not any(r.dev is dev and r.type == "multicast" for r in net.routes6):
        net.routes6.append(Route6(ipaddress.IPv6Address("ff00::"), 8, dev, table="local",
                                  rtype="multicast"))


def _add_local_route(dev: "NetDevice", a: Addr6) -> None:
    """The address is usable (DAD done): its local route, and on a router its
    subnet-router anycast address (__ipv6_ifa_notify's RTM_NEWADDR)."""
    net = dev.net
    if not any(r.table == "local" and r.type == "local" and r.dst == a.addr for r in net.routes6):
        net.routes6.append(Route6(a.addr, 128, dev, metric=0, table="local", rtype="local"))
    if dev.ipv6_cnf.get("forwarding"):
        addrconf_join_anycast(dev, a)


def addrconf_join_anycast(dev: "NetDevice", a: Addr6) -> None:
    """addrconf_join_anycast: a router answers its subnet-router anycast address (the
    prefix with a zero host part): an anycast route in the local table."""
    if a.addr.is_loopback or a.plen >= 128:
        return
    prefix = ipaddress.IPv6Network((a.addr, a.plen), strict=False).network_address
    if prefix == ipaddress.IPv6Address("::"):
        return
    net = dev.net
    if not any(r.type == "anycast" and r.dev is dev and r.dst == prefix for r in net.routes6):
        net.routes6.append(Route6(prefix, 128, dev, metric=0, table="local", rtype="anycast"))


def addrconf_leave_anycast(dev: "NetDevice", a: Addr6) -> None:
    if a.plen >= 128:
        return
    prefix = ipaddress.IPv6Network((a.addr, a.plen), strict=False).network_address
    if any(b is not a and not b.tentative and b.plen == a.plen and
           ipaddress.IPv6Network((b.addr, b.plen), strict=False).network_address == prefix
           for b in dev.inet6):
        return      # __ipv6_dev_ac_dec: another address of the prefix still holds it
    dev.net.routes6[:] = [r for r in dev.net.routes6
                          if not (r.type == "anycast" and r.dev is dev and r.dst == prefix)]


def dev_forward_change(dev: "NetDevice") -> None:
    """dev_forward_change: joining (leaving) all-routers and each usable address's
    subnet-router anycast address as forwarding turns on (off)."""
    if dev.net is None or dev.flags & IFF_LOOPBACK:
        return
    on = bool(dev.ipv6_cnf.get("forwarding"))
    for a in dev.inet6:
        if a.tentative:
            continue
        if on:
            addrconf_join_anycast(dev, a)
        else:
            addrconf_leave_anycast(dev, a)
    dev.net.notify_link(dev, "change")


def del_address(dev: "NetDevice", a: Addr6) -> None:
    net = dev.net
    if a in dev.inet6:
        dev.inet6.remove(a)
    if a.dad_timer is not None:
        a.dad_timer.cancel()
    net.routes6[:] = [r for r in net.routes6 if not (r.type == "local" and r.dst == a.addr)]
    if dev.ipv6_cnf.get("forwarding") and not a.tentative:
        addrconf_leave_anycast(dev, a)
    prefix = ipaddress.IPv6Network((a.addr, a.plen), strict=False)
    if not any(ipaddress.IPv6Network((b.addr, b.plen), strict=False) == prefix for b in dev.inet6):
        net.routes6[:] = [r for r in net.routes6
                          if not (r.dev is dev and r.table == "main" and r.proto == "kernel"
                                  and r.network() == prefix)]
    net.notify_link(dev, "change")


def flush_device(dev: "NetDevice") -> None:
    """addrconf_ifdown: every address and route of the device goes."""
    for a in list(dev.inet6):
        if a.dad_timer is not None:
            a.dad_timer.cancel()
    dev.inet6 = []
    net = dev.net
    if net is not None:
        net.routes6[:] = [r for r in net.routes6 if r.dev is not dev]
        neigh_ifdown(net, dev, tbl=nd_tbl(net))
    timer = getattr(dev, "_rs_timer", None)
    if timer is not None:
        timer.cancel()
        dev._rs_timer = None


def link_state(dev: "NetDevice") -> None:
    """NETDEV_UP / NETDEV_CHANGE / DOWN / disable_ipv6: what addrconf does."""
    if not dev.is_up or not enabled(dev):
        if dev.inet6 or any(r.dev is dev for r in (dev.net.routes6 if dev.net else [])):
            flush_device(dev)
            if dev.net is not None:
                dev.net.notify_link(dev, "change")
        return
    if dev.flags & IFF_LOOPBACK:
        if not any(a.addr.is_loopback for a in dev.inet6):
            add_address(dev, Addr6(ipaddress.IPv6Address("::1"), 128, 0, kernel=True))
        return
    if not dev.carrier:
        return
    if any(a.addr.is_link_local for a in dev.inet6):
        for a in dev.inet6:
            if a.tentative and a.dad_timer is None and not a.flags & IFA_F_DADFAILED:
                _start_dad(dev, a)
        return
    # the device becomes ready: addrconf_dev_config adds the multicast route and the
    # link-local address (its DAD starts), then addrconf_dad_run kicks every tentative
    # address again, in list order
    _ensure_multicast_route(dev)
    add_address(dev, Addr6(eui64(dev.mac), 64, 0, kernel=True))
    world = dev.net.world
    for a in list(dev.inet6):
        if not a.tentative or a.flags & IFA_F_DADFAILED:
            continue
        if a.dad_timer is None:
            _start_dad(dev, a)
            continue
        a.dad_timer.cancel()
        delay = world.rng.random() * dev.ipv6_cnf.get("router_solicitation_delay", 1)
        a.dad_timer = world.sched.call_later(delay, _dad_probe, dev, a, 0)


# ---------------------------------------------------------------- DAD, RS

def _start_dad(dev: "NetDevice", a: Addr6) -> None:
    """addrconf_dad_begin: join the solicited-node group, probe after a random delay."""
    world = dev.net.world
    ipv6_dev_mc_inc(dev, source_any=True)      # addrconf_join_solict
    # addrconf_dad_kick: a random delay below router_solicitation_delay (at least a jiffy)
    delay = world.rng.random() * dev.ipv6_cnf.get("router_solicitation_delay", 1)
    a.dad_timer = world.sched.call_later(delay, _dad_probe, dev, a, 0)


def _dad_probe(dev: "NetDevice", a: Addr6, sent: int) -> None:
    a.dad_timer = None
    if dev.dead or a not in dev.inet6 or not dev.is_up:
        return
    transmits = dev.ipv6_cnf.get("dad_transmits", 1)
    if sent >= transmits:
        a.flags &= ~IFA_F_TENTATIVE
        _add_local_route(dev, a)
        addrconf_dad_completed(dev, a, dad_done=True)
        dev.net.notify_link(dev, "change")
        return
    _send_ns(dev, a)
    a.dad_timer = dev.net.world.sched.call_later(
        dev.neigh_parms.sec("retrans_time") if dev.neigh_parms else 1.0, _dad_probe, dev, a, sent + 1)


def addrconf_dad_completed(dev: "NetDevice", a: Addr6, dad_done: bool) -> None:
    """addrconf_dad_completed for the link-local address: MLD's reports
    (ipv6_mc_dad_complete), then the first router solicitation goes at once (DAD
    already waited a random delay), the next after rtr_solicit_interval."""
    if not a.addr.is_link_local:
        return
    ipv6_mc_dad_complete(dev)
    if dev.ipv6_cnf.get("router_solicitations", -1) != 0 and not dev.ipv6_cnf.get("forwarding"):
        dev._rs_sent = 0
        dev._rs_interval = 0.0
        _send_rs(dev)


def _send_ns(dev: "NetDevice", a: Addr6) -> None:
    """addrconf_dad_work: a probe from :: to the address's solicited-node group, with a
    nonce option (RFC 7527) when enhanced_dad is on for all or the device."""
    nonce = None
    if dev.ipv6_cnf.get("enhanced_dad", 1) or dev.net.ipv6_all.get("enhanced_dad", 1):
        nonce = bytes(dev.net.world.rng.getrandbits(8) for _ in range(6))
    a.dad_nonce = nonce
    addrconf_ndisc.send_ns(dev, a.addr, solicited_node(a.addr), ipaddress.IPv6Address("::"),
                           nonce=nonce)


class AddrconfNdisc:
    """What addrconf asks of ndisc (ndisc_send_ns for DAD's probes); ndisc_init fills it,
    so that addrconf does not import ndisc."""

    send_ns: Callable = None  # type: ignore[assignment]


addrconf_ndisc = AddrconfNdisc()


def addrconf_dad_failure(dev: "NetDevice", a: Addr6, skb=None) -> None:
    """addrconf_dad_failure -> addrconf_dad_stop: another node holds the address; it
    stays on the device, tentative and dadfailed, never used."""
    if a.flags & IFA_F_DADFAILED:
        return
    if skb is not None and skb.trace is not None:
        core.trace(skb, dev.net, "addrconf_dad_failure", "duplicate", addr=str(a.addr),
                   dev=dev.name, why="another node answered for this tentative address")
    if a.dad_timer is not None:
        a.dad_timer.cancel()
        a.dad_timer = None
    a.flags |= IFA_F_DADFAILED | IFA_F_TENTATIVE
    dev.net.notify_link(dev, "change")


def _send_rs(dev: "NetDevice") -> None:
    dev._rs_timer = None
    if not dev.is_up or not dev.carrier or not enabled(dev):
        return
    ll = [a for a in dev.inet6 if a.addr.is_link_local and not a.tentative]
    if not ll:
        return
    src = ll[0].addr
    body = bytes([133, 0, 0, 0, 0, 0, 0, 0]) + bytes([1, 1]) + dev.mac
    frame = ip6_mc_frame(dev, src, ALL_ROUTERS, 58, icmp6_packet(src, ALL_ROUTERS, body), 255)
    addrconf_xmit(dev, frame, "router solicitation")
    dev._rs_sent = getattr(dev, "_rs_sent", 0) + 1
    limit = dev.ipv6_cnf.get("router_solicitations", -1)
    if limit < 0 or dev._rs_sent < limit:
        # rfc3315_s14_backoff_init / _update (RFC 7559): rtr_solicit_interval within
        # +-10%, then about twice the last, up to rtr_solicit_max_interval (+-10%)
        rng = dev.net.world.rng
        irt = float(dev.ipv6_cnf.get("router_solicitation_interval", 4))
        mrt = float(dev.ipv6_cnf.get("router_solicitation_max_interval", 3600))
        prev = getattr(dev, "_rs_interval", 0.0)
        if not prev:
            interval = irt * (0.9 + 0.2 * rng.random())
        else:
            interval = prev * (1.9 + 0.2 * rng.random())
            if interval > mrt:
                interval = mrt * (0.9 + 0.2 * rng.random())
        dev._rs_interval = interval
        dev._rs_timer = dev.net.world.sched.call_later(interval, _send_rs, dev)


# ---------------------------------------------------------------- source selection

def select_source(net: "Net", dev, dst: ipaddress.IPv6Address) -> Optional[ipaddress.IPv6Address]:
    """Source address selection, simply: a usable address on the device, matching scope."""
    cands = [a for a in dev.inet6 if not a.tentative]
    if dst.is_link_local or (dst.is_multicast and dst.packed[1] & 0x0F <= 2):
        cands = [a for a in cands if a.addr.is_link_local] or cands
    else:
        cands = [a for a in cands if not a.addr.is_link_local] or cands
    if not cands:
        return None
    for a in cands:
        if dst in ipaddress.IPv6Network((a.addr, a.plen), strict=False):
            return a.addr
    return cands[0].addr


def ipv6_dev_get_saddr(net: "Net", dev, daddr: ipaddress.IPv6Address
                       ) -> Optional[ipaddress.IPv6Address]:
    """ipv6_dev_get_saddr, as far as its rules matter here: the destination itself when
    it is ours, else a usable address of the output device of the destination's scope
    (link-local for link-local), the longest matching prefix first."""
    if ipv6_chk_addr(net, daddr, None):
        return daddr
    if dev is None:
        return None
    return select_source(net, dev, daddr)
