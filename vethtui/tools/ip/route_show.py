"""`ip route show` and `ip route flush`: iproute2 6.1 ip/iproute.c's print_route and
iproute_list_flush_or_save with its selector (filter), for IPv4."""
from __future__ import annotations

from typing import TYPE_CHECKING, Optional

from ...kernel import fib as F
from ...kernel.inet import RT_SCOPE_UNIVERSE, ntoa, prefix_mask
from ..base import Exit, Proc, matches
from . import common as c
from .common import Args, IpOpts
from .rt_names import PROTO_NAMES, TABLE_NAMES, TYPE_WORDS, proto_a2n, table_a2n

if TYPE_CHECKING:  # pragma: no cover
    from ...kernel.netns import Net


def usage(proc: Proc) -> None:
    from .route import usage
    usage(proc)


# ---------------------------------------------------------------- printing

def _filtered(sel: Optional["Selector"]) -> frozenset:
    """What print_route leaves out because the selector fixed it: `dev` (oifmask),
    `proto` (protocolmask), `scope` (scopemask), a gateway or source given as an
    address (rvia, rprefsrc of host length); `all` fixes nothing."""
    if sel is None:
        return frozenset()
    return frozenset(k for k, v in (("dev", sel.dev), ("proto", sel.proto),
                                    ("scope", sel.scope), ("via", sel.via),
                                    ("src", sel.src)) if v is not None)


def format_route(fa: F.FibAlias, opts: IpOpts, filter_table: Optional[int],
                 sel: Optional["Selector"] = None) -> str:
    fi = fa.info
    hide = _filtered(sel)
    parts = []
    if fa.type != F.RTN_UNICAST or opts.details:
        parts.append(F.RTN_NAMES.get(fa.type, str(fa.type)) + " ")
    if fa.dst_len == 0 and fa.dst == 0:
        parts.append("default ")
    elif fa.dst_len == 32:
        parts.append(c.colored(opts, "inet", ntoa(fa.dst) + " "))   # "%s " inside
    else:
        parts.append(c.colored(opts, "inet", f"{ntoa(fa.dst)}/{fa.dst_len} "))
    if fa.tos:
        parts.append(f"tos 0x{fa.tos:02x} ")
    nhs = fi.nhs
    multipath = len(nhs) > 1
    if not multipath:
        nh = nhs[0]
        if nh.gw and "via" not in hide:
            parts.append("via " + c.colored(opts, "inet", ntoa(nh.gw) + " "))
        if nh.dev is not None and "dev" not in hide:
            parts.append("dev " + c.colored(opts, "ifname", nh.dev.name + " "))
    table = fa.table
    if table and (table != F.RT_TABLE_MAIN or opts.details) and not filter_table:
        parts.append(f"table {TABLE_NAMES.get(table, str(table))} ")
    if (fi.protocol != F.RTPROT_BOOT or opts.details) and "proto" not in hide:
        parts.append(f"proto {PROTO_NAMES.get(fi.protocol, str(fi.protocol))} ")
    if (fi.scope != RT_SCOPE_UNIVERSE or opts.details) and "scope" not in hide:
        parts.append(f"scope {c.scope_name(fi.scope)} ")
    if fi.prefsrc and "src" not in hide:
        parts.append("src " + c.colored(opts, "inet", ntoa(fi.prefsrc) + " "))
    if fi.priority:
        parts.append(f"metric {fi.priority} ")
    if not multipath:
        parts.append(_nh_flags(nhs[0].flags))
    if fi.metrics.get("mtu"):
        parts.append(f"mtu {fi.metrics['mtu']} ")
    text = "".join(parts)
    if multipath:
        for nh in nhs:
            line = "\n\tnexthop "
            if nh.gw:
                line += f"via {ntoa(nh.gw)} "
            line += f"dev {nh.dev.name} weight {nh.weight} " + _nh_flags(nh.flags)
            text += line
    return text


