"""`ip address`: show, add, del, flush (iproute2 6.1 ip/ipaddress.c)."""
from __future__ import annotations

from typing import TYPE_CHECKING, Optional

from ...kernel.devinet import IFA_F_NOPREFIXROUTE, AddrError, InIfaddr
from ...kernel.inet import RT_SCOPE_HOST, ntoa, prefix_mask
from ..base import Exit, Proc, matches
from . import common as c
from . import link_show as L
from .common import AF_INET, AF_INET6, AF_PACKET, AF_UNSPEC, Args, IpOpts

if TYPE_CHECKING:  # pragma: no cover
    from ...kernel.netdev import NetDevice

ADDR_USAGE = """Usage: ip address {add|change|replace} IFADDR dev IFNAME [ LIFETIME ]
                                                      [ CONFFLAG-LIST ]
       ip address del IFADDR dev IFNAME [mngtmpaddr]
       ip address {save|flush} [ dev IFNAME ] [ scope SCOPE-ID ]
                            [ to PREFIX ] [ FLAG-LIST ] [ label LABEL ] [up]
       ip address [ show [ dev IFNAME ] [ scope SCOPE-ID ] [ master DEVICE ]
                         [ nomaster ]
                         [ type TYPE ] [ to PREFIX ] [ FLAG-LIST ]
                         [ label LABEL ] [up] [ vrf NAME ] ]
       ip address {showdump|restore}
IFADDR := PREFIX | ADDR peer PREFIX
          [ broadcast ADDR ] [ anycast ADDR ]
          [ label IFNAME ] [ scope SCOPE-ID ] [ metric METRIC ]
SCOPE-ID := [ host | link | global | NUMBER ]
FLAG-LIST := [ FLAG-LIST ] FLAG
FLAG  := [ permanent | dynamic | secondary | primary |
           [-]tentative | [-]deprecated | [-]dadfailed | temporary |
           CONFFLAG-LIST ]
CONFFLAG-LIST := [ CONFFLAG-LIST ] CONFFLAG
CONFFLAG  := [ home | nodad | mngtmpaddr | noprefixroute | autojoin ]
LIFETIME := [ valid_lft LFT ] [ preferred_lft LFT ]
LFT := forever | SECONDS
""" + c.TYPES_USAGE


def usage(proc: Proc) -> None:
    proc.err(ADDR_USAGE)
    raise Exit(255)


def do_ipaddr(proc: Proc, opts: IpOpts, argv: list[str]) -> int:
    if not argv:
        return show(proc, opts, Args(proc, []), flush=False)
    cmd = argv[0]
    rest = Args(proc, argv[1:])
    if matches(cmd, "add"):
        return modify(proc, opts, "add", rest)
    if matches(cmd, "change") or matches(cmd, "chg"):
        return modify(proc, opts, "change", rest)
    if matches(cmd, "replace"):
        return modify(proc, opts, "replace", rest)
    if matches(cmd, "delete"):
        return modify(proc, opts, "del", rest)
    if matches(cmd, "list") or matches(cmd, "show") or matches(cmd, "lst"):
        return show(proc, opts, rest, flush=False)
    if matches(cmd, "flush"):
        return show(proc, opts, rest, flush=True)
    if matches(cmd, "help"):
        usage(proc)
    proc.err(f'Command "{cmd}" is unknown, try "ip address help".\n')
    raise Exit(255)


# ---------------------------------------------------------------- printing

def addr_line(ifa: InIfaddr, opts: IpOpts) -> list[str]:
    local = c.colored(opts, "inet", ntoa(ifa.local))
    s = f"    inet {local}"
    if ifa.address != ifa.local:
        s += " peer " + c.colored(opts, "inet", ntoa(ifa.address))
    s += f"/{ifa.prefixlen} "
    if ifa.rt_priority:
        s += f"metric {ifa.rt_priority} "
    if ifa.broadcast:
        s += "brd " + c.colored(opts, "inet", ntoa(ifa.broadcast) + " ")   # "%s " inside the colour
    s += f"scope {c.scope_name(ifa.scope)} "
    if ifa.secondary:
        s += "secondary "
    if ifa.flags & IFA_F_NOPREFIXROUTE:
        s += "noprefixroute "
    s += ifa.label
    return [s, "       valid_lft forever preferred_lft forever"]


def addr6_line(a, opts: IpOpts) -> list[str]:
    s = f"    inet6 {c.colored(opts, 'inet6', str(a.addr))}/{a.plen} scope {a.scope} "
    for f in a.flag_words():
        s += f + " "
    return [s, "       valid_lft forever preferred_lft forever"]


