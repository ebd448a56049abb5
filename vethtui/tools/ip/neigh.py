"""`ip neigh`: show, add/del/change/replace, flush (iproute2 6.1 ip/ipneigh.c)."""
from __future__ import annotations

import ipaddress
from typing import Optional

from ...kernel import neighbour as N
from ...kernel.ndisc import nd_tbl
from ..base import Exit, Proc, matches
from . import common as c
from .common import AF_INET6, Args, IpOpts

NEIGH_USAGE = """Usage: ip neigh { add | del | change | replace }
                { ADDR [ lladdr LLADDR ] [ nud STATE ] proxy ADDR }
                [ dev DEV ] [ router ] [ use ] [ managed ] [ extern_learn ]
                [ protocol PROTO ]

	ip neigh { show | flush } [ proxy ] [ to PREFIX ] [ dev DEV ] [ nud STATE ]
				  [ vrf NAME ] [ nomaster ]
	ip neigh get { ADDR | proxy ADDR } dev DEV

STATE := { delay | failed | incomplete | noarp | none |
           permanent | probe | reachable | stale }
"""

NUD_WORDS = {"permanent": N.NUD_PERMANENT, "reachable": N.NUD_REACHABLE, "noarp": N.NUD_NOARP,
             "none": N.NUD_NONE, "stale": N.NUD_STALE, "incomplete": N.NUD_INCOMPLETE,
             "delay": N.NUD_DELAY, "probe": N.NUD_PROBE, "failed": N.NUD_FAILED}


def usage(proc: Proc) -> None:
    proc.err(NEIGH_USAGE)
    raise Exit(255)


def nud_a2n(text: str):
    t = text.lower()
    if t in NUD_WORDS:
        return NUD_WORDS[t]
    n = c.get_unsigned(text)
    if n is not None and n <= 0xFF:
        return n
    return None


def do_ipneigh(proc: Proc, opts: IpOpts, argv: list[str]) -> int:
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
    if matches(cmd, "delete"):
        return modify(proc, opts, "del", rest)
    if matches(cmd, "get"):
        return get(proc, opts, rest)
    if matches(cmd, "show") or matches(cmd, "lst") or matches(cmd, "list"):
        return show(proc, opts, rest, flush=False)
    if matches(cmd, "flush"):
        return show(proc, opts, rest, flush=True)
    if matches(cmd, "help"):
        usage(proc)
    proc.err(f'Command "{cmd}" is unknown, try "ip neigh help".\n')
    raise Exit(255)


def _addr(proc: Proc, net, text: str):
    """get_addr: an IPv4 address (arp_tbl's key) or an IPv6 one (nd_tbl's)."""
    v4 = c.get_addr(text)
    if v4 is not None:
        return net.arp_tbl, v4
    try:
        return nd_tbl(net), ipaddress.IPv6Address(text)
    except ValueError:
        proc.err(f'Error: any valid address is expected rather than "{text}".\n')
        raise Exit(1)


def _prefix6(text: str):
    """get_prefix for inet6: an address or address/len."""
    try:
        net = ipaddress.IPv6Network(text, strict=False)
    except ValueError:
        return None
    return net


def format_neigh(n: N.Neighbour, opts: IpOpts, show_dev: bool, now: float) -> str:
    s = c.colored(opts, "inet6" if n.tbl.eth_type == b"\x86\xdd" else "inet", n.key_text + " ")
    if show_dev:
        s += "dev " + c.colored(opts, "ifname", n.dev.name + " ")
    if n.nud_state & N.NUD_VALID and n.ha is not None:
        s += "lladdr " + c.colored(opts, "mac", c.mac_text(n.ha) + " ")
    if n.flags & N.NTF_ROUTER:
        s += "router "
    if n.flags & N.NTF_PROXY:
        s += "proxy "
    if opts.stats:
        ref = 1 if n.timer is not None else 0
        if ref:
            s += f" ref {ref}"
        s += f" used {int(now - n.used)}/{int(now - n.confirmed)}/{int(now - n.updated)}"
        s += f"probes {n.probes} "
    if n.nud_state:
        s += N.nud_name(n.nud_state) + " "
    return s


NUD_STATE_WORDS = [("INCOMPLETE", 0x01), ("REACHABLE", 0x02), ("STALE", 0x04), ("DELAY", 0x08),
                   ("PROBE", 0x10), ("FAILED", 0x20), ("NOARP", 0x40), ("PERMANENT", 0x80)]


