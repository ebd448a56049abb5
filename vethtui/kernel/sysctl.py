"""Per-namespace sysctls under /proc/sys/net, with the kernel's defaults.

Three families matter to the experiments:

* ``net.ipv4.conf.{all,default,DEV}.*`` (devinet): each device's values are
  copied from ``default`` when the device is created, and a later write to
  ``default`` is copied to every device that never had that key written
  (devinet_copy_dflt_conf). How ``all`` combines with a device's value
  depends on the key: OR, AND, MAX or the device's own (IN_DEV_* macros).
* ``net.ipv4.neigh.{default,DEV}.*``: neighbour parameters, same inheritance.
* ``net.ipv6.conf.*.disable_ipv6`` and friends, enough for `ip address`.

`SysctlTree` resolves /proc/sys paths to files and directories the way procfs
does (entries listed in name order) so that `sysctl`, `cat` and `echo >` can
share it.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING, Callable, Optional

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
GLOBAL_RANGES = {"ip_default_ttl": (1, 255)}

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


# ---------------------------------------------------------------- ipv6 (display only)

IPV6_DEVCONF: dict[str, int] = {
    "accept_dad": 1, "accept_ra": 1, "addr_gen_mode": 0, "autoconf": 1,
    "dad_transmits": 1, "disable_ipv6": 0, "forwarding": 0, "hop_limit": 64,
    "keep_addr_on_down": 0, "mtu": 1280, "router_solicitation_delay": 1,
    "router_solicitation_interval": 4, "router_solicitations": -1,
}


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


class SysctlTree:
    """The net/ part of /proc/sys as the namespace `net` shows it."""

    def __init__(self, net: "Net"):
        self.net = net

    # -- resolution ------------------------------------------------------
    def root(self) -> Dir:
        return Dir(lambda: {"net": Dir(self._net_dir)})

    def resolve(self, parts: list[str]):
        node: object = self.root()
        for p in parts:
            if not isinstance(node, Dir):
                raise SysctlError("ENOTDIR")
            kids = node.children()
            if p not in kids:
                raise SysctlError("ENOENT")
            node = kids[p]
        return node

    def walk(self, node: object, prefix: list[str]):
        """Every file below `node`, depth first in name order: (parts, File)."""
        if isinstance(node, File):
            yield prefix, node
            return
        assert isinstance(node, Dir)
        kids = node.children()
        for name in sorted(kids):
            yield from self.walk(kids[name], prefix + [name])

    # -- directories -------------------------------------------------------
    def _net_dir(self) -> dict[str, object]:
        return {"ipv4": Dir(self._ipv4_dir), "ipv6": Dir(self._ipv6_dir),
                "core": Dir(self._core_dir)}

    def _core_dir(self) -> dict[str, object]:
        return {"somaxconn": self._const("4096"), "devconf_inherit_init_net": self._const("0")}

    def _const(self, value: str) -> File:
        return File(lambda: value, None)

    def _ipv4_dir(self) -> dict[str, object]:
        net = self.net
        out: dict[str, object] = {}
        for key in IPV4_GLOBALS:
            out[key] = File(self._global_get(key), self._global_set(key))
        out["ip_forward"] = File(lambda: str(net.devconf_all.data["forwarding"]),
                                 self._devconf_set(net.devconf_all, "forwarding", None))
        out["conf"] = Dir(self._conf_dir)
        out["neigh"] = Dir(self._neigh_dir)
        return out

    def _global_get(self, key: str):
        return lambda: self.net.ipv4_sysctl[key]

    def _global_set(self, key: str):
        def setter(text: str) -> None:
            if key in INT_GLOBALS:
                val = parse_int(text)
                lo, hi = GLOBAL_RANGES.get(key, (-2**31, 2**31 - 1))
                if not lo <= val <= hi:
                    raise SysctlError("EINVAL")
                self.net.ipv4_sysctl[key] = str(val)
            else:
                parts = text.split()
                if key in ("ip_local_port_range", "ping_group_range"):
                    # proc_dointvec on a 2-int vector: the values given, in order
                    if not parts or not all(re.fullmatch(r"-?\d+", p) for p in parts[:2]):
                        raise SysctlError("EINVAL")
                    cur = self.net.ipv4_sysctl[key].split("\t")
                    vals = [int(p) for p in parts[:2]] + [int(c) for c in cur[len(parts[:2]):]]
                    self.net.ipv4_sysctl[key] = f"{vals[0]}\t{vals[1]}"
                else:
                    self.net.ipv4_sysctl[key] = text.strip()
            self.net.sysctl_changed(["ipv4", key])
        return setter

    def _conf_dir(self) -> dict[str, object]:
        net = self.net
        out: dict[str, object] = {"all": Dir(lambda: self._devconf_files(net.devconf_all, None)),
                                  "default": Dir(lambda: self._devconf_files(net.devconf_dflt, None))}
        for dev in net.devices_in_order():
            if dev.in_dev is not None:
                out[dev.name] = Dir(self._devconf_dir_for(dev))
        return out

    def _devconf_dir_for(self, dev):
        return lambda: self._devconf_files(dev.in_dev.cnf, dev)

    def _devconf_files(self, cnf: DevConf, dev) -> dict[str, object]:
        out: dict[str, object] = {}
        for key in IPV4_DEVCONF:
            setter = None if key in READ_ONLY_DEVCONF else self._devconf_set(cnf, key, dev)
            out[key] = File(self._devconf_get(cnf, key), setter)
        return out

    def _devconf_get(self, cnf: DevConf, key: str):
        return lambda: str(cnf.data[key])

    def _devconf_set(self, cnf: DevConf, key: str, dev):
        net = self.net

        def setter(text: str) -> None:
            val = parse_int(text)
            net.devconf_write(cnf, key, val, dev)
        return setter

    def _neigh_dir(self) -> dict[str, object]:
        net = self.net
        out: dict[str, object] = {}
        if net.is_init:
            out["default"] = Dir(lambda: self._neigh_files(net.neigh_dflt, True))
        for dev in net.devices_in_order():
            if dev.neigh_parms is not None:
                out[dev.name] = Dir(self._neigh_dir_for(dev))
        return out

    def _neigh_dir_for(self, dev):
        return lambda: self._neigh_files(dev.neigh_parms, False)

    def _neigh_files(self, parms: NeighParms, is_default: bool) -> dict[str, object]:
        out: dict[str, object] = {}
        for fname, (key, unit) in NEIGH_FILES.items():
            out[fname] = File(self._neigh_get(parms, key, unit), self._neigh_set(parms, key, unit))
        if is_default:
            for fname, value in NEIGH_DEFAULT_ONLY.items():
                out[fname] = File(self._neigh_const(fname, value), self._neigh_const_set(fname))
        return out

    def _neigh_const(self, fname: str, value: str):
        return lambda: self.net.neigh_gc.get(fname, value)

    def _neigh_const_set(self, fname: str):
        def setter(text: str) -> None:
            self.net.neigh_gc[fname] = str(parse_int(text))
        return setter

    @staticmethod
    def _neigh_get(parms: NeighParms, key: str, unit: str):
        def getter() -> str:
            v = parms.data[key]
            if unit == "sec":
                return str(v // 1000)
            if unit == "userhz":
                return str(v // 10)
            if unit == "qlen":
                return str(v // SKB_TRUESIZE_ETH_FRAME)
            return str(v)
        return getter

    def _neigh_set(self, parms: NeighParms, key: str, unit: str):
        net = self.net

        def setter(text: str) -> None:
            v = parse_int(text)
            if v < 0 and unit != "int":
                raise SysctlError("EINVAL")
            if unit == "sec":
                v *= 1000
            elif unit == "userhz":
                v *= 10
            elif unit == "qlen":
                v *= SKB_TRUESIZE_ETH_FRAME
            net.neigh_parms_write(parms, key, v)
        return setter

    def _ipv6_dir(self) -> dict[str, object]:
        net = self.net
        conf: dict[str, object] = {
            "all": Dir(lambda: self._v6_files(net.ipv6_all, None)),
            "default": Dir(lambda: self._v6_files(net.ipv6_dflt, None)),
        }
        for dev in net.devices_in_order():
            conf[dev.name] = Dir(self._v6_dir_for(dev))
        return {"conf": Dir(lambda: conf)}

    def _v6_dir_for(self, dev):
        return lambda: self._v6_files(dev.ipv6_cnf, dev)

    def _v6_files(self, cnf: dict[str, int], dev) -> dict[str, object]:
        out: dict[str, object] = {}
        for key in IPV6_DEVCONF:
            out[key] = File(self._v6_get(cnf, key), self._v6_set(cnf, key, dev))
        return out

    @staticmethod
    def _v6_get(cnf: dict[str, int], key: str):
        return lambda: str(cnf[key])

    def _v6_set(self, cnf: dict[str, int], key: str, dev):
        net = self.net

        def setter(text: str) -> None:
            net.ipv6_conf_write(cnf, key, parse_int(text), dev)
        return setter


def dotted_to_parts(name: str) -> list[str]:
    """`net.ipv4.conf.veth0.rp_filter` -> path parts; `/` works too (sysctl accepts both).

    Like procps, a name that contains `/` is split on `/` (so a dotted device
    name such as `eth0.100` can be written `net/ipv4/conf/eth0.100/rp_filter`).
    """
    name = name.strip()
    if "/" in name:
        return [p for p in name.split("/") if p]
    return [p for p in name.split(".") if p]
