"""The IPv4 forwarding information base (net/ipv4/fib_*.c).

Tables `local` (255), `main` (254) and `default` (253), looked up in that
order as the default rules do. Within a table, longest prefix first; at one
prefix, aliases in (tos, metric) order; an alias is usable when its scope is
wide enough and a nexthop is alive (not dead, not linkdown when ignored, and
through the requested output device). A table that has nothing usable at the
longest prefix falls back to shorter ones, as fib_table_lookup backtracks.

The routes the kernel adds by itself (fib_add_ifaddr, fib_del_ifaddr, the
device events) are in fib_frontend.py, which listens to address and device
events; this module is the tables, lookups, inserts and deletes, and
fib_validate_source.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Optional

from .devinet import find_local_ifa
from .inet import (RT_SCOPE_HOST, RT_SCOPE_LINK, RT_SCOPE_NOWHERE, RT_SCOPE_UNIVERSE,
                   is_lbcast, is_multicast, is_zeronet, prefix_mask)

if TYPE_CHECKING:  # pragma: no cover
    from .netdev import NetDevice
    from .netns import Net

RTN_UNSPEC = 0
RTN_UNICAST = 1
RTN_LOCAL = 2
RTN_BROADCAST = 3
RTN_ANYCAST = 4
RTN_MULTICAST = 5
RTN_BLACKHOLE = 6
RTN_UNREACHABLE = 7
RTN_PROHIBIT = 8
RTN_THROW = 9
RTN_NAT = 10

RTN_NAMES = {RTN_UNSPEC: "none", RTN_UNICAST: "unicast", RTN_LOCAL: "local",
             RTN_BROADCAST: "broadcast", RTN_ANYCAST: "anycast", RTN_MULTICAST: "multicast",
             RTN_BLACKHOLE: "blackhole", RTN_UNREACHABLE: "unreachable",
             RTN_PROHIBIT: "prohibit", RTN_THROW: "throw", RTN_NAT: "nat"}

# fib_props: the error a lookup returns on hitting the type, and its scope.
FIB_PROPS = {
    RTN_UNSPEC: (None, RT_SCOPE_NOWHERE),
    RTN_UNICAST: (None, RT_SCOPE_UNIVERSE),
    RTN_LOCAL: (None, RT_SCOPE_HOST),
    RTN_BROADCAST: (None, RT_SCOPE_LINK),
    RTN_ANYCAST: (None, RT_SCOPE_LINK),
    RTN_MULTICAST: (None, RT_SCOPE_UNIVERSE),
    RTN_BLACKHOLE: ("EINVAL", RT_SCOPE_UNIVERSE),
    RTN_UNREACHABLE: ("EHOSTUNREACH", RT_SCOPE_UNIVERSE),
    RTN_PROHIBIT: ("EACCES", RT_SCOPE_UNIVERSE),
    RTN_THROW: ("EAGAIN", RT_SCOPE_UNIVERSE),
    RTN_NAT: ("EINVAL", RT_SCOPE_NOWHERE),
}

RT_TABLE_UNSPEC = 0
RT_TABLE_DEFAULT = 253
RT_TABLE_MAIN = 254
RT_TABLE_LOCAL = 255

RTPROT_UNSPEC = 0
RTPROT_REDIRECT = 1
RTPROT_KERNEL = 2
RTPROT_BOOT = 3
RTPROT_STATIC = 4

RTNH_F_DEAD = 1
RTNH_F_PERVASIVE = 2
RTNH_F_ONLINK = 4
RTNH_F_LINKDOWN = 16

NLM_F_REPLACE = 0x100
NLM_F_EXCL = 0x200
NLM_F_CREATE = 0x400
NLM_F_APPEND = 0x800

FIB_LOOKUP_IGNORE_LINKSTATE = 2


class FibError(Exception):
    """A failed FIB operation: errno name and, when the kernel sets one, extack text."""

    def __init__(self, errno: str, msg: str = ""):
        super().__init__(msg or errno)
        self.errno = errno
        self.msg = msg


@dataclass(eq=False)
class FibNh:
    dev: Optional["NetDevice"]
    gw: int = 0
    scope: int = RT_SCOPE_UNIVERSE
    flags: int = 0
    weight: int = 1
    saddr: int = 0
    saddr_genid: int = -1

    @property
    def oif(self) -> int:
        return self.dev.ifindex if self.dev is not None else 0

    def key(self):
        return (id(self.dev), self.gw, self.flags & RTNH_F_ONLINK, self.weight)


@dataclass(eq=False)
class FibInfo:
    protocol: int
    scope: int
    priority: int
    prefsrc: int
    nhs: list[FibNh]
    metrics: dict[str, int] = field(default_factory=dict)
    flags: int = 0
    dead: bool = False

    @property
    def nh(self) -> FibNh:
        return self.nhs[0]

    def same(self, other: "FibInfo") -> bool:
        """fib_find_info: would the kernel share one fib_info for both?"""
        return (self.protocol == other.protocol and self.scope == other.scope
                and self.priority == other.priority and self.prefsrc == other.prefsrc
                and self.metrics == other.metrics
                and [n.key() for n in self.nhs] == [n.key() for n in other.nhs])


@dataclass(eq=False)
class FibAlias:
    dst: int
    dst_len: int
    tos: int
    type: int
    info: FibInfo
    table: int


@dataclass
class FibResult:
    prefix: int
    prefixlen: int
    type: int
    scope: int
    fi: Optional[FibInfo]
    nh: Optional[FibNh]
    table: int
    alias: Optional[FibAlias] = None

    @property
    def dev(self) -> Optional["NetDevice"]:
        return self.nh.dev if self.nh is not None else None


@dataclass
class FibConfig:
    type: int = RTN_UNICAST
    dst: int = 0
    dst_len: int = 0
    tos: int = 0
    priority: int = 0
    prefsrc: int = 0
    oif: int = 0
    gw: int = 0
    protocol: int = RTPROT_BOOT
    scope: int = RT_SCOPE_UNIVERSE
    table: int = RT_TABLE_MAIN
    nlflags: int = NLM_F_CREATE | NLM_F_EXCL
    nh_flags: int = 0
    metrics: dict[str, int] = field(default_factory=dict)
    nexthops: list[tuple[int, int, int]] = field(default_factory=list)  # (oif, gw, weight)


class FibTable:
    """One routing table: {prefixlen: {key: [aliases in kernel order]}}."""

    def __init__(self, tb_id: int):
        self.id = tb_id
        self.by_len: dict[int, dict[int, list[FibAlias]]] = {}
        self._lens: list[int] = []

    def _leaf(self, dst: int, dst_len: int, create: bool) -> Optional[list[FibAlias]]:
        d = self.by_len.get(dst_len)
        if d is None:
            if not create:
                return None
            d = self.by_len[dst_len] = {}
            self._lens = sorted(self.by_len, reverse=True)
        lst = d.get(dst)
        if lst is None and create:
            lst = d[dst] = []
        return lst

    def _prune(self, dst: int, dst_len: int) -> None:
        d = self.by_len.get(dst_len)
        if d is not None and not d.get(dst, True):
            del d[dst]
            if not d:
                del self.by_len[dst_len]
                self._lens = sorted(self.by_len, reverse=True)

    def aliases(self):
        """All aliases in dump order (fib_trie key order; longer prefixes first at one key)."""
        keys = sorted({(dst, -plen) for plen, d in self.by_len.items() for dst in d})
        for dst, neg in keys:
            yield from self.by_len[-neg][dst]

    def __len__(self) -> int:
        return sum(len(lst) for d in self.by_len.values() for lst in d.values())


# ---------------------------------------------------------------- lookup

class Flow:
    """struct flowi4: what a route lookup is keyed on."""

    __slots__ = ("daddr", "saddr", "oif", "iif", "tos", "scope", "skip_nh_oif", "mark")

    def __init__(self, daddr: int, saddr: int = 0, oif: int = 0, iif: int = 0, tos: int = 0,
                 scope: int = RT_SCOPE_UNIVERSE, skip_nh_oif: bool = False):
        self.daddr = daddr
        self.saddr = saddr
        self.oif = oif
        self.iif = iif
        self.tos = tos
        self.scope = scope
        self.skip_nh_oif = skip_nh_oif
        self.mark = 0


def _good_nh(nh: FibNh, fl: Flow, fib_flags: int) -> bool:
    if nh.flags & RTNH_F_DEAD:
        return False
    if (nh.flags & RTNH_F_LINKDOWN and not fib_flags & FIB_LOOKUP_IGNORE_LINKSTATE
            and nh.dev is not None and nh.dev.in_dev is not None
            and nh.dev.in_dev.conf("ignore_routes_with_linkdown")):
        return False
    if not fl.skip_nh_oif and fl.oif and fl.oif != nh.oif:
        return False
    return True


def fib_table_lookup(tb: FibTable, fl: Flow, fib_flags: int = 0):
    """Longest prefix first; returns FibResult, an errno string (reject route), or None."""
    daddr = fl.daddr
    for plen in tb._lens:
        lst = tb.by_len[plen].get(daddr & prefix_mask(plen))
        if not lst:
            continue
        for fa in lst:
            if fa.tos and fa.tos != fl.tos:
                continue
            fi = fa.info
            if fi.dead:
                continue
            if fi.scope < fl.scope:
                continue
            err = FIB_PROPS[fa.type][0]
            if err is not None:
                return err
            if fi.flags & RTNH_F_DEAD:
                continue
            for nh in fi.nhs:
                if not _good_nh(nh, fl, fib_flags):
                    continue
                return FibResult(fa.dst, fa.dst_len, fa.type, fi.scope, fi, nh, tb.id, fa)
    return None


# __fib_lookup, the lookup through the rules: fib_rules.py registers it when it is
# loaded (fib4_rules_init), and only it gives a namespace its own rule list.
_fib_rules_lookup = None


def register_rules_lookup(lookup) -> None:
    """fib4_rules_init: the rules' lookup, for namespaces with rules of their own."""
    global _fib_rules_lookup
    _fib_rules_lookup = lookup


