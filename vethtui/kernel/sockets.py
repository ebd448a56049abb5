"""Raw ICMP sockets, the kind iputils ping opens as root (net/ipv4/raw.c).

Which packets a socket sees is raw_v4_match: same protocol, the bound local
address if any, and the bound device (SO_BINDTODEVICE, `ping -I dev`) compared
with the packet's input interface. For a packet that came back through `lo`
that interface is rt_iif, the device of the local route, so a reply to
`ping -I veth0` arriving on lo still matches. ICMP errors are matched against
the device they arrived on (lo), so the error queue of a socket bound to veth0
stays empty: `ping -I` prints no "Destination Host Unreachable".
"""
from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple, Optional

from . import core, ip_output, route
from .clock import Event
from .inet import ntoa
from .route import RTCF_BROADCAST
from .skb import DropReason
from .wire import ICMP_ECHOREPLY, IP_ADDRS, IPPROTO_ICMP, ipv4_header

if TYPE_CHECKING:  # pragma: no cover
    from .netns import Net
    from .skb import SkBuff


class SocketError(Exception):
    def __init__(self, errno: str):
        super().__init__(errno)
        self.errno = errno


class Received(NamedTuple):
    """One datagram on a raw socket's receive queue, as recvmsg gives it to ping.

    A tuple made without a Python-level __init__ (`_new_received`): a flood ping
    queues one a round trip."""

    time: float
    src: int
    dst: int
    ttl: int
    ip_len: int
    icmp: bytes        # the ICMP message (header + data)
    ifindex: int
    skb_id: int = 0    # which packet this is a copy of (purged unread: QUEUE_PURGE)


_new_received = tuple.__new__   # Received(...) without NamedTuple's Python __new__


@dataclass
class ErrorReport:
    """sock_extended_err as ping reads it from MSG_ERRQUEUE."""

    time: float
    offender: int      # who sent the ICMP error
    type: int
    code: int
    info: int
    inner: bytes       # the quoted original IP packet
    origin: str = "icmp"   # "icmp" (SO_EE_ORIGIN_ICMP) or "local" (ip_local_error)
    errno: str = ""
    skb_id: int = 0


