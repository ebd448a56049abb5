"""`ip link`: add (veth, bridge), set, delete, and the dispatch to show (iproute2 6.1 ip/iplink.c).

Show is ipaddress.c's print_linkinfo, in link_show.py; a link type's own options are its
module's, as ip/link_*.c: link_veth.py, bridge_details.py."""
from __future__ import annotations

import re
from typing import Optional

from ...kernel.netdev import IFF_MULTICAST, IFF_NOARP, NetDevice
from ...kernel.netns import NetdevError
from ..base import Exit, Proc, matches
from . import common as c
from . import link_show
from .common import Args, IpOpts
# What other modules read from here (netview: colored, link_lines, stats_lines):
from .common import colored  # noqa: F401
from .link_show import link_lines, stats_lines  # noqa: F401

LINK_USAGE = """Usage: ip link add [link DEV | parentdev NAME] [ name ] NAME
		    [ txqueuelen PACKETS ]
		    [ address LLADDR ]
		    [ broadcast LLADDR ]
		    [ mtu MTU ] [index IDX ]
		    [ numtxqueues QUEUE_COUNT ]
		    [ numrxqueues QUEUE_COUNT ]
		    [ netns { PID | NAME } ]
		    type TYPE [ ARGS ]

	ip link delete { DEVICE | dev DEVICE | group DEVGROUP } type TYPE [ ARGS ]

	ip link set { DEVICE | dev DEVICE | group DEVGROUP }
			[ { up | down } ]
			[ type TYPE ARGS ]
		[ arp { on | off } ]
		[ dynamic { on | off } ]
		[ multicast { on | off } ]
		[ allmulticast { on | off } ]
		[ promisc { on | off } ]
		[ trailers { on | off } ]
		[ carrier { on | off } ]
		[ txqueuelen PACKETS ]
		[ name NEWNAME ]
		[ address LLADDR ]
		[ broadcast LLADDR ]
		[ mtu MTU ]
		[ netns { PID | NAME } ]
		[ link-netns NAME | link-netnsid ID ]
		[ alias NAME ]
		[ vf NUM [ mac LLADDR ]
			 [ vlan VLANID [ qos VLAN-QOS ] [ proto VLAN-PROTO ] ]
			 [ rate TXRATE ]
			 [ max_tx_rate TXRATE ]
			 [ min_tx_rate TXRATE ]
			 [ spoofchk { on | off} ]
			 [ query_rss { on | off} ]
			 [ state { auto | enable | disable} ]
			 [ trust { on | off} ]
			 [ node_guid EUI64 ]
			 [ port_guid EUI64 ] ]
		[ { xdp | xdpgeneric | xdpdrv | xdpoffload } { off |
			  object FILE [ { section | program } NAME ] [ verbose ] |
			  pinned FILE } ]
		[ master DEVICE ][ vrf NAME ]
		[ nomaster ]
		[ addrgenmode { eui64 | none | stable_secret | random } ]
		[ protodown { on | off } ]
		[ protodown_reason PREASON { on | off } ]
		[ gso_max_size BYTES ] | [ gso_max_segs PACKETS ]
		[ gro_max_size BYTES ]

	ip link show [ DEVICE | group GROUP ] [up] [master DEV] [vrf NAME] [type TYPE]
		[nomaster]

	ip link xstats type TYPE [ ARGS ]

	ip link afstats [ dev DEVICE ]
	ip link property add dev DEVICE [ altname NAME .. ]
	ip link property del dev DEVICE [ altname NAME .. ]

	ip link help [ TYPE ]

""" + c.TYPES_USAGE

KNOWN_TYPES = {"amt", "bareudp", "bond", "bond_slave", "bridge", "bridge_slave", "dsa", "dummy",
               "erspan", "geneve", "gre", "gretap", "gtp", "ifb", "ip6erspan", "ip6gre",
               "ip6gretap", "ip6tnl", "ipip", "ipoib", "ipvlan", "ipvtap", "macsec", "macvlan",
               "macvtap", "netdevsim", "nlmon", "rmnet", "sit", "team", "team_slave", "vcan",
               "veth", "vlan", "vrf", "vti", "vxcan", "vxlan", "wwan", "xfrm", "virt_wifi"}
SIMULATED_TYPES = {"veth", "bridge"}


def usage(proc: Proc) -> None:
    proc.err(LINK_USAGE)
    raise Exit(255)


def do_show(proc: Proc, opts: IpOpts, args: Args) -> int:
    return link_show.do_show(proc, opts, args, usage)