INFINITY_LIFE_TIME = 0xFFFFFFFF


def addr_json(ifa: InIfaddr, brief: bool = False) -> dict:
    """print_addrinfo's JSON object for an IPv4 address."""
    o: dict = {} if brief else {"family": "inet"}
    o["local"] = ntoa(ifa.local)
    if ifa.address != ifa.local:
        o["address"] = ntoa(ifa.address)
    o["prefixlen"] = ifa.prefixlen
    if ifa.rt_priority:
        o["metric"] = ifa.rt_priority
    if brief:
        return o
    if ifa.broadcast:
        o["broadcast"] = ntoa(ifa.broadcast)
    o["scope"] = c.scope_name(ifa.scope)
    if ifa.secondary:
        o["secondary"] = True
    if ifa.flags & IFA_F_NOPREFIXROUTE:
        o["noprefixroute"] = True
    o["label"] = ifa.label
    o["valid_life_time"] = INFINITY_LIFE_TIME
    o["preferred_life_time"] = INFINITY_LIFE_TIME
    return o


def addr6_json(a, brief: bool = False) -> dict:
    """print_addrinfo's JSON object for an IPv6 address (no label: IFA_LABEL is IPv4's)."""
    o: dict = {} if brief else {"family": "inet6"}
    o["local"] = str(a.addr)
    o["prefixlen"] = a.plen
    if brief:
        return o
    o["scope"] = a.scope
    for word in a.flag_words():     # ifa_flag_data's order, one boolean each
        o[word] = True
    o["valid_life_time"] = INFINITY_LIFE_TIME
    o["preferred_life_time"] = INFINITY_LIFE_TIME
    return o


def brief_addr(dev: "NetDevice", net, opts: IpOpts, ifas, ifa6) -> str:
    name, _ = c.link_name(dev, net)
    state = dev.operstate()
    sc = "up" if state == "UP" else "down" if state == "DOWN" else None
    st = f"{state:<14} "
    out = c.colored(opts, "ifname", f"{name:<16} ") + (c.colored(opts, sc, st) if sc else st)
    for ifa in ifas:
        a = c.colored(opts, "inet", ntoa(ifa.local))
        if ifa.address != ifa.local:
            a += " peer " + c.colored(opts, "inet", ntoa(ifa.address))
        out += f"{a}/{ifa.prefixlen} "
    for x in ifa6:
        out += f"{c.colored(opts, 'inet6', str(x.addr))}/{x.plen} "
    return out


def _ifa_matches(ifa: InIfaddr, f: L.LinkFilter) -> bool:
    if f.scope is not None and ifa.scope != f.scope:
        return False
    if f.label is not None:
        import fnmatch
        if not fnmatch.fnmatchcase(ifa.label, f.label):
            return False
    if f.to is not None:
        p = f.to
        if (ifa.local ^ p.addr) & prefix_mask(p.plen):
            return False
    fl = f.flags
    if "primary" in fl and fl["primary"] == ifa.secondary:
        return False
    if "secondary" in fl and fl["secondary"] != ifa.secondary:
        return False
    if fl.get("dynamic") or fl.get("tentative") or fl.get("deprecated") or fl.get("dadfailed") \
            or fl.get("temporary"):
        return False
    return True


