"""The lab pane: the current step, its checks ticking off live, hints, resets.

Mount it with a LabRuntime: `LabPane(runtime)` (or `LabPane(engine, lab_path)`,
which makes the runtime, with progress saved and resumed). The pane subscribes to the
runtime's `on_change` and turns each Progress snapshot into a message, so it
updates when a command ends or a packet arrives; it never polls.

Keys: the app binds Ctrl+N / Ctrl+B / Ctrl+G (next step, previous step, hint) to
the pane's actions, so they work from the console; while the pane has focus n/p/h
do the same, r resets the step and R the lab (press twice). Buttons do too.

A step that passes stays on screen: a banner at the top of the pane says so with
the step's success text and how to go on, and a toast says it too; a finished lab
says so in the same place. Texts are wrapped by `lab_text.LabText` (CJK-aware).

Messages up: `LabPane.StepCompleted(index)` when a step is ticked off,
`LabPane.LabCompleted()` when the last one is, `LabPane.WorldReset()` after a
reset rebuilt the world, `LabPane.Notice(text)` for a line the console should
print (a resume, a progress file that could not be used or saved).
"""
from __future__ import annotations

import re
from typing import Any, Optional

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container, Horizontal, VerticalScroll
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Button, Static

from ..i18n import gettext_in
from ..labs.runtime import LabRuntime, Progress, runtime_for
from .lab_text import Block, LabText, join_soft_break

