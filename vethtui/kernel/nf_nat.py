"""NAT (net/netfilter/nf_nat_core.c, nf_nat_proto.c, nf_nat_masquerade.c).

NAT lives in the connection: the first packet of a flow runs the nat table's
chain at a hook (nf_nat_inet_fn); a SNAT/DNAT/MASQUERADE/REDIRECT target picks
a new tuple (nf_nat_setup_info, get_unique_tuple: the original address and port
if nobody uses them, else another port or ICMP id) and stores it as the
connection's reply tuple. Every packet of the flow, in either direction, is
then rewritten from the tuples alone (nf_nat_packet -> nf_nat_ipv4_manip_pkt):
the source at POST_ROUTING and LOCAL_IN, the destination at PRE_ROUTING and
LOCAL_OUT. An ICMP error about a NATed packet has its quoted packet and its
outer address translated back (nf_nat_icmp_reply_translation).
Checksums are updated incrementally, as the kernel's inet_proto_csum_replace.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Optional

from . import core
from .core import (NF_ACCEPT, NF_DROP, NF_INET_LOCAL_IN, NF_INET_LOCAL_OUT,
                   NF_INET_POST_ROUTING, NF_INET_PRE_ROUTING)
from .devinet import register_inetaddr_notifier
from .inet import ntoa
from .nf_conntrack import (IP_CT_NEW, IP_CT_RELATED, IP_CT_RELATED_REPLY, IPS_DST_NAT,
                           IPS_DST_NAT_DONE, IPS_NAT_MASK, IPS_SRC_NAT, IPS_SRC_NAT_DONE,
                           ICMP_QUERIES, ct_net, invert_tuple)
from .tcp_output import csum_partial_pseudo
from .wire import IPPROTO_ICMP, IPPROTO_TCP, IPPROTO_UDP, checksum

if TYPE_CHECKING:  # pragma: no cover
    from .netns import Net
    from .skb import SkBuff

NF_NAT_MANIP_SRC = 0
NF_NAT_MANIP_DST = 1


def hook2manip(hooknum: int) -> int:
    """HOOK2MANIP: POST_ROUTING and LOCAL_IN change the source, the others the destination."""
    return NF_NAT_MANIP_SRC if hooknum in (NF_INET_POST_ROUTING, NF_INET_LOCAL_IN) else NF_NAT_MANIP_DST


class NatRange:
    """struct nf_nat_range2: addresses and, if given, a port (or ICMP id) range."""

    __slots__ = ("min_ip", "max_ip", "min_proto", "max_proto", "has_ip", "has_proto")

    def __init__(self, min_ip: int = 0, max_ip: int = 0, min_proto: int = 0,
                 max_proto: int = 0, has_ip: bool = True, has_proto: bool = False):
        self.min_ip = min_ip
        self.max_ip = max_ip or min_ip
        self.min_proto = min_proto
        self.max_proto = max_proto or min_proto
        self.has_ip = has_ip
        self.has_proto = has_proto


def nat_initialized(ct, manip: int) -> bool:
    return bool(ct.status & (IPS_SRC_NAT_DONE if manip == NF_NAT_MANIP_SRC else IPS_DST_NAT_DONE))


def _used_tuple(net: "Net", tup: tuple, ct) -> bool:
    """nf_nat_used_tuple: does another connection already answer to this tuple's reply?"""
    cn = ct_net(net)
    reply = invert_tuple(tup)
    if cn is None or reply is None:
        return False
    h = cn.find(reply)
    return h is not None and h[0] is not ct


def _with(tup: tuple, manip: int, ip: int, key: Optional[int]) -> tuple:
    proto, src, dst, a, b = tup
    if manip == NF_NAT_MANIP_SRC:
        return (proto, ip, dst, a if key is None else key, b)
    if proto == IPPROTO_ICMP:
        return (proto, src, ip, a, b)
    return (proto, src, ip, a, b if key is None else key)


