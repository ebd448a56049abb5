"""The `vethtui` command: the TUI, the headless runner, lab utilities and the classroom server."""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Optional

from . import __version__

SUBCOMMANDS = (
    ("run", "run SCRIPT [--lab LAB] ...", "a script's lines headlessly on virtual time"),
    ("lab", "lab list|validate|test|setup|schema", "lab files: list, check, test them"),
    ("serve", "serve [--host H] [--port P] ...", "the labs in a browser, one session per tab"),
)


def _lab_names() -> tuple[list[str], list[str]]:
    """The built-in labs and the lab files found (labs/ of the repository, ./labs)."""
    from .labs.builtin import BUILTIN_LABS
    try:
        from .labs.files import find_labs
        files = [p.stem for p in find_labs()]
    except Exception:                      # a broken directory must not break --help
        files = []
    return list(BUILTIN_LABS), files


def _labs_text() -> str:
    builtin, files = _lab_names()
    text = "built-in labs: " + ", ".join(builtin)
    if files:
        text += "\nlab files: " + ", ".join(files)
    return text


def _epilog() -> str:
    lines = ["commands:"]
    for _name, usage, what in SUBCOMMANDS:
        lines.append(f"  vethtui {usage:<36} {what}")
    lines.append("  (vethtui COMMAND --help for each)")
    lines.append("")
    lines.append("LAB is a built-in lab, a lab file's name, or a path to a .toml file:")
    lines += ["  " + ln for ln in _labs_text().splitlines()]
    return "\n".join(lines)


class _HelpWithLabs(argparse.ArgumentParser):
    """The parser whose help ends with the commands and the labs there are. Listing the
    lab files imports their models (pydantic), a fifth of the launch time, so the list is
    made only when help is shown."""

    def format_help(self) -> str:
        if self.epilog is None:
            self.epilog = _epilog()
        return super().format_help()


def _check_lab(lab: str) -> Optional[str]:
    """None if `lab` names a lab, else the one-line error (with the labs there are)."""
    from .labs.builtin import BUILTIN_LABS
    if lab in BUILTIN_LABS:
        return None
    if lab.endswith(".toml"):
        if Path(lab).is_file():
            return None
        return f"vethtui: {lab}: No such file"
    from .labs.files import resolve_lab
    if resolve_lab(lab) is not None:
        return None
    builtin, files = _lab_names()
    known = ", ".join(builtin + files)
    return f"vethtui: no such lab: {lab} (labs: {known}; or a path to a .toml file)"