def do_iplink(proc: Proc, opts: IpOpts, argv: list[str]) -> int:
    if not argv:
        return do_show(proc, opts, Args(proc, []))
    cmd = argv[0]
    rest = Args(proc, argv[1:])
    if matches(cmd, "add"):
        return modify(proc, opts, "add", rest)
    if matches(cmd, "set") or matches(cmd, "change"):
        return modify(proc, opts, "set", rest)
    if matches(cmd, "replace"):
        return modify(proc, opts, "replace", rest)
    if matches(cmd, "delete"):
        return modify(proc, opts, "del", rest)
    if matches(cmd, "show") or matches(cmd, "lst") or matches(cmd, "list"):
        return do_show(proc, opts, rest)
    if matches(cmd, "help"):
        usage(proc)
    proc.err(f'Command "{cmd}" is unknown, try "ip link help".\n')
    raise Exit(255)


class LinkReq:
    def __init__(self) -> None:
        self.up: Optional[bool] = None
        self.name: Optional[str] = None
        self.dev: Optional[str] = None
        self.address: Optional[bytes] = None
        self.mtu: Optional[int] = None
        self.txqlen: Optional[int] = None
        self.netns: Optional[str] = None
        self.master: Optional[str] = None
        self.nomaster = False
        self.type: Optional[str] = None
        self.type_args: list[str] = []
        self.alias: Optional[str] = None
        self.flags_on: int = 0
        self.flags_off: int = 0
        self.promisc: Optional[bool] = None
        self.allmulti: Optional[bool] = None
        self.group: Optional[str] = None
        self.index: int = 0


# iplink_parse's keywords, in the order of its chain (see common.Keywords)
_KEYWORDS = c.Keywords()


@_KEYWORDS.on("up", "down")
def _up(proc: Proc, args: Args, r: LinkReq) -> None:
    r.up = args.cur == "up"


@_KEYWORDS.on("name")
def _name(proc: Proc, args: Args, r: LinkReq) -> None:
    v = args.next()
    if r.name is not None:
        c.duparg(proc, "name", v)
    if c.check_ifname(v):
        c.invarg(proc, '"name" not a valid ifname', v)
    r.name = v
    if r.dev is None:
        r.dev = v


@_KEYWORDS.on("index")
def _index(proc: Proc, args: Args, r: LinkReq) -> None:
    v = args.next()
    if r.index:
        c.duparg(proc, "index", v)
    m = re.match(r"\s*([+-]?\d+)", v)      # atoi()
    n = int(m.group(1)) if m else 0
    if n <= 0:
        c.invarg(proc, 'Invalid "index" value', v)
    r.index = n


@_KEYWORDS.on(prefix=("link",))
def _skip_value(proc: Proc, args: Args, r: LinkReq) -> None:
    args.next()


@_KEYWORDS.on(prefix=("address",))
def _address(proc: Proc, args: Args, r: LinkReq) -> None:
    r.address = c.ll_addr_a2n(proc, args.next())


@_KEYWORDS.on("brd", prefix=("broadcast",))
def _broadcast(proc: Proc, args: Args, r: LinkReq) -> None:
    c.ll_addr_a2n(proc, args.next())


@_KEYWORDS.on("qlen", prefix=("txqueuelen", "txqlen"))
def _txqlen(proc: Proc, args: Args, r: LinkReq) -> None:
    v = args.next()
    if r.txqlen is not None:
        c.duparg(proc, "txqueuelen", v)
    n = c.get_unsigned(v)
    if n is None:
        c.invarg(proc, 'Invalid "txqueuelen" value\n', v)
    r.txqlen = n


@_KEYWORDS.on("mtu")
def _mtu(proc: Proc, args: Args, r: LinkReq) -> None:
    v = args.next()
    if r.mtu is not None:
        c.duparg(proc, "mtu", v)
    n = c.get_integer(v)
    if n is None:
        c.invarg(proc, 'Invalid "mtu" value\n', v)
    r.mtu = n


@_KEYWORDS.on("netns")
def _netns(proc: Proc, args: Args, r: LinkReq) -> None:
    v = args.next()
    if r.netns is not None:
        c.duparg(proc, "netns", v)
    r.netns = v


@_KEYWORDS.on("multicast", "allmulticast", "promisc", "arp", "trailers", "dynamic", "carrier")
def _on_off(proc: Proc, args: Args, r: LinkReq) -> None:
    a = args.cur
    v = args.next()
    if v not in ("on", "off"):
        proc.err(f'Error: argument of "{a}" must be "on" or "off", not "{v}"\n')
        raise Exit(255)
    on = v == "on"
    if a == "multicast":
        if on:
            r.flags_on |= IFF_MULTICAST
        else:
            r.flags_off |= IFF_MULTICAST
    elif a == "arp":
        if on:
            r.flags_off |= IFF_NOARP
        else:
            r.flags_on |= IFF_NOARP
    elif a == "promisc":
        r.promisc = on
    elif a == "allmulticast":
        r.allmulti = on


