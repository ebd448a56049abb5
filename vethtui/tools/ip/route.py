"""`ip route`: show, add/del/replace/append/change, get, flush (iproute2 6.1 ip/iproute.c)."""
from __future__ import annotations

from typing import TYPE_CHECKING, Optional

from ...kernel import fib as F
from ...kernel import route as R
from ...kernel.inet import (RT_SCOPE_HOST, RT_SCOPE_LINK, RT_SCOPE_NOWHERE, RT_SCOPE_UNIVERSE,
                            ntoa, prefix_mask)
from ..base import Exit, Proc, matches
from . import common as c
from .common import AF_INET6, Args, IpOpts

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
ENCAPTYPE := [ mpls | ip | ip6 | seg6 | seg6local | rpl | ioam6 ]
ENCAPHDR := [ MPLSLABEL | SEG6HDR | SEG6LOCAL | IOAM6HDR ]
SEG6HDR := [ mode SEGMODE ] segs ADDR1,ADDRi,ADDRn [hmac HMACKEYID] [cleanup]
SEGMODE := [ encap | inline ]
SEG6LOCAL := action ACTION [ OPTIONS ] [ count ]
ACTION := { End | End.X | End.T | End.DX2 | End.DX6 | End.DX4 |
            End.DT6 | End.DT4 | End.DT46 | End.B6 | End.B6.Encaps |
            End.BM | End.S | End.AS | End.AM | End.BPF }
OPTIONS := OPTION [ OPTIONS ]
OPTION := { srh SEG6HDR | nh4 ADDR | nh6 ADDR | iif DEV | oif DEV |
            table TABLEID | vrftable TABLEID | endpoint PROGNAME }
IOAM6HDR := trace prealloc type IOAM6_TRACE_TYPE ns IOAM6_NAMESPACE size IOAM6_TRACE_SIZE
ROUTE_GET_FLAGS := [ fibmatch ]
"""

PROTO_NAMES = {0: "unspec", 1: "redirect", 2: "kernel", 3: "boot", 4: "static", 8: "gated",
               9: "ra", 10: "mrt", 11: "zebra", 12: "bird", 13: "dnrouted", 14: "xorp",
               15: "ntk", 16: "dhcp", 42: "babel", 186: "bgp", 187: "isis", 188: "ospf",
               189: "rip", 192: "eigrp", 99: "keepalived"}
TABLE_NAMES = {255: "local", 254: "main", 253: "default", 0: "unspec"}
TYPE_WORDS = {"unicast": F.RTN_UNICAST, "local": F.RTN_LOCAL, "broadcast": F.RTN_BROADCAST,
              "anycast": F.RTN_ANYCAST, "multicast": F.RTN_MULTICAST, "blackhole": F.RTN_BLACKHOLE,
              "unreachable": F.RTN_UNREACHABLE, "prohibit": F.RTN_PROHIBIT, "throw": F.RTN_THROW,
              "nat": F.RTN_NAT}


def usage(proc: Proc) -> None:
    proc.err(ROUTE_USAGE)
    raise Exit(255)


def table_a2n(text: str) -> Optional[int]:
    names = {"local": 255, "main": 254, "default": 253, "all": 0, "unspec": 0}
    if text in names:
        return names[text]
    n = c.get_unsigned(text)
    if n is None or n > 0xFFFFFFFF:
        return None
    return n


def proto_a2n(text: str) -> Optional[int]:
    for k, v in PROTO_NAMES.items():
        if v == text:
            return k
    n = c.get_unsigned(text)
    return n if n is not None and n <= 255 else None


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


# ---------------------------------------------------------------- printing

def format_route(fa: F.FibAlias, opts: IpOpts, filter_table: Optional[int]) -> str:
    fi = fa.info
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
        if nh.gw:
            parts.append("via " + c.colored(opts, "inet", ntoa(nh.gw) + " "))
        if nh.dev is not None:
            parts.append("dev " + c.colored(opts, "ifname", nh.dev.name + " "))
    table = fa.table
    if table and (table != F.RT_TABLE_MAIN or opts.details) and not filter_table:
        parts.append(f"table {TABLE_NAMES.get(table, str(table))} ")
    if fi.protocol != F.RTPROT_BOOT or opts.details:
        parts.append(f"proto {PROTO_NAMES.get(fi.protocol, str(fi.protocol))} ")
    if fi.scope != RT_SCOPE_UNIVERSE or opts.details:
        parts.append(f"scope {c.scope_name(fi.scope)} ")
    if fi.prefsrc:
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


def route_json(fa: F.FibAlias, opts: IpOpts, filter_table: Optional[int]) -> dict:
    """print_route's JSON object: the keys format_route prints, in its order."""
    fi = fa.info
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
        if nhs[0].gw:
            o["gateway"] = ntoa(nhs[0].gw)
        if nhs[0].dev is not None:
            o["dev"] = nhs[0].dev.name
    table = fa.table
    if table and (table != F.RT_TABLE_MAIN or opts.details) and not filter_table:
        o["table"] = TABLE_NAMES.get(table, str(table))
    if fi.protocol != F.RTPROT_BOOT or opts.details:
        o["protocol"] = PROTO_NAMES.get(fi.protocol, str(fi.protocol))
    if fi.scope != RT_SCOPE_UNIVERSE or opts.details:
        o["scope"] = c.scope_name(fi.scope)
    if fi.prefsrc:
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
        return 0
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
                objs.append(route_json(fa, opts, s.table))
                continue
            proc.out(format_route(fa, opts, s.table) + "\n")
    if opts.json and not flush:
        from .jsonout import dumps
        proc.out(dumps(objs, opts.pretty))
    return 0


