"""ARP (net/ipv4/arp.c): solicit, receive, and the decisions of arp_process.

arp_process answers a request only when `ip_route_input` accepts it: the
target must route as local in this namespace, and the sender must pass
fib_validate_source (accept_local, rp_filter as max(all, dev)). Then
arp_ignore and arp_filter may still keep quiet. A request it does not answer
is not "dropped" with a reason: arp_process just consumes it, which is why
tcpdump shows the request arriving and nothing coming back.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Optional

from . import core, fib, ip, neighbour, route
from .devinet import inet_confirm_addr, inet_select_addr
from .fib import RTN_BROADCAST, RTN_LOCAL, RTN_MULTICAST, RTN_UNICAST
from .inet import (RT_SCOPE_HOST, RT_SCOPE_LINK, from_bytes, is_loopback, is_multicast,
                   ntoa, to_bytes)
from .neighbour import NUD_NOARP
from .netdev import IFF_LOOPBACK, IFF_NOARP, IFF_POINTOPOINT
from .skb import PACKET_HOST, PACKET_LOOPBACK, PACKET_OTHERHOST
from .wire import ARPHRD_ETHER, ARPOP_REPLY, ARPOP_REQUEST, ETH_P_ARP, ETH_P_IP, build_arp_frame

if TYPE_CHECKING:  # pragma: no cover
    from .netdev import NetDevice
    from .skb import SkBuff


def arp_constructor(n: "neighbour.Neighbour") -> None:
    """arp_constructor: multicast, NOARP and broadcast entries need no resolution."""
    dev = n.dev
    key = n.key
    rtype = fib.inet_addr_type_table(n.net, key, dev)
    n.type = rtype
    if rtype == RTN_MULTICAST:
        n.nud_state = NUD_NOARP
        n.ha = bytes([0x01, 0x00, 0x5E, (key >> 16) & 0x7F, (key >> 8) & 0xFF, key & 0xFF])
    elif dev.flags & (IFF_NOARP | IFF_LOOPBACK):
        n.nud_state = NUD_NOARP
        n.ha = dev.mac
    elif rtype == RTN_BROADCAST or dev.flags & IFF_POINTOPOINT:
        n.nud_state = NUD_NOARP
        n.ha = dev.broadcast


def arp_error_report(skb: "SkBuff") -> None:
    """arp_error_report: a packet that waited for a neighbour that FAILED."""
    ip.ipv4_link_failure(skb)


def arp_send(op: int, dest_ip: int, dev: "NetDevice", src_ip: int,
             dest_hw: Optional[bytes], src_hw: Optional[bytes], target_hw: Optional[bytes],
             cause: Optional["SkBuff"] = None, why: str = "") -> None:
    if dev.flags & IFF_NOARP:
        return
    src_hw = src_hw or dev.mac
    eth_dst = dest_hw or dev.broadcast
    data = build_arp_frame(op, eth_dst, dev.mac, src_hw, to_bytes(src_ip),
                           target_hw or bytes(6), to_bytes(dest_ip))
    net = dev.net
    skb = net.world.new_skb(data, dev, cause=cause.id if cause is not None else None)
    core.trace(skb, net, "arp_send", "request" if op == ARPOP_REQUEST else "reply",
               target=ntoa(dest_ip), source=ntoa(src_ip), dev=dev.name, why=why,
               unicast=dest_hw is not None)
    core.dev_queue_xmit(skb, dev)


def arp_notify(dev: "NetDevice") -> None:
    """inetdev_send_gratuitous_arp, on NETDEV_UP and NETDEV_CHANGEADDR with arp_notify."""
    in_dev = dev.in_dev
    if in_dev is None or not in_dev.conf("arp_notify") or not dev.is_up:
        return
    for ifa in list(in_dev.ifa_list):
        arp_send(ARPOP_REQUEST, ifa.local, dev, ifa.local, None, dev.mac, None,
                 why="arp_notify (gratuitous ARP)")


def arp_solicit(n: "neighbour.Neighbour", skb: Optional["SkBuff"]) -> None:
    """Send one probe for neighbour `n`; the source address follows arp_announce."""
    dev = n.dev
    in_dev = dev.in_dev
    if in_dev is None:
        return
    target = n.key
    saddr = 0
    announce = in_dev.conf("arp_announce")
    pkt_saddr = from_bytes(skb.data[26:30]) if skb is not None and len(skb.data) >= 34 else 0
    if announce == 1:
        if skb is not None:
            saddr = pkt_saddr
            if fib.inet_addr_type(dev.net, saddr) == RTN_LOCAL:
                if not _addr_onlink(in_dev, target, saddr):
                    saddr = 0
            else:
                saddr = 0
    elif announce == 2:
        pass
    else:
        if skb is not None and fib.inet_addr_type(dev.net, pkt_saddr) == RTN_LOCAL:
            saddr = pkt_saddr
    if not saddr:
        saddr = inet_select_addr(dev, target, RT_SCOPE_LINK)
    parms = n.parms.data
    probes = n.probes - parms["ucast_probes"]
    dst_hw = None
    if probes < 0:
        dst_hw = n.ha
    else:
        probes -= parms["app_probes"]
        if probes < 0:
            return  # neigh_app_ns: a user-space resolver would be asked
    arp_send(ARPOP_REQUEST, target, dev, saddr, dst_hw, dev.mac, None, cause=skb,
             why="neigh_probe")


def _addr_onlink(in_dev, a: int, b: int) -> bool:
    """inet_addr_onlink: are both addresses inside one of the device's prefixes?"""
    for ifa in in_dev.ifa_list:
        if ifa.match(a) and (not b or ifa.match(b)):
            return True
    return False


