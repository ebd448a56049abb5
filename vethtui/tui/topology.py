"""The topology pane: the picture of the lab (vethtui.topology) and simulation mode.

`TopologyPane` is self-contained, like the other panes: `engine_events(events)`
keeps it current (the picture is laid out again when a link, an address or a
namespace changes, and only while it is shown), `set_snapshot(snapshot)` draws a
given state, `highlight_packet(skb_id)` lights one packet's whole path (each port
and wire it crossed, the drop reason where it died).

Packets move on the picture: a wire that carried a frame in the last virtual
second shows an arrow leaving the port that sent it and entering the one that
got it, with the protocol in a word (`ARP▶`, `◀ICMP`).

Simulation mode (`pause()`): the engine's clock stops and an event list opens
under the picture (vethtui.stepper). Each step (`step()`) shows the next packet
event, lit on the picture; `back()` rewinds the view (not the kernel);
`cycle_filter()` shows ARP only, ICMP only, the kernel's timer traffic, or all.
Keys, when the picture has the focus: space pauses or runs the clock, Right or n
steps, Left or p goes back, f changes the filter, Enter explains the packet of
the row shown.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, Iterable, Optional

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.containers import Vertical
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widgets import Static

from ..engine import ClockPaused, WorldReplaced
from ..explain import packet_summary
from ..i18n import _
from ..stepper import Follower, StepEvent, Stepper, packet_path
from ..topology import LAN_NS, Picture, PortKey, Snapshot, changes_picture, layout, snapshot

if TYPE_CHECKING:  # pragma: no cover
    from ..engine import Engine

ACTIVE_S = 1.0          # a wire shows its last packet for this long (virtual seconds)
LIST_ROWS = 6           # rows of the event list

# The colours `ip -c` uses: interface names cyan, IPv4 magenta, IPv6 blue,
# UP green, DOWN red; what has no carrier is dim.
STYLES = {
    "border": Style(color="bright_black"),
    "title:netns": Style(bold=True, color="default"),
    "title:lan": Style(bold=True, italic=True, color="default"),
    "name": Style(color="cyan"),
    "addr": Style(color="magenta"),
    "link": Style(italic=True),
    "state:UP": Style(color="green"),
    "state:DOWN": Style(color="red"),
    "state:NO-CARRIER": Style(dim=True),
    "state:LOWERLAYERDOWN": Style(dim=True),
    "port": Style(bold=True),
}
PATH = Style(color="yellow", bold=True)
CURRENT = Style(color="black", bgcolor="yellow", bold=True)
DROP = Style(color="white", bgcolor="red", bold=True)
ACTIVE = Style(color="bright_cyan", bold=True)


class Overlay:
    """What moves on the picture: arrows on wires, a lit path, the event shown."""

    def __init__(self) -> None:
        self.labels: dict[PortKey, tuple[str, bool]] = {}   # port -> (proto, leaving)
        self.ports: dict[PortKey, Style] = {}
        self.wires: dict[Any, Style] = {}
        self.notes: dict[PortKey, str] = {}                 # a drop reason beside a port

    def clear(self) -> None:
        self.labels.clear()
        self.ports.clear()
        self.wires.clear()
        self.notes.clear()


def _line(pic: Picture, row: int, overlay: Optional[Overlay]) -> str:
    """Row `row`'s characters, with packet arrows and drop marks drawn over the stubs."""
    line = pic.lines[row]
    if overlay is None or not (overlay.labels or overlay.notes):
        return line
    chars = None
    for key, (proto, leaving) in overlay.labels.items():
        slot = pic.slots.get(key)
        if slot is None or slot[0] != row:
            continue
        _r, x0, x1, outward_right = slot
        word = (proto + "▶") if leaving == outward_right else ("◀" + proto)
        word = word[: x1 - x0]
        if chars is None:
            chars = list(line)
        seg = word.center(x1 - x0, "─") if key in pic.wire_of else word.ljust(x1 - x0)
        chars[x0:x1] = list(seg)
    for key, note in overlay.notes.items():
        slot = pic.slots.get(key)
        if slot is None or slot[0] != row or key in pic.wire_of:
            continue
        _r, x0, x1, _o = slot
        if chars is None:
            chars = list(line)
        chars[x0:x1] = list(("✗" + note)[: x1 - x0].ljust(x1 - x0))
    return "".join(chars) if chars is not None else line


