"""The picture: namespaces as boxes, devices as ports, veth pairs as lines.

Two pure steps, so the same state always draws the same picture:

    snapshot(world) -> Snapshot      plain data read from the kernel: each namespace
                                     the tools list (the lab's own first, then the
                                     `ip netns` ones in the order they were made), its
                                     devices, and each LAN the NICs are cabled to
    layout(snapshot, width) -> Picture
                                     rows of text with box-drawing characters, the
                                     style spans, and where every port, wire and
                                     namespace box landed (for highlights)

The drawing: the lab's own namespace is a box on the left, the other namespaces
and the LANs are boxes stacked on the right; each device is a row of its box
(name, state, addresses) with a port on the box's edge; every wire (a veth pair,
a NIC's cable into its LAN's switch) runs through the channel between the two
columns, in a lane of its own, so a pair whose ends are in one namespace is a
short loop beside its box and a pair across namespaces a line between boxes. A
bridge is a switch: its ports are listed under it, joined by tree lines. `lo`
ends in a loop (↺). When the channel would not fit the width, every box goes in
one column with the channel on its right; when even that does not fit, the
lines give way to words (`⇄ ns1 veth1`) and the picture scrolls.

Ports are keyed as the kernel's traces name them: (namespace, device), the
namespace by its identity, the net_cookie every trace event and stack event carries
(a LAN switch by (LAN_NS, the LAN's name)). Display names are for the titles only:
two namespaces can share one (`ip netns add host` beside the lab's own "host"),
and then the `ip netns` one is titled `netns host` (`ns_label`). Nothing here imports
textual; the widget (vethtui.tui.topology) styles the spans and overlays what
moves (packets, highlights).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Optional

from .explain import ns_label
from .kernel.events import AddrEvent, LinkEvent, NetnsEvent
from .kernel.inet import ntoa

if TYPE_CHECKING:  # pragma: no cover
    from .kernel.world import World

PortKey = tuple["int | str", str]    # (net_cookie, device) or (LAN_NS, the LAN's name)
WireKey = tuple[PortKey, PortKey]

STUB = 6              # the stub of a wire beside its port: room for "ICMP▶"
LAN_NS = "LAN"        # the namespace part of a LAN switch's key


# ---------------------------------------------------------------- the snapshot

@dataclass(frozen=True)
class Port:
    """One device as a port of its box."""

    key: PortKey                     # (net_cookie, device) as the traces name them
    name: str                        # the label
    kind: str                        # loopback, veth, bridge, ether, switch, other
    state: str                       # UP, DOWN, UNKNOWN, LOWERLAYERDOWN, NO-CARRIER
    addrs: tuple[str, ...] = ()
    master: str = ""                 # the bridge it is a port of
    link: Optional[PortKey] = None   # the far end: a veth's peer, a NIC's LAN switch


@dataclass(frozen=True)
class Box:
    name: str                        # the title (what a person reads)
    kind: str                        # "netns" or "lan"
    ports: tuple[Port, ...]
    key: "int | tuple[str, str] | str" = ""
    """What the picture's `boxes` are keyed by: a namespace's net_cookie, (LAN_NS, name)
    for a LAN; a hand-made snapshot may leave it out, and its title is the key."""

    def __post_init__(self) -> None:
        if self.key == "":
            object.__setattr__(self, "key", self.name)


@dataclass(frozen=True)
class Snapshot:
    boxes: tuple[Box, ...]


def _state(dev) -> str:
    """The word `ip -br link` prints, with NO-CARRIER for a device up without carrier
    whose operstate says DOWN (a veth whose peer, elsewhere, is down)."""
    op = dev.operstate()
    if op == "DOWN" and dev.is_up and not dev.carrier:
        return "NO-CARRIER"
    return op


def _addrs(dev) -> tuple[str, ...]:
    out = []
    if dev.in_dev is not None:
        out += [f"{ntoa(ifa.local)}/{ifa.prefixlen}" for ifa in dev.in_dev.ifa_list]
    for a in getattr(dev, "inet6", ()):
        if not (a.addr.is_link_local or a.addr.is_loopback):
            out.append(f"{a.addr}/{a.plen}")
    return tuple(out)


def _kind(dev) -> str:
    if dev.type == 772:
        return "loopback"
    if dev.kind in ("veth", "bridge"):
        return dev.kind
    if getattr(dev, "lan", None) is not None:
        return "ether"
    return "other"


def _port(dev, cookie: int) -> Port:
    kind = _kind(dev)
    link: Optional[PortKey] = None
    if kind == "veth" and dev.peer is not None and dev.peer.net is not None:
        link = (dev.peer.net.net_cookie, dev.peer.name)
    elif kind == "ether":
        link = (LAN_NS, dev.lan.name)
    master = dev.master.name if dev.master is not None else ""
    return Port((cookie, dev.name), dev.name, kind, _state(dev), _addrs(dev), master, link)


def _ordered(devs: list) -> list:
    """ifindex order, each bridge followed at once by its ports (a switch and its lines)."""
    names = {d.name for d in devs}
    out = []
    for d in devs:
        if d.master is not None and d.master.name in names:
            continue
        out.append(d)
        if d.kind == "bridge":
            out += [p for p in devs if p.master is d]
    return out


def snapshot(world: "World") -> Snapshot:
    """What the picture shows, read from the kernel now."""
    nets = [world.init_net, *world.netns.values()]
    shown = {n.net_cookie for n in nets}
    home = world.init_net.net_cookie
    boxes = []
    lans: dict[str, object] = {}
    for net in nets:
        cookie = net.net_cookie
        devs = _ordered(list(net.devices_in_order()))
        boxes.append(Box(ns_label(net.display_name, cookie == home), "netns",
                         tuple(_port(d, cookie) for d in devs), cookie))
        for d in devs:
            lan = getattr(d, "lan", None)
            if lan is not None and lan.name not in lans:
                lans[lan.name] = lan
    for name, lan in lans.items():
        ports = [Port((LAN_NS, name), "switch", "switch", "UP")]
        for nic in lan.ports:
            if nic.net is None or nic.net.net_cookie in shown:
                continue
            ns = nic.net.display_name
            ports.append(Port((nic.net.net_cookie, nic.name), f"{ns} {nic.name}", "ether",
                              _state(nic), _addrs(nic), name))
        boxes.append(Box(f"LAN {name}", "lan", tuple(ports), (LAN_NS, name)))
    return Snapshot(tuple(boxes))


# ---------------------------------------------------------------- the picture

@dataclass
class Picture:
    """The drawing: `lines` (all `width` wide) and where everything is."""

    width: int
    lines: list[str]
    spans: list[list[tuple[int, int, str]]]      # per row: (start, end, tag)
    mode: str                                    # "two", "one" or "words"
    ports: dict[PortKey, tuple[int, int]] = field(default_factory=dict)     # marker (row, x)
    rows: dict[PortKey, tuple[int, int, int]] = field(default_factory=dict)  # (row, x0, x1)
    slots: dict[PortKey, tuple[int, int, int, bool]] = field(default_factory=dict)
    """Beside each port, outside its box: (row, x0, x1, outward_right): where a packet's
    arrow and protocol go; outward_right says which way "leaving the port" points."""
    wires: dict[WireKey, list[tuple[int, int, int, int]]] = field(default_factory=dict)
    """The cells each wire's line covers: (row0, row1, x0, x1) rectangles."""
    wire_of: dict[PortKey, WireKey] = field(default_factory=dict)
    boxes: dict[object, tuple[int, int, int, int]] = field(default_factory=dict)
    """Each box by its key (Box.key): (row0, x0, row1, x1)."""

    @property
    def height(self) -> int:
        return len(self.lines)

    def text(self) -> str:
        """The plain picture (snapshot tests, `print`)."""
        return "\n".join(line.rstrip() for line in self.lines)


