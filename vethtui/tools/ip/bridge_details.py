"""The bridge parts of `ip -d link` and `ip link add/set ... type bridge OPTIONS`
(iproute2 6.1 ip/iplink_bridge.c and iplink_bridge_slave.c)."""
from __future__ import annotations

from ..base import Exit, Proc, matches
from . import common as c


def bridge_info(dev) -> str:
    from ...kernel.bridge import BridgeDevice
    assert isinstance(dev, BridgeDevice)
    bid = "8000." + ":".join(f"{b:x}" for b in dev.bridge_id)   # printed unpadded
    return (f"bridge forward_delay {int(dev.forward_delay * 100)} hello_time 200 max_age 2000 "
            f"ageing_time {int(dev.ageing_time * 100)} stp_state {dev.stp_state} priority 32768 "
            f"vlan_filtering 0 bridge_id {bid} designated_root {bid} "
            f"root_port 0 root_path_cost 0 topology_change 0 topology_change_detected 0 "
            f"hello_timer    0.00 tcn_timer    0.00 topology_change_timer    0.00 gc_timer "
            f"   0.00 group_fwd_mask 0 group_address 01:80:c2:00:00:00 mcast_snooping 1 "
            f"no_linklocal_learn 0 mcast_vlan_snooping 0 mcast_router 1 mcast_query_use_ifaddr 0 "
            f"mcast_querier 0 mcast_hash_elasticity 16 mcast_hash_max 4096 "
            f"mcast_last_member_count 2 mcast_startup_query_count 2 "
            f"mcast_last_member_interval 100 mcast_membership_interval 26000 "
            f"mcast_querier_interval 25500 mcast_query_interval 12500 "
            f"mcast_query_response_interval 1000 mcast_startup_query_interval 3124 "
            f"mcast_stats_enabled 0 mcast_igmp_version 2 mcast_mld_version 1 nf_call_iptables 0 "
            f"nf_call_ip6tables 0 nf_call_arptables 0 ")


def port_info(dev) -> str:
    from ...kernel.bridge import STATE_NAMES
    br = dev.master
    p = br.ports.get(dev.ifindex)
    if p is None:
        return ""
    bid = ":".join(f"{b:x}" for b in br.mac)
    f = {k: "on" if v else "off" for k, v in p.flags.items()}
    return (f"bridge_slave state {STATE_NAMES[p.state]} priority {p.priority} cost {p.cost} "
            f"hairpin {f['hairpin']} guard {f['guard']} root_block {f['root_block']} "
            f"fastleave {f['fastleave']} learning {f['learning']} flood {f['flood']} "
            f"port_id 0x{p.port_id:x} port_no 0x{p.port_no:x} designated_port {p.port_id} "
            f"designated_cost 0 designated_bridge 8000.{bid} designated_root 8000.{bid} "
            f"hold_timer    0.00 message_age_timer    0.00 forward_delay_timer    0.00 "
            f"topology_change_ack 0 config_pending 0 proxy_arp {f['proxy_arp']} "
            f"proxy_arp_wifi {f['proxy_arp_wifi']} "
            f"mcast_router 1 mcast_fast_leave {f['fastleave']} mcast_flood {f['mcast_flood']} "
            f"bcast_flood {f['bcast_flood']} mcast_to_unicast {f['mcast_to_unicast']} "
            f"neigh_suppress {f['neigh_suppress']} group_fwd_mask 0 group_fwd_mask_str 0x0 "
            f"vlan_tunnel {f['vlan_tunnel']} isolated {f['isolated']} locked {f['locked']} ")


