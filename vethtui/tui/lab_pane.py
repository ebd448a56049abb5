"""The lab pane: the current step, its checks ticking off live, hints, resets.

Mount it with a LabRuntime: `LabPane(runtime)` (or `LabPane(engine, lab_path)`,
which makes the runtime, with progress saved and resumed). The pane subscribes to the
runtime's `on_change` and turns each Progress snapshot into a message, so it
updates when a command ends or a packet arrives; it never polls. Keys (while
the pane has focus) and buttons: n/p next/previous step, h hint, r reset the
step, R reset the lab (press twice).

Messages up: `LabPane.StepCompleted(index)` when a step is ticked off,
`LabPane.LabCompleted()` when the last one is, `LabPane.WorldReset()` after a
reset rebuilt the world (the app may want to clear its console).
"""
from __future__ import annotations

from typing import Any, Optional

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container, VerticalScroll
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Button, Markdown, Static

from ..labs.runtime import LabRuntime, Progress, runtime_for

UI = {
    "en": {"step": "Step {i} of {n}", "checks": "Checks", "hints": "Hints",
           "prev": "◀ Prev", "next": "Next ▶", "hint": "Hint", "reset_step": "Reset step",
           "reset_lab": "Reset lab", "sure": "Reset all?", "done": "Done",
           "complete": "Lab complete: every step passes.", "no_hints": "No hints for this step.",
           "more_hints": "{k} of {n} hints shown", "all_hints": "all {n} hints shown"},
    "zh": {"step": "第 {i} 步，共 {n} 步", "checks": "检查项", "hints": "提示",
           "prev": "◀ 上一步", "next": "下一步 ▶", "hint": "提示", "reset_step": "重置本步",
           "reset_lab": "重置实验", "sure": "确定重置？", "done": "完成",
           "complete": "实验完成：所有步骤都已通过。", "no_hints": "这一步没有提示。",
           "more_hints": "已显示 {k}/{n} 条提示", "all_hints": "{n} 条提示已全部显示"},
}


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
    LabPane #lab-steps { height: auto; color: $text-muted; }
    LabPane #lab-step-title { height: auto; text-style: bold; color: $accent; margin-top: 1; }
    LabPane #lab-body { height: 1fr; }
    LabPane Markdown { margin: 0; padding: 0; background: transparent; }
    LabPane #lab-checks-title, LabPane #lab-hints-title {
        height: auto; text-style: bold; margin-top: 1;
    }
    LabPane #lab-checks { height: auto; }
    LabPane #lab-hints { height: auto; }
    LabPane #lab-success { height: auto; margin-top: 1; color: $success; }
    LabPane #lab-buttons {
        layout: grid; grid-size: 3; grid-columns: auto auto auto; grid-gutter: 0 1;
        height: auto;
    }
    LabPane #lab-buttons Button { min-width: 6; height: 1; border: none; }
    """

    BINDINGS = [
        Binding("n", "next_step", "Next step"),
        Binding("p", "prev_step", "Previous step"),
        Binding("h", "hint", "Hint"),
        Binding("r", "reset_step", "Reset step"),
        Binding("R", "reset_lab", "Reset lab"),
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

    @property
    def ui(self) -> dict[str, str]:
        return UI.get(self.runtime.lang, UI["en"])

    # -- layout ------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        ui = self.ui
        yield Static(id="lab-steps")
        with VerticalScroll(id="lab-body"):
            yield Static(id="lab-step-title")
            yield Markdown(id="lab-text")
            yield Static(ui["checks"], id="lab-checks-title")
            yield Static(id="lab-checks")
            yield Static(ui["hints"], id="lab-hints-title")
            yield Markdown(id="lab-hints")
            yield Markdown(id="lab-success")
        with Container(id="lab-buttons"):
            yield Button(ui["prev"], id="lab-prev", compact=True)
            yield Button(ui["next"], id="lab-next", compact=True)
            yield Button(ui["hint"], id="lab-hint", compact=True)
            yield Button(ui["reset_step"], id="lab-reset-step", compact=True)
            yield Button(ui["reset_lab"], id="lab-reset-lab", compact=True)

    def on_mount(self) -> None:
        self._unsubscribe = self.runtime.on_change(self._runtime_changed)
        p = self.runtime.progress()
        self._done = tuple(s.done for s in p.steps)
        self.show(p)

    def on_unmount(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None

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
            if all(done) and not all(self._done):
                self.post_message(self.LabCompleted())
        self._done = done
        self.show(p)

    # -- drawing -----------------------------------------------------------------------
    def show(self, p: Progress) -> None:
        ui = self.ui
        self.border_title = p.lab_title
        self.border_subtitle = ui["step"].format(i=p.step + 1, n=len(p.steps))
        self.query_one("#lab-steps", Static).update(self._step_line(p))
        key = (p.step, p.step_title, p.step_text)
        if key != self._shown_text:
            self._shown_text = key
            self.query_one("#lab-step-title", Static).update(
                f"{p.step + 1}. {p.step_title}")
            self.query_one("#lab-text", Markdown).update(p.step_text)
        self.query_one("#lab-checks", Static).update(self._checks_text(p))
        hints = self.query_one("#lab-hints", Markdown)
        if p.hints_total == 0:
            hints.update(f"*{ui['no_hints']}*")
        else:
            lines = [f"{i + 1}. {h}" for i, h in enumerate(p.hints)]
            k, n = len(p.hints), p.hints_total
            count = ui["more_hints"].format(k=k, n=n) if k < n else ui["all_hints"].format(n=n)
            lines.append(f"\n*{count}*")
            hints.update("\n".join(lines))
        success = self.query_one("#lab-success", Markdown)
        parts = []
        if p.passed:
            parts.append(f"**✓ {ui['done']}.** {p.success}".rstrip())
        if p.complete:
            parts.append(f"**{ui['complete']}**")
        success.update("\n\n".join(parts))
        success.display = bool(parts)
        self.query_one("#lab-prev", Button).disabled = p.step == 0
        self.query_one("#lab-next", Button).disabled = p.step + 1 >= len(p.steps)
        self.query_one("#lab-hint", Button).disabled = len(p.hints) >= p.hints_total

    def _step_line(self, p: Progress) -> Text:
        t = Text()
        for s in p.steps:
            mark = "✓" if s.done else "•"
            style = "bold" if s.index == p.step else ""
            if s.done:
                style += " green"
            t.append(f"{mark}{s.index + 1} ", style=style.strip() or None)
        return t

    def _checks_text(self, p: Progress) -> Text:
        t = Text()
        for i, c in enumerate(p.checks):
            if i:
                t.append("\n")
            text = c.text[:1].upper() + c.text[1:]
            if c.ok:
                t.append("✓ ", style="bold green")
                t.append(text)
            else:
                t.append("✗ ", style="bold red")
                t.append(text)
                if c.why:
                    t.append("\n    ")
                    t.append(c.why, style="italic")
        return t

    # -- actions ------------------------------------------------------------------------
    def _after_action(self) -> None:
        if self._confirm_reset:
            self._confirm_reset = False
            self.query_one("#lab-reset-lab", Button).label = self.ui["reset_lab"]

    def action_next_step(self) -> None:
        self._after_action()
        self.runtime.next_step()

    def action_prev_step(self) -> None:
        self._after_action()
        self.runtime.prev_step()

    def action_hint(self) -> None:
        self._after_action()
        self.runtime.reveal_hint()

    def action_reset_step(self) -> None:
        self._after_action()
        self.runtime.reset_step()
        self._shown_text = None
        self.post_message(self.WorldReset())

    def action_reset_lab(self) -> None:
        if not self._confirm_reset:
            self._confirm_reset = True
            self.query_one("#lab-reset-lab", Button).label = self.ui["sure"]
            return
        self._after_action()
        self.runtime.reset_lab()
        self._shown_text = None
        self.post_message(self.WorldReset())

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