@dataclass
class _BoxRows:
    box: Box
    lines: list[str]                              # inner text, without the border
    spans: list[list[tuple[int, int, str]]]       # relative to the inner text
    keys: list[Optional[PortKey]]                 # the port on each inner row
    width: int                                    # inner width


CROSS = str.maketrans({" ": "─", "│": "┼", "─": "─"})   # a horizontal line drawn over

MARKERS = {"loopback": "↺", "veth": "●", "ether": "●", "switch": "◆"}


def _box_rows(box: Box, words: Optional[dict[PortKey, str]] = None) -> _BoxRows:
    """A box's inner rows: `name state addresses`, columns aligned within the box."""
    prefixes = []
    ports = box.ports
    for i, p in enumerate(ports):
        if p.master and box.kind == "netns" or box.kind == "lan" and p.kind != "switch":
            last = i + 1 == len(ports) or ports[i + 1].master != p.master
            prefixes.append("└ " if last else "├ ")
        else:
            prefixes.append("")
    names = [pre + p.name + (" (switch)" if p.kind == "bridge" else "")
             for pre, p in zip(prefixes, ports)]
    nw = max((len(n) for n in names), default=0)
    sw = max((len(p.state) for p in ports if p.kind != "switch"), default=0)
    lines, spans, keys = [], [], []
    for name, p in zip(names, ports):
        sp: list[tuple[int, int, str]] = []
        text = " " + name.ljust(nw)
        pre = len(name) - len(p.name) - (9 if p.kind == "bridge" else 0)
        sp.append((1 + pre, 1 + pre + len(p.name), "name"))
        if p.kind != "switch":
            sp.append((len(text) + 1, len(text) + 1 + len(p.state), "state:" + p.state))
            text += " " + p.state.ljust(sw)
        for a in p.addrs:
            sp.append((len(text) + 1, len(text) + 1 + len(a), "addr"))
            text += " " + a
        if words is not None and p.key in words:
            w = words[p.key]
            sp.append((len(text) + 1, len(text) + 1 + len(w), "link"))
            text += " " + w
        lines.append(text + " ")
        spans.append(sp)
        keys.append(p.key)
    if not ports:
        lines.append(" (no devices) ")
        spans.append([])
        keys.append(None)
    width = max(max(len(t) for t in lines), len(box.name) + 5)
    return _BoxRows(box, lines, spans, keys, width)


