"""A one-line question over the lab: a capture's filter, a file name to export to.

`Ask(title, prompt, value, check)` dismisses with the text typed (Enter) or
None (Escape). `check(text)` may return an error line (tcpdump's own words
for a bad filter); the question then stays open with the error under it, so
nothing half-valid is ever acted on.
"""
from __future__ import annotations

from typing import Callable, Optional

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static


class Ask(ModalScreen[Optional[str]]):
    DEFAULT_CSS = """
    Ask {
        align: center middle;
        #ask {
            width: 80; max-width: 100%; height: auto;
            border: round $accent; border-title-color: $accent; background: $surface;
            padding: 0 1;
        }
        #ask-prompt { color: $text-muted; }
        #ask-error { color: $error; }
        #ask-error.-empty { display: none; }
    }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, title: str, prompt: str, value: str = "",
                 check: Optional[Callable[[str], Optional[str]]] = None) -> None:
        super().__init__()
        self.title_text = title
        self.prompt = prompt
        self.value = value
        self.check = check

    def compose(self) -> ComposeResult:
        with Vertical(id="ask") as box:
            box.border_title = self.title_text
            box.border_subtitle = "Enter: OK · Esc: cancel"
            yield Static(self.prompt, id="ask-prompt", markup=False)
            yield Input(value=self.value, id="ask-input")
            yield Static("", id="ask-error", classes="-empty", markup=False)

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        text = event.value.strip()
        error = self.check(text) if self.check is not None else None
        if error:
            err = self.query_one("#ask-error", Static)
            err.update(error)
            err.set_class(False, "-empty")
            return
        self.dismiss(text)

    def action_cancel(self) -> None:
        self.dismiss(None)
