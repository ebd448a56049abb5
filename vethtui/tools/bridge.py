"""bridge(8) from iproute2 6.1: `bridge link` and `bridge fdb` for Linux bridges.

Port names are printed as iproute2 6.1's bridge tool prints them: the peer of
a veth is looked up by index in the caller's namespace, even when it lives in
another one, so a port can show a wrong `@name` (or none) where `ip link`
correctly says `@ifN ... link-netns NS`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

from ..kernel.bridge import STATE_NAMES, BridgeDevice
from ..kernel.netdev import NetdevError
from .base import Exit, Proc, matches
from .ip import common as c

USAGE = """Usage: bridge [ OPTIONS ] OBJECT { COMMAND | help }
       bridge [ -force ] -batch filename
where  OBJECT := { link | fdb | mdb | vlan | monitor }
       OPTIONS := { -V[ersion] | -s[tatistics] | -d[etails] |
                    -o[neline] | -t[imestamp] | -n[etns] name |
                    -c[ompressvlans] -color -p[retty] -j[son] }
"""

FDB_USAGE = """Usage: bridge fdb { add | append | del | replace } ADDR dev DEV
              [ self ] [ master ] [ use ] [ router ] [ extern_learn ]
              [ sticky ] [ local | static | dynamic ] [ vlan VID ]
              { [ dst IPADDR ] [ port PORT] [ vni VNI ] | [ nhid NHID ] }
	       [ via DEV ] [ src_vni VNI ]
       bridge fdb [ show [ br BRDEV ] [ brport DEV ] [ vlan VID ]
              [ state STATE ] [ dynamic ] ]
       bridge fdb get [ to ] LLADDR [ br BRDEV ] { brport | dev } DEV
              [ vlan VID ] [ vni VNI ] [ self ] [ master ] [ dynamic ]
       bridge fdb flush dev DEV [ brport DEV ] [ vlan VID ]
              [ self ] [ master ] [ [no]permanent | [no]static | [no]dynamic ]
              [ [no]added_by_user ] [ [no]extern_learn ] [ [no]sticky ]
              [ [no]offloaded ]
"""

LINK_USAGE = """Usage: bridge link set dev DEV [ cost COST ] [ priority PRIO ] [ state STATE ]
                               [ guard {on | off} ]
                               [ hairpin {on | off} ]
                               [ fastleave {on | off} ]
                               [ root_block {on | off} ]
                               [ learning {on | off} ]
                               [ learning_sync {on | off} ]
                               [ flood {on | off} ]
                               [ mcast_router MULTICAST_ROUTER ]
                               [ mcast_flood {on | off} ]
                               [ bcast_flood {on | off} ]
                               [ mcast_to_unicast {on | off} ]
                               [ neigh_suppress {on | off} ]
                               [ vlan_tunnel {on | off} ]
                               [ isolated {on | off} ]
                               [ locked {on | off} ]
                               [ hwmode {vepa | veb} ]
                               [ backup_port DEVICE ] [ nobackup_port ]
                               [ self ] [ master ]
       bridge link show [dev DEV]
