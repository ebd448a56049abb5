"""Per-namespace sysctls under /proc/sys/net, with the kernel's defaults.

Three families matter to the experiments:

* ``net.ipv4.conf.{all,default,DEV}.*`` (devinet): each device's values are
  copied from ``default`` when the device is created, and a later write to
  ``default`` is copied to every device that never had that key written
  (devinet_copy_dflt_conf). How ``all`` combines with a device's value
  depends on the key: OR, AND, MAX or the device's own (IN_DEV_* macros).
* ``net.ipv4.neigh.{default,DEV}.*``: neighbour parameters, same inheritance.
* ``net.ipv6.conf.*`` (all 60 keys, mtu following the device) and ``net.ipv6.neigh.DEV``.

Every other net.* key of Linux 6.18 (tcp_*, core, netfilter, mptcp, ...) comes from the
recorded table in sysctl_defaults.py with its default, readable and writable per namespace
(proc_dointvec's parsing, the bounds that matter, read-only keys refused).

These are the tables (as the kernel's ctl_table arrays and their proc handlers:
devinet_sysctl, neigh_sysctl_table, addrconf_sysctl, sysctl_net_ipv4.c) with the
files and directories they are served as; proc_sysctl.py is the /proc/sys tree a
namespace shows, built from them.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING, Callable, Optional

from .sysctl_defaults import (IPV6_CONF_ALL, IPV6_CONF_DEFAULT, IPV6_CONF_ETHER, IPV6_CONF_LO,
                              IPV6_NEIGH, NET_GLOBALS)

if TYPE_CHECKING:  # pragma: no cover
    from .netns import Net

# name -> (value in conf/all, value in conf/default), in /proc's name order.
IPV4_DEVCONF: dict[str, tuple[int, int]] = {
    "accept_local": (0, 0),
    "accept_redirects": (1, 1),
    "accept_source_route": (0, 1),
    "arp_accept": (0, 0),
    "arp_announce": (0, 0),
    "arp_evict_nocarrier": (1, 1),
    "arp_filter": (0, 0),
    "arp_ignore": (0, 0),
    "arp_notify": (0, 0),
    "bc_forwarding": (0, 0),
    "bootp_relay": (0, 0),
    "disable_policy": (0, 0),
    "disable_xfrm": (0, 0),
    "drop_gratuitous_arp": (0, 0),
    "drop_unicast_in_l2_multicast": (0, 0),
    "force_igmp_version": (0, 0),
    "forwarding": (0, 0),
    "igmpv2_unsolicited_report_interval": (10000, 10000),
    "igmpv3_unsolicited_report_interval": (1000, 1000),
    "ignore_routes_with_linkdown": (0, 0),
    "log_martians": (0, 0),
    "mc_forwarding": (0, 0),
    "medium_id": (0, 0),
    "promote_secondaries": (0, 0),
    "proxy_arp": (0, 0),
    "proxy_arp_pvlan": (0, 0),
    "route_localnet": (0, 0),
    "rp_filter": (0, 0),
    "secure_redirects": (1, 1),
    "send_redirects": (1, 1),
    "shared_media": (1, 1),
    "src_valid_mark": (0, 0),
    "tag": (0, 0),
}
READ_ONLY_DEVCONF = {"mc_forwarding"}

# How the kernel combines conf/all with the device's own value.
_OR = {"accept_local", "log_martians", "proxy_arp", "proxy_arp_pvlan", "shared_media",
       "send_redirects", "promote_secondaries", "route_localnet",
       "ignore_routes_with_linkdown", "arp_filter", "src_valid_mark", "drop_gratuitous_arp",
       "drop_unicast_in_l2_multicast", "disable_policy", "disable_xfrm"}
_AND = {"mc_forwarding", "bc_forwarding", "accept_source_route", "bootp_relay",
        "arp_evict_nocarrier"}
_MAX = {"rp_filter", "arp_accept", "arp_announce", "arp_ignore", "arp_notify"}


class DevConf:
    """One ipv4 devconf block: values plus the set of keys written explicitly."""

    __slots__ = ("data", "state")

    def __init__(self, data: dict[str, int]):
        self.data = dict(data)
        self.state: set[str] = set()

    def __getitem__(self, key: str) -> int:
        return self.data[key]


def conf_in_force(net: "Net", cnf: DevConf, key: str, devname: str) -> str:
    """`rp_filter=1 (the maximum of all=1 and veth1=0)`: a value and where it came from."""
    own = cnf.data[key]
    allv = net.devconf_all.data[key]
    val = in_dev_conf(net, cnf, key)
    if key in _OR:
        how = f"all={allv} or {devname}={own}"
    elif key in _AND:
        how = f"all={allv} and {devname}={own}"
    elif key in _MAX:
        how = f"the maximum of all={allv} and {devname}={own}"
    else:
        return f"{key}={val}"
    return f"{key}={val} ({how})"


def in_dev_conf(net: "Net", cnf: DevConf, key: str) -> int:
    """The effective value for a device: IN_DEV_{OR,AND,MAX}CONF or its own."""
    own = cnf.data[key]
    allv = net.devconf_all.data[key]
    if key in _OR:
        return 1 if (allv or own) else 0
    if key in _AND:
        return 1 if (allv and own) else 0
    if key in _MAX:
        return max(allv, own)
    return own


# ---------------------------------------------------------------- global ipv4 keys

IPV4_GLOBALS: dict[str, str] = {
    "fwmark_reflect": "0",
    "icmp_echo_enable_probe": "0",
    "icmp_echo_ignore_all": "0",
    "icmp_echo_ignore_broadcasts": "1",
    "icmp_errors_use_inbound_ifaddr": "0",
    "icmp_ignore_bogus_error_responses": "1",
    "icmp_msgs_burst": "50",
    "icmp_msgs_per_sec": "1000",
    "icmp_ratelimit": "1000",
    "icmp_ratemask": "6168",
    "igmp_link_local_mcast_reports": "1",
    "ip_autobind_reuse": "0",
    "ip_default_ttl": "64",
    "ip_dynaddr": "0",
    "ip_early_demux": "1",
    "ip_forward_update_priority": "1",
    "ip_forward_use_pmtu": "0",
    "ip_local_port_range": "32768\t60999",
    "ip_local_reserved_ports": "",
    "ip_no_pmtu_disc": "0",
    "ip_nonlocal_bind": "0",
    "ip_unprivileged_port_start": "1024",
    "ping_group_range": "1\t0",
    "raw_l3mdev_accept": "1",
}
INT_GLOBALS = {k for k, v in IPV4_GLOBALS.items() if v.lstrip("-").isdigit()}
GLOBAL_RANGES = {"ip_default_ttl": (1, 255), "icmp_echo_ignore_all": (0, 1),
                 "icmp_echo_ignore_broadcasts": (0, 1), "igmp_link_local_mcast_reports": (0, 255),
                 "icmp_echo_enable_probe": (0, 1)}

# ---------------------------------------------------------------- neighbour parameters

# file name -> (internal key, unit); internal values are milliseconds or counts.
NEIGH_FILES: dict[str, tuple[str, str]] = {
    "anycast_delay": ("anycast_delay", "userhz"),
    "app_solicit": ("app_probes", "int"),
    "base_reachable_time": ("base_reachable_time", "sec"),
    "base_reachable_time_ms": ("base_reachable_time", "ms"),
    "delay_first_probe_time": ("delay_probe_time", "sec"),
    "gc_stale_time": ("gc_stale_time", "sec"),
    "interval_probe_time_ms": ("interval_probe_time", "ms"),
    "locktime": ("locktime", "userhz"),
    "mcast_resolicit": ("mcast_reprobes", "int"),
    "mcast_solicit": ("mcast_probes", "int"),
    "proxy_delay": ("proxy_delay", "userhz"),
    "proxy_qlen": ("proxy_qlen", "int"),
    "retrans_time": ("retrans_time", "userhz"),
    "retrans_time_ms": ("retrans_time", "ms"),
    "ucast_solicit": ("ucast_probes", "int"),
    "unres_qlen": ("queue_len_bytes", "qlen"),
    "unres_qlen_bytes": ("queue_len_bytes", "int"),
}
NEIGH_DEFAULT_ONLY = {"gc_interval": "30", "gc_thresh1": "128", "gc_thresh2": "512",
                      "gc_thresh3": "1024"}
NEIGH_DEFAULTS: dict[str, int] = {
    "anycast_delay": 1000, "app_probes": 0, "base_reachable_time": 30000,
    "delay_probe_time": 5000, "gc_stale_time": 60000, "interval_probe_time": 5000,
    "locktime": 1000, "mcast_reprobes": 0, "mcast_probes": 3, "proxy_delay": 800,
    "proxy_qlen": 64, "retrans_time": 1000, "ucast_probes": 3,
    "queue_len_bytes": 212992,
}
SKB_TRUESIZE_ETH_FRAME = 2090  # SKB_TRUESIZE(ETH_FRAME_LEN) on 6.18: unres_qlen = bytes / this
#                                (measured: unres_qlen 50 -> unres_qlen_bytes 104500)


class NeighParms:
    __slots__ = ("data", "state")

    def __init__(self, data: dict[str, int]):
        self.data = dict(data)
        self.state: set[str] = set()

    def sec(self, key: str) -> float:
        return self.data[key] / 1000.0


# ---------------------------------------------------------------- ipv6 devconf and nd parms

# net.ipv6.conf.default.* as a new namespace has them (all 60 keys the kernel lists)
IPV6_DEVCONF: dict[str, int] = {k: int(v) for k, v in IPV6_CONF_DEFAULT.items()}
IPV6_MIN_MTU = 1280


def ipv6_conf_all() -> dict[str, int]:
    """net.ipv6.conf.all: the defaults, with all's own values (accept_dad 0)."""
    cnf = dict(IPV6_DEVCONF)
    cnf.update({k: int(v) for k, v in IPV6_CONF_ALL.items()})
    return cnf


