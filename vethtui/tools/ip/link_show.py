"""`ip link show` and the link half of `ip addr`: iproute2 6.1 ip/ipaddress.c.

print_linkinfo (the header, the link/ line, -d details, -s statistics, JSON and
-br forms) and ipaddr_list_flush_or_save's link filter; the command that changes
links, ip/iplink.c, is link.py.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Optional

from ...kernel.drivers import VethDevice
from ...kernel.netdev import IFF_UP, NetDevice
from ..base import Proc, matches
from . import common as c
from .common import AF_INET6, AF_PACKET, AF_UNSPEC, Args, IpOpts

if TYPE_CHECKING:  # pragma: no cover
    from ...kernel.netns import Net

# ---------------------------------------------------------------- printing

def inet6_dump(opts: IpOpts, do_link: bool) -> bool:
    """`ip -6 addr` dumps links with family AF_INET6, which addrconf answers itself
    (inet6_dump_ifinfo): name, address, mtu, iflink, operstate only; qlen comes from an
    ioctl, and there is no qdisc, master, group or link-netnsid. With `dev X` it asks for
    one link, a request addrconf has no handler for: rtnl_getlink answers in full."""
    return opts.inet6_dump and opts.family == AF_INET6 and not do_link


def inet6_link_name(dev: NetDevice, net: "Net") -> tuple[str, bool]:
    """print_name_and_link without IFLA_LINK_NETNSID: the peer's index is looked up in
    this namespace (ll_index_to_name gives "ifN" when nothing has it, and no M-DOWN)."""
    if not isinstance(dev, VethDevice) or dev.peer is None:
        return c.link_name(dev, net)
    if dev.peer.ifindex == dev.ifindex:
        # inet6_fill_ifinfo puts IFLA_LINK only when iflink differs from the ifindex
        return dev.name, False
    other = net.dev_by_index(dev.peer.ifindex)
    if other is None:
        return f"{dev.name}@if{dev.peer.ifindex}", False
    return f"{dev.name}@{other.name}", not bool(other.flags & IFF_UP)


def link_header(dev: NetDevice, net: "Net", opts: IpOpts, do_link: bool) -> str:
    if inet6_dump(opts, do_link):
        name, mdown = inet6_link_name(dev, net)
        state = dev.operstate()
        sc = "up" if state == "UP" else "down" if state == "DOWN" else None
        return "".join([f"{dev.ifindex}: ", c.colored(opts, "ifname", f"{name}: "),
                        c.flags_str(dev.get_flags(), mdown), " ", f"mtu {dev.mtu} ",
                        "state " + (c.colored(opts, sc, f"{state} ") if sc else f"{state} "),
                        f"qlen {dev.txqlen}" if dev.txqlen else ""])
    name, mdown = c.link_name(dev, net)
    parts = [f"{dev.ifindex}: ", c.colored(opts, "ifname", f"{name}: "),
             c.flags_str(dev.get_flags(), mdown), " ", f"mtu {dev.mtu} ", f"qdisc {dev.qdisc} "]
    if dev.master is not None:
        parts.append(f"master {dev.master.name} ")
    state = dev.operstate()
    sc = "up" if state == "UP" else "down" if state == "DOWN" else None
    parts.append("state " + (c.colored(opts, sc, f"{state} ") if sc else f"{state} "))
    if do_link:
        parts.append(f"mode {dev.link_mode} ")
    parts.append(f"group {dev.group} ")
    if dev.txqlen:
        parts.append(f"qlen {dev.txqlen}")
    return "".join(parts)


def link_lines(dev: NetDevice, net: "Net", opts: IpOpts, do_link: bool) -> list[str]:
    """print_linkinfo as a list of physical lines (joined by the caller)."""
    line1 = link_header(dev, net, opts, do_link)
    lines = [line1]
    if opts.family in (AF_UNSPEC, AF_PACKET) or opts.details:
        kind = "loopback" if dev.type == 772 else "ether"
        l2 = f"    link/{kind} " + c.colored(opts, "mac", c.mac_text(dev.mac)) + " brd " + \
            c.colored(opts, "mac", c.mac_text(dev.broadcast))
        if dev.perm_mac != dev.mac and dev.addr_assign_type == "perm-changed":
            l2 += " permaddr " + c.mac_text(dev.perm_mac)
        peer_ns = link_netns_suffix(dev, net)
        l2 += peer_ns
        if opts.details:
            l2 += (f" promiscuity {dev.promiscuity} "
                   f" allmulti {dev.allmulti} minmtu {dev.min_mtu if dev.type != 772 else 0} "
                   f"maxmtu {dev.max_mtu if dev.type != 772 else 0} ")
            l2 += details_tail(dev)
        lines.append(l2)
    elif not inet6_dump(opts, do_link):
        lines[0] += link_netns_suffix(dev, net)   # no link/ line: it ends the header
    if do_link and dev.alias:
        lines.append(f"    alias {dev.alias}")
    if do_link and opts.stats:
        lines.extend(stats_lines(dev, opts))
    if opts.details and dev.kind is not None:
        # print_linktype already appended to line 2 via details_tail
        pass
    return lines


def details_tail(dev: NetDevice) -> str:
    """The -d part after maxmtu: link kind and slave kind lines, then queue/gso figures."""
    from . import bridge_details
    kind = ""
    if dev.kind == "veth":
        kind = "\n    veth "
    elif dev.kind == "bridge":
        kind = "\n    " + bridge_details.bridge_info(dev)
    if dev.master is not None and getattr(dev.master, "kind", None) == "bridge":
        kind += "\n    " + bridge_details.port_info(dev)
    ntx, tso = _queues(dev)
    tail = (f"addrgenmode eui64 numtxqueues {ntx} numrxqueues {ntx} gso_max_size 65536 "
            f"gso_max_segs 65535 tso_max_size {tso} "
            f"tso_max_segs 65535 gro_max_size 65536 ")
    if dev.type == 772:
        return tail
    return kind + tail


def _queues(dev: NetDevice) -> tuple[int, int]:
    """(num_tx_queues = num_rx_queues, tso_max_size) as -d shows them."""
    ntx = 1 if dev.type == 772 or dev.kind == "bridge" else 2
    # a bridge keeps alloc_netdev's GSO_LEGACY_MAX_SIZE until br_set_gso_limits (a port
    # added or removed) gives it the smallest of its ports' (TSO_MAX_SIZE with none)
    tso = 65536 if dev.kind == "bridge" and not getattr(dev, "had_ports", True) else 524280
    return ntx, tso


def details_json(dev: NetDevice) -> dict:
    """-j -d: what details_tail prints, as print_linkinfo's JSON keys."""
    from . import bridge_details
    lo = dev.type == 772
    o: dict = {"promiscuity": dev.promiscuity, "allmulti": dev.allmulti,
               "min_mtu": 0 if lo else dev.min_mtu, "max_mtu": 0 if lo else dev.max_mtu}
    if not lo:
        info: dict = {}
        if dev.kind in ("veth", "bridge"):
            info["info_kind"] = dev.kind
            if dev.kind == "bridge":
                info["info_data"] = bridge_details.bridge_info_json(dev)
        if dev.master is not None and getattr(dev.master, "kind", None) == "bridge":
            slave = bridge_details.port_info_json(dev)
            if slave is not None:
                info["info_slave_kind"] = "bridge"
                info["info_slave_data"] = slave
        if info:
            o["linkinfo"] = info
    ntx, tso = _queues(dev)
    o.update({"inet6_addr_gen_mode": "eui64", "num_tx_queues": ntx, "num_rx_queues": ntx,
              "gso_max_size": 65536, "gso_max_segs": 65535, "tso_max_size": tso,
              "tso_max_segs": 65535, "gro_max_size": 65536})
    return o


