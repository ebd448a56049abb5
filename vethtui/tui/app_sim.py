"""The app's side of the topology picture and simulation mode: F10, F11, F12 and
their palette entries, and the console's note for a command typed while paused.

A mixin of VethApp (kept apart so the app module stays the layout and the event
pump); it uses the app's engine, query_one, notify and console.
"""
from __future__ import annotations

from typing import Any, Iterable

from textual.app import SystemCommand

from ..engine import CommandQueued
from ..i18n import _
from .topology import TopologyPane


class SimulationActions:
    """F10 the picture, F11 pause or run the virtual clock, F12 step."""

    # -- the topology picture and simulation mode (issue 15) -----------------------------
    def action_toggle_topology(self) -> None:
        """F10: the picture in place of the links, routes and neighbours, or back."""
        topology = self.query_one(TopologyPane)
        shown = not topology.display
        topology.display = shown
        self.query_one("#state").display = not shown
        if shown:
            topology.refresh_picture()

    def action_sim_pause(self) -> None:
        """F11: pause the virtual clock (the picture and the event list show) or run it."""
        topology = self.query_one(TopologyPane)
        if not topology.display:
            self.action_toggle_topology()
        topology.toggle_pause()
        if self.engine.paused:
            topology.canvas.focus()
        self._update_clock(self.engine.world.sched.now)
        self.notify(_("Clock paused: → or F12 steps, ← goes back, space runs")
                    if self.engine.paused else _("Clock running"), timeout=2)

    def action_sim_step(self) -> None:
        """F12: the next packet event, while paused."""
        if self.engine.paused:
            self.query_one(TopologyPane).step()
            self._update_clock(self.engine.world.sched.now)

    def _note_queued(self, events: list[Any]) -> None:
        """A command typed while the clock is paused: the console says it waits."""
        for ev in events:
            if isinstance(ev, CommandQueued):
                self._console_write("\x1b[2m" + _("queued: {line} (the clock is paused: it "
                                                  "starts when stepping reaches it; F12 or → "
                                                  "steps, F11 runs)").format(line=ev.line)
                                    + "\x1b[0m\n")

    def _topology_commands(self) -> Iterable[SystemCommand]:
        topology = self.query_one(TopologyPane)
        yield SystemCommand(_("Picture: show or hide the topology"), "F10",
                            self.action_toggle_topology)
        yield SystemCommand(_("Simulation: pause or run the virtual clock"), "F11",
                            self.action_sim_pause)
        if self.engine.paused:
            yield SystemCommand(_("Simulation: step to the next packet event"), "F12, → or n",
                                self.action_sim_step)
            yield SystemCommand(_("Simulation: back one event"), "← or p", topology.back)
            yield SystemCommand(_("Simulation: filter the events (all, ARP, ICMP, timers)"),
                                "f", topology.cycle_filter)
