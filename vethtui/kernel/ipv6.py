"""IPv6 as far as the lab needs it: addresses, routes, and the packets addrconf sends.

The labs are about IPv4, but a Linux host with IPv6 enabled shows ::1 on lo,
an EUI-64 link-local address on every link with carrier, kernel routes for
them, and it speaks on the wire as soon as a link comes up: duplicate address
detection (a neighbour solicitation from ::), MLDv2 reports for the
solicited-node group, router solicitations. This module models that control
plane (net/ipv6/addrconf.c, mcast.c) so `ip -6 addr`, `ip -6 route` and a
capture look like Linux, and the helpers the data plane asks of addrconf:
whether an address is ours (ipv6_chk_addr), source selection
(ipv6_dev_get_saddr), the route to a destination (ip6_route_output, with the
path MTUs "packet too big" taught), DAD's failure (dadfailed).

The data plane is in ip6_output.py (output, fragmentation, ip6_forward),
ipv6_raw.py (ping's raw ICMPv6 socket), icmpv6.py, ndisc.py (NS/NA) and
ip6_input.py (ipv6_rcv), each importing only those before it; what a lower
module asks of a higher one goes through a table the higher one fills when
imported (netns imports them all), as ndisc fills nd_tbl's ops.
"""
from __future__ import annotations

import ipaddress
import struct
from typing import TYPE_CHECKING, Callable, Optional

from . import core
from .netdev import IFF_LOOPBACK
from .neighbour import NeighTable, nd_tbl_ops, neigh_ifdown
from .sysctl import nd_parms
from .wire import ETH_P_IPV6, build_ipv6_header, eth_header, icmp6_with_checksum

if TYPE_CHECKING:  # pragma: no cover
    from .netdev import NetDevice
    from .netns import Net

IFA_F_NODAD = 0x02
IFA_F_DADFAILED = 0x08
IFA_F_TENTATIVE = 0x40
IFA_F_NOPREFIXROUTE = 0x200
ALL_ROUTERS = ipaddress.IPv6Address("ff02::2")
MLDV2_ROUTERS = ipaddress.IPv6Address("ff02::16")


class Addr6:
    """One IPv6 address on a device (inet6_ifaddr)."""

    __slots__ = ("addr", "plen", "flags", "kernel", "dad_timer", "dad_nonce")

    def __init__(self, addr: ipaddress.IPv6Address, plen: int, flags: int = 0,
                 kernel: bool = False):
        self.addr = addr
        self.plen = plen
        self.flags = flags
        self.kernel = kernel
        self.dad_timer = None
        self.dad_nonce: Optional[bytes] = None

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
        if self.flags & IFA_F_DADFAILED:
            words.append("dadfailed")
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

    def describe(self) -> str:
        kind = "" if self.type == "unicast" else self.type + " "
        via = f" via {self.gw}" if self.gw is not None else ""
        return f"{kind}{self.dst}/{self.plen}{via} dev {self.dev.name} table {self.table}"


def eui64(mac: bytes) -> ipaddress.IPv6Address:
    b = bytearray(mac[:3] + b"\xff\xfe" + mac[3:])
    b[0] ^= 0x02
    return ipaddress.IPv6Address(b"\xfe\x80" + bytes(6) + bytes(b))


def solicited_node(a: ipaddress.IPv6Address) -> ipaddress.IPv6Address:
    return ipaddress.IPv6Address(b"\xff\x02" + bytes(9) + b"\x01\xff" + a.packed[13:])


def enabled(dev: "NetDevice") -> bool:
    return not dev.ipv6_cnf.get("disable_ipv6") and dev.mtu >= 1280 and not dev.dead


# ---------------------------------------------------------------- nd_tbl (include/net/ndisc.h)

def _key_text(key) -> str:
    return str(key)


def nd_tbl(net: "Net") -> NeighTable:
    """The namespace's nd_tbl (made on first use)."""
    tbl = net.__dict__.get("nd_tbl")
    if tbl is None:
        tbl = net.__dict__["nd_tbl"] = NeighTable(net, nd_tbl_ops, b"\x86\xdd",
                                                  nd_parms, _key_text)
    return tbl


