"""Route resolution for output and input (net/ipv4/route.c).

`ip_route_output` is ip_route_output_key_hash_rcu: a local destination is
routed through `lo` but remembers the device of the local route (rt_iif), which
is why `ping -I veth0` to veth0's own address still counts as "from veth0";
with an output device set, a lookup that finds nothing assumes the
destination is on that link.

`ip_route_input` is ip_route_input_slow: martian checks, then local delivery
after fib_validate_source, forwarding only with forwarding=1, and otherwise an
"unreachable" route whose input is ip_error.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Optional

from . import fib
from .fib import (RTN_BROADCAST, RTN_LOCAL, RTN_MULTICAST, RTN_UNICAST, RTN_UNREACHABLE,
                  FibError, FibResult, Flow)
from .inet import (INADDR_LOOPBACK, RT_SCOPE_HOST, RT_SCOPE_LINK, RT_SCOPE_UNIVERSE,
                   is_lbcast, is_local_multicast, is_loopback, is_multicast, is_zeronet, ntoa)
from .devinet import find_local_ifa, inet_select_addr
from .netdev import IFF_LOOPBACK, IFF_UP
from .skb import DropReason
from .sysctl import conf_in_force

if TYPE_CHECKING:  # pragma: no cover
    from .netdev import NetDevice
    from .netns import Net
    from .skb import SkBuff

_TABLE_NAMES = {255: "local", 254: "main", 253: "default"}   # rt_table_names, for traces

RTCF_LOCAL = 0x80000000
RTCF_BROADCAST = 0x10000000
RTCF_MULTICAST = 0x20000000


class RouteError(Exception):
    def __init__(self, errno: str, detail: str = ""):
        super().__init__(errno)
        self.errno = errno
        self.detail = detail


@dataclass
class Rtable:
    """struct rtable: where a packet goes and how it got that answer."""

    type: int
    dev: "NetDevice"
    src: int = 0
    gw: int = 0
    flags: int = 0
    iif: int = 0           # rt_iif: for local output, the device of the local route
    is_input: bool = False
    input: str = "local"   # local, forward, error
    error: str = ""        # errno for ip_error
    res: Optional[FibResult] = None
    daddr: int = 0
    oif_requested: int = 0
    note: str = ""

    @property
    def local(self) -> bool:
        return bool(self.flags & RTCF_LOCAL)

    def __post_init__(self) -> None:
        # the route's mtu metric (0 for none), read once: dst_mtu is asked for every
        # packet sent, and a route's metrics never change (a change is a new route,
        # and the route caches are flushed)
        fi = self.res.fi if self.res is not None else None
        self.mtu_metric: int = (fi.metrics.get("mtu") or 0) if fi is not None else 0

    def mtu(self) -> int:
        """dst_mtu (ipv4_mtu): a path MTU learned for the destination while it lasts,
        else the route's mtu metric, else the device's."""
        net = self.dev.net
        if net.fnhe and not self.flags & RTCF_LOCAL:
            pmtu = fnhe_pmtu(net, self.daddr)
            if pmtu:
                return pmtu
        m = self.mtu_metric
        if m:
            return min(m, self.dev.mtu)
        return self.dev.mtu

    def nexthop(self, daddr: int) -> int:
        return self.gw or daddr

    def describe(self) -> str:
        """`unicast 10.0.0.2 dev veth1 src 10.0.0.1 (table main, 10.0.0.0/24)`, made once."""
        d = self.__dict__.get("_desc")
        if d is None:
            d = self.__dict__["_desc"] = self._describe()
        return d

    def _describe(self) -> str:
        parts = [fib.RTN_NAMES.get(self.type, str(self.type)), ntoa(self.daddr)]
        if self.gw:
            parts.append(f"via {ntoa(self.gw)}")
        parts.append(f"dev {self.dev.name}")
        if self.src:
            parts.append(f"src {ntoa(self.src)}")
        if self.res is not None and self.res.fi is not None:
            parts.append(f"(table {self.table_name}, {ntoa(self.res.prefix)}/{self.res.prefixlen})")
        return " ".join(parts)

    @property
    def table_name(self) -> str:
        """The table the answer came from, as ip route names it ("" for none)."""
        if self.res is None:
            return ""
        table = self.res.table
        return _TABLE_NAMES.get(table) or str(table)


# ---------------------------------------------------------------- path MTU (fnhe)

IP_RT_MTU_EXPIRES = 600.0       # net.ipv4.route.mtu_expires
IP_RT_MIN_PMTU = 552            # net.ipv4.route.min_pmtu


# net.fnhe: daddr -> [pmtu, expires, stale]. A route cache flush bumps the genid: the
# exception stays, stale, until a route lookup binds it again (rt_bind_exception), which
# then forgets its path MTU and expiry; a dump (ip route show cache) in between still
# shows what the old cached route held.

def fnhe_pmtu(net: "Net", daddr: int) -> int:
    """The path MTU a route exception holds for daddr, 0 when none or expired; a lookup,
    so a stale exception is reset here."""
    e = net.fnhe.get(daddr)
    if e is None:
        return 0
    if e[2]:
        e[:] = [0, 0.0, False]
        return 0
    if not e[0] or net.world.sched.now >= e[1]:
        return 0
    return e[0]


def ipv4_update_pmtu(net: "Net", daddr: int, saddr: int, mtu: int) -> None:
    """ipv4_update_pmtu -> __ip_rt_update_pmtu: a "fragmentation needed" about a packet
    to daddr lowers the path MTU there, in a route exception (update_or_create_fnhe)
    that expires after mtu_expires; never raised, never below min_pmtu (then locked)."""
    try:
        rt = ip_route_output(net, daddr, saddr, anysrc=True)
    except RouteError:
        return
    if rt.flags & RTCF_LOCAL:
        return
    old = rt.mtu()
    if old < mtu:
        return
    lock = False
    if mtu < IP_RT_MIN_PMTU:
        lock = True
        mtu = min(old, IP_RT_MIN_PMTU)
    now = net.world.sched.now
    e = net.fnhe.get(daddr)
    if e is not None and e[0] == mtu and not lock and now < e[1] - IP_RT_MTU_EXPIRES / 2:
        return
    net.fnhe[daddr] = [mtu, now + IP_RT_MTU_EXPIRES, False]


def fib_result_prefsrc(net: "Net", res: FibResult) -> int:
    fi = res.fi
    if fi.prefsrc:
        return fi.prefsrc
    nh = res.nh
    if nh.saddr_genid != net.dev_addr_genid:
        nh.saddr = inet_select_addr(nh.dev, nh.gw, fi.scope) if nh.dev is not None else 0
        nh.saddr_genid = net.dev_addr_genid
    return nh.saddr


def ip_route_output(net: "Net", daddr: int, saddr: int = 0, oif: int = 0, tos: int = 0,
                    scope: int = RT_SCOPE_UNIVERSE, anysrc: bool = False) -> Rtable:
    """Resolve an output route; raises RouteError(errno)."""
    key = (daddr, saddr, oif, tos, scope, anysrc)
    cache = net.rt_cache
    rt = cache.get(key)
    if rt is not None:
        return rt
    rt = _route_output(net, daddr, saddr, oif, tos, scope, anysrc)
    if len(cache) > 4096:
        cache.clear()
    cache[key] = rt
    return rt


def _route_output(net, daddr, saddr, oif, tos, scope, anysrc) -> Rtable:
    dev_out = None
    orig_oif = oif
    flags = 0
    res: Optional[FibResult] = None
    if saddr:
        if is_multicast(saddr) or is_lbcast(saddr) or is_zeronet(saddr):
            raise RouteError("EINVAL")
        if not oif and (is_multicast(daddr) or is_lbcast(daddr)):
            dev_out = _dev_find(net, saddr)
            if dev_out is None:
                raise RouteError("ENETUNREACH")
            oif = dev_out.ifindex
            return _mkroute_output(net, None, daddr, saddr, oif, orig_oif, dev_out, flags,
                                   RTN_BROADCAST if is_lbcast(daddr) else RTN_MULTICAST)
        if not anysrc and _dev_find(net, saddr) is None:
            raise RouteError("ENETUNREACH", "source address is not local")
    if oif:
        dev_out = net.dev_by_index(oif)
        if dev_out is None:
            raise RouteError("ENODEV")
        if not dev_out.flags & IFF_UP or dev_out.in_dev is None:
            raise RouteError("ENETUNREACH", f"{dev_out.name} is down")
        if is_local_multicast(daddr) or is_lbcast(daddr):
            if not saddr:
                saddr = inet_select_addr(dev_out, 0, RT_SCOPE_LINK)
            return _mkroute_output(net, None, daddr, saddr, oif, orig_oif, dev_out, flags,
                                   RTN_BROADCAST if is_lbcast(daddr) else RTN_MULTICAST)
        if not saddr:
            if is_multicast(daddr):
                saddr = inet_select_addr(dev_out, 0, scope)
            elif not daddr:
                saddr = inet_select_addr(dev_out, 0, RT_SCOPE_HOST)
    if not daddr:
        daddr = saddr or INADDR_LOOPBACK
        if not saddr:
            saddr = INADDR_LOOPBACK
        dev_out = net.loopback_dev
        rt = _mkroute_output(net, None, daddr, saddr, 1, orig_oif, dev_out, RTCF_LOCAL, RTN_LOCAL)
        return rt
    fl = Flow(daddr, saddr, oif, 1, tos, scope)
    try:
        res = fib.fib_lookup(net, fl)
    except FibError as err:
        if oif:
            # "Apparently, routing tables are wrong. Assume, that the destination is on link."
            if not saddr:
                saddr = inet_select_addr(dev_out, 0, RT_SCOPE_LINK)
            rt = _mkroute_output(net, None, daddr, saddr, oif, orig_oif, dev_out, flags, RTN_UNICAST)
            rt.note = "no route: assumed on-link because the output device is fixed"
            return rt
        raise RouteError(err.errno)
    if res.type == RTN_LOCAL:
        if not saddr:
            saddr = res.fi.prefsrc or daddr
        dev_out = net.loopback_dev
        orig_oif = res.nh.oif if res.nh is not None else 0
        return _mkroute_output(net, res, daddr, saddr, dev_out.ifindex, orig_oif, dev_out,
                               flags | RTCF_LOCAL, RTN_LOCAL)
    if not saddr:
        saddr = fib_result_prefsrc(net, res)
    dev_out = res.dev
    return _mkroute_output(net, res, daddr, saddr, oif, orig_oif, dev_out, flags, res.type)


def _dev_find(net: "Net", addr: int):
    """__ip_dev_find: the device holding local address `addr`, if any."""
    ifa = find_local_ifa(net, addr)
    return ifa.in_dev.dev if ifa is not None else None


def _mkroute_output(net, res, daddr, saddr, oif, orig_oif, dev_out, flags, rtype) -> Rtable:
    if dev_out.in_dev is None:
        raise RouteError("EINVAL")
    if is_loopback(saddr) and not dev_out.flags & IFF_LOOPBACK:
        raise RouteError("EINVAL")
    if is_lbcast(daddr):
        rtype = RTN_BROADCAST
    elif is_multicast(daddr):
        rtype = RTN_MULTICAST
    elif is_zeronet(daddr):
        raise RouteError("EINVAL")
    if dev_out.flags & IFF_LOOPBACK:
        flags |= RTCF_LOCAL
    if rtype == RTN_BROADCAST:
        flags |= RTCF_BROADCAST | RTCF_LOCAL
    elif rtype == RTN_MULTICAST:
        flags |= RTCF_MULTICAST
        if daddr == 0xE0000001:  # every interface is in 224.0.0.1 (ip_check_mc_rcu)
            flags |= RTCF_LOCAL
    gw = 0
    if res is not None and res.nh is not None and res.nh.gw and res.nh.scope == RT_SCOPE_LINK:
        gw = res.nh.gw
    elif res is not None and res.nh is not None and res.nh.gw:
        gw = res.nh.gw
    return Rtable(rtype, dev_out, src=saddr, gw=gw, flags=flags, iif=orig_oif, res=res,
                  daddr=daddr, oif_requested=oif)


# ---------------------------------------------------------------- input

@dataclass
class RouteInput:
    """The answer of ip_route_input: ok with a route, or the reason it refused."""

    ok: bool
    type: int = RTN_UNICAST
    rt: Optional[Rtable] = None
    drop_reason: str = ""
    errno: str = ""
    why: str = ""
    validate: Optional[fib.ValidateResult] = None
    detail: dict = field(default_factory=dict)

    @property
    def dev(self):
        return self.rt.dev if self.rt is not None else None

    def describe(self) -> str:
        if self.rt is not None:
            return self.rt.describe()
        return self.why or self.drop_reason

    def reason_text(self) -> str:
        return self.why or self.drop_reason or self.errno


def _validate_why(v: fib.ValidateResult, src: int, dev: "NetDevice") -> str:
    """fib_validate_source's refusal in words, naming the sysctls in force."""
    net, cnf, name = dev.net, dev.in_dev.cnf, dev.name
    if v.path == "local_source":
        return (f"source {ntoa(src)} is a local address and "
                f"{conf_in_force(net, cnf, 'accept_local', name)} on {name}; "
                f"{conf_in_force(net, cnf, 'rp_filter', name)} (fib_validate_source)")
    if v.errno == "EXDEV":
        mode = "strict" if v.rpf == 1 else "loose"
        back = f" but through {v.back_dev}" if v.back_dev else ""
        return (f"reverse path filter, {mode}: {conf_in_force(net, cnf, 'rp_filter', name)}; "
                f"the route back to {ntoa(src)} does not leave through {name}{back} "
                f"(fib_validate_source)")
    return f"invalid source {ntoa(src)} (fib_validate_source)"


