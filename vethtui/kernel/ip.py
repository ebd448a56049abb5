"""IPv4 input and output (net/ipv4/ip_input.c, ip_output.c, ip_forward.c).

Output: a locally built packet gets its route, then either loops through `lo`
(the route's type is local; the route stays attached, so the receiving side
skips input routing, as loopback packets keep skb_dst) or goes to the
neighbour layer of the output device.

Input: ip_rcv checks the header, ip_route_input decides local delivery,
forwarding or ip_error; local delivery shows the packet to raw sockets and
then to ICMP.
"""
from __future__ import annotations

import struct
from typing import TYPE_CHECKING, Optional

from . import core, icmp
from .inet import from_bytes, ntoa
from .route import RTCF_BROADCAST, RTCF_MULTICAST, Rtable, ip_route_input
from .skb import PACKET_HOST, PACKET_OTHERHOST, DropReason
from .wire import (ETH_P_IP, ICMP_DEST_UNREACH, ICMP_FRAG_NEEDED,
                   ICMP_HOST_UNREACH, ICMP_NET_UNREACH, ICMP_TIME_EXCEEDED, IPPROTO_ICMP,
                   checksum, eth_header)

if TYPE_CHECKING:  # pragma: no cover
    from .netdev import NetDevice
    from .netns import Net
    from .skb import SkBuff

IP_DF = 0x4000
ICMP_EXC_TTL = 0
ZERO_ETH = bytes(14)
_HDR = struct.Struct("!BBHHHBBH4s4s")
_HDR_C = struct.Struct("!BBHHHBBHII")


def build_header(src: int, dst: int, proto: int, payload_len: int, ttl: int, ident: int,
                 tos: int = 0, df: bool = True) -> bytes:
    frag = IP_DF if df else 0
    tot = 20 + payload_len
    # the header checksum from the fields' 16-bit words, folded (ip_fast_csum)
    c = ((0x4500 | tos) + tot + ident + frag + (ttl << 8 | proto)
         + (src >> 16) + (src & 0xFFFF) + (dst >> 16) + (dst & 0xFFFF))
    c = (c & 0xFFFF) + (c >> 16)
    c = (c & 0xFFFF) + (c >> 16)
    return _HDR_C.pack(0x45, tos, tot, ident, frag, ttl, proto, ~c & 0xFFFF, src, dst)


def ip_local_out(net: "Net", skb: "SkBuff", rt: Rtable) -> None:
    """dst_output for a packet built here; skb.data is a placeholder Ethernet
    header followed by the IP packet."""
    skb.dst = rt
    if skb.trace is not None:
        core.trace(skb, net, "ip_route_output", "routed", route=rt.describe(),
                   table=rt.table_name, dev=rt.dev.name)
    if rt.flags & (RTCF_BROADCAST | RTCF_MULTICAST) and not rt.dev.type == 772:
        # ip_mc_output: a copy for ourselves (dev_loopback_xmit), the frame out
        loop = net.world.new_skb(skb.data, rt.dev, cause=skb.id)
        loop.dst = rt
        loop.pkt_type = 5  # PACKET_LOOPBACK: taps skip it
        net.world.sched.call_soon(_loopback_deliver, loop, rt.dev)
    ip_finish_output(net, skb, rt)


def _loopback_deliver(skb: "SkBuff", dev: "NetDevice") -> None:
    skb.dev = dev
    ip_rcv_finish(skb, dev)


def ip_finish_output(net: "Net", skb: "SkBuff", rt: Rtable) -> None:
    """ip_finish_output: fragment what does not fit the device's MTU (DF unset)."""
    dev = rt.dev
    tot = len(skb.data) - 14
    mtu = rt.mtu()
    if tot > mtu and dev.type != 772:
        for frag in ip_fragment(net, skb, mtu):
            ip_finish_output2(net, frag, rt)
        return
    ip_finish_output2(net, skb, rt)


