"""Device core (net/core/dev.c): transmit, receive, taps, drops and traces.

`dev_queue_xmit` hands a frame to the device's driver after the capture taps
have seen it leave (dev_queue_xmit_nit); a device without carrier has the
noop qdisc attached and drops the frame before any tap sees it, as Linux does.

`netif_rx` queues a received frame on the backlog; the scheduler drains it
(`process_backlog`) and `netif_receive_skb` classifies the frame
(eth_type_trans), shows it to the taps, gives bridge ports to their bridge and
the rest to the handler registered for its ethertype.

Like net/core, this module knows no protocol: ARP, IPv4 and IPv6 register their
receive functions with `dev_add_pack` (arp_init, inet_init, inet6_init), the
layers above IP register theirs with `inet_add_protocol`, whoever cares about
carrier changes registers a netdevice notifier, and netfilter's five hook lists
live in each namespace (`nf_register_net_hook`). The core calls through those
tables; protocol modules import the core, never the other way round.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Callable, NamedTuple, Optional

from .skb import (PACKET_BROADCAST, PACKET_HOST, PACKET_LOOPBACK, PACKET_MULTICAST,
                  PACKET_OTHERHOST, PKTTYPE_DIR, DropReason, TraceEvent)
from .netdev import IFF_UP
from .wire import ARPHRD_LOOPBACK

if TYPE_CHECKING:  # pragma: no cover
    from .netdev import NetDevice
    from .netns import Net
    from .skb import SkBuff


# ---------------------------------------------------------------- registration

# ptype_base: ethertype -> receive function (skb, dev), filled by dev_add_pack
ptype_base: dict[int, Callable[["SkBuff", "NetDevice"], None]] = {}

# inet_protos: IP protocol number -> handler (skb, dev, rt, ihl), by inet_add_protocol
inet_protos: dict[int, Callable] = {}
# the err_handler of struct net_protocol: protocol -> (net, icmp skb, ICMP header offset)
inet_err_handlers: dict[int, Callable] = {}

# inet6_protos: IPv6 next header -> handler (skb, dev, off), by inet6_add_protocol
inet6_protos: dict[int, Callable] = {}

# netdev_chain: functions (event, dev) told of NETDEV_* events, highest priority first
# and, at one priority, in registration order (notifier_chain_register)
netdev_chain: list[Callable[[str, "NetDevice"], None]] = []
_netdev_prio: list[int] = []

NETDEV_CHANGE = "change"     # carrier came or went (linkwatch_do_dev)


def dev_add_pack(ethertype: int, func: Callable[["SkBuff", "NetDevice"], None]) -> None:
    """dev_add_pack: frames of `ethertype` go to `func` from now on."""
    ptype_base[ethertype] = func


def inet_add_protocol(protocol: int, handler: Callable) -> None:
    """inet_add_protocol: IPv4 local delivery hands `protocol` to `handler`."""
    inet_protos[protocol] = handler


def inet6_add_protocol(nexthdr: int, handler: Callable) -> None:
    """inet6_add_protocol: IPv6 local delivery hands `nexthdr` to `handler`."""
    inet6_protos[nexthdr] = handler
def inet_add_err_handler(protocol: int, handler: Callable) -> None:
    """net_protocol.err_handler: ICMP errors quoting `protocol` go to `handler`."""
    inet_err_handlers[protocol] = handler


def register_netdevice_notifier(func: Callable[[str, "NetDevice"], None],
                                priority: int = 0) -> None:
    """register_netdevice_notifier: `func(event, dev)` for every device event."""
    i = 0
    while i < len(_netdev_prio) and _netdev_prio[i] >= priority:
        i += 1
    netdev_chain.insert(i, func)
    _netdev_prio.insert(i, priority)


def call_netdevice_notifiers(event: str, dev: "NetDevice") -> None:
    for func in netdev_chain:
        func(event, dev)


# Netfilter's hook points (include/uapi/linux/netfilter.h) and verdicts.
NF_INET_PRE_ROUTING = 0
NF_INET_LOCAL_IN = 1
NF_INET_FORWARD = 2
NF_INET_LOCAL_OUT = 3
NF_INET_POST_ROUTING = 4
NF_INET_NUMHOOKS = 5
NF_DROP = 0
NF_ACCEPT = 1
NF_STOLEN = 2
NF_QUEUE = 3


class NfHookOps(NamedTuple):
    """struct nf_hook_ops: a hook function at one point, ordered by priority
    (conntrack -200, mangle -150, DNAT -100, filter 0, SNAT 100)."""

    hook: Callable[["SkBuff", Optional["NetDevice"], Optional["NetDevice"]], int]
    hooknum: int
    priority: int


def nf_hook_lists() -> list[list[NfHookOps]]:
    """A namespace's IPv4 hook lists (net->nf.hooks_ipv4), one per hook point."""
    return [[] for _ in range(NF_INET_NUMHOOKS)]