def link_netns_suffix(dev: NetDevice, viewer: "Net") -> str:
    """` link-netns NAME` or ` link-netnsid N` for a veth whose peer lives elsewhere.

    iproute2 prints a name when the peer's namespace is one of /run/netns that
    the viewing namespace has an id for, else the bare id.
    """
    if isinstance(dev, VethDevice) and dev.peer is not None and dev.peer.net is not viewer:
        other = dev.peer.net
        nid = viewer.peernet2id(other)
        for name, n in viewer.world.netns.items():
            if n is other:
                return f" link-netns {name}"
        return f" link-netnsid {nid}"
    return ""


def stats_lines(dev: NetDevice, opts: IpOpts) -> list[str]:
    s = dev.stats
    cols = [len("*X errors:"), len("packets"), len("errors"), len("dropped"), len("heartbt"),
            len("overrun"), len("compressed"), len("otherhost")]

    def size(*vals: int) -> None:
        for i, v in enumerate(vals):
            n = len(str(v))
            if n > cols[i]:
                cols[i] = n
    size(s.rx_bytes, s.rx_packets, s.rx_errors, s.rx_dropped, s.rx_missed, s.rx_mcast, 0, 0)
    carrier_changes = dev.carrier_changes if hasattr(dev, "carrier_changes") else 0
    if opts.stats > 1:
        size(0, s.rx_length_errors, s.rx_crc_errors, s.rx_frame_errors, s.rx_fifo_errors,
             s.rx_over_errors, s.rx_nohandler, 0)
    size(s.tx_bytes, s.tx_packets, s.tx_errors, s.tx_dropped, s.tx_carrier, s.collisions, 0, 0)
    if opts.stats > 1:
        size(0, 0, s.tx_aborted_errors, s.tx_fifo_errors, s.tx_window_errors,
             s.tx_heartbeat_errors, carrier_changes, 0)

    def num(w: int, v: int) -> str:
        return f"{v:>{w}} "
    out = []
    out.append("    RX: " + f"{'bytes':>{cols[0] - 4}} {'packets':>{cols[1]}} {'errors':>{cols[2]}} "
               f"{'dropped':>{cols[3]}} {'missed':>{cols[4]}} {'mcast':>{cols[5]}} {'':>{cols[6]}}")
    out.append("    " + num(cols[0], s.rx_bytes) + num(cols[1], s.rx_packets) + num(cols[2], s.rx_errors)
               + num(cols[3], s.rx_dropped) + num(cols[4], s.rx_missed) + num(cols[5], s.rx_mcast))
    if opts.stats > 1:
        extra = ""
        if s.rx_nohandler:
            extra = f"{' nohandler':>{cols[6] + 1}}"
        out.append("    RX errors:" + f"{'':>{cols[0] - 10}} {'length':>{cols[1]}} {'crc':>{cols[2]}} "
                   f"{'frame':>{cols[3]}} {'fifo':>{cols[4]}} {'overrun':>{cols[5]}}" + extra)
        line = " " * (cols[0] + 5) + num(cols[1], s.rx_length_errors) + num(cols[2], s.rx_crc_errors) \
            + num(cols[3], s.rx_frame_errors) + num(cols[4], s.rx_fifo_errors) + num(cols[5], s.rx_over_errors)
        if s.rx_nohandler:
            line += num(cols[6], s.rx_nohandler)
        out.append(line)
    out.append("    TX: " + f"{'bytes':>{cols[0] - 4}} {'packets':>{cols[1]}} {'errors':>{cols[2]}} "
               f"{'dropped':>{cols[3]}} {'carrier':>{cols[4]}} {'collsns':>{cols[5]}} {'':>{cols[6]}}")
    out.append("    " + num(cols[0], s.tx_bytes) + num(cols[1], s.tx_packets) + num(cols[2], s.tx_errors)
               + num(cols[3], s.tx_dropped) + num(cols[4], s.tx_carrier) + num(cols[5], s.collisions))
    if opts.stats > 1:
        out.append("    TX errors:" + f"{'':>{cols[0] - 10}} {'aborted':>{cols[1]}} {'fifo':>{cols[2]}} "
                   f"{'window':>{cols[3]}} {'heartbt':>{cols[4]}} {'transns':>{cols[5]}}")
        out.append(" " * (cols[0] + 5) + num(cols[1], s.tx_aborted_errors) + num(cols[2], s.tx_fifo_errors)
                   + num(cols[3], s.tx_window_errors) + num(cols[4], s.tx_heartbeat_errors)
                   + num(cols[5], carrier_changes))
    return out