def _rol32(x: int, k: int) -> int:
    return ((x << k) | (x >> (32 - k))) & 0xFFFFFFFF


def jhash2(words: list[int], initval: int) -> int:
    """include/linux/jhash.h, on 32-bit words."""
    m = 0xFFFFFFFF
    a = b = c = (0xDEADBEEF + (len(words) << 2) + initval) & m
    k = list(words)
    while len(k) > 3:
        a = (a + k[0]) & m
        b = (b + k[1]) & m
        c = (c + k[2]) & m
        a = (a - c) & m; a ^= _rol32(c, 4); c = (c + b) & m          # __jhash_mix
        b = (b - a) & m; b ^= _rol32(a, 6); a = (a + c) & m
        c = (c - b) & m; c ^= _rol32(b, 8); b = (b + a) & m
        a = (a - c) & m; a ^= _rol32(c, 16); c = (c + b) & m
        b = (b - a) & m; b ^= _rol32(a, 19); a = (a + c) & m
        c = (c - b) & m; c ^= _rol32(b, 4); b = (b + a) & m
        k = k[3:]
    if not k:
        return c
    if len(k) == 3:
        c = (c + k[2]) & m
    if len(k) >= 2:
        b = (b + k[1]) & m
    a = (a + k[0]) & m
    c ^= b; c = (c - _rol32(b, 14)) & m                                  # __jhash_final
    a ^= c; a = (a - _rol32(c, 11)) & m
    b ^= a; b = (b - _rol32(a, 25)) & m
    c ^= b; c = (c - _rol32(b, 16)) & m
    a ^= c; a = (a - _rol32(c, 4)) & m
    b ^= a; b = (b - _rol32(a, 14)) & m
    c ^= b; c = (c - _rol32(b, 24)) & m
    return c


def _le(addr: int) -> int:
    """An address as the u32 a little-endian machine reads from its network-order bytes."""
    return int.from_bytes(addr.to_bytes(4, "big"), "little")


def find_best_ip(orig: tuple, rng: NatRange) -> int:
    """find_best_ips_proto: one address of the range, by a hash of the source address
    (the whole 16-byte nf_inet_addr) seeded with the destination, so a client keeps its
    mapping."""
    if rng.min_ip == rng.max_ip:
        return rng.min_ip
    j = jhash2([_le(orig[1]), 0, 0, 0], _le(orig[2]))
    dist = rng.max_ip - rng.min_ip + 1
    return rng.min_ip + ((j * dist) >> 32)          # reciprocal_scale


def get_unique_tuple(net: "Net", orig: tuple, rng: NatRange, ct, manip: int) -> tuple:
    proto = orig[0]
    ip = find_best_ip(orig, rng) if rng.has_ip else (
        orig[1] if manip == NF_NAT_MANIP_SRC else orig[2])
    tup = _with(orig, manip, ip, None)
    ports = proto in (IPPROTO_TCP, IPPROTO_UDP) or (
        proto == IPPROTO_ICMP and (orig[4] >> 8) in ICMP_QUERIES)
    key = orig[3] if (manip == NF_NAT_MANIP_SRC or proto == IPPROTO_ICMP) else orig[4]
    if not ports:
        return tup
    if rng.has_proto:
        if rng.min_proto <= key <= rng.max_proto and not _used_tuple(net, tup, ct):
            return tup
        lo, hi = rng.min_proto, rng.max_proto
    else:
        if not _used_tuple(net, tup, ct):
            return tup
        if proto == IPPROTO_ICMP:
            lo, hi = 0, 65535
        elif manip == NF_NAT_MANIP_DST:
            return tup
        elif key < 1024:
            lo, hi = (1, 511) if key < 512 else (600, 1023)
        else:
            lo, hi = 1024, 65535
    if manip == NF_NAT_MANIP_DST and proto != IPPROTO_ICMP and rng.has_proto:
        return _with(tup, manip, ip, lo)
    size = hi - lo + 1
    off = net.world.rng.randrange(size)       # get_random_u16: the kernel's pick is random
    for i in range(size):
        cand = _with(tup, manip, ip, lo + (off + i) % size)
        if not _used_tuple(net, cand, ct):
            return cand
    return cand


