"""Connection tracking (net/netfilter/nf_conntrack_core.c and the per-protocol trackers).

A connection is two tuples, the original direction's and the reply's
(`struct nf_conntrack_tuple`): protocol, addresses and the protocol's two
16-bit keys, ports for TCP and UDP, the id and the type/code for ICMP. A
tuple here is a plain Python tuple `(proto, src, dst, sport_or_id, dport_or_type)`
so that a lookup is one dict access.

The hooks are registered per namespace only when something needs them
(nf_ct_netns_get: a nat table, a conntrack or state match), so a namespace
without rules pays nothing. `ipv4_conntrack_in` (PRE_ROUTING, -200) and
`ipv4_conntrack_local` (LOCAL_OUT, -200) attach the connection to the packet
(`skb.nfct`, with its ctinfo); `ipv4_confirm` (POST_ROUTING and LOCAL_IN,
INT_MAX) puts a new connection in the table once the packet made it through.
ICMP errors are RELATED to the connection of the packet they quote
(nf_conntrack_inet_error). Timeouts run on the virtual clock; an expired entry
is reaped when it is next looked at (the gc worker's result, without its timer).
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Optional

from . import core
from .core import (NF_ACCEPT, NF_INET_LOCAL_IN, NF_INET_LOCAL_OUT, NF_INET_POST_ROUTING,
                   NF_INET_PRE_ROUTING, NfHookOps)
from .inet import ntoa
from .wire import IPPROTO_ICMP, IPPROTO_TCP, IPPROTO_UDP

if TYPE_CHECKING:  # pragma: no cover
    from .netns import Net
    from .skb import SkBuff

NF_IP_PRI_CONNTRACK = -200
NF_IP_PRI_CONNTRACK_CONFIRM = 2**31 - 1

# enum ip_conntrack_info
IP_CT_ESTABLISHED = 0
IP_CT_RELATED = 1
IP_CT_NEW = 2
IP_CT_IS_REPLY = 3
IP_CT_ESTABLISHED_REPLY = 3
IP_CT_RELATED_REPLY = 4

IP_CT_DIR_ORIGINAL = 0
IP_CT_DIR_REPLY = 1

# enum ip_conntrack_status
IPS_EXPECTED = 1 << 0
IPS_SEEN_REPLY = 1 << 1
IPS_ASSURED = 1 << 2
IPS_CONFIRMED = 1 << 3
IPS_SRC_NAT = 1 << 4
IPS_DST_NAT = 1 << 5
IPS_NAT_MASK = IPS_SRC_NAT | IPS_DST_NAT
IPS_SRC_NAT_DONE = 1 << 7
IPS_DST_NAT_DONE = 1 << 8

# ICMP: the reply type of each query type (icmp_pkt_to_tuple's invmap), and the errors
ICMP_INVMAP = {8: 0, 0: 8, 13: 14, 14: 13, 15: 16, 16: 15, 17: 18, 18: 17}
ICMP_QUERIES = {8, 13, 15, 17}
ICMP_ERROR_TYPES = {3, 4, 5, 11, 12}

# default timeouts in seconds (nf_conntrack_{icmp,udp,tcp,generic}_timeout)
ICMP_TIMEOUT = 30
UDP_TIMEOUT = 30
UDP_TIMEOUT_STREAM = 120
GENERIC_TIMEOUT = 600

# TCP (nf_conntrack_proto_tcp.c): states, names, timeouts and the transition table
(sNO, sSS, sSR, sES, sFW, sCW, sLA, sTW, sCL, sS2, sIV, sIG) = range(12)
TCP_STATE_NAMES = ["NONE", "SYN_SENT", "SYN_RECV", "ESTABLISHED", "FIN_WAIT", "CLOSE_WAIT",
                   "LAST_ACK", "TIME_WAIT", "CLOSE", "SYN_SENT2"]
TCP_TIMEOUTS = [600, 120, 60, 432000, 120, 60, 30, 120, 10, 120]
TCP_SYN_SET, TCP_SYNACK_SET, TCP_FIN_SET, TCP_ACK_SET, TCP_RST_SET, TCP_NONE_SET = range(6)
TCP_CONNTRACKS = [
    [  # ORIGINAL: sNO, sSS, sSR, sES, sFW, sCW, sLA, sTW, sCL, sS2
        [sSS, sSS, sIG, sIG, sIG, sIG, sIG, sSS, sSS, sS2],   # syn
        [sIV, sIV, sSR, sIV, sIV, sIV, sIV, sIV, sIV, sSR],   # synack
        [sIV, sIV, sFW, sFW, sLA, sLA, sLA, sTW, sCL, sIV],   # fin
        [sES, sIV, sES, sES, sCW, sCW, sTW, sTW, sCL, sIV],   # ack
        [sIV, sCL, sCL, sCL, sCL, sCL, sCL, sCL, sCL, sCL],   # rst
        [sIV, sIV, sIV, sIV, sIV, sIV, sIV, sIV, sIV, sIV],   # none
    ],
    [  # REPLY
        [sIV, sS2, sIV, sIV, sIV, sIV, sIV, sSS, sIV, sS2],
        [sIV, sSR, sIG, sIG, sIG, sIG, sIG, sIG, sIG, sSR],
        [sIV, sIV, sFW, sFW, sLA, sLA, sLA, sTW, sCL, sIV],
        [sIV, sIG, sSR, sES, sCW, sCW, sTW, sTW, sCL, sIG],
        [sIV, sCL, sCL, sCL, sCL, sCL, sCL, sCL, sCL, sCL],
        [sIV, sIV, sIV, sIV, sIV, sIV, sIV, sIV, sIV, sIV],
    ],
]

PROTO_NAMES = {IPPROTO_ICMP: "icmp", IPPROTO_TCP: "tcp", IPPROTO_UDP: "udp"}


class NfConn:
    """struct nf_conn: the two tuples, status bits, timeout, per-protocol state."""

    __slots__ = ("tuple", "reply", "status", "timeout", "tcp_state", "mark", "id",
                 "nat_ifindex", "confirmed_at", "udp_stream_ts")

    def __init__(self, orig: tuple, reply: tuple, cid: int):
        self.tuple = orig
        self.reply = reply
        self.status = 0
        self.timeout = 0.0        # relative until confirmed, then the absolute expiry time
        self.tcp_state = sNO
        self.mark = 0
        self.id = cid
        self.nat_ifindex = 0      # MASQUERADE: the device whose address it took
        self.confirmed_at = 0.0
        self.udp_stream_ts = 0.0

    @property
    def proto(self) -> int:
        return self.tuple[0]

    def __repr__(self) -> str:
        return f"<NfConn {self.tuple} {self.reply} status={self.status:#x}>"


class ConntrackNet:
    """A namespace's conntrack state: the hash of confirmed connections and the users."""

    def __init__(self, net: "Net"):
        self.net = net
        self.hash: dict[tuple, tuple[NfConn, int]] = {}
        self.users = 0
        self.next_id = 1
        self.listeners: list = []      # conntrack -E: functions (event, ct)
        self.ops = [NfHookOps(ipv4_conntrack_in, NF_INET_PRE_ROUTING, NF_IP_PRI_CONNTRACK),
                    NfHookOps(ipv4_conntrack_local, NF_INET_LOCAL_OUT, NF_IP_PRI_CONNTRACK),
                    NfHookOps(ipv4_confirm, NF_INET_POST_ROUTING, NF_IP_PRI_CONNTRACK_CONFIRM),
                    NfHookOps(ipv4_confirm, NF_INET_LOCAL_IN, NF_IP_PRI_CONNTRACK_CONFIRM)]

    # -- the table --------------------------------------------------------
    def entries(self) -> list[NfConn]:
        """Every live connection, in insertion order (expired ones reaped first)."""
        self.gc()
        seen = []
        ids = set()
        for ct, _d in self.hash.values():
            if ct.id not in ids:
                ids.add(ct.id)
                seen.append(ct)
        return seen

    def gc(self) -> None:
        now = self.net.world.sched.now
        for key, (ct, d) in list(self.hash.items()):
            if d == IP_CT_DIR_ORIGINAL and ct.timeout <= now:
                self.delete(ct, "DESTROY")

    def insert(self, ct: NfConn) -> None:
        self.hash[ct.tuple] = (ct, IP_CT_DIR_ORIGINAL)
        self.hash[ct.reply] = (ct, IP_CT_DIR_REPLY)

    def delete(self, ct: NfConn, event: str = "DESTROY") -> None:
        if self.hash.get(ct.tuple, (None,))[0] is ct:
            del self.hash[ct.tuple]
        if self.hash.get(ct.reply, (None,))[0] is ct:
            del self.hash[ct.reply]
        self.event(event, ct)

    def find(self, tup: tuple) -> Optional[tuple[NfConn, int]]:
        h = self.hash.get(tup)
        if h is None:
            return None
        ct = h[0]
        if ct.timeout <= self.net.world.sched.now:
            self.delete(ct, "DESTROY")
            return None
        return h

    def event(self, kind: str, ct: NfConn) -> None:
        for fn in tuple(self.listeners):
            fn(kind, ct)

    def remaining(self, ct: NfConn) -> int:
        """nf_ct_expires in seconds, as /proc and ctnetlink give it (rounded down)."""
        left = ct.timeout - self.net.world.sched.now
        return max(0, int(left + 1e-9))