def bridge_info_json(dev) -> dict:
    """bridge_print_opt in a JSON context: bridge_info's values, under its JSON keys."""
    from .jsonout import Number
    bid = "8000." + ":".join(f"{b:x}" for b in dev.bridge_id)
    zero = Number("0.00")
    return {
        "forward_delay": int(dev.forward_delay * 100), "hello_time": 200, "max_age": 2000,
        "ageing_time": int(dev.ageing_time * 100), "stp_state": dev.stp_state,
        "priority": 32768, "vlan_filtering": 0, "bridge_id": bid, "root_id": bid,
        "root_port": 0, "root_path_cost": 0, "topology_change": 0,
        "topology_change_detected": 0, "hello_timer": zero, "tcn_timer": zero,
        "topology_change_timer": zero, "gc_timer": zero, "group_fwd_mask": "0",
        "group_addr": "01:80:c2:00:00:00", "mcast_snooping": 1, "no_linklocal_learn": 0,
        "mcast_vlan_snooping": 0, "mcast_router": 1, "mcast_query_use_ifaddr": 0,
        "mcast_querier": 0, "mcast_hash_elasticity": 16, "mcast_hash_max": 4096,
        "mcast_last_member_cnt": 2, "mcast_startup_query_cnt": 2,
        "mcast_last_member_intvl": 100, "mcast_membership_intvl": 26000,
        "mcast_querier_intvl": 25500, "mcast_query_intvl": 12500,
        "mcast_query_response_intvl": 1000, "mcast_startup_query_intvl": 3124,
        "mcast_stats_enabled": 0, "mcast_igmp_version": 2, "mcast_mld_version": 1,
        "nf_call_iptables": 0, "nf_call_ip6tables": 0, "nf_call_arptables": 0}


def port_info_json(dev):
    """bridge_slave_print_opt in a JSON context (no mcast_fast_leave there: only the
    text output repeats fastleave under that name)."""
    from ...kernel.bridge import STATE_NAMES
    from .jsonout import Number
    br = dev.master
    p = br.ports.get(dev.ifindex)
    if p is None:
        return None
    bid = "8000." + ":".join(f"{b:x}" for b in br.mac)
    f = p.flags
    zero = Number("0.00")
    return {
        "state": STATE_NAMES[p.state], "priority": p.priority, "cost": p.cost,
        "hairpin": bool(f["hairpin"]), "guard": bool(f["guard"]),
        "root_block": bool(f["root_block"]), "fastleave": bool(f["fastleave"]),
        "learning": bool(f["learning"]), "flood": bool(f["flood"]),
        "id": f"0x{p.port_id:x}", "no": f"0x{p.port_no:x}", "designated_port": p.port_id,
        "designated_cost": 0, "bridge_id": bid, "root_id": bid, "hold_timer": zero,
        "message_age_timer": zero, "forward_delay_timer": zero, "topology_change_ack": 0,
        "config_pending": 0, "proxy_arp": bool(f["proxy_arp"]),
        "proxy_arp_wifi": bool(f["proxy_arp_wifi"]), "multicast_router": 1,
        "mcast_flood": bool(f["mcast_flood"]), "bcast_flood": bool(f["bcast_flood"]),
        "mcast_to_unicast": bool(f["mcast_to_unicast"]),
        "neigh_suppress": bool(f["neigh_suppress"]), "group_fwd_mask": "0",
        "group_fwd_mask_str": "0x0", "vlan_tunnel": bool(f["vlan_tunnel"]),
        "isolated": bool(f["isolated"]), "locked": bool(f["locked"])}