def nf_nat_setup_info(net: "Net", ct, rng: NatRange, manip: int) -> int:
    """Bind the connection's `manip` side to `rng`: the reply tuple changes."""
    curr = invert_tuple(ct.reply)
    new = get_unique_tuple(net, curr, rng, ct, manip)
    if new != curr:
        cn = ct_net(net)
        reply = invert_tuple(new)
        if cn is not None and cn.hash.get(ct.reply, (None,))[0] is ct:
            del cn.hash[ct.reply]
            cn.hash[reply] = (ct, 1)
        ct.reply = reply
        ct.status |= IPS_SRC_NAT if manip == NF_NAT_MANIP_SRC else IPS_DST_NAT
    ct.status |= IPS_SRC_NAT_DONE if manip == NF_NAT_MANIP_SRC else IPS_DST_NAT_DONE
    return NF_ACCEPT


def nf_nat_alloc_null_binding(net: "Net", ct, hooknum: int) -> int:
    """No rule said anything: bind to the address the packet already has (a clash
    still moves the port)."""
    manip = hook2manip(hooknum)
    curr = invert_tuple(ct.reply)
    ip = curr[1] if manip == NF_NAT_MANIP_SRC else curr[2]
    return nf_nat_setup_info(net, ct, NatRange(ip, ip), manip)


# ---------------------------------------------------------------- rewriting

def _csum_add(c: int, old: int, new: int) -> int:
    """RFC 1624 eqn 3 for one 16-bit word: HC' = ~(~HC + ~m + m')."""
    s = (~c & 0xFFFF) + (~old & 0xFFFF) + new
    s = (s & 0xFFFF) + (s >> 16)
    s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def _csum_replace4(c: int, old: int, new: int) -> int:
    c = _csum_add(c, old >> 16, new >> 16)
    return _csum_add(c, old & 0xFFFF, new & 0xFFFF)