def show(proc: Proc, opts: IpOpts, args: Args, flush: bool) -> int:
    net = opts.net
    if flush and not args:
        proc.err("Flush requires arguments.\n")
        return 1
    if flush and opts.family == AF_PACKET:
        proc.err("Cannot flush link addresses.\n")
        return 1
    f = L.parse_show_filter(proc, net, args, True, usage)
    devs = net.devices_in_order()
    if f.dev is not None:
        d = net.dev_by_name(f.dev)
        if d is None:
            proc.err(f'Device "{f.dev}" does not exist.\n')
            return 1
        devs = [d]
    if flush:
        return _flush(proc, opts, net, devs, f)
    fam = opts.family
    if fam == AF_INET6 and f.dev is None:
        from dataclasses import replace
        opts = replace(opts, inet6_dump=True)
    objs: list = []
    for dev in devs:
        if not L.kernel_dump_matches(dev, f):
            continue
        ifas = [] if fam in (AF_INET6, AF_PACKET) else [
            i for i in (dev.in_dev.ifa_list if dev.in_dev else []) if _ifa_matches(i, f)]
        ifa6 = [] if fam in (AF_INET, AF_PACKET) or f.label is not None or (
            f.to is not None) else [x for x in dev.inet6 if _v6_match(x, f)]
        # ipaddr_filter: a link stays if one of its addresses passes, or if it has no
        # address at all and no family was asked for
        has_any = bool(dev.in_dev is not None and dev.in_dev.ifa_list) or bool(dev.inet6)
        if not ifas and not ifa6 and (has_any or fam in (AF_INET, AF_INET6)):
            continue
        if not L.link_matches(dev, f):
            if opts.json:
                objs.append({})      # print_linkinfo refused it inside its open object
            continue
        if opts.json:
            if opts.brief:
                o = L.brief_link_json(dev, net, opts)
            else:
                o = L.link_json(dev, net, opts, False)
            o["addr_info"] = ([addr_json(i, opts.brief) for i in ifas]
                              + [addr6_json(x, opts.brief) for x in ifa6])
            objs.append(o)
            continue
        if opts.brief:
            proc.out(brief_addr(dev, net, opts, ifas, ifa6) + "\n")
            continue
        if opts.oneline:
            if fam == AF_PACKET or (fam == AF_UNSPEC and not ifas and not ifa6 and False):
                proc.out(L.join(L.link_lines(dev, net, opts, False), opts))
                continue
            if fam == AF_PACKET:
                continue
            for ifa in ifas:
                proc.out(f"{dev.ifindex}: {dev.name}" + "\\".join(addr_line(ifa, opts)) + "\n")
            for x in ifa6:
                proc.out(f"{dev.ifindex}: {dev.name}" + "\\".join(addr6_line(x, opts)) + "\n")
            continue
        if f.label is None:
            lines = L.link_lines(dev, net, opts, False)
        else:
            lines = []
        for ifa in ifas:
            lines.extend(addr_line(ifa, opts))
        for x in ifa6:
            lines.extend(addr6_line(x, opts))
        if lines:
            proc.out("\n".join(lines) + "\n")
    if opts.json:
        from .jsonout import dumps
        proc.out(dumps(objs, opts.pretty))
    return 0


def _v6_match(a, f: L.LinkFilter) -> bool:
    if f.scope is not None:
        want = {0: "global", 253: "link", 254: "host"}.get(f.scope)
        if a.scope != want:
            return False
    if f.flags.get("secondary") or f.flags.get("dynamic"):
        return False
    if "tentative" in f.flags and f.flags["tentative"] != a.tentative:
        return False
    return True


def _flush(proc: Proc, opts: IpOpts, net, devs, f: L.LinkFilter) -> int:
    for dev in devs:
        if not L.link_matches(dev, f) or dev.in_dev is None:
            continue
        if opts.family == AF_INET6:
            continue
        for ifa in list(dev.in_dev.ifa_list):
            if ifa in dev.in_dev.ifa_list and _ifa_matches(ifa, f):
                try:
                    net.del_address(dev, ifa)
                except AddrError:
                    pass
    return 0


# ---------------------------------------------------------------- add / del

class AddrReq:
    """What ipaddr_modify's parse loop gathers."""

    def __init__(self) -> None:
        self.peer: Optional[c.Prefix] = None
        self.brd: object = None             # "+", "-" or an address
        self.local: Optional[c.Prefix] = None
        self.local_arg = ""
        self.scope: Optional[int] = None
        self.dev_name: Optional[str] = None
        self.label: Optional[str] = None
        self.metric = 0
        self.noprefixroute = False


# ipaddr_modify's keywords, in the order of its chain (see common.Keywords)
_KEYWORDS = c.Keywords()


@_KEYWORDS.on("peer", "remote")
def _peer(proc: Proc, args: Args, r: AddrReq) -> None:
    v = args.next()
    if r.peer is not None:
        c.duparg(proc, "peer", v)
    r.peer = _prefix_or_die(proc, v)


@_KEYWORDS.on("brd", prefix=("broadcast",))
def _broadcast(proc: Proc, args: Args, r: AddrReq) -> None:
    v = args.next()
    if r.brd is not None:
        c.duparg(proc, "broadcast", v)
    if v in ("+", "-"):
        r.brd = v
        return
    addr = c.get_addr(v)
    if addr is None:
        proc.err(f'Error: inet address is expected rather than "{v}".\n')
        raise Exit(1)
    r.brd = addr


@_KEYWORDS.on("anycast")
def _anycast(proc: Proc, args: Args, r: AddrReq) -> None:
    args.next()


