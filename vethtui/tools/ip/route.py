"""`ip route`: add/del/replace/append/change, and the dispatch to show, get, flush
(iproute2 6.1 ip/iproute.c; show and flush are route_show.py, get route_get.py)."""
from __future__ import annotations

from typing import TYPE_CHECKING, Optional

from ...kernel import fib as F
from ...kernel.inet import RT_SCOPE_HOST, RT_SCOPE_LINK, RT_SCOPE_NOWHERE, RT_SCOPE_UNIVERSE, prefix_mask
from ..base import Exit, Proc, matches
from . import common as c
from .common import AF_INET6, Args, IpOpts
from .route_get import get
from .route_show import show
from .rt_names import TYPE_WORDS, proto_a2n, table_a2n
# What other modules read from here (netview: format_route):
from .route_show import format_route  # noqa: F401

if TYPE_CHECKING:  # pragma: no cover
    from ...kernel.netns import Net

ROUTE_USAGE = """Usage: ip route { list | flush } SELECTOR
       ip route save SELECTOR
       ip route restore
       ip route showdump
       ip route get [ ROUTE_GET_FLAGS ] ADDRESS
                            [ from ADDRESS iif STRING ]
                            [ oif STRING ] [ tos TOS ]
                            [ mark NUMBER ] [ vrf NAME ]
                            [ uid NUMBER ] [ ipproto PROTOCOL ]
                            [ sport NUMBER ] [ dport NUMBER ]
       ip route { add | del | change | append | replace } ROUTE
SELECTOR := [ root PREFIX ] [ match PREFIX ] [ exact PREFIX ]
            [ table TABLE_ID ] [ vrf NAME ] [ proto RTPROTO ]
            [ type TYPE ] [ scope SCOPE ]
ROUTE := NODE_SPEC [ INFO_SPEC ]
NODE_SPEC := [ TYPE ] PREFIX [ tos TOS ]
             [ table TABLE_ID ] [ proto RTPROTO ]
             [ scope SCOPE ] [ metric METRIC ]
             [ ttl-propagate { enabled | disabled } ]
INFO_SPEC := { NH | nhid ID } OPTIONS FLAGS [ nexthop NH ]...
NH := [ encap ENCAPTYPE ENCAPHDR ] [ via [ FAMILY ] ADDRESS ]
      [ dev STRING ] [ weight NUMBER ] NHFLAGS
FAMILY := [ inet | inet6 | mpls | bridge | link ]
OPTIONS := FLAGS [ mtu NUMBER ] [ advmss NUMBER ] [ as [ to ] ADDRESS ]
           [ rtt TIME ] [ rttvar TIME ] [ reordering NUMBER ]
           [ window NUMBER ] [ cwnd NUMBER ] [ initcwnd NUMBER ]
           [ ssthresh NUMBER ] [ realms REALM ] [ src ADDRESS ]
           [ rto_min TIME ] [ hoplimit NUMBER ] [ initrwnd NUMBER ]
           [ features FEATURES ] [ quickack BOOL ] [ congctl NAME ]
           [ pref PREF ] [ expires TIME ] [ fastopen_no_cookie BOOL ]
TYPE := { unicast | local | broadcast | multicast | throw |
          unreachable | prohibit | blackhole | nat }
TABLE_ID := [ local | main | default | all | NUMBER ]
SCOPE := [ host | link | global | NUMBER ]
NHFLAGS := [ onlink | pervasive ]
RTPROTO := [ kernel | boot | static | NUMBER ]
PREF := [ low | medium | high ]
TIME := NUMBER[s|ms]
BOOL := [1|0]
FEATURES := ecn
ENCAPTYPE := [ mpls | ip | ip6 | seg6 | seg6local | rpl | ioam6 | xfrm ]
ENCAPHDR := [ MPLSLABEL | SEG6HDR | SEG6LOCAL | IOAM6HDR | XFRMINFO ]
SEG6HDR := [ mode SEGMODE ] segs ADDR1,ADDRi,ADDRn [hmac HMACKEYID] [cleanup]
SEGMODE := [ encap | encap.red | inline | l2encap | l2encap.red ]
SEG6LOCAL := action ACTION [ OPTIONS ] [ count ]
ACTION := { End | End.X | End.T | End.DX2 | End.DX6 | End.DX4 |
            End.DT6 | End.DT4 | End.DT46 | End.B6 | End.B6.Encaps |
            End.BM | End.S | End.AS | End.AM | End.BPF }
OPTIONS := OPTION [ OPTIONS ]
OPTION := { flavors FLAVORS | srh SEG6HDR | nh4 ADDR | nh6 ADDR | iif DEV | oif DEV |
            table TABLEID | vrftable TABLEID | endpoint PROGNAME }
FLAVORS := { FLAVOR[,FLAVOR] }
FLAVOR := { psp | usp | usd | next-csid }
IOAM6HDR := trace prealloc type IOAM6_TRACE_TYPE ns IOAM6_NAMESPACE size IOAM6_TRACE_SIZE
XFRMINFO := if_id IF_ID [ link_dev LINK ]
ROUTE_GET_FLAGS := [ fibmatch ]
"""


