"""What every part of IPv6 asks of addrconf without addrconf itself (as
net/ipv6/addrconf_core.c holds the IPv6 library code the static parts need): the
address (inet6_ifaddr) and its flags, EUI-64 and solicited-node addresses,
whether IPv6 runs on a device, nd_tbl, the lookups of a device's addresses the data
plane makes (ipv6_chk_addr, ipv6_get_ifaddr, ipv6_get_lladdr), and the frames
addrconf and MLD put on the wire themselves.
"""
from __future__ import annotations

import ipaddress
from typing import TYPE_CHECKING, Optional

from . import core
from .neighbour import NeighTable, nd_tbl_ops
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


# ---------------------------------------------------------------- the device's addresses

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


# ---------------------------------------------------------------- frames addrconf and MLD send

def ip6_mc_frame(dev, src: ipaddress.IPv6Address, dst: ipaddress.IPv6Address, nh: int,
                 payload: bytes, hop_limit: int, hbh: bool = False) -> bytes:
    """A frame to a multicast group (33:33 and the group's last four bytes)."""
    if hbh:
        # hop-by-hop header with router alert (MLD)
        ext = bytes([58, 0, 5, 2, 0, 0, 1, 0])
        payload = ext + payload
        nh = 0
    hdr = build_ipv6_header(src.packed, dst.packed, nh, len(payload), hop_limit)
    mac = b"\x33\x33" + dst.packed[12:]
    return eth_header(mac, dev.mac, ETH_P_IPV6) + hdr + payload


def icmp6_packet(src, dst, body: bytes) -> bytes:
    return icmp6_with_checksum(src.packed, dst.packed, body)


def addrconf_xmit(dev, frame: bytes, what: str) -> None:
    skb = dev.net.world.new_skb(frame, dev)
    core.trace(skb, dev.net, "addrconf", what, dev=dev.name)
    core.dev_queue_xmit(skb, dev)