BRIDGE_EXPLAIN = (
    "Usage: ... bridge [ fdb_flush ]\n"
    "\t\t  [ forward_delay FORWARD_DELAY ]\n"
    "\t\t  [ hello_time HELLO_TIME ]\n"
    "\t\t  [ max_age MAX_AGE ]\n"
    "\t\t  [ ageing_time AGEING_TIME ]\n"
    "\t\t  [ stp_state STP_STATE ]\n"
    "\t\t  [ priority PRIORITY ]\n"
    "\t\t  [ group_fwd_mask MASK ]\n"
    "\t\t  [ group_address ADDRESS ]\n"
    "\t\t  [ no_linklocal_learn NO_LINKLOCAL_LEARN ]\n"
    "\t\t  [ vlan_filtering VLAN_FILTERING ]\n"
    "\t\t  [ vlan_protocol VLAN_PROTOCOL ]\n"
    "\t\t  [ vlan_default_pvid VLAN_DEFAULT_PVID ]\n"
    "\t\t  [ vlan_stats_enabled VLAN_STATS_ENABLED ]\n"
    "\t\t  [ vlan_stats_per_port VLAN_STATS_PER_PORT ]\n"
    "\t\t  [ mcast_snooping MULTICAST_SNOOPING ]\n"
    "\t\t  [ mcast_vlan_snooping MULTICAST_VLAN_SNOOPING ]\n"
    "\t\t  [ mcast_router MULTICAST_ROUTER ]\n"
    "\t\t  [ mcast_query_use_ifaddr MCAST_QUERY_USE_IFADDR ]\n"
    "\t\t  [ mcast_querier MULTICAST_QUERIER ]\n"
    "\t\t  [ mcast_hash_elasticity HASH_ELASTICITY ]\n"
    "\t\t  [ mcast_hash_max HASH_MAX ]\n"
    "\t\t  [ mcast_last_member_count LAST_MEMBER_COUNT ]\n"
    "\t\t  [ mcast_startup_query_count STARTUP_QUERY_COUNT ]\n"
    "\t\t  [ mcast_last_member_interval LAST_MEMBER_INTERVAL ]\n"
    "\t\t  [ mcast_membership_interval MEMBERSHIP_INTERVAL ]\n"
    "\t\t  [ mcast_querier_interval QUERIER_INTERVAL ]\n"
    "\t\t  [ mcast_query_interval QUERY_INTERVAL ]\n"
    "\t\t  [ mcast_query_response_interval QUERY_RESPONSE_INTERVAL ]\n"
    "\t\t  [ mcast_startup_query_interval STARTUP_QUERY_INTERVAL ]\n"
    "\t\t  [ mcast_stats_enabled MCAST_STATS_ENABLED ]\n"
    "\t\t  [ mcast_igmp_version IGMP_VERSION ]\n"
    "\t\t  [ mcast_mld_version MLD_VERSION ]\n"
    "\t\t  [ nf_call_iptables NF_CALL_IPTABLES ]\n"
    "\t\t  [ nf_call_ip6tables NF_CALL_IP6TABLES ]\n"
    "\t\t  [ nf_call_arptables NF_CALL_ARPTABLES ]\n"
    "\n"
    "Where: VLAN_PROTOCOL := { 802.1Q | 802.1ad }\n"
)

# bridge_parse_opt's chain, in its order: (keyword, how it is compared, value type).
# "prefix" is iproute2's matches() (any unique-or-first prefix), "exact" its strcmp.
U8, U16, U32, U64 = 0xFF, 0xFFFF, 0xFFFFFFFF, 0xFFFFFFFFFFFFFFFF
_BRIDGE_OPTS = (
    ("forward_delay", "prefix", U32), ("hello_time", "prefix", U32),
    ("max_age", "prefix", U32), ("ageing_time", "prefix", U32),
    ("stp_state", "prefix", U32), ("priority", "prefix", U16),
    ("vlan_filtering", "prefix", U8), ("vlan_protocol", "prefix", "proto"),
    ("group_fwd_mask", "prefix", U16), ("group_address", "prefix", "lladdr"),
    ("no_linklocal_learn", "exact", U8), ("fdb_flush", "prefix", None),
    ("vlan_default_pvid", "prefix", U16), ("vlan_stats_enabled", "prefix", U8),
    ("vlan_stats_per_port", "prefix", U8), ("mcast_router", "prefix", U8),
    ("mcast_snooping", "prefix", U8), ("mcast_vlan_snooping", "exact", U8),
    ("mcast_query_use_ifaddr", "prefix", U8), ("mcast_querier", "prefix", U8),
    ("mcast_hash_elasticity", "prefix", U32), ("mcast_hash_max", "prefix", U32),
    ("mcast_last_member_count", "prefix", U32), ("mcast_startup_query_count", "prefix", U32),
    ("mcast_last_member_interval", "prefix", U64), ("mcast_membership_interval", "prefix", U64),
    ("mcast_querier_interval", "prefix", U64), ("mcast_query_interval", "prefix", U64),
    ("mcast_query_response_interval", "prefix", U64),
    ("mcast_startup_query_interval", "prefix", U64),
    ("mcast_stats_enabled", "prefix", U8), ("mcast_igmp_version", "prefix", U8),
    ("mcast_mld_version", "prefix", U8), ("nf_call_iptables", "prefix", U8),
    ("nf_call_ip6tables", "prefix", U8), ("nf_call_arptables", "prefix", U8),
)


