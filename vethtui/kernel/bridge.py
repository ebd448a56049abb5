"""The Linux bridge (net/bridge): ports, forwarding database, learning, flooding.

Without STP a port forwards as soon as it is up with carrier (the kernel's
br_port_state_selection puts it straight into forwarding). The bridge has
carrier when at least one port forwards. Frames arriving on a port are
learned (source MAC -> port), delivered to the bridge device itself when
addressed to it (or broadcast/multicast), and forwarded to the port the FDB
names, or flooded to every other forwarding port when the destination is
unknown. The bridge's MAC follows the smallest port MAC unless it was set.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Optional

from . import core
from .devinet import primary_ifa
from .ip_output import ip_select_ident
from .netdev import IFF_UP, NetDevice, NetdevError
from .skb import PACKET_HOST
from .wire import ETH_P_IP, checksum, eth_header

if TYPE_CHECKING:  # pragma: no cover
    from .skb import SkBuff

BR_STATE_DISABLED = 0
BR_STATE_LISTENING = 1
BR_STATE_LEARNING = 2
BR_STATE_FORWARDING = 3
BR_STATE_BLOCKING = 4
STATE_NAMES = {0: "disabled", 1: "listening", 2: "learning", 3: "forwarding", 4: "blocking"}


class FdbEntry:
    __slots__ = ("mac", "port", "local", "static", "updated", "vlan")

    def __init__(self, mac: bytes, port: Optional[NetDevice], local: bool, static: bool,
                 updated: float, vlan: int = 1):
        self.mac = mac
        self.port = port
        self.local = local
        self.static = static
        self.updated = updated
        self.vlan = vlan


class BridgePort:
    __slots__ = ("dev", "state", "port_no", "priority", "cost", "flags")

    def __init__(self, dev: NetDevice, port_no: int):
        self.dev = dev
        self.state = BR_STATE_DISABLED
        self.port_no = port_no
        self.priority = 32
        self.cost = 2
        # p->flags (BR_LEARNING | BR_FLOOD | BR_MCAST_FLOOD | BR_BCAST_FLOOD by default)
        self.flags = {"learning": True, "flood": True, "mcast_flood": True, "hairpin": False,
                      "guard": False, "root_block": False, "fastleave": False,
                      "bcast_flood": True, "mcast_to_unicast": False, "neigh_suppress": False,
                      "vlan_tunnel": False, "isolated": False, "locked": False,
                      "proxy_arp": False, "proxy_arp_wifi": False}

    @property
    def port_id(self) -> int:
        """br_make_port_id: the priority above BR_PORT_BITS (10) bits of port number."""
        return (self.priority << 10) | self.port_no


class BridgeDevice(NetDevice):
    kind = "bridge"
    netns_immutable = True      # br_dev_setup: a bridge never changes namespace

    def __init__(self, name: str, mac: bytes):
        super().__init__(name, mac)
        self.ports: dict[int, BridgePort] = {}   # by port device ifindex
        self.fdb: dict[bytes, FdbEntry] = {}
        self.ageing_time = 300.0
        self.stp_state = 0
        self.forward_delay = 15.0
        self.mac_set_by_user = False
        self.mtu_set_by_user = False
        # A fresh bridge's carrier was never turned off: up with no ports it is
        # UP,LOWER_UP and "state UNKNOWN" (no link event has computed an operstate).
        self.carrier = True
        self.had_ports = False
        # br->bridge_id.addr: zero until br_stp_change_bridge_id sets it (a port's MAC
        # taken, a MAC given at creation, or `ip link set br0 address`)
        self.bridge_id = bytes(6)
        self._next_port_no = 1
        self._gc_timer = None
        self._igmp_timer = None

    # -- carrier ---------------------------------------------------------
    def open(self) -> None:
        for p in self.ports.values():
            self._port_state(p)
        self._update_carrier()
        self._igmp_join()

    def stop(self) -> None:
        for p in self.ports.values():
            if p.state != BR_STATE_DISABLED:
                p.state = BR_STATE_DISABLED
                self._flush_port(p.dev, keep_local=True)
        if self._igmp_timer is not None:
            self._igmp_timer.cancel()
            self._igmp_timer = None
        if self.had_ports:
            core.netif_carrier_off(self)

    def _update_carrier(self) -> None:
        """br_port_carrier_check: carrier when a port forwards (once there were ports)."""
        if not self.had_ports:
            return
        if self.flags & IFF_UP and any(p.state == BR_STATE_FORWARDING for p in self.ports.values()):
            core.netif_carrier_on(self)
        else:
            core.netif_carrier_off(self)

    def mc_list(self) -> list[bytes]:
        """The device's multicast filter as `bridge fdb show` lists it (self entries)."""
        out = [b"\x33\x33\x00\x00\x00\x01"]
        if self.flags & IFF_UP:
            out += [b"\x01\x00\x5e\x00\x00\x6a", b"\x33\x33\x00\x00\x00\x6a",
                    b"\x01\x00\x5e\x00\x00\x01"]
        return out

    # -- multicast snooping: joining 224.0.0.106 sends IGMPv3 reports ------------
    def _igmp_join(self) -> None:
        self._send_igmp_report()
        world = self.net.world
        self._igmp_timer = world.sched.call_later(world.rng.random(), self._igmp_again)

    def _igmp_again(self) -> None:
        self._igmp_timer = None
        if self.flags & IFF_UP and not self.dead:
            self._send_igmp_report()

    def _send_igmp_report(self) -> None:
        if not self.net.sysctl_int("igmp_link_local_mcast_reports"):
            return     # igmpv3_send_report: 224.0.0.106 is link-local, reports for it are off
        src = 0
        if self.in_dev is not None:
            ifa = primary_ifa(self.in_dev)
            if ifa is not None:
                src = ifa.local
        group = 0xE000006A
        record = bytes([4, 0, 0, 0]) + group.to_bytes(4, "big")
        igmp = bytearray([0x22, 0, 0, 0, 0, 0, 0, 1]) + record
        igmp[2:4] = checksum(bytes(igmp)).to_bytes(2, "big")
        hdr = bytearray([0x46, 0xC0, 0, 0, 0, 0, 0x40, 0, 1, 2, 0, 0])
        hdr += src.to_bytes(4, "big") + (0xE0000016).to_bytes(4, "big") + bytes([0x94, 4, 0, 0])
        hdr[2:4] = (len(hdr) + len(igmp)).to_bytes(2, "big")
        hdr[4:6] = ip_select_ident(self.net).to_bytes(2, "big")
        hdr[10:12] = checksum(bytes(hdr)).to_bytes(2, "big")
        frame = eth_header(b"\x01\x00\x5e\x00\x00\x16", self.mac, ETH_P_IP) + bytes(hdr) + bytes(igmp)
        skb = self.net.world.new_skb(frame, self)
        core.trace(skb, self.net, "br_multicast", "igmp report", group="224.0.0.106")
        core.dev_queue_xmit(skb, self)

    def _port_state(self, p: BridgePort) -> None:
        dev = p.dev
        if self.flags & IFF_UP and dev.flags & IFF_UP and dev.carrier:
            new = BR_STATE_FORWARDING
        else:
            new = BR_STATE_DISABLED
        if new != p.state:
            p.state = new
            if new == BR_STATE_DISABLED:
                self._flush_port(dev, keep_local=True)
            if self.net is not None:
                self.net.link_changed(dev)
        self._update_carrier()

    def setport(self, dev: NetDevice, flags: dict, cost=None, priority=None,
                state=None) -> None:
        """br_setport: the port flags first (kept even when what follows fails), then
        br_stp_set_path_cost, br_stp_set_port_priority, br_set_port_state, each of which
        can refuse (NetdevError)."""
        p = self.ports[dev.ifindex]
        p.flags.update(flags)
        if cost is not None:
            if not 1 <= cost <= 65535:             # BR_MIN_PATH_COST..BR_MAX_PATH_COST
                raise NetdevError("ERANGE")
            p.cost = cost
        if priority is not None:
            if priority > 63:                      # BR_MAX_PORT_PRIORITY
                raise NetdevError("ERANGE")
            p.priority = priority
        if state is not None:
            if state > BR_STATE_BLOCKING:
                raise NetdevError("EINVAL")
            if self.stp_state == 1:                 # kernel STP running
                raise NetdevError("EBUSY")
            if not dev.flags & IFF_UP or (not dev.carrier and state != BR_STATE_DISABLED):
                raise NetdevError("ENETDOWN")
            # br_port_state_selection without STP: a blocking port forwards at once
            new = BR_STATE_FORWARDING if state == BR_STATE_BLOCKING else state
            if new != p.state:
                p.state = new
                if new == BR_STATE_DISABLED:
                    self._flush_port(dev, keep_local=True)
                self._update_carrier()
        if self.net is not None:
            self.net.link_changed(dev)

    def port_state_changed(self, dev: NetDevice) -> None:
        p = self.ports.get(dev.ifindex)
        if p is not None:
            self._port_state(p)

    port_carrier_changed = port_state_changed

    def port_mac_changed(self, dev: NetDevice) -> None:
        self._refresh_local_fdb()
        self._recalc_mac()

    def port_mtu_changed(self, dev: NetDevice) -> None:
        """br_device_event NETDEV_CHANGEMTU."""
        self.mtu_auto_adjust()

    def ndo_change_mtu(self, mtu: int) -> None:
        """br_change_mtu: an MTU set on the bridge is the user's (BROPT_MTU_SET_BY_USER)."""
        self.mtu_set_by_user = True

    def mtu_auto_adjust(self) -> None:
        """br_mtu_auto_adjust: unless the user set one, the smallest port MTU (1500 with no
        ports), through dev_set_mtu, whose br_change_mtu flag is then cleared again."""
        if self.mtu_set_by_user or self.net is None:
            return
        mtus = [p.dev.mtu for p in self.ports.values()]
        self.net.set_mtu(self, min(mtus) if mtus else 1500)
        self.mtu_set_by_user = False

    # -- ports -------------------------------------------------------------
    def add_port(self, dev: NetDevice) -> None:
        if dev.master is self:
            return
        if isinstance(dev, BridgeDevice):
            raise NetdevError("ELOOP", "Can not enslave a bridge to a bridge")
        if dev.type == 772:
            raise NetdevError("EINVAL")
        if dev.net is not self.net:
            raise NetdevError("EINVAL")
        if dev.master is not None:
            dev.master.del_port(dev)     # moving between bridges needs no nomaster
        p = BridgePort(dev, self._next_port_no)
        self._next_port_no += 1
        self.ports[dev.ifindex] = p
        self.had_ports = True
        dev.master = self
        dev.promiscuity += 1
        dev.allmulti += 1
        dev.rx_handler = self.handle_frame
        self.mtu_auto_adjust()
        self._refresh_local_fdb()
        self._recalc_mac()
        self.net.link_changed(dev)
        self._port_state(p)
        self._update_carrier()
        self.net.link_changed(self)

    def del_port(self, dev: NetDevice) -> None:
        p = self.ports.pop(dev.ifindex, None)
        if p is None:
            return
        dev.master = None
        dev.rx_handler = None
        dev.promiscuity = max(0, dev.promiscuity - 1)
        dev.allmulti = max(0, dev.allmulti - 1)
        self._flush_port(dev, keep_local=False)
        self._refresh_local_fdb()
        self._recalc_mac()
        self.mtu_auto_adjust()
        self._update_carrier()
        if self.net is not None:
            self.net.link_changed(dev)
            self.net.link_changed(self)

    def before_unregister(self) -> None:
        for p in list(self.ports.values()):
            self.del_port(p.dev)

    def _recalc_mac(self) -> None:
        """br_stp_recalculate_bridge_id: the smallest port MAC (zero with no ports),
        unless the MAC was set by hand."""
        if self.mac_set_by_user:
            return
        want = min(p.dev.mac for p in self.ports.values()) if self.ports else bytes(6)
        if want == self.bridge_id:
            return                              # no change
        self.bridge_id = want                   # br_stp_change_bridge_id
        if want != self.mac:
            self.mac = want
            self._refresh_local_fdb()
            if self.net is not None:
                self.net.link_changed(self)

    def _refresh_local_fdb(self) -> None:
        now = self.net.world.sched.now if self.net is not None else 0.0
        for mac in [m for m, e in self.fdb.items() if e.local]:
            del self.fdb[mac]
        for p in self.ports.values():
            self.fdb[p.dev.mac] = FdbEntry(p.dev.mac, p.dev, True, True, now)

    def _flush_port(self, dev: NetDevice, keep_local: bool) -> None:
        for mac in [m for m, e in self.fdb.items()
                    if e.port is dev and not (keep_local and e.local) and not e.static]:
            del self.fdb[mac]
        if not keep_local:
            for mac in [m for m, e in self.fdb.items() if e.port is dev]:
                del self.fdb[mac]

    def set_user_mac(self, mac: bytes) -> None:
        """`ip link set br0 address ...` (br_set_mac_address -> br_stp_change_bridge_id):
        the bridge id follows, and the MAC stays put from now on."""
        self.bridge_id = mac
        self.mac_set_by_user = True

    def own_fdb_entry(self) -> bool:
        """Is there a `dev br0 master br0 permanent` entry (MAC not borrowed from a port)?"""
        return any(self.mac) and all(p.dev.mac != self.mac for p in self.ports.values())

    # -- forwarding ----------------------------------------------------------
    def _learn(self, port: BridgePort, mac: bytes) -> None:
        if mac[0] & 1 or not port.flags["learning"]:
            return
        now = self.net.world.sched.now
        e = self.fdb.get(mac)
        if e is None:
            self.fdb[mac] = FdbEntry(mac, port.dev, False, False, now)
            self._arm_gc()
        elif not e.local and not e.static:
            e.port = port.dev
            e.updated = now

    def _arm_gc(self) -> None:
        if self._gc_timer is None and self.net is not None:
            self._gc_timer = self.net.world.sched.call_later(self.ageing_time / 2, self._gc)

    def _gc(self) -> None:
        self._gc_timer = None
        now = self.net.world.sched.now
        for mac in [m for m, e in self.fdb.items()
                    if not e.local and not e.static and now - e.updated >= self.ageing_time]:
            del self.fdb[mac]
        if any(not e.local and not e.static for e in self.fdb.values()):
            self._arm_gc()

    def lookup(self, mac: bytes) -> Optional[FdbEntry]:
        e = self.fdb.get(mac)
        if e is not None and not e.local and not e.static:
            if self.net.world.sched.now - e.updated >= self.ageing_time:
                del self.fdb[mac]
                return None
        return e

    def handle_frame(self, skb: "SkBuff", dev: NetDevice) -> bool:
        """br_handle_frame: True when the bridge consumed the frame."""
        port = self.ports.get(dev.ifindex)
        if port is None:
            return False
        net = self.net
        data = skb.data
        if port.state not in (BR_STATE_FORWARDING, BR_STATE_LEARNING):
            core.drop(skb, "BRIDGE_INGRESS_STP_STATE", "br_handle_frame", dev)
            return True
        src = data[6:12]
        dst = data[0:6]
        self._learn(port, src)
        if port.state == BR_STATE_LEARNING:
            return True
        if dst == self.mac:
            self._deliver_local(skb, PACKET_HOST)
            return True
        core.trace(skb, net, "br_handle_frame", "bridge", dev=dev.name, bridge=self.name)
        if dst[0] & 1:
            self._flood(skb, exclude=dev)
            self._deliver_local(skb, PACKET_HOST if dst != b"\xff" * 6 else 1)
            return True
        e = self.lookup(dst)
        if e is not None and e.local:
            self._deliver_local(skb, PACKET_HOST)
            return True
        if e is not None and e.port is not None:
            if e.port is dev and not port.flags["hairpin"]:
                core.drop(skb, "NOT_SPECIFIED", "br_forward", dev)
                return True
            self._forward(skb, e.port)
            return True
        self._flood(skb, exclude=dev)
        return True

    def _deliver_local(self, skb: "SkBuff", pkt_type: int) -> None:
        if not self.flags & IFF_UP:
            return
        c = self.net.world.new_skb(skb.data, self, cause=skb.id, trace=skb.trace)
        c.dst_pending_confirm = skb.dst_pending_confirm
        self.stats.rx_packets += 1
        self.stats.rx_bytes += len(skb.data)
        c.dev = self
        core.eth_type_trans(c, self)
        self.net.world.backlog_enqueue(c)

    def _forward(self, skb: "SkBuff", out: NetDevice) -> None:
        p = self.ports.get(out.ifindex)
        if p is None or p.state != BR_STATE_FORWARDING:
            return
        c = self.net.world.new_skb(skb.data, out, cause=skb.id, trace=skb.trace)
        c.dst_pending_confirm = skb.dst_pending_confirm
        core.trace(c, self.net, "br_forward", "forwarded", dev=out.name, bridge=self.name)
        core.dev_queue_xmit(c, out)

    def _flood(self, skb: "SkBuff", exclude: Optional[NetDevice]) -> int:
        """br_flood: a copy out of every forwarding port; how many went."""
        # br->port_list has the newest port first
        sent = 0
        for p in reversed(list(self.ports.values())):
            if p.dev is exclude or p.state != BR_STATE_FORWARDING or not p.flags["flood"]:
                continue
            self._forward(skb, p.dev)
            sent += 1
        return sent

    # -- the bridge as a device the host sends through ---------------------------
    def start_xmit(self, skb: "SkBuff") -> bool:
        """br_dev_xmit."""
        self.stats.tx_packets += 1
        self.stats.tx_bytes += len(skb.data)
        dst = skb.data[0:6]
        if dst[0] & 1:
            if not self._flood(skb, exclude=None):
                core.drop(skb, "NO_TX_TARGET", "br_dev_xmit", self)   # no port to go to
            return True
        if dst == self.mac:
            return True
        e = self.lookup(dst)
        if e is not None and e.port is not None and not e.local:
            self._forward(skb, e.port)
        elif e is not None and e.local:
            pass
        elif not self._flood(skb, exclude=None):
            core.drop(skb, "NO_TX_TARGET", "br_dev_xmit", self)
        return True
