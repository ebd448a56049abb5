"""A network namespace (struct net): devices, addresses, routes, neighbours, sysctls.

Device lifecycle follows net/core/dev.c and the notifier chains it drives:
`dev_open` (NETDEV_UP: kernel routes added), `dev_close` (NETDEV_DOWN: routes
through the device die, neighbours flushed), `unregister` (NETDEV_UNREGISTER:
addresses destroyed; a veth takes its peer along, wherever the peer lives).
Interface indexes are allocated cyclically per namespace, as
xa_alloc_cyclic does, so a deleted index is not reused at once.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Optional

# The protocols register their handlers with the core when imported (inet_init,
# arp_init, inet6_init, icmp's inet_add_protocol): a namespace needs them all.
from . import addrconf, arp, core, fib, fib_frontend, icmp, ip, ip6_input, tcp_ipv4, udp  # noqa: F401  (registration on import)
from .devinet import AddrError, InDevice, InIfaddr, inet_del_ifa, inet_insert_ifa
from .drivers import LoopbackDevice, VethDevice
from .events import AddrEvent, LinkEvent, NeighEvent, RouteEvent, SysctlEvent
from .inet import INADDR_LOOPBACK, RT_SCOPE_HOST, ntoa
from .neighbour import NeighTable, neigh_ifdown, nud_name
from .netdev import IFF_LOOPBACK, IFF_UP, NetDevice, NetdevError, dev_valid_name
from .proc_sysctl import SysctlTree
from .sysctl import (IPV4_DEVCONF, IPV4_GLOBALS, IPV6_DEVCONF, NEIGH_DEFAULTS, DevConf, File,
                     NeighParms, SysctlError, dotted_to_parts, ipv6_conf_all, ipv6_conf_for_dev,
                     ipv6_mtu_changed)

if TYPE_CHECKING:  # pragma: no cover
    from .skb import SkBuff
    from .world import World

__all__ = ["Net", "NetdevError", "dev_valid_name"]


class Net:
    def __init__(self, world: "World", name: str = "", hidden: bool = False,
                 sysctl_profile: Optional[dict[str, str]] = None):
        self.world = world
        self.is_init = False        # init_net: only it has net.ipv4.neigh.default
        # "" for the lab's initial namespace; a plain str (the shell's words are a str
        # subclass the cyclic GC tracks, and every trace event and drop names the namespace)
        self.name = str(name)
        # net_cookie (net/core/net_namespace.c): a namespace's identity, from a
        # generator that never gives the same number twice, unlike its name
        self.net_cookie = world.next_net_cookie()
        self.hidden = hidden        # LAN peers: not listed by `ip netns`
        self.devices: dict[int, NetDevice] = {}
        self.by_name: dict[str, NetDevice] = {}
        self._next_ifindex = 1
        self.fib_tables: dict[int, fib.FibTable] = {
            fib.RT_TABLE_LOCAL: fib.FibTable(fib.RT_TABLE_LOCAL),
            fib.RT_TABLE_MAIN: fib.FibTable(fib.RT_TABLE_MAIN),
        }
        self.fib_has_custom_local_routes = False
        self.rt_cache: dict = {}       # output routes (ip_route_output)
        self.rt_cache_in: dict = {}    # input routes (ip_route_input)
        self.fnhe: dict = {}           # route exceptions: daddr -> [path MTU, expiry, stale]
        self.frag_queues: dict = {}
        self.routes6: list = []
        self.dev_addr_genid = 0
        self.arp_tbl = NeighTable(self)
        self.devconf_all = DevConf({k: v[0] for k, v in IPV4_DEVCONF.items()})
        self.devconf_dflt = DevConf({k: v[1] for k, v in IPV4_DEVCONF.items()})
        self.ipv4_sysctl = dict(IPV4_GLOBALS)
        self.neigh_dflt = NeighParms(NEIGH_DEFAULTS)
        self.neigh_gc: dict[str, str] = {}
        self.ipv6_all = ipv6_conf_all()
        self.ipv6_dflt = dict(IPV6_DEVCONF)
        self.neigh_reach: dict[int, tuple[int, float, float]] = {}  # neigh_rand_reach_time's draws
        self.raw_sockets: list = []
        self.taps: list = []
        self.nf_hooks_ipv4 = core.nf_hook_lists()   # netfilter's five IPv4 hook points
        self.peer_ids: dict[int, int] = {}   # id(other Net) -> netnsid
        self.ip_id = world.rng.randrange(65536)   # ip_select_ident's counter
        self.inet_peers: dict = {}                 # inet_peer_xrlim_allow's buckets
        self.sysctl = SysctlTree(self)
        self.loopback_dev = LoopbackDevice()
        self.register(self.loopback_dev, ifindex=1)
        if sysctl_profile:
            for path, value in sysctl_profile.items():
                self.write_sysctl(path, value)

    # -- naming -----------------------------------------------------------
    @property
    def display_name(self) -> str:
        return self.name or "host"

    def __repr__(self) -> str:
        return f"<Net {self.display_name}>"

    # -- devices ----------------------------------------------------------
    def devices_in_order(self) -> list[NetDevice]:
        return [self.devices[i] for i in sorted(self.devices)]

    def dev_by_index(self, ifindex: int) -> Optional[NetDevice]:
        return self.devices.get(ifindex)

    def dev_by_name(self, name: str) -> Optional[NetDevice]:
        return self.by_name.get(name)

    def alloc_ifindex(self, want: int = 0) -> int:
        if want:
            if want in self.devices:
                raise NetdevError("EBUSY")
            return want
        i = self._next_ifindex
        while i in self.devices:
            i += 1
        self._next_ifindex = i + 1
        return i

    def register(self, dev: NetDevice, ifindex: int = 0) -> None:
        """register_netdevice: name check, index, conf blocks copied from default."""
        if not dev_valid_name(dev.name):
            raise NetdevError("EINVAL")
        if dev.name in self.by_name:
            raise NetdevError("EEXIST")
        # dev_index_reserve: an asked-for index is xa_insert()ed; it does not move the
        # cyclic allocator's cursor (net->ifindex), so later devices still fill from below
        dev.ifindex = self.alloc_ifindex(ifindex)
        dev.net = self
        dev.dead = False
        self.devices[dev.ifindex] = dev
        self.by_name[dev.name] = dev
        self._attach_conf(dev)
        self.notify_link(dev, "new")

    def _attach_conf(self, dev: NetDevice) -> None:
        # inetdev_init copies conf/default whole, including which keys were written
        # there: those stay pinned on the new device when default changes later
        cnf = DevConf(self.devconf_dflt.data)
        cnf.state = set(self.devconf_dflt.state)
        dev.in_dev = InDevice(dev, cnf)
        dev.neigh_parms = NeighParms(self.neigh_dflt.data)
        dev.neigh_parms.state = set(self.neigh_dflt.state)
        dev.ipv6_cnf = ipv6_conf_for_dev(self.ipv6_dflt, dev)
        if dev.type == 772:           # inetdev_init: loopback has NOXFRM and NOPOLICY
            cnf.data["disable_policy"] = cnf.data["disable_xfrm"] = 1

    def alloc_name(self, pattern: str) -> str:
        """dev_alloc_name: the first free `pattern % n`."""
        n = 0
        while (pattern % n) in self.by_name:
            n += 1
        return pattern % n

    def create_veth(self, name: Optional[str], peer_name: Optional[str],
                    peer_net: Optional["Net"] = None, mac: Optional[bytes] = None,
                    peer_mac: Optional[bytes] = None, mtu: Optional[int] = None,
                    peer_mtu: Optional[int] = None, ifindex: int = 0,
                    peer_ifindex: int = 0) -> tuple[VethDevice, VethDevice]:
        """veth_newlink: the peer is made and registered first (it gets the lower index)."""
        peer_net = peer_net or self
        world = self.world
        # the peer is allocated and registered first: an unnamed peer takes veth%d
        pname = peer_name or peer_net.alloc_name("veth%d")
        if not dev_valid_name(pname):
            raise NetdevError("EINVAL")
        if pname in peer_net.by_name:
            raise NetdevError("EEXIST")
        pmac = peer_mac or world.random_mac()
        peer = VethDevice(pname, pmac)
        if peer_mac:
            peer.addr_assign_type = "set"
        if peer_mtu:
            peer.mtu = peer_mtu
        peer_net.register(peer, ifindex=peer_ifindex)
        dname = name or self.alloc_name("veth%d")
        dmac = mac or world.random_mac()
        dev = VethDevice(dname, dmac)
        if mac:
            dev.addr_assign_type = "set"
        if mtu:
            dev.mtu = mtu
        try:
            self.register(dev, ifindex=ifindex)
        except NetdevError:
            # the peer's index stays used up, as in the kernel
            peer_net.unregister(peer, _peer_done=True)
            raise
        dev.peer = peer
        peer.peer = dev
        self.notify_link(dev, "change")
        peer_net.notify_link(peer, "change")
        return dev, peer

    def move_device(self, dev: NetDevice, target: "Net", new_name: Optional[str] = None) -> None:
        """dev_change_net_namespace: close, strip IPv4 state, keep the index if free."""
        name = new_name or dev.name
        if dev.flags & IFF_LOOPBACK or getattr(dev, "netns_immutable", False):
            raise NetdevError("EINVAL", "The interface netns is immutable")
        if name in target.by_name:
            raise NetdevError("EEXIST", "An interface with the same name exists in the target netns")
        self.dev_close(dev)
        in_dev = dev.in_dev
        if in_dev is not None:
            in_dev.dead = True
            for ifa in list(in_dev.ifa_list):
                inet_del_ifa(in_dev, ifa)
        fib_frontend.fib_disable_ip(dev, "unregister", force=True)
        for s in list(self.raw_sockets):
            if s.bound_dev_if == dev.ifindex:
                s.dev_gone()
        del self.devices[dev.ifindex]
        del self.by_name[dev.name]
        self.peernet2id(target)   # RTM_DELLINK here carries IFLA_NEW_NETNSID
        self.notify_link(dev, "del")
        dev.qdisc = "noop"        # dev_shutdown: the qdiscs go with the old namespace
        for tap in list(self.taps):
            tap.device_gone(dev)
        if dev.master is not None and hasattr(dev.master, "del_port"):
            dev.master.del_port(dev)
        dev.name = str(name)
        want = dev.ifindex if dev.ifindex not in target.devices else 0
        dev.ifindex = target.alloc_ifindex(want)
        if want and want >= target._next_ifindex:
            pass
        dev.net = target
        target.devices[dev.ifindex] = dev
        target.by_name[dev.name] = dev
        addrconf.flush_device(dev)
        target._attach_conf(dev)
        target.notify_link(dev, "new")
        peer = getattr(dev, "peer", None)
        if peer is not None and peer.net is not None:
            peer.net.notify_link(peer, "change")

    def dev_open(self, dev: NetDevice) -> None:
        if dev.flags & IFF_UP:
            return
        dev.flags |= IFF_UP
        if dev.qdisc == "noop":
            dev.qdisc = dev.default_qdisc
        dev.ever_up = True
        dev.open()
        fib_frontend.fib_netdev_up(dev)
        if dev.flags & IFF_LOOPBACK and dev.in_dev is not None:
            # inetdev_event NETDEV_UP on lo: 127.0.0.1/8 appears by itself, and
            # ipv4_devconf_setall pins lo's conf (default no longer flows into it)
            dev.in_dev.cnf.state.update(dev.in_dev.cnf.data)
            dev.neigh_parms.state.update(dev.neigh_parms.data)
            ifa = InIfaddr(INADDR_LOOPBACK, 8, scope=RT_SCOPE_HOST, label=dev.name)
            try:
                inet_insert_ifa(dev.in_dev, ifa)
            except AddrError:
                pass
        self.ipv6_link_state(dev)
        self.notify_link(dev, "change")
        if dev.master is not None and hasattr(dev.master, "port_state_changed"):
            dev.master.port_state_changed(dev)
        arp.arp_notify(dev)

    def dev_close(self, dev: NetDevice) -> None:
        if not dev.flags & IFF_UP:
            return
        dev.flags &= ~IFF_UP
        dev.stop()
        fib_frontend.fib_disable_ip(dev, "down", force=False)
        self.ipv6_link_state(dev)
        self.notify_link(dev, "change")
        if dev.master is not None and hasattr(dev.master, "port_state_changed"):
            dev.master.port_state_changed(dev)

    def unregister(self, dev: NetDevice, _peer_done: bool = False) -> None:
        """unregister_netdevice: close, destroy IPv4 state, vanish (veth: both ends)."""
        if dev.dead:
            return
        if hasattr(dev, "before_unregister"):
            dev.before_unregister()
        self.dev_close(dev)
        # NETDEV_UNREGISTER: br_device_event -> br_del_if, the port leaves its bridge
        if dev.master is not None and hasattr(dev.master, "del_port"):
            dev.master.del_port(dev)
        dev.dead = True
        in_dev = dev.in_dev
        if in_dev is not None:
            in_dev.dead = True
            for ifa in list(in_dev.ifa_list):
                inet_del_ifa(in_dev, ifa)
        fib_frontend.fib_disable_ip(dev, "unregister", force=True)
        for s in list(self.raw_sockets):
            if s.bound_dev_if == dev.ifindex:
                s.dev_gone()
        addrconf.flush_device(dev)
        del self.devices[dev.ifindex]
        del self.by_name[dev.name]
        dev.in_dev = None
        self.notify_link(dev, "del")
        for tap in list(self.taps):
            tap.device_gone(dev)
        if isinstance(dev, VethDevice) and dev.peer is not None and not _peer_done:
            peer = dev.peer
            dev.peer = None
            peer.peer = None
            if peer.net is not None and not peer.dead:
                peer.net.unregister(peer, _peer_done=True)
                peer.peer = None

    def change_name(self, dev: NetDevice, new: str) -> None:
        if new == dev.name:
            return
        if not dev_valid_name(new):
            raise NetdevError("EINVAL")
        # Linux 6.18 renames devices that are up (IFF_LIVE_RENAME_OK or not)
        if new in self.by_name:
            raise NetdevError("EEXIST")
        del self.by_name[dev.name]
        dev.name = new = str(new)
        self.by_name[new] = dev
        self.notify_link(dev, "change")

    def set_mtu(self, dev: NetDevice, mtu: int) -> None:
        if mtu < dev.min_mtu:
            raise NetdevError("EINVAL", "mtu less than device minimum")
        if dev.max_mtu and mtu > dev.max_mtu:
            raise NetdevError("EINVAL", "mtu greater than device maximum")
        if mtu == dev.mtu:
            return
        change = getattr(dev, "ndo_change_mtu", None)
        if change is not None:
            change(mtu)
        dev.mtu = mtu
        ipv6_mtu_changed(dev)          # sysctl.py: net.ipv6.conf.DEV.mtu follows
        self.rt_cache_flush()
        self.notify_link(dev, "change")
        if dev.master is not None and hasattr(dev.master, "port_mtu_changed"):
            dev.master.port_mtu_changed(dev)

    def set_mac(self, dev: NetDevice, mac: bytes) -> None:
        if mac[0] & 1 or mac == bytes(6):
            raise NetdevError("EADDRNOTAVAIL")
        if mac == dev.mac:
            return
        dev.mac = mac
        dev.addr_assign_type = "set"
        if hasattr(dev, "set_user_mac"):
            dev.set_user_mac(mac)
        self.notify_link(dev, "change")
        # NETDEV_CHANGEADDR: neighbours learnt on the device are flushed, then arp_notify
        neigh_ifdown(self, dev, skip_perm=False)
        self.rt_cache_flush()
        arp.arp_notify(dev)
        if dev.master is not None and hasattr(dev.master, "port_mac_changed"):
            dev.master.port_mac_changed(dev)

    # -- addresses ---------------------------------------------------------
    def add_address(self, dev: NetDevice, ifa: InIfaddr) -> None:
        inet_insert_ifa(dev.in_dev, ifa)

    def del_address(self, dev: NetDevice, ifa: InIfaddr) -> None:
        inet_del_ifa(dev.in_dev, ifa)

    # -- sysctls -------------------------------------------------------------
    def sysctl_int(self, key: str) -> int:
        return int(self.ipv4_sysctl[key])

    def write_sysctl(self, path: str, value: str) -> None:
        node = self.sysctl.resolve(dotted_to_parts(path))
        if not isinstance(node, File) or node.set is None:
            raise SysctlError("EPERM")
        node.set(value)

    def devconf_write(self, cnf: DevConf, key: str, val: int, dev) -> None:
        old = cnf.data[key]
        cnf.data[key] = val
        cnf.state.add(key)
        if key == "forwarding":
            if cnf is self.devconf_all and val != old:
                # inet_forward_change: every device and default follow
                self.devconf_all.data["accept_redirects"] = 0 if val else 1
                self.devconf_dflt.data["forwarding"] = val
                for d in self.devices.values():
                    if d.in_dev is not None:
                        d.in_dev.cnf.data["forwarding"] = val
            self.rt_cache_flush()
        if cnf is self.devconf_dflt and key != "forwarding":
            # devinet_copy_dflt_conf (forwarding has its own handler, which does not)
            for d in self.devices.values():
                if d.in_dev is not None and key not in d.in_dev.cnf.state:
                    d.in_dev.cnf.data[key] = val
        # The kernel flushes only for some keys; input answers here are cached
        # by this model for every key, so any write empties the caches.
        self.rt_cache_flush()
        where = "all" if cnf is self.devconf_all else "default" if cnf is self.devconf_dflt else (
            dev.name if dev is not None else "?")
        self.sysctl_changed(["ipv4", "conf", where, key])

    def neigh_parms_write(self, parms: NeighParms, key: str, val: int) -> None:
        parms.data[key] = val
        parms.state.add(key)
        if parms is self.neigh_dflt:
            for d in self.devices.values():
                if d.neigh_parms is not None and key not in d.neigh_parms.state:
                    d.neigh_parms.data[key] = val
        if key == "base_reachable_time":
            self.neigh_reach.clear()
        self.sysctl_changed(["ipv4", "neigh", key])

    def ipv6_conf_write(self, cnf: dict[str, int], key: str, val: int, dev) -> None:
        cnf[key] = val
        if dev is not None and key in ("disable_ipv6",):
            pass
        if key == "disable_ipv6":
            if cnf is self.ipv6_all:
                self.ipv6_dflt[key] = val
                for d in self.devices.values():
                    d.ipv6_cnf[key] = val
                    self.ipv6_link_state(d)
            elif dev is not None:
                self.ipv6_link_state(dev)
        elif key == "forwarding":
            # addrconf_fixup_forwarding: all's value goes to default and every device
            if cnf is self.ipv6_all:
                self.ipv6_dflt[key] = val
                for d in list(self.devices.values()):
                    d.ipv6_cnf[key] = val
                    addrconf.dev_forward_change(d)
            elif dev is not None:
                addrconf.dev_forward_change(dev)
        where = "all" if cnf is self.ipv6_all else "default" if cnf is self.ipv6_dflt else (
            dev.name if dev is not None else "?")
        self.sysctl_changed(["ipv6", "conf", where, key])

    def ipv6_link_state(self, dev: NetDevice) -> None:
        """addrconf: ::1 on lo, fe80:: EUI-64 with DAD on links with carrier."""
        addrconf.link_state(dev)

    # -- routing helpers -----------------------------------------------------
    def rt_cache_flush(self) -> None:
        self.rt_cache.clear()
        self.rt_cache_in.clear()
        # rt_cache_flush bumps the route genid: rt_bind_exception then resets the
        # exceptions it finds (their path MTU forgotten; route.fnhe_pmtu)
        for e in self.fnhe.values():
            e[2] = True

    # -- capture ----------------------------------------------------------
    def tap(self, dev: NetDevice, skb: "SkBuff", direction: str) -> None:
        for t in self.taps:
            t.see(dev, skb, direction)

    # -- notifications (rtnetlink) -------------------------------------------
    def notify_link(self, dev: NetDevice, action: str) -> None:
        self.rt_cache_flush()
        # rtnl_fill_ifinfo: describing a veth whose peer is elsewhere allocates a
        # netnsid for the peer's namespace (peernet2id_alloc), listener or not
        peer = getattr(dev, "peer", None)
        if peer is not None and peer.net is not None and peer.net is not self and action != "del":
            self.peernet2id(peer.net)
        bus = self.world.bus
        if bus.active:
            bus.publish(LinkEvent(self.display_name, self.net_cookie, dev.ifindex, dev.name, action))

    def link_changed(self, dev: NetDevice) -> None:
        self.notify_link(dev, "change")

    def notify_addr(self, dev: NetDevice, ifa: InIfaddr, action: str) -> None:
        self.dev_addr_genid += 1
        self.rt_cache_flush()
        bus = self.world.bus
        if bus.active:
            bus.publish(AddrEvent(self.display_name, self.net_cookie, dev.ifindex,
                                  f"{ntoa(ifa.local)}/{ifa.prefixlen}", action))

    def route_changed(self, table: int, fa, action: str) -> None:
        self.rt_cache_flush()
        if table == fib.RT_TABLE_LOCAL and fa.info.protocol != fib.RTPROT_KERNEL:
            self.fib_has_custom_local_routes = True
        bus = self.world.bus
        if bus.active:
            bus.publish(RouteEvent(self.display_name, self.net_cookie, table, f"{ntoa(fa.dst)}/{fa.dst_len}", action))

    def notify_neigh(self, n, action: str) -> None:
        bus = self.world.bus
        if bus.active:
            bus.publish(NeighEvent(self.display_name, self.net_cookie, n.dev.ifindex, n.key_text,
                                   nud_name(n.nud_state), action))

    def sysctl_changed(self, parts: list[str]) -> None:
        bus = self.world.bus
        if bus.active:
            bus.publish(SysctlEvent(self.display_name, self.net_cookie, "net." + ".".join(parts), ""))

    # -- netnsid --------------------------------------------------------------
    def peernet2id(self, other: "Net", alloc: bool = True) -> int:
        """peernet2id_alloc: the id this namespace uses for `other` (-1 if none)."""
        key = id(other)
        if key in self.peer_ids:
            return self.peer_ids[key]
        if not alloc:
            return -1
        nid = 0
        used = set(self.peer_ids.values())
        while nid in used:
            nid += 1
        self.peer_ids[key] = nid
        self._peer_objs = getattr(self, "_peer_objs", {})
        self._peer_objs[nid] = other
        return nid

    def forget_peer(self, other: "Net") -> None:
        nid = self.peer_ids.pop(id(other), None)
        if nid is not None:
            getattr(self, "_peer_objs", {}).pop(nid, None)
