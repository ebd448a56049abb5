"""IPv4 addresses on a device (net/ipv4/devinet.c).

The list order, the primary/secondary split, what deleting a primary does to
its secondaries (promote_secondaries) and the FIB updates each change causes
follow __inet_insert_ifa and __inet_del_ifa.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Callable, Optional

from .inet import (RT_SCOPE_HOST, RT_SCOPE_LINK, ntoa, prefix_mask)
from .sysctl import DevConf, in_dev_conf

if TYPE_CHECKING:  # pragma: no cover
    from .netdev import NetDevice

IFA_F_SECONDARY = 0x01
IFA_F_NOPREFIXROUTE = 0x200
IFA_F_PERMANENT = 0x80


class InIfaddr:
    __slots__ = ("local", "address", "prefixlen", "mask", "broadcast", "scope", "label",
                 "flags", "in_dev", "rt_priority", "valid_lft", "preferred_lft")

    def __init__(self, local: int, prefixlen: int, broadcast: int = 0, scope: int = 0,
                 label: str = "", address: Optional[int] = None, flags: int = IFA_F_PERMANENT):
        self.local = local
        self.address = local if address is None else address  # peer address for ptp
        self.prefixlen = prefixlen
        self.mask = prefix_mask(prefixlen)
        self.broadcast = broadcast
        self.scope = scope
        self.label = label
        self.flags = flags
        self.in_dev: Optional["InDevice"] = None
        self.rt_priority = 0
        self.valid_lft = None      # None = forever
        self.preferred_lft = None

    @property
    def secondary(self) -> bool:
        return bool(self.flags & IFA_F_SECONDARY)

    def match(self, addr: int) -> bool:
        """inet_ifa_match: is `addr` inside this address's prefix?"""
        return (addr ^ self.address) & self.mask == 0

    def __repr__(self) -> str:
        return f"<ifa {ntoa(self.local)}/{self.prefixlen}{' sec' if self.secondary else ''}>"


class InDevice:
    """struct in_device: the device's IPv4 state."""

    def __init__(self, dev: "NetDevice", cnf: DevConf):
        self.dev = dev
        self.cnf = cnf
        self.ifa_list: list[InIfaddr] = []
        self.dead = False

    def conf(self, key: str) -> int:
        """The effective value of an ipv4 conf key for this device (IN_DEV_*)."""
        return in_dev_conf(self.dev.net, self.cnf, key)


# ---------------------------------------------------------------- insert / delete

class AddrError(Exception):
    def __init__(self, errno: str, msg: str = ""):
        super().__init__(msg or errno)
        self.errno = errno
        self.msg = msg


# inetaddr_chain (register_inetaddr_notifier): `fn(event, ifa, iprim)` hears
# NETDEV_UP and NETDEV_DOWN for every address; the FIB listens (fib_inetaddr_event).
# __inet_del_ifa also calls fib_del_ifaddr and fib_add_ifaddr for the secondaries
# around a promotion: those reach the same listeners as PROMOTE_DEL (with the
# deleted primary as `iprim`) and PROMOTE_ADD.
NETDEV_UP = "up"
NETDEV_DOWN = "down"
PROMOTE_DEL = "promote_del"
PROMOTE_ADD = "promote_add"
inetaddr_chain: list[Callable[[str, "InIfaddr", Optional["InIfaddr"]], None]] = []


def register_inetaddr_notifier(fn: Callable[[str, "InIfaddr", Optional["InIfaddr"]], None]) -> None:
    inetaddr_chain.append(fn)


def _notify(event: str, ifa: "InIfaddr", iprim: Optional["InIfaddr"] = None) -> None:
    for fn in inetaddr_chain:
        fn(event, ifa, iprim)


def inet_insert_ifa(in_dev: InDevice, ifa: InIfaddr) -> None:
    """__inet_insert_ifa: find the primary for the prefix, place, notify the FIB."""
    ifa.flags &= ~IFA_F_SECONDARY
    lst = in_dev.ifa_list
    last_primary = 0
    for i, ifa1 in enumerate(lst):
        if not ifa1.secondary and ifa.scope <= ifa1.scope:
            last_primary = i + 1
        if ifa1.mask == ifa.mask and ifa.match(ifa1.address):
            if ifa1.local == ifa.local:
                raise AddrError("EEXIST", "ipv4: Address already assigned.")
            if ifa1.scope != ifa.scope:
                raise AddrError("EINVAL", "ipv4: Invalid scope value.")
            ifa.flags |= IFA_F_SECONDARY
    ifa.in_dev = in_dev
    if ifa.secondary:
        lst.append(ifa)
    else:
        lst.insert(last_primary, ifa)
    net = in_dev.dev.net
    net.notify_addr(in_dev.dev, ifa, "new")
    _notify(NETDEV_UP, ifa)