def ct_net(net: "Net") -> Optional[ConntrackNet]:
    return getattr(net, "nf_conntrack", None)


def ct_net_get(net: "Net") -> ConntrackNet:
    cn = ct_net(net)
    if cn is None:
        cn = ConntrackNet(net)
        net.nf_conntrack = cn
    return cn


def nf_ct_netns_get(net: "Net") -> ConntrackNet:
    """A user of conntrack in this namespace: register the hooks on the first."""
    cn = ct_net_get(net)
    if cn.users == 0:
        for ops in cn.ops:
            core.nf_register_net_hook(net, ops)
    cn.users += 1
    return cn


def nf_ct_netns_put(net: "Net") -> None:
    cn = ct_net(net)
    if cn is None or cn.users == 0:
        return
    cn.users -= 1
    if cn.users == 0:
        for ops in cn.ops:
            core.nf_unregister_net_hook(net, ops)


# ---------------------------------------------------------------- tuples

def pkt_to_tuple(d: bytes, off: int) -> Optional[tuple]:
    """nf_ct_get_tuple for the IPv4 packet at `off` (its header) in `d`."""
    ihl = (d[off] & 0xF) * 4
    proto = d[off + 9]
    src = int.from_bytes(d[off + 12:off + 16], "big")
    dst = int.from_bytes(d[off + 16:off + 20], "big")
    l4 = off + ihl
    if proto in (IPPROTO_TCP, IPPROTO_UDP):
        if len(d) < l4 + 4:
            return None
        return (proto, src, dst, (d[l4] << 8) | d[l4 + 1], (d[l4 + 2] << 8) | d[l4 + 3])
    if proto == IPPROTO_ICMP:
        if len(d) < l4 + 8:
            return None
        return (proto, src, dst, (d[l4 + 4] << 8) | d[l4 + 5], (d[l4] << 8) | d[l4 + 1])
    return (proto, src, dst, 0, 0)


