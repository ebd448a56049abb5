"""UDP (net/ipv4/udp.c): datagram sockets, port unreachable, errors to connected sockets.

__udp4_lib_rcv finds the socket of a datagram (the best score of
udp4_lib_lookup2: a connected socket's exact four-tuple beats a bound address,
which beats the wildcard); a datagram for no socket is answered with ICMP port
unreachable (unless it was a broadcast) and freed with NO_SOCKET. __udp4_lib_err
gives an ICMP error to the socket of the quoted datagram: a connected socket
keeps it in sk_err (ECONNREFUSED for port unreachable), which its next send or
receive returns; an unconnected one without IP_RECVERR does not hear of it.
"""
from __future__ import annotations

import struct
from collections import deque
from typing import TYPE_CHECKING, Optional

from . import core, icmp, ip_output, route
from .clock import Event
from .inet import from_bytes, ntoa
from .skb import DropReason
from .sockets import SocketError
from .tcp import SOCK_WAKE_S, pick_ephemeral_port
from .tcp_ipv4 import ICMP_UNREACH_ERRNO
from .tcp_output import csum_ok, csum_partial_pseudo
from .wire import ICMP_DEST_UNREACH, IPPROTO_UDP, ipv4_header

if TYPE_CHECKING:  # pragma: no cover
    from .netdev import NetDevice
    from .netns import Net
    from .route import Rtable
    from .skb import SkBuff

ICMP_PORT_UNREACH = 3
_UDPH = struct.Struct("!HHHH")


def udp_table(net: "Net") -> dict[int, list["UdpSock"]]:
    """udp_table's hash by local port, per namespace."""
    t = getattr(net, "udp_table", None)
    if t is None:
        t = net.udp_table = {}
    return t


class UdpSock:
    proto = "udp"

    def __init__(self, net: "Net"):
        self.net = net
        self.rcv_saddr = 0
        self.saddr = 0
        self.sport = 0
        self.daddr = 0
        self.dport = 0
        self.connected = False
        self.rxq: deque[tuple[int, int, bytes]] = deque()
        self.sk_err = ""
        self.ttl = 0                     # IP_TTL (0: net.ipv4.ip_default_ttl)
        self.pmtudisc = "want"           # IP_MTU_DISCOVER: "dont" sends without DF
        self.recverr = False             # IP_RECVERR: every ICMP error to the error queue
        self.errq: deque[tuple[float, int, int, int]] = deque()   # (time, offender, type, code)
        self.closed = False
        self.owner = ""
        self.event = Event(net.world.sched, SOCK_WAKE_S)

    @property
    def state(self) -> int:
        return 1 if self.connected else 7           # ss: ESTAB or UNCONN

    def bind(self, addr: int, port: int) -> None:
        table = udp_table(self.net)
        if port:
            for other in table.get(port, []):
                if not addr or not other.rcv_saddr or other.rcv_saddr == addr:
                    raise SocketError("EADDRINUSE")
        else:
            port = pick_ephemeral_port(self.net, lambda p: p in table, even=False)
        self.rcv_saddr = self.saddr = addr
        self.sport = port
        table.setdefault(port, []).append(self)

    def connect(self, daddr: int, dport: int) -> None:
        """ip4_datagram_connect: the route picks the source address; a port is bound."""
        try:
            rt = route.ip_route_output(self.net, daddr, self.rcv_saddr, 0, 0)
        except route.RouteError as err:
            raise SocketError(err.errno)
        if not self.sport:
            self.bind(self.rcv_saddr, 0)
        self.saddr = self.rcv_saddr or rt.src
        self.daddr = daddr
        self.dport = dport
        self.connected = True

    def sendto(self, data: bytes, daddr: Optional[int] = None, dport: Optional[int] = None) -> int:
        """udp_sendmsg: a pending error (an earlier port unreachable) is returned first."""
        if self.sk_err:
            err, self.sk_err = self.sk_err, ""
            raise SocketError(err)
        net = self.net
        if daddr is None:
            if not self.connected:
                raise SocketError("EDESTADDRREQ")
            daddr, dport = self.daddr, self.dport
        try:
            rt = route.ip_route_output(net, daddr, self.rcv_saddr, 0, 0)
        except route.RouteError as err:
            raise SocketError(err.errno)
        if rt.flags & route.RTCF_BROADCAST:
            raise SocketError("EACCES")
        if not self.sport:
            self.bind(self.rcv_saddr, 0)
        src = self.saddr or rt.src
        ulen = 8 + len(data)
        hdr = _UDPH.pack(self.sport, dport, ulen, 0)
        # CHECKSUM_PARTIAL: the pseudo-header's sum, completed by the device (tcp_output)
        csum = csum_partial_pseudo(src, daddr, IPPROTO_UDP, ulen)
        seg = hdr[:6] + struct.pack("!H", csum) + data
        iph = ipv4_header(src, daddr, IPPROTO_UDP, ulen,
                          self.ttl or net.sysctl_int("ip_default_ttl"),
                          ip_output.ip_select_ident(net), 0, df=self.pmtudisc != "dont")
        skb = net.world.new_skb(ip_output.ZERO_ETH + iph + seg, rt.dev)
        skb.sk = self
        if skb.trace is not None:
            core.trace(skb, net, "udp_sendmsg", "sent", dst=ntoa(daddr), dport=dport)
        ip_output.ip_local_out(net, skb, rt)
        return len(data)

    def recvfrom(self) -> Optional[tuple[int, int, bytes]]:
        if self.rxq:
            return self.rxq.popleft()
        if self.sk_err:
            err, self.sk_err = self.sk_err, ""
            raise SocketError(err)
        return None

    def readable(self) -> bool:
        return bool(self.rxq) or bool(self.sk_err)

    def close(self) -> None:
        if self.closed:
            return
        self.closed = True
        owners = udp_table(self.net).get(self.sport)
        if owners and self in owners:
            owners.remove(self)
            if not owners:
                del udp_table(self.net)[self.sport]

    def queues(self) -> tuple[int, int]:
        return sum(len(p) for _, _, p in self.rxq), 0

    def score(self, saddr: int, sport: int, daddr: int) -> int:
        """compute_score: -1 when the socket cannot take the datagram."""
        s = 0
        if self.rcv_saddr:
            if self.rcv_saddr != daddr:
                return -1
            s += 4
        if self.connected:
            if self.daddr != saddr or self.dport != sport:
                return -1
            s += 4
        return s


