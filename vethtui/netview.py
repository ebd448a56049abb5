"""What the panes show of a namespace, as plain rows: the engine's query API for the UI.

The TUI never reads the stack's objects: it asks here for one namespace's links,
routes and neighbours, and gets frozen rows of strings, already worded and
coloured as the tools print them (`ip -c`, `route -n`, `ip neigh`). Each row
has a stable `key`, so a table can update the cells that changed. A namespace
is passed around as an opaque handle (what `Engine.namespaces()` returns);
`name_of(handle)` is its display name, as events carry it, `cookie_of(handle)` its
identity (what events are matched by: two namespaces can share a display name), and
`label_of(handle)` what a title shows (`netns host` for an `ip netns` one named host).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .explain import ns_label
from .kernel import fib as F
from .kernel import neighbour as N
from .kernel.events import AddrEvent, DropEvent, LinkEvent, NeighEvent, NetnsEvent, RouteEvent
from .kernel.inet import ntoa, prefix_mask
from .kernel.drivers import VethDevice
from .tools.ip.addr import addr6_line, addr_line, brief_addr
from .tools.ip.common import IpOpts, flags_str, link_name, mac_text
from .tools.ip.link import colored, link_lines, stats_lines
from .tools.ip.neigh import format_neigh
from .tools.ip.route import format_route
from .tools.route import route_flags

__all__ = ["AddrEvent", "DropEvent", "LinkEvent", "NeighEvent", "NetnsEvent", "RouteEvent",
           "LinkRow", "RouteRow", "NeighRow", "links", "routes", "neighbours", "name_of",
           "cookie_of", "label_of", "concerns",
           "device_name", "link_up", "LinkDetail", "link_detail"]

COLOUR = IpOpts(color=True)
PLAIN = IpOpts()
ROUTE_N_TYPES = (F.RTN_UNICAST, F.RTN_UNREACHABLE, F.RTN_PROHIBIT, F.RTN_BLACKHOLE)


def name_of(net: Any) -> str:
    """The namespace's display name ("host" for the lab's own)."""
    return net.display_name


def cookie_of(net: Any) -> int:
    """The namespace's identity (its net_cookie): what an event names it by. Two
    namespaces can share a display name (`ip netns add host` beside the lab's own)."""
    return net.net_cookie


def label_of(net: Any) -> str:
    """The namespace as a title shows it: its display name, but `netns host` for an
    `ip netns` namespace named host, which the lab's own ("host") would be taken for."""
    return ns_label(net.display_name, net is net.world.init_net)


def concerns(event: Any, net: Any) -> bool:
    """Whether a link, address, route, neighbour or sysctl event is about `net`."""
    return event.net_cookie == net.net_cookie


@dataclass(frozen=True)
class LinkRow:
    """One device, as `ip -br -c addr` and `ip link` describe it."""

    key: str
    ifindex: int
    name: str           # name@peer, coloured
    state: str          # UP / DOWN / UNKNOWN / LOWERLAYERDOWN, coloured
    flags: str          # <BROADCAST,MULTICAST,UP,LOWER_UP>
    mtu: str
    mac: str            # coloured
    addresses: str      # `ip -br -c addr`'s addresses, coloured
    master: str         # the bridge the device is plugged into, or ""
    device: str         # the plain device name (what commands take)


def links(net: Any) -> list[LinkRow]:
    rows = []
    for dev in net.devices_in_order():
        name, mdown = link_name(dev, net)
        state = dev.operstate()
        sc = "up" if state == "UP" else "down" if state == "DOWN" else None
        ifas = list(dev.in_dev.ifa_list) if dev.in_dev is not None else []
        ifa6 = list(getattr(dev, "inet6", []))
        lead = brief_addr(dev, net, COLOUR, [], [])
        addrs = brief_addr(dev, net, COLOUR, ifas, ifa6)[len(lead):].rstrip()
        master = dev.master.name if dev.master is not None else ""
        rows.append(LinkRow(
            key=str(dev.ifindex), ifindex=dev.ifindex,
            name=colored(COLOUR, "ifname", name),
            state=colored(COLOUR, sc, state) if sc else state,
            flags=flags_str(dev.get_flags(), mdown), mtu=str(dev.mtu),
            mac=colored(COLOUR, "mac", mac_text(dev.mac)), addresses=addrs,
            master=master, device=dev.name))
    return rows


def device_name(net: Any, ifindex: int) -> str:
    """The name of device `ifindex` in `net` ("" when it is gone)."""
    dev = net.dev_by_index(ifindex)
    return dev.name if dev is not None else ""


def link_up(net: Any, name: str) -> "tuple[int, bool] | None":
    """Device `name` in `net`: its ifindex and whether it is up (None: no such device)."""
    dev = net.dev_by_name(name)
    return None if dev is None else (dev.ifindex, bool(dev.is_up))


DETAIL = IpOpts(color=True, details=1, stats=1)


@dataclass(frozen=True)
class LinkDetail:
    """A link's details screen: the device in words, and `ip -d -s addr show dev X`."""

    name: str
    about: str          # kind, namespace, the peer of a veth, the master
    text: str           # what `ip -d -s addr show dev X` prints (ANSI colours)


def link_detail(net: Any, ifindex: int) -> "LinkDetail | None":
    """Device `ifindex` of `net` described (None when it no longer exists)."""
    dev = net.dev_by_index(ifindex)
    if dev is None:
        return None
    kind = dev.kind or ("loopback" if dev.type == 772 else "ethernet")
    about = [f"{dev.name}: {kind} device, ifindex {dev.ifindex}, in namespace "
             f"{label_of(net)}"]
    if isinstance(dev, VethDevice):
        peer = dev.peer
        if peer is None:
            about.append("peer: none (its peer was deleted)")
        else:
            where = label_of(peer.net) if peer.net is not None else "?"
            same = " (the same namespace)" if peer.net is net else ""
            about.append(f"peer: {peer.name}, ifindex {peer.ifindex}, in namespace {where}{same}")
    if dev.master is not None:
        about.append(f"master: {dev.master.name}")
    lines = list(link_lines(dev, net, DETAIL, False))
    for ifa in (dev.in_dev.ifa_list if dev.in_dev is not None else []):
        lines.extend(addr_line(ifa, DETAIL))
    for a6 in getattr(dev, "inet6", []):
        lines.extend(addr6_line(a6, DETAIL))
    lines.extend(stats_lines(dev, DETAIL))
    return LinkDetail(dev.name, "\n".join(about), "\n".join(lines))


@dataclass(frozen=True)
class RouteRow:
    """A route: `route -n`'s columns for the main table, `ip route`'s line for local."""

    key: str
    dst: str = ""
    gateway: str = ""
    genmask: str = ""
    flags: str = ""
    metric: str = ""
    ref: str = "0"
    use: str = "0"
    iface: str = ""
    line: str = ""      # `ip route show table local`'s line, coloured


def _route_key(fa, seen: dict[str, int]) -> str:
    nh = fa.info.nh
    base = (f"{fa.table}/{fa.dst}/{fa.dst_len}/{fa.tos}/{fa.type}/{fa.info.priority}/"
            f"{nh.gw}/{nh.dev.ifindex if nh.dev is not None else 0}")
    n = seen.get(base, 0)
    seen[base] = n + 1
    return f"{base}#{n}"


def routes(net: Any, table: str = "main") -> list[RouteRow]:
    """The main table as `route -n` lists it, or the local table as `ip route` does."""
    tb_id = F.RT_TABLE_MAIN if table == "main" else F.RT_TABLE_LOCAL
    tb = net.fib_tables.get(tb_id)
    if tb is None:
        return []
    seen: dict[str, int] = {}
    rows = []
    for fa in tb.aliases():
        if table == "main":
            if fa.type not in ROUTE_N_TYPES:
                continue
            nh = fa.info.nh
            rows.append(RouteRow(
                key=_route_key(fa, seen), dst=ntoa(fa.dst),
                gateway=ntoa(nh.gw) if nh.gw else "0.0.0.0",
                genmask=ntoa(prefix_mask(fa.dst_len)), flags=route_flags(fa),
                metric=str(fa.info.priority),
                iface=nh.dev.name if nh.dev is not None else "*"))
        else:
            rows.append(RouteRow(key=_route_key(fa, seen),
                                 line=format_route(fa, COLOUR, tb_id).rstrip()))
    return rows


@dataclass(frozen=True)
class NeighRow:
    """An `ip neigh` entry split into its columns (NOARP entries are not listed)."""

    key: str
    address: str        # coloured
    dev: str            # coloured
    lladdr: str         # coloured, "" while unresolved
    state: str          # flags and NUD state: "router REACHABLE", "FAILED"


def neighbours(net: Any) -> list[NeighRow]:
    now = net.world.sched.now
    rows = []
    tables = [net.arp_tbl]
    nd = net.__dict__.get("nd_tbl")       # IPv6's neighbours, once ndisc made the table
    if nd is not None:
        tables.append(nd)
    for n in [n for tbl in tables for n in tbl.in_order()]:
        if n.nud_state & N.NUD_NOARP:
            continue
        words = _neigh_words(n, now)
        rows.append(NeighRow(f"{n.dev.ifindex}/{n.key}", *words))
    return rows


def _neigh_words(n, now: float) -> tuple[str, str, str, str]:
    """`ip neigh`'s line for the entry, split into address, dev, lladdr and state."""
    words = format_neigh(n, PLAIN, True, now).split()
    addr, dev, lladdr = words[0], "", ""
    rest: list[str] = []
    i = 1
    while i < len(words):
        w = words[i]
        if w in ("dev", "lladdr") and i + 1 < len(words):
            if w == "dev":
                dev = words[i + 1]
            else:
                lladdr = words[i + 1]
            i += 2
            continue
        rest.append(w)
        i += 1
    flags = [w for w in rest if not w.isupper()]
    state = [w for w in rest if w.isupper()]
    return (colored(COLOUR, "inet", addr), colored(COLOUR, "ifname", dev),
            colored(COLOUR, "mac", lladdr) if lladdr else "", " ".join(flags + state))


# netfilter
# Read-only rows for a netfilter pane: the tables, chains and rules of a namespace as
# `iptables -L -v -n` words them (counters live), and its conntrack entries as
# `conntrack -L` prints them. Keys are stable while the rules stay in place.

@dataclass(frozen=True)
class NfRuleRow:
    key: str            # "table/chain/N" (N = 0 for the chain's own row: its policy)
    table: str
    chain: str
    num: int
    packets: int
    bytes: int
    target: str         # the target, or the policy for a chain row ("" for a user chain)
    text: str           # the rule as `iptables -S` writes it, or the chain's header


@dataclass(frozen=True)
class ConnRow:
    key: str            # the connection's id in its namespace
    proto: str
    state: str          # TCP's state, else "" ; [UNREPLIED] / [ASSURED] in `flags`
    original: str       # "src > dst" with ports or the ICMP id
    reply: str
    flags: str
    expires: int        # seconds left


def nf_rules(net: Any) -> list[NfRuleRow]:
    """Every table iptables has loaded in the namespace, in iptables-save's order."""
    from .kernel import netfilter as xt
    from .tools.iptables import View, rule_save
    rows: list[NfRuleRow] = []
    tables = getattr(net, "xt_tables", None) or {}
    for tname in xt.TABLE_ORDER:
        if tname not in tables:
            continue
        view = View(net, tname)
        for ch in view.ordered():
            head = (f"Chain {ch.name} (policy {ch.policy})" if ch.builtin
                    else f"Chain {ch.name} ({view.refs(ch.name)} references)")
            rows.append(NfRuleRow(f"{tname}/{ch.name}/0", tname, ch.name, 0, ch.pcnt, ch.bcnt,
                                  ch.policy, head))
            for n, r in enumerate(ch.rules, 1):
                rows.append(NfRuleRow(f"{tname}/{ch.name}/{n}", tname, ch.name, n, r.pcnt,
                                      r.bcnt, r.target.name, rule_save(ch.name, r)))
    return rows


def connections(net: Any) -> list[ConnRow]:
    """The namespace's conntrack table (empty while nothing loads conntrack)."""
    from .kernel import nf_conntrack as nfct
    cn = nfct.ct_net(net)
    if cn is None:
        return []
    rows = []
    for ct in cn.entries():
        p = ct.tuple[0]
        flags = []
        if not ct.status & nfct.IPS_SEEN_REPLY:
            flags.append("UNREPLIED")
        if ct.status & nfct.IPS_ASSURED:
            flags.append("ASSURED")
        rows.append(ConnRow(str(ct.id), nfct.PROTO_NAMES.get(p, str(p)),
                            nfct.TCP_STATE_NAMES[ct.tcp_state] if p == 6 else "",
                            _ends(ct.tuple), _ends(ct.reply), " ".join(flags),
                            cn.remaining(ct)))
    return rows


def _ends(t) -> str:
    p, s, d, a, b = t
    if p in (6, 17):
        return f"{ntoa(s)}:{a} > {ntoa(d)}:{b}"
    if p == 1:
        return f"{ntoa(s)} > {ntoa(d)} id {a}"
    return f"{ntoa(s)} > {ntoa(d)}"