def fib_lookup(net: "Net", fl: Flow, fib_flags: int = 0):
    """The default rules: local, main, default. Returns FibResult or raises FibError."""
    if net.__dict__.get("fib_rules") is not None:    # policy routing (kernel/fib_rules.py)
        return _fib_rules_lookup(net, fl, fib_flags)
    for tb_id in (RT_TABLE_LOCAL, RT_TABLE_MAIN, RT_TABLE_DEFAULT):
        tb = net.fib_tables.get(tb_id)
        if tb is None:
            continue
        res = fib_table_lookup(tb, fl, fib_flags)
        if res is None or res == "EAGAIN":
            continue
        if isinstance(res, str):
            raise FibError(res)
        return res
    raise FibError("ENETUNREACH")


def inet_addr_type_table(net: "Net", addr: int, dev: Optional["NetDevice"] = None) -> int:
    """inet_addr_type_dev_table: what the local table says `addr` is.

    Despite its name the kernel's version does not filter by device (it passes
    NULL on to __inet_dev_addr_type): a local address on any device of the
    namespace is RTN_LOCAL. That is why a gratuitous ARP for a sibling's
    address never makes a neighbour entry, even with arp_accept=1.
    """
    if is_zeronet(addr) or is_lbcast(addr):
        return RTN_BROADCAST
    if is_multicast(addr):
        return RTN_MULTICAST
    tb = net.fib_tables.get(RT_TABLE_LOCAL)
    if tb is not None:
        res = fib_table_lookup(tb, Flow(addr))
        if isinstance(res, FibResult):
            return res.type
    return RTN_UNICAST


