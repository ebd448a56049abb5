"""sysctl(8) from procps-ng 4.0: read, write (-w or KEY=VALUE), -n -N -q -e -a -p.

Keys are dotted or slashed; a key naming a directory lists every file below
it. Errors are procps's words: "cannot stat /proc/sys/...", "setting key ...:
Invalid argument", "command line(0): invalid syntax, continuing...".
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Optional

from ..kernel.sysctl import Dir, File, SysctlError, dotted_to_parts
from .base import Proc
from .getopt import OPTIONAL, REQUIRED, Getopt, GetoptError, LongOpt

ERRNO_TEXT = {"ENOENT": "No such file or directory", "EINVAL": "Invalid argument",
              "EPERM": "Operation not permitted", "ENOTDIR": "Not a directory",
              "EACCES": "Permission denied",
              "EINVAL_IGNORED": "Invalid argument", "EIO": "Input/output error"}   # a read-only key: procps goes on, status 0
# procps leaves these out of -a unless --deprecated
DEPRECATED = {"base_reachable_time", "retrans_time"}

USAGE = """
Usage:
 sysctl [options] [variable[=value] ...]

Options:
  -a, --all            display all variables
  -A                   alias of -a
  -X                   alias of -a
      --deprecated     include deprecated parameters to listing
      --dry-run        Print the key and values but do not write
  -b, --binary         print value without new line
  -e, --ignore         ignore unknown variables errors
  -N, --names          print variable names without values
  -n, --values         print only values of the given variable(s)
  -p, --load[=<file>]  read values from file
  -f                   alias of -p
      --system         read values from all system directories
  -r, --pattern <expression>
                       select setting that match expression
  -q, --quiet          do not echo variable set
  -w, --write          enable writing a value to variable
  -o                   does nothing
  -x                   does nothing
  -d                   alias of -h

 -h, --help     display this help and exit
 -V, --version  output version information and exit

For more details see sysctl(8).
"""


SHORTOPTS = "bneNwfp::qoxaAXr:Vdh"    # procps 4.0.2
LONGOPTS = [LongOpt("all", key="a"), LongOpt("binary", key="b"), LongOpt("ignore", key="e"),
            LongOpt("names", key="N"), LongOpt("values", key="n"),
            LongOpt("load", OPTIONAL, "p"), LongOpt("quiet", key="q"),
            LongOpt("write", key="w"), LongOpt("help", key="h"), LongOpt("version", key="V"),
            LongOpt("deprecated"), LongOpt("pattern", REQUIRED, "r")]
DEFAULT_PRELOAD = "/etc/sysctl.conf"


@dataclass
class SysctlOpts:
    names_only: bool = False     # -N
    values_only: bool = False    # -n (and -b)
    binary: bool = False         # -b
    quiet: bool = False          # -q
    ignore: bool = False         # -e
    write_mode: bool = False     # -w
    show_all: bool = False       # -a -A -X
    preload: bool = False        # -p -f
    preload_file: Optional[str] = None
    deprecated: bool = False     # --deprecated
    pattern: Optional[str] = None   # -r: an extended regular expression the names must match
    operands: list[str] = field(default_factory=list)


_FLAGS = {"b": "binary", "e": "ignore", "N": "names_only", "n": "values_only", "q": "quiet",
          "w": "write_mode", "a": "show_all", "A": "show_all", "X": "show_all"}


def parse_args(proc: Proc, argv: list[str]) -> "SysctlOpts | int":
    """The options, or the exit status when the command line already ended it."""
    o = SysctlOpts()
    g = Getopt("sysctl", argv, SHORTOPTS, LONGOPTS)
    try:
        for f, val in g:
            if f in _FLAGS:
                setattr(o, _FLAGS[f], True)
            elif f == "deprecated":
                o.deprecated = True
            elif f == "r":
                o.pattern = val
            elif f in "ox":
                pass
            elif f in "pf":
                o.preload = True
                if val:
                    o.preload_file = val
            elif f in "hd":
                proc.out(USAGE)
                return 0
            elif f == "V":
                proc.out("sysctl from procps-ng 4.0.2\n")
                return 0
    except GetoptError as err:
        # getopt's complaint, then `case '?': Usage(stdout)`, which exits with success
        proc.err(f"{err}\n")
        proc.out(USAGE)
        return 0
    o.operands = g.operands
    return o


def main(proc: Proc, argv: list[str]) -> int:
    o = parse_args(proc, argv)
    if isinstance(o, int):
        return o
    net = proc.net
    if o.show_all:
        tree = net.sysctl
        for parts, node in tree.walk(tree.root(), []):
            if parts[-1] in DEPRECATED and not o.deprecated:
                continue
            _print(proc, parts, node, o.names_only, o.values_only, o.binary, o.pattern)
        return 0
    if o.preload:
        # -pFILE loads FILE; the operands are more files; none at all means the default
        files = [o.preload_file] if o.preload_file is not None else []
        if not files and not o.operands:
            files.append(DEFAULT_PRELOAD)
        status = 0
        for path in files + o.operands:
            status |= _load(proc, net, path, o)
        return 1 if status else 0
    if not o.operands:
        if len(argv) > 1:       # options, but no variable: xerrx
            proc.err("sysctl: no variables specified\nTry `sysctl --help' for more information.\n")
        else:                   # argc < 2: Usage(stderr)
            proc.err(USAGE)
        return 1
    status = 0
    for a in o.operands:
        if o.write_mode or "=" in a:
            status |= _write_arg(proc, net, a, o)
        else:
            status |= _read(proc, net, a, o.names_only, o.values_only, o.ignore, o.binary,
                            o.pattern)
    return 1 if status else 0


def _load(proc: Proc, net, path: str, o: SysctlOpts) -> int:
    """Preload: KEY = VALUE lines from a file of the session's scratch file system."""
    text = proc.session.files.get(path) if proc.session else None
    if text is None:
        proc.err(f'sysctl: cannot open "{path}": No such file or directory\n')
        return 1
    status = 0
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line[0] in "#;":
            continue
        if "=" not in line:
            proc.err(f"sysctl: {path}({raw}): invalid syntax, continuing...\n")
            continue
        k, v = line.split("=", 1)
        if o.pattern is not None and not pattern_match(k.strip(), o.pattern):
            continue
        status |= _write(proc, net, k.strip(), v.strip(), o.quiet, o.ignore, o.values_only)
    return status