def arp_ignore(in_dev, sip: int, tip: int) -> bool:
    """True when arp_ignore says: do not answer."""
    mode = in_dev.conf("arp_ignore")
    net = in_dev.dev.net
    if mode == 0:
        return False
    if mode == 1:
        sip = 0
        scope = RT_SCOPE_HOST
    elif mode == 2:
        scope = RT_SCOPE_HOST
    elif mode == 3:
        sip = 0
        scope = RT_SCOPE_LINK
        in_dev = None
    elif mode == 8:
        return True
    else:
        return False
    return not inet_confirm_addr(net, in_dev, sip, tip, scope)


def arp_filter(sip: int, tip: int, dev: "NetDevice") -> bool:
    """arp_filter=1: answer only if the reply would leave through this device."""
    try:
        rt = route.ip_route_output(dev.net, sip, tip, 0)
    except route.RouteError:
        return True
    return rt.dev is not dev


def arp_rcv(skb: "SkBuff", dev: "NetDevice") -> None:
    if dev.flags & IFF_NOARP or skb.pkt_type in (PACKET_OTHERHOST, PACKET_LOOPBACK):
        core.trace(skb, dev.net, "arp_rcv", "ignored", dev=dev.name,
                   why="not for this host" if skb.pkt_type == PACKET_OTHERHOST else "noarp")
        return
    d = skb.data
    if len(d) < 42 or d[18] != 6 or d[19] != 4:
        core.drop(skb, "NOT_SPECIFIED", "arp_rcv", dev)
        return
    arp_process(skb, dev)


def arp_process(skb: "SkBuff", dev: "NetDevice") -> None:
    net = dev.net
    in_dev = dev.in_dev
    d = skb.data
    if in_dev is None:
        core.trace(skb, net, "arp_process", "ignored", why="no IPv4 on device", dev=dev.name)
        core.drop(skb, "NOT_SPECIFIED", "arp_process", dev)
        return
    hrd = int.from_bytes(d[14:16], "big")
    pro = int.from_bytes(d[16:18], "big")
    op = int.from_bytes(d[20:22], "big")
    if hrd not in (ARPHRD_ETHER, 6) or pro != ETH_P_IP or op not in (ARPOP_REQUEST, ARPOP_REPLY):
        core.trace(skb, net, "arp_process", "ignored", why="unsupported ARP", dev=dev.name)
        core.drop(skb, "NOT_SPECIFIED", "arp_process", dev)
        return
    sha = d[22:28]
    sip = from_bytes(d[28:32])
    tha = d[32:38]
    tip = from_bytes(d[38:42])
    info = {"op": "request" if op == ARPOP_REQUEST else "reply", "sender": ntoa(sip),
            "target": ntoa(tip), "dev": dev.name}
    if is_multicast(tip) or (not in_dev.conf("route_localnet") and is_loopback(tip)):
        core.trace(skb, net, "arp_process", "ignored", why="multicast or loopback target", **info)
        core.drop(skb, "NOT_SPECIFIED", "arp_process", dev)
        return
    if sip == tip and in_dev.conf("drop_gratuitous_arp"):
        core.trace(skb, net, "arp_process", "ignored", why="drop_gratuitous_arp", **info)
        core.drop(skb, "NOT_SPECIFIED", "arp_process", dev)
        return
    if sip == 0:
        if (op == ARPOP_REQUEST and fib.inet_addr_type_table(net, tip, dev) == RTN_LOCAL
                and not arp_ignore(in_dev, sip, tip)):
            arp_send(ARPOP_REPLY, sip, dev, tip, sha, dev.mac, sha, cause=skb, why="dad_reply")
        core.trace(skb, net, "arp_process", "dad probe", **info)
        return

    if op == ARPOP_REQUEST and _arp_request(skb, dev, sha, sip, tip, info):
        return
    _arp_update_table(skb, dev, op, sha, sip, tha, tip, info)


