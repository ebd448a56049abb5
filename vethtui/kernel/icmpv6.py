"""ICMPv6 (net/ipv6/icmp.c): echo replies, errors, and handing ND to ndisc.

icmpv6_rcv answers echo requests from the address that was asked (a source
chosen by the routing when that was a multicast or anycast), gives errors to
the raw sockets of the quoted packet (icmpv6_notify -> rawv6_err) and neighbour
discovery to ndisc_rcv. icmp6_send builds an error quoting as much of the
offending packet as fits the minimum MTU (1280), never about an ICMPv6 error,
never to a multicast or unspecified source; its source is the offending
packet's destination when that is ours, else what the route back chooses.
"""
from __future__ import annotations

import ipaddress
from typing import TYPE_CHECKING, Callable

from . import core, ip6_output, ipv6_raw
from .addrconf import ipv6_dev_get_saddr
from .addrconf_core import ipv6_chk_addr
from .ip6_route import hop_limit, ip6_route_output, rt6_pmtu_discovery
from .netdev import IFF_LOOPBACK
from .skb import DropReason
from .sysctl import global_value
from .wire import build_ipv6_header, checksum, icmp6_with_checksum, ipv6_pseudo_header

if TYPE_CHECKING:  # pragma: no cover
    from .netdev import NetDevice
    from .skb import SkBuff

IPPROTO_ICMPV6 = 58
ICMPV6_DEST_UNREACH = 1
ICMPV6_PKT_TOOBIG = 2
ICMPV6_TIME_EXCEED = 3
ICMPV6_PARAMPROB = 4
ICMPV6_ECHO_REQUEST = 128
ICMPV6_ECHO_REPLY = 129
ICMPV6_NOROUTE = 0
ICMPV6_ADDR_UNREACH = 3
ICMPV6_EXC_HOPLIMIT = 0
ICMPV6_ERRORS = (ICMPV6_DEST_UNREACH, ICMPV6_PKT_TOOBIG, ICMPV6_TIME_EXCEED, ICMPV6_PARAMPROB)
IPV6_MIN_MTU = 1280


UNSPECIFIED = ipaddress.IPv6Address("::")

# neighbour discovery's messages go to ndisc_rcv, which ndisc registers (ndisc sends
# its errors through ICMPv6, so ICMPv6 does not import it)
_ndisc_rcv: Callable = None  # type: ignore[assignment]


def register_ndisc_rcv(func: Callable) -> None:
    global _ndisc_rcv
    _ndisc_rcv = func


def icmpv6_rcv(skb: "SkBuff", dev: "NetDevice", off: int) -> None:
    net = dev.net
    d = skb.data
    if len(d) < off + 4:
        core.drop(skb, DropReason.PKT_TOO_SMALL, "icmpv6_rcv", dev)
        return
    if not skb.csum_unnecessary:
        length = len(d) - off
        if checksum(ipv6_pseudo_header(bytes(d[22:38]), bytes(d[38:54]), length, 58)
                    + bytes(d[off:])) != 0:
            core.drop(skb, "ICMP_CSUM", "icmpv6_rcv", dev)
            return
    t = d[off]
    if t == ICMPV6_ECHO_REQUEST:
        icmpv6_echo_reply(skb, dev, off)
    elif t == ICMPV6_ECHO_REPLY:
        if skb.trace is not None:
            core.trace(skb, net, "ping_rcv", "no ping socket",
                       why="no ICMPv6 datagram socket; raw sockets got their copies before")
        core.drop(skb, DropReason.NO_SOCKET, "ping_rcv", dev)
    elif t in ICMPV6_ERRORS:
        icmpv6_notify(skb, dev, off)
    elif 133 <= t <= 137:
        _ndisc_rcv(skb, dev, off)
    else:
        # MLD reports and queries (igmp6_event_*): nothing a host here acts on
        if skb.trace is not None:
            core.trace(skb, net, "icmpv6_rcv", "consumed", type=t, dev=dev.name)


def icmpv6_echo_reply(skb: "SkBuff", dev: "NetDevice", off: int) -> None:
    net = dev.net
    if global_value(net, "ipv6.icmp.echo_ignore_all") != "0":
        if skb.trace is not None:
            core.trace(skb, net, "icmpv6_echo_reply", "ignored",
                       why="net.ipv6.icmp.echo_ignore_all=1")
        return
    d = skb.data
    saddr = ipaddress.IPv6Address(bytes(d[22:38]))
    daddr = ipaddress.IPv6Address(bytes(d[38:54]))
    if daddr.is_multicast and global_value(net, "ipv6.icmp.echo_ignore_multicast") != "0":
        if skb.trace is not None:
            core.trace(skb, net, "icmpv6_echo_reply", "ignored",
                       why="an echo to a group (net.ipv6.icmp.echo_ignore_multicast=1)")
        return
    src = daddr
    if daddr.is_multicast or not ipv6_chk_addr(net, daddr, None):
        src = None
    body = bytes([ICMPV6_ECHO_REPLY, 0, 0, 0]) + bytes(d[off + 4:])
    oif = dev if saddr.is_link_local else None
    rt = ip6_route_output(net, saddr, oif)
    if rt is None:
        core.trace(skb, net, "icmpv6_echo_reply", "no route", to=str(saddr))
        return
    if src is None:
        src = ipv6_dev_get_saddr(net, rt.dev if rt.type != "local" else dev, saddr)
        if src is None:
            return
    if skb.trace is not None:
        core.trace(skb, net, "icmpv6_echo_reply", "reply", to=str(saddr), src=str(src))
    _push(net, rt, src, saddr, body, skb, "echo reply")