def link_json(dev: NetDevice, net: "Net", opts: IpOpts, do_link: bool) -> dict:
    """print_linkinfo's JSON object: the same attributes, in the order it prints them."""
    o: dict = {"ifindex": dev.ifindex}
    if inet6_dump(opts, do_link):
        name, mdown = inet6_link_name(dev, net)
        if "@" in name:
            o["link"] = name.split("@", 1)[1]
        o["ifname"] = dev.name
        o["flags"] = c.flags_list(dev.get_flags(), mdown)
        o["mtu"] = dev.mtu
        o["operstate"] = dev.operstate()
        if dev.txqlen:
            o["txqlen"] = dev.txqlen
        return o
    o.update(_json_link_ref(dev, net))
    o["ifname"] = dev.name
    o["flags"] = c.flags_list(dev.get_flags(), _mdown(dev, net))
    o["mtu"] = dev.mtu
    o["qdisc"] = dev.qdisc
    if dev.master is not None:
        o["master"] = dev.master.name
    o["operstate"] = dev.operstate()
    if do_link:
        o["linkmode"] = dev.link_mode
    o["group"] = "default" if dev.group in (0, "0", "default") else str(dev.group)
    if dev.txqlen:
        o["txqlen"] = dev.txqlen
    if opts.family in (AF_UNSPEC, AF_PACKET):
        o["link_type"] = "loopback" if dev.type == 772 else "ether"
        o["address"] = c.mac_text(dev.mac)
        o["broadcast"] = c.mac_text(dev.broadcast)
        if dev.perm_mac != dev.mac and dev.addr_assign_type == "perm-changed":
            o["permaddr"] = c.mac_text(dev.perm_mac)
    nsid = _link_netnsid(dev, net)
    if nsid is not None:
        o["link_netnsid"] = nsid
    if opts.details:
        o.update(details_json(dev))
    if do_link and dev.alias:
        o["ifalias"] = dev.alias
    if do_link and opts.stats:
        o["stats64"] = stats_json(dev, opts)
    return o