class RawSocket:
    def __init__(self, net: "Net", protocol: int = IPPROTO_ICMP, bound_dev_if: int = 0,
                 rcv_saddr: int = 0, ident: Optional[int] = None, recverr: bool = True):
        self.net = net
        self.protocol = protocol
        self.bound_dev_if = bound_dev_if
        self.rcv_saddr = rcv_saddr
        self.ident = ident          # iputils' BPF filter: echo replies with our id only
        self.recverr = recverr
        self.rxq: deque[Received] = deque()
        self.errq: deque[ErrorReport] = deque()
        self.event = Event(net.world.sched)
        self.closed = False
        self.sk_err = False         # raw_err: a pending error recvmsg reports first
        self.rcvbuf_packets = 4096
        net.raw_sockets.append(self)

    def close(self) -> None:
        """inet_sock_destruct: whatever the process left unread is purged."""
        if not self.closed:
            self.closed = True
            if self in self.net.raw_sockets:
                self.net.raw_sockets.remove(self)
            world = self.net.world
            for item in list(self.rxq) + list(self.errq):
                if item.skb_id:
                    world.packet_dropped_id(self.net, item.skb_id, DropReason.QUEUE_PURGE,
                                            "inet_sock_destruct")
            self.rxq.clear()
            self.errq.clear()

    def dev_gone(self) -> None:
        self.bound_dev_if = -1  # bound to a device that no longer exists: sees nothing

    def describe(self) -> str:
        who = f"ping's raw socket (id {self.ident})" if self.ident is not None else "a raw socket"
        bound = self._bound_name()
        return f"{who}, bound to {bound}" if bound else who

    def mismatch(self, laddr: int, dif: int) -> str:
        """Why raw_v4_match said no, in words."""
        if self.rcv_saddr and self.rcv_saddr != laddr:
            return f"the socket is bound to address {ntoa(self.rcv_saddr)}, not {ntoa(laddr)}"
        if self.bound_dev_if and self.bound_dev_if != dif:
            dev = self.net.dev_by_index(dif)
            return (f"the socket is bound to {self._bound_name() or '?'} (SO_BINDTODEVICE, "
                    f"ping -I) and the packet counts as arriving on "
                    f"{dev.name if dev is not None else dif} (inet_iif)")
        return "another protocol"

    def refusal(self, skb: "SkBuff", ihl: int) -> str:
        icmp = skb.data[14 + ihl:]
        if not self._passes_filter(icmp):
            ident = int.from_bytes(icmp[4:6], "big") if len(icmp) >= 6 else 0
            return f"ping's filter: an echo reply for id {ident}, not {self.ident}"
        return "receive queue full"

    def match(self, proto: int, raddr: int, laddr: int, dif: int) -> bool:
        """raw_v4_match."""
        if proto != self.protocol:
            return False
        if self.rcv_saddr and self.rcv_saddr != laddr:
            return False
        if self.bound_dev_if and self.bound_dev_if != dif:
            return False
        return True

    def _passes_filter(self, icmp: bytes) -> bool:
        if self.ident is None or len(icmp) < 8:
            return True
        if int.from_bytes(icmp[4:6], "big") == self.ident:
            return True
        return icmp[0] != ICMP_ECHOREPLY

    def deliver(self, skb: "SkBuff", ihl: int, saddr: int, daddr: int, dif: int) -> bool:
        """raw_rcv: queue a copy (the addresses and inet_iif as raw_local_deliver read them)."""
        d = skb.data
        icmp = bytes(d[14 + ihl:])
        # the filter (_passes_filter), inlined: this runs for every packet ping receives
        ident = self.ident
        if (ident is not None and len(icmp) >= 8 and (icmp[4] << 8 | icmp[5]) != ident
                and icmp[0] == ICMP_ECHOREPLY):
            return False
        rxq = self.rxq
        if len(rxq) >= self.rcvbuf_packets:
            return False
        rxq.append(_new_received(Received, (self.net.world.sched.now, saddr, daddr, d[22],
                                            (d[16] << 8) | d[17], icmp, dif, skb.id)))
        self.event.set()
        return True

    def error(self, skb: "SkBuff", off: int) -> None:
        if not self.recverr:
            return
        self.sk_err = True
        d = skb.data
        self.errq.append(ErrorReport(self.net.world.sched.now, int.from_bytes(d[26:30], "big"),
                                     d[off], d[off + 1], int.from_bytes(d[off + 4:off + 8], "big"),
                                     bytes(d[off + 8:]), skb_id=skb.id))
        self.event.set()

    # -- sending ----------------------------------------------------------
    def sendto(self, icmp: bytes, daddr: int, ttl: int = 64, tos: int = 0,
               broadcast_ok: bool = False, pmtudisc: str = "want") -> Optional["SkBuff"]:
        """raw_sendmsg + ip_append_data + ip_push_pending_frames.

        IP_PMTUDISC_WANT (ping's default) sets DF only on packets that fit the
        route's MTU; bigger ones are fragmented here. With "do" a packet that
        does not fit is refused and a local error is queued (EMSGSIZE, mtu).
        """
        net = self.net
        if self.bound_dev_if == -1:
            raise SocketError("ENODEV")
        n = len(icmp)
        if n > 0xFFFF:
            raise SocketError("EMSGSIZE")          # raw_sendmsg: refused before anything
        oif = self.bound_dev_if
        try:
            rt = route.ip_route_output(net, daddr, self.rcv_saddr, oif if oif > 0 else 0, tos)
        except route.RouteError as err:
            raise SocketError(err.errno)
        if rt.flags & RTCF_BROADCAST and not broadcast_ok:
            raise SocketError("EACCES")
        src = self.rcv_saddr or rt.src
        length = 20 + n
        # dst_mtu (Rtable.mtu), inlined for the common case: once per packet sent; with
        # route exceptions about, Rtable.mtu itself (a learned path MTU first)
        mtu = rt.dev.mtu
        metric = rt.mtu_metric
        if metric and metric < mtu:
            mtu = metric
        if net.fnhe:
            mtu = rt.mtu()
        if mtu > 0xFFFF:
            mtu = 0xFFFF
        limit = mtu if pmtudisc == "do" else 0xFFFF
        if length > limit:
            self._local_error(daddr, "EMSGSIZE", mtu)
            raise SocketError("EMSGSIZE")
        df = pmtudisc == "do" or (pmtudisc == "want" and length <= mtu)
        ident = 0 if df else ip_output.ip_select_ident(net)
        hdr = ipv4_header(src, daddr, self.protocol, n, ttl, ident, tos, df)
        skb = net.world.new_skb(ip_output.ZERO_ETH + hdr + icmp, rt.dev)
        skb.sk = self
        if skb.trace is not None:
            core.trace(skb, net, "raw_sendmsg", "sent", dst=ntoa(daddr), src=ntoa(src),
                       bound_dev=self._bound_name())
        if not ip_output.ip_local_out(net, skb, rt):
            if skb.dropped == DropReason.NETFILTER_DROP:
                raise SocketError("EPERM")      # nf_hook_slow's NF_DROP: -EPERM to sendmsg
            raise SocketError("ENOBUFS")   # ip_send_skb: net_xmit_errno(NET_XMIT_DROP)
        return skb

    def _local_error(self, daddr: int, errno: str, info: int) -> None:
        """ip_local_error: a report from this host's own stack, not from the network."""
        if not self.recverr:
            return
        self.errq.append(ErrorReport(self.net.world.sched.now, 0, 0, 0, info, b"",
                                     origin="local", errno=errno))
        self.event.set()

    def _bound_name(self) -> str:
        if self.bound_dev_if <= 0:
            return ""
        dev = self.net.dev_by_index(self.bound_dev_if)
        return dev.name if dev is not None else ""


