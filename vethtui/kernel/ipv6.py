"""IPv6 as far as the lab needs it: addresses, routes, and the packets addrconf sends.

The labs are about IPv4, but a Linux host with IPv6 enabled shows ::1 on lo,
an EUI-64 link-local address on every link with carrier, kernel routes for
them, and it speaks on the wire as soon as a link comes up: duplicate address
detection (a neighbour solicitation from ::), MLDv2 reports for the
solicited-node group, router solicitations. This module models that control
plane (net/ipv6/addrconf.c, mcast.c) so `ip -6 addr`, `ip -6 route` and a
capture look like Linux; IPv6 forwarding and ping6 are not simulated.

Received IPv6 goes through `ipv6_rcv` far enough to end where Linux ends it:
multicast for a group the device has not joined (an MLD report to ff02::16,
a router solicitation to ff02::2 on a host) is dropped in ip6_mc_input with
NOT_SPECIFIED; what the device did join is handed to ICMPv6 (ndisc, mld),
which the lab does not model further.
"""
from __future__ import annotations

import ipaddress
import struct
from typing import TYPE_CHECKING, Optional

from . import core
from .netdev import IFF_LOOPBACK
from .skb import PACKET_OTHERHOST
from .wire import ETH_P_IPV6, build_ipv6_header, eth_header, icmp6_with_checksum

if TYPE_CHECKING:  # pragma: no cover
    from .netdev import NetDevice
    from .netns import Net

IFA_F_NODAD = 0x02
IFA_F_TENTATIVE = 0x40
IFA_F_NOPREFIXROUTE = 0x200
ALL_ROUTERS = ipaddress.IPv6Address("ff02::2")
MLDV2_ROUTERS = ipaddress.IPv6Address("ff02::16")


class Addr6:
    """One IPv6 address on a device (inet6_ifaddr)."""

    __slots__ = ("addr", "plen", "flags", "kernel", "dad_timer")

    def __init__(self, addr: ipaddress.IPv6Address, plen: int, flags: int = 0,
                 kernel: bool = False):
        self.addr = addr
        self.plen = plen
        self.flags = flags
        self.kernel = kernel
        self.dad_timer = None

    @property
    def scope(self) -> str:
        if self.addr.is_loopback:
            return "host"
        if self.addr.is_link_local:
            return "link"
        return "global"

    @property
    def tentative(self) -> bool:
        return bool(self.flags & IFA_F_TENTATIVE)

    def flag_words(self) -> list[str]:
        words = []
        if self.flags & IFA_F_NODAD:
            words.append("nodad")
        if self.flags & IFA_F_TENTATIVE:
            words.append("tentative")
        if self.flags & IFA_F_NOPREFIXROUTE:
            words.append("noprefixroute")
        return words


class Route6:
    __slots__ = ("dst", "plen", "dev", "gw", "metric", "proto", "table", "type")

    def __init__(self, dst: ipaddress.IPv6Address, plen: int, dev, gw=None, metric: int = 256,
                 proto: str = "kernel", table: str = "main", rtype: str = "unicast"):
        self.dst = dst
        self.plen = plen
        self.dev = dev
        self.gw = gw
        self.metric = metric
        self.proto = proto
        self.table = table
        self.type = rtype

    def network(self) -> ipaddress.IPv6Network:
        return ipaddress.IPv6Network((self.dst, self.plen), strict=False)


def eui64(mac: bytes) -> ipaddress.IPv6Address:
    b = bytearray(mac[:3] + b"\xff\xfe" + mac[3:])
    b[0] ^= 0x02
    return ipaddress.IPv6Address(b"\xfe\x80" + bytes(6) + bytes(b))


def solicited_node(a: ipaddress.IPv6Address) -> ipaddress.IPv6Address:
    return ipaddress.IPv6Address(b"\xff\x02" + bytes(9) + b"\x01\xff" + a.packed[13:])


def enabled(dev: "NetDevice") -> bool:
    return not dev.ipv6_cnf.get("disable_ipv6") and dev.mtu >= 1280 and not dev.dead


# ---------------------------------------------------------------- addresses

def addrs(dev: "NetDevice") -> list[Addr6]:
    return dev.inet6