def neigh_json(n: N.Neighbour, opts: IpOpts, show_dev: bool, now: float) -> dict:
    """print_neigh's JSON object: flags as nulls, the state as an array of words."""
    o: dict = {"dst": n.key_text}
    if show_dev:
        o["dev"] = n.dev.name
    if n.nud_state & N.NUD_VALID and n.ha is not None:
        o["lladdr"] = c.mac_text(n.ha)
    if n.flags & N.NTF_ROUTER:
        o["router"] = None
    if n.flags & N.NTF_PROXY:
        o["proxy"] = None
    if opts.stats:
        if n.timer is not None:
            o["refcnt"] = 1
        o["used"] = int(now - n.used)
        o["confirmed"] = int(now - n.confirmed)
        o["updated"] = int(now - n.updated)
        o["probes"] = n.probes
    if n.nud_state:
        o["state"] = [w for w, bit in NUD_STATE_WORDS if n.nud_state & bit]
    return o


class NeighFilter:
    """What ipneigh_list_or_flush's parse loop gathers."""

    def __init__(self, flush: bool) -> None:
        self.state_mask = ~0
        if flush:
            self.state_mask &= ~(N.NUD_PERMANENT | N.NUD_NOARP)
        self.state_given = False
        self.dev_name: Optional[str] = None
        self.to = None              # a c.Prefix, or an ipaddress.IPv6Network


def _parse_show(proc: Proc, args: Args, flush: bool) -> NeighFilter:
    f = NeighFilter(flush)
    while args:
        a = args.cur
        if a == "dev":
            f.dev_name = args.next()
        elif a == "nud":
            v = args.next()
            if not f.state_given:
                f.state_given = True
                f.state_mask = 0
            st = nud_a2n(v)
            if st is None:
                if v != "all":
                    c.invarg(proc, "nud state is bad", v)
                st = ~0
                if flush:
                    st &= ~N.NUD_NOARP
            if st == 0:
                st = 0x100
            f.state_mask |= st
        elif matches(a, "proxy"):
            pass
        elif a in ("vrf", "master"):
            args.next()
        elif a == "nomaster":
            pass
        elif a == "all":
            pass
        else:
            if a == "to":
                a = args.next()
            if matches(a, "help"):
                usage(proc)
            p = c.get_prefix(a)
            if p is None:
                p = _prefix6(a)
            if p is None:
                proc.err(f'Error: any valid prefix is expected rather than "{a}".\n')
                raise Exit(1)
            f.to = p
        args.advance()
    return f


def _selected(n: N.Neighbour, f: NeighFilter, dev, v6_to: bool) -> bool:
    if dev is not None and n.dev is not dev:
        return False
    st = n.nud_state
    if not (st & f.state_mask) and not (st == 0 and f.state_mask & 0x100):
        return False
    to = f.to
    if to is not None:
        if v6_to:
            if n.key not in to:
                return False
        elif (n.key ^ to.addr) & c.prefix_mask(to.plen):
            return False
    return True


def show(proc: Proc, opts: IpOpts, args: Args, flush: bool) -> int:
    """ipneigh_list_or_flush: dump arp_tbl and nd_tbl through the filter, or flush."""
    net = opts.net
    f = _parse_show(proc, args, flush)
    if flush and f.dev_name is None and f.to is None and not f.state_given and not args.argv:
        proc.err("Flush requires arguments.\n")
        raise Exit(255)
    if not f.state_given and not flush:
        f.state_mask &= ~N.NUD_NOARP
    dev = None
    if f.dev_name is not None:
        dev = net.dev_by_name(f.dev_name)
        if dev is None:
            proc.err(f'Cannot find device "{f.dev_name}"\n')
            return 1
    json_objs: list = []
    now = net.world.sched.now
    # the kernel dumps arp_tbl, then nd_tbl; a family (-4/-6, or the prefix's) picks one
    tables = []
    v6_to = isinstance(f.to, ipaddress.IPv6Network)
    if opts.family != AF_INET6 and not v6_to:
        tables.append(net.arp_tbl)
    if opts.family in (AF_INET6, 0) and (f.to is None or v6_to):
        tables.append(nd_tbl(net))
    for n in [n for tbl in tables for n in tbl.in_order()]:
        if not _selected(n, f, dev, v6_to):
            continue
        if flush:
            n.tbl.remove(n)
            continue
        if opts.json:
            json_objs.append(neigh_json(n, opts, dev is None, now))
            continue
        proc.out(format_neigh(n, opts, dev is None, now) + "\n")
    if opts.json and not flush:
        from .jsonout import dumps
        proc.out(dumps(json_objs, opts.pretty))
    return 0