def ipv6_eth_mc_map(addr: ipaddress.IPv6Address) -> bytes:
    """ipv6_eth_mc_map: 33:33 and the group's last four bytes."""
    return b"\x33\x33" + addr.packed[12:]


# ---------------------------------------------------------------- addresses

def addrs(dev: "NetDevice") -> list[Addr6]:
    return dev.inet6


def add_address(dev: "NetDevice", a: Addr6) -> None:
    """ipv6_add_addr: newest first; DAD starts when the link can carry it."""
    net = dev.net
    if dev.ipv6_cnf.get("accept_dad", 1) > 0 and not a.flags & IFA_F_NODAD \
            and not dev.flags & IFF_LOOPBACK:
        a.flags |= IFA_F_TENTATIVE
    ipv6_link_dev_addr(dev, a)
    if a.plen < 128 and not a.flags & IFA_F_NOPREFIXROUTE and not a.addr.is_loopback:
        net_prefix = ipaddress.IPv6Network((a.addr, a.plen), strict=False)
        if not any(r.dev is dev and r.table == "main" and r.network() == net_prefix
                   for r in net.routes6):
            net.routes6.append(Route6(net_prefix.network_address, a.plen, dev))
    if dev.is_up:
        # addrconf_add_dev's multicast route (linkdown without carrier); one added while
        # the device is down is dead and never listed (measured: ip6_11, ip_17)
        _ensure_multicast_route(dev)
    if not a.tentative:
        _add_local_route(dev, a)
        _joined(dev, a, dad_done=True)
    elif dev.is_up and dev.carrier:
        _start_dad(dev, a)
    net.notify_link(dev, "change")


def _scope_rank(a: Addr6) -> int:
    """__ipv6_addr_src_scope: 1 node-local (::1), 2 link-local, 14 global."""
    if a.addr.is_loopback:
        return 1
    if a.addr.is_link_local:
        return 2
    return 14


def ipv6_link_dev_addr(dev: "NetDevice", a: Addr6) -> None:
    """ipv6_link_dev_addr: before the first address of the same or a narrower scope
    (the newest first within a scope, wider scopes ahead)."""
    rank = _scope_rank(a)
    for i, other in enumerate(dev.inet6):
        if rank >= _scope_rank(other):
            dev.inet6.insert(i, a)
            return
    dev.inet6.append(a)


def _ensure_multicast_route(dev: "NetDevice") -> None:
    if dev.flags & IFF_LOOPBACK:
        return
    net = dev.net
    if not any(r.dev is dev and r.type == "multicast" for r in net.routes6):
        net.routes6.append(Route6(ipaddress.IPv6Address("ff00::"), 8, dev, table="local",
                                  rtype="multicast"))


def _add_local_route(dev: "NetDevice", a: Addr6) -> None:
    """The address is usable (DAD done): its local route, and on a router its
    subnet-router anycast address (__ipv6_ifa_notify's RTM_NEWADDR)."""
    net = dev.net
    if not any(r.table == "local" and r.type == "local" and r.dst == a.addr for r in net.routes6):
        net.routes6.append(Route6(a.addr, 128, dev, metric=0, table="local", rtype="local"))
    if dev.ipv6_cnf.get("forwarding"):
        addrconf_join_anycast(dev, a)


def addrconf_join_anycast(dev: "NetDevice", a: Addr6) -> None:
    """addrconf_join_anycast: a router answers its subnet-router anycast address (the
    prefix with a zero host part): an anycast route in the local table."""
    if a.addr.is_loopback or a.plen >= 128:
        return
    prefix = ipaddress.IPv6Network((a.addr, a.plen), strict=False).network_address
    if prefix == ipaddress.IPv6Address("::"):
        return
    net = dev.net
    if not any(r.type == "anycast" and r.dev is dev and r.dst == prefix for r in net.routes6):
        net.routes6.append(Route6(prefix, 128, dev, metric=0, table="local", rtype="anycast"))