def ip_fragment(net: "Net", skb: "SkBuff", mtu: int) -> list["SkBuff"]:
    """ip_do_fragment: payload in chunks of (mtu - header) rounded down to 8 bytes."""
    d = skb.data
    ihl = (d[14] & 0xF) * 4
    hdr = bytearray(d[14:14 + ihl])
    payload = d[14 + ihl:]
    ident = (hdr[4] << 8) | hdr[5]
    if ident == 0:
        ident = net.next_ip_id()
    base_off = (((hdr[6] << 8) | hdr[7]) & 0x1FFF) * 8
    more_after = bool(hdr[6] & 0x20)
    step = (mtu - ihl) & ~7
    frags = []
    pos = 0
    while pos < len(payload):
        chunk = payload[pos:pos + step]
        last = pos + step >= len(payload)
        h = bytearray(hdr)
        h[2:4] = (ihl + len(chunk)).to_bytes(2, "big")
        h[4:6] = ident.to_bytes(2, "big")
        off = (base_off + pos) // 8
        mf = 0x2000 if (not last or more_after) else 0
        h[6:8] = (mf | off).to_bytes(2, "big")
        h[10:12] = b"\x00\x00"
        h[10:12] = checksum(bytes(h)).to_bytes(2, "big")
        f = net.world.new_skb(ZERO_ETH + bytes(h) + chunk, skb.dev, cause=skb.id, trace=skb.trace)
        f.dst = skb.dst
        f.sk = skb.sk
        core.trace(f, net, "ip_fragment", "fragment", offset=off * 8, length=len(chunk))
        frags.append(f)
        pos += step
    return frags


def ip_finish_output2(net: "Net", skb: "SkBuff", rt: Rtable) -> None:
    dev = rt.dev
    if dev.flags & IFF_LOOPBACK:
        # __ipv4_neigh_lookup_noref: loopback's one neighbour is 0.0.0.0, NOARP
        if net.arp_tbl.lookup(0, dev) is None:
            net.arp_tbl.create(0, dev)
        skb.data = eth_header(dev.mac, dev.mac, ETH_P_IP) + skb.data[14:]
        core.trace(skb, net, "loopback_xmit", "looped back", dev=dev.name)
        core.dev_queue_xmit(skb, dev)
        return
    nexthop = rt.gw or int.from_bytes(skb.data[30:34], "big")
    tbl = net.arp_tbl
    n = tbl.lookup(nexthop, dev)
    if n is None:
        n = tbl.create(nexthop, dev)
    neighbour.neigh_output(n, skb)


# ---------------------------------------------------------------- input

def ip_rcv(skb: "SkBuff", dev: "NetDevice") -> None:
    net = dev.net
    if skb.pkt_type == PACKET_OTHERHOST:
        core.drop(skb, DropReason.OTHERHOST, "ip_rcv_core", dev)
        return
    d = skb.data
    if len(d) < 34:
        core.drop(skb, DropReason.PKT_TOO_SMALL, "ip_rcv_core", dev)
        return
    vihl = d[14]
    ihl = (vihl & 0xF) * 4
    if vihl >> 4 != 4 or ihl < 20 or len(d) < 14 + ihl:
        core.drop(skb, DropReason.IP_INHDR, "ip_rcv_core", dev)
        return
    if checksum(d[14:14 + ihl]) != 0:
        core.drop(skb, DropReason.IP_CSUM, "ip_rcv_core", dev)
        return
    tot = (d[16] << 8) | d[17]
    if tot < ihl or len(d) - 14 < tot:
        core.drop(skb, DropReason.IP_INHDR, "ip_rcv_core", dev)
        return
    if len(d) - 14 > tot:
        skb.data = d[:14 + tot]  # strip Ethernet padding
    if skb.trace is not None:
        core.trace(skb, net, "ip_rcv", "accepted", dev=dev.name,
                   src=ntoa(from_bytes(d[26:30])), dst=ntoa(from_bytes(d[30:34])))
    ip_rcv_finish(skb, dev)