def add_address(dev: "NetDevice", a: Addr6) -> None:
    """ipv6_add_addr: newest first; DAD starts when the link can carry it."""
    net = dev.net
    if dev.ipv6_cnf.get("accept_dad", 1) > 0 and not a.flags & IFA_F_NODAD \
            and not dev.flags & IFF_LOOPBACK:
        a.flags |= IFA_F_TENTATIVE
    dev.inet6.insert(0, a)
    if a.plen < 128 and not a.flags & IFA_F_NOPREFIXROUTE and not a.addr.is_loopback:
        net_prefix = ipaddress.IPv6Network((a.addr, a.plen), strict=False)
        if not any(r.dev is dev and r.table == "main" and r.network() == net_prefix
                   for r in net.routes6):
            net.routes6.append(Route6(net_prefix.network_address, a.plen, dev))
    _ensure_multicast_route(dev)
    if not a.tentative:
        _add_local_route(dev, a)
        _joined(dev, a, dad_done=True)
    elif dev.is_up and dev.carrier:
        _start_dad(dev, a)
    net.notify_link(dev, "change")


def _ensure_multicast_route(dev: "NetDevice") -> None:
    if dev.flags & IFF_LOOPBACK:
        return
    net = dev.net
    if not any(r.dev is dev and r.type == "multicast" for r in net.routes6):
        net.routes6.append(Route6(ipaddress.IPv6Address("ff00::"), 8, dev, table="local",
                                  rtype="multicast"))


def _add_local_route(dev: "NetDevice", a: Addr6) -> None:
    net = dev.net
    if not any(r.table == "local" and r.type == "local" and r.dst == a.addr for r in net.routes6):
        net.routes6.append(Route6(a.addr, 128, dev, metric=0, table="local", rtype="local"))


def del_address(dev: "NetDevice", a: Addr6) -> None:
    net = dev.net
    if a in dev.inet6:
        dev.inet6.remove(a)
    if a.dad_timer is not None:
        a.dad_timer.cancel()
    net.routes6[:] = [r for r in net.routes6 if not (r.type == "local" and r.dst == a.addr)]
    prefix = ipaddress.IPv6Network((a.addr, a.plen), strict=False)
    if not any(ipaddress.IPv6Network((b.addr, b.plen), strict=False) == prefix for b in dev.inet6):
        net.routes6[:] = [r for r in net.routes6
                          if not (r.dev is dev and r.table == "main" and r.proto == "kernel"
                                  and r.network() == prefix)]
    net.notify_link(dev, "change")


def flush_device(dev: "NetDevice") -> None:
    """addrconf_ifdown: every address and route of the device goes."""
    for a in list(dev.inet6):
        if a.dad_timer is not None:
            a.dad_timer.cancel()
    dev.inet6 = []
    net = dev.net
    if net is not None:
        net.routes6[:] = [r for r in net.routes6 if r.dev is not dev]
    timer = getattr(dev, "_rs_timer", None)
    if timer is not None:
        timer.cancel()
        dev._rs_timer = None


def link_state(dev: "NetDevice") -> None:
    """NETDEV_UP / NETDEV_CHANGE / DOWN / disable_ipv6: what addrconf does."""
    if not dev.is_up or not enabled(dev):
        if dev.inet6 or any(r.dev is dev for r in (dev.net.routes6 if dev.net else [])):
            flush_device(dev)
            if dev.net is not None:
                dev.net.notify_link(dev, "change")
        return
    if dev.flags & IFF_LOOPBACK:
        if not any(a.addr.is_loopback for a in dev.inet6):
            add_address(dev, Addr6(ipaddress.IPv6Address("::1"), 128, 0, kernel=True))
        return
    if not dev.carrier:
        return
    if not any(a.addr.is_link_local for a in dev.inet6):
        add_address(dev, Addr6(eui64(dev.mac), 64, 0, kernel=True))
    for a in dev.inet6:
        if a.tentative and a.dad_timer is None:
            _start_dad(dev, a)


# ---------------------------------------------------------------- DAD, MLD, RS

def _start_dad(dev: "NetDevice", a: Addr6) -> None:
    """addrconf_dad_begin: join the solicited-node group, probe after a random delay."""
    world = dev.net.world
    _mld_state_change(dev, source_any=True)
    delay = world.rng.random() * 1.0
    a.dad_timer = world.sched.call_later(delay, _dad_probe, dev, a, 0)


def _dad_probe(dev: "NetDevice", a: Addr6, sent: int) -> None:
    a.dad_timer = None
    if dev.dead or a not in dev.inet6 or not dev.is_up:
        return
    transmits = dev.ipv6_cnf.get("dad_transmits", 1)
    if sent >= transmits:
        a.flags &= ~IFA_F_TENTATIVE
        _add_local_route(dev, a)
        _joined(dev, a, dad_done=True)
        dev.net.notify_link(dev, "change")
        return
    _send_ns(dev, a)
    a.dad_timer = dev.net.world.sched.call_later(
        dev.neigh_parms.sec("retrans_time") if dev.neigh_parms else 1.0, _dad_probe, dev, a, sent + 1)


