"""`ip -6 route`: show (main, local), get, add/del for the IPv6 control plane."""
from __future__ import annotations

import ipaddress

from ...kernel import ipv6
from ..base import Exit, Proc, matches
from . import common as c
from .common import Args, IpOpts


def _route_line(r, opts: IpOpts) -> str:
    if r.plen == 0:
        dst = "default"
    elif r.plen == 128:
        dst = str(r.dst)
    else:
        dst = f"{r.dst}/{r.plen}"
    s = ""
    if r.type != "unicast":
        s += r.type + " "
    s += dst + " "
    if r.gw is not None:
        s += f"via {r.gw} "
    s += f"dev {r.dev.name} "
    if r.proto != "boot":
        s += f"proto {r.proto} "
    s += f"metric {r.metric} "
    if r.type != "local" and r.dev.type != 772 and not r.dev.carrier:
        s += "linkdown "
    return s + "pref medium"


def _route_json(r, table_all: bool) -> dict:
    """print_route's JSON object for an IPv6 route (flags always, pref last)."""
    o: dict = {}
    if r.type != "unicast":
        o["type"] = r.type
    o["dst"] = "default" if r.plen == 0 else str(r.dst) if r.plen == 128 else f"{r.dst}/{r.plen}"
    if r.gw is not None:
        o["gateway"] = str(r.gw)
    o["dev"] = r.dev.name
    if table_all and r.table == "local":
        o["table"] = "local"
    if r.proto != "boot":
        o["protocol"] = r.proto
    o["metric"] = r.metric
    o["flags"] = (["linkdown"] if r.type != "local" and r.dev.type != 772 and not r.dev.carrier
                  else [])
    o["pref"] = "medium"
    return o


def _sorted(routes):
    return sorted(routes, key=lambda r: (r.plen == 0, int(r.dst), -r.plen, r.metric))


def do_iproute6(proc: Proc, opts: IpOpts, argv: list[str]) -> int:
    net = opts.net
    if not argv or matches(argv[0], "show") or matches(argv[0], "list") or matches(argv[0], "lst"):
        args = argv[1:] if argv else []
        table = "main"
        if len(args) >= 2 and args[0] == "table":
            table = {"local": "local", "main": "main", "all": "all"}.get(args[1], args[1])
        routes = [r for r in net.routes6 if table == "all" or r.table == table]
        if opts.json:
            from .jsonout import dumps
            proc.out(dumps([_route_json(r, table == "all") for r in _sorted(routes)], opts.pretty))
            return 0
        for r in _sorted(routes):
            line = _route_line(r, opts)
            if table == "all" and r.table == "local":
                line = line.replace(f"dev {r.dev.name} ", f"dev {r.dev.name} table local ", 1)
            proc.out(line + "\n")
        return 0
    if matches(argv[0], "get"):
        return _get(proc, opts, Args(proc, argv[1:]))
    if matches(argv[0], "add") or matches(argv[0], "append") or matches(argv[0], "replace"):
        return _add(proc, opts, Args(proc, argv[1:]))
    if matches(argv[0], "delete"):
        return _del(proc, opts, Args(proc, argv[1:]))
    if matches(argv[0], "flush"):
        net.routes6[:] = [r for r in net.routes6 if r.proto == "kernel" or r.table == "local"]
        return 0
    proc.err(f'Command "{argv[0]}" is unknown, try "ip route help".\n')
    raise Exit(255)


def _parse_dst(proc: Proc, text: str):
    if text == "default":
        return ipaddress.IPv6Address("::"), 0
    addr, _, plen = text.partition("/")
    try:
        a = ipaddress.IPv6Address(addr)
        n = int(plen) if plen else 128
        if not 0 <= n <= 128:
            raise ValueError
        return a, n
    except ValueError:
        proc.err(f'Error: any valid prefix is expected rather than "{text}".\n')
        raise Exit(1)


def _get(proc: Proc, opts: IpOpts, args: Args) -> int:
    net = opts.net
    dst = None
    oif = None
    while args:
        a = args.cur
        if a in ("oif", "dev"):
            name = args.next()
            oif = net.dev_by_name(name)
            if oif is None:
                proc.err(f'Cannot find device "{name}"\n')
                return 1
        elif a in ("from", "iif", "mark", "uid", "tos"):
            args.next()
        else:
            dst, _ = _parse_dst(proc, a)
        args.advance()
    if dst is None:
        proc.err("need at least a destination address\n")
        return 1
    r = ipv6.lookup(net, dst, oif)
    if r is None:
        return c.rtnl_error(proc, "ENETUNREACH")
    if r.type == "local":
        proc.out(f"local {dst} from :: dev lo table local proto kernel src {dst} metric 0 pref medium\n")
        return 0
    src = ipv6.select_source(net, r.dev, dst)
    s = f"{dst} from :: "
    if r.gw is not None:
        s += f"via {r.gw} "
    s += f"dev {r.dev.name} "
    if r.proto != "boot":
        s += f"proto {r.proto} "
    if src is not None:
        s += f"src {src} "
    s += f"metric {r.metric} pref medium"
    proc.out(s + "\n")
    return 0


def _add(proc: Proc, opts: IpOpts, args: Args) -> int:
    net = opts.net
    dst = None
    gw = None
    dev = None
    metric = 1024
    while args:
        a = args.cur
        if a == "via":
            v = args.next()
            try:
                gw = ipaddress.IPv6Address(v)
            except ValueError:
                proc.err(f'Error: inet6 address is expected rather than "{v}".\n')
                raise Exit(1)
        elif a in ("dev", "oif"):
            name = args.next()
            dev = net.dev_by_name(name)
            if dev is None:
                proc.err(f'Cannot find device "{name}"\n')
                return 1
        elif matches(a, "metric") or matches(a, "priority"):
            v = args.next()
            n = c.get_unsigned(v)
            if n is None:
                c.invarg(proc, '"metric" value is invalid\n', v)
            metric = n
        else:
            if a == "to":
                a = args.next()
            dst = _parse_dst(proc, a)
        args.advance()
    if dst is None:
        dst = (ipaddress.IPv6Address("::"), 0)
    if dev is None and gw is not None:
        r = ipv6.lookup(net, gw)
        if r is None or r.type != "unicast":
            return c.rtnl_error(proc, "EHOSTUNREACH")
        dev = r.dev
    if dev is None:
        return c.rtnl_error(proc, "ENODEV")
    for r in net.routes6:
        if r.table == "main" and r.dst == dst[0] and r.plen == dst[1] and r.metric == metric:
            return c.rtnl_error(proc, "EEXIST")
    net.routes6.append(ipv6.Route6(dst[0], dst[1], dev, gw, metric, proto="boot"))
    return 0


def _del(proc: Proc, opts: IpOpts, args: Args) -> int:
    net = opts.net
    dst = None
    while args:
        a = args.cur
        if a in ("via", "dev", "metric", "table", "proto"):
            args.next()
        else:
            dst = _parse_dst(proc, a)
        args.advance()
    if dst is None:
        dst = (ipaddress.IPv6Address("::"), 0)
    for r in list(net.routes6):
        if r.table == "main" and r.dst == dst[0] and r.plen == dst[1]:
            net.routes6.remove(r)
            return 0
    return c.rtnl_error(proc, "ESRCH")
