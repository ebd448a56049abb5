"""getopt_long as glibc 2.36 does it (posix/getopt.c), for every tool that parses options.

    g = Getopt("ping", argv, "c:i:I:nq", [LongOpt("count", REQUIRED, "c")])
    try:
        for opt, val in g:          # in command-line order, so a bad value dies in place
            ...
    except GetoptError as err:
        proc.err(f"{err}\\n{USAGE}")
    operands = g.operands

The rules: options and operands may be mixed (operands are permuted to the end)
unless the option string starts with "+" (POSIXLY_CORRECT: the first operand
ends the options); "--" ends the options; "-" alone is an operand; short options
bundle (`-nq`), and a required value is attached (`-c5`) or the next argument
(`-c 5`); "x::" takes only an attached value. Long options take `--name=value`
or, when required, the next argument; any unambiguous prefix names one (glibc
takes the first of several prefixes that agree on everything, as it does).
Without long options (plain getopt, as ping calls it) "--x" is short options
and fails on '-'.
The errors are glibc's words, with the program name in front:

    ping: invalid option -- 'z'
    ping: option requires an argument -- 'c'
    tcpdump: unrecognized option '--foo'
    tcpdump: option '--vers' is ambiguous; possibilities: '--version' '--verbose'
    tcpdump: option '--version' doesn't allow an argument
    tcpdump: option '--interface' requires an argument
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator, Optional, Sequence

NO_ARGUMENT = 0
REQUIRED = 1
OPTIONAL = 2


@dataclass(frozen=True)
class LongOpt:
    """struct option: a long name, whether it takes a value, and the key it is
    reported under (a short option's letter, or the long name when empty)."""

    name: str
    has_arg: int = NO_ARGUMENT
    key: str = ""

    @property
    def reported(self) -> str:
        return self.key or self.name


class GetoptError(Exception):
    """What getopt printed on stderr (without the newline); the tool adds its usage."""

    def __init__(self, message: str, option: str = ""):
        super().__init__(message)
        self.message = message
        self.option = option     # the offending option character or name

    def __str__(self) -> str:
        return self.message


def _parse_shortopts(spec: str) -> tuple[dict[str, int], bool]:
    posixly_correct = spec.startswith("+")
    spec = spec.lstrip("+-:")
    table: dict[str, int] = {}
    i = 0
    while i < len(spec):
        ch = spec[i]
        i += 1
        arg = NO_ARGUMENT
        if spec[i:i + 2] == "::":
            arg = OPTIONAL
            i += 2
        elif spec[i:i + 1] == ":":
            arg = REQUIRED
            i += 1
        table[ch] = arg
    return table, posixly_correct


class Getopt:
    """Iterate (option, value) pairs; `operands` holds the rest once iteration ends."""

    def __init__(self, prog: str, argv: Sequence[str], shortopts: str,
                 longopts: Sequence[LongOpt] = ()):
        self.prog = prog
        self.argv = list(argv)
        self.short, self.posixly_correct = _parse_shortopts(shortopts)
        self.longopts = list(longopts)
        self.operands: list[str] = []

    def __iter__(self) -> Iterator[tuple[str, Optional[str]]]:
        argv = self.argv
        i = 1
        while i < len(argv):
            a = argv[i]
            if a == "--":
                self.operands.extend(argv[i + 1:])
                return
            if not a.startswith("-") or a == "-":
                if self.posixly_correct:
                    self.operands.extend(argv[i:])
                    return
                self.operands.append(a)
                i += 1
                continue
            if a.startswith("--") and self.longopts:
                opt, val, i = self._long(a, i)
                yield opt, val
                continue
            j = 1
            while j < len(a):
                ch = a[j]
                has_arg = self.short.get(ch)
                if has_arg is None or ch in ":;":
                    raise GetoptError(f"{self.prog}: invalid option -- '{ch}'", ch)
                if has_arg == NO_ARGUMENT:
                    yield ch, None
                    j += 1
                    continue
                val: Optional[str] = a[j + 1:]
                if not val:
                    if has_arg == OPTIONAL:
                        val = None
                    else:
                        i += 1
                        if i >= len(argv):
                            raise GetoptError(
                                f"{self.prog}: option requires an argument -- '{ch}'", ch)
                        val = argv[i]
                yield ch, val
                break
            i += 1

    def _long(self, a: str, i: int) -> tuple[str, Optional[str], int]:
        """process_long_option: exact name, else the unambiguous prefix."""
        body = a[2:]
        name, eq, val = body.partition("=")
        found = self._match(a, name)
        if found.has_arg == NO_ARGUMENT:
            if eq:
                raise GetoptError(f"{self.prog}: option '--{found.name}' doesn't allow an "
                                  "argument", found.name)
            return found.reported, None, i + 1
        if eq:
            return found.reported, val, i + 1
        if found.has_arg == REQUIRED:
            if i + 1 >= len(self.argv):
                raise GetoptError(f"{self.prog}: option '--{found.name}' requires an argument",
                                  found.name)
            return found.reported, self.argv[i + 1], i + 2
        return found.reported, None, i + 1

    def _match(self, a: str, name: str) -> LongOpt:
        for lo in self.longopts:
            if lo.name == name:
                return lo
        matches = [lo for lo in self.longopts if name and lo.name.startswith(name)]
        if not matches:
            raise GetoptError(f"{self.prog}: unrecognized option '{a}'", name)
        first = matches[0]
        if any((m.has_arg, m.reported) != (first.has_arg, first.reported) for m in matches[1:]):
            raise GetoptError(f"{self.prog}: option '{a}' is ambiguous; "
                              "possibilities:" + "".join(f" '--{m.name}'" for m in matches),
                              name)
        return first
