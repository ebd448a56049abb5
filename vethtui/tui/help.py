"""F1: the commands the lab simulates, the keys, and the article's first steps."""
from __future__ import annotations

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, Group, RenderResult
from rich.measure import Measurement
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from ..i18n import _
from ..tools.misc import HELP_COMMANDS, HELP_ELSE, HELP_INTRO, HELP_SHELL
from .lab_text import min_cells, wrap_chars

KEYS = [
    ("Enter", "run the command line"),
    ("Up / Down", "previous / next command (history is kept across runs)"),
    ("Tab", "complete a command, subcommand, device, netns or /proc/sys path"),
    ("Ctrl+C", "interrupt the running command (SIGINT: ping prints its statistics)"),
    ("Ctrl+L", "clear the console"),
    ("F1", "this help"),
    ("F2", "clock speed: real time, 10x, instant"),
    ("F3", "route table: main (route -n) or local"),
    ("F4", "next pane: links, routes, neighbours, capture view (Esc: the console)"),
    ("F9", "namespace the panes show: host, then each netns (they follow the console)"),
    ("Enter / click", "on a link: its details (addresses, counters, peer, namespace)"),
    ("c", "on a link: a live capture on it (asks for a tcpdump filter)"),
    ("F5 / F6", "capture view: pause or resume / clear"),
    ("F7 / F8", "capture view: next view / stop (tcpdump prints its counters)"),
    ("Ctrl+W", "close the capture view"),
    ("Ctrl+T", "capture views side by side (tiled) or one tab each"),
    ("#", "in a capture view: show or hide the packet numbers (explain N)"),
    ("Left/Right", "in a capture view: scroll long lines sideways (a cut line ends in …)"),
    ("PgUp/PgDn", "in the console: read it back (Ctrl+Home/End: top, bottom)"),
    ("paste", "every pasted line runs in order; an unfinished last line stays"),
    ("F10", "the picture of the lab in place of the links, routes and neighbours"),
    ("F11 / F12", "simulation mode: pause or run the clock / step to the next packet event"),
    ("Ctrl+N / Ctrl+B / Ctrl+G", "with a lab: next step / previous step / next hint"),
    ("Ctrl+S", "save what the capture view holds as a pcap file (tcpdump -r, Wireshark)"),
    ("Up/Down, j/k", "in a capture view: pick a packet (PgUp/PgDn, Home/End too)"),
    ("Enter / click", "on a packet in a capture view: explain its path, step by step"),
    ("Ctrl+P", "command palette: every action by name"),
    ("Ctrl+Q", "quit"),
]

FIRST_STEPS = """\
ip link add veth0 type veth peer name veth1
ip addr add 192.168.2.11/24 dev veth0
ip link set veth0 up
ip link set veth1 up
tcpdump -i veth1 -n
ping -c 2 192.168.2.12"""


class _Para:
    """Text wrapped as the lab pane wraps it (lab_text.wrap_chars): at spaces, and between
    two Chinese characters but never before closing punctuation. Rich folds a Chinese run
    anywhere, so a line could start with "）"."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        for line in wrap_chars([(ch, "") for ch in self.text], options.max_width):
            yield Text("".join(ch for ch, _style in line))

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement(min_cells(self.text), cell_len(self.text))


def _commands() -> Group:
    """The commands as F1 shows them: a synopsis with a description in two columns, a
    synopsis alone across the whole width. Printed as `help` prints them, the long
    synopses ran past an 80-column box and wrapped to its left edge, through the
    descriptions' column."""
    width = max(len(synopsis) for synopsis, what in HELP_COMMANDS if what)
    parts: list = [Text(_(HELP_INTRO)), Text("")]
    for synopsis, what in HELP_COMMANDS:
        if what:
            row = Table.grid(padding=(0, 2))
            row.add_column(style="bold", width=width)
            row.add_column()
            row.add_row(Text(synopsis), _Para(_(what)))
            parts.append(row)
        else:
            parts.append(Text(synopsis, style="bold"))
    parts += [Text(""), Text(_(HELP_SHELL)), Text(_(HELP_ELSE))]
    return Group(*parts)


class HelpScreen(ModalScreen[None]):
    """Supported commands and key bindings."""

    DEFAULT_CSS = """
    HelpScreen {
        align: center middle;
        #help {
            width: 96; max-width: 100%; height: auto; max-height: 100%;
            border: round $accent; border-title-color: $accent; background: $surface;
            padding: 0 1;
        }
        .help-section { color: $accent; text-style: bold; margin-top: 1; }
    }
    """
    BINDINGS = [Binding("escape,f1,q", "dismiss", "Close", show=True)]

    def compose(self) -> ComposeResult:
        keys = Table.grid(padding=(0, 2))
        keys.add_column(style="bold", no_wrap=True)
        keys.add_column()
        for k, what in KEYS:
            keys.add_row(k, _Para(_(what)))
        with VerticalScroll(id="help") as box:
            box.border_title = _("vethtui help")
            box.border_subtitle = _("Esc closes")
            yield Static(_("Commands"), classes="help-section")
            yield Static(_commands())
            yield Static(_("Keys"), classes="help-section")
            yield Static(keys)
            yield Static(_("The article's first steps"), classes="help-section")
            yield Static(Text(FIRST_STEPS), markup=False)

    def action_dismiss(self) -> None:
        self.dismiss(None)