def _joined(dev: "NetDevice", a: Addr6, dad_done: bool) -> None:
    """addrconf_dad_completed: MLD initial reports again with the real source; RS."""
    if not a.addr.is_link_local:
        return
    world = dev.net.world
    qrv = 2
    _send_mld(dev, source_any=False)
    for i in range(1, qrv):
        world.sched.call_later(world.rng.random() * 1.0, _mld_again, dev)
    if not getattr(dev, "_mld_joined", False):
        dev._mld_joined = True
        _mld_state_change(dev, source_any=False)
    if dev.ipv6_cnf.get("router_solicitations", -1) != 0 and not dev.ipv6_cnf.get("forwarding"):
        dev._rs_sent = 0
        delay = world.rng.random() * 1.0
        dev._rs_timer = world.sched.call_later(delay, _send_rs, dev)


def _mld_again(dev: "NetDevice") -> None:
    if dev.is_up and not dev.dead and enabled(dev):
        _send_mld(dev, source_any=not any(not a.tentative and a.addr.is_link_local
                                          for a in dev.inet6))


def _mld_state_change(dev: "NetDevice", source_any: bool) -> None:
    """A group joined: a state change report now and once more (robustness 2)."""
    world = dev.net.world
    world.sched.call_later(0.004, _mld_again, dev)
    world.sched.call_later(0.004 + world.rng.random() * 1.0, _mld_again, dev)


def _ipv6_frame(dev, src: ipaddress.IPv6Address, dst: ipaddress.IPv6Address, nh: int,
                payload: bytes, hop_limit: int, hbh: bool = False) -> bytes:
    if hbh:
        # hop-by-hop header with router alert (MLD)
        ext = bytes([58, 0, 5, 2, 0, 0, 1, 0])
        payload = ext + payload
        nh = 0
    hdr = build_ipv6_header(src.packed, dst.packed, nh, len(payload), hop_limit)
    mac = b"\x33\x33" + dst.packed[12:]
    return eth_header(mac, dev.mac, ETH_P_IPV6) + hdr + payload


def _icmp6(src, dst, body: bytes) -> bytes:
    return icmp6_with_checksum(src.packed, dst.packed, body)


def _xmit(dev, frame: bytes, what: str) -> None:
    skb = dev.net.world.new_skb(frame, dev)
    core.trace(skb, dev.net, "addrconf", what, dev=dev.name)
    core.dev_queue_xmit(skb, dev)


def _send_mld(dev: "NetDevice", source_any: bool) -> None:
    if not dev.is_up or not dev.carrier or not enabled(dev):
        return
    groups = sorted({solicited_node(a.addr) for a in dev.inet6 if not a.addr.is_loopback})
    if not groups:
        return
    src = ipaddress.IPv6Address("::")
    if not source_any:
        ll = [a for a in dev.inet6 if a.addr.is_link_local and not a.tentative]
        if ll:
            src = ll[0].addr
    records = b"".join(bytes([4, 0, 0, 0]) + g.packed for g in groups[:1])
    body = bytes([143, 0, 0, 0, 0, 0]) + struct.pack("!H", 1) + records
    _xmit(dev, _ipv6_frame(dev, src, MLDV2_ROUTERS, 58, _icmp6(src, MLDV2_ROUTERS, body), 1,
                           hbh=True), "mld report")


def _send_ns(dev: "NetDevice", a: Addr6) -> None:
    src = ipaddress.IPv6Address("::")
    dst = solicited_node(a.addr)
    body = bytes([135, 0, 0, 0, 0, 0, 0, 0]) + a.addr.packed
    # addrconf_dad_work: a nonce option (RFC 7527) when enhanced_dad is on for all or the device
    if dev.ipv6_cnf.get("enhanced_dad", 1) or dev.net.ipv6_all.get("enhanced_dad", 1):
        body += bytes([14, 1]) + bytes(dev.net.world.rng.getrandbits(8) for _ in range(6))
    _xmit(dev, _ipv6_frame(dev, src, dst, 58, _icmp6(src, dst, body), 255), "dad probe")