def ipv6_conf_for_dev(dflt: dict[str, int], dev) -> dict[str, int]:
    """ipv6_add_dev: a copy of default, mtu6 = the device's mtu; loopback's own values
    (accept_dad -1, use_tempaddr -1)."""
    cnf = dict(dflt)
    extra = IPV6_CONF_LO if getattr(dev, "type", 1) == 772 else IPV6_CONF_ETHER
    cnf.update({k: int(v) for k, v in extra.items()})
    cnf["mtu"] = dev.mtu
    return cnf


def ipv6_mtu_changed(dev) -> None:
    """addrconf_notify(NETDEV_CHANGEMTU): mtu6 follows the device (from IPv6's minimum)."""
    cnf = getattr(dev, "ipv6_cnf", None)
    if cnf is not None and dev.mtu >= IPV6_MIN_MTU:
        cnf["mtu"] = dev.mtu


def nd_parms(dev) -> "NeighParms":
    """The device's nd_tbl parameters (net.ipv6.neigh.DEV): made on first use; nd_tbl's
    defaults are arp_tbl's but for locktime 0."""
    parms = dev.__dict__.get("nd_parms")
    if parms is None:
        data = dict(NEIGH_DEFAULTS)
        data["locktime"] = int(IPV6_NEIGH["locktime"]) * 10
        parms = dev.__dict__["nd_parms"] = NeighParms(data)
    return parms