# ---------------------------------------------------------------- delivery (raw.c)

def raw_local_deliver(net: "Net", skb: "SkBuff", proto: int, ihl: int) -> bool:
    """raw_local_deliver -> raw_v4_input: a copy for every raw socket that matches."""
    if not net.raw_sockets:
        return False
    d = skb.data
    saddr, daddr = IP_ADDRS.unpack_from(d, 26)
    rt = skb.dst
    dif = rt.iif if rt is not None and rt.iif else skb.dev.ifindex
    got = False
    traced = skb.trace is not None
    for s in tuple(net.raw_sockets):
        # raw_v4_match (RawSocket.match), inlined: every packet a ping receives is tested
        if (s.protocol == proto and (not s.rcv_saddr or s.rcv_saddr == daddr)
                and (not s.bound_dev_if or s.bound_dev_if == dif)):
            if s.deliver(skb, ihl, saddr, daddr, dif):
                got = True
                if traced:
                    via = ""
                    if dif != skb.dev.ifindex:
                        d_in = net.dev_by_index(dif)
                        via = d_in.name if d_in is not None else str(dif)
                    core.trace(skb, net, "raw_v4_input", "delivered", sock=s.describe(),
                               dev=skb.dev.name, counts_as=via)
            elif traced:
                core.trace(skb, net, "raw_v4_input", "filtered", sock=s.describe(),
                           why=s.refusal(skb, ihl), dev=skb.dev.name)
        elif traced and s.protocol == proto:
            core.trace(skb, net, "raw_v4_input", "not matched", sock=s.describe(),
                       why=s.mismatch(daddr, dif), dev=skb.dev.name)
    return got


def raw_icmp_error(net: "Net", skb: "SkBuff", inner_proto: int, off: int) -> None:
    """raw_icmp_error -> raw_err: the ICMP error to the sockets of the quoted packet."""
    d = skb.data
    inner = d[off + 8:]
    raddr = int.from_bytes(inner[16:20], "big")
    laddr = int.from_bytes(inner[12:16], "big")
    dif = skb.dev.ifindex
    traced = skb.trace is not None
    for s in tuple(net.raw_sockets):
        if s.match(inner_proto, raddr, laddr, dif):
            s.error(skb, off)
            if traced:
                core.trace(skb, net, "raw_err", "queued" if s.recverr else "not queued",
                           sock=s.describe(), dev=skb.dev.name,
                           why="" if s.recverr else "the socket did not ask for IP_RECVERR")
        elif traced and s.protocol == inner_proto:
            core.trace(skb, net, "raw_err", "not matched", sock=s.describe(),
                       why=s.mismatch(laddr, dif), dev=skb.dev.name)