def _source_refused(rtype: int, v: fib.ValidateResult, src: int,
                    dev: "NetDevice") -> RouteInput:
    """fib_validate_source said no to a packet for us: the reason ip_rcv_finish_core
    frees it with (rp_filter, a local source without accept_local, or invalid)."""
    reason = (DropReason.IP_RPFILTER if v.errno == "EXDEV"
              else DropReason.IP_LOCAL_SOURCE if v.path == "local_source"
              else DropReason.IP_INVALID_SOURCE)
    return RouteInput(False, rtype, drop_reason=reason, errno=v.errno, validate=v,
                      why=_validate_why(v, src, dev))


def ip_route_input(skb: Optional["SkBuff"], daddr: int, saddr: int, tos: int,
                   dev: "NetDevice", for_arp: bool = False) -> RouteInput:
    """ip_route_input_noref, with the answer remembered per (dst, src, tos, device).

    The kernel caches input routes in the nexthop (rth_input); here every
    change that could alter an answer (addresses, routes, links, any devconf
    write) empties the cache, so a cached answer is always the one the slow
    path would give.
    """
    cache = dev.net.rt_cache_in
    key = (daddr, saddr, tos, dev.ifindex, for_arp)
    rin = cache.get(key)
    if rin is None:
        rin = _route_input_slow(daddr, saddr, tos, dev, for_arp)
        if len(cache) > 4096:
            cache.clear()
        cache[key] = rin
    return rin