def inet_del_ifa(in_dev: InDevice, ifa1: InIfaddr) -> None:
    """__inet_del_ifa: deleting a primary takes its secondaries along unless promoted."""
    lst = in_dev.ifa_list
    net = in_dev.dev.net
    promote: Optional[InIfaddr] = None
    do_promote = in_dev.conf("promote_secondaries")
    idx = lst.index(ifa1)
    last_prim = idx
    prev_prom_idx = None
    if not in_dev.dead and not ifa1.secondary:
        i = idx + 1
        while i < len(lst):
            ifa = lst[i]
            if not ifa.secondary and ifa1.scope <= ifa.scope:
                last_prim = i
            if not ifa.secondary or ifa1.mask != ifa.mask or not ifa1.match(ifa.address):
                prev_prom_idx = i
                i += 1
                continue
            if not do_promote:
                del lst[i]
                net.notify_addr(in_dev.dev, ifa, "del")
                _notify(NETDEV_DOWN, ifa)
                continue
            promote = ifa
            break
        if promote is not None:
            start = lst.index(promote)
            for ifa in lst[start:]:
                if ifa1.mask == ifa.mask and ifa1.match(ifa.address):
                    _notify(PROMOTE_DEL, ifa, ifa1)
    lst.remove(ifa1)
    net.notify_addr(in_dev.dev, ifa1, "del")
    _notify(NETDEV_DOWN, ifa1)
    if promote is not None:
        pos = lst.index(promote)
        if prev_prom_idx is not None:
            # move the promoted address right after the last primary
            del lst[pos]
            insert_at = min(last_prim, len(lst))
            lst.insert(insert_at, promote)
            pos = insert_at
        promote.flags &= ~IFA_F_SECONDARY
        net.notify_addr(in_dev.dev, promote, "new")
        _notify(NETDEV_UP, promote)
        for ifa in lst[pos + 1:]:
            if ifa1.mask != ifa.mask or not ifa1.match(ifa.address):
                continue
            _notify(PROMOTE_ADD, ifa)


# ---------------------------------------------------------------- lookups

def inet_ifa_byprefix(in_dev: InDevice, prefix: int, mask: int) -> Optional[InIfaddr]:
    for ifa in in_dev.ifa_list:
        if not ifa.secondary and ifa.mask == mask and (prefix ^ ifa.address) & mask == 0:
            return ifa
    return None


def primary_ifa(in_dev: InDevice) -> Optional[InIfaddr]:
    for ifa in in_dev.ifa_list:
        if not ifa.secondary:
            return ifa
    return None


def inet_select_addr(dev: "NetDevice", dst: int, scope: int) -> int:
    """Pick a source address on `dev` for `dst` within `scope`, else any device's."""
    in_dev = dev.in_dev
    addr = 0
    if in_dev is not None:
        localnet_scope = RT_SCOPE_LINK if in_dev.conf("route_localnet") else RT_SCOPE_HOST
        for ifa in in_dev.ifa_list:
            if ifa.secondary:
                continue
            if min(ifa.scope, localnet_scope) > scope:
                continue
            if not dst or ifa.match(dst):
                addr = ifa.local
                break
            if not addr:
                addr = ifa.local
        if addr:
            return addr
    # Not on that device: the first device (lo first) with a usable primary.
    for d in dev.net.devices_in_order():
        idev = d.in_dev
        if idev is None:
            continue
        for ifa in idev.ifa_list:
            if ifa.secondary:
                continue
            if ifa.scope != RT_SCOPE_LINK and ifa.scope <= scope:
                return ifa.local
    return 0


def confirm_addr_indev(in_dev: InDevice, dst: int, local: int, scope: int) -> int:
    """confirm_addr_indev: an address on the device matching local/dst within scope."""
    localnet_scope = RT_SCOPE_LINK if in_dev.conf("route_localnet") else RT_SCOPE_HOST
    addr = 0
    same = False
    for ifa in in_dev.ifa_list:
        min_scope = min(ifa.scope, localnet_scope)
        if not addr and (local == ifa.local or not local) and min_scope <= scope:
            addr = ifa.local
            if same:
                break
        if not same:
            same = (not local or ifa.match(local)) and (not dst or ifa.match(dst))
            if same and addr:
                if local or not dst:
                    break
                if ifa.match(addr):
                    break
                if min_scope <= scope:
                    addr = ifa.local
                    break
                same = False
    return addr if same else 0


def inet_confirm_addr(net, in_dev: Optional[InDevice], dst: int, local: int, scope: int) -> int:
    if in_dev is not None:
        return confirm_addr_indev(in_dev, dst, local, scope)
    for d in net.devices_in_order():
        if d.in_dev is not None:
            a = confirm_addr_indev(d.in_dev, dst, local, scope)
            if a:
                return a
    return 0


def find_local_ifa(net, addr: int) -> Optional[InIfaddr]:
    """inet_lookup_ifaddr_rcu: is `addr` configured on any device of `net`?"""
    for d in net.devices_in_order():
        if d.in_dev is None:
            continue
        for ifa in d.in_dev.ifa_list:
            if ifa.local == addr:
                return ifa
    return None