"""


def _mac(b: bytes) -> str:
    return ":".join(f"{x:02x}" for x in b)


def main(proc: Proc, argv: list[str]) -> int:
    args = argv[1:]
    net = proc.net
    details = False
    while args and args[0].startswith("-"):
        opt = args.pop(0).lstrip("-")
        if matches(opt, "details"):
            details = True
        elif matches(opt, "netns"):
            if not args:
                proc.err('Command line is not complete. Try option "help"\n')
                return 255
            name = args.pop(0)
            target = proc.world.netns.get(name)
            if target is None:
                proc.err(f'Cannot open network namespace "{name}": No such file or directory\n')
                return 255
            net = target
        elif matches(opt, "Version"):
            proc.out("bridge utility, 6.1.0\n")
            return 0
        elif opt in ("s", "stats", "statistics", "o", "oneline", "c", "color", "p", "pretty",
                     "com", "compressvlans", "t", "timestamp"):
            pass
        elif matches(opt, "help"):
            proc.err(USAGE)
            return 255
        else:
            proc.err(f'Option "-{opt}" is unknown, try "bridge help".\n')
            return 255
    if not args:
        proc.err(USAGE)
        return 255
    obj = args[0]
    if matches(obj, "link"):
        return _link(proc, net, args[1:], details)
    if matches(obj, "fdb"):
        return _fdb(proc, net, args[1:])
    if matches(obj, "help"):
        proc.err(USAGE)
        return 255
    if matches(obj, "vlan") and (len(args) == 1 or any(matches(args[1], w)
                                                       for w in ("show", "lst", "list"))):
        return _vlan_show(proc, net, args[2:])
    if matches(obj, "mdb") or matches(obj, "vlan") or matches(obj, "vni") or matches(obj, "monitor"):
        proc.err(f"vethtui: bridge {obj}: not simulated\n")
        return 127
    proc.err(f'Object "{obj}" is unknown, try "bridge help".\n')
    return 255


def _vlan_show(proc: Proc, net, args: list[str]) -> int:
    """bridge/vlan.c vlan_show: its header, then each port's VLANs. The 6.18 kernel the
    goldens come from reports none (no IFLA_AF_SPEC VLAN list: bridges there carry no
    VLAN table), nor does vethtui's bridge, so the header is all there is."""
    filter_dev = filter_vid = None
    i = 0
    while i < len(args):
        if args[i] in ("dev", "vid"):
            if i + 1 >= len(args):
                c.incomplete(proc)
            if args[i] == "dev":
                if filter_dev is not None:
                    c.duparg(proc, "dev", args[i + 1])
                filter_dev = args[i + 1]
            else:
                if filter_vid:
                    c.duparg(proc, "vid", args[i + 1])
                filter_vid = _atoi(args[i + 1])
            i += 1
        i += 1
    if filter_dev is not None and net.dev_by_name(filter_dev) is None:
        proc.err(f'Cannot find device "{filter_dev}"\n')
        return 255
    proc.out(f"{'port':<16}  {'vlan-id':<9}\n")
    return 0


def _port_name(dev, net) -> tuple[str, bool]:
    """print_name_and_link as bridge 6.1 does it (peer index looked up locally)."""
    peer = getattr(dev, "peer", None)
    if peer is None:
        return dev.name, False
    idx = peer.ifindex if peer.net is dev.net else peer.ifindex
    if idx == dev.ifindex:
        return dev.name, False
    local = net.dev_by_index(idx)
    if local is None:
        return f"{dev.name}@if{idx}", False
    return f"{dev.name}@{local.name}", not local.is_up


def _link(proc: Proc, net, args: list[str], details: bool) -> int:
    if args and not (matches(args[0], "show") or matches(args[0], "list") or matches(args[0], "lst")):
        if matches(args[0], "help"):
            proc.err(LINK_USAGE)
            return 255
        if matches(args[0], "set") or matches(args[0], "change"):
            return _link_set(proc, net, args[1:])
        proc.err(f'Command "{args[0]}" is unknown, try "bridge link help".\n')
        return 255
    args = args[1:] if args else []
    dev_filter = None
    i = 0
    while i < len(args):
        if args[i] == "dev" and i + 1 < len(args):
            dev_filter = args[i + 1]
            i += 2
            continue
        if args[i] in ("master",) and i + 1 < len(args):
            i += 2
            continue
        i += 1
    if dev_filter is not None and net.dev_by_name(dev_filter) is None:
        proc.err(f'Cannot find device "{dev_filter}"\n')
        return 255
    for dev in net.devices_in_order():
        br = dev.master
        if not isinstance(br, BridgeDevice):
            continue
        if dev_filter is not None and dev.name != dev_filter:
            continue
        p = br.ports.get(dev.ifindex)
        if p is None:
            continue
        name, mdown = _port_name(dev, net)
        line = (f"{dev.ifindex}: {name}: {c.flags_str(dev.get_flags(), mdown)} mtu {dev.mtu} "
                f"master {br.name} state {STATE_NAMES[p.state]} priority {p.priority} cost {p.cost} ")
        proc.out(line + "\n")
        if details:
            f = {k: "on" if v else "off" for k, v in p.flags.items()}
            proc.out(f"    hairpin {f['hairpin']} guard {f['guard']} "
                     f"root_block {f['root_block']} fastleave {f['fastleave']} "
                     f"learning {f['learning']} flood {f['flood']} "
                     f"mcast_flood {f['mcast_flood']} bcast_flood {f['bcast_flood']} "
                     f"mcast_router 1 mcast_to_unicast {f['mcast_to_unicast']} "
                     f"neigh_suppress {f['neigh_suppress']} vlan_tunnel {f['vlan_tunnel']} "
                     f"isolated {f['isolated']} locked {f['locked']} \n")
    return 0