def _language(flag: Optional[str]) -> str:
    """--lang (refused when unsupported) or the locale's; set for the whole process."""
    from .i18n import resolve_language, set_language
    lang = resolve_language(flag)
    set_language(lang)
    return lang


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "run":
        return _run(argv[1:])
    if argv and argv[0] == "lab":
        from .labs.cli import main as lab_main
        return lab_main(argv[1:])
    if argv and argv[0] == "serve":
        return _serve(argv[1:])
    ap = _HelpWithLabs(prog="vethtui", usage="vethtui [LAB] [options] | vethtui COMMAND ...",
                       description="A terminal lab for Linux networking.",
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("lab", nargs="?", default="default", metavar="LAB",
                    help="the lab to open (default: default; see the list below)")
    ap.add_argument("--seed", type=int, default=0, help="fixes MACs, ids and ordering")
    ap.add_argument("--speed", default="1",
                    help="virtual clock speed: 1 (real time), a factor like 10, or 'instant'")
    ap.add_argument("--lang", default=None,
                    help="language: en, zh (default: from LANG / LC_ALL)")
    ap.add_argument("--save-dir", type=Path, default=None, metavar="DIR",
                    help="where Ctrl+S saves pcap files (default: the current directory)")
    ap.add_argument("--browser-session", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--version", action="version", version=f"vethtui {__version__}")
    args = ap.parse_args(argv)
    from .i18n import UnknownLanguage
    try:
        lang = _language(args.lang)
    except UnknownLanguage as err:
        sys.stderr.write(f"{err}\n")
        return 2
    problem = _check_lab(args.lab)
    if problem:
        sys.stderr.write(problem + "\n")
        return 2
    if args.save_dir is not None and not args.save_dir.is_dir():
        sys.stderr.write(f"vethtui: --save-dir {args.save_dir}: not a directory\n")
        return 2
    if not args.browser_session:      # a classroom server's sessions share its cores
        _tune_for_latency()
    from .tui.app import make_app
    try:
        app = make_app(args.lab, seed=args.seed, speed=args.speed, lang=lang,
                       tune_gc=True, save_dir=args.save_dir)
    except Exception as err:
        sys.stderr.write(f"{err}\n")
        return 2
    if args.browser_session:          # started by `vethtui serve` for one browser tab
        from .serve.session import seal
        seal(app)
    app.run()
    return 0


FRAME_RATE = "120"
"""Textual's frame cap (TEXTUAL_FPS, 60 by default), unless the user set one. A key's
echo waits for the screen's next frame tick; at 60 a second that wait was up to 17 ms
while the capture views and the clock kept the frame timer busy. Paired pty runs at
~1000 captured frames a second (three pairs, 100 keys each): keypress p50 14.8 -> 12.4
ms, p95 42.6 -> 34.5 ms, the app's CPU the same (the views redraw 12 times a second
either way)."""


SWITCH_INTERVAL = 0.001
"""How long the main thread may hold the GIL while another thread waits for it (Python's
default is 5 ms). Textual reads keys and writes frames in threads of their own, and under a
flood the main thread is always busy: a key waited 11 ms on average between reaching the
terminal and being read (pty timeline, two paired runs: 11.1/11.3 -> 3.7/3.6 ms; keypress
p50 80/63 -> 63/55 ms)."""


def _tune_for_latency() -> None:
    """Set the frame cap before Textual reads it (at the import of textual.constants), and
    let Textual's input and output threads have the GIL sooner."""
    if "textual.constants" not in sys.modules:
        os.environ.setdefault("TEXTUAL_FPS", FRAME_RATE)
    sys.setswitchinterval(SWITCH_INTERVAL)


def _run(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(prog="vethtui run",
                                 description="Run a script's lines headlessly on virtual time.")
    ap.add_argument("script", type=Path)
    ap.add_argument("--lab", default="default")
    ap.add_argument("--jsonl", action="store_true", help="print the oracle's JSONL events")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--explain", action="store_true", help="explain each command's packets")
    ap.add_argument("--pcap", help="write all traffic as `tcpdump -i any -w FILE` would")
    # simulation mode's event list (helper topo, issue 15)
    ap.add_argument("--steps", action="store_true",
                    help="print the packet events, one row each, as simulation mode steps them")
    args = ap.parse_args(argv)
    from .runner import main as run_main
    return run_main(args.script, args.lab, args.jsonl, args.seed, explain=args.explain,
                    pcap=args.pcap, steps=args.steps)


def _positive(kind):
    def parse(text: str):
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"invalid value: {text!r}")
        if value <= 0:
            raise argparse.ArgumentTypeError(f"must be more than 0: {text!r}")
        return value
    return parse


def _serve(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(
        prog="vethtui serve",
        description="Serve the labs to browsers: each tab gets its own vethtui (its own "
                    "simulated machine and lab progress). Nothing typed in a browser touches "
                    "this machine's files or network.",
        epilog=_labs_text(), formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--host", default="127.0.0.1",
                    help="address to bind (default 127.0.0.1: this machine only; "
                         "0.0.0.0 for a class)")
    ap.add_argument("--port", type=int, default=8000, help="port (default 8000; 0: any free)")
    ap.add_argument("--lab", default=None, metavar="NAME",
                    help="open this lab directly instead of the landing page")
    ap.add_argument("--lang", default=None, help="language: en, zh (default: from LANG)")
    ap.add_argument("--max-sessions", type=_positive(int), default=30, metavar="N",
                    help="sessions at once; more get a 'class is full' page (default 30)")
    ap.add_argument("--idle-timeout", type=_positive(float), default=30.0, metavar="MIN",
                    help="end a session after MIN minutes without a keystroke (default 30)")
    ap.add_argument("--memory-limit", type=_positive(int), default=768, metavar="MIB",
                    help="data memory per session process, MiB (default 768)")
    ap.add_argument("--data-dir", type=Path, default=None, metavar="DIR",
                    help="keep lab progress and history here, per browser (a cookie); "
                         "default: per session, deleted when it ends")
    ap.add_argument("--seed", type=int, default=0, help="the seed of every session's world")
    args = ap.parse_args(argv)
    from .i18n import UnknownLanguage
    try:
        lang = _language(args.lang)
    except UnknownLanguage as err:
        sys.stderr.write(f"{err}\n")
        return 2
    try:
        from .serve.catalogue import find, load_catalogue
        from .serve.server import ClassroomServer
    except ImportError as err:
        sys.stderr.write(f"vethtui serve: needs textual-serve ({err.name} is missing): "
                         "pip install textual-serve\n")
        return 2
    catalogue = load_catalogue()
    if args.lab is not None and find(catalogue, args.lab) is None:
        names = ", ".join(e.name for e in catalogue)
        sys.stderr.write(f"vethtui serve: no such lab: {args.lab} (labs: {names})\n")
        return 2
    if args.data_dir is not None:
        try:
            args.data_dir.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            sys.stderr.write(f"vethtui serve: --data-dir {args.data_dir}: {err.strerror}\n")
            return 2
        args.data_dir = args.data_dir.resolve()
    server = ClassroomServer(catalogue, host=args.host, port=args.port, lab=args.lab, lang=lang,
                             max_sessions=args.max_sessions,
                             idle_timeout=args.idle_timeout * 60, data_dir=args.data_dir,
                             memory_limit=args.memory_limit * 2**20, seed=args.seed)
    try:
        server.serve()
    except OSError as err:            # the port is taken, the address is not ours
        sys.stderr.write(f"vethtui serve: {args.host}:{args.port}: {err.strerror or err}\n")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
