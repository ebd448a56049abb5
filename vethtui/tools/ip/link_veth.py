"""`ip link add ... type veth [ peer OPTIONS ]`: iproute2 6.1 ip/link_veth.c.

veth_parse_opt reads the peer's options with iplink_parse itself (link.parse here),
and the pair is made in one request: both ends, each in its own namespace.
"""
from __future__ import annotations

from typing import Optional

from ..base import Exit, Proc, matches
from . import common as c
from .common import Args, IpOpts
from .link import LinkReq, parse


def target_net(proc: Proc, net, name: Optional[str]):
    """The namespace `netns NAME` names (a pid of 1 is the initial one)."""
    if name is None:
        return net
    target = net.world.netns.get(name)
    if target is None:
        if name == "1":
            return net.world.init_net
        c.invarg(proc, 'Invalid "netns" value', name)
    return target


VETH_USAGE = ("Usage: ip link <options> type veth [peer <options>]\n"
              "To get <options> type 'ip link add help'\n")


def parse_opt(proc: Proc, args: list[str]) -> Optional[LinkReq]:
    """veth_parse_opt: the peer's request, read with iplink_parse, before anything is sent.
    Its first word must be exactly `peer` (strcmp, not matches): anything else prints the
    usage (on stdout: print_usage ignores its FILE) and returns -1, so `ip` exits 1."""
    if not args:
        return None
    if args[0] != "peer":
        proc.out(VETH_USAGE)
        raise Exit(1)
    targs = Args(proc, args[1:])
    pr = parse(proc, targs, True)
    if pr.type is not None:
        c.duparg(proc, "type", pr.type)
    return pr


def create(proc: Proc, opts: IpOpts, r: LinkReq, pr: Optional[LinkReq]):
    """The new veth device, or the status of the error already printed."""
    net = target_net(proc, opts.net, r.netns)
    if r.name is not None and net.dev_by_name(r.name) is not None:
        return c.rtnl_error(proc, "EEXIST")
    peer_name = None
    peer_mac = None
    peer_net = opts.net
    peer_mtu = None
    peer_index = 0
    if pr is not None:
        peer_name = pr.name
        if pr.name is not None and c.check_ifname(pr.name):
            c.invarg(proc, '"name" not a valid ifname', pr.name)
        peer_mac = pr.address
        peer_mtu = pr.mtu
        peer_index = pr.index
        if pr.netns is not None:
            peer_net = target_net(proc, opts.net, pr.netns)
    if r.address is not None and len(r.address) != 6:
        return c.rtnl_error(proc, "EINVAL")
    if peer_mac is not None and len(peer_mac) != 6:
        return c.rtnl_error(proc, "EINVAL")
    dev, _peer = net.create_veth(r.name, peer_name, peer_net, r.address, peer_mac,
                                 None, peer_mtu, ifindex=r.index, peer_ifindex=peer_index)
    return dev