def addrconf_leave_anycast(dev: "NetDevice", a: Addr6) -> None:
    if a.plen >= 128:
        return
    prefix = ipaddress.IPv6Network((a.addr, a.plen), strict=False).network_address
    if any(b is not a and not b.tentative and b.plen == a.plen and
           ipaddress.IPv6Network((b.addr, b.plen), strict=False).network_address == prefix
           for b in dev.inet6):
        return      # __ipv6_dev_ac_dec: another address of the prefix still holds it
    dev.net.routes6[:] = [r for r in dev.net.routes6
                          if not (r.type == "anycast" and r.dev is dev and r.dst == prefix)]


def dev_forward_change(dev: "NetDevice") -> None:
    """dev_forward_change: joining (leaving) all-routers and each usable address's
    subnet-router anycast address as forwarding turns on (off)."""
    if dev.net is None or dev.flags & IFF_LOOPBACK:
        return
    on = bool(dev.ipv6_cnf.get("forwarding"))
    for a in dev.inet6:
        if a.tentative:
            continue
        if on:
            addrconf_join_anycast(dev, a)
        else:
            addrconf_leave_anycast(dev, a)
    dev.net.notify_link(dev, "change")


def del_address(dev: "NetDevice", a: Addr6) -> None:
    net = dev.net
    if a in dev.inet6:
        dev.inet6.remove(a)
    if a.dad_timer is not None:
        a.dad_timer.cancel()
    net.routes6[:] = [r for r in net.routes6 if not (r.type == "local" and r.dst == a.addr)]
    if dev.ipv6_cnf.get("forwarding") and not a.tentative:
        addrconf_leave_anycast(dev, a)
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
        neigh_ifdown(net, dev, tbl=nd_tbl(net))
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
    if any(a.addr.is_link_local for a in dev.inet6):
        for a in dev.inet6:
            if a.tentative and a.dad_timer is None and not a.flags & IFA_F_DADFAILED:
                _start_dad(dev, a)
        return
    # the device becomes ready: addrconf_dev_config adds the multicast route and the
    # link-local address (its DAD starts), then addrconf_dad_run kicks every tentative
    # address again, in list order
    _ensure_multicast_route(dev)
    add_address(dev, Addr6(eui64(dev.mac), 64, 0, kernel=True))
    world = dev.net.world
    for a in list(dev.inet6):
        if not a.tentative or a.flags & IFA_F_DADFAILED:
            continue
        if a.dad_timer is None:
            _start_dad(dev, a)
            continue
        a.dad_timer.cancel()
        delay = world.rng.random() * dev.ipv6_cnf.get("router_solicitation_delay", 1)
        a.dad_timer = world.sched.call_later(delay, _dad_probe, dev, a, 0)


# ---------------------------------------------------------------- DAD, MLD, RS

def _start_dad(dev: "NetDevice", a: Addr6) -> None:
    """addrconf_dad_begin: join the solicited-node group, probe after a random delay."""
    world = dev.net.world
    dev._mld_joined = True      # the join's state-change reports (mld_ifc_event)
    _mld_state_change(dev, source_any=True)
    # addrconf_dad_kick: a random delay below router_solicitation_delay (at least a jiffy)
    delay = world.rng.random() * dev.ipv6_cnf.get("router_solicitation_delay", 1)
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
    """addrconf_dad_completed for the link-local address: ipv6_mc_dad_complete sends the
    initial report now and the other (robustness 2) after a random delay up to
    unsolicited_report_interval (+2 jiffies); then the first router solicitation goes
    at once (DAD already waited a random delay), the next after rtr_solicit_interval."""
    if not a.addr.is_link_local:
        return
    world = dev.net.world
    qrv = 2
    _send_mld(dev, source_any=False)
    for i in range(1, qrv):
        world.sched.call_later(world.rng.random() * _report_interval(dev) + 0.004,
                               _mld_again, dev)
    if not getattr(dev, "_mld_joined", False):
        # no DAD (accept_dad=0, nodad): the join's own state-change reports come too
        dev._mld_joined = True
        _mld_state_change(dev, source_any=False)
    if dev.ipv6_cnf.get("router_solicitations", -1) != 0 and not dev.ipv6_cnf.get("forwarding"):
        dev._rs_sent = 0
        dev._rs_interval = 0.0
        _send_rs(dev)


def _report_interval(dev: "NetDevice") -> float:
    """unsolicited_report_interval: mldv2_unsolicited_report_interval (ms), at least a jiffy."""
    return max(dev.ipv6_cnf.get("mldv2_unsolicited_report_interval", 1000), 4) / 1000.0