def _route_input_slow(daddr: int, saddr: int, tos: int, dev: "NetDevice",
                      for_arp: bool) -> RouteInput:
    net = dev.net
    in_dev = dev.in_dev
    if in_dev is None:
        return RouteInput(False, drop_reason=DropReason.NOT_SPECIFIED, errno="EINVAL",
                          why="IPv4 is not enabled on the device")
    if is_multicast(daddr):
        return _mc_input(net, saddr, daddr, tos, dev)
    if is_multicast(saddr) or is_lbcast(saddr):
        return RouteInput(False, drop_reason=DropReason.IP_INVALID_SOURCE, errno="EINVAL",
                          why=f"martian source {ntoa(saddr)}")
    if is_lbcast(daddr) or (saddr == 0 and daddr == 0):
        return _brd_input(net, saddr, daddr, tos, dev, for_arp)
    if is_zeronet(saddr):
        return RouteInput(False, drop_reason=DropReason.IP_INVALID_SOURCE, errno="EINVAL",
                          why=f"martian source {ntoa(saddr)}")
    if is_zeronet(daddr):
        return RouteInput(False, drop_reason=DropReason.IP_INVALID_DEST, errno="EINVAL",
                          why=f"martian destination {ntoa(daddr)}")
    localnet = in_dev.conf("route_localnet")
    if is_loopback(daddr):
        if not localnet:
            return RouteInput(False, drop_reason=DropReason.IP_LOCALNET, errno="EINVAL",
                              why=f"martian destination {ntoa(daddr)} (loopback, route_localnet=0)")
    elif is_loopback(saddr):
        if not localnet:
            return RouteInput(False, drop_reason=DropReason.IP_LOCALNET, errno="EINVAL",
                              why=f"martian source {ntoa(saddr)} (loopback, route_localnet=0)")
    fl = Flow(daddr, saddr, 0, dev.ifindex, tos)
    try:
        res = fib.fib_lookup(net, fl)
    except FibError as err:
        errno = err.errno if in_dev.conf("forwarding") else "EHOSTUNREACH"
        rt = Rtable(RTN_UNREACHABLE, dev, is_input=True, input="error", error=errno,
                    daddr=daddr)
        return RouteInput(True, RTN_UNREACHABLE, rt, errno=errno,
                          why=f"no route to {ntoa(daddr)}")
    if res.type == RTN_BROADCAST:
        return _brd_input(net, saddr, daddr, tos, dev, for_arp, res)
    if res.type == RTN_LOCAL:
        v = fib.fib_validate_source(net, saddr, daddr, tos, 0, dev)
        if not v.ok:
            return _source_refused(RTN_LOCAL, v, saddr, dev)
        rt = Rtable(RTN_LOCAL, res.dev or dev, src=daddr, flags=RTCF_LOCAL,
                    iif=dev.ifindex, is_input=True, input="local", res=res, daddr=daddr)
        return RouteInput(True, RTN_LOCAL, rt, validate=v)
    if not in_dev.conf("forwarding"):
        rt = Rtable(RTN_UNREACHABLE, dev, is_input=True, input="error", error="EHOSTUNREACH",
                    daddr=daddr, res=res)
        return RouteInput(True, RTN_UNREACHABLE, rt, errno="EHOSTUNREACH",
                          why=f"{ntoa(daddr)} is not local and forwarding is off on {dev.name}")
    if res.type != RTN_UNICAST:
        return RouteInput(False, res.type, drop_reason=DropReason.IP_INVALID_DEST,
                          errno="EINVAL", why=f"martian destination {ntoa(daddr)}")
    return _mkroute_input(net, res, daddr, saddr, tos, dev)