@_KEYWORDS.on("scope")
def _scope(proc: Proc, args: Args, r: AddrReq) -> None:
    v = args.next()
    sc = c.scope_a2n(v)
    if sc is None:
        c.invarg(proc, "invalid scope value.", v)
    r.scope = sc


@_KEYWORDS.on("dev")
def _dev(proc: Proc, args: Args, r: AddrReq) -> None:
    r.dev_name = args.next()


@_KEYWORDS.on("label")
def _label(proc: Proc, args: Args, r: AddrReq) -> None:
    r.label = args.next()


@_KEYWORDS.on(prefix=("metric", "priority", "preference"))
def _metric(proc: Proc, args: Args, r: AddrReq) -> None:
    v = args.next()
    n = c.get_unsigned(v)
    if n is None or n > 0xFFFFFFFF:
        c.invarg(proc, '"metric" value is invalid\n', v)
    r.metric = n


@_KEYWORDS.on(prefix=("valid_lft", "preferred_lft"))
def _lifetime(proc: Proc, args: Args, r: AddrReq) -> None:
    a = args.cur
    v = args.next()
    if v != "forever" and c.get_unsigned(v) is None:
        c.invarg(proc, f'"{a}" value is invalid\n', v)


@_KEYWORDS.on("noprefixroute")
def _noprefixroute(proc: Proc, args: Args, r: AddrReq) -> None:
    r.noprefixroute = True


@_KEYWORDS.on("home", "nodad", "optimistic", "mngtmpaddr", "autojoin")
def _ignored_flag(proc: Proc, args: Args, r: AddrReq) -> None:
    pass


def _local(proc: Proc, args: Args, r: AddrReq) -> None:
    """The chain's last else: `[local] IFADDR`, or `help`."""
    a = args.cur
    if a == "local":
        a = args.next()
    if matches(a, "help"):
        usage(proc)
    if r.local is not None:
        c.duparg2(proc, "local", a)
    r.local_arg = a
    r.local = _prefix_or_die(proc, a)


def modify(proc: Proc, opts: IpOpts, cmd: str, args: Args) -> int:
    """ipaddr_modify: parse IFADDR and its options, then RTM_NEWADDR / RTM_DELADDR."""
    net = opts.net
    if opts.family == AF_INET6 or _local_is_v6(args.rest()):
        return modify6(proc, opts, cmd, args)
    r = AddrReq()
    _KEYWORDS.parse(proc, args, r, _local)
    if r.dev_name is None:
        proc.err('Not enough information: "dev" argument is required.\n')
        return 1
    local = r.local
    if local is None:
        if net.dev_by_name(r.dev_name) is None:
            proc.err(f'Cannot find device "{r.dev_name}"\n')
            return 1
        return c.rtnl_error(proc, "EOPNOTSUPP")
    wildcard = False
    peer = r.peer
    if peer is None:
        if cmd == "del" and not local.has_len:
            wildcard = True
            proc.err("Warning: Executing wildcard deletion to stay compatible with old scripts.\n"
                     f"         Explicitly specify the prefix length ({r.local_arg}/32) to avoid this warning.\n"
                     "         This special behaviour is likely to disappear in further releases,\n"
                     "         fix your scripts!\n")
        else:
            peer = local
    plen = local.plen if peer is None or peer is local else peer.plen
    dev = net.dev_by_name(r.dev_name)
    if dev is None:
        proc.err(f'Cannot find device "{r.dev_name}"\n')
        return 1
    scope = r.scope
    if scope is None:
        scope = RT_SCOPE_HOST if (local.addr >> 24) == 127 else 0
    if cmd == "del":
        return _delete(proc, net, dev, local.addr, None if wildcard else (peer.addr if peer else None),
                       plen, r.label)
    return _add(proc, net, dev, cmd, r, peer, plen, scope)


def _broadcast_of(r: AddrReq, base: int, plen: int) -> int:
    """`broadcast +` (all host bits set) or `-` (none), below /31; else the address given."""
    if isinstance(r.brd, str):
        if plen < 31:
            mask = prefix_mask(plen)
            return (base | (~mask & 0xFFFFFFFF)) if r.brd == "+" else (base & mask)
        return 0
    if isinstance(r.brd, int):
        return r.brd
    return 0