def usage(proc: Proc) -> None:
    proc.err(ROUTE_USAGE)
    raise Exit(255)


def do_iproute(proc: Proc, opts: IpOpts, argv: list[str]) -> int:
    if opts.family == AF_INET6 or (len(argv) > 1 and matches(argv[0], "get") and ":" in argv[1]):
        from . import route6
        return route6.do_iproute6(proc, opts, argv)
    if not argv:
        return show(proc, opts, Args(proc, []), flush=False)
    cmd = argv[0]
    rest = Args(proc, argv[1:])
    if matches(cmd, "add"):
        return modify(proc, opts, "add", rest)
    if matches(cmd, "change") or cmd == "chg":
        return modify(proc, opts, "change", rest)
    if matches(cmd, "replace"):
        return modify(proc, opts, "replace", rest)
    if matches(cmd, "prepend"):
        return modify(proc, opts, "prepend", rest)
    if matches(cmd, "append"):
        return modify(proc, opts, "append", rest)
    if matches(cmd, "test"):
        return modify(proc, opts, "test", rest)
    if matches(cmd, "delete"):
        return modify(proc, opts, "del", rest)
    if matches(cmd, "list") or matches(cmd, "show") or matches(cmd, "lst"):
        return show(proc, opts, rest, flush=False)
    if matches(cmd, "get"):
        return get(proc, opts, rest)
    if matches(cmd, "flush"):
        return show(proc, opts, rest, flush=True)
    if matches(cmd, "help"):
        usage(proc)
    proc.err(f'Command "{cmd}" is unknown, try "ip route help".\n')
    raise Exit(255)


# ---------------------------------------------------------------- add / del

class RouteReq:
    """What iproute_modify's parse loop gathers: the FibConfig, and what was said."""

    def __init__(self, cmd: str) -> None:
        cfg = self.cfg = F.FibConfig()
        if cmd == "del":
            cfg.protocol = 0
            cfg.scope = RT_SCOPE_NOWHERE
            cfg.type = 0
        else:
            cfg.protocol = F.RTPROT_BOOT
            cfg.scope = RT_SCOPE_UNIVERSE
            cfg.type = F.RTN_UNICAST
        cfg.nlflags = {"add": F.NLM_F_CREATE | F.NLM_F_EXCL, "change": F.NLM_F_REPLACE,
                       "replace": F.NLM_F_CREATE | F.NLM_F_REPLACE,
                       "prepend": F.NLM_F_CREATE, "append": F.NLM_F_CREATE | F.NLM_F_APPEND,
                       "test": F.NLM_F_EXCL, "del": 0}[cmd]
        self.dst: Optional[c.Prefix] = None
        self.gw_ok = self.nhs_ok = self.type_ok = self.scope_set = self.table_set = False
        self.dev_name: Optional[str] = None
        self.nexthops: list[tuple[str, int, int]] = []


def _inet_addr(proc: Proc, v: str) -> int:
    addr = c.get_addr(v)
    if addr is None:
        proc.err(f'Error: inet address is expected rather than "{v}".\n')
        raise Exit(1)
    return addr


def _any_prefix(proc: Proc, v: str) -> c.Prefix:
    p = c.get_prefix(v)
    if p is None:
        proc.err(f'Error: any valid prefix is expected rather than "{v}".\n')
        raise Exit(1)
    return p


# iproute_modify's keywords, in the order of its chain (see common.Keywords)
_KEYWORDS = c.Keywords()


@_KEYWORDS.on("src")
def _src(proc: Proc, args: Args, r: RouteReq) -> None:
    r.cfg.prefsrc = _inet_addr(proc, args.next())


