"""The vethtui app: lays out the panes, routes keys and engine events to them.

The panes hold their own logic (one widget per module); this class only
composes them, owns the engine's life cycle, and turns key bindings and
command-palette entries into calls on the panes. What it does for capture views
(app_capture), the pane heights (app_layout), a guided lab (app_lab) and the
simulation mode (app_sim) lives in mixins beside it.

The state panes (links, routes, neighbours) show one namespace, `net`: the
console's when it enters or leaves one, or the one F9 picks among the host
and the `ip netns` namespaces; if that one is deleted they show the host.
"""
from __future__ import annotations

import gc
import time
from pathlib import Path
from typing import Any, Iterable, Optional

from textual import on
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding
from textual.content import Content
from textual.css.query import NoMatches
from textual.containers import Horizontal, Vertical
from textual.reactive import Reactive, reactive
from textual.screen import Screen
from textual.widget import Widget

from ..engine import (ClockTick, ConsoleNamespace, Engine, JobDone, JobStarted, OutputEvent,
                      WorldReplaced, make_engine)
from ..netview import (AddrEvent, DropEvent, LinkEvent, NeighEvent, NetnsEvent, RouteEvent,
                       concerns, label_of)
from ..i18n import _, set_language
from ..labs import world_for_lab  # noqa: F401  (importing the labs registers make_engine's loader)
from .app_capture import CaptureActions
from .app_lab import LabActions
from .app_layout import PaneLayout
from .app_sim import SimulationActions
from .bridge import EngineBridge, EngineEvents
from .captures import CaptureArea
from .console import Console
from .footer import KeyFooter
from .help import HelpScreen
from .header import AppHeader
from .history import History, default_path
from .link_details import LinkDetails
from .links import LinkList
from .neighbours import NeighTable
from .netfilter import ConntrackTable, NetfilterTable
from .packet_log import PacketLog
from .routes import RouteTable
from .supervisor import ClockSupervisor
from .localise import localise_bindings, localise_instance
from .topology import TopologyPane

SPEEDS = ("1", "10", "instant")
QUIET_EVENTS = (ClockTick, DropEvent, OutputEvent)
"""Events that change no pane's rows: a batch of only these (a flood's drops, the clock)
leaves the panes' arrangement as it was."""
PANES = ("links", "routes", "neighbours")
PANE_OF_EVENT = {LinkEvent: 0, AddrEvent: 0, RouteEvent: 1, NeighEvent: 2}
"""Which of PANES shows what an event changed."""


def speed_label(speed: float) -> str:
    return _("instant") if speed == float("inf") else f"{speed:g}x"


def clock_text(epoch: float, now: float) -> str:
    wall = epoch + now
    tenths = int((wall - int(wall)) * 10)
    return time.strftime("%H:%M:%S", time.gmtime(int(wall))) + f".{tenths}"


