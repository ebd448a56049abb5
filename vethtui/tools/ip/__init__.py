"""`ip` from iproute2 6.1: global options, then the object (link, address, route, ...)."""
from __future__ import annotations

from typing import Optional

from ..base import Exit, Proc, matches
from .common import AF_BRIDGE, AF_INET, AF_INET6, AF_MPLS, AF_PACKET, Args, IpOpts, Keywords

USAGE = """Usage: ip [ OPTIONS ] OBJECT { COMMAND | help }
       ip [ -force ] -batch filename
where  OBJECT := { address | addrlabel | amt | fou | help | ila | ioam | l2tp |
                   link | macsec | maddress | monitor | mptcp | mroute | mrule |
                   neighbor | neighbour | netconf | netns | nexthop | ntable |
                   ntbl | route | rule | sr | tap | tcpmetrics |
                   token | tunnel | tuntap | vrf | xfrm }
       OPTIONS := { -V[ersion] | -s[tatistics] | -d[etails] | -r[esolve] |
                    -h[uman-readable] | -iec | -j[son] | -p[retty] |
                    -f[amily] { inet | inet6 | mpls | bridge | link } |
                    -4 | -6 | -M | -B | -0 |
                    -l[oops] { maximum-addr-flush-attempts } | -br[ief] |
                    -o[neline] | -t[imestamp] | -ts[hort] | -b[atch] [filename] |
                    -rc[vbuf] [size] | -n[etns] name | -N[umeric] | -a[ll] |
                    -c[olor]}
"""

OBJECTS = ["address", "addrlabel", "maddress", "route", "rule", "neighbor", "neighbour",
           "ntable", "ntbl", "link", "l2tp", "fou", "ila", "macsec", "tunnel", "tunl",
           "tuntap", "tap", "token", "tcpmetrics", "tcp_metrics", "monitor", "xfrm",
           "mroute", "mrule", "netns", "netconf", "vrf", "sr", "nexthop", "mptcp", "ioam",
           "stats", "help"]


class _Globals:
    """What ip.c's option loop sets: the options, the option word as read (one leading
    dash of `--x` dropped), and the status when an option ends the run (-V, -batch)."""

    def __init__(self, proc: Proc) -> None:
        self.opts = IpOpts(net=proc.net)
        self.opt = ""
        self.status: Optional[int] = None


# ip.c main's options, in the order of its chain (see common.Keywords)
_OPTIONS = Keywords()


@_OPTIONS.on(prefix=("-loops",))
def _skip_value(proc: Proc, args: Args, g: _Globals) -> None:
    args.next()


@_OPTIONS.on(prefix=("-family",))
def _family(proc: Proc, args: Args, g: _Globals) -> None:
    fam = args.next()
    table = {"inet": AF_INET, "inet6": AF_INET6, "link": AF_PACKET, "bridge": AF_BRIDGE,
             "mpls": AF_MPLS, "help": None}
    if fam not in table:
        proc.err(f'Error: argument "{fam}" is wrong: invalid protocol family\n')
        raise Exit(255)
    if table[fam] is None:
        proc.err(USAGE)
        raise Exit(255)
    g.opts.family = table[fam]


@_OPTIONS.on("-4", "-6", "-0", "-M", "-B")
def _family_letter(proc: Proc, args: Args, g: _Globals) -> None:
    g.opts.family = {"-4": AF_INET, "-6": AF_INET6, "-0": AF_PACKET, "-M": AF_MPLS,
                     "-B": AF_BRIDGE}[g.opt]


@_OPTIONS.on(prefix=("-human", "-human-readable"))
def _human(proc: Proc, args: Args, g: _Globals) -> None:
    g.opts.human = True


@_OPTIONS.on(prefix=("-iec",))
def _ignored(proc: Proc, args: Args, g: _Globals) -> None:
    pass


@_OPTIONS.on(prefix=("-stats", "-statistics"))
def _stats(proc: Proc, args: Args, g: _Globals) -> None:
    g.opts.stats += 1


@_OPTIONS.on(prefix=("-details",))
def _details(proc: Proc, args: Args, g: _Globals) -> None:
    g.opts.details += 1


@_OPTIONS.on(prefix=("-resolve",))
def _resolve(proc: Proc, args: Args, g: _Globals) -> None:
    g.opts.resolve = True


@_OPTIONS.on(prefix=("-oneline",))
def _oneline(proc: Proc, args: Args, g: _Globals) -> None:
    g.opts.oneline = True


