"""ICMP (net/ipv4/icmp.c): echo replies and the errors the stack sends itself.

icmp_reply answers from the address that was pinged and routes the reply
like any output packet, so a reply to one of our own addresses goes through
`lo`. icmp_send builds errors quoting the offending packet (up to 576 bytes
in all), never about ICMP errors, broadcasts or fragments, with a source
picked by routing back to the sender; errors to remote peers are rate limited,
errors to ourselves are not.
"""
from __future__ import annotations

import struct
from typing import TYPE_CHECKING

from . import core, ip_output, route
from .devinet import inet_select_addr
from .inet import RT_SCOPE_LINK, from_bytes, is_lbcast, is_multicast, is_zeronet, ntoa
from .inetpeer import icmpv4_xrlim_allow, redirect_allow
from .netdev import IFF_LOOPBACK
from .route import RTCF_BROADCAST, RTCF_LOCAL, RTCF_MULTICAST
from .skb import PACKET_HOST, DropReason
from .sockets import raw_icmp_error
from .wire import (ICMP_DEST_UNREACH, ICMP_ECHO, ICMP_ECHOREPLY, ICMP_FRAG_NEEDED, ICMP_PARAMETERPROB,
                   ICMP_REDIRECT, ICMP_SOURCE_QUENCH, ICMP_TIME_EXCEEDED, IP_ADDRS, IPPROTO_ICMP,
                   build_icmp_error, checksum, ipv4_header)

if TYPE_CHECKING:  # pragma: no cover
    from .netdev import NetDevice
    from .route import Rtable
    from .skb import SkBuff

_TYPE_CODE_CSUM = struct.Struct("!BBH")   # an ICMP header's first four bytes
ICMP_ERRORS = {ICMP_DEST_UNREACH, ICMP_SOURCE_QUENCH, ICMP_REDIRECT, ICMP_TIME_EXCEEDED,
               ICMP_PARAMETERPROB}
NR_ICMP_TYPES = 18
_RTCF_BCAST_MCAST = RTCF_BROADCAST | RTCF_MULTICAST
IPTOS_PREC_INTERNETCONTROL = 0xC0


def icmp_rcv(skb: "SkBuff", dev: "NetDevice", rt: "Rtable", ihl: int) -> None:
    net = dev.net
    d = skb.data
    off = 14 + ihl
    if len(d) < off + 8:
        core.drop(skb, DropReason.PKT_TOO_SMALL, "icmp_rcv", dev)
        return
    if not skb.csum_unnecessary and checksum(d[off:]) != 0:   # skb_checksum_simple_validate
        core.drop(skb, DropReason.ICMP_CSUM, "icmp_rcv", dev)
        return
    itype = d[off]
    if itype > NR_ICMP_TYPES:
        core.drop(skb, DropReason.UNHANDLED_PROTO, "icmp_rcv", dev)
        return
    if rt.flags & _RTCF_BCAST_MCAST:
        if itype == ICMP_ECHO and net.sysctl_int("icmp_echo_ignore_broadcasts"):
            core.trace(skb, net, "icmp_rcv", "ignored",
                       why="echo to a broadcast address (icmp_echo_ignore_broadcasts=1)")
            core.drop(skb, "INVALID_PROTO", "icmp_rcv", dev)
            return
        if itype not in (ICMP_ECHO, 13, 17, 18):
            core.drop(skb, "INVALID_PROTO", "icmp_rcv", dev)
            return
    if itype == ICMP_ECHO:
        icmp_echo(skb, dev, rt, ihl)
    elif itype in ICMP_ERRORS:
        icmp_unreach(skb, dev, rt, ihl)
    elif itype == ICMP_ECHOREPLY:
        # ping_rcv looks for an ICMP datagram ("ping") socket with this id; ping
        # as root uses a raw socket, which already has its copy: the original is
        # freed with NO_SOCKET, as the kernel's tracepoint shows for every reply
        if skb.trace is not None:
            core.trace(skb, net, "ping_rcv", "no ping socket",
                       why="no ICMP datagram socket; raw sockets got their copies before")
        core.drop(skb, DropReason.NO_SOCKET, "ping_rcv", dev)
    else:
        core.trace(skb, net, "icmp_rcv", "consumed", type=itype)