_ON_OFF = ("guard", "hairpin", "fastleave", "root_block", "learning", "learning_sync", "flood",
           "mcast_flood", "bcast_flood", "mcast_to_unicast", "neigh_suppress", "vlan_tunnel",
           "isolated", "locked")
_STP_STATES = ("disabled", "listening", "learning", "forwarding", "blocking")


def _atoi(text: str) -> int:
    """C's atoi: leading blanks, a sign, the digits there are; 0 without any."""
    m = re.match(r"\s*([+-]?\d+)", text)
    return int(m.group(1)) if m else 0


def _link_set(proc: Proc, net, args: list[str]) -> int:
    """brlink_modify (bridge/link.c): words matched exactly (strcmp), then one RTM_SETLINK
    with the port's settings; every error exits 255 (the on/off ones -EINVAL: 234)."""
    from .ip.bridge_details import parse_on_off
    a = c.Args(proc, args)
    d = None
    flags: dict = {}
    cost = 0
    priority = -1
    state = -1
    while a:
        w = a.cur
        if w == "dev":
            d = a.next()
        elif w in _ON_OFF:
            on = parse_on_off(proc, w, a.next())
            if on is None:
                return 234
            if w != "learning_sync":
                flags[w] = on
        elif w == "mcast_router":
            a.next()
        elif w == "cost":
            cost = _atoi(a.next()) & 0xFFFFFFFF
        elif w == "priority":
            priority = _atoi(a.next()) & 0xFFFF
            priority = priority - 0x10000 if priority >= 0x8000 else priority   # __s16
        elif w == "state":
            v = a.next()
            if re.fullmatch(r"\s*[+-]?\d+", v):
                state = int(v)
            else:
                state = _STP_STATES.index(v) if v in _STP_STATES else -1
                if state == -1:
                    proc.err("Error: invalid STP port state\n")
                    return 255
            state = (state & 0xFF) - 0x100 if state & 0x80 else state & 0xFF   # __s8
        elif w == "hwmode":
            if a.next() not in ("vepa", "veb"):
                proc.err('Mode argument must be "vepa" or "veb".\n')
                return 255
        elif w in ("self", "master", "nobackup_port"):
            pass
        elif w == "backup_port":
            v = a.next()
            if net.dev_by_name(v) is None:
                proc.err(f"Error: device {v} does not exist\n")
                return 255
        else:
            proc.err(LINK_USAGE)
            return 255
        a.advance()
    if d is None:
        proc.err("Device is a required argument.\n")
        return 255
    dev = net.dev_by_name(d)
    if dev is None:
        proc.err(f'Cannot find bridge device "{d}"\n')
        return 255
    # rtnl_bridge_setlink: to the master's ndo_bridge_setlink (br_setlink); a device
    # without a bridge master (the bridge itself too) has none to go to
    br = dev.master
    if not isinstance(br, BridgeDevice):
        c.rtnl_error(proc, "EOPNOTSUPP")
        return 255
    try:
        br.setport(dev, flags, cost=cost if cost > 0 else None,
                   priority=priority if priority >= 0 else None,
                   state=state if state >= 0 else None)
    except NetdevError as err:
        c.rtnl_error(proc, err.errno)
        return 255
    return 0