def inet_addr_type(net: "Net", addr: int) -> int:
    return inet_addr_type_table(net, addr, None)


# ---------------------------------------------------------------- insert / delete

def fib_new_table(net: "Net", tb_id: int) -> FibTable:
    tb = net.fib_tables.get(tb_id)
    if tb is None:
        tb = net.fib_tables[tb_id] = FibTable(tb_id)
    return tb


def _find_alias(lst: list[FibAlias], tos: int, prio: int) -> Optional[int]:
    """fib_find_alias on one prefix's aliases: index of the first (tos, prio) >= key."""
    for i, fa in enumerate(lst):
        if fa.tos > tos:
            continue
        if fa.info.priority >= prio or fa.tos < tos:
            return i
    return None


def fib_create_info(net: "Net", cfg: FibConfig) -> FibInfo:
    """fib_create_info + fib_check_nh: validate and resolve nexthops."""
    if cfg.type not in FIB_PROPS or cfg.type == RTN_UNSPEC:
        raise FibError("EINVAL", "Invalid route type")
    if FIB_PROPS[cfg.type][1] > cfg.scope:
        raise FibError("EINVAL", "Invalid scope")
    nhspecs = cfg.nexthops or [(cfg.oif, cfg.gw, 1)]
    nhs: list[FibNh] = []
    if FIB_PROPS[cfg.type][0] is not None:
        # reject routes: no nexthop to check
        nhs.append(FibNh(None, 0, RT_SCOPE_NOWHERE))
    elif cfg.scope > RT_SCOPE_HOST:
        raise FibError("EINVAL", "Invalid scope")
    elif cfg.scope == RT_SCOPE_HOST:
        oif, gw, _ = nhspecs[0]
        if len(nhspecs) != 1:
            raise FibError("EINVAL", "Route with host scope can not have multiple nexthops")
        if gw:
            raise FibError("EINVAL", "Route with host scope can not have a gateway")
        dev = net.dev_by_index(oif)
        if dev is None:
            raise FibError("ENODEV")
        nhs.append(FibNh(dev, 0, RT_SCOPE_NOWHERE))
    else:
        for oif, gw, weight in nhspecs:
            nhs.append(_check_nh(net, cfg, oif, gw, weight))
    fi = FibInfo(cfg.protocol, cfg.scope, cfg.priority, cfg.prefsrc, nhs, dict(cfg.metrics))
    if cfg.prefsrc:
        # fib_valid_prefsrc: the source must be a local address (checked in its table)
        if cfg.type != RTN_LOCAL or not cfg.dst or cfg.dst != cfg.prefsrc or cfg.dst_len != 32:
            if inet_addr_type_table(net, cfg.prefsrc, None) != RTN_LOCAL:
                raise FibError("EINVAL", "Invalid prefsrc address")
    return fi