def _send_rs(dev: "NetDevice") -> None:
    dev._rs_timer = None
    if not dev.is_up or not dev.carrier or not enabled(dev):
        return
    ll = [a for a in dev.inet6 if a.addr.is_link_local and not a.tentative]
    if not ll:
        return
    src = ll[0].addr
    body = bytes([133, 0, 0, 0, 0, 0, 0, 0]) + bytes([1, 1]) + dev.mac
    _xmit(dev, _ipv6_frame(dev, src, ALL_ROUTERS, 58, _icmp6(src, ALL_ROUTERS, body), 255),
          "router solicitation")
    dev._rs_sent = getattr(dev, "_rs_sent", 0) + 1
    limit = dev.ipv6_cnf.get("router_solicitations", -1)
    if limit < 0 or dev._rs_sent < limit:
        # rtr_solicit_interval, doubling (RFC 7559 backoff) up to an hour
        interval = min(4.0 * 2 ** min(dev._rs_sent - 1, 10), 3600.0) if limit < 0 else 4.0
        dev._rs_timer = dev.net.world.sched.call_later(interval, _send_rs, dev)


# ---------------------------------------------------------------- routing

def lookup(net: "Net", dst: ipaddress.IPv6Address, oif=None):
    """Local table first, then the longest prefix of main (lowest metric)."""
    for r in net.routes6:
        if r.table == "local" and r.type == "local" and r.dst == dst:
            return r
    best = None
    for r in net.routes6:
        if r.table != "main":
            continue
        if oif is not None and r.dev is not oif:
            continue
        if dst in r.network():
            if best is None or r.plen > best.plen or (r.plen == best.plen and r.metric < best.metric):
                best = r
    return best


def select_source(net: "Net", dev, dst: ipaddress.IPv6Address) -> Optional[ipaddress.IPv6Address]:
    """Source address selection, simply: a usable address on the device, matching scope."""
    cands = [a for a in dev.inet6 if not a.tentative]
    if dst.is_link_local:
        cands = [a for a in cands if a.addr.is_link_local] or cands
    else:
        cands = [a for a in cands if not a.addr.is_link_local] or cands
    if not cands:
        return None
    for a in cands:
        if dst in ipaddress.IPv6Network((a.addr, a.plen), strict=False):
            return a.addr
    return cands[0].addr


# ---------------------------------------------------------------- input

def joined_groups(dev: "NetDevice") -> set[ipaddress.IPv6Address]:
    """The groups ipv6_chk_mcast_addr finds: all-nodes, each address's
    solicited-node group, and all-routers when forwarding."""
    groups = {ipaddress.IPv6Address("ff02::1"), ipaddress.IPv6Address("ff01::1")}
    for a in dev.inet6:
        groups.add(solicited_node(a.addr))
    if dev.ipv6_cnf.get("forwarding"):
        groups.add(ALL_ROUTERS)
    return groups


def ipv6_rcv(skb, dev: "NetDevice") -> None:
    """ipv6_rcv -> ip6_rcv_core -> ip6_route_input, as far as the kernel's verdicts."""
    net = dev.net
    d = skb.data
    if not enabled(dev):
        core.drop(skb, "IPV6DISABLED", "ip6_rcv_core", dev)
        return
    if skb.pkt_type == PACKET_OTHERHOST:
        core.drop(skb, "OTHERHOST", "ip6_rcv_core", dev)
        return
    if len(d) < 54 or d[14] >> 4 != 6:
        core.drop(skb, "IP_INHDR", "ip6_rcv_core", dev)
        return
    dst = ipaddress.IPv6Address(bytes(d[38:54]))
    if dst.is_multicast:
        if dst not in joined_groups(dev):
            core.trace(skb, net, "ip6_mc_input", "not joined", group=str(dst), dev=dev.name)
            core.drop(skb, "NOT_SPECIFIED", "ip6_mc_input", dev)
            return
        core.trace(skb, net, "ip6_input", "to ICMPv6", group=str(dst), dev=dev.name,
                   why="a group this device joined (ndisc and MLD are not modelled further)")
        return
    if any(a.addr == dst for d2 in net.devices.values() for a in d2.inet6):
        core.trace(skb, net, "ip6_input", "local", dst=str(dst), dev=dev.name,
                   why="IPv6 local delivery is not modelled further")
        return
    if lookup(net, dst) is None:
        core.drop(skb, "IP_INNOROUTES", "ip6_pkt_discard", dev)
        return
    core.drop(skb, "IPV6DISABLED", "ip6_forward", dev)   # forwarding off


# inet6_init: IPv6 receives ETH_P_IPV6
core.dev_add_pack(ETH_P_IPV6, ipv6_rcv)