# ---------------------------------------------------------------- add / del

def modify(proc: Proc, opts: IpOpts, cmd: str, args: Args) -> int:
    net = opts.net
    cfg = F.FibConfig()
    is_del = cmd == "del"
    if is_del:
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
    dst: Optional[c.Prefix] = None
    gw_ok = nhs_ok = type_ok = scope_set = table_set = proto_set = False
    dev_name = None
    nexthops: list[tuple[str, int, int]] = []
    while args:
        a = args.cur
        if a == "src":
            v = args.next()
            addr = c.get_addr(v)
            if addr is None:
                proc.err(f'Error: inet address is expected rather than "{v}".\n')
                raise Exit(1)
            cfg.prefsrc = addr
        elif a == "as":
            v = args.next()
            if v == "to":
                v = args.next()
        elif a == "via":
            v = args.next()
            if v in ("inet", "inet6", "mpls", "link"):
                v = args.next()
            if gw_ok:
                c.invarg(proc, "use nexthop syntax to specify multiple via\n", v)
            gw = c.get_addr(v)
            if gw is None:
                proc.err(f'Error: inet address is expected rather than "{v}".\n')
                raise Exit(1)
            cfg.gw = gw
            gw_ok = True
        elif a == "from":
            v = args.next()
            p = c.get_prefix(v)
            if p is None:
                proc.err(f'Error: any valid prefix is expected rather than "{v}".\n')
                raise Exit(1)
        elif a == "tos" or matches(a, "dsfield"):
            v = args.next()
            n = c.get_unsigned(v)
            if n is None or n > 255:
                c.invarg(proc, '"tos" value is invalid\n', v)
            cfg.tos = n
        elif matches(a, "expires"):
            args.next()
        elif matches(a, "metric") or matches(a, "priority") or matches(a, "preference"):
            v = args.next()
            n = c.get_unsigned(v)
            if n is None or n > 0xFFFFFFFF:
                c.invarg(proc, '"metric" value is invalid\n', v)
            cfg.priority = n
        elif a == "scope":
            v = args.next()
            sc = c.scope_a2n(v)
            if sc is None:
                c.invarg(proc, "invalid \"scope\" value\n", v)
            cfg.scope = sc
            scope_set = True
        elif a in ("dev", "oif"):
            dev_name = args.next()
        elif a == "mtu":
            v = args.next()
            if v == "lock":
                v = args.next()
            n = c.get_unsigned(v)
            if n is None:
                c.invarg(proc, '"mtu" value is invalid\n', v)
            cfg.metrics["mtu"] = n
        elif a in ("advmss", "hoplimit", "window", "cwnd", "initcwnd", "initrwnd", "rtt",
                   "rttvar", "reordering", "ssthresh", "realms", "rto_min", "features",
                   "quickack", "congctl", "pref", "fastopen_no_cookie", "ttl-propagate",
                   "encap", "nhid"):
            args.next()
        elif a == "onlink":
            cfg.nh_flags |= F.RTNH_F_ONLINK
        elif a == "pervasive":
            cfg.nh_flags |= F.RTNH_F_PERVASIVE
        elif a == "nexthop":
            nhs_ok = True
            args.advance()
            nexthops = _parse_nexthops(proc, args)
            break
        elif matches(a, "protocol"):
            v = args.next()
            n = proto_a2n(v)
            if n is None:
                c.invarg(proc, '"protocol" value is invalid\n', v)
            cfg.protocol = n
            proto_set = True
        elif matches(a, "table"):
            v = args.next()
            t = table_a2n(v)
            if t is None:
                c.invarg(proc, '"table" value is invalid\n', v)
            cfg.table = t
            table_set = True
        elif matches(a, "vrf"):
            args.next()
        else:
            if a == "to":
                a = args.next()
            if a in TYPE_WORDS and not type_ok:
                cfg.type = TYPE_WORDS[a]
                type_ok = True
                a = args.next()
            if matches(a, "help"):
                usage(proc)
            if dst is not None:
                c.duparg2(proc, "to", a)
            p = c.get_prefix(a)
            if p is None:
                proc.err(f'Error: any valid prefix is expected rather than "{a}".\n')
                raise Exit(1)
            dst = p
        args.advance()
    if dst is None:
        dst = c.Prefix(0, 0, True)
    oif = 0
    if dev_name is not None:
        dev = net.dev_by_name(dev_name)
        if dev is None:
            proc.err(f'Cannot find device "{dev_name}"\n')
            return 1
        oif = dev.ifindex
    cfg.oif = oif
    cfg.dst = dst.addr
    cfg.dst_len = dst.plen
    if nexthops:
        resolved = []
        for name, gw, weight in nexthops:
            o = 0
            if name:
                d = net.dev_by_name(name)
                if d is None:
                    proc.err(f'Cannot find device "{name}"\n')
                    return 1
                o = d.ifindex
            resolved.append((o, gw, weight))
        cfg.nexthops = resolved
    if not is_del:
        if cfg.type in (F.RTN_LOCAL, F.RTN_NAT):
            if not scope_set:
                cfg.scope = RT_SCOPE_HOST
        elif cfg.type in (F.RTN_BROADCAST, F.RTN_MULTICAST, F.RTN_ANYCAST):
            if not scope_set:
                cfg.scope = RT_SCOPE_LINK
        elif cfg.type in (F.RTN_UNICAST, 0):
            if not scope_set and not gw_ok and not nhs_ok:
                cfg.scope = RT_SCOPE_LINK
        if not table_set and cfg.type in (F.RTN_LOCAL, F.RTN_BROADCAST, F.RTN_NAT, F.RTN_ANYCAST):
            cfg.table = F.RT_TABLE_LOCAL
    elif not table_set:
        cfg.table = F.RT_TABLE_MAIN
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