@_KEYWORDS.on("as")
def _as(proc: Proc, args: Args, r: RouteReq) -> None:
    if args.next() == "to":
        args.next()


@_KEYWORDS.on("via")
def _via(proc: Proc, args: Args, r: RouteReq) -> None:
    v = args.next()
    if v in ("inet", "inet6", "mpls", "link"):
        v = args.next()
    if r.gw_ok:
        c.invarg(proc, "use nexthop syntax to specify multiple via\n", v)
    r.cfg.gw = _inet_addr(proc, v)
    r.gw_ok = True


@_KEYWORDS.on("from")
def _from(proc: Proc, args: Args, r: RouteReq) -> None:
    _any_prefix(proc, args.next())


@_KEYWORDS.on("tos", prefix=("dsfield",))
def _tos(proc: Proc, args: Args, r: RouteReq) -> None:
    v = args.next()
    n = c.get_unsigned(v)
    if n is None or n > 255:
        c.invarg(proc, '"tos" value is invalid\n', v)
    r.cfg.tos = n


@_KEYWORDS.on(prefix=("expires",))
def _skip_value(proc: Proc, args: Args, r: RouteReq) -> None:
    args.next()


@_KEYWORDS.on(prefix=("metric", "priority", "preference"))
def _metric(proc: Proc, args: Args, r: RouteReq) -> None:
    v = args.next()
    n = c.get_unsigned(v)
    if n is None or n > 0xFFFFFFFF:
        c.invarg(proc, '"metric" value is invalid\n', v)
    r.cfg.priority = n


@_KEYWORDS.on("scope")
def _scope(proc: Proc, args: Args, r: RouteReq) -> None:
    v = args.next()
    sc = c.scope_a2n(v)
    if sc is None:
        c.invarg(proc, "invalid \"scope\" value\n", v)
    r.cfg.scope = sc
    r.scope_set = True


@_KEYWORDS.on("dev", "oif")
def _dev(proc: Proc, args: Args, r: RouteReq) -> None:
    r.dev_name = args.next()


@_KEYWORDS.on("mtu")
def _mtu(proc: Proc, args: Args, r: RouteReq) -> None:
    v = args.next()
    if v == "lock":
        v = args.next()
    n = c.get_unsigned(v)
    if n is None:
        c.invarg(proc, '"mtu" value is invalid\n', v)
    r.cfg.metrics["mtu"] = n


_KEYWORDS.on("advmss", "hoplimit", "window", "cwnd", "initcwnd", "initrwnd", "rtt", "rttvar",
             "reordering", "ssthresh", "realms", "rto_min", "features", "quickack", "congctl",
             "pref", "fastopen_no_cookie", "ttl-propagate", "encap", "nhid")(_skip_value)


@_KEYWORDS.on("onlink", "pervasive")
def _nh_flag(proc: Proc, args: Args, r: RouteReq) -> None:
    r.cfg.nh_flags |= F.RTNH_F_ONLINK if args.cur == "onlink" else F.RTNH_F_PERVASIVE


@_KEYWORDS.on("nexthop")
def _nexthop(proc: Proc, args: Args, r: RouteReq) -> bool:
    """`nexthop NH [nexthop NH]...`: the rest of the line is the hops."""
    r.nhs_ok = True
    args.advance()
    r.nexthops = _parse_nexthops(proc, args)
    return True


@_KEYWORDS.on(prefix=("protocol",))
def _protocol(proc: Proc, args: Args, r: RouteReq) -> None:
    v = args.next()
    n = proto_a2n(v)
    if n is None:
        c.invarg(proc, '"protocol" value is invalid\n', v)
    r.cfg.protocol = n


@_KEYWORDS.on(prefix=("table",))
def _table(proc: Proc, args: Args, r: RouteReq) -> None:
    v = args.next()
    t = table_a2n(v)
    if t is None:
        c.invarg(proc, '"table" value is invalid\n', v)
    r.cfg.table = t
    r.table_set = True


_KEYWORDS.on(prefix=("vrf",))(_skip_value)


def _to(proc: Proc, args: Args, r: RouteReq) -> None:
    """The chain's last else: `[to] [TYPE] PREFIX`, or `help`."""
    a = args.cur
    if a == "to":
        a = args.next()
    if a in TYPE_WORDS and not r.type_ok:
        r.cfg.type = TYPE_WORDS[a]
        r.type_ok = True
        a = args.next()
    if matches(a, "help"):
        usage(proc)
    if r.dst is not None:
        c.duparg2(proc, "to", a)
    r.dst = _any_prefix(proc, a)