def manip_pkt(buf: bytearray, off: int, target: tuple, manip: int) -> None:
    """nf_nat_ipv4_manip_pkt on the IPv4 header at `off`: address, then the L4 key."""
    ihl = (buf[off] & 0xF) * 4
    proto = buf[off + 9]
    apos = off + 12 if manip == NF_NAT_MANIP_SRC else off + 16
    old = int.from_bytes(buf[apos:apos + 4], "big")
    new = target[1] if manip == NF_NAT_MANIP_SRC else target[2]
    l4 = off + ihl
    frag = ((buf[off + 6] << 8) | buf[off + 7]) & 0x1FFF
    if not frag:
        if proto in (IPPROTO_TCP, IPPROTO_UDP):
            cpos = l4 + (16 if proto == IPPROTO_TCP else 6)
            ppos = l4 if manip == NF_NAT_MANIP_SRC else l4 + 2
            newport = target[3] if manip == NF_NAT_MANIP_SRC else target[4]
            if len(buf) >= ppos + 2:
                oldport = (buf[ppos] << 8) | buf[ppos + 1]
                buf[ppos:ppos + 2] = newport.to_bytes(2, "big")
                if len(buf) >= cpos + 2:
                    c = (buf[cpos] << 8) | buf[cpos + 1]
                    l4len = ((buf[off + 2] << 8) | buf[off + 3]) - ihl
                    saddr = int.from_bytes(buf[off + 12:off + 16], "big")
                    daddr = int.from_bytes(buf[off + 16:off + 20], "big")
                    if c == csum_partial_pseudo(saddr, daddr, proto, l4len):
                        # CHECKSUM_PARTIAL (a local socket's segment, here or across a
                        # veth): the field holds only the pseudo-header's sum, which
                        # inet_proto_csum_replace4(pseudohdr=true) moves to the new
                        # address; the port is in the part the device sums later
                        # (inet_proto_csum_replace2 leaves a partial checksum alone)
                        if manip == NF_NAT_MANIP_SRC:
                            saddr = new
                        else:
                            daddr = new
                        c = csum_partial_pseudo(saddr, daddr, proto, l4len)
                        buf[cpos:cpos + 2] = c.to_bytes(2, "big")
                    elif not (proto == IPPROTO_UDP and c == 0):
                        c = _csum_replace4(c, old, new)
                        c = _csum_add(c, oldport, newport)
                        if proto == IPPROTO_UDP and c == 0:
                            c = 0xFFFF
                        buf[cpos:cpos + 2] = c.to_bytes(2, "big")
        elif proto == IPPROTO_ICMP and len(buf) >= l4 + 8:
            # icmp_manip_pkt: the id is the tuple's source key, set whichever side changes
            if buf[l4] in (0, 8, 13, 14, 15, 16, 17, 18):
                oldid = (buf[l4 + 4] << 8) | buf[l4 + 5]
                newid = target[3]
                buf[l4 + 4:l4 + 6] = newid.to_bytes(2, "big")
                c = _csum_add((buf[l4 + 2] << 8) | buf[l4 + 3], oldid, newid)
                buf[l4 + 2:l4 + 4] = c.to_bytes(2, "big")
    buf[apos:apos + 4] = new.to_bytes(4, "big")
    c = _csum_replace4((buf[off + 10] << 8) | buf[off + 11], old, new)
    buf[off + 10:off + 12] = c.to_bytes(2, "big")


def nf_nat_packet(skb: "SkBuff", ct, ctinfo: int, hooknum: int) -> bool:
    """Rewrite the packet if the connection is NATed on this hook's side, in this direction."""
    manip = hook2manip(hooknum)
    direction = 1 if ctinfo >= 3 else 0
    statusbit = IPS_SRC_NAT if manip == NF_NAT_MANIP_SRC else IPS_DST_NAT
    if direction == 1:
        statusbit ^= IPS_NAT_MASK
    if not ct.status & statusbit:
        return False
    other = ct.reply if direction == 0 else ct.tuple
    target = invert_tuple(other)
    buf = bytearray(skb.data)
    manip_pkt(buf, 14, target, manip)
    skb.data = bytes(buf)
    return True


def nf_nat_icmp_reply_translation(skb: "SkBuff", ct, ctinfo: int, hooknum: int) -> bool:
    manip = hook2manip(hooknum)
    direction = 1 if ctinfo >= 3 else 0
    statusbit = IPS_SRC_NAT if manip == NF_NAT_MANIP_SRC else IPS_DST_NAT
    if direction == 1:
        statusbit ^= IPS_NAT_MASK
    if not ct.status & statusbit:
        return False
    buf = bytearray(skb.data)
    ihl = (buf[14] & 0xF) * 4
    icmp = 14 + ihl
    other = ct.reply if direction == 0 else ct.tuple
    # the quoted packet: the opposite manip, back to what its sender sent
    manip_pkt(buf, icmp + 8, other, 1 - manip)
    buf[icmp + 2:icmp + 4] = b"\x00\x00"
    buf[icmp + 2:icmp + 4] = checksum(bytes(buf[icmp:])).to_bytes(2, "big")
    target = invert_tuple(other)
    target = (IPPROTO_ICMP,) + target[1:]
    manip_pkt(buf, 14, (IPPROTO_ICMP, target[1], target[2], 0, 0), manip)
    skb.data = bytes(buf)
    return True


# ---------------------------------------------------------------- the nat hook