def _add(proc: Proc, net, dev, cmd: str, r: AddrReq, peer: c.Prefix, plen: int, scope: int) -> int:
    """RTM_NEWADDR (inet_rtm_newaddr): a new ifa, or with replace/change the one that matches."""
    local = r.local
    broadcast = _broadcast_of(r, peer.addr, plen)
    if dev.in_dev is None:
        return c.rtnl_error(proc, "ENODEV")
    address = peer.addr
    for ifa in dev.in_dev.ifa_list:
        if ifa.local == local.addr and ifa.prefixlen == plen and ifa.match(address) \
                and ifa.mask == prefix_mask(plen):
            if cmd in ("replace", "change"):
                ifa.broadcast = broadcast
                ifa.scope = scope
                if r.label:
                    ifa.label = r.label
                ifa.rt_priority = r.metric
                return 0
            return c.rtnl_error(proc, "EEXIST", "ipv4: Address already assigned")
    if cmd == "change":
        return c.rtnl_error(proc, "ENOENT")
    ifa = InIfaddr(local.addr, plen, broadcast, scope, r.label or dev.name, address=address)
    ifa.rt_priority = r.metric
    if r.noprefixroute:
        ifa.flags |= IFA_F_NOPREFIXROUTE
    try:
        net.add_address(dev, ifa)
    except AddrError as err:
        return c.rtnl_error(proc, err.errno, err.msg)
    return 0


def _prefix_or_die(proc: Proc, text: str) -> c.Prefix:
    p = c.get_prefix(text, allow_default=False)
    if p is None:
        proc.err(f'Error: any valid prefix is expected rather than "{text}".\n')
        raise Exit(1)
    return p


def _delete(proc: Proc, net, dev, local: int, address, plen: int, label) -> int:
    for ifa in list(dev.in_dev.ifa_list if dev.in_dev else []):
        if ifa.local != local:
            continue
        if label is not None and ifa.label != label:
            continue
        if address is not None and (plen != ifa.prefixlen or not ifa.match(address)):
            continue
        net.del_address(dev, ifa)
        return 0
    return c.rtnl_error(proc, "EADDRNOTAVAIL", "ipv4: Address not found")


_WITH_VALUE = {"dev", "label", "brd", "broadcast", "scope", "peer", "remote", "metric",
               "priority", "preference", "valid_lft", "preferred_lft", "anycast"}


def _local_is_v6(words: list[str]) -> bool:
    """Is the address being added an IPv6 one (the word that is not a keyword's value)?"""
    i = 0
    while i < len(words):
        w = words[i]
        if w in _WITH_VALUE:
            i += 2
            continue
        if w == "local" and i + 1 < len(words):
            return ":" in words[i + 1]
        if ":" in w:
            return True
        i += 1
    return False


def modify6(proc: Proc, opts: IpOpts, cmd: str, args: Args) -> int:
    """`ip -6 addr add|del ADDR/LEN dev DEV [nodad] [noprefixroute]`."""
    import ipaddress
    from ...kernel import ipv6
    net = opts.net
    local = None
    plen = 128
    dev_name = None
    flags = 0
    while args:
        a = args.cur
        if a == "dev":
            dev_name = args.next()
        elif a == "nodad":
            flags |= ipv6.IFA_F_NODAD
        elif a == "noprefixroute":
            flags |= ipv6.IFA_F_NOPREFIXROUTE
        elif a in ("home", "mngtmpaddr", "optimistic", "autojoin"):
            pass
        elif a in ("scope", "label", "valid_lft", "preferred_lft", "metric", "peer"):
            args.next()
        else:
            if a == "local":
                a = args.next()
            text, _, length = a.partition("/")
            try:
                local = ipaddress.IPv6Address(text)
                plen = int(length) if length else 128
                if not 0 <= plen <= 128:
                    raise ValueError
            except ValueError:
                proc.err(f'Error: any valid prefix is expected rather than "{a}".\n')
                raise Exit(1)
        args.advance()
    if dev_name is None:
        proc.err('Not enough information: "dev" argument is required.\n')
        return 1
    dev = net.dev_by_name(dev_name)
    if dev is None:
        proc.err(f'Cannot find device "{dev_name}"\n')
        return 1
    if local is None:
        return c.rtnl_error(proc, "EOPNOTSUPP")
    if cmd == "del":
        for x in dev.inet6:
            if x.addr == local and x.plen == plen:
                ipv6.del_address(dev, x)
                return 0
        return c.rtnl_error(proc, "EADDRNOTAVAIL", "ipv6: address not found")
    if not ipv6.enabled(dev) or not dev.is_up and False:
        return c.rtnl_error(proc, "EACCES", "ipv6: IPv6 is disabled on this device")
    if any(x.addr == local for x in dev.inet6):
        return c.rtnl_error(proc, "EEXIST", "ipv6: address already assigned")
    ipv6.add_address(dev, ipv6.Addr6(local, plen, flags))
    return 0
