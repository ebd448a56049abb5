"""The routes addresses and devices make (net/ipv4/fib_frontend.c, fib_semantics.c).

fib_add_ifaddr puts an address's local and broadcast routes in `local` and its
prefix in `main`; fib_del_ifaddr takes them away when the last address that
needs them goes; device events mark nexthops dead (down, unregister) or
linkdown (carrier lost) and flush what died, exactly when Linux's do: local
routes (host scope) survive `ip link set DEV down`, the others do not. The FIB
listens to devinet's inetaddr chain and to the core's netdevice notifier
(ip_fib_init).
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Optional

from . import core, devinet, neighbour
from .devinet import IFA_F_NOPREFIXROUTE, inet_ifa_byprefix
from .fib import (NLM_F_APPEND, NLM_F_CREATE, RT_TABLE_LOCAL, RT_TABLE_MAIN, RTN_BROADCAST,
                  RTN_LOCAL, RTN_UNICAST, RTNH_F_DEAD, RTPROT_KERNEL, RTNH_F_LINKDOWN, FibConfig, FibError, fib_new_table,
                  fib_table_delete, fib_table_insert, inet_addr_type_table)
from .inet import RT_SCOPE_HOST, RT_SCOPE_LINK, RT_SCOPE_NOWHERE, is_zeronet
from .netdev import IFF_LOOPBACK, IFF_LOWER_UP, IFF_RUNNING, IFF_UP

if TYPE_CHECKING:  # pragma: no cover
    from .devinet import InIfaddr
    from .netdev import NetDevice
    from .netns import Net


def fib_magic(net: "Net", add: bool, rtype: int, dst: int, dst_len: int, ifa: "InIfaddr",
              rt_priority: int = 0) -> None:
    """The kernel adding or removing one of its own routes for an address."""
    dev = ifa.in_dev.dev
    tb_id = RT_TABLE_MAIN if rtype == RTN_UNICAST else RT_TABLE_LOCAL
    tb = fib_new_table(net, tb_id)
    cfg = FibConfig(type=rtype, dst=dst, dst_len=dst_len, priority=rt_priority,
                    prefsrc=ifa.local, oif=dev.ifindex, protocol=RTPROT_KERNEL,
                    scope=RT_SCOPE_HOST if rtype == RTN_LOCAL else RT_SCOPE_LINK,
                    table=tb_id, nlflags=NLM_F_CREATE | NLM_F_APPEND)
    try:
        if add:
            fib_table_insert(net, tb, cfg)
        else:
            fib_table_delete(net, tb, cfg)
    except FibError:
        pass


# ---------------------------------------------------------------- addresses -> routes

def fib_add_ifaddr(ifa: "InIfaddr") -> None:
    in_dev = ifa.in_dev
    dev = in_dev.dev
    net = dev.net
    prim = ifa
    mask = ifa.mask
    addr = ifa.local
    prefix = ifa.address & mask
    if ifa.secondary:
        prim = inet_ifa_byprefix(in_dev, prefix, mask)
        if prim is None:
            return
    fib_magic(net, True, RTN_LOCAL, addr, 32, prim)
    if not dev.flags & IFF_UP:
        return
    if ifa.broadcast and ifa.broadcast != 0xFFFFFFFF:
        fib_magic(net, True, RTN_BROADCAST, ifa.broadcast, 32, prim)
    if not is_zeronet(prefix) and not ifa.secondary and (prefix != addr or ifa.prefixlen < 32):
        if not ifa.flags & IFA_F_NOPREFIXROUTE:
            fib_magic(net, True, RTN_LOCAL if dev.flags & IFF_LOOPBACK else RTN_UNICAST,
                      prefix, ifa.prefixlen, prim, ifa.rt_priority)
        if ifa.prefixlen < 31:
            fib_magic(net, True, RTN_BROADCAST, prefix | (~mask & 0xFFFFFFFF), 32, prim)


def fib_del_ifaddr(ifa: "InIfaddr", iprim: Optional["InIfaddr"]) -> None:
    in_dev = ifa.in_dev
    dev = in_dev.dev
    net = dev.net
    brd = ifa.address | (~ifa.mask & 0xFFFFFFFF)
    anyp = ifa.address & ifa.mask
    LOCAL_OK, BRD_OK, BRD0_OK, BRD1_OK = 1, 2, 4, 8
    ok = 0
    subnet = False
    gone = True
    same_prefsrc = False
    prim = ifa
    prim1 = None
    if ifa.secondary:
        prim = inet_ifa_byprefix(in_dev, anyp, ifa.mask)
        if prim is None:
            return
        if iprim is not None and iprim is not prim:
            return
    elif not is_zeronet(anyp) and (anyp != ifa.local or ifa.prefixlen < 32):
        if not ifa.flags & IFA_F_NOPREFIXROUTE:
            fib_magic(net, False, RTN_LOCAL if dev.flags & IFF_LOOPBACK else RTN_UNICAST,
                      anyp, ifa.prefixlen, prim)
        subnet = True
    if not in_dev.dead:
        for ifa1 in in_dev.ifa_list:
            if ifa1 is ifa:
                gone = False
                continue
            if iprim is not None and ifa1.mask == iprim.mask and iprim.match(ifa1.address):
                continue
            if ifa1.secondary:
                if ifa1.mask == prim.mask and prim.match(ifa1.address):
                    prim1 = prim
                else:
                    if not same_prefsrc:
                        continue
                    if prim1 is None or ifa1.mask != prim1.mask or not prim1.match(ifa1.address):
                        prim1 = inet_ifa_byprefix(in_dev, ifa1.address, ifa1.mask)
                    if prim1 is None:
                        continue
                    if prim1.local != prim.local:
                        continue
            else:
                if prim.local != ifa1.local:
                    continue
                prim1 = ifa1
                if prim is not prim1:
                    same_prefsrc = True
            if ifa.local == ifa1.local:
                ok |= LOCAL_OK
            if ifa.broadcast == ifa1.broadcast:
                ok |= BRD_OK
            if brd == ifa1.broadcast:
                ok |= BRD1_OK
            if anyp == ifa1.broadcast:
                ok |= BRD0_OK
            if prim1 is ifa1 and ifa1.prefixlen < 31:
                brd1 = ifa1.address | (~ifa1.mask & 0xFFFFFFFF)
                any1 = ifa1.address & ifa1.mask
                if not is_zeronet(any1):
                    if ifa.broadcast in (brd1, any1):
                        ok |= BRD_OK
                    if brd in (brd1, any1):
                        ok |= BRD1_OK
                    if anyp in (brd1, any1):
                        ok |= BRD0_OK
    if not ok & BRD_OK:
        fib_magic(net, False, RTN_BROADCAST, ifa.broadcast, 32, prim)
    if subnet and ifa.prefixlen < 31:
        if not ok & BRD1_OK:
            fib_magic(net, False, RTN_BROADCAST, brd, 32, prim)
        if not ok & BRD0_OK:
            fib_magic(net, False, RTN_BROADCAST, anyp, 32, prim)
    if not ok & LOCAL_OK:
        fib_magic(net, False, RTN_LOCAL, ifa.local, 32, prim)
        if gone and inet_addr_type_table(net, ifa.local, dev) != RTN_LOCAL:
            if fib_sync_down_addr(net, dev, ifa.local):
                fib_flush(net)


def fib_inetaddr_event_up(ifa: "InIfaddr") -> None:
    fib_add_ifaddr(ifa)
    dev = ifa.in_dev.dev
    fib_sync_up(dev, RTNH_F_DEAD)
    dev.net.dev_addr_genid += 1
    dev.net.rt_cache_flush()


def fib_inetaddr_event_down(ifa: "InIfaddr") -> None:
    fib_del_ifaddr(ifa, None)
    in_dev = ifa.in_dev
    net = in_dev.dev.net
    net.dev_addr_genid += 1
    if not in_dev.ifa_list:
        fib_disable_ip(in_dev.dev, "down", force=True)
    else:
        net.rt_cache_flush()


def fib_inetaddr_event(event: str, ifa: "InIfaddr", iprim: Optional["InIfaddr"]) -> None:
    """fib_inetaddr_event, with __inet_del_ifa's direct calls around a promotion."""
    if event == devinet.NETDEV_UP:
        fib_inetaddr_event_up(ifa)
    elif event == devinet.NETDEV_DOWN:
        fib_inetaddr_event_down(ifa)
    elif event == devinet.PROMOTE_DEL:
        fib_del_ifaddr(ifa, iprim)
    elif event == devinet.PROMOTE_ADD:
        fib_add_ifaddr(ifa)


