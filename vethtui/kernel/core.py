"""Device core (net/core/dev.c): transmit, receive, taps, drops and traces.

`dev_queue_xmit` hands a frame to the device's driver after the capture taps
have seen it leave (dev_queue_xmit_nit); a device without carrier has the
noop qdisc attached and drops the frame before any tap sees it, as Linux does.

`netif_rx` queues a received frame on the backlog; the scheduler drains it
(`process_backlog`) and `netif_receive_skb` classifies the frame
(eth_type_trans), shows it to the taps, gives bridge ports to their bridge and
the rest to ARP or IPv4.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Optional

from .skb import (PACKET_BROADCAST, PACKET_HOST, PACKET_LOOPBACK, PACKET_MULTICAST,
                  PACKET_OTHERHOST, PKTTYPE_DIR, DropReason, TraceEvent)
from .wire import ETH_P_ARP, ETH_P_IP, ETH_P_IPV6

if TYPE_CHECKING:  # pragma: no cover
    from .netdev import NetDevice
    from .netns import Net
    from .skb import SkBuff


IFF_UP = 0x1            # include/uapi/linux/if.h (netdev.py has the full set)
ARPHRD_LOOPBACK = 772


def trace(skb: "SkBuff", net: Optional["Net"], hook: str, verdict: str, **detail) -> None:
    """Record that `skb` passed `hook` and what was decided there (when tracing)."""
    tr = skb.trace
    if tr is None:
        return
    if net is None:
        tr.append(_new_event(TraceEvent, (0.0, "", hook, verdict, detail, detail.get("dev", ""))))
    else:
        tr.append(_new_event(TraceEvent, (net.world.sched.now, net.display_name, hook, verdict,
                                          detail, detail.get("dev", ""))))


_new_event = tuple.__new__   # TraceEvent without its Python-level __new__


def drop(skb: "SkBuff", reason: str, where: str, dev: Optional["NetDevice"] = None) -> None:
    """kfree_skb_reason: the packet dies here, with the kernel's reason name."""
    skb.dropped = reason
    net = dev.net if dev is not None else None
    if skb.trace is not None:
        trace(skb, net, where, "drop", reason=reason, dev=dev.name if dev is not None else "")
    if net is not None:
        net.world.packet_dropped_id(net, skb.id, reason, where)


def eth_type_trans(skb: "SkBuff", dev: "NetDevice") -> None:
    d = skb.data
    dst = d[0:6]
    if dst[0] & 1:
        skb.pkt_type = PACKET_BROADCAST if dst == dev.broadcast else PACKET_MULTICAST
    elif dst != dev.mac:
        skb.pkt_type = PACKET_OTHERHOST
    else:
        skb.pkt_type = PACKET_HOST
    skb.protocol = (d[12] << 8) | d[13]


# ---------------------------------------------------------------- transmit

def dev_queue_xmit(skb: "SkBuff", dev: "NetDevice") -> bool:
    skb.dev = dev
    if not dev.flags & IFF_UP:
        # a device that is down has the noop qdisc: its enqueue refuses everything
        drop(skb, DropReason.QDISC_DROP, "__dev_queue_xmit", dev)
        return False
    if not dev.carrier:
        # dev_deactivate left the noop qdisc in place: dropped before the taps
        dev.stats.tx_dropped += 1
        drop(skb, DropReason.QDISC_DROP, "__dev_queue_xmit", dev)
        return False
    net = dev.net
    if net.taps and dev.type != ARPHRD_LOOPBACK:  # libpcap hides outgoing frames on lo
        net.tap(dev, skb, "Out")
    if skb.trace is not None:
        trace(skb, net, "dev_queue_xmit", "sent", dev=dev.name)
    return dev.start_xmit(skb)


# ---------------------------------------------------------------- receive

def netif_rx(dev: "NetDevice", skb: "SkBuff", counted: bool = False) -> None:
    """Queue on the receiving device's backlog (enqueue_to_backlog)."""
    skb.dev = dev
    net = dev.net
    if net is None:
        return
    if dev.type != ARPHRD_LOOPBACK:
        skb.dst = None  # skb_scrub_packet: a route does not cross a veth or a wire
    eth_type_trans(skb, dev)
    net.world.backlog_enqueue(skb)


def netif_receive_skb(skb: "SkBuff") -> None:
    """__netif_receive_skb_core for one frame from the backlog."""
    dev = skb.dev
    net = dev.net
    if net is None or dev.dead:
        return
    if not dev.flags & IFF_UP:
        drop(skb, DropReason.DEV_READY, "netif_receive_skb", dev)
        return
    if net.taps and skb.pkt_type != PACKET_LOOPBACK:
        net.tap(dev, skb, PKTTYPE_DIR.get(skb.pkt_type, "In"))
    if skb.trace is not None:
        trace(skb, net, "netif_receive_skb", PKTTYPE_DIR.get(skb.pkt_type, "In"), dev=dev.name)
    if dev.rx_handler is not None:
        consumed = dev.rx_handler(skb, dev)
        if consumed:
            return
    proto = skb.protocol
    if proto == ETH_P_IP:
        ip.ip_rcv(skb, dev)
    elif proto == ETH_P_ARP:
        arp.arp_rcv(skb, dev)
    elif proto == ETH_P_IPV6:
        ipv6.ipv6_rcv(skb, dev)
    else:
        dev.stats.rx_nohandler += 1
        drop(skb, DropReason.UNHANDLED_PROTO, "__netif_receive_skb_core", dev)


# ---------------------------------------------------------------- carrier

def netif_carrier_on(dev: "NetDevice") -> None:
    if dev.carrier:
        return
    dev.carrier = True
    dev.carrier_changes += 1
    dev.linkwatch_seen = True
    _linkwatch(dev)


def netif_carrier_off(dev: "NetDevice") -> None:
    if not dev.carrier:
        return
    dev.carrier = False
    dev.carrier_changes += 1
    dev.linkwatch_seen = True
    _linkwatch(dev)


def _linkwatch(dev: "NetDevice") -> None:
    """linkwatch_do_dev: qdisc (de)activation and NETDEV_CHANGE to the FIB and ARP."""
    from . import fib, neighbour
    from .netdev import IFF_UP
    net = dev.net
    if net is None:
        return
    if dev.flags & IFF_UP:
        if dev.carrier and dev.qdisc == "noop":
            dev.qdisc = dev.default_qdisc
        fib.fib_netdev_change(dev)
        if not dev.carrier and dev.in_dev is not None and dev.in_dev.conf("arp_evict_nocarrier"):
            neighbour.neigh_ifdown(net, dev, skip_perm=True)
    net.link_changed(dev)
    if dev.master is not None and hasattr(dev.master, "port_carrier_changed"):
        dev.master.port_carrier_changed(dev)
    if net is not None:
        net.ipv6_link_state(dev)


# Receive hands frames to ARP and IPv4, which send through this module: bound
# last, when both modules can see this one's functions.
from . import arp, ip, ipv6  # noqa: E402