def _arp_request(skb: "SkBuff", dev: "NetDevice", sha: bytes, sip: int, tip: int,
                 info: dict) -> bool:
    """arp_process's request branch: True when it is finished with the packet (a local
    target, answered or not, or a proxy reply); False goes on to update the table."""
    net = dev.net
    in_dev = dev.in_dev
    rin = route.ip_route_input(skb, tip, sip, 0, dev, for_arp=True)
    core.trace(skb, net, "arp_process", "route_input", route=rin.describe(), ok=rin.ok, **info)
    if not rin.ok:
        core.trace(skb, net, "arp_process", "not answered", why=rin.reason_text(),
                   drop_reason=rin.drop_reason, **info)
        return False
    if rin.type == RTN_LOCAL:
        dont_send = arp_ignore(in_dev, sip, tip)
        why = f"arp_ignore={in_dev.conf('arp_ignore')}" if dont_send else ""
        if not dont_send and in_dev.conf("arp_filter"):
            dont_send = arp_filter(sip, tip, dev)
            why = "arp_filter=1" if dont_send else ""
        if not dont_send:
            neighbour.neigh_event_ns(net, sha, sip, dev)
            core.trace(skb, net, "arp_process", "reply", **info)
            arp_send(ARPOP_REPLY, sip, dev, tip, sha, dev.mac, sha, cause=skb,
                     why="request for a local address")
        else:
            core.trace(skb, net, "arp_process", "not answered", why=why, **info)
        return True
    if in_dev.conf("forwarding") and rin.type == RTN_UNICAST:
        if _arp_fwd_proxy(in_dev, dev, rin.dev):
            neighbour.neigh_event_ns(net, sha, sip, dev)
            core.trace(skb, net, "arp_process", "proxy reply", **info)
            arp_send(ARPOP_REPLY, sip, dev, tip, sha, dev.mac, sha, cause=skb, why="proxy_arp")
            return True
    core.trace(skb, net, "arp_process", "not answered",
               why="target is not a local address of this namespace", **info)
    return False


def _arp_update_table(skb: "SkBuff", dev: "NetDevice", op: int, sha: bytes, sip: int,
                      tha: bytes, tip: int, info: dict) -> None:
    """arp_process's end: update (or, with arp_accept, create) the sender's entry."""
    net = dev.net
    in_dev = dev.in_dev
    # Update our ARP tables
    n = net.arp_tbl.lookup(sip, dev)
    addr_type = -1
    is_garp = False
    accept = _arp_accept(in_dev, sip)
    if n is not None or accept:
        is_garp = tip == sip
        if is_garp and op == ARPOP_REPLY:
            is_garp = tha == sha
        if is_garp:
            addr_type = fib.inet_addr_type_table(net, sip, dev)
            if addr_type != RTN_UNICAST:
                is_garp = False
    if accept and n is None:
        if is_garp or (op == ARPOP_REPLY and (
                addr_type == RTN_UNICAST
                or (addr_type < 0 and fib.inet_addr_type_table(net, sip, dev) == RTN_UNICAST))):
            n = net.arp_tbl.create(sip, dev)
    if n is not None:
        now = net.world.sched.now
        override = now > n.updated + n.parms.sec("locktime") or is_garp
        state = neighbour.NUD_REACHABLE
        if op != ARPOP_REPLY or skb.pkt_type != PACKET_HOST:
            state = neighbour.NUD_STALE
        neighbour.neigh_update(n, sha, state,
                               neighbour.NEIGH_UPDATE_F_OVERRIDE if override else 0)
        core.trace(skb, net, "arp_process", "neighbour updated",
                   state=neighbour.nud_name(n.nud_state), **info)
    elif op == ARPOP_REPLY:
        core.trace(skb, net, "arp_process", "ignored",
                   why="unsolicited reply (no neighbour entry, arp_accept=0)", **info)


def _arp_accept(in_dev, sip: int) -> bool:
    mode = in_dev.conf("arp_accept")
    if mode == 1:
        return True
    if mode == 2:
        return bool(inet_confirm_addr(in_dev.dev.net, in_dev, sip, 0, RT_SCOPE_LINK))
    return False


def _arp_fwd_proxy(in_dev, dev: "NetDevice", out_dev) -> bool:
    if out_dev is dev:
        return False
    if not in_dev.conf("proxy_arp"):
        return False
    imi = in_dev.cnf.data["medium_id"]
    if imi == 0:
        return True
    if imi == -1:
        return False
    omi = out_dev.in_dev.cnf.data["medium_id"] if out_dev is not None and out_dev.in_dev else -1
    return omi != imi and omi != -1


def arp_netdev_event(event: str, dev: "NetDevice") -> None:
    """arp_netdev_event: carrier lost with arp_evict_nocarrier flushes the device's entries."""
    if event == core.NETDEV_CHANGE and not dev.carrier and dev.in_dev is not None \
            and dev.in_dev.conf("arp_evict_nocarrier"):
        neighbour.neigh_ifdown(dev.net, dev, skip_perm=True)


# arp_init: the table's operations, the receive handler, the device notifier
neighbour.arp_tbl_ops.constructor = arp_constructor
neighbour.arp_tbl_ops.solicit = arp_solicit
neighbour.arp_tbl_ops.error_report = arp_error_report
core.dev_add_pack(ETH_P_ARP, arp_rcv)
core.register_netdevice_notifier(arp_netdev_event)