def _mld_again(dev: "NetDevice") -> None:
    if dev.is_up and not dev.dead and enabled(dev):
        _send_mld(dev, source_any=not any(not a.tentative and a.addr.is_link_local
                                          for a in dev.inet6))


def _mld_state_change(dev: "NetDevice", source_any: bool) -> None:
    """mld_ifc_event: a group joined; mc_ifc_count = robustness (2) and the device's one
    report work re-armed 2 jiffies out (mod_delayed_work), so joins close together
    share their reports."""
    world = dev.net.world
    dev._mld_ifc_count = 2
    timer = getattr(dev, "_mld_ifc_timer", None)
    if timer is not None:
        timer.cancel()
    dev._mld_ifc_timer = world.sched.call_later(0.004, _mld_ifc_work, dev)


def _mld_ifc_work(dev: "NetDevice") -> None:
    """mld_ifc_work: send the state-change report; again after a random part of
    unsolicited_report_interval while mc_ifc_count lasts."""
    dev._mld_ifc_timer = None
    _mld_again(dev)
    dev._mld_ifc_count = getattr(dev, "_mld_ifc_count", 1) - 1
    if dev._mld_ifc_count > 0 and dev.net is not None:
        world = dev.net.world
        dev._mld_ifc_timer = world.sched.call_later(
            world.rng.random() * _report_interval(dev) + 0.004, _mld_ifc_work, dev)


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
    """addrconf_dad_work: a probe from :: to the address's solicited-node group, with a
    nonce option (RFC 7527) when enhanced_dad is on for all or the device."""
    nonce = None
    if dev.ipv6_cnf.get("enhanced_dad", 1) or dev.net.ipv6_all.get("enhanced_dad", 1):
        nonce = bytes(dev.net.world.rng.getrandbits(8) for _ in range(6))
    a.dad_nonce = nonce
    addrconf_ndisc.send_ns(dev, a.addr, solicited_node(a.addr), ipaddress.IPv6Address("::"),
                           nonce=nonce)


class AddrconfNdisc:
    """What addrconf asks of ndisc (ndisc_send_ns for DAD's probes); ndisc_init fills it,
    so that addrconf does not import ndisc."""

    send_ns: Callable = None  # type: ignore[assignment]


addrconf_ndisc = AddrconfNdisc()


def addrconf_dad_failure(dev: "NetDevice", a: Addr6, skb=None) -> None:
    """addrconf_dad_failure -> addrconf_dad_stop: another node holds the address; it
    stays on the device, tentative and dadfailed, never used."""
    if a.flags & IFA_F_DADFAILED:
        return
    if skb is not None and skb.trace is not None:
        core.trace(skb, dev.net, "addrconf_dad_failure", "duplicate", addr=str(a.addr),
                   dev=dev.name, why="another node answered for this tentative address")
    if a.dad_timer is not None:
        a.dad_timer.cancel()
        a.dad_timer = None
    a.flags |= IFA_F_DADFAILED | IFA_F_TENTATIVE
    dev.net.notify_link(dev, "change")


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
        # rfc3315_s14_backoff_init / _update (RFC 7559): rtr_solicit_interval within
        # +-10%, then about twice the last, up to rtr_solicit_max_interval (+-10%)
        rng = dev.net.world.rng
        irt = float(dev.ipv6_cnf.get("router_solicitation_interval", 4))
        mrt = float(dev.ipv6_cnf.get("router_solicitation_max_interval", 3600))
        prev = getattr(dev, "_rs_interval", 0.0)
        if not prev:
            interval = irt * (0.9 + 0.2 * rng.random())
        else:
            interval = prev * (1.9 + 0.2 * rng.random())
            if interval > mrt:
                interval = mrt * (0.9 + 0.2 * rng.random())
        dev._rs_interval = interval
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
    if dst.is_link_local or (dst.is_multicast and dst.packed[1] & 0x0F <= 2):
        cands = [a for a in cands if a.addr.is_link_local] or cands
    else:
        cands = [a for a in cands if not a.addr.is_link_local] or cands
    if not cands:
        return None
    for a in cands:
        if dst in ipaddress.IPv6Network((a.addr, a.plen), strict=False):
            return a.addr
    return cands[0].addr