def ip_rcv_finish(skb: "SkBuff", dev: "NetDevice") -> None:
    net = dev.net
    d = skb.data
    rt: Optional[Rtable] = skb.dst
    if rt is None:
        saddr = int.from_bytes(d[26:30], "big")
        daddr = int.from_bytes(d[30:34], "big")
        rin = ip_route_input(skb, daddr, saddr, d[15], dev)
        if not rin.ok:
            core.trace(skb, net, "ip_route_input", "refused", why=rin.why, dev=dev.name,
                       drop_reason=rin.drop_reason)
            core.drop(skb, rin.drop_reason or DropReason.NOT_SPECIFIED, "ip_rcv_finish_core", dev)
            return
        rt = rin.rt
        skb.dst = rt
        if skb.trace is not None:
            core.trace(skb, net, "ip_route_input", rt.input, route=rt.describe(), dev=dev.name,
                       why=rin.why, table=rt.table_name)
    if rt.input == "local":
        ip_local_deliver(skb, dev, rt)
    elif rt.input == "forward":
        ip_forward(skb, dev, rt)
    else:
        ip_error(skb, dev, rt)


def ip_local_deliver(skb: "SkBuff", dev: "NetDevice", rt: Rtable) -> None:
    net = dev.net
    d = skb.data
    ihl = (d[14] & 0xF) * 4
    proto = d[23]
    frag = ((d[20] << 8) | d[21]) & 0x3FFF
    if frag & 0x1FFF or frag & 0x2000:
        whole = ip_defrag(net, skb, dev)
        if whole is None:
            return
        skb = whole
        d = skb.data
        ihl = (d[14] & 0xF) * 4
    delivered = net.raw_deliver(skb, proto, ihl)
    if proto == IPPROTO_ICMP:
        icmp.icmp_rcv(skb, dev, rt, ihl)
    elif not delivered:
        core.trace(skb, net, "ip_local_deliver", "no protocol", proto=proto, dev=dev.name)
        core.drop(skb, DropReason.IP_NOPROTO, "ip_protocol_deliver_rcu", dev)


def ip_forward(skb: "SkBuff", dev: "NetDevice", rt: Rtable) -> None:
    net = dev.net
    d = skb.data
    if skb.pkt_type != PACKET_HOST:
        core.drop(skb, DropReason.OTHERHOST, "ip_forward", dev)
        return
    ttl = d[22]
    if ttl <= 1:
        core.trace(skb, net, "ip_forward", "ttl exceeded", ttl=ttl, dev=dev.name)
        icmp.icmp_send(skb, ICMP_TIME_EXCEEDED, ICMP_EXC_TTL, 0)
        core.drop(skb, DropReason.IP_INHDR, "ip_forward", dev)
        return
    out = rt.dev
    tot = (d[16] << 8) | d[17]
    if tot > out.mtu and (d[20] & 0x40):
        icmp.icmp_send(skb, ICMP_DEST_UNREACH, ICMP_FRAG_NEEDED, out.mtu)
        core.drop(skb, DropReason.PKT_TOO_BIG, "ip_forward", dev)
        return
    ihl = (d[14] & 0xF) * 4
    hdr = bytearray(d[14:14 + ihl])
    hdr[8] = ttl - 1
    hdr[10:12] = b"\x00\x00"
    hdr[10:12] = checksum(bytes(hdr)).to_bytes(2, "big")
    if out is dev and dev.in_dev.conf("send_redirects") and rt.gw:
        icmp.maybe_send_redirect(skb, dev, rt)
    new = net.world.new_skb(ZERO_ETH + bytes(hdr) + d[14 + ihl:], out, cause=skb.id,
                            trace=skb.trace)
    core.trace(new, net, "ip_forward", "forwarded", out=out.name, ttl=ttl - 1, dev=dev.name)
    new.dst = rt
    ip_finish_output2(net, new, rt)


