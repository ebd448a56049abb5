"""TCP over IPv4 (net/ipv4/tcp_ipv4.c): receive, resets, ICMP errors, registration.

tcp_v4_rcv checks the segment, looks the socket up (the established hash by
four-tuple, then a listener on the address or the wildcard) and hands it to
tcp_rcv_state_process; a segment for no socket is answered by tcp_v4_send_reset
(the RST acknowledges a SYN's sequence number plus one, or takes the segment's
ACK as its own sequence number) and freed with NO_SOCKET. tcp_v4_err gives an
ICMP error to the socket of the quoted segment: while connecting, any
destination-unreachable ends the attempt with its errno.
"""
from __future__ import annotations

import struct
from typing import TYPE_CHECKING

from . import core, ip_output, route
from .inet import from_bytes, ntoa, to_bytes
from .skb import DropReason
from .tcp import inet_hashinfo, tcp_done
from .tcp_input import TcpSeg, tcp_parse_options, tcp_rcv_state_process
from .tcp_output import csum_ok
from .tcp_states import TCP_SYN_RECV, TCP_SYN_SENT
from .wire import IPPROTO_TCP, TCP_ACK, TCP_RST, checksum, ipv4_header, ipv4_pseudo_header

if TYPE_CHECKING:  # pragma: no cover
    from .netdev import NetDevice
    from .route import Rtable
    from .skb import SkBuff

_TCPH = struct.Struct("!HHIIHHHH")

# icmp_err_convert (net/ipv4/icmp.c): destination-unreachable codes to errno
ICMP_UNREACH_ERRNO = {0: "ENETUNREACH", 1: "EHOSTUNREACH", 2: "ENOPROTOOPT", 3: "ECONNREFUSED",
                      4: "EMSGSIZE", 5: "EOPNOTSUPP", 6: "ENETUNREACH", 7: "EHOSTDOWN",
                      8: "ENONET", 9: "ENETUNREACH", 10: "EHOSTUNREACH", 11: "ENETUNREACH",
                      12: "EHOSTUNREACH", 13: "EHOSTUNREACH", 14: "EHOSTUNREACH",
                      15: "EHOSTUNREACH"}


def tcp_v4_rcv(skb: "SkBuff", dev: "NetDevice", rt: "Rtable", ihl: int) -> None:
    net = dev.net
    d = skb.data
    off = 14 + ihl
    if len(d) < off + 20:
        core.drop(skb, DropReason.PKT_TOO_SMALL, "tcp_v4_rcv", dev)
        return
    sport, dport, seq, ack, offfl, win, _csum, _urp = _TCPH.unpack_from(d, off)
    doff = (offfl >> 12) * 4
    if doff < 20 or len(d) < off + doff:
        core.drop(skb, DropReason.PKT_TOO_SMALL, "tcp_v4_rcv", dev)
        return
    tot = (d[16] << 8) | d[17]
    seglen = tot - ihl
    if not skb.csum_unnecessary and not csum_ok(d, off, seglen, IPPROTO_TCP, 16):
        core.drop(skb, "TCP_CSUM", "tcp_v4_rcv", dev)
        return
    saddr = from_bytes(d[26:30])
    daddr = from_bytes(d[30:34])
    flags = offfl & 0xFF
    mss, wscale, sack_ok, tsval, tsecr, has_ts = tcp_parse_options(bytes(d[off + 20:off + doff]))
    seg = TcpSeg(saddr, daddr, sport, dport, seq, ack, flags, win,
                 bytes(d[off + doff:off + seglen]), mss, wscale, sack_ok, tsval, tsecr, has_ts)
    h = inet_hashinfo(net)
    sk = h.ehash.get((daddr, dport, saddr, sport))
    if sk is None:
        sk = h.listening.get((daddr, dport)) or h.listening.get((0, dport))
    if sk is None:
        if skb.trace is not None:
            core.trace(skb, net, "tcp_v4_rcv", "no socket", port=dport, dev=dev.name)
        if not flags & TCP_RST:
            tcp_v4_send_reset(net, seg, skb)
        core.drop(skb, DropReason.NO_SOCKET, "tcp_v4_rcv", dev)
        return
    if skb.trace is not None:
        core.trace(skb, net, "tcp_v4_rcv", "to socket", port=dport, dev=dev.name)
    embryonic_reset = sk.state == TCP_SYN_RECV and flags & TCP_RST
    if tcp_rcv_state_process(sk, seg, skb):
        tcp_v4_send_reset(net, seg, skb)
    if embryonic_reset:
        # tcp_check_req: the request is dropped, and the RST with it (discard_and_relse)
        core.drop(skb, DropReason.NOT_SPECIFIED, "tcp_v4_rcv", dev)


def tcp_v4_send_reset(net, seg: TcpSeg, cause: "SkBuff") -> None:
    """tcp_v4_send_reset: a RST from the segment's destination, without options, window 0."""
    if seg.flags & TCP_ACK:
        rseq, rack, rflags = seg.ack, 0, TCP_RST
    else:
        rseq, rack, rflags = 0, seg.end_seq, TCP_RST | TCP_ACK
    try:
        rt = route.ip_route_output(net, seg.saddr, seg.daddr, 0, 0, anysrc=True)
    except route.RouteError:
        return
    hdr = _TCPH.pack(seg.dport, seg.sport, rseq, rack, 5 << 12 | rflags, 0, 0, 0)
    csum = checksum(ipv4_pseudo_header(to_bytes(seg.daddr), to_bytes(seg.saddr), IPPROTO_TCP, 20)
                    + hdr)
    hdr = hdr[:16] + struct.pack("!H", csum) + hdr[18:]
    iph = ipv4_header(seg.daddr, seg.saddr, IPPROTO_TCP, 20, net.sysctl_int("ip_default_ttl"),
                      0, 0, df=True)
    skb = net.world.new_skb(ip_output.ZERO_ETH + iph + hdr, rt.dev, cause=cause.id)
    if skb.trace is not None:
        core.trace(skb, net, "tcp_v4_send_reset", "RST", dst=ntoa(seg.saddr), dport=seg.sport)
    ip_output.ip_local_out(net, skb, rt)


def tcp_v4_err(net, skb: "SkBuff", off: int) -> None:
    """tcp_v4_err: an ICMP error about one of our segments (off: the ICMP header)."""
    d = skb.data
    itype, code = d[off], d[off + 1]
    inner = d[off + 8:]
    ihl = (inner[0] & 0xF) * 4
    if len(inner) < ihl + 8:
        return
    saddr = from_bytes(inner[12:16])
    daddr = from_bytes(inner[16:20])
    sport, dport = struct.unpack_from("!HH", inner, ihl)
    sk = inet_hashinfo(net).ehash.get((saddr, sport, daddr, dport))
    if sk is None:
        return
    if itype == 3:
        err = ICMP_UNREACH_ERRNO.get(code, "EHOSTUNREACH")
        if code == 4:
            return                       # PMTU: not modelled
    elif itype == 11:
        err = "EHOSTUNREACH"
    else:
        return
    core.trace(skb, net, "tcp_v4_err", err, port=sport)
    if sk.state in (TCP_SYN_SENT, TCP_SYN_RECV):
        sk.sk_err = err
        tcp_done(sk)
    else:
        sk.soft_err = err


# inet_init: inet_add_protocol(&tcp_protocol, IPPROTO_TCP)
core.inet_add_protocol(IPPROTO_TCP, tcp_v4_rcv)
core.inet_add_err_handler(IPPROTO_TCP, tcp_v4_err)