def _check_nh(net: "Net", cfg: FibConfig, oif: int, gw: int, weight: int) -> FibNh:
    if gw:
        if cfg.nh_flags & RTNH_F_ONLINK:
            if cfg.scope >= RT_SCOPE_LINK:
                raise FibError("EINVAL", "Nexthop has invalid scope")
            dev = net.dev_by_index(oif)
            if dev is None:
                raise FibError("ENODEV", "Nexthop device required for onlink")
            if not dev.is_up:
                raise FibError("ENETDOWN", "Nexthop device is not up")
            if inet_addr_type_table(net, gw, dev) != RTN_UNICAST:
                raise FibError("EINVAL", "Nexthop has invalid gateway")
            nh = FibNh(dev, gw, RT_SCOPE_LINK, RTNH_F_ONLINK, weight)
            if not dev.carrier:
                nh.flags |= RTNH_F_LINKDOWN
            return nh
        scope = max(cfg.scope + 1, RT_SCOPE_LINK)
        fl = Flow(gw, oif=oif, iif=1, scope=scope)
        res = None
        if cfg.table and cfg.table != RT_TABLE_MAIN and cfg.table in net.fib_tables:
            r = fib_table_lookup(net.fib_tables[cfg.table], fl, FIB_LOOKUP_IGNORE_LINKSTATE)
            res = r if isinstance(r, FibResult) else None
        if res is None:
            try:
                res = fib_lookup(net, fl, FIB_LOOKUP_IGNORE_LINKSTATE)
            except FibError:
                raise FibError("ENETUNREACH", "Nexthop has invalid gateway")
        if res.type not in (RTN_UNICAST, RTN_LOCAL):
            raise FibError("EINVAL", "Nexthop has invalid gateway")
        dev = res.dev
        if dev is None:
            raise FibError("EINVAL", "No egress device for nexthop gateway")
        nh = FibNh(dev, gw, res.scope, 0, weight)
        if not dev.carrier:
            nh.flags |= RTNH_F_LINKDOWN
        if not dev.is_up:
            raise FibError("ENETDOWN")
        return nh
    dev = net.dev_by_index(oif)
    if dev is None or dev.in_dev is None:
        raise FibError("ENODEV")
    if not dev.is_up:
        raise FibError("ENETDOWN", "Device for nexthop is not up")
    nh = FibNh(dev, 0, RT_SCOPE_HOST, cfg.nh_flags & ~RTNH_F_ONLINK, weight)
    if not dev.carrier:
        nh.flags |= RTNH_F_LINKDOWN
    return nh