def udp_rcv(skb: "SkBuff", dev: "NetDevice", rt: "Rtable", ihl: int) -> None:
    net = dev.net
    d = skb.data
    off = 14 + ihl
    if len(d) < off + 8:
        core.drop(skb, DropReason.PKT_TOO_SMALL, "__udp4_lib_rcv", dev)
        return
    sport, dport, ulen, csum = _UDPH.unpack_from(d, off)
    if ulen < 8 or off + ulen > len(d):
        core.drop(skb, DropReason.PKT_TOO_SMALL, "__udp4_lib_rcv", dev)
        return
    if csum and not skb.csum_unnecessary and not csum_ok(d, off, ulen, IPPROTO_UDP, 6):
        core.drop(skb, "UDP_CSUM", "__udp4_lib_rcv", dev)
        return
    saddr = from_bytes(d[26:30])
    daddr = from_bytes(d[30:34])
    best, best_score = None, -1
    for s in udp_table(net).get(dport, []):
        sc = s.score(saddr, sport, daddr)
        if sc > best_score:
            best, best_score = s, sc
    if best is None:
        if skb.trace is not None:
            core.trace(skb, net, "__udp4_lib_rcv", "no socket", port=dport, dev=dev.name)
        if not rt.flags & (route.RTCF_BROADCAST | route.RTCF_MULTICAST):
            icmp.icmp_send(skb, ICMP_DEST_UNREACH, ICMP_PORT_UNREACH, 0)
        core.drop(skb, DropReason.NO_SOCKET, "__udp4_lib_rcv", dev)
        return
    if skb.trace is not None:
        core.trace(skb, net, "udp_queue_rcv_skb", "queued", port=dport, dev=dev.name)
    best.rxq.append((saddr, sport, bytes(d[off + 8:off + ulen])))
    best.event.set()


def udp_err(net: "Net", skb: "SkBuff", off: int) -> None:
    """__udp4_lib_err: the error to a connected socket of the quoted datagram."""
    d = skb.data
    itype, code = d[off], d[off + 1]
    inner = d[off + 8:]
    ihl = (inner[0] & 0xF) * 4
    if len(inner) < ihl + 4:
        return
    saddr = from_bytes(inner[12:16])
    daddr = from_bytes(inner[16:20])
    sport, dport = struct.unpack_from("!HH", inner, ihl)
    for s in udp_table(net).get(sport, []):
        if s.rcv_saddr and s.rcv_saddr != saddr:
            continue
        if s.connected and (s.daddr != daddr or s.dport != dport):
            continue
        if itype == ICMP_DEST_UNREACH:
            err = ICMP_UNREACH_ERRNO.get(code, "EHOSTUNREACH")
            harderr = code in (2, 3, 5, 9, 10, 13)   # icmp_err_convert's fatal ones
        elif itype == 11:
            err, harderr = "EHOSTUNREACH", False
        else:
            return
        if s.recverr:
            # ip_icmp_error: queued whatever the error, and sk_err set (__udp4_lib_err)
            s.errq.append((net.world.sched.now, from_bytes(d[26:30]), itype, code))
            s.sk_err = err
            core.trace(skb, net, "__udp4_lib_err", err, port=sport)
            s.event.set()
            return
        if not s.connected or not harderr:
            core.trace(skb, net, "__udp4_lib_err", "not reported", port=sport,
                       why="the socket is not connected" if not s.connected else "a soft error")
            return
        core.trace(skb, net, "__udp4_lib_err", err, port=sport)
        s.sk_err = err
        s.event.set()
        return


# inet_init: inet_add_protocol(&udp_protocol, IPPROTO_UDP)
core.inet_add_protocol(IPPROTO_UDP, udp_rcv)
core.inet_add_err_handler(IPPROTO_UDP, udp_err)
