"""struct net_device (include/linux/netdevice.h): what every device has.

One interface for all of them, as in the kernel's net_device_ops: `open`
(ndo_open), `stop` (ndo_stop) and `start_xmit` (ndo_start_xmit). Administrative
state (IFF_UP) and carrier are separate facts; operstate and the flags that
`ip link` prints (RUNNING, LOWER_UP, NO-CARRIER) are derived from them the way
dev_get_flags() and rfc2863_policy() derive them.

The drivers (loopback, veth, the LAN's NIC) are in drivers.py, above the core
they hand frames to; this module is below it.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Optional

from .wire import ARPHRD_ETHER, BROADCAST_MAC

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
IFNAMSIZ = 16


class NetdevError(Exception):
    """errno name plus the extack message when the kernel sets one."""

    def __init__(self, errno: str, msg: str = ""):
        super().__init__(msg or errno)
        self.errno = errno
        self.msg = msg


def dev_valid_name(name: str) -> bool:
    if not name or len(name) >= IFNAMSIZ or name in (".", ".."):
        return False
    return not any(c == "/" or c == ":" or c.isspace() for c in name)


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
        self.name = str(name)   # a plain str: trace events name the device (see Net.name)
        self.ifindex = 0
        self.net: Optional["Net"] = None
        self.mac = mac
        self.perm_mac = mac
        self.broadcast = BROADCAST_MAC
        self.mtu = mtu
        # only NICs are cabled to a simulated LAN; an instance attribute, not a class
        # one, since the backlog reads it for every frame (CPython 3.11 does not
        # specialize reading a class attribute through an instance)
        self.lan = None
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