# ---------------------------------------------------------------- for the data plane

def joined_groups(dev: "NetDevice") -> set[ipaddress.IPv6Address]:
    """The groups ipv6_chk_mcast_addr finds: all-nodes, each address's
    solicited-node group, and all-routers when forwarding."""
    groups = {ipaddress.IPv6Address("ff02::1"), ipaddress.IPv6Address("ff01::1")}
    for a in dev.inet6:
        groups.add(solicited_node(a.addr))
    if dev.ipv6_cnf.get("forwarding"):
        groups.add(ALL_ROUTERS)
    return groups


def ipv6_get_ifaddr(dev: "NetDevice", addr: ipaddress.IPv6Address) -> Optional[Addr6]:
    """ipv6_get_ifaddr(net, addr, dev, strict): the address on this device, tentative or not."""
    for a in dev.inet6:
        if a.addr == addr:
            return a
    return None


def ipv6_chk_addr(net: "Net", addr: ipaddress.IPv6Address, dev=None) -> bool:
    """ipv6_chk_addr: a usable (not tentative) address of the namespace, on `dev` when given."""
    devs = (dev,) if dev is not None else tuple(net.devices.values())
    for d in devs:
        for a in d.inet6:
            if a.addr == addr and not a.tentative:
                return True
    return False


def ipv6_get_lladdr(dev: "NetDevice") -> Optional[ipaddress.IPv6Address]:
    """ipv6_get_lladdr: the device's link-local address, once DAD is done with it."""
    for a in dev.inet6:
        if a.addr.is_link_local and not a.tentative:
            return a.addr
    return None


def ipv6_dev_get_saddr(net: "Net", dev, daddr: ipaddress.IPv6Address
                       ) -> Optional[ipaddress.IPv6Address]:
    """ipv6_dev_get_saddr, as far as its rules matter here: the destination itself when
    it is ours, else a usable address of the output device of the destination's scope
    (link-local for link-local), the longest matching prefix first."""
    if ipv6_chk_addr(net, daddr, None):
        return daddr
    if dev is None:
        return None
    return select_source(net, dev, daddr)


def ip6_route_output(net: "Net", daddr: ipaddress.IPv6Address, oif=None):
    """ip6_route_output: a local route for our own addresses, else the main table
    (restricted to `oif` when the socket or the address's zone names a device)."""
    if ipv6_chk_addr(net, daddr, None):
        for r in net.routes6:
            if r.table == "local" and r.type == "local" and r.dst == daddr:
                return r
    if daddr.is_multicast:
        # the local table's multicast ff00::/8 route of the device (the first one without)
        for r in net.routes6:
            if r.type == "multicast" and (oif is None or r.dev is oif):
                return r
        return None
    return lookup(net, daddr, oif)


def hop_limit(dev: "NetDevice") -> int:
    """ip6_dst_hoplimit: the output device's net.ipv6.conf.DEV.hop_limit."""
    return dev.ipv6_cnf.get("hop_limit", 64) or 64


PMTU_EXPIRES = 600.0    # net.ipv6.route.mtu_expires


def rt6_pmtu_discovery(net: "Net", daddr: ipaddress.IPv6Address, mtu: int) -> None:
    """rt6_do_update_pmtu: a route exception for the destination, for mtu_expires."""
    cache = net.__dict__.setdefault("rt6_pmtu", {})
    cache[daddr] = (mtu, net.world.sched.now + PMTU_EXPIRES)


def ip6_mtu(dev: "NetDevice") -> int:
    """The device's IPv6 MTU (net.ipv6.conf.DEV.mtu, which follows the device's)."""
    return dev.ipv6_cnf.get("mtu", dev.mtu) or dev.mtu


def path_mtu(net: "Net", daddr: ipaddress.IPv6Address, dev: "NetDevice") -> int:
    mtu = ip6_mtu(dev)
    cached = net.__dict__.get("rt6_pmtu", {}).get(daddr)
    if cached is not None and cached[1] > net.world.sched.now:
        mtu = min(mtu, cached[0])
    return mtu


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