def fib_table_insert(net: "Net", tb: FibTable, cfg: FibConfig) -> None:
    fi = fib_create_info(net, cfg)
    lst = tb._leaf(cfg.dst, cfg.dst_len, create=False) or []
    idx = _find_alias(lst, cfg.tos, fi.priority)
    fa = lst[idx] if idx is not None else None
    insert_at: Optional[int] = None
    if fa is not None and fa.tos == cfg.tos and fa.info.priority == fi.priority:
        if cfg.nlflags & NLM_F_EXCL:
            raise FibError("EEXIST")
        first = idx
        match = None
        j = idx
        while j < len(lst):
            f = lst[j]
            if f.tos != cfg.tos or f.info.priority != fi.priority:
                break
            if f.type == cfg.type and f.info.same(fi):
                match = f
                break
            j += 1
        if cfg.nlflags & NLM_F_REPLACE:
            old = lst[first]
            if old.type == cfg.type and old.info.same(fi):
                return
            lst[first] = FibAlias(cfg.dst, cfg.dst_len, cfg.tos, cfg.type, fi, tb.id)
            net.route_changed(tb.id, lst[first], "new")
            return
        if match is not None:
            raise FibError("EEXIST")
        insert_at = j if cfg.nlflags & NLM_F_APPEND else first
    if not cfg.nlflags & NLM_F_CREATE:
        raise FibError("ENOENT")
    lst = tb._leaf(cfg.dst, cfg.dst_len, create=True)
    new = FibAlias(cfg.dst, cfg.dst_len, cfg.tos, cfg.type, fi, tb.id)
    if insert_at is None:
        insert_at = idx if idx is not None else len(lst)
    lst.insert(insert_at, new)
    net.route_changed(tb.id, new, "new")


def fib_nh_match(net: "Net", cfg: FibConfig, fi: FibInfo) -> bool:
    if cfg.priority and cfg.priority != fi.priority:
        return False
    if cfg.oif or cfg.gw:
        nh = fi.nhs[0]
        if cfg.oif and cfg.oif != nh.oif:
            return False
        if cfg.gw and cfg.gw != nh.gw:
            return False
    return True