# ---------------------------------------------------------------- get

def get(proc: Proc, opts: IpOpts, args: Args) -> int:
    net = opts.net
    dst = None
    src = 0
    iif = None
    oif = None
    tos = 0
    fibmatch = False
    while args:
        a = args.cur
        if a == "tos" or matches(a, "dsfield"):
            v = args.next()
            n = c.get_unsigned(v)
            if n is None or n > 255:
                c.invarg(proc, "TOS value is invalid\n", v)
            tos = n
        elif matches(a, "from"):
            v = args.next()
            p = c.get_prefix(v)
            if p is None:
                proc.err(f'Error: any valid prefix is expected rather than "{v}".\n')
                raise Exit(1)
            src = p.addr
        elif a in ("iif", "input"):
            iif = args.next()
        elif a in ("oif", "output"):
            oif = args.next()
        elif a in ("mark", "vrf", "uid", "ipproto", "sport", "dport"):
            args.next()
        elif matches(a, "notify") or matches(a, "connected"):
            pass
        elif matches(a, "fibmatch"):
            fibmatch = True
        else:
            if a == "to":
                a = args.next()
            if matches(a, "help"):
                usage(proc)
            p = c.get_prefix(a, allow_default=False)
            if p is None:
                proc.err(f'Error: any valid prefix is expected rather than "{a}".\n')
                raise Exit(1)
            if p.has_len and p.plen != 32:
                proc.err(f"Warning: /{p.plen} as prefix is invalid, only /32 (or none) is supported.\n")
            dst = p.addr
        args.advance()
    if dst is None:
        proc.err("need at least a destination address\n")
        return 1
    idev = odev = None
    if iif is not None:
        idev = net.dev_by_name(iif)
        if idev is None:
            proc.err(f'Cannot find device "{iif}"\n')
            return 1
    if oif is not None:
        odev = net.dev_by_name(oif)
        if odev is None:
            proc.err(f'Cannot find device "{oif}"\n')
            return 1
    if idev is not None:
        rin = R.ip_route_input(None, dst, src, tos, idev)
        proc.note(f"input route lookup as if from {idev.name}: "
                  f"{rin.describe() if rin.ok else 'refused: ' + rin.reason_text()}"
                  f"{' (' + rin.why + ')' if rin.ok and rin.why else ''}")
        if not rin.ok:
            return c.rtnl_error(proc, rin.errno or "EINVAL")
        rt = rin.rt
        if rt.input == "error":
            return c.rtnl_error(proc, rt.error or "EHOSTUNREACH")
        _get_out(proc, opts, dst, src, rt, net, input_dev=idev)
        return 0
    try:
        rt = R.ip_route_output(net, dst, src, odev.ifindex if odev else 0, tos)
    except R.RouteError as err:
        proc.note(f"output route lookup: no answer ({err.errno}"
                  f"{': ' + err.detail if err.detail else ''}); tables tried: local, main, default")
        return c.rtnl_error(proc, err.errno)
    proc.note("output route lookup (local table first, then main, longest prefix): "
              + rt.describe() + (f"; {rt.note}" if rt.note else ""))
    if fibmatch and rt.res is not None and rt.res.alias is not None:
        if opts.json:
            from .jsonout import dumps
            proc.out(dumps([route_json(rt.res.alias, opts, None)], opts.pretty))
        else:
            proc.out(format_route(rt.res.alias, opts, None) + "\n")
        return 0
    _get_out(proc, opts, dst, src, rt, net)
    return 0


