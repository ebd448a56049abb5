"""Raw ICMPv6 sockets, the kind iputils ping opens for IPv6 as root (net/ipv6/raw.c).

The kernel fills the ICMPv6 checksum (IPV6_CHECKSUM at offset 2 is the default
for ICMPv6 raw sockets), picks the source by routing (ipv6_dev_get_saddr), sends
to `::` as to ::1 (a BSD habit rawv6_sendmsg keeps), refuses what exceeds the
path MTU under IPV6_PMTUDISC_DO with a local error, and fragments the rest at
the source. ping's ICMP6_FILTER passes only echo replies and its BPF program only
its own identifier; errors come on the error queue (IPV6_RECVERR).
"""
from __future__ import annotations

import ipaddress
from collections import deque
from dataclasses import dataclass
from typing import TYPE_CHECKING, Optional

from . import core, ip6_output
from .addrconf import ipv6_dev_get_saddr
from .clock import Event
from .ip6_route import hop_limit, ip6_route_output, path_mtu
from .netdev import IFF_LOOPBACK
from .skb import DropReason
from .sockets import SocketError
from .wire import build_ipv6_header, icmp6_with_checksum

if TYPE_CHECKING:  # pragma: no cover
    from .netns import Net
    from .skb import SkBuff

IPPROTO_ICMPV6 = 58
LOOPBACK = ipaddress.IPv6Address("::1")


@dataclass(slots=True)
class Received6:
    time: float
    src: ipaddress.IPv6Address
    hoplimit: int
    icmp: bytes
    ifindex: int
    skb_id: int = 0


@dataclass
class ErrorReport6:
    """sock_extended_err (SO_EE_ORIGIN_ICMP6 or _LOCAL) as ping reads it."""

    time: float
    offender: Optional[ipaddress.IPv6Address]
    offender_ifindex: int
    type: int
    code: int
    info: int
    inner: bytes
    origin: str = "icmp6"
    errno: str = ""
    skb_id: int = 0


def inet6_iif(net: "Net", skb: "SkBuff") -> int:
    """inet6_iif: through lo, the device of the local route the packet was sent by (the
    device holding its destination address), else the device it arrived on."""
    dev = skb.dev
    if dev.flags & IFF_LOOPBACK:
        daddr = ipaddress.IPv6Address(bytes(skb.data[38:54]))
        for d in net.devices.values():
            if any(a.addr == daddr for a in d.inet6):
                return d.ifindex
    return dev.ifindex


def raw6_sockets(net: "Net") -> list:
    socks = net.__dict__.get("raw6_sockets")
    if socks is None:
        socks = net.__dict__["raw6_sockets"] = []
    return socks