ALL_HOSTS = 0xE0000001   # 224.0.0.1: every IPv4 device with an address list joins it


def _mc_input(net, saddr, daddr, tos, dev) -> RouteInput:
    """ip_route_input_rcu for a multicast destination: only groups the device
    joined (ip_check_mc_rcu) are received; then ip_route_input_mc checks the source."""
    if daddr != ALL_HOSTS:
        return RouteInput(False, RTN_MULTICAST, drop_reason=DropReason.NOT_SPECIFIED,
                          errno="EINVAL",
                          why=f"{ntoa(daddr)} is a multicast group {dev.name} has not joined "
                              f"(ip_check_mc_rcu)")
    if is_lbcast(saddr) or is_multicast(saddr):
        return RouteInput(False, RTN_MULTICAST, drop_reason=DropReason.IP_INVALID_SOURCE,
                          errno="EINVAL", why=f"martian source {ntoa(saddr)}")
    if not is_zeronet(saddr):
        v = fib.fib_validate_source(net, saddr, 0, tos, 0, dev)
        if not v.ok:
            return _source_refused(RTN_MULTICAST, v, saddr, dev)
    rt = Rtable(RTN_MULTICAST, dev, flags=RTCF_MULTICAST | RTCF_LOCAL, iif=dev.ifindex,
                is_input=True, input="local", daddr=daddr)
    return RouteInput(True, RTN_MULTICAST, rt)


