"""`ip link`: show, add (veth, bridge, dummy-less), set, delete (iproute2 6.1 ip/iplink.c)."""
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
		    [ netns { PID | NETNSNAME | NETNSFILE } ]
		    type TYPE [ ARGS ]

	ip link delete { DEVICE | dev DEVICE | group DEVGROUP } type TYPE [ ARGS ]

	ip link { set | change } { DEVICE | dev DEVICE | group DEVGROUP }
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
		[ netns { PID | NETNSNAME | NETNSFILE } ]
		[ link-netns NAME | link-netnsid ID ]
		[ alias NAME ]
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

TYPE := { amt | bareudp | bond | bond_slave | bridge | bridge_slave |
	   dsa | dummy | erspan | geneve | gre | gretap | gtp | ifb |
	   ip6erspan | ip6gre | ip6gretap | ip6tnl |
	   ipip | ipoib | ipvlan | ipvtap |
	   macsec | macvlan | macvtap |
	   netdevsim | nlmon | rmnet | sit | team | team_slave |
	   vcan | veth | vlan | vrf | vti | vxcan | vxlan | wwan |
	   xfrm }
"""

KNOWN_TYPES = {"amt", "bareudp", "bond", "bond_slave", "bridge", "bridge_slave", "dsa", "dummy",
               "erspan", "geneve", "gre", "gretap", "gtp", "ifb", "ip6erspan", "ip6gre",
               "ip6gretap", "ip6tnl", "ipip", "ipoib", "ipvlan", "ipvtap", "macsec", "macvlan",
               "macvtap", "netdevsim", "nlmon", "rmnet", "sit", "team", "team_slave", "vcan",
               "veth", "vlan", "vrf", "vti", "vxcan", "vxlan", "wwan", "xfrm"}
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


def parse(proc: Proc, args: Args, creating: bool) -> LinkReq:
    r = LinkReq()
    while args:
        a = args.cur
        if a == "up":
            r.up = True
        elif a == "down":
            r.up = False
        elif a == "name":
            v = args.next()
            if r.name is not None:
                c.duparg(proc, "name", v)
            if c.check_ifname(v):
                c.invarg(proc, '"name" not a valid ifname', v)
            r.name = v
            if r.dev is None:
                r.dev = v
        elif a == "index":
            v = args.next()
            if r.index:
                c.duparg(proc, "index", v)
            m = re.match(r"\s*([+-]?\d+)", v)      # atoi()
            n = int(m.group(1)) if m else 0
            if n <= 0:
                c.invarg(proc, 'Invalid "index" value', v)
            r.index = n
        elif matches(a, "link"):
            args.next()
        elif matches(a, "address"):
            v = args.next()
            r.address = c.ll_addr_a2n(proc, v)
        elif matches(a, "broadcast") or a == "brd":
            v = args.next()
            c.ll_addr_a2n(proc, v)
        elif matches(a, "txqueuelen") or a == "qlen" or matches(a, "txqlen"):
            v = args.next()
            if r.txqlen is not None:
                c.duparg(proc, "txqueuelen", v)
            n = c.get_unsigned(v)
            if n is None:
                c.invarg(proc, 'Invalid "txqueuelen" value\n', v)
            r.txqlen = n
        elif a == "mtu":
            v = args.next()
            if r.mtu is not None:
                c.duparg(proc, "mtu", v)
            n = c.get_integer(v)
            if n is None:
                c.invarg(proc, 'Invalid "mtu" value\n', v)
            r.mtu = n
        elif a == "netns":
            v = args.next()
            if r.netns is not None:
                c.duparg(proc, "netns", v)
            r.netns = v
        elif a in ("multicast", "allmulticast", "promisc", "arp", "trailers", "dynamic",
                   "carrier"):
            v = args.next()
            if v not in ("on", "off"):
                proc.err(f'Error: argument of "{a}" must be "on" or "off", not "{v}"\n')
                raise Exit(255)
            on = v == "on"
            if a == "multicast":
                (r.__setattr__("flags_on", r.flags_on | IFF_MULTICAST) if on
                 else r.__setattr__("flags_off", r.flags_off | IFF_MULTICAST))
            elif a == "arp":
                (r.__setattr__("flags_off", r.flags_off | IFF_NOARP) if on
                 else r.__setattr__("flags_on", r.flags_on | IFF_NOARP))
            elif a == "promisc":
                r.promisc = on
            elif a == "allmulticast":
                r.allmulti = on
        elif matches(a, "master"):
            v = args.next()
            r.master = v
        elif matches(a, "nomaster"):
            r.nomaster = True
        elif matches(a, "type"):
            r.type = args.next()
            args.advance()
            r.type_args = args.rest()
            break
        elif matches(a, "alias"):
            v = args.next()
            if len(v) >= 256:
                c.invarg(proc, "alias too long\n", v)
            r.alias = v
        elif a == "group":
            v = args.next()
            if r.group is not None:
                c.duparg(proc, "group", v)
            r.group = v
        elif a in ("mode", "state", "addrgenmode", "numtxqueues", "numrxqueues",
                   "gso_max_size", "gso_max_segs", "gro_max_size", "protodown", "xdp",
                   "vf", "link-netns", "link-netnsid", "vrf", "parentdev"):
            args.next()
        else:
            if matches(a, "help"):
                usage(proc)
            if a == "dev":
                a = args.next()
            if r.dev != r.name:
                c.duparg2(proc, "dev", a)
            if c.check_altifname(a):
                c.invarg(proc, '"dev" not a valid ifname', a)
            r.dev = a
        args.advance()
    if r.name is None:
        r.name = r.dev
    return r


def modify(proc: Proc, opts: IpOpts, cmd: str, args: Args) -> int:
    net = opts.net
    r = parse(proc, args, cmd == "add")
    if cmd in ("add", "replace"):
        return create(proc, opts, r)
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
    # rtnl_setlink order: netns, ifname... then mtu, address, master, flags
    try:
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
        if r.type_args and dev.kind == "bridge":
            from . import bridge_details
            rc = bridge_details.apply_bridge_opts(proc, dev, r.type_args)
            if rc:
                return rc
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


def create(proc: Proc, opts: IpOpts, r: LinkReq) -> int:
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
            dev = _create_veth(proc, opts, r)
            if isinstance(dev, int):
                return dev
        else:
            from ...kernel.bridge import BridgeDevice
            if name is None:
                name = net.alloc_name("bridge%d")
            dev = BridgeDevice(name, net.world.random_mac())
            if r.address is not None:
                dev.mac = r.address
                dev.addr_assign_type = "set"
                dev.mac_set_by_user = True
            net.register(dev, ifindex=r.index)
            if r.type_args:
                from . import bridge_details
                rc = bridge_details.apply_bridge_opts(proc, dev, r.type_args)
                if rc:
                    net.unregister(dev)
                    return rc
        if r.mtu is not None:
            net.set_mtu(dev, r.mtu)
        if r.txqlen is not None:
            dev.txqlen = r.txqlen
        if r.up:
            net.dev_open(dev)
    except NetdevError as err:
        return c.rtnl_error(proc, err.errno, err.msg)
    return 0


def _target_net(proc: Proc, net, name: Optional[str]):
    if name is None:
        return net
    target = net.world.netns.get(name)
    if target is None:
        if name == "1":
            return net.world.init_net
        c.invarg(proc, 'Invalid "netns" value', name)
    return target


def _create_veth(proc: Proc, opts: IpOpts, r: LinkReq):
    net = _target_net(proc, opts.net, r.netns)
    if r.name is not None and net.dev_by_name(r.name) is not None:
        return c.rtnl_error(proc, "EEXIST")
    peer_name = None
    peer_mac = None
    peer_net = opts.net
    peer_mtu = None
    peer_index = 0
    targs = Args(proc, r.type_args)
    while targs:
        a = targs.cur
        if matches(a, "peer"):
            targs.advance()
            pr = parse(proc, Args(proc, targs.rest()), True)
            peer_name = pr.name
            if pr.name is not None and c.check_ifname(pr.name):
                c.invarg(proc, '"name" not a valid ifname', pr.name)
            peer_mac = pr.address
            peer_mtu = pr.mtu
            peer_index = pr.index
            if pr.netns is not None:
                peer_net = _target_net(proc, opts.net, pr.netns)
            break
        if matches(a, "help"):
            proc.err("Usage: ip link <options> type veth [peer <options>]\n"
                     "To get <options> type 'ip link add help'\n")
            raise Exit(255)
        proc.err(f'Garbage instead of arguments "{a} ...". Try "ip link help".\n')
        return 1
    if r.address is not None and len(r.address) != 6:
        return c.rtnl_error(proc, "EINVAL")
    if peer_mac is not None and len(peer_mac) != 6:
        return c.rtnl_error(proc, "EINVAL")
    dev, _peer = net.create_veth(r.name, peer_name, peer_net, r.address, peer_mac,
                                 None, peer_mtu, ifindex=r.index, peer_ifindex=peer_index)
    return dev