def nf_register_net_hook(net: "Net", ops: NfHookOps) -> None:
    """nf_register_net_hook: insert by priority (equal priorities keep their order)."""
    hooks = net.nf_hooks_ipv4[ops.hooknum]
    i = 0
    while i < len(hooks) and hooks[i].priority <= ops.priority:
        i += 1
    hooks.insert(i, ops)


def nf_unregister_net_hook(net: "Net", ops: NfHookOps) -> None:
    hooks = net.nf_hooks_ipv4[ops.hooknum]
    if ops in hooks:
        hooks.remove(ops)


def nf_hook_slow(hooks: list[NfHookOps], skb: "SkBuff", indev: Optional["NetDevice"],
                 outdev: Optional["NetDevice"]) -> bool:
    """nf_hook_slow: run the hooks in order; True when the packet may go on.

    Callers test the list first (`if hooks and not nf_hook_slow(...)`), so an
    empty hook point costs one truth test, as the kernel's static key does.
    A dropped packet is freed here with NETFILTER_DROP; a stolen or queued one
    belongs to the hook from then on.
    """
    for ops in hooks:
        verdict = ops.hook(skb, indev, outdev)
        if verdict == NF_ACCEPT:
            continue
        if verdict == NF_DROP:
            drop(skb, DropReason.NETFILTER_DROP, "nf_hook_slow", indev or outdev)
        return False
    return True


def trace(skb: "SkBuff", net: Optional["Net"], hook: str, verdict: str, /, **detail) -> None:
    """Record that `skb` passed `hook` and what was decided there (when tracing).

    The four named parameters are positional-only so that CPython (3.11) collects the
    keywords into `detail` at once: otherwise, for each keyword that names no parameter,
    it compares the name with every parameter's name before putting it in the dict,
    which made a traced packet cost twice an untraced one.
    """
    tr = skb.trace
    if tr is None:
        return
    if net is None:
        tr.append(_new_event(TraceEvent, (0.0, "", hook, verdict, detail, detail.get("dev", ""),
                                          0)))
    else:
        tr.append(_new_event(TraceEvent, (net.world.sched.now, net.name or "host", hook,
                                          verdict, detail, detail.get("dev", ""),
                                          net.net_cookie)))


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
    """The frame's packet type and protocol. netif_rx has these lines inline (every
    frame received passes there): a change here goes there too."""
    d = skb.data
    if d[0] & 1:
        skb.pkt_type = PACKET_BROADCAST if d[0:6] == dev.broadcast else PACKET_MULTICAST
    elif d[0:6] != dev.mac:
        skb.pkt_type = PACKET_OTHERHOST
    else:
        skb.pkt_type = PACKET_HOST
    skb.protocol = (d[12] << 8) | d[13]


# ---------------------------------------------------------------- transmit

def dev_queue_xmit(skb: "SkBuff", dev: "NetDevice") -> bool:
    """False when the driver dropped the frame (NET_XMIT_DROP, ENOBUFS to a socket);
    the noop qdisc's drops are NET_XMIT_CN, which net_xmit_errno reports as success."""
    skb.dev = dev
    if not dev.flags & IFF_UP:
        # a device that is down has the noop qdisc: its enqueue refuses everything
        drop(skb, DropReason.QDISC_DROP, "__dev_queue_xmit", dev)
        return True
    if not dev.carrier:
        # dev_deactivate left the noop qdisc in place: dropped before the taps
        dev.stats.tx_dropped += 1
        drop(skb, DropReason.QDISC_DROP, "__dev_queue_xmit", dev)
        return True
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
        skb.nfct = None  # ... nor a conntrack entry (nf_reset_ct)
    # eth_type_trans, inlined (every frame received comes this way)
    d = skb.data
    if d[0] & 1:
        skb.pkt_type = PACKET_BROADCAST if d[0:6] == dev.broadcast else PACKET_MULTICAST
    elif d[0:6] != dev.mac:
        skb.pkt_type = PACKET_OTHERHOST
    else:
        skb.pkt_type = PACKET_HOST
    skb.protocol = (d[12] << 8) | d[13]
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
    func = ptype_base.get(skb.protocol)
    if func is not None:
        func(skb, dev)
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
    """linkwatch_do_dev: qdisc (de)activation and NETDEV_CHANGE to the notifiers
    (the FIB, then ARP's arp_evict_nocarrier)."""
    net = dev.net
    if net is None:
        return
    if dev.flags & IFF_UP:
        if dev.carrier and dev.qdisc == "noop":
            dev.qdisc = dev.default_qdisc
        for func in netdev_chain:
            func(NETDEV_CHANGE, dev)
    net.link_changed(dev)
    if dev.master is not None and hasattr(dev.master, "port_carrier_changed"):
        dev.master.port_carrier_changed(dev)
    if net is not None:
        net.ipv6_link_state(dev)