def get(proc: Proc, opts: IpOpts, args: Args) -> int:
    net = opts.net
    dst = None
    dev_name = None
    while args:
        a = args.cur
        if a == "dev":
            dev_name = args.next()
        elif matches(a, "proxy"):
            pass
        else:
            if a == "to":
                a = args.next()
            dst = _addr(proc, net, a)
        args.advance()
    if dev_name is None or dst is None:
        proc.err("Device and address are required arguments.\n")
        raise Exit(255)
    dev = net.dev_by_name(dev_name)
    if dev is None:
        proc.err(f'Cannot find device "{dev_name}"\n')
        return 1
    n = dst[0].lookup(dst[1], dev)
    if n is None:
        # neigh_get: NL_SET_ERR_MSG(extack, "Neighbour entry not found"), -ENOENT
        return c.rtnl_error(proc, "ENOENT", "Neighbour entry not found")
    proc.out(format_neigh(n, opts, True, net.world.sched.now) + "\n")
    return 0


class NeighReq:
    """What ipneigh_modify's parse loop gathers."""

    def __init__(self) -> None:
        self.lla: Optional[str] = None
        self.state = N.NUD_PERMANENT
        self.dev_name: Optional[str] = None
        self.dst = None             # (table, key) from _addr
        self.router = False


def _parse_modify(proc: Proc, net, args: Args) -> NeighReq:
    r = NeighReq()
    while args:
        a = args.cur
        if matches(a, "lladdr"):
            v = args.next()
            if r.lla is not None:
                c.duparg(proc, "lladdr", v)
            r.lla = v
        elif a == "nud":
            v = args.next()
            st = nud_a2n(v)
            if st is None:
                c.invarg(proc, "nud state is bad", v)
            r.state = st
        elif matches(a, "proxy"):
            r.dst = _addr(proc, net, args.next())
        elif matches(a, "router"):
            r.router = True
        elif matches(a, "extern_learn") or a in ("managed", "use"):
            pass
        elif a == "dev":
            r.dev_name = args.next()
        elif matches(a, "protocol"):
            args.next()
        else:
            if a == "to":
                a = args.next()
            if matches(a, "help"):
                a = args.next()
            if r.dst is not None:
                c.duparg2(proc, "to", a)
            r.dst = _addr(proc, net, a)
        args.advance()
    return r


def modify(proc: Proc, opts: IpOpts, cmd: str, args: Args) -> int:
    """ipneigh_modify: parse, then RTM_NEWNEIGH / RTM_DELNEIGH (neigh_add, neigh_delete)."""
    net = opts.net
    r = _parse_modify(proc, net, args)
    if r.dev_name is None or r.dst is None:
        proc.err("Device and destination are required arguments.\n")
        raise Exit(255)
    mac = None
    if r.lla is not None and r.lla != "null":
        mac = c.ll_addr_a2n(proc, r.lla)
    dev = net.dev_by_name(r.dev_name)
    if dev is None:
        proc.err(f'Cannot find device "{r.dev_name}"\n')
        return 1
    tbl, dst = r.dst
    n = tbl.lookup(dst, dev)
    if cmd == "del":
        if n is None:
            return c.rtnl_error(proc, "ENOENT")
        N.neigh_update(n, None, N.NUD_FAILED, N.NEIGH_UPDATE_F_OVERRIDE | N.NEIGH_UPDATE_F_ADMIN)
        tbl.remove(n)
        return 0
    if mac is not None and len(mac) < 6:
        return c.rtnl_error(proc, "EINVAL", "Invalid link address")
    if mac is not None:
        mac = mac[:6]
    state = r.state
    if n is None:
        if cmd == "change":
            return c.rtnl_error(proc, "ENOENT")
        if mac is None and state & (N.NUD_PERMANENT | N.NUD_NOARP | N.NUD_REACHABLE
                                    | N.NUD_STALE | N.NUD_DELAY | N.NUD_PROBE):
            return c.rtnl_error(proc, "EINVAL", "No link layer address given")
        n = tbl.create(dst, dev)
    elif cmd == "add":
        return c.rtnl_error(proc, "EEXIST")
    flags = N.NEIGH_UPDATE_F_ADMIN | N.NEIGH_UPDATE_F_OVERRIDE
    if r.router:
        n.flags |= N.NTF_ROUTER
    if state & N.NUD_NOARP or state & N.NUD_PERMANENT:
        n.nud_state = N.NUD_NONE if n.nud_state == N.NUD_NOARP and not state & N.NUD_NOARP else n.nud_state
    if not N.neigh_update(n, mac, state, flags):
        return c.rtnl_error(proc, "EINVAL")
    return 0