def _wires(snap: Snapshot) -> list[WireKey]:
    """Every wire once, in the order of its first port: veth pairs and NIC cables."""
    where = {p.key for b in snap.boxes for p in b.ports}
    seen: set = set()
    out: list[WireKey] = []
    for b in snap.boxes:
        if b.kind == "lan":
            continue
        for p in b.ports:
            if p.link is None or p.link not in where:
                continue
            w = (p.key, p.link)
            if (p.link, p.key) in seen or w in seen:
                continue
            seen.add(w)
            out.append(w)
    return out


def _words(snap: Snapshot, wires: list[WireKey]) -> dict[PortKey, str]:
    """The wires as words, for the picture too narrow for lines: the far end's box
    title and device (`⇄ ns1 veth1`), or its LAN (`⇄ lan0 (LAN)`)."""
    title = {p.key: b.name for b in snap.boxes for p in b.ports}
    out: dict[PortKey, str] = {}
    for a, b in wires:
        out[a] = "⇄ " + (f"{b[1]} (LAN)" if b[0] == LAN_NS else f"{title[b]} {b[1]}")
        if b[0] != LAN_NS:
            out[b] = "⇄ " + f"{title[a]} {a[1]}"
    return out


def layout(snap: Snapshot, width: int = 140) -> Picture:
    """The picture of `snap` in at most `width` columns if it can be drawn so: two
    columns with the wires between them, else one column with the wires on its right,
    else words for the wires (wider pictures scroll)."""
    wires = _wires(snap)
    rows = [_box_rows(b) for b in snap.boxes]
    if len(rows) > 1:
        pic = _draw(rows, wires, two=True, width=width)
        if pic is not None:
            return pic
    pic = _draw(rows, wires, two=False, width=None if not wires else width)
    if pic is not None:
        return pic
    words = _words(snap, wires)
    pic = _draw([_box_rows(b, words) for b in snap.boxes], [], two=False, mode="words")
    assert pic is not None
    return pic