def _fdb(proc: Proc, net, args: list[str]) -> int:
    if args and not (matches(args[0], "show") or matches(args[0], "list") or matches(args[0], "lst")):
        if matches(args[0], "add") or matches(args[0], "append") or matches(args[0], "replace"):
            return _fdb_add(proc, net, args[1:], excl=matches(args[0], "add"))
        if matches(args[0], "delete"):
            return _fdb_del(proc, net, args[1:])
        if matches(args[0], "help"):
            proc.err(FDB_USAGE)
            return 255
        proc.err(f'Command "{args[0]}" is unknown, try "bridge fdb help".\n')
        return 255
    return _fdb_show(proc, net, args[1:] if args else [])


@dataclass
class _FdbFilter:
    """fdb_show's filters: a device or bridge port, a bridge, state (a mask of NUD_* states,
    ndm_state & mask), dynamic (no NUD_PERMANENT entry), vlan (an entry's NDA_VLAN;
    vethtui's entries have none: 0)."""

    dev: Optional[str] = None
    br: Optional[str] = None
    state: int = 0
    vlan: int = 0
    dynamic: bool = False


def _fdb_show_args(proc: Proc, args: list[str]) -> tuple[_FdbFilter, Optional[int]]:
    """fdb_show's command line; the status when it ends there (help, an error)."""
    f = _FdbFilter()
    i = 0
    while i < len(args):
        if args[i] in ("dev", "brport", "br", "vlan", "state") and i + 1 >= len(args):
            proc.err('Command line is not complete. Try option "help"\n')
            return f, 255
        if args[i] in ("dev", "brport"):
            f.dev = args[i + 1]
            i += 2
            continue
        if args[i] == "br":
            f.br = args[i + 1]
            i += 2
            continue
        if args[i] == "vlan":
            if f.vlan:
                c.duparg(proc, "vlan", args[i + 1])
            f.vlan = _atoi(args[i + 1])
            i += 2
            continue
        if args[i] == "state":
            state = _fdb_state(args[i + 1])
            if state is None:
                c.invarg(proc, "invalid state", args[i + 1])
            f.state |= state
            i += 2
            continue
        if args[i] == "dynamic":
            f.dynamic = True
        elif matches(args[i], "help"):
            proc.err(FDB_USAGE)
            return f, 255
        i += 1
    return f, None


def _fdb_show(proc: Proc, net, args: list[str]) -> int:
    f, status = _fdb_show_args(proc, args)
    if status is not None:
        return status
    br_filter = None
    if f.br is not None:
        br_filter = net.dev_by_name(f.br)
        if br_filter is None:
            proc.err(f'Cannot find bridge device "{f.br}"\n')
            return 255
    dev_filter = None
    if f.dev is not None:
        dev_filter = net.dev_by_name(f.dev)
        if dev_filter is None:
            proc.err(f'Cannot find device "{f.dev}"\n')
            return 255
    now = net.world.sched.now
    for dev in net.devices_in_order():
        if dev.type == 772:
            continue
        if dev_filter is not None and dev is not dev_filter:
            continue
        if br_filter is not None and (not isinstance(br_filter, BridgeDevice) or (
                dev is not br_filter and dev.master is not br_filter)):
            continue
        devpart = f"dev {dev.name} " if dev_filter is None else ""
        for ln, state in _fdb_entries(dev, devpart, now):
            if f.state and not state & f.state:
                continue
            if f.vlan or (f.dynamic and state & NUD_PERMANENT):
                continue
            proc.out(ln + "\n")
    return 0