class VethApp(LabActions, SimulationActions, CaptureActions, PaneLayout, App):
    """The lab. Build it with `make_app`."""

    CSS_PATH = "app.tcss"
    TITLE = "vethtui"
    AUTO_FOCUS = "#command"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (30, "-tall")]

    BINDINGS = [
        Binding("ctrl+c", "interrupt", "Interrupt", priority=True),
        Binding("f1", "help", "Help"),
        Binding("f2", "cycle_speed", "Speed"),
        Binding("f3", "toggle_routes", "Main/Local"),
        Binding("f4", "next_pane", "Panes"),
        Binding("f9", "next_namespace", "Namespace"),
        Binding("f5", "pause_capture", "Pause"),
        Binding("f6", "clear_capture", "Clear view", show=False),
        Binding("f7", "next_capture", "Next view", show=False),
        Binding("f8", "stop_capture", "Stop"),
        Binding("ctrl+w", "close_capture", "Close view", priority=True),
        Binding("ctrl+t", "toggle_tiles", "Tiles/Tabs", show=False),
        Binding("ctrl+s", "export_capture", "Save pcap", show=False),
        Binding("ctrl+l", "clear_console", "Clear", priority=True, show=False),
        Binding("escape", "focus_console", "Console", show=False),
        Binding("ctrl+q", "quit", "Quit", priority=True),
        # ---- lab keys (helper labs; the lab block below): only while a lab is loaded.
        # Textual 8.2.8's Input binds none of these (it has ctrl+a/e/d/w/u/k/x/c/v).
        Binding("ctrl+n", "lab_next", "Next step"),
        Binding("ctrl+b", "lab_prev", "Prev step"),
        Binding("ctrl+g", "lab_hint", "Hint"),
        # ---- end of lab keys
        # the topology picture and simulation mode (issue 15)
        Binding("f10", "toggle_topology", "Picture"),
        Binding("f11", "sim_pause", "Pause clock", show=False),
        Binding("f12", "sim_step", "Step", show=False),
    ]

    deliver_capture: Optional[Any] = None
    """vethtui serve (vethtui.serve.session.seal): Ctrl+S hands the view's pcap to the
    browser through this callable (given the CaptureSession) instead of writing a file."""

    title_clock: bool = True
    """The virtual clock in the title. vethtui serve turns it off: each change of the
    title re-lays out the whole screen (Header's title is a Static), which costs an idle
    session 0.08 CPU s a second even at one change a second (0.03 without)."""

    save_dir: Optional[str] = None
    """Where Ctrl+S proposes to write (`vethtui --save-dir DIR`); None: the current directory."""

    PANES = PANES

    _arranged: Optional[tuple] = None
    """What arrange_tables last set (the tables' arrangement, widths, heights, caps)."""
    _jobs_running = 0
    """Commands started and not yet done, as the engine's events tell (_show_what_changed)."""

    # The sub-title holds the virtual clock, which changes several times a second,
    # and App's own title reactives repaint the whole screen on each change (a full
    # update: every row written to the terminal again). Only the header shows them,
    # and it repaints its one title row (tui/header.py).
    title: Reactive[str] = Reactive("", compute=False, repaint=False)
    sub_title: Reactive[str] = Reactive("", compute=False, repaint=False)

    current_pane: reactive[int] = reactive(0, init=False)
    """Which state pane a narrow or short screen shows (0 links, 1 routes, 2 neighbours)."""

    def __init__(self, engine: Engine, *, lab_label: str = "", lang: str = "en",
                 history: Optional[History] = None, drive_clock: bool = True,
                 highlight_seconds: float = 1.5, lab_pane: Optional[Widget] = None,
                 tune_gc: bool = False):
        super().__init__()
        self.tune_gc = tune_gc
        self.engine = engine
        self.lab_label = lab_label or engine.lab_name or "lab"
        self.lang = lang
        self.history = history if history is not None else History(None)
        self.drive_clock = drive_clock
        self.highlight_seconds = highlight_seconds
        self._lab_pane = lab_pane
        self._bridge = EngineBridge(engine, self)
        self._clock = ClockSupervisor(engine, self._console_write)
        self.title = f"vethtui · {self.lab_label}"
        self.net = engine.session.net
        """The namespace the state panes show (`show_net` changes it)."""

    # -- layout -----------------------------------------------------------------
    @property
    def console_net(self):
        """The namespace the console's commands run in."""
        return self.engine.session.net

    def compose(self) -> ComposeResult:
        yield AppHeader(show_clock=False, icon="≡")
        with Horizontal(id="body"):
            if self._lab_pane is not None:
                yield self._lab_pane
            with Vertical(id="main"):
                with Vertical(id="state"):
                    yield LinkList(self.net, id="links", classes="pane -current",
                                   highlight_seconds=self.highlight_seconds)
                    with Horizontal(id="tables"):
                        yield RouteTable(self.net, id="routes", classes="pane",
                                         highlight_seconds=self.highlight_seconds)
                        yield NeighTable(self.net, id="neighbours", classes="pane",
                                         highlight_seconds=self.highlight_seconds)
                    # shown once the namespace has iptables tables / tracked connections
                    yield NetfilterTable(self.net, id="netfilter", classes="pane",
                                         highlight_seconds=self.highlight_seconds)
                    yield ConntrackTable(self.net, id="conntrack", classes="pane",
                                         highlight_seconds=self.highlight_seconds)
                topology = TopologyPane(self.engine, id="topology", classes="pane")
                topology.display = False        # F10 shows it in place of #state
                topology.pump = self.pump_engine_events
                yield topology
                console = Console(self.engine, self.history, id="console", classes="pane")
                console.pump = self.pump_engine_events
                yield console
                yield CaptureArea(self.engine, id="captures", classes="pane")
        yield KeyFooter()

    async def on_mount(self) -> None:
        self.query_one("#captures").border_title = _("Captures")
        self._title_console()
        self._update_clock(self.engine.world.sched.now)
        self.call_after_refresh(self.arrange_tables)
        self._console_write(self._welcome())
        self._bridge.start()
        if self.drive_clock:
            await self._clock.start()
        if self.tune_gc:
            self.call_after_refresh(_quiet_garbage_collector)

    async def on_unmount(self) -> None:
        self._bridge.close()
        await self._clock.stop()

    def _welcome(self) -> str:
        from ..labs.builtin import BUILTIN_LABS
        about = BUILTIN_LABS.get(self.engine.lab_name)
        about = _(about) if about else _("the lab {lab}").format(lab=self.lab_label)
        return (f"\x1b[2mvethtui: {about}\n"
                + _("Type Linux commands as root (help lists them); F1 for the keys.")
                + "\x1b[0m\n")

    def _title_console(self) -> None:
        self.query_one(Console).border_title = \
            _("Console · namespace {ns}").format(ns=label_of(self.console_net))

    def format_title(self, title: str, sub_title: str) -> Content:
        """`vethtui · LAB — 10:00:03.2 · speed 1x`: the virtual clock is not dimmed."""
        if not sub_title:
            return Content(title)
        return Content.assemble(title, (" — ", "dim"), sub_title)

    def _update_clock(self, now: float) -> None:
        speed = _("speed {speed}").format(speed=speed_label(self.engine.speed))
        if not self.title_clock:
            self.sub_title = speed
            return
        self.sub_title = f"{clock_text(self.engine.world.epoch, now)} · {speed}"

    # -- engine events ---------------------------------------------------------------
    @on(EngineEvents)
    def _engine_events(self, message: EngineEvents) -> None:
        try:
            self.pump_engine_events()
        except NoMatches:    # the app is closing and its panes are gone: nothing to show
            pass

    def pump_engine_events(self) -> None:
        """Hand every queued engine event to the panes."""
        events = self._bridge.drain()
        if not events:
            return
        replaced = any(isinstance(ev, WorldReplaced) for ev in events)
        if not replaced:
            self._follow_namespaces(events)
        for target in self._event_targets():
            try:
                target.engine_events(events)
            except Exception as err:   # a pane's bug must not end the lab
                self._report(target, err)
        self._update_clock(self.engine.world.sched.now)
        if not all(isinstance(ev, QUIET_EVENTS) for ev in events):
            self._show_what_changed(events)
            self.arrange_tables()
        self._note_queued(events)
        if any(isinstance(ev, (NetnsEvent, ConsoleNamespace)) for ev in events):
            self._title_console()
            self.refresh_bindings()      # F9 shows once there is a namespace to go to
        if replaced:
            self.reset_world()

    def _show_what_changed(self, events: list[Any]) -> None:
        """A short screen shows one state pane at a time: the one a command just
        changed, the newest kind of fact first (a neighbour's state, then a route,
        then a link or address: `ip addr add` shows the routes it made, a failed ping
        the FAILED neighbour). What the kernel's timers change while no command runs
        (an entry going STALE) does not move the screen under the reader. F4 still
        cycles; a state pane the user is in stays."""
        changed = []
        for ev in events:
            if isinstance(ev, JobStarted):
                self._jobs_running += 1
            elif isinstance(ev, JobDone):
                self._jobs_running = max(0, self._jobs_running - 1)
            elif self._jobs_running and type(ev) in PANE_OF_EVENT and concerns(ev, self.net):
                changed.append(PANE_OF_EVENT[type(ev)])
        if not self.showing_one_pane():
            return
        focused = self.focused
        if focused is not None and focused.id in PANES:
            return
        if changed and max(changed) != self.current_pane:
            self.current_pane = max(changed)

    def _follow_namespaces(self, events: list[Any]) -> None:
        """The panes follow the console into (and out of) a namespace; a namespace
        deleted while shown gives way to the host."""
        if any(isinstance(ev, ConsoleNamespace) for ev in events):
            self.show_net(self.console_net)
        elif any(isinstance(ev, NetnsEvent) for ev in events):
            if self.net not in self.engine.namespaces():
                self.show_net(self.engine.world.init_net)

    def show_net(self, net) -> None:
        """Point the links, routes and neighbours at namespace `net`."""
        self.net = net
        for pane in (*self._state_panes(), *self._live_panes()):
            pane.set_net(net)
        self.arrange_tables()

    def _event_targets(self) -> Iterable[Any]:
        yield self.query_one(Console)
        yield self.query_one(LinkList)
        yield self.query_one(RouteTable)
        yield self.query_one(NeighTable)
        yield self.query_one(CaptureArea)
        yield self.query_one(TopologyPane)
        if self._lab_pane is not None and hasattr(self._lab_pane, "engine_events"):
            yield self._lab_pane

    def _report(self, where: Any, err: Exception) -> None:
        self._console_write(f"vethtui: internal error in {type(where).__name__}: "
                            f"{type(err).__name__}: {err}\n")

    def _console_write(self, text: str) -> None:
        try:
            self.query_one(Console).write(text)
        except Exception:
            pass

    # -- messages from the panes -----------------------------------------------------
    @on(LinkList.DetailsRequested)
    def _show_details(self, message: LinkList.DetailsRequested) -> None:
        net = self.net

        def done(result: Optional[str], ifindex=message.ifindex) -> None:
            dev = net.dev_by_index(ifindex)
            if result == "capture" and dev is not None:
                self.capture_on(dev.name, net)
        self.push_screen(LinkDetails(net, message.ifindex), done)

    def reset_world(self) -> None:
        """A new world (a lab reset, `WorldReplaced`): point every pane at the console's
        namespace again, drop the old captures, watch the new clock driver."""
        self._jobs_running = 0      # the old world's commands end without a JobDone
        self.show_net(self.console_net)
        area = self.query_one(CaptureArea)
        for view in area.views:
            self.call_next(area.close_view, view)
        self._title_console()
        self._update_clock(self.engine.world.sched.now)
        self._console_write(f"\x1b[2mvethtui: {self._lab_reset_line()}\x1b[0m\n")
        if self.drive_clock:
            self.call_after_refresh(self._clock.watch)

    # -- actions -------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action.startswith("lab_"):
            return self._lab_check_action(action)
        if action == "next_namespace":
            # with the host alone there is nowhere to go (and 80 columns keep ^q Quit)
            return len(self.engine.namespaces()) > 1 or self.net is not self.engine.world.init_net
        if action in ("pause_capture", "clear_capture", "next_capture", "stop_capture",
                      "close_capture", "export_capture", "toggle_tiles"):
            try:
                view = self.query_one(CaptureArea).active_view
            except Exception:
                return False
            if view is None:
                return False
            if action in ("pause_capture", "stop_capture") and not view.running:
                return None
        return True

    def watch_app_focus(self, focus: bool) -> None:
        """In a browser (vethtui serve) Textual's web driver starts the app blurred and
        gives focus back to what had it then: a lab that mounts slowly had nothing yet,
        and keys would go nowhere. Focus coming back to nothing goes to the console
        (at once: the key that brought it back is delivered next)."""
        if focus and self.screen is self.screen_stack[0] and self.screen.focused is None:
            try:
                self.screen.set_focus(self.query_one(Console).input)
            except Exception:      # not composed yet: AUTO_FOCUS will do it
                pass

    def action_interrupt(self) -> None:
        self.query_one(Console).interrupt()

    def action_clear_console(self) -> None:
        self.query_one(Console).clear()

    def action_focus_console(self) -> None:
        self.query_one(Console).input.focus()

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_cycle_speed(self) -> None:
        current = self.engine.speed
        values = [float("inf") if s == "instant" else float(s) for s in SPEEDS]
        nxt = next((s for s, v in zip(SPEEDS, values) if v > current), SPEEDS[0])
        self.set_speed(nxt)

    def set_speed(self, speed: str) -> None:
        self.engine.set_speed(speed)
        self._update_clock(self.engine.world.sched.now)
        self.notify(_("Clock speed: {speed}").format(speed=speed_label(self.engine.speed)),
                    timeout=2)

    def action_toggle_routes(self) -> None:
        self.query_one(RouteTable).toggle_table()
        self.arrange_tables()

    def action_next_pane(self) -> None:
        """Links, routes, neighbours, then the capture view shown (if any), then the lab
        pane (if any), round again."""
        if self._lab_next_pane():
            return
        focused = self.focused
        view = self.query_one(CaptureArea).active_view
        if focused is not None and focused.id in PANES:
            nxt = PANES.index(focused.id) + 1
            if nxt == len(PANES) and view is not None and view.ready:
                view.log_widget.focus()
                return
            self.current_pane = nxt % len(PANES)
        elif isinstance(focused, PacketLog):
            self.current_pane = 0
        self.query_one(f"#{PANES[self.current_pane]}").focus()

    def action_next_namespace(self) -> None:
        """F9: the panes show the next namespace: the host, then each `ip netns` one."""
        nets = self.engine.namespaces()
        i = nets.index(self.net) if self.net in nets else -1
        self.show_net(nets[(i + 1) % len(nets)])

    def watch_current_pane(self, index: int) -> None:
        for i, pane_id in enumerate(PANES):
            self.query_one(f"#{pane_id}").set_class(i == index, "-current")
        if self.showing_one_pane():
            self.arrange_tables()       # the pane shown alone holds other rows

    def on_tabbed_content_tab_activated(self) -> None:
        self.refresh_bindings()

    # -- the command palette ---------------------------------------------------------
    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield from self._lab_system_commands()
        yield SystemCommand(_("Help: supported commands and keys"), "F1", self.action_help)
        for s in SPEEDS:
            label = _("real time (1x)") if s == "1" else speed_label(float("inf") if s == "instant"
                                                                  else float(s))
            yield SystemCommand(_("Clock speed: {speed}").format(speed=label),
                                _("Set how fast virtual time runs"),
                                lambda s=s: self.set_speed(s))
        yield SystemCommand(_("Routes: main / local table"), _("F3: toggle the route table"),
                            self.action_toggle_routes)
        yield SystemCommand(_("Panes: focus the next pane"),
                            _("F4: links, routes, neighbours, capture view"),
                            self.action_next_pane)
        for net in self.engine.namespaces():
            yield SystemCommand(_("Panes: show namespace {ns}").format(ns=label_of(net)),
                                _("F9 cycles the namespaces the panes show"),
                                lambda net=net: self.show_net(net))
        yield SystemCommand(_("Console: interrupt the running command"), "Ctrl+C (SIGINT)",
                            self.action_interrupt)
        yield SystemCommand(_("Console: clear"), "Ctrl+L", self.action_clear_console)
        yield SystemCommand(_("Links: capture on the selected link"), _("c in the link list"),
                            self._capture_selected)
        yield from self._capture_system_commands()
        yield from self._topology_commands()