class LabPane(Widget, can_focus=True):
    """A guided lab: see the module docstring."""

    DEFAULT_CSS = """
    LabPane {
        layout: vertical;
        height: 1fr;
        border: round $primary-muted;
        border-title-color: $text;
        border-title-style: bold;
        padding: 0 1;
    }
    LabPane:focus-within { border: round $primary; }
    LabPane:focus { border: round $accent; }
    LabPane #lab-steps { height: auto; color: $text-muted; }
    LabPane #lab-banner {
        height: auto; max-height: 50%; color: $success; border-left: outer $success;
        padding: 0 0 0 1; margin-top: 1;
    }
    LabPane #lab-banner.-complete { color: $success; text-style: bold; }
    LabPane #lab-step-title { height: auto; text-style: bold; color: $accent; }
    LabPane #lab-body { height: 1fr; margin-top: 1; }
    LabPane #lab-checks-title, LabPane #lab-hints-title {
        height: auto; text-style: bold; margin-top: 1;
    }
    LabPane #lab-text, LabPane #lab-checks, LabPane #lab-hints { height: auto; }
    LabPane #lab-buttons { height: auto; }
    LabPane .lab-button-row { height: auto; width: 100%; }
    LabPane #lab-buttons Button { min-width: 6; height: 1; border: none; margin-right: 1; }
    """

    BINDINGS = [
        Binding("n", "next_step", "Next step", show=False),
        Binding("p", "prev_step", "Previous step", show=False),
        Binding("h", "hint", "Hint", show=False),
        Binding("r", "reset_step", "Reset step", show=False),
        Binding("R", "reset_lab", "Reset lab", show=False),
    ]

    class Progressed(Message):
        """The runtime's progress changed (internal: runtime callback -> the pane)."""

        def __init__(self, progress: Progress) -> None:
            super().__init__()
            self.progress = progress

        def can_replace(self, message: Message) -> bool:
            return isinstance(message, LabPane.Progressed)

    class StepCompleted(Message):
        def __init__(self, index: int) -> None:
            super().__init__()
            self.index = index

    class LabCompleted(Message):
        pass

    class WorldReset(Message):
        pass

    class Notice(Message):
        """A line for the console (in the learner's language)."""

        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    def __init__(self, runtime: Any, lab: Optional[str] = None, *, lang: Optional[str] = None,
                 name: Optional[str] = None, id: Optional[str] = None,
                 classes: Optional[str] = None) -> None:
        """`LabPane(runtime)`, or `LabPane(engine, lab_path)` to make the runtime here."""
        super().__init__(name=name, id=id, classes=classes)
        if not isinstance(runtime, LabRuntime):
            if lab is None:
                raise TypeError("LabPane needs a LabRuntime, or an Engine and a lab file")
            made = runtime_for(str(lab), runtime, lang=lang or "en")
            if made is None:
                raise ValueError(f"{lab} is not a lab file")
            runtime = made
        self.runtime: LabRuntime = runtime
        if lang is not None and lang != runtime.lang:
            runtime.set_lang(lang)
        self._unsubscribe = None
        self._shown_text: Optional[tuple] = None
        self._done: Optional[tuple[bool, ...]] = None
        self._confirm_reset = False

    def _(self, text: str) -> str:
        """`text` in the lab's language (the message catalogue)."""
        return gettext_in(text, self.runtime.lang)

    # -- layout ------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        _ = self._
        yield Static(id="lab-steps")
        yield LabText(id="lab-banner")
        with VerticalScroll(id="lab-body"):
            yield LabText(id="lab-step-title")
            yield LabText(id="lab-text")
            yield Static(_("Checks"), id="lab-checks-title")
            yield LabText(id="lab-checks")
            yield Static(_("Hints"), id="lab-hints-title")
            yield LabText(id="lab-hints")
        with Container(id="lab-buttons"):      # two rows, each as wide as its own buttons
            with Horizontal(classes="lab-button-row"):
                yield Button(_("◀ Prev"), id="lab-prev", compact=True)
                yield Button(_("Next ▶"), id="lab-next", compact=True)
                yield Button(_("Hint"), id="lab-hint", compact=True)
            with Horizontal(classes="lab-button-row"):
                yield Button(_("Reset step"), id="lab-reset-step", compact=True)
                yield Button(_("Reset lab"), id="lab-reset-lab", compact=True)

    def on_mount(self) -> None:
        self._unsubscribe = self.runtime.on_change(self._runtime_changed)
        p = self.runtime.progress()
        self._done = tuple(s.done for s in p.steps)
        self.show(p)
        self._post_notices()

    def on_unmount(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None

    def _post_notices(self) -> None:
        for text in self.runtime.take_notices():
            self.post_message(self.Notice(text))

    # -- runtime -> pane -------------------------------------------------------------
    def _runtime_changed(self, progress: Progress) -> None:
        self.post_message(self.Progressed(progress))

    @on(Progressed)
    def _on_progressed(self, message: "LabPane.Progressed") -> None:
        message.stop()
        p = message.progress
        done = tuple(s.done for s in p.steps)
        if self._done is not None:
            for i, (was, now) in enumerate(zip(self._done, done)):
                if now and not was:
                    self.post_message(self.StepCompleted(i))
                    self._toast_step(p, i)
            if all(done) and not all(self._done):
                self.post_message(self.LabCompleted())
                self.notify(self._("Lab complete: every step passes."),
                            title=p.lab_title, timeout=10)
        self._done = done
        self.show(p)
        self._post_notices()

    def _toast_step(self, p: Progress, i: int) -> None:
        """Say a passed step in a toast only when this pane is out of sight (the
        single-pane mode of a short terminal): on screen, the pane itself says it at
        its top, and a toast would sit on the capture line the step is about."""
        if self.display and self.region.area > 0:
            return
        success = self.runtime.success_text(i)
        last = i + 1 >= len(p.steps)
        more = "" if last or all(s.done for s in p.steps) else \
            "\n" + self._("Ctrl+N: next step")
        self.notify(_plain(success) + more, title=self._("Step {n} done").format(n=i + 1),
                    timeout=8, markup=False)

    # -- drawing -----------------------------------------------------------------------
    def show(self, p: Progress) -> None:
        _ = self._
        self.border_title = p.lab_title
        self.border_subtitle = _("Step {i} of {n}").format(i=p.step + 1, n=len(p.steps))
        self.query_one("#lab-steps", Static).update(self._step_line(p))
        self._show_banner(p)
        key = (p.step, p.step_title, p.step_text)
        if key != self._shown_text:
            self._shown_text = key
            title = f"{p.step + 1}. {p.step_title}"
            self.query_one("#lab-step-title", LabText).set_blocks(
                [Block(spans=[(p.step_title, "bold")], prefix=(f"{p.step + 1}. ", "bold"),
                       indent=len(f"{p.step + 1}. "))], title)
            self.query_one("#lab-text", LabText).update(p.step_text)
            self.query_one("#lab-body", VerticalScroll).scroll_home(animate=False)
        self.query_one("#lab-checks", LabText).set_blocks(self._check_blocks(p),
                                                          self._checks_plain(p))
        hints = self.query_one("#lab-hints", LabText)
        k, n = len(p.hints), p.hints_total
        if n == 0:
            hints.update(f"*{_('No hints for this step.')}*")
        else:
            lines = [f"{i + 1}. {h}" for i, h in enumerate(p.hints)]
            if k == 0:
                count = _("1 hint: Ctrl+G shows it") if n == 1 else \
                    _("{n} hints: Ctrl+G shows the first").format(n=n)
            elif k < n:
                count = _("{k} of {n} hints shown (Ctrl+G: the next)").format(k=k, n=n)
            else:
                count = _("the hint is shown") if n == 1 else \
                    _("all {n} hints shown").format(n=n)
            lines.append(f"\n*{count}*")
            hints.update("\n".join(lines))
        self.query_one("#lab-prev", Button).disabled = p.step == 0
        self.query_one("#lab-next", Button).disabled = p.step + 1 >= len(p.steps)
        self.query_one("#lab-hint", Button).disabled = len(p.hints) >= p.hints_total

    def _show_banner(self, p: Progress) -> None:
        """At the top, never below the fold: the step passed (its success text and how
        to go on), or the whole lab is done."""
        _ = self._
        banner = self.query_one("#lab-banner", LabText)
        parts = []
        if p.complete:
            parts.append(f"**✓ {_('Lab complete: every step passes.')}**")
        if p.passed:
            head = f"**✓ {_('Step {n} done.').format(n=p.step + 1)}**"
            parts.append(f"{head}\\\n{p.success}" if p.success.strip() else head)
            if p.step + 1 < len(p.steps):
                nxt = _("Ctrl+N: next step") if not p.steps[p.step + 1].done else \
                    _("Ctrl+N: step {n}").format(n=p.step + 2)
                parts.append(f"*{nxt}*")
        banner.update("\n\n".join(parts))
        banner.display = bool(parts)
        banner.set_class(p.complete, "-complete")

    def _step_line(self, p: Progress) -> str:
        from rich.text import Text
        t = Text()
        for s in p.steps:
            mark = "✓" if s.done else "•"
            style = "bold" if s.index == p.step else ""
            if s.done:
                style += " green"
            t.append(f"{mark}{s.index + 1} ", style=style.strip() or None)
        return t

    def _check_blocks(self, p: Progress) -> list[Block]:
        blocks = []
        for c in p.checks:
            mark = ("✓ ", "bold green") if c.ok else ("✗ ", "bold red")
            blocks.append(Block(spans=[(c.text, "")], prefix=mark, indent=2, gap=False))
            if not c.ok and c.why:
                blocks.append(Block(spans=[(c.why, "italic")], prefix=("    ", ""), indent=4,
                                    gap=False))
        return blocks

    def _checks_plain(self, p: Progress) -> str:
        lines = []
        for c in p.checks:
            lines.append(("✓ " if c.ok else "✗ ") + c.text)
            if not c.ok and c.why:
                lines.append("    " + c.why)
        return "\n".join(lines)

    # -- actions ------------------------------------------------------------------------
    def _after_action(self) -> None:
        if self._confirm_reset:
            self._confirm_reset = False
            self.query_one("#lab-reset-lab", Button).label = self._("Reset lab")

    def action_next_step(self) -> None:
        self._after_action()
        self.runtime.next_step()

    def action_prev_step(self) -> None:
        self._after_action()
        self.runtime.prev_step()

    def action_hint(self) -> None:
        self._after_action()
        if self.runtime.reveal_hint() is None:
            p = self.runtime.progress()
            self.notify(self._("No hints for this step.") if p.hints_total == 0 else
                        self._("all {n} hints shown").format(n=p.hints_total)
                        if p.hints_total > 1 else self._("the hint is shown"), timeout=3)
        else:
            self.query_one("#lab-hints", LabText).scroll_visible(animate=False)

    def action_reset_step(self) -> None:
        self._after_action()
        self.runtime.reset_step()
        self._shown_text = None
        self.post_message(self.WorldReset())

    def action_reset_lab(self) -> None:
        if not self._confirm_reset:
            self._confirm_reset = True
            self.query_one("#lab-reset-lab", Button).label = self._("Reset all?")
            self.notify(self._("Reset lab: press again to confirm (progress is cleared)"),
                        timeout=4)
            return
        self._after_action()
        self.runtime.reset_lab()
        self._shown_text = None
        self.post_message(self.WorldReset())

    def reset_lab_now(self) -> None:
        """Reset the lab without asking twice (the palette's entry is a choice already)."""
        self._confirm_reset = True
        self.action_reset_lab()

    def reset_note(self) -> str:
        """What the last reset did, for the console."""
        return self.runtime.reset_note

    @on(Button.Pressed, "#lab-prev")
    def _prev(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_prev_step()

    @on(Button.Pressed, "#lab-next")
    def _next(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_next_step()

    @on(Button.Pressed, "#lab-hint")
    def _hint(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_hint()

    @on(Button.Pressed, "#lab-reset-step")
    def _reset_step(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_reset_step()

    @on(Button.Pressed, "#lab-reset-lab")
    def _reset_lab(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_reset_lab()


def _plain(markdown: str) -> str:
    """A success text for a toast: Markdown's marks taken off, lines joined."""
    lines = [ln.strip() for ln in re.sub(r"[`*]", "", markdown or "").strip().splitlines()]
    out = ""
    for ln in lines:
        out += (join_soft_break(out, ln) if out and ln else "") + ln
    return out
