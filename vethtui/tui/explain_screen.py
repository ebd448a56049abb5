"""A packet's walk-through, over the lab: what `engine.explain_packet` tells of it.

The text is the explainer's, plain: `Packet #N: ...`, numbered steps, `=> outcome`,
then the packets it caused. Lines wrap with a hanging indent, so a long step
goes on under its own words rather than under its number, and the list stays
easy to follow at 80 columns.
"""
from __future__ import annotations

import re

from rich.console import Console, ConsoleOptions, RenderResult
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

# what a continuation line hangs under: the indent and a step's number, `=> `, `- ` or `(`
_LEAD = re.compile(r"\s*(?:\d+\.\s|=>\s|-\s|\()?")
# the kernel function a step names, at its end: `  [arp_process]`
_FUNCTION = re.compile(r"\s\s\[[\w.]+\]$")


class HangingText:
    """Lines that wrap under their text: `  3. veth0 hands ...` goes on under `veth0`."""

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = max(1, options.max_width)
        rows: list[Text] = []
        for line in self.lines:
            lead = _LEAD.match(line).group(0)
            hang = len(lead) if len(lead) <= width // 2 else 0
            bold = line.startswith("Packet #") or lead.strip() == "=>"
            body = Text(line[hang:], style="bold" if bold else "")
            function = _FUNCTION.search(body.plain)
            if function:
                body.stylize("dim", function.start())
            wrapped = body.wrap(console, width - hang, overflow="fold") or [Text("")]
            for i, row in enumerate(wrapped):
                pad = Text(lead if i == 0 else " " * hang, style="bold" if bold else "")
                rows.append(Text.assemble(pad, row) if hang else row)
        yield Text("\n").join(rows)


class ExplainScreen(ModalScreen[None]):
    """One packet's story; Esc closes, arrows and PgUp/PgDn scroll."""

    DEFAULT_CSS = """
    ExplainScreen {
        align: center middle;
        #explain {
            width: 110; max-width: 100%; height: auto; max-height: 100%;
            border: round $accent; border-title-color: $accent; background: $surface;
            padding: 0 1;
        }
    }
    """
    AUTO_FOCUS = "#explain"
    BINDINGS = [Binding("escape,q", "dismiss", "Close", show=True)]

    def __init__(self, text: str, skb_id: int) -> None:
        super().__init__()
        self.text = text
        self.skb_id = skb_id

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="explain") as box:
            box.border_title = f"Explain packet #{self.skb_id}"
            box.border_subtitle = "Esc closes"
            yield Static(HangingText(self.text), id="explain-text")

    def action_dismiss(self) -> None:
        self.dismiss(None)