def _mdown(dev: NetDevice, net: "Net") -> bool:
    return c.link_name(dev, net)[1]


def _json_link_ref(dev: NetDevice, net: "Net") -> dict:
    """print_name_and_link in a JSON context: "link" (the peer's name here), "link_index"
    (the peer is in another namespace), or "link": null (no peer)."""
    if not isinstance(dev, VethDevice):
        return {}
    if dev.peer is None:
        return {"link": None}
    if dev.peer.net is not net:
        return {"link_index": dev.peer.ifindex}
    return {"link": dev.peer.name}


def _link_netnsid(dev: NetDevice, net: "Net") -> Optional[int]:
    if isinstance(dev, VethDevice) and dev.peer is not None and dev.peer.net is not net:
        return net.peernet2id(dev.peer.net)
    return None


def stats_json(dev: NetDevice, opts: IpOpts) -> dict:
    """print_stats64 in a JSON context ("stats64": {"rx": ..., "tx": ...})."""
    s = dev.stats
    rx = {"bytes": s.rx_bytes, "packets": s.rx_packets, "errors": s.rx_errors,
          "dropped": s.rx_dropped, "over_errors": s.rx_over_errors, "multicast": s.rx_mcast}
    if opts.stats > 1:
        rx.update({"length_errors": s.rx_length_errors, "crc_errors": s.rx_crc_errors,
                   "frame_errors": s.rx_frame_errors, "fifo_errors": s.rx_fifo_errors,
                   "missed_errors": s.rx_missed})
        if s.rx_nohandler:
            rx["nohandler"] = s.rx_nohandler
    tx = {"bytes": s.tx_bytes, "packets": s.tx_packets, "errors": s.tx_errors,
          "dropped": s.tx_dropped, "carrier_errors": s.tx_carrier, "collisions": s.collisions}
    if opts.stats > 1:
        tx.update({"aborted_errors": s.tx_aborted_errors, "fifo_errors": s.tx_fifo_errors,
                   "window_errors": s.tx_window_errors, "heartbeat_errors": s.tx_heartbeat_errors,
                   "carrier_changes": getattr(dev, "carrier_changes", 0)})
    return {"rx": rx, "tx": tx}


def brief_link_json(dev: NetDevice, net: "Net", opts: IpOpts) -> dict:
    """print_linkinfo_brief in a JSON context (`ip -j -br link`: family AF_PACKET)."""
    o = dict(_json_link_ref(dev, net))
    o["ifname"] = dev.name
    o["operstate"] = dev.operstate()
    if opts.family == AF_PACKET:
        o["address"] = c.mac_text(dev.mac)
        o["flags"] = c.flags_list(dev.get_flags(), _mdown(dev, net))
    return o


def brief_link(dev: NetDevice, net: "Net", opts: IpOpts) -> str:
    name, mdown = c.link_name(dev, net)
    state = dev.operstate()
    sc = "up" if state == "UP" else "down" if state == "DOWN" else None
    st = f"{state:<14} "
    return (c.colored(opts, "ifname", f"{name:<16} ") + (c.colored(opts, sc, st) if sc else st)
            + c.colored(opts, "mac", c.mac_text(dev.mac) + " ")   # "%s ": the padding is coloured
            + c.flags_str(dev.get_flags(), mdown) + " ")


def join(lines: list[str], opts: IpOpts) -> str:
    return ("\\" if opts.oneline else "\n").join(lines) + "\n"


