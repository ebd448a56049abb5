"""Device drivers: loopback, veth, an Ethernet NIC on a simulated LAN.

Each implements net_device_ops (open, stop, start_xmit) over netdev.py's
NetDevice and hands what it receives to the core with netif_rx.

A veth's xmit does not call into its peer: like veth_forward_skb -> netif_rx,
it queues the frame on the peer's backlog, which the scheduler drains, so
loops through bridges never recurse.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Optional

from . import core
from .netdev import IF_OPER_DOWN, IF_OPER_UNKNOWN, IFF_LOOPBACK, IFF_UP, NetDevice
from .skb import DropReason
from .wire import ARPHRD_LOOPBACK, ZERO_MAC

if TYPE_CHECKING:  # pragma: no cover
    from .skb import SkBuff


class LoopbackDevice(NetDevice):
    type = ARPHRD_LOOPBACK
    max_mtu = 0x7FFFFFFF - 1

    def __init__(self) -> None:
        super().__init__("lo", ZERO_MAC, mtu=65536)
        self.flags = IFF_LOOPBACK
        self.broadcast = ZERO_MAC
        self.carrier = True
        self.addr_assign_type = "perm"

    def operstate(self) -> str:
        return IF_OPER_UNKNOWN if self.flags & IFF_UP else IF_OPER_DOWN

    def start_xmit(self, skb: "SkBuff") -> bool:
        n = len(skb.data) - 14  # counted after eth_type_trans pulled the header
        st = self.stats
        st.tx_packets += 1
        st.tx_bytes += n
        st.rx_packets += 1
        st.rx_bytes += n
        core.netif_rx(self, skb, counted=True)
        return True


class VethDevice(NetDevice):
    kind = "veth"

    def __init__(self, name: str, mac: bytes):
        super().__init__(name, mac)
        self.peer: Optional["VethDevice"] = None
        self.carrier_changes = 1   # veth_newlink: netif_carrier_off from the initial "on"
        self.linkwatch_seen = True

    def iflink(self) -> int:
        return self.peer.ifindex if self.peer is not None else 0

    def open(self) -> None:
        # veth_open: carrier on both ends only when the peer is up too.
        peer = self.peer
        if peer is not None and peer.flags & IFF_UP:
            core.netif_carrier_on(self)
            core.netif_carrier_on(peer)

    def stop(self) -> None:
        core.netif_carrier_off(self)
        if self.peer is not None:
            core.netif_carrier_off(self.peer)

    def start_xmit(self, skb: "SkBuff") -> bool:
        """veth_xmit -> veth_forward_skb -> __dev_forward_skb -> netif_rx on the peer."""
        rcv = self.peer
        if rcv is None or not rcv.flags & IFF_UP or rcv.dead:
            self.stats.tx_dropped += 1
            core.drop(skb, DropReason.DEV_READY, "veth_xmit", self)
            return False
        n = len(skb.data)
        if n > rcv.mtu + 18:   # + ETH_HLEN + VLAN_HLEN
            # __dev_forward_skb2: is_skb_forwardable refuses a frame longer than the
            # receiver's MTU + hard header + VLAN_HLEN; the receiver counts it (rx_dropped,
            # dev_core_stats_rx_dropped_inc), veth_xmit's drop path counts it on the sender
            # (tx_dropped) and returns NET_XMIT_DROP, which a socket sees as ENOBUFS
            rcv.stats.rx_dropped += 1
            self.stats.tx_dropped += 1
            if skb.trace is not None:
                core.trace(skb, self.net, "veth_xmit", "too big for the peer", dev=self.name,
                           peer=rcv.name, length=len(skb.data) - 14, peer_mtu=rcv.mtu)
            core.drop(skb, DropReason.NOT_SPECIFIED, "__dev_forward_skb2", self)
            return False
        st = self.stats
        st.tx_packets += 1
        st.tx_bytes += n
        st = rcv.stats
        st.rx_packets += 1
        st.rx_bytes += n
        # veth_xmit: CHECKSUM_NONE becomes CHECKSUM_UNNECESSARY when the peer has
        # NETIF_F_RXCSUM (on by default): the frame never left the machine
        skb.csum_unnecessary = True
        if skb.trace is not None:
            core.trace(skb, self.net, "veth_xmit", "forwarded", dev=self.name,
                       peer=rcv.name, peer_net=rcv.net.display_name if rcv.net else "",
                       peer_net_cookie=rcv.net.net_cookie if rcv.net else 0)
        core.netif_rx(rcv, skb, True)
        return True


class EthernetNic(NetDevice):
    """A physical-looking NIC whose cable goes into a simulated LAN segment."""

    no_queue = False
    default_qdisc = "fq_codel"

    def __init__(self, name: str, mac: bytes):
        super().__init__(name, mac)
        self.addr_assign_type = "perm"
        self.lan = None  # Lan
        self.linkwatch_seen = True   # the driver turned carrier off at probe

    def open(self) -> None:
        if self.lan is not None:
            core.netif_carrier_on(self)

    def stop(self) -> None:
        core.netif_carrier_off(self)

    def start_xmit(self, skb: "SkBuff") -> bool:
        if self.lan is None or not self.carrier:
            self.stats.tx_carrier += 1
            self.stats.tx_errors += 1
            core.drop(skb, DropReason.DEV_READY, "dev_hard_start_xmit", self)
            return False
        data = skb.data
        if len(data) < 60:  # NICs pad runt frames to the Ethernet minimum
            data = data + bytes(60 - len(data))
        self.stats.tx_packets += 1
        self.stats.tx_bytes += len(skb.data)
        self.lan.transmit(self, data, skb)
        return True


class Lan:
    """A switch with learning: what the NICs of several hosts are plugged into."""

    def __init__(self, name: str = "lan"):
        self.name = name
        self.ports: list[EthernetNic] = []
        self.fdb: dict[bytes, EthernetNic] = {}

    def attach(self, nic: EthernetNic) -> None:
        self.ports.append(nic)
        nic.lan = self

    def transmit(self, src: EthernetNic, data: bytes, skb: Optional["SkBuff"] = None) -> None:
        dst, smac = data[:6], data[6:12]
        self.fdb[smac] = src
        out = self.fdb.get(dst) if not dst[0] & 1 else None
        targets = [out] if out is not None else [p for p in self.ports if p is not src]
        for nic in targets:
            if nic is src or not nic.flags & IFF_UP or not nic.carrier or nic.net is None:
                continue
            nic.stats.rx_packets += 1
            nic.stats.rx_bytes += len(data)
            copy = nic.net.world.new_skb(data, nic, cause=skb.id if skb is not None else None,
                                         trace=skb.trace if skb is not None else None)
            core.netif_rx(nic, copy, counted=True)