# ---------------------------------------------------------------- device events

def _routes_via(net: "Net", dev: "NetDevice"):
    for tb in net.fib_tables.values():
        for fa in list(tb.aliases()):
            if any(nh.dev is dev for nh in fa.info.nhs):
                yield tb, fa


def fib_sync_down_dev(dev: "NetDevice", event: str, force: bool) -> int:
    """Mark nexthops through `dev` dead (down/unregister) or linkdown (carrier loss)."""
    net = dev.net
    scope = -1 if force else RT_SCOPE_NOWHERE
    ret = 0
    seen: set[int] = set()
    for tb, fa in list(_routes_via(net, dev)):
        fi = fa.info
        if id(fi) in seen:
            continue
        seen.add(id(fi))
        dead = 0
        changed = False
        for nh in fi.nhs:
            if nh.flags & RTNH_F_DEAD:
                dead += 1
            elif nh.dev is dev and nh.scope != scope:
                if event in ("down", "unregister"):
                    nh.flags |= RTNH_F_DEAD
                nh.flags |= RTNH_F_LINKDOWN
                changed = True
                dead += 1
        if dead == len(fi.nhs):
            if event in ("down", "unregister"):
                fi.flags |= RTNH_F_DEAD
            fi.flags |= RTNH_F_LINKDOWN
            ret += 1
        if changed:
            net.route_changed(tb.id, fa, "change")
    return ret