def route_json(fa: F.FibAlias, opts: IpOpts, filter_table: Optional[int],
               sel: Optional["Selector"] = None) -> dict:
    """print_route's JSON object: the keys format_route prints, in its order."""
    fi = fa.info
    hide = _filtered(sel)
    o: dict = {}
    if fa.type != F.RTN_UNICAST or opts.details:
        o["type"] = F.RTN_NAMES.get(fa.type, str(fa.type))
    if fa.dst_len == 0 and fa.dst == 0:
        o["dst"] = "default"
    elif fa.dst_len == 32:
        o["dst"] = ntoa(fa.dst)
    else:
        o["dst"] = f"{ntoa(fa.dst)}/{fa.dst_len}"
    if fa.tos:
        o["tos"] = f"0x{fa.tos:02x}"
    nhs = fi.nhs
    multipath = len(nhs) > 1
    if not multipath:
        if nhs[0].gw and "via" not in hide:
            o["gateway"] = ntoa(nhs[0].gw)
        if nhs[0].dev is not None and "dev" not in hide:
            o["dev"] = nhs[0].dev.name
    table = fa.table
    if table and (table != F.RT_TABLE_MAIN or opts.details) and not filter_table:
        o["table"] = TABLE_NAMES.get(table, str(table))
    if (fi.protocol != F.RTPROT_BOOT or opts.details) and "proto" not in hide:
        o["protocol"] = PROTO_NAMES.get(fi.protocol, str(fi.protocol))
    if (fi.scope != RT_SCOPE_UNIVERSE or opts.details) and "scope" not in hide:
        o["scope"] = c.scope_name(fi.scope)
    if fi.prefsrc and "src" not in hide:
        o["prefsrc"] = ntoa(fi.prefsrc)
    if fi.priority:
        o["metric"] = fi.priority
    o["flags"] = _nh_flags(nhs[0].flags).split() if not multipath else []
    if fi.metrics.get("mtu"):
        o["metrics"] = [{"mtu": fi.metrics["mtu"]}]
    if multipath:
        hops = []
        for nh in nhs:
            h: dict = {}
            if nh.gw:
                h["gateway"] = ntoa(nh.gw)
            h["dev"] = nh.dev.name
            h["weight"] = nh.weight
            h["flags"] = _nh_flags(nh.flags).split()
            hops.append(h)
        o["nexthops"] = hops
    return o


def _nh_flags(flags: int) -> str:
    out = ""
    if flags & F.RTNH_F_DEAD:
        out += "dead "
    if flags & F.RTNH_F_ONLINK:
        out += "onlink "
    if flags & F.RTNH_F_PERVASIVE:
        out += "pervasive "
    if flags & F.RTNH_F_LINKDOWN:
        out += "linkdown "
    return out


# ---------------------------------------------------------------- show / flush

class Selector:
    def __init__(self) -> None:
        self.table: Optional[int] = F.RT_TABLE_MAIN
        self.proto: Optional[int] = None
        self.scope: Optional[int] = None
        self.type: Optional[int] = None
        self.dev: Optional[str] = None
        self.via: Optional[int] = None
        self.src: Optional[int] = None
        self.root: Optional[c.Prefix] = None
        self.match: Optional[c.Prefix] = None
        self.exact: Optional[c.Prefix] = None
        self.cache = False


def parse_selector(proc: Proc, opts: IpOpts, args: Args) -> Selector:
    s = Selector()
    while args:
        a = args.cur
        if matches(a, "table"):
            v = args.next()
            t = table_a2n(v)
            if t is None:
                if v == "cache":
                    s.cache = True
                else:
                    c.invarg(proc, "table id value is invalid\n", v)
            s.table = t
        elif matches(a, "vrf"):
            args.next()
        elif matches(a, "cached") or matches(a, "cloned"):
            s.cache = True
        elif a == "tos" or matches(a, "dsfield"):
            args.next()
        elif matches(a, "protocol"):
            v = args.next()
            s.proto = proto_a2n(v)
            if s.proto is None and v != "all":
                c.invarg(proc, '"protocol" value is invalid\n', v)
        elif matches(a, "scope"):
            v = args.next()
            sc = c.scope_a2n(v)
            if sc is None and v != "all":
                c.invarg(proc, "invalid \"scope\" value\n", v)
            s.scope = sc
        elif matches(a, "type"):
            v = args.next()
            if v not in TYPE_WORDS:
                c.invarg(proc, "node type value is invalid\n", v)
            s.type = TYPE_WORDS[v]
        elif a in ("dev", "oif"):
            s.dev = args.next()
        elif a == "iif":
            args.next()
        elif a == "mark":
            args.next()
        elif a in ("via",):
            v = args.next()
            s.via = c.get_addr(v)
            if s.via is None:
                proc.err(f'Error: any valid address is expected rather than "{v}".\n')
                raise Exit(1)
        elif a == "src":
            v = args.next()
            s.src = c.get_addr(v)
        elif a == "from":
            args.next()
        elif a in ("root", "match", "exact", "to"):
            v = args.next()
            p = c.get_prefix(v)
            if p is None:
                proc.err(f'Error: any valid prefix is expected rather than "{v}".\n')
                raise Exit(1)
            if a == "root":
                s.root = p
            elif a == "match":
                s.match = p
            else:
                s.exact = p
        else:
            if matches(a, "help"):
                usage(proc)
            p = c.get_prefix(a)
            if p is None:
                proc.err(f'Error: any valid prefix is expected rather than "{a}".\n')
                raise Exit(1)
            s.exact = p if p.has_len or p.is_default else None
            if not (p.has_len or p.is_default):
                s.exact = c.Prefix(p.addr, 32, True)
        args.advance()
    return s