def invert_tuple(t: tuple) -> Optional[tuple]:
    proto, src, dst, a, b = t
    if proto == IPPROTO_ICMP:
        inv = ICMP_INVMAP.get(b >> 8)
        if inv is None:
            return None
        return (proto, dst, src, a, inv << 8 | (b & 0xFF))
    if proto in (IPPROTO_TCP, IPPROTO_UDP):
        return (proto, dst, src, b, a)
    return (proto, dst, src, 0, 0)


# ---------------------------------------------------------------- the hooks

def ipv4_conntrack_in(skb: "SkBuff", indev, outdev) -> int:
    return nf_conntrack_in(skb, (indev or outdev).net, NF_INET_PRE_ROUTING)


def ipv4_conntrack_local(skb: "SkBuff", indev, outdev) -> int:
    return nf_conntrack_in(skb, (indev or outdev).net, NF_INET_LOCAL_OUT)


def nf_conntrack_in(skb: "SkBuff", net: "Net", hooknum: int) -> int:
    if skb.nfct is not None:
        return NF_ACCEPT        # already tracked (a packet looped back through lo)
    cn = ct_net(net)
    d = skb.data
    if ((d[20] << 8) | d[21]) & 0x1FFF:
        return NF_ACCEPT        # a non-first fragment: nf_defrag would have waited for it
    tup = pkt_to_tuple(d, 14)
    if tup is None:
        return NF_ACCEPT
    proto = tup[0]
    if proto == IPPROTO_ICMP and (tup[4] >> 8) in ICMP_ERROR_TYPES:
        return icmp_error(skb, net, cn)
    h = cn.find(tup)
    if h is None:
        ct = init_conntrack(cn, skb, tup)
        if ct is None:
            core.trace(skb, net, "nf_conntrack_in", "invalid",
                       why=f"no {PROTO_NAMES.get(proto, proto)} connection to attach it to")
            return NF_ACCEPT
        ctinfo = IP_CT_NEW
        direction = IP_CT_DIR_ORIGINAL
    else:
        ct, direction = h
        if direction == IP_CT_DIR_REPLY:
            ctinfo = IP_CT_ESTABLISHED_REPLY
        elif ct.status & IPS_SEEN_REPLY:
            ctinfo = IP_CT_ESTABLISHED
        else:
            ctinfo = IP_CT_NEW
    if not l4_packet(cn, ct, skb, direction, ctinfo):
        core.trace(skb, net, "nf_conntrack_in", "invalid", why="the TCP tracker refused it")
        return NF_ACCEPT
    if direction == IP_CT_DIR_REPLY and not ct.status & IPS_SEEN_REPLY:
        ct.status |= IPS_SEEN_REPLY
        cn.event("UPDATE", ct)
    skb.nfct = (ct, ctinfo)
    if skb.trace is not None:
        core.trace(skb, net, "nf_conntrack_in", CTINFO_NAMES[ctinfo], conn=ct_summary(ct))
    return NF_ACCEPT