def _get_uint(text: str, limit: int):
    """get_u8/u16/u32/u64: strtoul(l) with base 0, the whole word, at most `limit`.
    strtoul takes a leading minus and wraps it, so "-1" fails every size but u64's."""
    neg = text.startswith("-")
    n = c.get_unsigned(text[1:] if neg else text)
    if n is None or (neg and text[1:2] in ("", "-", "+")):
        return None
    if neg and n:
        n = (1 << 64) - n
    return n if n <= limit else None


def parse_opt(proc: Proc, args: list[str]) -> list[tuple[str, object]]:
    """bridge_parse_opt (ip/iplink_bridge.c): the options, checked in full before any
    request is sent (so an error creates or changes nothing). Unknown words and `help`
    print the usage and return -1, which `ip` exits with as 1."""
    out: list[tuple[str, object]] = []
    a = c.Args(proc, args)
    while a:
        word = a.cur
        for key, how, kind in _BRIDGE_OPTS:
            if (word == key) if how == "exact" else matches(word, key):
                break
        else:
            if matches(word, "help"):
                proc.err(BRIDGE_EXPLAIN)
                raise Exit(1)
            proc.err(f'bridge: unknown command "{word}"?\n')
            proc.err(BRIDGE_EXPLAIN)
            raise Exit(1)
        if kind is None:                        # fdb_flush takes no value
            out.append((key, None))
            a.advance()
            continue
        v = a.next()
        if kind == "lladdr":
            val = c.ll_addr_a2n(proc, v)
        elif kind == "proto":
            val = v.lower() if v.lower() in ("802.1q", "802.1ad") else _get_uint(v, U16)
            if val is None:
                c.invarg(proc, "invalid vlan_protocol", v)
        else:
            val = _get_uint(v, kind)
            if val is None:
                c.invarg(proc, f"invalid {key}", v)
        out.append((key, val))
        a.advance()
    return out


def apply_opts(proc: Proc, dev, opts: list[tuple[str, object]]) -> int:
    """The options the simulated bridge keeps (the others it accepts and ignores)."""
    for key, val in opts:
        if key == "ageing_time":
            dev.ageing_time = val / 100.0
        elif key == "stp_state":
            if val:
                proc.err("vethtui: STP is not simulated; the bridge keeps forwarding\n")
            dev.stp_state = val
        elif key == "forward_delay":
            dev.forward_delay = val / 100.0
    return 0


def create(proc: Proc, net, r, opts: list[tuple[str, object]]):
    """`ip link add [NAME] type bridge [OPTIONS]`: the new bridge with the options
    parse_opt already checked."""
    from ...kernel.bridge import BridgeDevice
    name = r.name if r.name is not None else net.alloc_name("bridge%d")
    dev = BridgeDevice(name, net.world.random_mac())
    if r.address is not None:
        dev.mac = r.address
        dev.addr_assign_type = "set"
        dev.mac_set_by_user = True
    net.register(dev, ifindex=r.index)
    if r.address is not None:       # br_dev_newlink: br_stp_change_bridge_id(IFLA_ADDRESS)
        dev.bridge_id = r.address
    apply_opts(proc, dev, opts)
    return dev


BRIDGE_SLAVE_EXPLAIN = (
    "Usage: ... bridge_slave [ fdb_flush ]\n"
    "\t\t\t[ state STATE ]\n"
    "\t\t\t[ priority PRIO ]\n"
    "\t\t\t[ cost COST ]\n"
    "\t\t\t[ guard {on | off} ]\n"
    "\t\t\t[ hairpin {on | off} ]\n"
    "\t\t\t[ fastleave {on | off} ]\n"
    "\t\t\t[ root_block {on | off} ]\n"
    "\t\t\t[ learning {on | off} ]\n"
    "\t\t\t[ flood {on | off} ]\n"
    "\t\t\t[ proxy_arp {on | off} ]\n"
    "\t\t\t[ proxy_arp_wifi {on | off} ]\n"
    "\t\t\t[ mcast_router MULTICAST_ROUTER ]\n"
    "\t\t\t[ mcast_fast_leave {on | off} ]\n"
    "\t\t\t[ mcast_flood {on | off} ]\n"
    "\t\t\t[ bcast_flood {on | off} ]\n"
    "\t\t\t[ mcast_to_unicast {on | off} ]\n"
    "\t\t\t[ group_fwd_mask MASK ]\n"
    "\t\t\t[ neigh_suppress {on | off} ]\n"
    "\t\t\t[ vlan_tunnel {on | off} ]\n"
    "\t\t\t[ isolated {on | off} ]\n"
    "\t\t\t[ locked {on | off} ]\n"
    "\t\t\t[ backup_port DEVICE ] [ nobackup_port ]\n"
)

