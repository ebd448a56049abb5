"""The socket buffer: a frame's bytes plus what the stack knows about it.

Like the kernel's sk_buff, one object follows a packet through the stack
(veth hands the same skb to its peer); clones are made where the kernel
clones (bridge flooding, taps). Each skb can carry a trace: the hook points it
passed and the decision taken at each, and, if it died, the drop reason named
as in the kernel's `enum skb_drop_reason` (without the SKB_DROP_REASON_
prefix), or the function that freed it silently.
"""
from __future__ import annotations

from typing import Any, NamedTuple, Optional

PACKET_HOST = 0
PACKET_BROADCAST = 1
PACKET_MULTICAST = 2
PACKET_OTHERHOST = 3
PACKET_OUTGOING = 4
PACKET_LOOPBACK = 5

# Direction letters as `tcpdump -i any` prints them.
PKTTYPE_DIR = {PACKET_HOST: "In", PACKET_BROADCAST: "B", PACKET_MULTICAST: "M",
               PACKET_OTHERHOST: "P", PACKET_OUTGOING: "Out"}


class DropReason:
    """Names from include/net/dropreason-core.h (Linux 6.18), without the prefix.

    `kfree_skb_reason(skb, reason)` in the kernel; here `core.drop(skb, ...)`.
    """

    NOT_SPECIFIED = "NOT_SPECIFIED"
    NO_SOCKET = "NO_SOCKET"
    PKT_TOO_SMALL = "PKT_TOO_SMALL"
    OTHERHOST = "OTHERHOST"
    IP_CSUM = "IP_CSUM"
    IP_INHDR = "IP_INHDR"
    IP_RPFILTER = "IP_RPFILTER"
    UNICAST_IN_L2_MULTICAST = "UNICAST_IN_L2_MULTICAST"
    IP_NOPROTO = "IP_NOPROTO"
    IP_OUTNOROUTES = "IP_OUTNOROUTES"
    NEIGH_CREATEFAIL = "NEIGH_CREATEFAIL"
    NEIGH_FAILED = "NEIGH_FAILED"
    NEIGH_QUEUEFULL = "NEIGH_QUEUEFULL"
    NEIGH_DEAD = "NEIGH_DEAD"
    QDISC_DROP = "QDISC_DROP"
    UNHANDLED_PROTO = "UNHANDLED_PROTO"
    DEV_READY = "DEV_READY"
    ICMP_CSUM = "ICMP_CSUM"
    IP_INADDRERRORS = "IP_INADDRERRORS"
    IP_INNOROUTES = "IP_INNOROUTES"
    PKT_TOO_BIG = "PKT_TOO_BIG"
    IP_LOCAL_SOURCE = "IP_LOCAL_SOURCE"
    IP_INVALID_SOURCE = "IP_INVALID_SOURCE"
    IP_LOCALNET = "IP_LOCALNET"
    IP_INVALID_DEST = "IP_INVALID_DEST"
    SOCKET_RCVBUFF = "SOCKET_RCVBUFF"
    QUEUE_PURGE = "QUEUE_PURGE"
    INVALID_PROTO = "INVALID_PROTO"
    IPV6DISABLED = "IPV6DISABLED"
    NO_TX_TARGET = "NO_TX_TARGET"
    NETFILTER_DROP = "NETFILTER_DROP"


class TraceEvent(NamedTuple):
    """One hook point passed: where (namespace, device, hook) and what was decided.

    A tuple of plain values, made once per hook per packet (cheaper to build
    than an object with attributes). The cyclic garbage collector still tracks
    it: CPython untracks only exact tuples, never a NamedTuple's instances, so
    the 8,000 packets explain remembers are tens of thousands of tracked objects
    (measured 2026-12-07; an earlier note here said the opposite).

    The namespace is named twice, as in the events (kernel/events.py): `net`, its
    display name, for a person to read, and `net_cookie`, its identity, for a
    listener to compare (0 when no namespace is known).
    """

    time: float
    net: str
    hook: str
    verdict: str
    detail: dict[str, Any]
    dev: str = ""
    net_cookie: int = 0


class SkBuff:
    __slots__ = ("data", "dev", "pkt_type", "protocol", "id", "trace", "dst", "cause",
                 "sk", "iif", "mark", "ttl_exceeded", "in_dev_name", "dropped",
                 "csum_unnecessary", "nfct", "dst_pending_confirm")

    def __init__(self, data: bytes, dev=None, protocol: int = 0, id: int = 0,
                 trace: Optional[list] = None, cause: Optional[int] = None):
        self.data = data
        self.dev = dev
        self.pkt_type = PACKET_HOST
        self.protocol = protocol
        self.id = id
        self.trace = trace
        self.dst = None          # the route (Rtable) attached by output or input routing
        self.cause = cause       # id of the skb that made the stack send this one
        self.sk = None           # the socket that sent it, if any
        self.iif = 0
        self.mark = 0
        self.ttl_exceeded = False
        self.in_dev_name = ""
        self.dropped: Optional[str] = None
        # ip_summed == CHECKSUM_UNNECESSARY: the receiving path may skip verifying the
        # transport checksum (veth sets it for frames from its peer, see veth_xmit)
        self.csum_unnecessary = False
        # skb->_nfct: the conntrack entry and its ctinfo, (NfConn, int), once tracked
        self.nfct = None
        # skb->dst_pending_confirm: set by a TCP socket whose peer just proved alive
        # (tcp_transmit_skb); ip_finish_output2's sock_confirm_neigh confirms the next
        # hop's neighbour. A veth's skb_scrub_packet keeps the bit, so routers and
        # bridges in other namespaces on the way confirm theirs too.
        self.dst_pending_confirm = False

    def __len__(self) -> int:
        return len(self.data)

    def clone(self, new_id: int) -> "SkBuff":
        c = SkBuff(self.data, self.dev, self.protocol, new_id,
                   list(self.trace) if self.trace is not None else None, self.cause)
        c.pkt_type = self.pkt_type
        c.dst = self.dst
        c.sk = self.sk
        c.iif = self.iif
        c.mark = self.mark
        c.nfct = self.nfct
        return c