def _resolve(proc: Proc, net: "Net", r: RouteReq) -> bool:
    """The devices named, as indexes into cfg (False: one does not exist, said so)."""
    cfg = r.cfg
    oif = 0
    if r.dev_name is not None:
        dev = net.dev_by_name(r.dev_name)
        if dev is None:
            proc.err(f'Cannot find device "{r.dev_name}"\n')
            return False
        oif = dev.ifindex
    cfg.oif = oif
    if r.nexthops:
        resolved = []
        for name, gw, weight in r.nexthops:
            o = 0
            if name:
                d = net.dev_by_name(name)
                if d is None:
                    proc.err(f'Cannot find device "{name}"\n')
                    return False
                o = d.ifindex
            resolved.append((o, gw, weight))
        cfg.nexthops = resolved
    return True


def _default_scope_and_table(r: RouteReq, is_del: bool) -> None:
    """What iproute_modify fills in when the line did not say: a scope from the type
    (and link scope for a unicast route without a gateway), the local table for
    local, broadcast, nat and anycast routes; `del` looks in main."""
    cfg = r.cfg
    if is_del:
        if not r.table_set:
            cfg.table = F.RT_TABLE_MAIN
        return
    if cfg.type in (F.RTN_LOCAL, F.RTN_NAT):
        if not r.scope_set:
            cfg.scope = RT_SCOPE_HOST
    elif cfg.type in (F.RTN_BROADCAST, F.RTN_MULTICAST, F.RTN_ANYCAST):
        if not r.scope_set:
            cfg.scope = RT_SCOPE_LINK
    elif cfg.type in (F.RTN_UNICAST, 0):
        if not r.scope_set and not r.gw_ok and not r.nhs_ok:
            cfg.scope = RT_SCOPE_LINK
    if not r.table_set and cfg.type in (F.RTN_LOCAL, F.RTN_BROADCAST, F.RTN_NAT, F.RTN_ANYCAST):
        cfg.table = F.RT_TABLE_LOCAL


def modify(proc: Proc, opts: IpOpts, cmd: str, args: Args) -> int:
    """iproute_modify: parse the route, then RTM_NEWROUTE / RTM_DELROUTE (fib_table_*)."""
    net = opts.net
    is_del = cmd == "del"
    r = RouteReq(cmd)
    _KEYWORDS.parse(proc, args, r, _to)
    dst = r.dst if r.dst is not None else c.Prefix(0, 0, True)
    cfg = r.cfg
    if not _resolve(proc, net, r):
        return 1
    cfg.dst = dst.addr
    cfg.dst_len = dst.plen
    _default_scope_and_table(r, is_del)
    # kernel-side checks (rtm_to_fib_config)
    if cfg.dst & ~prefix_mask(cfg.dst_len) & 0xFFFFFFFF:
        return c.rtnl_error(proc, "EINVAL", "Invalid prefix for given prefix length")
    if is_del:
        tb = net.fib_tables.get(cfg.table)
        if tb is None:
            return c.rtnl_error(proc, "ESRCH")
        try:
            F.fib_table_delete(net, tb, cfg)
        except F.FibError as err:
            return c.rtnl_error(proc, err.errno, err.msg)
        return 0
    if cmd == "test":
        return 0
    tb = F.fib_new_table(net, cfg.table)
    try:
        F.fib_table_insert(net, tb, cfg)
    except F.FibError as err:
        return c.rtnl_error(proc, err.errno, err.msg)
    return 0


def _parse_nexthops(proc: Proc, args: Args) -> list[tuple[str, int, int]]:
    out = []
    cur = ["", 0, 1]
    while args:
        a = args.cur
        if a == "nexthop":
            out.append(tuple(cur))
            cur = ["", 0, 1]
        elif a == "via":
            v = args.next()
            g = c.get_addr(v)
            if g is None:
                proc.err(f'Error: inet address is expected rather than "{v}".\n')
                raise Exit(1)
            cur[1] = g
        elif a == "dev":
            cur[0] = args.next()
        elif matches(a, "weight"):
            v = args.next()
            n = c.get_unsigned(v)
            if n is None or not 1 <= n <= 256:
                c.invarg(proc, '"weight" is invalid\n', v)
            cur[2] = n
        elif a in ("onlink", "pervasive"):
            pass
        args.advance()
    out.append(tuple(cur))
    return out