def _lanes(place: dict[PortKey, tuple[int, str]], bent: list[WireKey]
           ) -> Optional[dict[WireKey, int]]:
    """A lane for each wire, left to right: wires with both ends on the left (sharing
    lanes where their rows do not meet), then wires from left to right (one lane each),
    then wires with both ends on the right (sharing). Stubs then never run over another
    wire's corner, except where a left-to-right wire leaves a row another one reaches:
    that one must be further right; if that cannot be (a cycle), None."""
    def span(w: WireKey) -> tuple[int, int]:
        a, b = place[w[0]][0], place[w[1]][0]
        return (a, b) if a <= b else (b, a)

    def shared(ws: list[WireKey], first: int) -> dict[WireKey, int]:
        ends: list[int] = []
        out: dict[WireKey, int] = {}
        for w in sorted(ws, key=span):
            top, bottom = span(w)
            for k, end in enumerate(ends):
                if end < top:
                    ends[k] = bottom
                    out[w] = first + k
                    break
            else:
                out[w] = first + len(ends)
                ends.append(bottom)
        return out

    sides = {w: "".join(sorted(place[w[0]][1] + place[w[1]][1])) for w in bent}
    out = shared([w for w in bent if sides[w] == "LL"], 0)
    first = max(out.values(), default=-1) + 1
    lr = [w for w in bent if sides[w] == "LR"]

    def rows(w: WireKey) -> tuple[int, int]:     # (left row, right row)
        a, b = place[w[0]], place[w[1]]
        return (a[0], b[0]) if a[1] == "L" else (b[0], a[0])
    # A left stub at row r must stay left of the lane of the wire whose right end is
    # at row r: Kahn's order, the upper left ends first
    after: dict[WireKey, list[WireKey]] = {w: [] for w in lr}
    need = {w: 0 for w in lr}
    by_right = {rows(w)[1]: w for w in lr}
    for w in lr:
        other = by_right.get(rows(w)[0])
        if other is not None and other is not w:
            after[w].append(other)
            need[other] += 1
    ready = sorted((w for w in lr if need[w] == 0), key=rows)
    order = []
    while ready:
        w = ready.pop(0)
        order.append(w)
        for o in after[w]:
            need[o] -= 1
            if need[o] == 0:
                ready.append(o)
                ready.sort(key=rows)
    if len(order) != len(lr):
        return None
    for i, w in enumerate(order):
        out[w] = first + i
    first += len(order)
    out.update(shared([w for w in bent if sides[w] == "RR"], first))
    return out