def _quiet_garbage_collector() -> None:
    """Keep the cyclic GC from freezing the screen under a busy capture.

    Measured (benchmarks/tui_bench.py): with Python's default thresholds a
    full collection walks the app's long-lived objects every few seconds and
    about one keypress in twenty waits 100-200 ms for it. Objects alive once
    the first frame is drawn move to the permanent generation (gc.freeze) and
    collections come less often; cycles are still collected, and memory stays
    bounded (the buffers are). Process-wide, so only the command line asks
    for it (make_app(tune_gc=True)), never a test."""
    gc.freeze()
    gc.set_threshold(50_000, 50, 100)


def _lab_pane_for(lab: str, engine: Engine, lang: str) -> Optional[Widget]:
    """The lab file's pane (vethtui.tui.lab_pane.LabPane), for .toml labs only."""
    from ..labs.builtin import BUILTIN_LABS
    if str(lab) in BUILTIN_LABS:
        return None
    if not str(lab).endswith(".toml"):       # a lab file by name: `vethtui 02-arp-accept-local`
        try:
            from ..labs.files import resolve_lab
            path = resolve_lab(str(lab))
        except Exception:
            path = None
        if path is None:
            return None
        lab = str(path)
    try:
        from .lab_pane import LabPane  # type: ignore[import-not-found]
    except ImportError:
        return None
    try:
        return LabPane(engine, lab, lang=lang, id="lab-pane")
    except Exception:
        return None


def make_app(lab: str = "default", seed: int = 0, speed: str = "1", lang: str = "en", *,
             history_path: Optional[Path] = None, drive_clock: bool = True,
             highlight_seconds: float = 1.5, tune_gc: bool = False,
             save_dir: Optional[Path] = None) -> VethApp:
    """The app for a built-in lab name or a lab file path.

    `drive_clock=False` leaves the virtual clock to the caller (tests call
    `app.engine.settle()`); `highlight_seconds=0` turns off change highlights.
    """
    set_language(lang)          # what vethtui says, keys included, in the learner's language
    localise_bindings()
    engine = make_engine(str(lab), seed=seed, speed=str(speed))
    label = Path(lab).stem if str(lab).endswith(".toml") else str(lab)
    history = History(history_path if history_path is not None else default_path())
    app = VethApp(engine, lab_label=label, lang=lang, history=history,
                  drive_clock=drive_clock, highlight_seconds=highlight_seconds,
                  lab_pane=_lab_pane_for(str(lab), engine, lang), tune_gc=tune_gc)
    localise_instance(app)      # the command palette's key, added by App.__init__
    if save_dir is not None:
        app.save_dir = str(save_dir)
    return app