# ---------------------------------------------------------------- show

@dataclass
class LinkFilter:
    dev: Optional[str] = None
    up: bool = False
    kind: Optional[str] = None
    slave_kind: Optional[str] = None
    master: int = 0
    nomaster: bool = False
    group: Optional[str] = None
    label: Optional[str] = None
    scope: Optional[int] = None
    to: Optional[c.Prefix] = None
    flags: dict = field(default_factory=dict)


def parse_show_filter(proc: Proc, net: "Net", args: Args, for_addr: bool, usage) -> LinkFilter:
    f = LinkFilter()
    while args:
        a = args.cur
        if a == "to" and for_addr:
            v = args.next()
            p = c.get_prefix(v)
            if p is None:
                c.invarg(proc, 'invalid "to"\n', v)
            f.to = p
        elif a == "scope" and for_addr:
            v = args.next()
            sc = c.scope_a2n(v)
            if sc is None:
                if v != "all":
                    c.invarg(proc, 'invalid "scope"\n', v)
                sc = None
            f.scope = sc
        elif a == "up":
            f.up = True
        elif for_addr and a in ("primary", "secondary", "permanent", "dynamic", "tentative",
                                "-tentative", "deprecated", "-deprecated", "dadfailed",
                                "-dadfailed", "temporary", "-primary", "-secondary"):
            f.flags[a.lstrip("-")] = not a.startswith("-")
        elif a == "label" and for_addr:
            f.label = args.next()
        elif a == "group":
            f.group = args.next()
        elif a == "master":
            v = args.next()
            m = net.dev_by_name(v)
            if m is None:
                c.invarg(proc, "Device does not exist\n", v)
            f.master = m.ifindex
        elif a == "nomaster":
            f.nomaster = True
        elif a == "type":
            v = args.next()
            if v.endswith("_slave"):
                f.slave_kind = v[: -len("_slave")]
            else:
                f.kind = v
        else:
            if a == "dev":
                a = args.next()
            elif matches(a, "help"):
                usage(proc)
            if f.dev is not None:
                c.duparg2(proc, "dev", a)
            f.dev = a
        args.advance()
    return f


def link_matches(dev: NetDevice, f: LinkFilter) -> bool:
    if f.up and not dev.flags & IFF_UP:
        return False
    if f.group is not None and f.group not in ("default", "0", "all"):
        return False
    if f.master and (dev.master is None or dev.master.ifindex != f.master):
        return False
    if f.nomaster and dev.master is not None:
        return False
    if f.kind is not None and dev.kind != f.kind:
        return False
    if f.slave_kind is not None and (dev.master is None or dev.master.kind != f.slave_kind):
        return False
    return True


def kernel_dump_matches(dev: NetDevice, f: LinkFilter) -> bool:
    """What RTM_GETLINK's dump filter (IFLA_MASTER, IFLA_LINKINFO kind) lets through."""
    if f.master and (dev.master is None or dev.master.ifindex != f.master):
        return False
    if f.nomaster and dev.master is not None:
        return False
    if f.kind is not None and dev.kind != f.kind:
        return False
    return True


def do_show(proc: Proc, opts: IpOpts, args: Args, usage) -> int:
    """ipaddr_list_link: the links, filtered; `usage` is the object's help."""
    net = opts.net
    f = parse_show_filter(proc, net, args, False, usage)
    devs = net.devices_in_order()
    if f.dev is not None:
        d = net.dev_by_name(f.dev)
        if d is None:
            proc.err(f'Device "{f.dev}" does not exist.\n')
            return 1
        devs = [d]
    if opts.json:
        from dataclasses import replace
        from .jsonout import dumps
        opts = replace(opts, family=AF_PACKET)   # ipaddr_list_link: preferred_family = AF_PACKET
        # The kernel filters a dump by master and kind itself; the filters print_linkinfo
        # applies (up, group, slave kind) leave the object it had opened empty: {}.
        objs = [(brief_link_json(d, net, opts) if opts.brief else link_json(d, net, opts, True))
                if link_matches(d, f) else {}
                for d in devs if kernel_dump_matches(d, f)]
        proc.out(dumps(objs, opts.pretty))
        return 0
    for dev in devs:
        if not link_matches(dev, f):
            continue
        if opts.brief:
            proc.out(brief_link(dev, net, opts) + "\n")
        else:
            proc.out(join(link_lines(dev, net, opts, True), opts))
    return 0