def _draw(rows: list[_BoxRows], wires: list[WireKey], two: bool, mode: str = "",
          width: Optional[int] = None) -> Optional[Picture]:
    """Lay the boxes out (one column, or the first box left and the rest right), give
    the wires their lanes, and draw, unless the picture would be wider than `width`
    or its wires cannot be drawn without ambiguity (None then)."""
    left = rows[:1] if two else rows
    right = rows[1:] if two else []
    wa = max(r.width for r in left) + 2
    wb = max((r.width for r in right), default=0) + 2 if right else 0
    # rows: each box is its border, its inner rows, its border; a blank row between boxes
    place: dict[PortKey, tuple[int, str]] = {}     # port -> (row, side "L" or "R")
    tops: list[tuple[_BoxRows, int, str]] = []
    for column, side in ((left, "L"), (right, "R")):
        y = 0
        for r in column:
            tops.append((r, y, side))
            for i, k in enumerate(r.keys):
                if k is not None:
                    place[k] = (y + 1 + i, side)
            y += len(r.lines) + 3
    height = max(y0 + len(r.lines) + 2 for r, y0, _ in tops)
    # lanes: each wire that is not a straight line gets a lane of the channel
    drawn = [w for w in wires if w[0] in place and w[1] in place]
    straight = [w for w in drawn if place[w[0]][0] == place[w[1]][0]
                and place[w[0]][1] != place[w[1]][1]]
    if width is not None and right:
        across = sum(1 for w in drawn if place[w[0]][1] != place[w[1]][1]) - len(straight)
        if wa + wb + 2 * STUB + 1 + 2 * across > width:
            return None          # a lane for each wire across: too wide already
    lane_of = _lanes(place, [w for w in drawn if w not in straight])
    if lane_of is None:
        return None
    lanes = max(lane_of.values(), default=-1) + 1
    if drawn:
        chan = STUB + 2 * lanes + 1 + (STUB if right else 0)
    else:
        chan = STUB if right else 0
    if right and chan < 2 * STUB + 1:
        chan = 2 * STUB + 1
    xc = wa
    xb = wa + chan
    total = xb + wb if right else xc + chan
    if width is not None and total > width:
        return None
    spans: list[list[tuple[int, int, str]]] = [[] for _ in range(height)]
    pic = Picture(total, [], spans, mode or ("two" if two else "one"))
    # the boxes, as the left and right parts of each row
    parts = {"L": [" " * wa] * height, "R": [" " * wb] * height}
    for r, y0, side in tops:
        x0 = 0 if side == "L" else xb
        w = (wa if side == "L" else wb)
        part = parts[side]
        inner = w - 2
        title = f" {r.box.name} "
        part[y0] = "┌─" + title + "─" * (inner - 1 - len(title)) + "┐"
        spans[y0].append((x0, x0 + w, "border"))
        spans[y0].append((x0 + 2, x0 + 2 + len(title), "title:" + r.box.kind))
        kinds = {p.key: p.kind for p in r.box.ports}
        for i, (text, sp, key) in enumerate(zip(r.lines, r.spans, r.keys)):
            y = y0 + 1 + i
            lb = rb = "│"
            spans[y].append((x0, x0 + 1, "border"))
            spans[y].append((x0 + w - 1, x0 + w, "border"))
            spans[y].extend((x0 + 1 + a, x0 + 1 + b, tag) for a, b, tag in sp)
            if key is not None:
                pic.rows[key] = (y, x0 + 1, x0 + w - 1)
                kind = kinds[key]
                marker = MARKERS.get(kind)
                if marker and (kind != "ether" or r.box.kind != "lan"):
                    mx = x0 + w - 1 if side == "L" else x0
                    if side == "L":
                        rb = marker
                        pic.slots[key] = (y, mx + 1, mx + 1 + STUB, True)
                    else:
                        lb = marker
                        pic.slots[key] = (y, mx - STUB, mx, False)
                    spans[y].append((mx, mx + 1, "port"))
                    pic.ports[key] = (y, mx)
            part[y] = lb + text.ljust(inner) + rb
        yb = y0 + 1 + len(r.lines)
        part[yb] = "└" + "─" * inner + "┘"
        spans[yb].append((x0, x0 + w, "border"))
        pic.boxes[r.box.key] = (y0, x0, yb, x0 + w - 1)
    # the channel: rows between wire ends repeat the same vertical lines, so each run
    # of them is one string; rows where wires end get their corners and stubs
    ends: dict[int, list[tuple[WireKey, int, str, str]]] = {}   # row -> (wire, lane x, side, end)
    add_at: dict[int, list[int]] = {}
    drop_at: dict[int, list[int]] = {}
    for w in straight:
        y = place[w[0]][0]
        ends.setdefault(y, []).append((w, -1, "S", ""))
        pic.wires[w] = [(y, y + 1, xc, xb)]
    for w, k in lane_of.items():
        lx = STUB + 1 + 2 * k
        (ra, sa), (rb_, sb) = sorted((place[w[0]], place[w[1]]))
        ends.setdefault(ra, []).append((w, lx, sa, "top"))
        ends.setdefault(rb_, []).append((w, lx, sb, "bottom"))
        if rb_ > ra + 1:
            add_at.setdefault(ra + 1, []).append(lx)
            drop_at.setdefault(rb_, []).append(lx)
        cells = [(ra + 1, rb_, xc + lx, xc + lx + 1)] if rb_ > ra + 1 else []
        for y, side in ((ra, sa), (rb_, sb)):
            cells.append((y, y + 1, xc, xc + lx + 1) if side == "L" else (y, y + 1, xc + lx, xb))
        pic.wires[w] = cells
    for w in drawn:
        pic.wire_of[w[0]] = w
        pic.wire_of[w[1]] = w
    active = [" "] * chan
    blank = "".join(active)
    pattern = blank
    left_part, right_part = parts["L"], parts["R"]
    lines = []
    for y in range(height):
        changed = False
        for lx in drop_at.get(y, ()):
            active[lx] = " "
            changed = True
        for lx in add_at.get(y, ()):
            active[lx] = "│"
            changed = True
        if changed:
            pattern = "".join(active)
        here = ends.get(y)
        if here is None:
            mid = pattern
        else:
            mid = pattern
            for w, lx, side, end in here:
                if side == "S":
                    mid = mid.translate(CROSS)
                elif side == "L":
                    mid = mid[:lx].translate(CROSS) + ("┐" if end == "top" else "┘") + mid[lx + 1:]
                else:
                    mid = mid[:lx] + ("┌" if end == "top" else "└") + mid[lx + 1:].translate(CROSS)
        lines.append(left_part[y] + mid + right_part[y] if right else left_part[y] + mid)
    pic.lines = lines
    for row in spans:
        row.sort()
    return pic


def changes_picture(event) -> bool:
    """Does this engine event change what the picture shows (a link, an address, a
    namespace)? The widget asks, so that it needs no kernel import."""
    return isinstance(event, (LinkEvent, AddrEvent, NetnsEvent))


def render(world: "World", width: int = 140) -> str:
    """The picture of the world now, as text."""
    return layout(snapshot(world), width).text()