# bridge_slave_parse_opt's chain (ip/iplink_bridge_slave.c), in its order: the keyword and
# the p->flags name an on/off word sets (fastleave and mcast_fast_leave are one flag)
_SLAVE_ON_OFF = {"hairpin": "hairpin", "guard": "guard", "root_block": "root_block",
                 "fastleave": "fastleave", "learning": "learning", "flood": "flood",
                 "mcast_flood": "mcast_flood", "bcast_flood": "bcast_flood",
                 "mcast_to_unicast": "mcast_to_unicast", "proxy_arp": "proxy_arp",
                 "proxy_arp_wifi": "proxy_arp_wifi", "mcast_fast_leave": "fastleave",
                 "neigh_suppress": "neigh_suppress", "vlan_tunnel": "vlan_tunnel",
                 "isolated": "isolated", "locked": "locked"}
_SLAVE_ORDER = ("fdb_flush", "state", "priority", "cost", "hairpin", "guard", "root_block",
                "fastleave", "learning", "flood", "mcast_flood", "bcast_flood",
                "mcast_to_unicast", "proxy_arp", "proxy_arp_wifi", "mcast_router",
                "mcast_fast_leave", "neigh_suppress", "group_fwd_mask", "vlan_tunnel",
                "isolated", "locked", "backup_port", "nobackup_port", "help")


def parse_on_off(proc: Proc, msg: str, val: str):
    """parse_one_of(msg, val, {"off", "on"}): a prefix of either; None after the error."""
    for i, word in enumerate(("off", "on")):
        if matches(val, word):
            return bool(i)
    proc.err(f'Error: argument of "{msg}" must be one of "off", "on", not "{val}"\n')
    return None


def slave_parse_opt(proc: Proc, net, args: list[str]) -> dict:
    """bridge_slave_parse_opt: the port settings, all checked before the request is sent.
    A bad on/off exits 1 (bridge_slave_parse_on_off), a bad number 255 (invarg), an
    unknown word or `help` prints the usage and returns -1 (ip exits 1)."""
    out: dict = {"flags": {}}
    a = c.Args(proc, args)
    while a:
        word = a.cur
        key = next((k for k in _SLAVE_ORDER if matches(word, k)), None)
        if key is None or key == "help":
            if key is None:
                proc.err(f'bridge_slave: unknown option "{word}"?\n')
            proc.err(BRIDGE_SLAVE_EXPLAIN)
            raise Exit(1)
        if key in ("fdb_flush", "nobackup_port"):
            a.advance()
            continue
        v = a.next()
        if key in _SLAVE_ON_OFF:
            on = parse_on_off(proc, key, v)
            if on is None:
                raise Exit(1)
            out["flags"][_SLAVE_ON_OFF[key]] = on
        elif key == "state":
            n = _get_uint(v, U8)
            if n is None:
                c.invarg(proc, "state is invalid", v)
            out["state"] = n
        elif key == "priority":
            n = _get_uint(v, U16)
            if n is None:
                c.invarg(proc, "priority is invalid", v)
            out["priority"] = n
        elif key == "cost":
            n = _get_uint(v, U32)
            if n is None:
                c.invarg(proc, "cost is invalid", v)
            out["cost"] = n
        elif key in ("mcast_router", "group_fwd_mask"):
            if _get_uint(v, U8 if key == "mcast_router" else U16) is None:
                c.invarg(proc, f"invalid {key}", v)
        elif key == "backup_port":
            if net.dev_by_name(v) is None:
                c.invarg(proc, "Device does not exist\n", v)
        a.advance()
    return out