def _get_table(rt: R.Rtable, net: "Net") -> str:
    """The table rt_fill_info reports, named unless main. Until a rule is added the local
    table lives merged in main's trie (fib_unmerge splits them for good), so only then
    does an answer from the local table say so."""
    if rt.res is None or net.__dict__.get("fib_rules") is None or rt.res.table == F.RT_TABLE_MAIN:
        return ""
    return TABLE_NAMES.get(rt.res.table, str(rt.res.table))


def _get_json(dst: int, src: int, rt: R.Rtable, net: "Net", input_dev=None) -> dict:
    """print_route's JSON object for the cloned route `ip route get` answers with."""
    o: dict = {}
    if rt.type != F.RTN_UNICAST:
        o["type"] = F.RTN_NAMES.get(rt.type, str(rt.type))
    o["dst"] = ntoa(dst)
    if src:
        o["from"] = ntoa(src)
    if rt.gw and rt.type == F.RTN_UNICAST:
        o["gateway"] = ntoa(rt.gw)
    dev = rt.dev
    if input_dev is not None and rt.type in (F.RTN_LOCAL, F.RTN_BROADCAST):
        dev = net.loopback_dev
    o["dev"] = dev.name
    table = _get_table(rt, net)
    if table:
        o["table"] = table
    if input_dev is None and rt.src and rt.src != src:
        o["prefsrc"] = ntoa(rt.src)
    o["flags"] = ["rt_offload_failed"] if rt.flags & R.RTCF_MULTICAST else []
    if input_dev is None:
        o["uid"] = 0
    cache = []
    if rt.flags & R.RTCF_LOCAL:
        cache.append("local")
    if rt.flags & R.RTCF_MULTICAST:
        cache.append("mc")
    if rt.flags & R.RTCF_BROADCAST:
        cache.append("brd")
    o["cache"] = cache
    if input_dev is not None:
        o["iif"] = input_dev.name
    return o


def _get_out(proc: Proc, opts: IpOpts, dst: int, src: int, rt: R.Rtable, net: "Net",
             input_dev=None) -> None:
    if opts.json:
        from .jsonout import dumps
        proc.out(dumps([_get_json(dst, src, rt, net, input_dev)], opts.pretty))
    else:
        proc.out(_get_line(dst, src, rt, net, opts, input_dev=input_dev))


def _get_line(dst: int, src: int, rt: R.Rtable, net: "Net", opts: IpOpts, input_dev=None) -> str:
    parts = []
    if rt.type != F.RTN_UNICAST:
        parts.append(F.RTN_NAMES.get(rt.type, str(rt.type)) + " ")
    parts.append(c.colored(opts, "inet", ntoa(dst) + " "))
    if src:
        parts.append(c.colored(opts, "inet", "from " + ntoa(src) + " "))
    if rt.gw and rt.type == F.RTN_UNICAST:
        parts.append("via " + c.colored(opts, "inet", ntoa(rt.gw) + " "))
    dev = rt.dev
    if input_dev is not None and rt.type in (F.RTN_LOCAL, F.RTN_BROADCAST):
        dev = net.loopback_dev
    parts.append("dev " + c.colored(opts, "ifname", dev.name + " "))
    table = _get_table(rt, net)
    if table:
        parts.append(f"table {table} ")
    if input_dev is None and rt.src and rt.src != src:
        parts.append("src " + c.colored(opts, "inet", ntoa(rt.src) + " "))
    if rt.flags & R.RTCF_MULTICAST:
        parts.append("rt_offload_failed ")
    if input_dev is None:
        parts.append("uid 0 ")
    flags = []
    if rt.flags & R.RTCF_LOCAL:
        flags.append("local")
    if rt.flags & R.RTCF_MULTICAST:
        flags.append("mc")
    if rt.flags & R.RTCF_BROADCAST:
        flags.append("brd")
    text = "".join(parts) + "\n    cache "
    if flags:
        text += "<" + ",".join(flags) + "> "
    if input_dev is not None:
        text += f"iif {input_dev.name} "
    return text + "\n"
