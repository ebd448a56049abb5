"""`ip` from iproute2 6.1: global options, then the object (link, address, route, ...)."""
from __future__ import annotations

import inspect

from ..base import Exit, Proc, matches
from .common import AF_BRIDGE, AF_INET, AF_INET6, AF_MPLS, AF_PACKET, IpOpts

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


async def main(proc: Proc, argv: list[str]) -> int:
    opts = IpOpts(net=proc.net)
    args = argv[1:]
    while args:
        opt = args[0]
        if opt == "--":
            args = args[1:]
            break
        if not opt.startswith("-"):
            break
        if opt.startswith("--"):
            opt = opt[1:]
        if matches(opt, "-loops"):
            if len(args) < 2:
                _incomplete(proc)
            args = args[1:]
        elif matches(opt, "-family"):
            if len(args) < 2:
                _incomplete(proc)
            fam = args[1]
            args = args[1:]
            table = {"inet": AF_INET, "inet6": AF_INET6, "link": AF_PACKET, "bridge": AF_BRIDGE,
                     "mpls": AF_MPLS, "help": None}
            if fam not in table:
                proc.err(f'Error: argument "{fam}" is wrong: invalid protocol family\n')
                raise Exit(255)
            if table[fam] is None:
                proc.err(USAGE)
                raise Exit(255)
            opts.family = table[fam]
        elif opt == "-4":
            opts.family = AF_INET
        elif opt == "-6":
            opts.family = AF_INET6
        elif opt == "-0":
            opts.family = AF_PACKET
        elif opt == "-M":
            opts.family = AF_MPLS
        elif opt == "-B":
            opts.family = AF_BRIDGE
        elif matches(opt, "-human") or matches(opt, "-human-readable"):
            opts.human = True
        elif matches(opt, "-iec"):
            pass
        elif matches(opt, "-stats") or matches(opt, "-statistics"):
            opts.stats += 1
        elif matches(opt, "-details"):
            opts.details += 1
        elif matches(opt, "-resolve"):
            opts.resolve = True
        elif matches(opt, "-oneline"):
            opts.oneline = True
        elif matches(opt, "-timestamp") or matches(opt, "-tshort"):
            pass
        elif matches(opt, "-Version"):
            proc.out("ip utility, iproute2-6.1.0, libbpf 1.1.2\n")
            return 0
        elif matches(opt, "-force"):
            opts.force = True
        elif matches(opt, "-batch"):
            proc.err("vethtui: ip -batch: not simulated\n")
            return 1
        elif matches(opt, "-brief"):
            opts.brief = True
        elif matches(opt, "-json"):
            opts.json = True
        elif matches(opt, "-pretty"):
            opts.pretty = True
        elif matches(opt, "-rcvbuf"):
            if len(args) < 2:
                _incomplete(proc)
            args = args[1:]
        elif opt in ("-c", "-color", "-colour") or opt.startswith("-color=") or opt.startswith("-colour="):
            val = opt.split("=", 1)[1] if "=" in opt else "always"
            opts.color = val in ("always", "auto") and (val == "always" or proc.tty)
        elif matches(opt, "-help"):
            proc.err(USAGE)
            raise Exit(255)
        elif matches(opt, "-netns"):
            if len(args) < 2:
                _incomplete(proc)
            name = args[1]
            args = args[1:]
            target = proc.world.netns.get(name)
            if target is None:
                proc.err(f'Cannot open network namespace "{name}": No such file or directory\n')
                raise Exit(255)
            opts.net = target
            proc.net = target
        elif matches(opt, "-Numeric"):
            opts.numeric = True
        elif matches(opt, "-all"):
            pass
        else:
            proc.err(f'Option "{opt}" is unknown, try "ip -help".\n')
            raise Exit(255)
        args = args[1:]
    if opts.json:
        opts.color = False       # check_enable_color(color, json): never both
    if not args:
        proc.err(USAGE)
        raise Exit(255)
    obj = args[0]
    for name in OBJECTS:
        if matches(obj, name):
            return await _dispatch(proc, opts, name, args[1:])
    proc.err(f'Object "{obj}" is unknown, try "ip help".\n')
    return 1


def _incomplete(proc: Proc) -> None:
    proc.err('Command line is not complete. Try option "help"\n')
    raise Exit(255)


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
