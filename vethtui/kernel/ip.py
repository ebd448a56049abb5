"""IPv4 input and forwarding (net/ipv4/ip_input.c, ip_forward.c); output is ip_output.py.

Input: ip_rcv checks the header, ip_route_input decides local delivery,
forwarding or ip_error; local delivery shows the packet to raw sockets and
then to the protocol registered for it (inet_add_protocol: ICMP).
Registered with the core for ETH_P_IP (inet_init's dev_add_pack).
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Optional

from . import core, icmp, ip_output
from .core import (NF_INET_FORWARD, NF_INET_LOCAL_IN, NF_INET_POST_ROUTING, NF_INET_PRE_ROUTING,
                   inet_protos, nf_hook_slow)
from .inet import from_bytes, ntoa
from .inetpeer import ip_error_allow
from .ip_output import ZERO_ETH, ip_finish_output
from .route import Rtable, ip_route_input
from .skb import PACKET_HOST, PACKET_OTHERHOST, DropReason
from .sockets import raw_local_deliver
from .wire import (ETH_P_IP, ICMP_DEST_UNREACH, ICMP_FRAG_NEEDED, ICMP_HOST_UNREACH,
                   ICMP_NET_UNREACH, ICMP_TIME_EXCEEDED, IP_ADDRS, checksum)

if TYPE_CHECKING:  # pragma: no cover
    from .netdev import NetDevice
    from .netns import Net
    from .skb import SkBuff

ICMP_EXC_TTL = 0


# ---------------------------------------------------------------- input

def ip_rcv(skb: "SkBuff", dev: "NetDevice") -> None:
    net = dev.net
    if skb.pkt_type == PACKET_OTHERHOST:
        core.drop(skb, DropReason.OTHERHOST, "ip_rcv_core", dev)
        return
    d = skb.data
    n = len(d)
    if n < 34:
        core.drop(skb, DropReason.PKT_TOO_SMALL, "ip_rcv_core", dev)
        return
    vihl = d[14]
    ihl = (vihl & 0xF) * 4
    if vihl >> 4 != 4 or ihl < 20 or n < 14 + ihl:
        core.drop(skb, DropReason.IP_INHDR, "ip_rcv_core", dev)
        return
    # ip_fast_csum(iph) != 0, inlined: the ones' complement sum of the words is the
    # header read as one integer modulo 0xFFFF; it verifies when that is 0 (as 0xFFFF)
    # and the header is not all zeros (see wire.checksum)
    x = int.from_bytes(d[14:14 + ihl], "big")
    if x % 0xFFFF or not x:
        core.drop(skb, DropReason.IP_CSUM, "ip_rcv_core", dev)
        return
    tot = (d[16] << 8) | d[17]
    if tot < ihl or n - 14 < tot:
        core.drop(skb, DropReason.IP_INHDR, "ip_rcv_core", dev)
        return
    if n - 14 > tot:
        skb.data = d[:14 + tot]  # strip Ethernet padding
    if skb.trace is not None:
        core.trace(skb, net, "ip_rcv", "accepted", dev=dev.name,
                   src=ntoa(from_bytes(d[26:30])), dst=ntoa(from_bytes(d[30:34])))
    hooks = net.nf_hooks_ipv4[NF_INET_PRE_ROUTING]
    if hooks and not nf_hook_slow(hooks, skb, dev, None):
        return
    ip_rcv_finish(skb, dev)


def ip_rcv_finish(skb: "SkBuff", dev: "NetDevice") -> None:
    net = dev.net
    d = skb.data
    rt: Optional[Rtable] = skb.dst
    if rt is None:
        saddr, daddr = IP_ADDRS.unpack_from(d, 26)
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
    if ((d[20] << 8) | d[21]) & 0x3FFF:   # ip_is_fragment: MF or an offset
        whole = ip_defrag(net, skb, dev)
        if whole is None:
            return
        skb = whole
        d = skb.data
        ihl = (d[14] & 0xF) * 4
    hooks = net.nf_hooks_ipv4[NF_INET_LOCAL_IN]
    if hooks and not nf_hook_slow(hooks, skb, dev, None):
        return
    # ip_local_deliver_finish: raw sockets get their copies, then the protocol
    delivered = raw_local_deliver(net, skb, proto, ihl) if net.raw_sockets else False
    handler = inet_protos.get(proto)
    if handler is not None:
        handler(skb, dev, rt, ihl)
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
    new.nfct = skb.nfct   # netfilter: the forwarded copy keeps its conntrack entry
    new.dst_pending_confirm = skb.dst_pending_confirm   # the same skb in the kernel
    hooks = net.nf_hooks_ipv4
    if hooks[NF_INET_FORWARD] and not nf_hook_slow(hooks[NF_INET_FORWARD], new, dev, out):
        return
    if hooks[NF_INET_POST_ROUTING] and not nf_hook_slow(hooks[NF_INET_POST_ROUTING], new, None,
                                                         out):
        return
    # ip_forward_finish -> dst_output -> ip_output: fragmented there if it does not fit
    ip_finish_output(net, new, rt, forwarding=True)


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
    if code is not None and ip_error_allow(dev.net, from_bytes(skb.data[26:30])):
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
    whole.nfct = q.first.nfct   # netfilter: the first fragment's conntrack entry
    core.trace(whole, net, "ip_defrag", "reassembled", length=q.total)
    return whole


def _frag_expire(net: "Net", key, dev: "NetDevice") -> None:
    q = net.frag_queues.pop(key, None)
    if q is None:
        return
    if q.first is not None:
        icmp.icmp_send(q.first, ICMP_TIME_EXCEEDED, 1, 0)
    core.drop(q.first or _dummy(net), "FRAG_REASM_TIMEOUT", "ip_expire", dev)


def _dummy(net):
    return net.world.new_skb(b"", None)



# inet_init: IPv4 receives ETH_P_IP; a broadcast's own copy comes back to ip_rcv_finish
core.dev_add_pack(ETH_P_IP, ip_rcv)
ip_output.set_mc_loopback_rcv(ip_rcv_finish)