def _write_arg(proc: Proc, net, a: str, o: SysctlOpts) -> int:
    """KEY=VALUE on the command line (or a bare word with -w)."""
    if "=" not in a:
        # procps 4.0: a bare word is only called a syntax error when it looks
        # like a key (has a dot or a slash); otherwise it just fails
        if "." in a or "/" in a:
            proc.err("sysctl: command line(0): invalid syntax, continuing...\n")
        return 1
    k, v = a.split("=", 1)
    if not k:
        if v:
            proc.err("sysctl: Path is not under /proc/sys/: /proc/sys/\n")
        return 1
    return _write(proc, net, k, v, o.quiet, o.ignore, o.values_only)


def _path(parts: list[str]) -> str:
    return "/proc/sys/" + "/".join(parts)


def _read(proc: Proc, net, key: str, names_only: bool, values_only: bool, ignore: bool,
          binary: bool, pattern: Optional[str] = None) -> int:
    parts = dotted_to_parts(key)
    try:
        node = net.sysctl.resolve(parts)
    except SysctlError:
        if ignore:
            return 0
        proc.err(f"sysctl: cannot stat {_path(parts)}: No such file or directory\n")
        return 1
    status = 0
    for sub, f in net.sysctl.walk(node, parts):
        if not _print(proc, sub, f, names_only, values_only, binary, pattern):
            status = 1
    return status


def pattern_match(name: str, pattern: str) -> bool:
    """procps' pattern_match: regcomp(REG_EXTENDED | REG_NOSUB) and regexec anywhere in
    the dotted name; a pattern regcomp refuses matches nothing. POSIX's bracket classes
    are spelt the way Python's re knows them."""
    for cls, py in _CLASSES.items():
        pattern = pattern.replace(cls, py)
    try:
        return re.search(pattern, name) is not None
    except re.error:
        return False


_CLASSES = {"[:digit:]": "0-9", "[:alpha:]": "A-Za-z", "[:alnum:]": "0-9A-Za-z",
            "[:lower:]": "a-z", "[:upper:]": "A-Z", "[:space:]": " \\t\\n\\r\\f\\v",
            "[:punct:]": "!-/:-@[-`{-~", "[:xdigit:]": "0-9A-Fa-f"}


def _print(proc: Proc, parts: list[str], node: File, names_only: bool, values_only: bool,
           binary: bool, pattern: Optional[str] = None) -> bool:
    """One key; False when its value cannot be read (procps goes on, quietly, for EIO).
    A key -r's pattern does not match is passed over (ReadSetting, before it opens it)."""
    name = ".".join(parts)
    if pattern is not None and node.get is not None and not pattern_match(name, pattern):
        return True
    if names_only:
        proc.out(name + "\n")
        return True
    try:
        value = node.get()
    except SysctlError:
        return False
    if values_only:
        proc.out(value if binary else value + "\n")
    else:
        proc.out(f"{name} = {value}\n")
    return True


def _write(proc: Proc, net, key: str, value: str, quiet: bool, ignore: bool,
           values_only: bool) -> int:
    parts = dotted_to_parts(key)
    try:
        node = net.sysctl.resolve(parts)
    except SysctlError:
        if ignore:
            return 0
        proc.err(f"sysctl: cannot stat {_path(parts)}: No such file or directory\n")
        return 1
    if isinstance(node, Dir):
        proc.err(f"sysctl: setting key \"{'.'.join(parts)}\": Is a directory\n")
        return 1
    if node.set is None:
        proc.err(f"sysctl: permission denied on key \"{'.'.join(parts)}\"\n")
        return 1
    try:
        node.set(value)
    except SysctlError as err:
        proc.err(f"sysctl: setting key \"{'.'.join(parts)}\": {ERRNO_TEXT.get(err.errno, err.errno)}\n")
        return 0 if err.errno == "EINVAL_IGNORED" else 1
    if not quiet:
        proc.out(value + "\n" if values_only else f"{'.'.join(parts)} = {value}\n")
    return 0