def _selected(net: "Net", fa: F.FibAlias, s: Selector) -> bool:
    fi = fa.info
    if s.proto is not None and fi.protocol != s.proto:
        return False
    if s.scope is not None and fi.scope != s.scope:
        return False
    if s.type is not None and fa.type != s.type:
        return False
    if s.dev is not None and not any(nh.dev is not None and nh.dev.name == s.dev for nh in fi.nhs):
        return False
    if s.via is not None and not any(nh.gw == s.via for nh in fi.nhs):
        return False
    if s.src is not None and fi.prefsrc != s.src:
        return False
    if s.exact is not None and (fa.dst != s.exact.network or fa.dst_len != s.exact.plen):
        return False
    if s.root is not None:
        if fa.dst_len < s.root.plen or (fa.dst ^ s.root.addr) & prefix_mask(s.root.plen):
            return False
    if s.match is not None:
        if fa.dst_len > s.match.plen or (fa.dst ^ s.match.addr) & prefix_mask(fa.dst_len):
            return False
    return True


def _show_exceptions(proc: Proc, opts: IpOpts, net: "Net", s: Selector) -> int:
    """`ip route show cache`: the route exceptions (fib_dump_info_fnhe), each as the
    cloned route to its destination with the path MTU it learned."""
    from ...kernel import route as R
    from .route_get import dumped_exception
    objs = []
    for daddr in list(net.fnhe):
        if s.exact is not None and not (s.exact.plen == 32 and s.exact.addr == daddr):
            continue
        try:
            rt = R.ip_route_output(net, daddr, anysrc=True)
        except R.RouteError:
            continue
        exc = dumped_exception(net, daddr)
        if exc is None or rt.flags & R.RTCF_LOCAL:
            continue
        if opts.json:
            o: dict = {"dst": ntoa(daddr)}
            if rt.gw:
                o["gateway"] = ntoa(rt.gw)
            o.update({"dev": rt.dev.name, "flags": [], "cache": []})
            if exc[1]:
                o.update({"expires": exc[0], "metrics": [{"mtu": exc[1]}]})
            objs.append(o)
            continue
        via = f"via {ntoa(rt.gw)} " if rt.gw else ""
        tail = f"expires {exc[0]}sec mtu {exc[1]} " if exc[1] else ""
        proc.out(f"{ntoa(daddr)} {via}dev {rt.dev.name} \n    cache {tail}\n")
    if opts.json:
        from .jsonout import dumps
        proc.out(dumps(objs, opts.pretty))
    return 0


def show(proc: Proc, opts: IpOpts, args: Args, flush: bool) -> int:
    net = opts.net
    if flush and not args:
        proc.err('"ip route flush" requires arguments.\n')
        return 1
    s = parse_selector(proc, opts, args)
    if s.dev is not None and net.dev_by_name(s.dev) is None:
        proc.err(f'Cannot find device "{s.dev}"\n')
        return 1
    if s.cache:
        if flush:
            net.rt_cache_flush()      # `ip route flush cache`: /proc/sys/net/ipv4/route/flush
            return 0
        return _show_exceptions(proc, opts, net, s)
    tables = ([s.table] if s.table else sorted(net.fib_tables, key=lambda t: (t != 254, -t)))
    objs: list = []
    for tb_id in tables:
        tb = net.fib_tables.get(tb_id)
        if tb is None:
            continue
        for fa in list(tb.aliases()):
            if not _selected(net, fa, s):
                continue
            if flush:
                lst = tb.by_len[fa.dst_len][fa.dst]
                lst.remove(fa)
                tb._prune(fa.dst, fa.dst_len)
                fa.info.dead = True
                net.route_changed(tb_id, fa, "del")
                continue
            if opts.json:
                objs.append(route_json(fa, opts, s.table, s))
                continue
            proc.out(format_route(fa, opts, s.table, s) + "\n")
    if opts.json and not flush:
        from .jsonout import dumps
        proc.out(dumps(objs, opts.pretty))
    return 0