def ip_error(skb: "SkBuff", dev: "NetDevice", rt: Rtable) -> None:
    in_dev = dev.in_dev
    err = rt.error
    reason = DropReason.NOT_SPECIFIED
    if not in_dev.conf("forwarding"):
        if err == "EHOSTUNREACH":
            reason = DropReason.IP_INADDRERRORS
        elif err == "ENETUNREACH":
            reason = DropReason.IP_INNOROUTES
        core.drop(skb, reason, "ip_error", dev)
        return
    code = None
    if err == "EHOSTUNREACH":
        code = ICMP_HOST_UNREACH
    elif err == "ENETUNREACH":
        code = ICMP_NET_UNREACH
        reason = DropReason.IP_INNOROUTES
    elif err == "EACCES":
        code = 13
    if code is not None and dev.net.inet_peer_allow(from_bytes(skb.data[26:30]), "error"):
        icmp.icmp_send(skb, ICMP_DEST_UNREACH, code, 0)
    core.drop(skb, reason, "ip_error", dev)


def ipv4_link_failure(skb: "SkBuff") -> None:
    """arp_error_report -> ipv4_link_failure: tell the sender the host is unreachable."""
    icmp.icmp_send(skb, ICMP_DEST_UNREACH, ICMP_HOST_UNREACH, 0)


# ---------------------------------------------------------------- reassembly

IPFRAG_TIME = 30.0


class _FragQueue:
    __slots__ = ("pieces", "total", "first", "timer", "dev", "net")

    def __init__(self) -> None:
        self.pieces: dict[int, bytes] = {}
        self.total = -1
        self.first: Optional["SkBuff"] = None
        self.timer = None


def ip_defrag(net: "Net", skb: "SkBuff", dev: "NetDevice") -> Optional["SkBuff"]:
    """ip_defrag: collect fragments by (src, dst, id, proto); the whole packet when complete."""
    d = skb.data
    ihl = (d[14] & 0xF) * 4
    key = (d[26:30], d[30:34], d[18:20], d[23])
    queues = net.frag_queues
    q = queues.get(key)
    if q is None:
        q = queues[key] = _FragQueue()
        q.timer = net.world.sched.call_later(IPFRAG_TIME, _frag_expire, net, key, dev)
    ff = (d[20] << 8) | d[21]
    off = (ff & 0x1FFF) * 8
    payload = d[14 + ihl:]
    q.pieces[off] = payload
    if off == 0:
        q.first = skb
    if not ff & 0x2000:
        q.total = off + len(payload)
    core.trace(skb, net, "ip_defrag", "queued", offset=off, length=len(payload))
    if q.total < 0 or q.first is None:
        return None
    buf = bytearray()
    for o in sorted(q.pieces):
        if o != len(buf):
            if o < len(buf):
                continue
            return None
        buf += q.pieces[o]
    if len(buf) < q.total:
        return None
    q.timer.cancel()
    del queues[key]
    first = q.first.data
    fihl = (first[14] & 0xF) * 4
    hdr = bytearray(first[14:14 + fihl])
    hdr[2:4] = (fihl + q.total).to_bytes(2, "big")
    hdr[6:8] = b"\x00\x00"
    hdr[10:12] = b"\x00\x00"
    hdr[10:12] = checksum(bytes(hdr)).to_bytes(2, "big")
    whole = net.world.new_skb(first[:14] + bytes(hdr) + bytes(buf[:q.total]), dev,
                              cause=skb.id, trace=skb.trace)
    whole.dst = skb.dst
    whole.pkt_type = skb.pkt_type
    core.trace(whole, net, "ip_defrag", "reassembled", length=q.total)
    return whole


def _frag_expire(net: "Net", key, dev: "NetDevice") -> None:
    q = net.frag_queues.pop(key, None)
    if q is None:
        return
    if q.first is not None:
        from .wire import ICMP_TIME_EXCEEDED
        icmp.icmp_send(q.first, ICMP_TIME_EXCEEDED, 1, 0)
    core.drop(q.first or _dummy(net), "FRAG_REASM_TIMEOUT", "ip_expire", dev)


def _dummy(net):
    return net.world.new_skb(b"", None)


from . import neighbour  # noqa: E402  (neighbour sends through core, which imports us)
from .netdev import IFF_LOOPBACK  # noqa: E402