class RawSocket6:
    def __init__(self, net: "Net", bound_dev_if: int = 0, ident: Optional[int] = None,
                 saddr: Optional[ipaddress.IPv6Address] = None):
        self.net = net
        self.protocol = IPPROTO_ICMPV6
        self.bound_dev_if = bound_dev_if
        self.saddr = saddr
        self.ident = ident
        self.recverr = True
        self.rxq: deque[Received6] = deque()
        self.errq: deque[ErrorReport6] = deque()
        self.event = Event(net.world.sched)
        self.sk_err = False
        self.closed = False
        raw6_sockets(net).append(self)

    def close(self) -> None:
        if self.closed:
            return
        self.closed = True
        socks = raw6_sockets(self.net)
        if self in socks:
            socks.remove(self)
        for item in list(self.rxq) + list(self.errq):
            if item.skb_id:
                self.net.world.packet_dropped_id(self.net, item.skb_id, DropReason.QUEUE_PURGE,
                                                 "inet_sock_destruct")
        self.rxq.clear()
        self.errq.clear()

    def describe(self) -> str:
        who = f"ping's raw ICMPv6 socket (id {self.ident})" if self.ident is not None \
            else "a raw ICMPv6 socket"
        if self.bound_dev_if > 0:
            dev = self.net.dev_by_index(self.bound_dev_if)
            if dev is not None:
                return f"{who}, bound to {dev.name}"
        return who

    # -- receiving ------------------------------------------------------------
    def _passes(self, icmp: bytes) -> Optional[str]:
        """ICMP6_FILTER (echo replies only) and ping's BPF program (its identifier)."""
        if len(icmp) < 8:
            return "too short"
        if self.ident is not None:
            if int.from_bytes(icmp[4:6], "big") == self.ident:
                pass
            elif icmp[0] == 129:
                return f"ping's filter: an echo reply for id {int.from_bytes(icmp[4:6], 'big')}"
        if icmp[0] != 129:
            return "ICMP6_FILTER passes echo replies only"
        return None

    def deliver(self, skb: "SkBuff", off: int) -> Optional[str]:
        d = skb.data
        icmp = bytes(d[off:])
        why = self._passes(icmp)
        if why is not None:
            return why
        self.rxq.append(Received6(self.net.world.sched.now,
                                  ipaddress.IPv6Address(bytes(d[22:38])), d[21], icmp,
                                  inet6_iif(self.net, skb), skb.id))
        self.event.set()
        return None

    def error(self, skb: "SkBuff", off: int) -> None:
        d = skb.data
        self.sk_err = True
        self.errq.append(ErrorReport6(self.net.world.sched.now,
                                      ipaddress.IPv6Address(bytes(d[22:38])), skb.dev.ifindex,
                                      d[off], d[off + 1], int.from_bytes(d[off + 4:off + 8], "big"),
                                      bytes(d[off + 8:]), skb_id=skb.id))
        self.event.set()

    # -- sending --------------------------------------------------------------
    def sendto(self, icmp: bytes, daddr: ipaddress.IPv6Address, hoplimit: int = 0,
               scope_id: int = 0, pmtudisc: str = "want") -> "SkBuff":
        """rawv6_sendmsg -> ip6_append_data -> ip6_push_pending_frames."""
        net = self.net
        if daddr == ipaddress.IPv6Address("::"):
            daddr = LOOPBACK
        oif_index = self.bound_dev_if or scope_id
        oif = net.dev_by_index(oif_index) if oif_index > 0 else None
        if oif_index > 0 and oif is None:
            raise SocketError("ENODEV")
        rt = ip6_route_output(net, daddr, oif)
        if rt is None:
            raise SocketError("ENETUNREACH")
        src = self.saddr
        if src is None:
            src = ipv6_dev_get_saddr(net, oif if oif is not None and rt.type == "local"
                                     else rt.dev, daddr)
            if src is None:
                raise SocketError("EADDRNOTAVAIL")
        dev = rt.dev
        mtu = path_mtu(net, daddr, dev) if rt.type != "local" else net.loopback_dev.mtu
        length = len(icmp)
        if length > 65535 or (pmtudisc == "do" and 40 + length > mtu):
            self._local_error("EMSGSIZE", mtu)
            raise SocketError("EMSGSIZE")
        body = icmp6_with_checksum(src.packed, daddr.packed, icmp[:2] + b"\x00\x00" + icmp[4:])
        hl = hoplimit or hop_limit(dev)
        pkt = build_ipv6_header(src.packed, daddr.packed, IPPROTO_ICMPV6, len(body), hl) + body
        skb = net.world.new_skb(ip6_output.ZERO_ETH + pkt, dev)
        skb.sk = self
        if skb.trace is not None:
            core.trace(skb, net, "rawv6_sendmsg", "sent", dst=str(daddr), src=str(src),
                       bound_dev=oif.name if oif is not None else "")
        if not ip6_output.ip6_local_out(net, skb, rt, mtu if rt.type != "local" else 0):
            raise SocketError("ENOBUFS")
        return skb

    def _local_error(self, errno: str, info: int) -> None:
        """ipv6_local_error."""
        self.errq.append(ErrorReport6(self.net.world.sched.now, None, 0, 0, 0, info, b"",
                                      origin="local", errno=errno))
        self.event.set()


def ipv6_raw_deliver(net: "Net", skb: "SkBuff", nexthdr: int, off: int) -> bool:
    """ipv6_raw_deliver: a copy for each raw socket of the protocol (and device)."""
    socks = net.__dict__.get("raw6_sockets")
    if not socks:
        return False
    got = False
    dif = inet6_iif(net, skb)
    for s in tuple(socks):
        if s.protocol != nexthdr:
            continue
        if s.bound_dev_if and s.bound_dev_if != dif:
            if skb.trace is not None:
                core.trace(skb, net, "raw6_local_deliver", "not matched", sock=s.describe(),
                           why="the socket is bound to another device", dev=skb.dev.name)
            continue
        why = s.deliver(skb, off)
        if why is None:
            got = True
            if skb.trace is not None:
                core.trace(skb, net, "raw6_local_deliver", "delivered", sock=s.describe(),
                           dev=skb.dev.name)
        elif skb.trace is not None:
            core.trace(skb, net, "raw6_local_deliver", "filtered", sock=s.describe(), why=why,
                       dev=skb.dev.name)
    return got


def rawv6_err(net: "Net", skb: "SkBuff", inner_nexthdr: int, off: int) -> None:
    """raw6_icmp_error -> rawv6_err: the error to the raw sockets of the quoted protocol."""
    socks = net.__dict__.get("raw6_sockets")
    if not socks:
        return
    for s in tuple(socks):
        if s.protocol != inner_nexthdr:
            continue
        s.error(skb, off)
        if skb.trace is not None:
            core.trace(skb, net, "rawv6_err", "queued", sock=s.describe(), dev=skb.dev.name)