def _marks(pic: Picture, row: int, overlay: Optional[Overlay]) -> list[tuple[int, int, Style]]:
    """The styles of row `row`, in the order they apply (later ones on top)."""
    marks = [(a, b, STYLES[tag]) for a, b, tag in pic.spans[row] if tag in STYLES]
    if overlay is None:
        return marks
    for key in overlay.labels:
        slot = pic.slots.get(key)
        if slot is not None and slot[0] == row:
            marks.append((slot[1], slot[2], ACTIVE))
    for wire, style in overlay.wires.items():
        for r0, r1, a, b in pic.wires.get(wire, ()):
            if r0 <= row < r1:
                marks.append((a, b, style))
    for key, style in overlay.ports.items():
        where = pic.rows.get(key)
        if where is not None and where[0] == row:
            marks.append((where[1], where[2], style))
        marker = pic.ports.get(key)
        if marker is not None and marker[0] == row:
            marks.append((marker[1], marker[1] + 1, style))
    for key in overlay.notes:
        slot = pic.slots.get(key)
        if slot is not None and slot[0] == row and key not in pic.wire_of:
            marks.append((slot[1], slot[2], DROP))
    return marks


def row_segments(pic: Picture, row: int, overlay: Optional[Overlay] = None,
                 base: Optional[Style] = None) -> list[Segment]:
    """Row `row` of the picture as styled segments, what moves drawn over it (cut where
    the styles change, without going through Rich's Text: a big picture's screenful
    costs about a millisecond)."""
    line = _line(pic, row, overlay)
    marks = _marks(pic, row, overlay)
    if not marks:
        return [Segment(line, base)]
    cuts = sorted({0, len(line), *(m[0] for m in marks), *(m[1] for m in marks)})
    out = []
    for a, b in zip(cuts, cuts[1:]):
        if a >= b:
            continue
        style = base
        for m0, m1, st in marks:
            if m0 <= a and b <= m1:
                style = st if style is None else style + st
        out.append(Segment(line[a:b], style))
    return out


def row_text(pic: Picture, row: int, overlay: Optional[Overlay] = None) -> Text:
    """Row `row` as Rich text (tests and printing)."""
    text = Text(end="", no_wrap=True)
    for seg in row_segments(pic, row, overlay):
        text.append(seg.text, seg.style)
    return text


def path_end(path: list[StepEvent]) -> str:
    """Where a packet's path ended: its drop or refusal, its delivery, else its last step."""
    for ev in reversed(path):
        if ev.kind in ("drop", "refuse"):
            return "✗ " + ev.what
    for ev in reversed(path):
        if ev.what.startswith("delivered"):
            return "✓ " + ev.what
    return path[-1].what if path else ""