_OPTIONS.on(prefix=("-timestamp", "-tshort"))(_ignored)


@_OPTIONS.on(prefix=("-Version",))
def _version(proc: Proc, args: Args, g: _Globals) -> None:
    proc.out("ip utility, iproute2-6.1.0, libbpf 1.1.2\n")
    g.status = 0


@_OPTIONS.on(prefix=("-force",))
def _force(proc: Proc, args: Args, g: _Globals) -> None:
    g.opts.force = True


@_OPTIONS.on(prefix=("-batch",))
def _batch(proc: Proc, args: Args, g: _Globals) -> None:
    proc.err("vethtui: ip -batch: not simulated\n")
    g.status = 1


@_OPTIONS.on(prefix=("-brief",))
def _brief(proc: Proc, args: Args, g: _Globals) -> None:
    g.opts.brief = True


@_OPTIONS.on(prefix=("-json",))
def _json(proc: Proc, args: Args, g: _Globals) -> None:
    g.opts.json = True


@_OPTIONS.on(prefix=("-pretty",))
def _pretty(proc: Proc, args: Args, g: _Globals) -> None:
    g.opts.pretty = True


_OPTIONS.on(prefix=("-rcvbuf",))(_skip_value)


@_OPTIONS.on("-c", "-color", "-colour", starts=("-color=", "-colour="))
def _color(proc: Proc, args: Args, g: _Globals) -> None:
    val = g.opt.split("=", 1)[1] if "=" in g.opt else "always"
    g.opts.color = val in ("always", "auto") and (val == "always" or proc.tty)


@_OPTIONS.on(prefix=("-help",))
def _help(proc: Proc, args: Args, g: _Globals) -> None:
    proc.err(USAGE)
    raise Exit(255)


@_OPTIONS.on(prefix=("-netns",))
def _netns(proc: Proc, args: Args, g: _Globals) -> None:
    name = args.next()
    target = proc.world.netns.get(name)
    if target is None:
        proc.err(f'Cannot open network namespace "{name}": No such file or directory\n')
        raise Exit(255)
    g.opts.net = target
    proc.net = target


@_OPTIONS.on(prefix=("-Numeric",))
def _numeric(proc: Proc, args: Args, g: _Globals) -> None:
    g.opts.numeric = True


@_OPTIONS.on(prefix=("-all",))
def _all(proc: Proc, args: Args, g: _Globals) -> None:
    g.opts.do_all = True


def _unknown(proc: Proc, args: Args, g: _Globals) -> None:
    proc.err(f'Option "{g.opt}" is unknown, try "ip -help".\n')
    raise Exit(255)


async def main(proc: Proc, argv: list[str]) -> int:
    g = _Globals(proc)
    args = Args(proc, argv[1:])
    while args:
        opt = args.cur
        if opt == "--":
            args.advance()
            break
        if not opt.startswith("-"):
            break
        g.opt = opt[1:] if opt.startswith("--") else opt
        (_OPTIONS.find(g.opt) or _unknown)(proc, args, g)
        if g.status is not None:
            return g.status
        args.advance()
    opts = g.opts
    if opts.json:
        opts.color = False       # check_enable_color(color, json): never both
    rest = args.rest()
    if not rest:
        proc.err(USAGE)
        raise Exit(255)
    obj = rest[0]
    for name in OBJECTS:
        if matches(obj, name):
            return await _dispatch(proc, opts, name, rest[1:])
    proc.err(f'Object "{obj}" is unknown, try "ip help".\n')
    return 1


async def _dispatch(proc: Proc, opts: IpOpts, obj: str, argv: list[str]) -> int:
    from . import addr, link, neigh, netns, route, rule
    if obj == "link":
        return link.do_iplink(proc, opts, argv)
    if obj == "address":
        return addr.do_ipaddr(proc, opts, argv)
    if obj == "route":
        return route.do_iproute(proc, opts, argv)
    if obj in ("neighbor", "neighbour"):
        return neigh.do_ipneigh(proc, opts, argv)
    if obj == "netns":
        return await netns.do_netns(proc, opts, argv)
    if obj == "rule":
        return rule.do_iprule(proc, opts, argv)
    if obj == "help":
        proc.err(USAGE)
        raise Exit(255)
    proc.err(f"vethtui: ip {obj}: not simulated\n")
    return 127