CTINFO_NAMES = {IP_CT_ESTABLISHED: "ESTABLISHED", IP_CT_RELATED: "RELATED", IP_CT_NEW: "NEW",
                IP_CT_ESTABLISHED_REPLY: "ESTABLISHED (reply)",
                IP_CT_RELATED_REPLY: "RELATED (reply)"}


def init_conntrack(cn: ConntrackNet, skb: "SkBuff", tup: tuple) -> Optional[NfConn]:
    proto = tup[0]
    d = skb.data
    if proto == IPPROTO_ICMP and (tup[4] >> 8) not in ICMP_QUERIES:
        return None             # icmp_new: only queries start a connection
    if proto == IPPROTO_TCP:
        ihl = (d[14] & 0xF) * 4
        flags = d[14 + ihl + 13] if len(d) > 14 + ihl + 13 else 0
        idx = tcp_index(flags)
        new_state = TCP_CONNTRACKS[0][idx][sNO]
        if new_state >= sIV:    # tcp_new: only a SYN, or a loose pick-up of an ACK
            return None
    reply = invert_tuple(tup)
    if reply is None:
        return None
    ct = NfConn(tup, reply, cn.next_id)
    cn.next_id += 1
    if proto == IPPROTO_ICMP:
        ct.timeout = ICMP_TIMEOUT
    elif proto == IPPROTO_UDP:
        ct.timeout = UDP_TIMEOUT
    elif proto != IPPROTO_TCP:
        ct.timeout = GENERIC_TIMEOUT
    return ct


def tcp_index(flags: int) -> int:
    """get_conntrack_index."""
    if flags & 0x04:
        return TCP_RST_SET
    if flags & 0x02:
        return TCP_SYNACK_SET if flags & 0x10 else TCP_SYN_SET
    if flags & 0x01:
        return TCP_FIN_SET
    if flags & 0x10:
        return TCP_ACK_SET
    return TCP_NONE_SET