def nf_nat_ipv4_fn(skb: "SkBuff", net: "Net", hooknum: int, run_chain) -> int:
    """nf_nat_ipv4_fn + nf_nat_inet_fn: `run_chain(skb, ct)` is the nat table's chain
    for this hook; it binds the connection or returns a verdict."""
    nfct = skb.nfct
    if nfct is None:
        return NF_ACCEPT
    ct, ctinfo = nfct
    if ctinfo in (IP_CT_RELATED, IP_CT_RELATED_REPLY) and skb.data[23] == IPPROTO_ICMP:
        d = skb.data
        ihl = (d[14] & 0xF) * 4
        if d[14 + ihl] in (3, 4, 5, 11, 12):
            before = skb.data
            if nf_nat_icmp_reply_translation(skb, ct, ctinfo, hooknum):
                _trace_rewrite(skb, net, hooknum, before, "the ICMP error and the packet it quotes")
            return NF_ACCEPT
    manip = hook2manip(hooknum)
    if ctinfo in (IP_CT_NEW, IP_CT_RELATED, IP_CT_RELATED_REPLY):
        if not nat_initialized(ct, manip):
            verdict = run_chain(skb, ct)
            if verdict != NF_ACCEPT:
                return verdict
            if not nat_initialized(ct, manip):
                nf_nat_alloc_null_binding(net, ct, hooknum)
    before = skb.data
    if nf_nat_packet(skb, ct, ctinfo, hooknum):
        _trace_rewrite(skb, net, hooknum, before, "")
    return NF_ACCEPT


def _trace_rewrite(skb: "SkBuff", net: "Net", hooknum: int, before: bytes, what: str) -> None:
    if skb.trace is None:
        return
    d = skb.data
    manip = hook2manip(hooknum)
    pos = 26 if manip == NF_NAT_MANIP_SRC else 30
    old = ntoa(int.from_bytes(before[pos:pos + 4], "big"))
    new = ntoa(int.from_bytes(d[pos:pos + 4], "big"))
    proto = d[23]
    ihl = (d[14] & 0xF) * 4
    if proto in (IPPROTO_TCP, IPPROTO_UDP) and not what:
        p = 14 + ihl + (0 if manip == NF_NAT_MANIP_SRC else 2)
        old += f":{int.from_bytes(before[p:p + 2], 'big')}"
        new += f":{int.from_bytes(d[p:p + 2], 'big')}"
    kind = "source" if manip == NF_NAT_MANIP_SRC else "destination"
    core.trace(skb, net, "nf_nat_packet", "rewritten", kind=kind, old=old, new=new,
               what=what, point=HOOK_NAMES[hooknum])


HOOK_NAMES = {NF_INET_PRE_ROUTING: "PREROUTING", NF_INET_LOCAL_IN: "INPUT", 2: "FORWARD",
              NF_INET_LOCAL_OUT: "OUTPUT", NF_INET_POST_ROUTING: "POSTROUTING"}

__all__ = ["NatRange", "nf_nat_setup_info", "nf_nat_ipv4_fn", "NF_DROP", "hook2manip",
           "NF_NAT_MANIP_SRC", "NF_NAT_MANIP_DST"]


# ---------------------------------------------------------------- MASQUERADE and addresses

def masq_inet_event(event: str, ifa, iprim) -> None:
    """nf_nat_masquerade's masq_inet_event: an address removed from a device (not the
    device going away) ends the connections masqueraded behind it there."""
    if event != "down":
        return
    in_dev = getattr(ifa, "in_dev", None)
    if in_dev is None or getattr(in_dev, "dead", False):
        return
    dev = in_dev.dev
    net = dev.net
    cn = ct_net(net) if net is not None else None
    if cn is None:
        return
    for ct in cn.entries():
        if ct.nat_ifindex == dev.ifindex and ct.reply[2] == ifa.local:
            cn.delete(ct, "DESTROY")


def _register_masq_notifier() -> None:
    register_inetaddr_notifier(masq_inet_event)


_register_masq_notifier()
