"""The app's side of a guided lab: Ctrl+N / Ctrl+B / Ctrl+G, the palette's lab
entries, F4 reaching the lab pane, the pane's console notices, and the console's
line after a reset.

A mixin of VethApp (kept apart so the app module stays the layout and the event
pump); it uses the app's `_lab_pane`, PANES, query_one and console.
"""
from __future__ import annotations

from typing import Any, Iterable

from textual.app import SystemCommand

from .captures import CaptureArea
from .packet_log import PacketLog


class LabActions:
    """What the app does for the lab pane (nothing while no lab is loaded)."""

    # ==== the lab block (helper labs) ==================================================
    # Everything the lab pane needs from the app, kept together for the layout rewrite:
    # Ctrl+N / Ctrl+B / Ctrl+G (bindings above), the palette's lab entries, F4 reaching
    # the pane (action_next_pane calls _lab_next_pane first), the pane's console notices,
    # and the console's line after a reset (reset_world calls _lab_reset_line).
    def _lab_check_action(self, action: str) -> bool | None:
        pane = self._lab_pane
        if pane is None or not hasattr(pane, "runtime"):
            return False
        if action == "lab_hint":
            p = pane.runtime.progress()
            return True if len(p.hints) < p.hints_total else None
        if action == "lab_prev":
            return True if pane.runtime.current > 0 else None
        if action == "lab_next":
            rt = pane.runtime
            return True if rt.current + 1 < len(rt.spec.steps) else None
        return True

    def action_lab_next(self) -> None:
        if self._lab_pane is not None:
            self._lab_pane.action_next_step()
            self.refresh_bindings()

    def action_lab_prev(self) -> None:
        if self._lab_pane is not None:
            self._lab_pane.action_prev_step()
            self.refresh_bindings()

    def action_lab_hint(self) -> None:
        if self._lab_pane is not None:
            self._lab_pane.action_hint()
            self.refresh_bindings()

    def action_lab_reset_step(self) -> None:
        if self._lab_pane is not None:
            self._lab_pane.action_reset_step()

    def action_lab_reset_lab(self) -> None:
        if self._lab_pane is not None:
            self._lab_pane.reset_lab_now()

    def action_lab_show(self) -> None:
        if self._lab_pane is not None:
            self._lab_pane.display = True
            self._lab_pane.focus()
            self.call_after_refresh(self.arrange_tables)

    def action_lab_hide(self) -> None:
        """The lab pane steps aside: its columns go to the state panes and the captures
        (at 80 columns a tcpdump line then fits); the palette brings it back."""
        if self._lab_pane is not None:
            self._lab_pane.display = False
            self.action_focus_console()
            self.call_after_refresh(self.arrange_tables)

    def _lab_next_pane(self) -> bool:
        """F4: after the neighbours (or the capture view, when one is open) comes the
        lab pane, then the links again. True when it moved the focus."""
        pane = self._lab_pane
        if pane is None:
            return False
        focused = self.focused
        if focused is not None and (focused is pane or pane in focused.ancestors):
            self.current_pane = 0
            self.query_one(f"#{self.PANES[0]}").focus()
            return True
        view = self.query_one(CaptureArea).active_view
        last_state = focused is not None and focused.id == self.PANES[-1]
        if isinstance(focused, PacketLog) or \
                (last_state and (view is None or not view.ready)):
            pane.focus()
            return True
        return False

    def _lab_system_commands(self) -> Iterable[SystemCommand]:
        pane = self._lab_pane
        if pane is None or not hasattr(pane, "runtime"):
            return
        _ = pane._
        yield SystemCommand(_("Lab: next step"), "Ctrl+N", self.action_lab_next)
        yield SystemCommand(_("Lab: previous step"), "Ctrl+B", self.action_lab_prev)
        yield SystemCommand(_("Lab: show the next hint"), "Ctrl+G", self.action_lab_hint)
        yield SystemCommand(_("Lab: reset this step"),
                            _("rebuild the setup, replay the earlier steps' solutions"),
                            self.action_lab_reset_step)
        yield SystemCommand(_("Lab: reset the whole lab"),
                            _("back to the setup and step 1; progress is cleared"),
                            self.action_lab_reset_lab)
        yield SystemCommand(_("Lab: show the lab pane"),
                            _("focus the lab pane (F4 cycles the panes)"),
                            self.action_lab_show)
        if pane.display:
            yield SystemCommand(_("Lab: hide the lab pane"),
                                _("its width goes to the panes and the captures"),
                                self.action_lab_hide)

    def on_lab_pane_notice(self, message: Any) -> None:
        """A line from the lab (a resume, a progress file): dim, in the console."""
        self._console_write(f"\x1b[2mvethtui: {message.text}\x1b[0m\n")

    def _lab_reset_line(self) -> str:
        note = self._lab_pane.reset_note() if self._lab_pane is not None and \
            hasattr(self._lab_pane, "reset_note") else ""
        return note or "the lab was reset"
    # ==== end of the lab block =========================================================
