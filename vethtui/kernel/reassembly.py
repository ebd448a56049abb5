"""IPv6 reassembly (net/ipv6/reassembly.c): ipv6_frag_rcv collects the fragments of a
packet by (source, destination, identification) and hands the whole packet back once
every piece is in; a queue left incomplete goes after ip6frag_time (60 s).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from . import core

if TYPE_CHECKING:  # pragma: no cover
    from .netdev import NetDevice

IPV6_FRAG_TIMEOUT = 60.0


def ipv6_frag_rcv(skb, dev: "NetDevice", off: int):
    """ipv6_frag_rcv: collect fragments by (src, dst, id); the whole packet when complete."""
    net = dev.net
    d = skb.data
    nexthdr = d[off]
    fo = (d[off + 2] << 8) | d[off + 3]
    offset = fo & ~7
    more = fo & 1
    key = (bytes(d[22:38]), bytes(d[38:54]), bytes(d[off + 4:off + 8]))
    queues = net.__dict__.setdefault("frag6_queues", {})
    q = queues.get(key)
    if q is None:
        q = queues[key] = {"pieces": {}, "total": -1, "first": None, "nexthdr": nexthdr}
        q["timer"] = net.world.sched.call_later(IPV6_FRAG_TIMEOUT, queues.pop, key, None)
    q["pieces"][offset] = bytes(d[off + 8:])
    if offset == 0:
        q["first"] = skb
        q["nexthdr"] = nexthdr
    if not more:
        q["total"] = offset + len(d) - off - 8
    core.trace(skb, net, "ipv6_frag_rcv", "queued", offset=offset)
    if q["total"] < 0 or q["first"] is None:
        return None
    buf = bytearray()
    for o in sorted(q["pieces"]):
        if o != len(buf):
            if o < len(buf):
                continue
            return None
        buf += q["pieces"][o]
    if len(buf) < q["total"]:
        return None
    q["timer"].cancel()
    del queues[key]
    first = q["first"].data
    hdr = bytearray(first[14:54])
    hdr[4:6] = q["total"].to_bytes(2, "big")
    hdr[6] = q["nexthdr"]
    whole = net.world.new_skb(first[:14] + bytes(hdr) + bytes(buf[:q["total"]]), dev,
                              cause=skb.id, trace=skb.trace)
    whole.pkt_type = skb.pkt_type
    whole.csum_unnecessary = skb.csum_unnecessary
    core.trace(whole, net, "ipv6_frag_rcv", "reassembled", length=q["total"])
    return whole