def icmp_echo(skb: "SkBuff", dev: "NetDevice", rt: "Rtable", ihl: int) -> None:
    net = dev.net
    if int(net.ipv4_sysctl["icmp_echo_ignore_all"]):    # net.sysctl_int, per packet
        core.trace(skb, net, "icmp_echo", "ignored", why="icmp_echo_ignore_all=1")
        return
    d = skb.data
    off = 14 + ihl
    saddr, daddr = IP_ADDRS.unpack_from(d, 26)
    # the checksum changes by the type's difference only (RFC 1624 incremental update)
    c = ((d[off + 2] << 8) | d[off + 3]) + (ICMP_ECHO << 8)
    c = (c & 0xFFFF) + (c >> 16)
    if c == 0xFFFF:
        c = 0  # a full recomputation never yields negative zero
    body = _TYPE_CODE_CSUM.pack(ICMP_ECHOREPLY, d[off + 1], c) + d[off + 4:]
    # fib_compute_spec_dst: reply from the address that was asked
    src = daddr
    if rt.flags & (RTCF_BROADCAST | RTCF_MULTICAST) or not rt.flags & RTCF_LOCAL:
        src = inet_select_addr(dev, saddr, RT_SCOPE_LINK)
    if skb.trace is not None:
        core.trace(skb, net, "icmp_echo", "reply", to=ntoa(saddr), src=ntoa(src))
    icmp_push_reply(net, saddr, src, body, d[15], cause=skb, kind="echo reply")


def icmp_push_reply(net, daddr: int, saddr: int, icmp_bytes: bytes, tos: int, cause,
                    kind: str, oif: int = 0, ct_from=None) -> None:
    try:
        rt = route.ip_route_output(net, daddr, saddr, oif, tos & 0x1C, anysrc=True)
    except route.RouteError as err:
        core.trace(cause, net, "icmp_reply", "no route", errno=err.errno, kind=kind)
        return
    ttl = int(net.ipv4_sysctl["ip_default_ttl"])    # net.sysctl_int, per packet
    hdr = ipv4_header(saddr or rt.src, daddr, IPPROTO_ICMP, len(icmp_bytes), ttl,
                          ip_output.ip_select_ident(net), tos, df=False)
    skb = net.world.new_skb(ip_output.ZERO_ETH + hdr + icmp_bytes, rt.dev,
                            cause=cause.id if cause is not None else None)
    if ct_from is not None and ct_from.nfct is not None:
        # icmp_glue_bits -> nf_ct_attach: an error belongs to the offending packet's
        # connection, RELATED in the opposite direction (IP_CT_RELATED_REPLY = 4 when the
        # offender went the original way, else IP_CT_RELATED = 1)
        ct, ctinfo = ct_from.nfct
        skb.nfct = (ct, 1 if ctinfo >= 3 else 4)
    if skb.trace is not None:
        core.trace(skb, net, "icmp_push_reply", kind, dst=ntoa(daddr), src=ntoa(saddr or rt.src))
    ip_output.ip_local_out(net, skb, rt)


def icmp_unreach(skb: "SkBuff", dev: "NetDevice", rt: "Rtable", ihl: int) -> None:
    """Tell sockets about an ICMP error (raw sockets with IP_RECVERR queue it)."""
    net = dev.net
    d = skb.data
    off = 14 + ihl
    if len(d) < off + 8 + 20:
        core.drop(skb, DropReason.PKT_TOO_SMALL, "icmp_unreach", dev)
        return
    inner = d[off + 8:]
    inner_proto = inner[9]
    if d[off] == ICMP_DEST_UNREACH and d[off + 1] == ICMP_FRAG_NEEDED and inner_proto == 1:
        # icmp_err, ICMP's own error handler: ipv4_update_pmtu for the quoted packet's
        # destination, whatever socket sent it. The MTU is the message's only with
        # ip_no_pmtu_disc 0; with 1, icmp_unreach passes 0 (a locked min_pmtu results);
        # with 2 or 3 it goes no further (ICMP has no tag validation)
        mode = net.sysctl_int("ip_no_pmtu_disc")
        if mode in (0, 1):
            info = (d[off + 6] << 8) | d[off + 7] if mode == 0 else 0
            route.ipv4_update_pmtu(net, from_bytes(inner[16:20]), from_bytes(inner[12:16]), info)
    core.trace(skb, net, "icmp_unreach", "to sockets", type=d[off], code=d[off + 1])
    raw_icmp_error(net, skb, inner_proto, off)
    handler = core.inet_err_handlers.get(inner_proto)    # icmp_socket_deliver
    if handler is not None:
        handler(net, skb, off)


