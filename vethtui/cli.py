"""The `vethtui` command: the TUI, the headless runner, and lab utilities."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import __version__


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "run":
        return _run(argv[1:])
    if argv and argv[0] == "lab":
        from .labs.cli import main as lab_main
        return lab_main(argv[1:])
    ap = argparse.ArgumentParser(prog="vethtui",
                                 description="A terminal lab for Linux networking.")
    ap.add_argument("lab", nargs="?", default="default",
                    help="a built-in lab (default, netns) or a lab file (.toml)")
    ap.add_argument("--seed", type=int, default=0, help="fixes MACs, ids and ordering")
    ap.add_argument("--speed", default="1",
                    help="virtual clock speed: 1 (real time), a factor like 10, or 'instant'")
    ap.add_argument("--lang", default="en", help="lab text language (en, zh)")
    ap.add_argument("--version", action="version", version=f"vethtui {__version__}")
    args = ap.parse_args(argv)
    from .tui.app import make_app
    try:
        app = make_app(args.lab, seed=args.seed, speed=args.speed, lang=args.lang,
                       tune_gc=True)
    except Exception as err:
        sys.stderr.write(f"{err}\n")
        return 2
    app.run()
    return 0


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


if __name__ == "__main__":
    sys.exit(main())