# ---------------------------------------------------------------- every other net.* key

# Keys the kernel lists read-only (0444); procps reports a write as EINVAL and goes on (status 0)
READ_ONLY_GLOBALS = {"ipv4.tcp_available_congestion_control", "mptcp.available_path_managers",
                     "mptcp.available_schedulers", "netfilter.nf_conntrack_count",
                     "ipv4.tcp_ehash_entries", "ipv4.udp_hash_entries"}
# proc_do*_minmax bounds of the keys whose range matters to a lab (the rest: any int)
GLOBAL_MINMAX = {"ipv4.igmp_link_local_mcast_reports": (0, 255), "ipv4.tcp_syn_retries": (1, 127),
                 "ipv4.icmp_echo_enable_probe": (0, 1), "ipv6.icmp.echo_ignore_all": (0, 1),
                 "ipv6.icmp.echo_ignore_multicast": (0, 1), "ipv6.icmp.echo_ignore_anycast": (0, 1),
                 "core.somaxconn": (0, 2**31 - 1)}
_INTS = re.compile(r"^-?\d+(?:\t-?\d+)*$")


def global_value(net: "Net", path: str) -> str:
    store = net.__dict__.setdefault("sysctl_values", {})
    return store.get(path, NET_GLOBALS[path])


def global_write(net: "Net", path: str, text: str) -> None:
    """Write one of the generic keys with proc_dointvec's parsing (vectors keep the values
    not given), its bounds, and the congestion control a name must exist for."""
    if path in READ_ONLY_GLOBALS:
        raise SysctlError("EINVAL_IGNORED")
    default = NET_GLOBALS[path]
    store = net.__dict__.setdefault("sysctl_values", {})
    if _INTS.match(default):
        parts = text.split()
        if not parts:
            raise SysctlError("EINVAL")
        vals = [parse_int(x) for x in parts[:len(default.split("\t"))]]
        lo, hi = GLOBAL_MINMAX.get(path, (-2**31, 2**31 - 1))
        if any(not lo <= v <= hi for v in vals):
            raise SysctlError("EINVAL")
        cur = global_value(net, path).split("\t")
        vals_s = [str(v) for v in vals] + cur[len(vals):]
        store[path] = "\t".join(vals_s)
    elif path == "ipv4.tcp_congestion_control":
        name = text.strip()
        if name not in NET_GLOBALS["ipv4.tcp_available_congestion_control"].split():
            raise SysctlError("ENOENT")
        store[path] = name
    else:
        store[path] = text.strip()
    net.sysctl_changed(path.split("."))