def icmp_send(skb_in: "SkBuff", itype: int, code: int, info: int) -> None:
    """__icmp_send: an error about `skb_in` back to its sender."""
    rt = skb_in.dst
    dev = skb_in.dev
    if rt is None or dev is None or dev.net is None:
        return
    net = dev.net
    d = skb_in.data
    iph = d[14:]
    if len(iph) < 20:
        return
    if rt.flags & (RTCF_BROADCAST | RTCF_MULTICAST) and rt.is_input:
        return
    if skb_in.pkt_type != PACKET_HOST and rt.is_input:
        return
    frag = ((iph[6] << 8) | iph[7]) & 0x1FFF
    if frag:
        return
    ihl = (iph[0] & 0xF) * 4
    if itype in ICMP_ERRORS and iph[9] == IPPROTO_ICMP:
        inner_type = iph[ihl] if len(iph) > ihl else 0
        if inner_type > NR_ICMP_TYPES or inner_type in ICMP_ERRORS:
            return
    orig_src = from_bytes(iph[12:16])
    orig_dst = from_bytes(iph[16:20])
    if is_zeronet(orig_src) or is_multicast(orig_src) or is_lbcast(orig_src):
        return
    saddr = orig_dst
    if not rt.flags & RTCF_LOCAL:
        saddr = 0
        if rt.is_input and net.sysctl_int("icmp_errors_use_inbound_ifaddr"):
            saddr = inet_select_addr(dev, orig_src, RT_SCOPE_LINK)
    tos = (iph[1] & 0x1E) | IPTOS_PREC_INTERNETCONTROL if itype in ICMP_ERRORS else iph[1]
    try:
        out = route.ip_route_output(net, orig_src, saddr, 0, tos & 0x1C, anysrc=True)
    except route.RouteError:
        return
    if not out.dev.flags & IFF_LOOPBACK:
        if not icmpv4_xrlim_allow(net, orig_src, itype, code):
            core.trace(skb_in, net, "icmp_send", "rate limited", type=itype, code=code)
            return
    room = min(out.dev.mtu, 576) - 20 - 8
    tot = (iph[2] << 8) | iph[3]
    quoted = bytes(iph[:min(tot, len(iph), room)])
    body = build_icmp_error(itype, code, quoted, info)
    core.trace(skb_in, net, "icmp_send", "error sent", type=itype, code=code,
               to=ntoa(orig_src))
    icmp_push_reply(net, orig_src, saddr or out.src, body, tos, cause=skb_in,
                    kind=_error_kind(itype, code), ct_from=skb_in)


def _error_kind(itype: int, code: int) -> str:
    if itype == ICMP_DEST_UNREACH:
        return {0: "net unreachable", 1: "host unreachable", 3: "port unreachable",
                4: "fragmentation needed"}.get(code, f"unreachable code {code}")
    if itype == ICMP_TIME_EXCEEDED:
        return "time exceeded"
    return f"icmp type {itype}"


def maybe_send_redirect(skb: "SkBuff", dev: "NetDevice", rt: "Rtable") -> None:
    """ip_rt_send_redirect: the sender could reach the gateway itself."""
    net = dev.net
    saddr = from_bytes(skb.data[26:30])
    gw = rt.gw
    on_link = any(ifa.match(saddr) and ifa.match(gw) for ifa in dev.in_dev.ifa_list)
    if not (dev.in_dev.conf("shared_media") or on_link):
        return
    if not redirect_allow(net, saddr):
        return
    icmp_send(skb, ICMP_REDIRECT, 1, gw)



# inet_init: inet_add_protocol(&icmp_protocol, IPPROTO_ICMP)
core.inet_add_protocol(IPPROTO_ICMP, icmp_rcv)
