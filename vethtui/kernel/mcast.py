"""MLD (net/ipv6/mcast.c), as far as a host's own groups go: the groups a device
has joined (ipv6_chk_mcast_addr), the state-change reports a join sends
(mld_ifc_event, mld_ifc_work: robustness 2, a random part of
unsolicited_report_interval apart), and the reports once DAD is done with the
link-local address (ipv6_mc_dad_complete). A report carries the first
solicited-node group only.
"""
from __future__ import annotations

import ipaddress
import struct
from typing import TYPE_CHECKING

from .addrconf_core import (ALL_ROUTERS, MLDV2_ROUTERS, addrconf_xmit, enabled, icmp6_packet,
                            ip6_mc_frame, solicited_node)

if TYPE_CHECKING:  # pragma: no cover
    from .netdev import NetDevice


def ipv6_dev_mc_inc(dev: "NetDevice", source_any: bool) -> None:
    """ipv6_dev_mc_inc for an address's solicited-node group (addrconf_join_solict):
    the device has joined; the join's state-change reports follow (mld_ifc_event)."""
    dev._mld_joined = True
    mld_ifc_event(dev, source_any=source_any)


def ipv6_mc_dad_complete(dev: "NetDevice") -> None:
    """ipv6_mc_dad_complete, when DAD is done with the link-local address: the initial
    report now and the other (robustness 2) after a random delay up to
    unsolicited_report_interval (+2 jiffies). Without DAD (accept_dad=0, nodad) no
    join happened yet: its own state-change reports come too."""
    world = dev.net.world
    qrv = 2
    mld_send_report(dev, source_any=False)
    for i in range(1, qrv):
        world.sched.call_later(world.rng.random() * unsolicited_report_interval(dev) + 0.004,
                               mld_report_again, dev)
    if not getattr(dev, "_mld_joined", False):
        ipv6_dev_mc_inc(dev, source_any=False)


def unsolicited_report_interval(dev: "NetDevice") -> float:
    """unsolicited_report_interval: mldv2_unsolicited_report_interval (ms), at least a jiffy."""
    return max(dev.ipv6_cnf.get("mldv2_unsolicited_report_interval", 1000), 4) / 1000.0


def mld_report_again(dev: "NetDevice") -> None:
    if dev.is_up and not dev.dead and enabled(dev):
        mld_send_report(dev, source_any=not any(not a.tentative and a.addr.is_link_local
                                                for a in dev.inet6))


def mld_ifc_event(dev: "NetDevice", source_any: bool) -> None:
    """mld_ifc_event: a group joined; mc_ifc_count = robustness (2) and the device's one
    report work re-armed 2 jiffies out (mod_delayed_work), so joins close together
    share their reports."""
    world = dev.net.world
    dev._mld_ifc_count = 2
    timer = getattr(dev, "_mld_ifc_timer", None)
    if timer is not None:
        timer.cancel()
    dev._mld_ifc_timer = world.sched.call_later(0.004, mld_ifc_work, dev)


def mld_ifc_work(dev: "NetDevice") -> None:
    """mld_ifc_work: send the state-change report; again after a random part of
    unsolicited_report_interval while mc_ifc_count lasts."""
    dev._mld_ifc_timer = None
    mld_report_again(dev)
    dev._mld_ifc_count = getattr(dev, "_mld_ifc_count", 1) - 1
    if dev._mld_ifc_count > 0 and dev.net is not None:
        world = dev.net.world
        dev._mld_ifc_timer = world.sched.call_later(
            world.rng.random() * unsolicited_report_interval(dev) + 0.004, mld_ifc_work, dev)


def mld_send_report(dev: "NetDevice", source_any: bool) -> None:
    """An MLDv2 report (from :: while the link-local address is tentative)."""
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
    frame = ip6_mc_frame(dev, src, MLDV2_ROUTERS, 58, icmp6_packet(src, MLDV2_ROUTERS, body), 1,
                         hbh=True)
    addrconf_xmit(dev, frame, "mld report")


def joined_groups(dev: "NetDevice") -> set[ipaddress.IPv6Address]:
    """The groups ipv6_chk_mcast_addr finds: all-nodes, each address's
    solicited-node group, and all-routers when forwarding."""
    groups = {ipaddress.IPv6Address("ff02::1"), ipaddress.IPv6Address("ff01::1")}
    for a in dev.inet6:
        groups.add(solicited_node(a.addr))
    if dev.ipv6_cnf.get("forwarding"):
        groups.add(ALL_ROUTERS)
    return groups