def _push(net, rt, src, dst, body: bytes, cause: "SkBuff", kind: str) -> None:
    icmp = icmp6_with_checksum(src.packed, dst.packed, body)
    hlim = hop_limit(rt.dev)
    pkt = build_ipv6_header(src.packed, dst.packed, IPPROTO_ICMPV6, len(icmp), hlim) + icmp
    skb = net.world.new_skb(ip6_output.ZERO_ETH + pkt, rt.dev, cause=cause.id)
    if skb.trace is not None:
        core.trace(skb, net, "icmpv6_push_pending_frames", kind, dst=str(dst), src=str(src))
    ip6_output.ip6_local_out(net, skb, rt)


def icmpv6_notify(skb: "SkBuff", dev: "NetDevice", off: int) -> None:
    """icmpv6_notify: the error to the raw sockets of the quoted packet's protocol;
    a "packet too big" also lowers the path MTU to its sender (rt6_pmtu_discovery)."""
    d = skb.data
    if len(d) < off + 8 + 40:
        core.drop(skb, DropReason.PKT_TOO_SMALL, "icmpv6_notify", dev)
        return
    inner = bytes(d[off + 8:])
    if d[off] == ICMPV6_PKT_TOOBIG:
        mtu = int.from_bytes(d[off + 4:off + 8], "big")
        rt6_pmtu_discovery(dev.net, ipaddress.IPv6Address(inner[24:40]), max(mtu, 1280))
    if skb.trace is not None:
        core.trace(skb, dev.net, "icmpv6_notify", "to sockets", type=d[off], code=d[off + 1])
    ipv6_raw.rawv6_err(dev.net, skb, inner[6], off)


XRLIM_BURST_FACTOR = 6


def icmpv6_xrlim_allow(net, itype: int, rt, daddr: ipaddress.IPv6Address) -> bool:
    """icmpv6_xrlim_allow: errors of the types in net.ipv6.icmp.ratemask (all but "packet
    too big" by default) to a peer reached through a device other than lo share a token
    bucket (inet_peer_xrlim_allow): one error per net.ipv6.icmp.ratelimit (100 ms in
    6.18), six at most in a burst; a new peer starts full. (Measured on 6.18 through a
    /64 route back: one per 100 ms after a burst of six, no "wider prefix" shift.)"""
    if itype == ICMPV6_PKT_TOOBIG or itype >= 128:
        return True
    if rt.type == "local" or rt.dev.flags & IFF_LOOPBACK:
        return True
    tmo = int(global_value(net, "ipv6.icmp.ratelimit")) / 1000.0
    if tmo <= 0:
        return True
    now = net.world.sched.now
    peers = net.__dict__.setdefault("inet6_peers", {})
    tokens, last = peers.get(daddr, (XRLIM_BURST_FACTOR * tmo, now))
    tokens = min(tokens + (now - last), XRLIM_BURST_FACTOR * tmo)
    ok = tokens >= tmo - 1e-9
    if ok:
        tokens -= tmo
    peers[daddr] = (tokens, now)
    return ok


def icmp6_send(skb_in: "SkBuff", itype: int, code: int, info: int) -> None:
    """icmp6_send: an error about `skb_in` back to its source."""
    dev = skb_in.dev
    if dev is None or dev.net is None:
        return
    net = dev.net
    d = skb_in.data
    if len(d) < 54:
        return
    saddr = ipaddress.IPv6Address(bytes(d[22:38]))
    daddr = ipaddress.IPv6Address(bytes(d[38:54]))
    if saddr.is_multicast or saddr == UNSPECIFIED:
        return
    if daddr.is_multicast and itype != ICMPV6_PKT_TOOBIG:
        return
    # is_ineligible: never an error about an ICMPv6 error
    if d[20] == IPPROTO_ICMPV6 and len(d) > 54 and d[54] < 128:
        return
    src = daddr if ipv6_chk_addr(net, daddr, None) else None
    oif = dev if saddr.is_link_local else None
    rt = ip6_route_output(net, saddr, oif)
    if rt is None:
        return
    if src is None:
        src = ipv6_dev_get_saddr(net, rt.dev if rt.type != "local" else dev, saddr)
        if src is None:
            return
    if not icmpv6_xrlim_allow(net, itype, rt, saddr):
        if skb_in.trace is not None:
            core.trace(skb_in, net, "icmp6_send", "rate limited", type=itype, to=str(saddr))
        return
    quote = bytes(d[14:14 + IPV6_MIN_MTU - 40 - 8])
    body = bytes([itype, code, 0, 0]) + info.to_bytes(4, "big") + quote
    if skb_in.trace is not None:
        core.trace(skb_in, net, "icmp6_send", "error", type=itype, code=code, to=str(saddr),
                   src=str(src))
    _push(net, rt, src, saddr, body, skb_in, "error")


# inet6_init -> icmpv6_init: ICMPv6 is next header 58; ip6_forward's errors come here
core.inet6_add_protocol(IPPROTO_ICMPV6, icmpv6_rcv)
ip6_output.set_icmp6_send(icmp6_send)
