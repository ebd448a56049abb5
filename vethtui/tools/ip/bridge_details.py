"""The bridge parts of `ip -d link` and `ip link add/set ... type bridge OPTIONS`
(iproute2 6.1 ip/iplink_bridge.c and iplink_bridge_slave.c)."""
from __future__ import annotations

from ..base import Exit, Proc
from . import common as c


def bridge_info(dev) -> str:
    from ...kernel.bridge import BridgeDevice
    assert isinstance(dev, BridgeDevice)
    bid = "8000." + ":".join(f"{b:x}" for b in dev.mac)   # printed unpadded
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
    return (f"bridge_slave state {STATE_NAMES[p.state]} priority {p.priority} cost {p.cost} "
            f"hairpin {'on' if p.flags['hairpin'] else 'off'} guard off root_block off fastleave off "
            f"learning {'on' if p.flags['learning'] else 'off'} flood {'on' if p.flags['flood'] else 'off'} "
            f"port_id 0x{0x8000 + p.port_no:x} port_no 0x{p.port_no:x} designated_port {0x8000 + p.port_no} "
            f"designated_cost 0 designated_bridge 8000.{bid} designated_root 8000.{bid} "
            f"hold_timer    0.00 message_age_timer    0.00 forward_delay_timer    0.00 "
            f"topology_change_ack 0 config_pending 0 proxy_arp off proxy_arp_wifi off "
            f"mcast_router 1 mcast_fast_leave off mcast_flood on bcast_flood on mcast_to_unicast off "
            f"neigh_suppress off group_fwd_mask 0 group_fwd_mask_str 0x0 vlan_tunnel off "
            f"isolated off locked off ")


def apply_bridge_opts(proc: Proc, dev, args: list[str]) -> int:
    """`type bridge stp_state 0 ageing_time 30000 forward_delay ...`"""
    i = 0
    while i < len(args):
        a = args[i]
        if i + 1 >= len(args):
            c.incomplete(proc)
        v = args[i + 1]
        n = c.get_unsigned(v)
        if a == "ageing_time":
            if n is None:
                c.invarg(proc, 'invalid ageing_time', v)
            dev.ageing_time = n / 100.0
        elif a == "stp_state":
            if n is None:
                c.invarg(proc, 'invalid stp_state', v)
            if n:
                proc.err("vethtui: STP is not simulated; the bridge keeps forwarding\n")
            dev.stp_state = n
        elif a == "forward_delay":
            if n is None:
                c.invarg(proc, 'invalid forward_delay', v)
            dev.forward_delay = n / 100.0
        elif a in ("hello_time", "max_age", "priority", "vlan_filtering", "mcast_snooping",
                   "group_fwd_mask", "vlan_default_pvid", "mcast_querier"):
            pass
        else:
            proc.err(f'bridge: unknown command "{a}"?\n')
            raise Exit(255)
        i += 2
    return 0


def create(proc: Proc, net, r):
    """`ip link add [NAME] type bridge [OPTIONS]`: the new bridge, or the status of the
    error already printed (the options are applied once it is registered)."""
    from ...kernel.bridge import BridgeDevice
    name = r.name if r.name is not None else net.alloc_name("bridge%d")
    dev = BridgeDevice(name, net.world.random_mac())
    if r.address is not None:
        dev.mac = r.address
        dev.addr_assign_type = "set"
        dev.mac_set_by_user = True
    net.register(dev, ifindex=r.index)
    if r.type_args:
        rc = apply_bridge_opts(proc, dev, r.type_args)
        if rc:
            net.unregister(dev)
            return rc
    return dev
