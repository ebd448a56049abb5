"""The REJECT target (net/ipv4/netfilter/nf_reject_ipv4.c, xt_REJECT.c).

`--reject-with icmp-*` answers with an ICMP destination unreachable through
icmp_send, exactly as the stack's own errors (source picked by routing back,
rate limited towards others); `tcp-reset` builds a RST from the refused
segment (nf_send_reset) and sends it with the refused packet's connection
attached, as RELATED. The refused packet itself is dropped (NETFILTER_DROP).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from . import core, icmp, ip_output, route
from .inet import ntoa
from .nf_conntrack import IP_CT_IS_REPLY, IP_CT_RELATED, IP_CT_RELATED_REPLY
from .wire import ICMP_DEST_UNREACH, IPPROTO_TCP, checksum, ipv4_header, ipv4_pseudo_header

if TYPE_CHECKING:  # pragma: no cover
    from .netns import Net
    from .skb import SkBuff

REJECT_CODES = {
    "icmp-net-unreachable": 0, "icmp-host-unreachable": 1, "icmp-proto-unreachable": 2,
    "icmp-port-unreachable": 3, "icmp-net-prohibited": 9, "icmp-host-prohibited": 10,
    "icmp-admin-prohibited": 13,
}


def reject(net: "Net", skb: "SkBuff", pkt, hooknum: int, how: str) -> None:
    if how == "tcp-reset":
        nf_send_reset(net, skb, pkt, hooknum)
        return
    nf_send_unreach(skb, REJECT_CODES.get(how, 3))


def nf_send_unreach(skb: "SkBuff", code: int) -> None:
    d = skb.data
    if ((d[20] << 8) | d[21]) & 0x1FFF:
        return
    icmp.icmp_send(skb, ICMP_DEST_UNREACH, code, 0)


def nf_send_reset(net: "Net", oldskb: "SkBuff", pkt, hooknum: int) -> None:
    d = oldskb.data
    if pkt.proto != IPPROTO_TCP or pkt.fragoff:
        return
    l4 = 14 + pkt.ihl
    if len(d) < l4 + 20:
        return
    flags = d[l4 + 13]
    if flags & 0x04:
        return                          # never a RST for a RST
    doff = (d[l4 + 12] >> 4) * 4
    seq = int.from_bytes(d[l4 + 4:l4 + 8], "big")
    ack_seq = int.from_bytes(d[l4 + 8:l4 + 12], "big")
    if flags & 0x10:
        nseq, nack, nflags = ack_seq, 0, 0x04
    else:
        payload = pkt.length - pkt.ihl - doff
        nseq = 0
        nack = (seq + bool(flags & 0x02) + bool(flags & 0x01) + payload) & 0xFFFFFFFF
        nflags = 0x14
    saddr, daddr = pkt.daddr, pkt.saddr
    tcp = bytearray((d[l4 + 2:l4 + 4] + d[l4:l4 + 2] + nseq.to_bytes(4, "big")
                     + nack.to_bytes(4, "big") + bytes([0x50, nflags]) + b"\x00\x00"
                     + b"\x00\x00\x00\x00"))
    c = checksum(ipv4_pseudo_header(saddr.to_bytes(4, "big"), daddr.to_bytes(4, "big"),
                                    IPPROTO_TCP, 20) + bytes(tcp))
    tcp[16:18] = c.to_bytes(2, "big")
    try:
        rt = route.ip_route_output(net, daddr, saddr, 0, 0, anysrc=True)
    except route.RouteError:
        return
    ttl = net.sysctl_int("ip_default_ttl")
    hdr = ipv4_header(saddr, daddr, IPPROTO_TCP, 20, ttl, 0, 0, df=True)
    nskb = net.world.new_skb(ip_output.ZERO_ETH + hdr + bytes(tcp), rt.dev, cause=oldskb.id)
    if oldskb.nfct is not None:         # nf_ct_attach: the RST belongs to the refused flow
        ct, ctinfo = oldskb.nfct
        nskb.nfct = (ct, IP_CT_RELATED if ctinfo >= IP_CT_IS_REPLY else IP_CT_RELATED_REPLY)
    core.trace(oldskb, net, "nf_send_reset", "sent", to=ntoa(daddr))
    ip_output.ip_local_out(net, nskb, rt)