def _global_tree() -> dict:
    """NET_GLOBALS as nested directories: {"ipv4": {"route": {...}, "tcp_ecn": path}}."""
    tree: dict = {}
    for path in NET_GLOBALS:
        node = tree
        parts = path.split(".")
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = path
    return tree


GLOBAL_TREE = _global_tree()


# ---------------------------------------------------------------- the /proc/sys tree

class SysctlError(Exception):
    """errno-style failure: `errno` is a name like ENOENT, EINVAL, EISDIR."""

    def __init__(self, errno: str):
        super().__init__(errno)
        self.errno = errno


class File:
    __slots__ = ("get", "set")

    def __init__(self, get: Callable[[], str], set: Optional[Callable[[str], None]]):
        self.get = get
        self.set = set


class Dir:
    __slots__ = ("children",)

    def __init__(self, children: Callable[[], dict[str, object]]):
        self.children = children


_INT = re.compile(r"^\s*([-+]?\d+)(?:\s+.*)?\s*$", re.S)


def parse_int(text: str) -> int:
    """proc_dointvec: the first integer; anything else is EINVAL."""
    m = _INT.match(text)
    if not m:
        raise SysctlError("EINVAL")
    val = int(m.group(1))
    if not -2**31 <= val < 2**31:
        raise SysctlError("EINVAL")
    return val


def dotted_to_parts(name: str) -> list[str]:
    """`net.ipv4.conf.veth0.rp_filter` -> path parts; `/` works too (sysctl accepts both).

    Like procps, a name that contains `/` is split on `/` (so a dotted device
    name such as `eth0.100` can be written `net/ipv4/conf/eth0.100/rp_filter`).
    """
    name = name.strip()
    if "/" in name:
        return [p for p in name.split("/") if p]
    return [p for p in name.split(".") if p]
