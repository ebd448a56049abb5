"""Network devices: loopback, veth, an Ethernet NIC on a simulated LAN.

One interface for all of them, as in the kernel's net_device_ops: `open`
(ndo_open), `stop` (ndo_stop) and `start_xmit` (ndo_start_xmit). Administrative
state (IFF_UP) and carrier are separate facts; operstate and the flags that
`ip link` prints (RUNNING, LOWER_UP, NO-CARRIER) are derived from them the way
dev_get_flags() and rfc2863_policy() derive them.

A veth's xmit does not call into its peer: like veth_forward_skb -> netif_rx,
it queues the frame on the peer's backlog, which the scheduler drains, so
loops through bridges never recurse.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Optional

from .wire import ARPHRD_ETHER, ARPHRD_LOOPBACK, BROADCAST_MAC, ZERO_MAC

if TYPE_CHECKING:  # pragma: no cover
    from .devinet import InDevice
    from .netns import Net
    from .skb import SkBuff
    from .sysctl import NeighParms

IFF_UP = 0x1
IFF_BROADCAST = 0x2
IFF_DEBUG = 0x4
IFF_LOOPBACK = 0x8
IFF_POINTOPOINT = 0x10
IFF_NOTRAILERS = 0x20
IFF_RUNNING = 0x40
IFF_NOARP = 0x80
IFF_PROMISC = 0x100
IFF_ALLMULTI = 0x200
IFF_MASTER = 0x400
IFF_SLAVE = 0x800
IFF_MULTICAST = 0x1000
IFF_PORTSEL = 0x2000
IFF_AUTOMEDIA = 0x4000
IFF_DYNAMIC = 0x8000
IFF_LOWER_UP = 0x10000
IFF_DORMANT = 0x20000
IFF_ECHO = 0x40000

IF_OPER_UNKNOWN = "UNKNOWN"
IF_OPER_DOWN = "DOWN"
IF_OPER_LOWERLAYERDOWN = "LOWERLAYERDOWN"
IF_OPER_UP = "UP"

ETH_MIN_MTU = 68
ETH_MAX_MTU = 0xFFFF


class Stats:
    """rtnl_link_stats64, the fields `ip -s link` prints."""

    __slots__ = ("rx_packets", "rx_bytes", "rx_errors", "rx_dropped", "rx_missed",
                 "rx_mcast", "tx_packets", "tx_bytes", "tx_errors", "tx_dropped",
                 "tx_carrier", "collisions", "rx_length_errors", "rx_crc_errors",
                 "rx_frame_errors", "rx_fifo_errors", "rx_over_errors", "tx_aborted_errors",
                 "tx_fifo_errors", "tx_window_errors", "tx_heartbeat_errors", "rx_nohandler")

    def __init__(self) -> None:
        for name in self.__slots__:
            setattr(self, name, 0)


class NetDevice:
    """The parts of struct net_device the simulator needs."""

    kind: Optional[str] = None       # IFLA_INFO_KIND: "veth", "bridge", or None
    type = ARPHRD_ETHER
    no_queue = True                  # IFF_NO_QUEUE: root qdisc "noqueue" once up
    default_qdisc = "noqueue"
    min_mtu = ETH_MIN_MTU
    max_mtu = ETH_MAX_MTU

    def __init__(self, name: str, mac: bytes, mtu: int = 1500):
        self.name = name
        self.ifindex = 0
        self.net: Optional["Net"] = None
        self.mac = mac
        self.perm_mac = mac
        self.broadcast = BROADCAST_MAC
        self.mtu = mtu
        self.flags = IFF_BROADCAST | IFF_MULTICAST
        self.carrier = False
        self.qdisc = "noop"
        self.txqlen = 1000
        self.group = "default"
        self.link_mode = "DEFAULT"
        self.stats = Stats()
        self.in_dev: Optional["InDevice"] = None
        self.neigh_parms: Optional["NeighParms"] = None
        self.ipv6_cnf: dict[str, int] = {}
        self.inet6: list = []           # ipv6.Addr6, newest first
        self.master: Optional["NetDevice"] = None
        self.rx_handler = None           # bridge port hook (br_handle_frame)
        self.addr_assign_type = "random"  # NET_ADDR_RANDOM / SET / PERM
        self.promiscuity = 0        # the kernel's counter (a bridge port holds one)
        self.allmulti = 0
        self.user_promisc = False   # `ip link set DEV promisc on`: shows PROMISC
        self.user_allmulti = False
        self.alias = ""
        self.dead = False
        self.ever_up = False
        self.carrier_changes = 0   # IFLA_CARRIER_CHANGES ("transns" in ip -s -s)
        self.linkwatch_seen = False  # an operstate is only computed at a link event

    # -- the driver's hooks (net_device_ops) -----------------------------
    def open(self) -> None:
        """ndo_open: called after IFF_UP is set."""

    def stop(self) -> None:
        """ndo_stop: called after IFF_UP is cleared."""

    def start_xmit(self, skb: "SkBuff") -> bool:
        """ndo_start_xmit: True when the frame left the device."""
        raise NotImplementedError

    def iflink(self) -> int:
        """dev_get_iflink: the peer's ifindex for veth, else our own."""
        return self.ifindex

    def mc_list(self) -> list[bytes]:
        """The multicast filter (`bridge fdb show` lists it as self entries): IPv6
        all-nodes always (even with disable_ipv6), IPv4 all-hosts while up."""
        if not self.flags & IFF_MULTICAST:
            return []
        out = [b"\x33\x33\x00\x00\x00\x01"]
        if self.flags & IFF_UP and self.in_dev is not None:
            out.append(b"\x01\x00\x5e\x00\x00\x01")
        return out

    # -- derived state -----------------------------------------------------
    @property
    def is_up(self) -> bool:
        return bool(self.flags & IFF_UP)

    def operstate(self) -> str:
        """What rtnetlink reports: DOWN when not running, else default_operstate().

        Without carrier, a device whose iflink names another device of the
        same namespace is LOWERLAYERDOWN if that device has no carrier either;
        a veth whose peer lives in another namespace is plain DOWN (the kernel
        looks the index up in the device's own namespace and finds nothing).
        """
        if not self.flags & IFF_UP:
            return IF_OPER_DOWN
        if not self.linkwatch_seen:
            return IF_OPER_UNKNOWN
        if not self.carrier:
            iflink = self.iflink()
            if iflink == self.ifindex or self.net is None:
                return IF_OPER_DOWN
            peer = self.net.dev_by_index(iflink)
            if peer is None:
                return IF_OPER_DOWN
            return IF_OPER_DOWN if peer.carrier else IF_OPER_LOWERLAYERDOWN
        return IF_OPER_UP

    def get_flags(self) -> int:
        """dev_get_flags(): admin flags plus RUNNING/LOWER_UP from the link state."""
        flags = self.flags & ~(IFF_RUNNING | IFF_LOWER_UP | IFF_DORMANT | IFF_PROMISC | IFF_ALLMULTI)
        if self.user_promisc:
            flags |= IFF_PROMISC
        if self.user_allmulti:
            flags |= IFF_ALLMULTI
        if self.flags & IFF_UP:
            if self.operstate() in (IF_OPER_UP, IF_OPER_UNKNOWN):
                flags |= IFF_RUNNING
            if self.carrier:
                flags |= IFF_LOWER_UP
        return flags

    @property
    def running(self) -> bool:
        return bool(self.flags & IFF_UP) and self.carrier

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name} #{self.ifindex}>"


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
        from . import core
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
        from . import core
        peer = self.peer
        if peer is not None and peer.flags & IFF_UP:
            core.netif_carrier_on(self)
            core.netif_carrier_on(peer)

    def stop(self) -> None:
        from . import core
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
        if len(skb.data) > rcv.mtu + 14 + 4:  # is_skb_forwardable
            self.stats.tx_dropped += 1
            core.drop(skb, DropReason.NOT_SPECIFIED, "__dev_forward_skb2", self)
            return False
        n = len(skb.data)
        self.stats.tx_packets += 1
        self.stats.tx_bytes += n
        rcv.stats.rx_packets += 1
        rcv.stats.rx_bytes += n
        # veth_xmit: CHECKSUM_NONE becomes CHECKSUM_UNNECESSARY when the peer has
        # NETIF_F_RXCSUM (on by default): the frame never left the machine
        skb.csum_unnecessary = True
        if skb.trace is not None:
            core.trace(skb, self.net, "veth_xmit", "forwarded", dev=self.name,
                       peer=rcv.name, peer_net=rcv.net.display_name if rcv.net else "")
        core.netif_rx(rcv, skb, counted=True)
        return True


NetDevice.lan = None   # only NICs are cabled to a simulated LAN


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
        from . import core
        if self.lan is not None:
            core.netif_carrier_on(self)

    def stop(self) -> None:
        from . import core
        core.netif_carrier_off(self)

    def start_xmit(self, skb: "SkBuff") -> bool:
        from . import core
        from .skb import DropReason
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


from . import core  # noqa: E402  (core's users are defined above)
from .skb import DropReason  # noqa: E402