@_KEYWORDS.on(prefix=("master",))
def _master(proc: Proc, args: Args, r: LinkReq) -> None:
    r.master = args.next()


@_KEYWORDS.on(prefix=("nomaster",))
def _nomaster(proc: Proc, args: Args, r: LinkReq) -> None:
    r.nomaster = True


@_KEYWORDS.on(prefix=("type",))
def _type(proc: Proc, args: Args, r: LinkReq) -> bool:
    """`type TYPE ARGS`: the rest of the line is the link type's own (its parse_opt)."""
    r.type = args.next()
    args.advance()
    r.type_args = args.rest()
    return True


@_KEYWORDS.on(prefix=("alias",))
def _alias(proc: Proc, args: Args, r: LinkReq) -> None:
    v = args.next()
    if len(v) >= 256:
        c.invarg(proc, "alias too long\n", v)
    r.alias = v


@_KEYWORDS.on("group")
def _group(proc: Proc, args: Args, r: LinkReq) -> None:
    v = args.next()
    if r.group is not None:
        c.duparg(proc, "group", v)
    r.group = v


_KEYWORDS.on("mode", "state", "addrgenmode", "numtxqueues", "numrxqueues", "gso_max_size",
             "gso_max_segs", "gro_max_size", "protodown", "xdp", "vf", "link-netns",
             "link-netnsid", "vrf", "parentdev")(_skip_value)


def _dev(proc: Proc, args: Args, r: LinkReq) -> None:
    """The chain's last else: `help`, or `[dev] DEVICE`."""
    a = args.cur
    if matches(a, "help"):
        usage(proc)
    if a == "dev":
        a = args.next()
    if r.dev != r.name:
        c.duparg2(proc, "dev", a)
    if c.check_altifname(a):
        c.invarg(proc, '"dev" not a valid ifname', a)
    r.dev = a


def parse(proc: Proc, args: Args, creating: bool) -> LinkReq:
    """iplink_parse: the request a command line asks for (`type` ends it)."""
    r = LinkReq()
    _KEYWORDS.parse(proc, args, r, _dev)
    if r.name is None:
        r.name = r.dev
    return r


def parse_type_opts(proc: Proc, r: LinkReq):
    """iplink_modify between iplink_parse and rtnl_talk: the link type's parse_opt reads
    the words after `type TYPE`. Every error here comes before the request is sent, so
    nothing is created or changed. A type iproute2 has no link_util for takes no words."""
    if not r.type_args or r.type is None:
        return None
    if r.type == "bridge":
        from . import bridge_details
        return bridge_details.parse_opt(proc, r.type_args)
    if r.type == "veth":
        from . import link_veth
        return link_veth.parse_opt(proc, r.type_args)
    if r.type == "bridge_slave":
        from . import bridge_details
        return bridge_details.slave_parse_opt(proc, proc.net, r.type_args)
    if r.type not in KNOWN_TYPES:           # get_link_kind() found no link_util
        if matches(r.type_args[0], "help"):
            usage(proc)
        proc.err(f'Garbage instead of arguments "{r.type_args[0]} ...". '
                 'Try "ip link help".\n')
        raise Exit(1)
    return None