class TopologyCanvas(ScrollView, can_focus=True):
    """The picture, scrolled in both directions; only the rows shown are drawn."""

    DEFAULT_CSS = """
    TopologyCanvas {
        height: 1fr;
        background: $surface;
        scrollbar-size: 1 1;
    }
    """
    BINDINGS = [
        Binding("space", "pane('toggle_pause')", "Pause/run", show=True),
        Binding("right,n", "pane('step')", "Step", show=True),
        Binding("left,p", "pane('back')", "Back", show=True),
        Binding("f", "pane('cycle_filter')", "Filter", show=True),
        Binding("enter", "pane('explain')", "Explain", show=False),
        Binding("shift+right", "scroll_right", "Scroll right", show=False),
        Binding("shift+left", "scroll_left", "Scroll left", show=False),
    ]

    def __init__(self, pane: "TopologyPane", **kwargs):
        super().__init__(**kwargs)
        self.pane = pane
        self.picture: Optional[Picture] = None
        self.overlay = Overlay()
        self._cache: dict[int, Strip] = {}

    def action_pane(self, name: str) -> None:
        getattr(self.pane, name)()

    def show(self, picture: Picture) -> None:
        self.picture = picture
        self.virtual_size = Size(picture.width, picture.height)
        self.redraw()

    def redraw(self) -> None:
        self._cache.clear()
        self.refresh()

    def scroll_to_row(self, row: int) -> None:
        """Keep `row` in sight (a step far down a big picture)."""
        h = self.size.height
        if h and not (self.scroll_y <= row < self.scroll_y + h):
            self.scroll_to(y=max(0, row - h // 2), animate=False)

    def render_line(self, y: int) -> Strip:
        sx, sy = self.scroll_offset
        width = self.size.width
        row = sy + y
        pic = self.picture
        base = self.rich_style
        if pic is None or row >= pic.height:
            return Strip.blank(width, base)
        strip = self._cache.get(row)
        if strip is None:
            strip = Strip(row_segments(pic, row, self.overlay, base), pic.width)
            self._cache[row] = strip
        return strip.crop_extend(sx, sx + width, base).simplify()


class TopologyPane(Vertical):
    """The picture, a line saying what it shows, and (paused) the event list."""

    DEFAULT_CSS = """
    TopologyPane {
        height: 1fr;
        min-height: 8;
        #topo-info { height: 1; color: $text-muted; text-wrap: nowrap;
                     text-overflow: ellipsis; }
        #topo-steps { height: auto; max-height: 7; display: none; text-wrap: nowrap;
                      text-overflow: ellipsis; border-top: solid $primary 40%; }
        &.-stepping #topo-steps { display: block; }
    }
    """

    class PacketPicked(Message):
        """The row shown in simulation mode belongs to packet `skb_id` (Enter: explain)."""

        def __init__(self, skb_id: int) -> None:
            super().__init__()
            self.skb_id = skb_id

    def __init__(self, engine: "Engine", **kwargs):
        super().__init__(**kwargs)
        self.engine = engine
        self.pump: Callable[[], None] = lambda: None
        """Shows the engine events still queued (the app sets it: attributes down)."""
        self.snap: Optional[Snapshot] = None
        self.picture: Optional[Picture] = None
        self.stepper: Optional[Stepper] = None
        self.highlighted: Optional[int] = None
        self.path_text = ""
        self._activity: Optional[Follower] = None
        self._active: dict[PortKey, tuple[float, str, bool]] = {}
        self._dirty = True
        self._laid_width = -1

    def compose(self):
        yield Static("", id="topo-info", markup=False)
        yield TopologyCanvas(self, id="topo-canvas")
        yield Static("", id="topo-steps", markup=False)

    @property
    def canvas(self) -> TopologyCanvas:
        return self.query_one(TopologyCanvas)

    def on_mount(self) -> None:
        self.border_title = _("Topology")
        self.refresh_picture()

    def on_resize(self) -> None:
        if self.picture is not None and self._width() != self._laid_width:
            self._relayout()

    def on_show(self) -> None:
        if self._dirty:
            self.refresh_picture()

    def _width(self) -> int:
        w = self.canvas.size.width or self.size.width or 140
        return max(20, w)

    # -- state ---------------------------------------------------------------------
    def set_snapshot(self, snap: Snapshot) -> None:
        """Draw `snap` (what `vethtui.topology.snapshot` read)."""
        self.snap = snap
        self._dirty = False
        self._relayout()

    def refresh_picture(self) -> None:
        """Read the kernel again (through the engine's world) and draw it."""
        self.set_snapshot(snapshot(self.engine.world))

    def _relayout(self) -> None:
        if self.snap is None:
            return
        self._laid_width = self._width()
        self.picture = layout(self.snap, self._laid_width)
        self._paint()

    def engine_events(self, events: Iterable[Any]) -> None:
        events = list(events)
        if any(isinstance(ev, WorldReplaced) for ev in events):
            self._activity = None
            self._active.clear()
            if self.stepper is not None:
                self.stepper = Stepper(self.engine.world, self.stepper.filter)
        if any(isinstance(ev, ClockPaused) for ev in events):
            self._follow_pause()
        if any(isinstance(ev, WorldReplaced) or changes_picture(ev) for ev in events):
            if self.display and self.is_attached:
                self.refresh_picture()
            else:
                self._dirty = True
        if self.display and self.stepper is None:
            self._track_activity()

    # -- packets moving ------------------------------------------------------------
    def _track_activity(self) -> None:
        world = self.engine.world
        if self._activity is None:
            self._activity = Follower(world)
            return
        now = world.sched.now
        changed = False
        for ev in self._activity.collect():
            if ev.kind not in ("xmit", "rcv") or ev.background:
                continue
            self._active[(ev.net_cookie, ev.dev)] = (ev.time, ev.proto, ev.kind == "xmit")
            changed = True
        for key, (t, _p, _l) in list(self._active.items()):
            if now - t > ACTIVE_S:
                del self._active[key]
                changed = True
        if changed:
            self._paint()

    # -- highlights ----------------------------------------------------------------
    def highlight_packet(self, skb_id: Optional[int]) -> None:
        """Light packet `skb_id`'s whole path (None: no packet)."""
        self.highlighted = skb_id
        self._paint()

    def _path_overlay(self, overlay: Overlay, events: list[StepEvent],
                      current: Optional[StepEvent] = None) -> str:
        pic = self.picture
        hops: list[str] = []
        last = None
        for ev in events:
            key = (ev.net_cookie, ev.dev)
            if not ev.dev:
                continue
            if ev.kind in ("xmit", "rcv", "drop") and key != last:
                hops.append(ev.where)
                last = key
            overlay.ports.setdefault(key, PATH)
            if ev.kind == "xmit" and pic is not None:
                wire = pic.wire_of.get(key)
                if wire is not None:
                    overlay.wires[wire] = PATH
                if key[1] == "lo":
                    overlay.labels[key] = (ev.proto, True)
            if ev.kind in ("drop", "refuse"):
                overlay.ports[key] = DROP
                overlay.notes[key] = ev.reason or ev.what.split(":", 1)[0]
        if current is not None and current.dev:
            key = (current.net_cookie, current.dev)
            overlay.ports[key] = DROP if current.kind in ("drop", "refuse") else CURRENT
            if current.kind == "xmit" and pic is not None:
                wire = pic.wire_of.get(key)
                overlay.labels[key] = (current.proto, True)
                if wire is not None:
                    overlay.wires[wire] = CURRENT
                    other = wire[1] if wire[0] == key else wire[0]
                    if other[0] != LAN_NS:
                        overlay.labels[other] = (current.proto, False)
            if current.kind == "rcv":
                overlay.labels[key] = (current.proto, False)
        return " → ".join(hops)

    def _paint(self) -> None:
        if self.picture is None or not self.is_mounted:
            return
        canvas = self.canvas
        overlay = canvas.overlay
        overlay.clear()
        info = ""
        if self.stepper is not None:
            cur = self.stepper.current
            if cur is not None and cur.skb_id:
                so_far = [e for e in self.stepper.events[: self.stepper.cursor + 1]
                          if e.skb_id == cur.skb_id]
                self._path_overlay(overlay, so_far, cur)
            info = self._stepping_info()
        elif self.highlighted is not None:
            path = packet_path(self.engine.world, self.highlighted)
            hops = self._path_overlay(overlay, path)
            rec = self.engine.world.packets.get(self.highlighted)
            if path and rec is not None:
                info = _("Packet #{id} ({what}): {hops}: {end}").format(
                    id=self.highlighted, what=packet_summary(rec), hops=hops,
                    end=path_end(path))
            else:
                info = _("Packet #{id} was not traced").format(id=self.highlighted)
        else:
            now = self.engine.world.sched.now
            for key, (t, proto, leaving) in self._active.items():
                if now - t <= ACTIVE_S:
                    overlay.labels[key] = (proto, leaving)
                    wire = self.picture.wire_of.get(key)
                    if wire is not None:
                        overlay.wires[wire] = ACTIVE
            info = _("F10 hides the picture · F11 pauses the clock (simulation mode)")
        canvas.show(self.picture)
        self.query_one("#topo-info", Static).update(info)
        self._show_steps()
        if self.stepper is not None and self.stepper.current is not None:
            cur = self.stepper.current
            where = self.picture.rows.get((cur.net_cookie, cur.dev))
            if where is not None:
                canvas.scroll_to_row(where[0])

    # -- simulation mode -------------------------------------------------------------
    @property
    def paused(self) -> bool:
        return self.engine.paused

    def _follow_pause(self) -> None:
        if self.engine.paused and self.stepper is None:
            self.stepper = Stepper(self.engine.world)
            self.add_class("-stepping")
        elif not self.engine.paused and self.stepper is not None:
            self.stepper = None
            self._activity = None
            self.remove_class("-stepping")
        self._paint()

    def pause(self) -> None:
        self.engine.pause()
        self._follow_pause()

    def resume(self) -> None:
        self.engine.resume()
        self._follow_pause()

    def toggle_pause(self) -> None:
        if self.engine.paused:
            self.resume()
        else:
            self.pause()

    def step(self) -> Optional[StepEvent]:
        """The next packet event (paused only): the kernel runs until there is one."""
        if self.stepper is None:
            if not self.engine.paused:
                self.app.bell()
                return None
            self._follow_pause()
        ev = self.stepper.forward(self.engine.step_kernel)
        self.pump()         # the console and the panes see what the step did
        if ev is None:
            self.notify(_("No packet event in the next 10 virtual seconds"), timeout=3)
        self._paint()
        return ev

    def back(self) -> Optional[StepEvent]:
        if self.stepper is None:
            return None
        ev = self.stepper.back()
        self._paint()
        return ev

    def cycle_filter(self) -> None:
        if self.stepper is None:
            return
        self.stepper.cycle_filter()
        self._paint()

    def explain(self) -> None:
        cur = self.stepper.current if self.stepper is not None else None
        skb = cur.skb_id if cur is not None else self.highlighted
        if skb:
            self.post_message(self.PacketPicked(skb))

    def _stepping_info(self) -> str:
        st = self.stepper
        vis = st.visible()
        pos = next((n for n, (i, _e) in enumerate(vis) if i == st.cursor), -1)
        now = self.engine.world.sched.now
        return _("Paused at {t:.6f} · event {n} of {m} · filter {f} · "
                 "→/n step ←/p back f filter space run").format(
            t=now, n=pos + 1, m=len(vis), f=st.filter)

    def _show_steps(self) -> None:
        steps = self.query_one("#topo-steps", Static)
        st = self.stepper
        if st is None:
            steps.update("")
            return
        vis = st.visible()
        pos = next((n for n, (i, _e) in enumerate(vis) if i == st.cursor), -1)
        # a third of the pane at most, so a short screen keeps some of the picture
        rows = max(2, min(LIST_ROWS, (self.size.height - 2) // 3))
        steps.styles.max_height = rows + 1
        lo = max(0, min(pos - rows + 2, len(vis) - rows))
        text = Text(no_wrap=True, overflow="ellipsis", end="")
        window = vis[lo:lo + rows]
        if not window:
            text.append(_("No event yet: → steps (commands typed now start when stepping "
                          "reaches them)"), style="dim")
        width = max([14] + [len(ev.where) for _i, ev in window])
        for n, (i, ev) in enumerate(window):
            if n:
                text.append("\n")
            style = CURRENT if i == st.cursor else (Style(dim=True) if i > st.cursor else None)
            text.append(ev.row(width), style=style)
        steps.update(text)