def fib_sync_up(dev: "NetDevice", nh_flags: int) -> int:
    if not dev.is_up:
        return 0
    if nh_flags & RTNH_F_DEAD:
        if dev.get_flags() & (IFF_RUNNING | IFF_LOWER_UP):
            nh_flags |= RTNH_F_LINKDOWN
    net = dev.net
    ret = 0
    seen: set[int] = set()
    for tb, fa in list(_routes_via(net, dev)):
        fi = fa.info
        if id(fi) in seen:
            continue
        seen.add(id(fi))
        alive = 0
        changed = False
        for nh in fi.nhs:
            if not nh.flags & nh_flags:
                alive += 1
                continue
            if nh.dev is None or not nh.dev.is_up:
                continue
            if nh.dev is not dev or dev.in_dev is None:
                continue
            alive += 1
            nh.flags &= ~nh_flags
            changed = True
        if alive > 0:
            fi.flags &= ~nh_flags
            ret += 1
        if changed:
            net.route_changed(tb.id, fa, "change")
    return ret


def fib_sync_down_addr(net: "Net", dev: "NetDevice", local: int) -> int:
    ret = 0
    for tb in net.fib_tables.values():
        for fa in tb.aliases():
            if fa.info.prefsrc == local and not fa.info.dead:
                fa.info.flags |= RTNH_F_DEAD
                ret += 1
    return ret


def fib_flush(net: "Net") -> None:
    """Remove every alias whose fib_info died."""
    for tb in net.fib_tables.values():
        for fa in list(tb.aliases()):
            if fa.info.flags & RTNH_F_DEAD:
                lst = tb.by_len[fa.dst_len][fa.dst]
                lst.remove(fa)
                tb._prune(fa.dst, fa.dst_len)
                fa.info.dead = True
                net.route_changed(tb.id, fa, "del")
    net.rt_cache_flush()


def fib_disable_ip(dev: "NetDevice", event: str, force: bool) -> None:
    if fib_sync_down_dev(dev, event, force):
        fib_flush(dev.net)
    else:
        dev.net.rt_cache_flush()
    neighbour.neigh_ifdown(dev.net, dev)


def fib_netdev_up(dev: "NetDevice") -> None:
    if dev.in_dev is None:
        return
    for ifa in list(dev.in_dev.ifa_list):
        fib_add_ifaddr(ifa)
    fib_sync_up(dev, RTNH_F_DEAD)
    dev.net.dev_addr_genid += 1
    dev.net.rt_cache_flush()


def fib_netdev_change(dev: "NetDevice") -> None:
    """NETDEV_CHANGE: carrier came or went."""
    if dev.in_dev is None:
        return
    if dev.get_flags() & (IFF_RUNNING | IFF_LOWER_UP):
        fib_sync_up(dev, RTNH_F_LINKDOWN)
    else:
        fib_sync_down_dev(dev, "change", False)
    dev.net.rt_cache_flush()


def fib_netdev_event(event: str, dev: "NetDevice") -> None:
    """fib_netdev_event: the FIB's netdevice notifier (carrier changes)."""
    if event == core.NETDEV_CHANGE:
        fib_netdev_change(dev)


# ip_fib_init: the FIB hears of address and device events
devinet.register_inetaddr_notifier(fib_inetaddr_event)
# Priority 1: the FIB hears of a carrier change before ARP's eviction (priority 0),
# the order this model has always used (notifier_block.priority, higher first).
core.register_netdevice_notifier(fib_netdev_event, priority=1)
