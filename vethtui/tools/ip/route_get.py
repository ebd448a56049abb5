"""`ip route get`: iproute2 6.1 ip/iproute.c's iproute_get, answered by the kernel's
ip_route_output / ip_route_input as RTM_GETROUTE is, and the cloned route it prints."""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Optional

from ...kernel import fib as F
from ...kernel import route as R
from ...kernel.inet import ntoa
from ..base import Exit, Proc, matches
from . import common as c
from .common import Args, IpOpts
from .route_show import format_route, route_json
from .rt_names import TABLE_NAMES

if TYPE_CHECKING:  # pragma: no cover
    from ...kernel.netns import Net


def usage(proc: Proc) -> None:
    from .route import usage
    usage(proc)


@dataclass
class GetReq:
    dst: Optional[int] = None
    src: int = 0
    iif: Optional[str] = None
    oif: Optional[str] = None
    tos: int = 0
    fibmatch: bool = False


def _parse(proc: Proc, args: Args) -> GetReq:
    """iproute_get's parse loop."""
    r = GetReq()
    while args:
        a = args.cur
        if a == "tos" or matches(a, "dsfield"):
            v = args.next()
            n = c.get_unsigned(v)
            if n is None or n > 255:
                c.invarg(proc, "TOS value is invalid\n", v)
            r.tos = n
        elif matches(a, "from"):
            v = args.next()
            p = c.get_prefix(v)
            if p is None:
                proc.err(f'Error: any valid prefix is expected rather than "{v}".\n')
                raise Exit(1)
            r.src = p.addr
        elif a in ("iif", "input"):
            r.iif = args.next()
        elif a in ("oif", "output"):
            r.oif = args.next()
        elif a in ("mark", "vrf", "uid", "ipproto", "sport", "dport"):
            args.next()
        elif matches(a, "notify") or matches(a, "connected"):
            pass
        elif matches(a, "fibmatch"):
            r.fibmatch = True
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
            r.dst = p.addr
        args.advance()
    return r


def get(proc: Proc, opts: IpOpts, args: Args) -> int:
    """iproute_get: one RTM_GETROUTE, as if a packet came in on `iif` or went out."""
    net = opts.net
    r = _parse(proc, args)
    if r.dst is None:
        proc.err("need at least a destination address\n")
        return 1
    idev = odev = None
    if r.iif is not None:
        idev = net.dev_by_name(r.iif)
        if idev is None:
            proc.err(f'Cannot find device "{r.iif}"\n')
            return 1
    if r.oif is not None:
        odev = net.dev_by_name(r.oif)
        if odev is None:
            proc.err(f'Cannot find device "{r.oif}"\n')
            return 1
    if idev is not None:
        return _get_input(proc, opts, r, idev)
    return _get_output(proc, opts, r, odev)


def _get_input(proc: Proc, opts: IpOpts, r: GetReq, idev) -> int:
    """inet_rtm_getroute with iif: ip_route_input, as the packet would be routed."""
    rin = R.ip_route_input(None, r.dst, r.src, r.tos, idev)
    proc.note(f"input route lookup as if from {idev.name}: "
              f"{rin.describe() if rin.ok else 'refused: ' + rin.reason_text()}"
              f"{' (' + rin.why + ')' if rin.ok and rin.why else ''}")
    if not rin.ok:
        return c.rtnl_error(proc, rin.errno or "EINVAL")
    rt = rin.rt
    if rt.input == "error":
        return c.rtnl_error(proc, rt.error or "EHOSTUNREACH")
    _get_out(proc, opts, r.dst, r.src, rt, opts.net, input_dev=idev)
    return 0


def _get_output(proc: Proc, opts: IpOpts, r: GetReq, odev) -> int:
    """inet_rtm_getroute without iif: ip_route_output; `fibmatch` prints the FIB entry."""
    net = opts.net
    try:
        rt = R.ip_route_output(net, r.dst, r.src, odev.ifindex if odev else 0, r.tos)
    except R.RouteError as err:
        proc.note(f"output route lookup: no answer ({err.errno}"
                  f"{': ' + err.detail if err.detail else ''}); tables tried: local, main, default")
        return c.rtnl_error(proc, err.errno)
    proc.note("output route lookup (local table first, then main, longest prefix): "
              + rt.describe() + (f"; {rt.note}" if rt.note else ""))
    if r.fibmatch and rt.res is not None and rt.res.alias is not None:
        if opts.json:
            from .jsonout import dumps
            proc.out(dumps([route_json(rt.res.alias, opts, None)], opts.pretty))
        else:
            proc.out(format_route(rt.res.alias, opts, None) + "\n")
        return 0
    _get_out(proc, opts, r.dst, r.src, rt, net)
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
    exc = exception_info(net, rt, dst) if input_dev is None else None
    if exc is not None:
        o["expires"] = exc[0]
        o["metrics"] = [{"mtu": exc[1]}]
    if input_dev is not None:
        o["iif"] = input_dev.name
    return o


def exception_info(net: "Net", rt: R.Rtable, dst: int):
    """(seconds left, path MTU) of the route exception rt_fill_info reports for dst
    (RTA_CACHEINFO's expires, RTAX_MTU), or None."""
    if rt.flags & R.RTCF_LOCAL:
        return None
    mtu = R.fnhe_pmtu(net, dst)
    if not mtu:
        return None
    return int(net.fnhe[dst][1] - net.world.sched.now), mtu


def dumped_exception(net: "Net", dst: int):
    """What fnhe_dump_bucket shows for an exception: None when it has expired, else its
    (seconds left, path MTU), or (0, 0) once a lookup has reset it; a dump binds
    nothing, so a stale one still shows its old route's values."""
    e = net.fnhe.get(dst)
    if e is None:
        return None
    if e[1] and net.world.sched.now >= e[1]:
        return None
    if not e[0]:
        return 0, 0
    return int(e[1] - net.world.sched.now), e[0]


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
    exc = exception_info(net, rt, dst) if input_dev is None else None
    if exc is not None:
        text += f"expires {exc[0]}sec mtu {exc[1]} "
    if input_dev is not None:
        text += f"iif {input_dev.name} "
    return text + "\n"