def l4_packet(cn: ConntrackNet, ct: NfConn, skb: "SkBuff", direction: int, ctinfo: int) -> bool:
    """The protocol's packet handler: state and timeout (nf_ct_refresh_acct)."""
    now = cn.net.world.sched.now
    confirmed = bool(ct.status & IPS_CONFIRMED)
    proto = ct.tuple[0]
    if proto == IPPROTO_TCP:
        d = skb.data
        ihl = (d[14] & 0xF) * 4
        flags = d[14 + ihl + 13] if len(d) > 14 + ihl + 13 else 0
        old = ct.tcp_state
        new = TCP_CONNTRACKS[direction][tcp_index(flags)][old]
        if new == sIV:
            return False
        if new == sIG:
            return True
        ct.tcp_state = new
        if (not ct.status & IPS_ASSURED and old in (sSR, sES) and new == sES):
            ct.status |= IPS_ASSURED
        timeout = TCP_TIMEOUTS[new]
        if flags & 0x04 and not ct.status & IPS_SEEN_REPLY and confirmed:
            # "If only reply is a RST, we can consider ourselves not to have an
            # established connection": nf_ct_kill_acct, at once (the state change's
            # cached event dies with it)
            cn.delete(ct, "DESTROY")
            return True
        if old != new and confirmed:
            cn.event("UPDATE", ct)
    elif proto == IPPROTO_UDP:
        # nf_conntrack_udp_packet: a flow seen both ways and still active two seconds
        # after its first packet is a stream (ASSURED, 120 s); SEEN_REPLY is set only
        # after this handler, so the first reply still gets the unreplied timeout
        if not confirmed:
            ct.udp_stream_ts = now + 2.0
        timeout = UDP_TIMEOUT
        if ct.status & IPS_SEEN_REPLY and now > ct.udp_stream_ts:
            timeout = UDP_TIMEOUT_STREAM
            if not ct.status & IPS_ASSURED:
                ct.status |= IPS_ASSURED
                cn.event("UPDATE", ct)
    elif proto == IPPROTO_ICMP:
        timeout = ICMP_TIMEOUT
    else:
        timeout = GENERIC_TIMEOUT
    if confirmed:
        ct.timeout = now + timeout
    else:
        ct.timeout = timeout
    return True


def icmp_error(skb: "SkBuff", net: "Net", cn: ConntrackNet) -> int:
    """nf_conntrack_inet_error: an ICMP error belongs to the flow of the packet it quotes."""
    d = skb.data
    ihl = (d[14] & 0xF) * 4
    inner = 14 + ihl + 8
    if len(d) < inner + 20:
        return NF_ACCEPT
    orig = pkt_to_tuple(d, inner)
    if orig is None:
        return NF_ACCEPT
    inv = invert_tuple(orig)
    h = cn.find(inv) if inv is not None else None
    if h is None:
        core.trace(skb, net, "nf_conntrack_in", "invalid",
                   why="an ICMP error about a packet no connection knows")
        return NF_ACCEPT
    ct, direction = h
    ctinfo = IP_CT_RELATED_REPLY if direction == IP_CT_DIR_REPLY else IP_CT_RELATED
    skb.nfct = (ct, ctinfo)
    if skb.trace is not None:
        core.trace(skb, net, "nf_conntrack_in", CTINFO_NAMES[ctinfo], conn=ct_summary(ct))
    return NF_ACCEPT


def ipv4_confirm(skb: "SkBuff", indev, outdev) -> int:
    """__nf_conntrack_confirm: the first packet made it; the connection enters the table."""
    nfct = skb.nfct
    if nfct is None:
        return NF_ACCEPT
    ct, ctinfo = nfct
    if ct.status & IPS_CONFIRMED or ctinfo >= IP_CT_IS_REPLY or ctinfo == IP_CT_RELATED:
        return NF_ACCEPT
    net = (indev or outdev).net
    cn = ct_net(net)
    if cn is None:
        return NF_ACCEPT
    if ct.tuple in cn.hash or ct.reply in cn.hash:
        # a clash: another packet of the same flow was confirmed first (nf_ct_resolve_clash)
        return NF_ACCEPT
    now = net.world.sched.now
    ct.status |= IPS_CONFIRMED
    ct.timeout = now + ct.timeout
    ct.confirmed_at = now
    cn.insert(ct)
    cn.event("NEW", ct)
    return NF_ACCEPT


def ct_summary(ct: NfConn) -> str:
    """One line for explain: the original tuple and, when NAT changed it, the reply."""
    p, s, dd, a, b = ct.tuple
    _p, rs, rd, ra, rb = ct.reply
    name = PROTO_NAMES.get(p, str(p))
    if p == IPPROTO_ICMP:
        text = f"{name} {ntoa(s)} > {ntoa(dd)} id {a}"
    elif p in (IPPROTO_TCP, IPPROTO_UDP):
        text = f"{name} {ntoa(s)}:{a} > {ntoa(dd)}:{b}"
    else:
        text = f"proto {p} {ntoa(s)} > {ntoa(dd)}"
    if ct.status & IPS_NAT_MASK:
        if p in (IPPROTO_TCP, IPPROTO_UDP):
            text += f", replies {ntoa(rs)}:{ra} > {ntoa(rd)}:{rb}"
        else:
            text += f", replies {ntoa(rs)} > {ntoa(rd)}"
    return text