def _brd_input(net, saddr, daddr, tos, dev, for_arp, res=None) -> RouteInput:
    if for_arp:
        return RouteInput(False, RTN_BROADCAST, drop_reason=DropReason.NOT_SPECIFIED,
                          errno="EINVAL", why="broadcast target")
    if not is_zeronet(saddr):
        v = fib.fib_validate_source(net, saddr, 0, tos, 0, dev)
        if not v.ok:
            return _source_refused(RTN_BROADCAST, v, saddr, dev)
    rt = Rtable(RTN_BROADCAST, dev, flags=RTCF_BROADCAST | RTCF_LOCAL, iif=dev.ifindex,
                is_input=True, input="local", res=res, daddr=daddr)
    return RouteInput(True, RTN_BROADCAST, rt)


def _mkroute_input(net, res, daddr, saddr, tos, in_dev_dev) -> RouteInput:
    out_dev = res.dev
    if out_dev is None or out_dev.in_dev is None:
        return RouteInput(False, drop_reason=DropReason.NOT_SPECIFIED, errno="EINVAL",
                          why="no output device")
    v = fib.fib_validate_source(net, saddr, daddr, tos, out_dev.ifindex, in_dev_dev)
    if not v.ok:
        reason = DropReason.IP_RPFILTER if v.errno == "EXDEV" else DropReason.IP_INVALID_SOURCE
        return RouteInput(False, RTN_UNICAST, drop_reason=reason, errno=v.errno, validate=v,
                          why=_validate_why(v, saddr, in_dev_dev))
    gw = res.nh.gw if res.nh is not None else 0
    rt = Rtable(RTN_UNICAST, out_dev, gw=gw, iif=in_dev_dev.ifindex, is_input=True,
                input="forward", res=res, daddr=daddr)
    return RouteInput(True, RTN_UNICAST, rt, validate=v)
