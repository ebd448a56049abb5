"""/proc/sys/net as a namespace shows it (fs/proc/proc_sysctl.c over the ctl_tables
registered with register_net_sysctl): `SysctlTree` resolves /proc/sys paths to the
files and directories of sysctl.py's tables the way procfs does (entries listed in
name order) so that `sysctl`, `cat` and `echo >` can share it.
"""
from __future__ import annotations

import ipaddress
import re
from typing import TYPE_CHECKING

from .sysctl import (GLOBAL_RANGES, GLOBAL_TREE, INT_GLOBALS, IPV4_DEVCONF, IPV4_GLOBALS,
                     IPV6_DEVCONF, IPV6_MIN_MTU, NEIGH_DEFAULT_ONLY, NEIGH_FILES,
                     READ_ONLY_DEVCONF, SKB_TRUESIZE_ETH_FRAME, DevConf, Dir, File, NeighParms,
                     SysctlError, global_value, global_write, nd_parms, parse_int)

if TYPE_CHECKING:  # pragma: no cover
    from .netns import Net


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
        out = self._generic(GLOBAL_TREE)
        out["ipv4"] = Dir(self._ipv4_dir)
        out["ipv6"] = Dir(self._ipv6_dir)
        out["core"] = Dir(self._core_dir)
        return out

    def _generic(self, sub: dict) -> dict[str, object]:
        """Directories and files of NET_GLOBALS below `sub` (stored per namespace)."""
        out: dict[str, object] = {}
        for name, kid in sub.items():
            if isinstance(kid, dict):
                out[name] = Dir(lambda kid=kid: self._generic(kid))
            else:
                out[name] = File(lambda path=kid: global_value(self.net, path),
                                 lambda text, path=kid: global_write(self.net, path, text))
        return out

    def _core_dir(self) -> dict[str, object]:
        out = self._generic(GLOBAL_TREE["core"])
        if self.net.is_init:
            out["devconf_inherit_init_net"] = self._const("0")
        return out

    def _const(self, value: str) -> File:
        return File(lambda: value, None)

    def _ipv4_dir(self) -> dict[str, object]:
        net = self.net
        out: dict[str, object] = self._generic(GLOBAL_TREE["ipv4"])
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
        out = self._generic(GLOBAL_TREE["ipv6"])
        out["conf"] = Dir(lambda: conf)
        out["neigh"] = Dir(self._nd_dir)
        return out

    def _nd_dir(self) -> dict[str, object]:
        out: dict[str, object] = {}
        for dev in self.net.devices_in_order():
            out[dev.name] = Dir(lambda dev=dev: self._nd_files(nd_parms(dev)))
        return out

    def _nd_files(self, parms: "NeighParms") -> dict[str, object]:
        out: dict[str, object] = {}
        for fname, (key, unit) in NEIGH_FILES.items():
            out[fname] = File(self._neigh_get(parms, key, unit), self._nd_set(parms, key, unit))
        return out

    def _nd_set(self, parms: "NeighParms", key: str, unit: str):
        def setter(text: str) -> None:
            v = parse_int(text)
            if v < 0 and unit != "int":
                raise SysctlError("EINVAL")
            v *= {"sec": 1000, "userhz": 10, "qlen": SKB_TRUESIZE_ETH_FRAME}.get(unit, 1)
            parms.data[key] = v
            parms.state.add(key)
        return setter

    def _v6_dir_for(self, dev):
        return lambda: self._v6_files(dev.ipv6_cnf, dev)

    def _v6_files(self, cnf: dict[str, int], dev) -> dict[str, object]:
        out: dict[str, object] = {}
        for key in IPV6_DEVCONF:
            out[key] = File(self._v6_get(cnf, key), self._v6_set(cnf, key, dev))
        out["stable_secret"] = File(lambda: _stable_secret_get(cnf),
                                    lambda text: _stable_secret_set(cnf, text))
        return out

    @staticmethod
    def _v6_get(cnf: dict[str, int], key: str):
        return lambda: str(cnf[key])

    def _v6_set(self, cnf: dict[str, int], key: str, dev):
        net = self.net

        def setter(text: str) -> None:
            val = parse_int(text)
            if key == "mtu":       # addrconf_sysctl_mtu: IPV6_MIN_MTU .. the device's mtu
                hi = dev.mtu if dev is not None else 2**31 - 1
                if not IPV6_MIN_MTU <= val <= hi:
                    raise SysctlError("EINVAL")
            elif key == "hop_limit" and not 1 <= val <= 255:
                raise SysctlError("EINVAL")
            net.ipv6_conf_write(cnf, key, val, dev)
        return setter


def _stable_secret_get(cnf: dict) -> str:
    """addrconf_sysctl_stable_secret: EIO until one is set, then the address in full."""
    secret = cnf.get("stable_secret")
    if secret is None:
        raise SysctlError("EIO")
    return ipaddress.IPv6Address(secret).exploded


def _stable_secret_set(cnf: dict, text: str) -> None:
    try:
        cnf["stable_secret"] = str(ipaddress.IPv6Address(text.strip()))
    except ValueError:
        raise SysctlError("EIO") from None