def _fdb_entries(dev, devpart: str, now: float) -> list[tuple[str, int]]:
    """A device's fdb lines as fdb_show prints them, each with its NUD state."""
    lines = []
    master = dev.master if isinstance(dev.master, BridgeDevice) else None
    if master is not None:
        # br_fdb_dump walks br->fdb_list, where fdb_create adds at the head: the
        # newest entry first (a learned entry that moves or is refreshed keeps its place)
        for e in reversed(list(master.fdb.values())):
            if e.port is not dev or e.local:
                continue
            if e.static:
                lines.append((f"{_mac(e.mac)} {devpart}master {master.name} static", NUD_NOARP))
            elif now - e.updated < master.ageing_time:
                lines.append((f"{_mac(e.mac)} {devpart}master {master.name} ", NUD_REACHABLE))
        for e in master.fdb.values():
            if e.port is dev and e.local:
                lines.append((f"{_mac(e.mac)} {devpart}master {master.name} permanent",
                              NUD_PERMANENT))
    for mac in dev.mc_list():
        lines.append((f"{_mac(mac)} {devpart}self permanent", NUD_PERMANENT))
    if isinstance(dev, BridgeDevice) and dev.own_fdb_entry():
        lines.append((f"{_mac(dev.mac)} {devpart}master {dev.name} permanent", NUD_PERMANENT))
    return lines


# fdb_to_nud: a local entry is NUD_PERMANENT, a static one NUD_NOARP, a learned one
# NUD_REACHABLE (NUD_STALE once expired; vethtui's bridge forgets those at once)
NUD_REACHABLE, NUD_STALE, NUD_NOARP, NUD_PERMANENT = 0x02, 0x04, 0x40, 0x80


def _fdb_state(arg: str):
    """bridge/fdb.c state_a2n; None where it fails (invarg)."""
    if matches(arg, "permanent"):
        return NUD_PERMANENT
    if matches(arg, "static") or matches(arg, "temp"):
        return NUD_NOARP
    if matches(arg, "stale"):
        return NUD_STALE
    if matches(arg, "reachable") or matches(arg, "dynamic"):
        return NUD_REACHABLE
    if arg == "all":
        return 0xFFFFFFFF
    try:
        return int(arg, 0) if not arg.startswith("-") else None
    except ValueError:
        return None


def _parse_fdb_args(proc: Proc, net, args: list[str]):
    if not args:
        proc.err("Device and address are required arguments.\n")
        raise Exit(255)
    mac_text = args[0]
    dev = None
    static = False
    i = 1
    while i < len(args):
        if args[i] == "dev" and i + 1 < len(args):
            dev = net.dev_by_name(args[i + 1])
            if dev is None:
                proc.err(f'Cannot find device "{args[i + 1]}"\n')
                raise Exit(255)
            i += 2
            continue
        if args[i] in ("static", "local", "permanent"):
            static = True
        i += 1
    if dev is None:
        proc.err("Device and address are required arguments.\n")
        raise Exit(255)
    parts = mac_text.split(":")
    try:
        if len(parts) != 6:
            raise ValueError
        mac = bytes(int(p, 16) for p in parts)
    except ValueError:
        proc.err(f"Invalid mac address {mac_text}\n")
        raise Exit(255)
    return mac, dev, static


def _fdb_add(proc: Proc, net, args: list[str], excl: bool = True) -> int:
    from ..kernel.bridge import FdbEntry
    mac, dev, static = _parse_fdb_args(proc, net, args)
    br = dev.master
    if not isinstance(br, BridgeDevice):
        return 0  # a "self" entry on a non-port: accepted, not modelled
    if excl and mac in br.fdb:       # fdb_add_entry: an entry exists and NLM_F_EXCL
        c.rtnl_error(proc, "EEXIST")
        return 255                    # bridge returns -1 from do_cmd: exit 255
    br.fdb[mac] = FdbEntry(mac, dev, False, True, net.world.sched.now)
    return 0


def _fdb_del(proc: Proc, net, args: list[str]) -> int:
    mac, dev, _ = _parse_fdb_args(proc, net, args)
    br = dev.master
    if not isinstance(br, BridgeDevice) or mac not in br.fdb or br.fdb[mac].port is not dev:
        c.rtnl_error(proc, "ENOENT")
        return 255
    del br.fdb[mac]
    return 0