def modify(proc: Proc, opts: IpOpts, cmd: str, args: Args) -> int:
    net = opts.net
    r = parse(proc, args, cmd == "add")
    type_opts = parse_type_opts(proc, r)
    if cmd in ("add", "replace"):
        return create(proc, opts, r, type_opts)
    if r.dev is None:
        proc.err('Not enough information: "dev" argument is required.\n')
        raise Exit(255)
    dev = net.dev_by_name(r.dev)
    if dev is None:
        proc.err(f'Cannot find device "{r.dev}"\n')
        return 1
    if cmd == "del":
        if r.type is not None and r.type != dev.kind:
            return c.rtnl_error(proc, "EOPNOTSUPP")
        if dev.type == 772 or dev.kind not in ("veth", "bridge"):
            return c.rtnl_error(proc, "EOPNOTSUPP")
        net.unregister(dev)
        return 0
    if r.address is not None and len(r.address) != 6:
        proc.err(f"Invalid address length {len(r.address)} - must be 6 bytes\n")
        return 1
    if r.type is not None and r.type != dev.kind and not (r.type == "bridge_slave"):
        return c.rtnl_error(proc, "EOPNOTSUPP")
    # rtnl_changelink: the type's changelink, the master's slave_changelink, then
    # do_setlink in its order: netns, ifname... then mtu, address, master, flags
    try:
        if type_opts and r.type == "bridge" and dev.kind == "bridge":
            from . import bridge_details
            bridge_details.apply_opts(proc, dev, type_opts)
        if type_opts and r.type == "bridge_slave":
            # rtnl_changelink: IFLA_INFO_SLAVE_DATA goes to the master's slave_changelink
            if getattr(dev.master, "kind", None) != "bridge":
                return c.rtnl_error(proc, "EOPNOTSUPP")
            dev.master.setport(dev, type_opts["flags"], cost=type_opts.get("cost"),
                               priority=type_opts.get("priority"),
                               state=type_opts.get("state"))
        if r.netns is not None:
            return move_netns(proc, opts, dev, r)
        if r.name is not None and r.name != dev.name:
            net.change_name(dev, r.name)
        if r.mtu is not None:
            net.set_mtu(dev, r.mtu)
        if r.txqlen is not None:
            dev.txqlen = r.txqlen
            net.link_changed(dev)
        if r.address is not None:
            net.set_mac(dev, r.address)
        if r.nomaster:
            if dev.master is not None:
                dev.master.del_port(dev)
        if r.master is not None:
            m = net.dev_by_name(r.master)
            if m is None:
                c.invarg(proc, "Device does not exist\n", r.master)
            if getattr(m, "kind", None) != "bridge":
                return c.rtnl_error(proc, "EOPNOTSUPP")
            m.add_port(dev)
        if r.alias is not None:
            dev.alias = r.alias
        if r.flags_on or r.flags_off:
            dev.flags = (dev.flags | r.flags_on) & ~r.flags_off
            net.link_changed(dev)
        if r.promisc is not None and r.promisc != dev.user_promisc:
            dev.user_promisc = r.promisc
            dev.promiscuity = max(0, dev.promiscuity + (1 if r.promisc else -1))
            net.link_changed(dev)
        if r.allmulti is not None and r.allmulti != dev.user_allmulti:
            dev.user_allmulti = r.allmulti
            dev.allmulti = max(0, dev.allmulti + (1 if r.allmulti else -1))
            net.link_changed(dev)
        if r.up is True:
            net.dev_open(dev)
        elif r.up is False:
            net.dev_close(dev)
    except NetdevError as err:
        return c.rtnl_error(proc, err.errno, err.msg)
    return 0


def move_netns(proc: Proc, opts: IpOpts, dev: NetDevice, r: LinkReq) -> int:
    net = opts.net
    world = net.world
    target = world.netns.get(r.netns)
    if target is None:
        if r.netns.isdigit():
            pid = int(r.netns)
            if pid == 1:
                target = world.init_net
            else:
                return c.rtnl_error(proc, "ESRCH")
        else:
            c.invarg(proc, 'Invalid "netns" value', r.netns)
    if target is net:
        return 0
    try:
        net.move_device(dev, target, r.name if r.name != r.dev else None)
    except NetdevError as err:
        return c.rtnl_error(proc, err.errno, err.msg)
    if r.up is True:
        target.dev_open(dev)
    return 0


def create(proc: Proc, opts: IpOpts, r: LinkReq, type_opts=None) -> int:
    net = opts.net
    if r.type is None:
        proc.err('Not enough information: "type" argument is required\n')
        return 1
    if r.type not in KNOWN_TYPES:
        return c.rtnl_error(proc, "EOPNOTSUPP", "Unknown device type")
    if r.type not in SIMULATED_TYPES:
        proc.err(f"vethtui: ip link add type {r.type}: device type not simulated\n")
        return 2
    name = r.name
    if name is not None and len(name) >= 16:
        return c.rtnl_error(proc, "EINVAL", "Attribute failed policy validation")
    if name is not None and net.dev_by_name(name) is not None:
        return c.rtnl_error(proc, "EEXIST")
    if r.index and net.dev_by_index(r.index) is not None:
        return c.rtnl_error(proc, "EEXIST")     # __rtnl_newlink finds it, NLM_F_EXCL
    try:
        if r.type == "veth":
            from . import link_veth
            dev = link_veth.create(proc, opts, r, type_opts)
        else:
            from . import bridge_details
            dev = bridge_details.create(proc, net, r, type_opts or [])
        if isinstance(dev, int):
            return dev
        if r.mtu is not None:
            net.set_mtu(dev, r.mtu)
        if r.txqlen is not None:
            dev.txqlen = r.txqlen
        if r.up:
            net.dev_open(dev)
    except NetdevError as err:
        return c.rtnl_error(proc, err.errno, err.msg)
    return 0