def fib_table_delete(net: "Net", tb: FibTable, cfg: FibConfig) -> None:
    lst = tb._leaf(cfg.dst, cfg.dst_len, create=False)
    if not lst:
        raise FibError("ESRCH")
    start = _find_alias(lst, cfg.tos, 0)
    if start is None:
        raise FibError("ESRCH")
    victim = None
    for fa in lst[start:]:
        if fa.tos != cfg.tos:
            break
        fi = fa.info
        if ((not cfg.type or fa.type == cfg.type)
                and (cfg.scope == RT_SCOPE_NOWHERE or fi.scope == cfg.scope)
                and (not cfg.prefsrc or fi.prefsrc == cfg.prefsrc)
                and (not cfg.protocol or fi.protocol == cfg.protocol)
                and fib_nh_match(net, cfg, fi)):
            victim = fa
            break
    if victim is None:
        raise FibError("ESRCH")
    lst.remove(victim)
    tb._prune(cfg.dst, cfg.dst_len)
    net.route_changed(tb.id, victim, "del")


# ---------------------------------------------------------------- source validation

@dataclass
class ValidateResult:
    """What fib_validate_source decided and why, for the trace."""

    ok: bool
    errno: str = ""          # EINVAL (martian/local source) or EXDEV (rp_filter)
    rpf: int = 0
    accept_local: int = 0
    path: str = ""           # which branch decided: fast, local, strict, loose, ...
    back_dev: str = ""       # where the route back to the source leaves (strict refusals)


def fib_validate_source(net: "Net", src: int, dst: int, tos: int, oif: int,
                        dev: "NetDevice") -> ValidateResult:
    in_dev = dev.in_dev
    r = in_dev.conf("rp_filter")
    accept_local = in_dev.conf("accept_local")
    if not r and (dev.ifindex != oif or not in_dev.conf("send_redirects")):
        if accept_local:
            return ValidateResult(True, rpf=r, accept_local=accept_local, path="accept_local")
        if net.fib_has_custom_local_routes:
            return _full_validate(net, src, dst, tos, oif, dev, r, accept_local)
        if find_local_ifa(net, src) is not None:
            return ValidateResult(False, "EINVAL", r, accept_local, "local_source")
        return ValidateResult(True, rpf=r, accept_local=accept_local, path="fast")
    return _full_validate(net, src, dst, tos, oif, dev, r, accept_local)


def _full_validate(net: "Net", src: int, dst: int, tos: int, oif: int, dev: "NetDevice",
                   rpf: int, accept_local: int) -> ValidateResult:
    in_dev = dev.in_dev
    fl = Flow(src, dst, oif=0, iif=oif or 1, tos=tos)
    no_addr = not in_dev.ifa_list
    try:
        res = fib_lookup(net, fl)
    except FibError:
        if rpf:
            return ValidateResult(False, "EXDEV", rpf, accept_local, "no_route")
        return ValidateResult(True, rpf=rpf, accept_local=accept_local, path="no_route")
    if res.type != RTN_UNICAST and (res.type != RTN_LOCAL or not accept_local):
        return ValidateResult(False, "EINVAL", rpf, accept_local,
                              "local_source" if res.type == RTN_LOCAL else "bad_type")
    dev_match = any(nh.dev is dev for nh in res.fi.nhs) or (
        res.type == RTN_LOCAL and dev is net.loopback_dev)
    if dev_match:
        return ValidateResult(True, rpf=rpf, accept_local=accept_local, path="dev_match")
    if no_addr:
        if rpf:
            return ValidateResult(False, "EXDEV", rpf, accept_local, "no_addr")
        return ValidateResult(True, rpf=rpf, accept_local=accept_local, path="no_addr")
    if rpf == 1:
        back = res.fi.nhs[0].dev if res.fi.nhs else None
        return ValidateResult(False, "EXDEV", rpf, accept_local, "strict",
                              back.name if back is not None else "")
    fl.oif = dev.ifindex
    try:
        res = fib_lookup(net, fl, FIB_LOOKUP_IGNORE_LINKSTATE)
    except FibError:
        return ValidateResult(True, rpf=rpf, accept_local=accept_local, path="loose")
    return ValidateResult(True, rpf=rpf, accept_local=accept_local, path="loose")
