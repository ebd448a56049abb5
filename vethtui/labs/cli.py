"""`vethtui lab ...`: list, validate, test and inspect lab files.

    vethtui lab list                 the labs in the repository's labs/ and ./labs
    vethtui lab validate FILE...     load each file; print one line per problem
    vethtui lab test FILE...         run the reference solutions headlessly (exit 0 only
                                     when every step's checks pass)
    vethtui lab setup FILE           the commands that make the starting state
    vethtui lab schema               the JSON Schema of the format (for editors)

Exit status: 0 fine, 1 a lab failed its test or validation, 2 usage errors.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Optional, TextIO

from ..i18n import SUPPORTED, UnknownLanguage, gettext_in, resolve_language
from . import models as m
from .files import LabFileError, find_labs, load_lab_file, resolve_lab, setup_commands


def _steps(n: int, lang: str) -> str:
    return gettext_in("1 step" if n == 1 else "{n} steps", lang).format(n=n)


def _checks(n: int, lang: str) -> str:
    return gettext_in("1 check" if n == 1 else "{n} checks", lang).format(n=n)


def _path(name: str) -> Path:
    p = resolve_lab(name)
    return p if p is not None else Path(name)


def cmd_list(args, out: TextIO) -> int:
    lang = args.lang
    labs = find_labs()
    if not labs:
        out.write(gettext_in("no lab files found (looked in: the repository's labs/ and "
                             "./labs)", lang) + "\n")
        return 0
    for p in labs:
        try:
            spec = load_lab_file(p)
        except LabFileError as err:
            out.write(f"{p.stem:28} " + gettext_in("(broken: {err})", lang).format(err=err)
                      + "\n")
            continue
        out.write(f"{spec.id:28} {spec.title(lang)} ({_steps(len(spec.steps), lang)})\n")
        if args.verbose:
            out.write(f"{'':28} {p}\n")
    return 0


def cmd_validate(args, out: TextIO) -> int:
    status = 0
    for name in args.files:
        p = _path(name)
        try:
            spec = load_lab_file(p)
        except LabFileError as err:
            out.write(f"{err}\n")
            status = 1
            continue
        n = len(spec.steps)
        checks = sum(len(s.checks) for s in spec.steps)
        out.write(gettext_in("{path}: ok: {title} ({steps}, {checks})", args.lang).format(
            path=p, title=spec.title(args.lang), steps=_steps(n, args.lang),
            checks=_checks(checks, args.lang)) + "\n")
    return status


def cmd_setup(args, out: TextIO) -> int:
    try:
        spec = load_lab_file(_path(args.file))
    except LabFileError as err:
        out.write(f"{err}\n")
        return 1
    for line in setup_commands(spec):
        out.write(line + "\n")
    return 0


def cmd_test(args, out: TextIO) -> int:
    from .runtime import run_lab_test
    lang = args.lang

    def _(text: str) -> str:
        return gettext_in(text, lang)

    status = 0
    for name in args.files:
        p = _path(name)
        try:
            spec = load_lab_file(p)
            reports = run_lab_test(spec, seed=args.seed, lang=lang)
        except LabFileError as err:
            out.write(f"{err}\n")
            status = 1
            continue
        except Exception as err:  # a simulator bug: still one line, and a failed test
            out.write(_("{path}: internal error while testing: {err}").format(
                path=p, err=f"{type(err).__name__}: {err}") + "\n")
            status = 1
            continue
        ok = all(r.passed for r in reports)
        out.write(f"{p}: {spec.title(lang)}\n")
        for r in reports:
            mark = "✓" if r.passed else "✗"
            out.write(f"  {mark} {r.index + 1}. {r.title}\n")
            for w in r.warnings:
                out.write("      " + _("warning: {w}").format(w=_(w)) + "\n")
            for c in r.failing:
                out.write(f"      ✗ {c.text}: {c.why}\n")
            if not r.passed and args.verbose:
                for run in r.commands:
                    out.write(f"      $ {run.line}\n")
                    for line in run.output.splitlines():
                        out.write(f"        {line}\n")
                    if run.status:
                        out.write(f"        [exit {run.status}]\n")
        passed = sum(1 for r in reports if r.passed)
        out.write("  " + _("ok: {k} of {n} steps pass" if ok else
                           "FAILED: {k} of {n} steps pass").format(k=passed, n=len(reports))
                  + "\n")
        if not ok:
            status = 1
    return status


def cmd_schema(args, out: TextIO) -> int:
    out.write(json.dumps(m.json_schema(), indent=2, ensure_ascii=False) + "\n")
    return 0


LANG_HELP = f"language of the lab texts and of this report ({', '.join(SUPPORTED)}; " \
            "default: from LC_ALL, LC_MESSAGES or LANG)"


def main(argv: Optional[list[str]] = None, out: TextIO = sys.stdout) -> int:
    ap = argparse.ArgumentParser(prog="vethtui lab", description="Guided lab files.")
    sub = ap.add_subparsers(dest="cmd", metavar="{list,validate,test,setup,schema}")
    p = sub.add_parser("list", help="list the lab files found")
    p.add_argument("--lang", help=LANG_HELP)
    p.add_argument("-v", "--verbose", action="store_true", help="show each file's path")
    p = sub.add_parser("validate", help="check lab files; print one line per problem")
    p.add_argument("files", nargs="+")
    p.add_argument("--lang", help=LANG_HELP)
    p = sub.add_parser("test", help="run the reference solutions and every check")
    p.add_argument("files", nargs="+")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--lang", help=LANG_HELP)
    p.add_argument("-v", "--verbose", action="store_true",
                   help="show the commands and output of failing steps")
    p = sub.add_parser("setup", help="print the commands that make the starting state")
    p.add_argument("file")
    sub.add_parser("schema", help="print the JSON Schema of lab files")
    args = ap.parse_args(argv)
    if args.cmd is None:
        ap.print_help(out)
        return 2
    if hasattr(args, "lang"):
        try:
            args.lang = resolve_language(args.lang)   # --lang, else LC_ALL / LANG
        except UnknownLanguage as err:
            sys.stderr.write(f"{err}\n")
            return 2
    return {"list": cmd_list, "validate": cmd_validate, "test": cmd_test, "setup": cmd_setup,
            "schema": cmd_schema}[args.cmd](args, out)
