"""sysctl(8) from procps-ng 4.0: read, write (-w or KEY=VALUE), -n -N -q -e -a -p.

Keys are dotted or slashed; a key naming a directory lists every file below
it. Errors are procps's words: "cannot stat /proc/sys/...", "setting key ...:
Invalid argument", "command line(0): invalid syntax, continuing...".
"""
from __future__ import annotations

from ..kernel.sysctl import Dir, File, SysctlError, dotted_to_parts
from .base import Proc

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


def main(proc: Proc, argv: list[str]) -> int:
    names_only = values_only = quiet = ignore = write_mode = show_all = binary = False
    deprecated = False
    load_files: list[str] = []
    args: list[str] = []
    i = 1
    while i < len(argv):
        a = argv[i]
        if a == "--":
            args.extend(argv[i + 1:])
            break
        if a.startswith("--"):
            long = {"--all": "a", "--binary": "b", "--ignore": "e", "--names": "N",
                    "--values": "n", "--quiet": "q", "--write": "w", "--help": "h",
                    "--version": "V"}
            if a == "--deprecated":
                deprecated = True
                i += 1
                continue
            if a in long:
                flags = long[a]
            elif a.startswith("--load"):
                load_files.append(a.split("=", 1)[1] if "=" in a else "/etc/sysctl.conf")
                i += 1
                continue
            else:
                proc.err(f"sysctl: unrecognized option '{a}'\n{USAGE}")
                return 1
        elif a.startswith("-") and len(a) > 1:
            flags = a[1:]
        else:
            args.append(a)
            i += 1
            continue
        for j, f in enumerate(flags):
            if f in "aAX":
                show_all = True
            elif f == "b":
                binary = True
            elif f == "e":
                ignore = True
            elif f == "N":
                names_only = True
            elif f == "n":
                values_only = True
            elif f == "q":
                quiet = True
            elif f == "w":
                write_mode = True
            elif f in "ox":
                pass
            elif f in "pf":
                rest = flags[j + 1:]
                if rest:
                    load_files.append(rest)
                elif i + 1 < len(argv) and not argv[i + 1].startswith("-"):
                    i += 1
                    load_files.append(argv[i])
                else:
                    load_files.append("/etc/sysctl.conf")
                break
            elif f in "hd":
                proc.out(USAGE)
                return 0
            elif f == "V":
                proc.out("sysctl from procps-ng 4.0.2\n")
                return 0
            else:
                proc.err(f"sysctl: invalid option -- '{f}'\n{USAGE}")
                return 1
        i += 1
    net = proc.net
    status = 0
    for path in load_files:
        text = proc.session.files.get(path) if proc.session else None
        if text is None:
            proc.err(f'sysctl: cannot open "{path}": No such file or directory\n')
            status = 1
            continue
        for raw in text.splitlines():
            line = raw.strip()
            if not line or line[0] in "#;":
                continue
            if "=" not in line:
                proc.err(f"sysctl: {path}({raw}): invalid syntax, continuing...\n")
                continue
            k, v = line.split("=", 1)
            status |= _write(proc, net, k.strip(), v.strip(), quiet, ignore, values_only)
    if show_all:
        tree = net.sysctl
        for parts, node in tree.walk(tree.root(), []):
            if parts[-1] in DEPRECATED and not deprecated:
                continue
            _print(proc, parts, node, names_only, values_only, binary)
        return 0
    if not args and not load_files:
        proc.err(USAGE)
        return 1
    for a in args:
        if write_mode or "=" in a:
            if "=" not in a:
                # procps 4.0: a bare word is only called a syntax error when it looks
                # like a key (has a dot or a slash); otherwise it just fails
                if "." in a or "/" in a:
                    proc.err("sysctl: command line(0): invalid syntax, continuing...\n")
                status = 1
                continue
            k, v = a.split("=", 1)
            if not k:
                if v:
                    proc.err("sysctl: Path is not under /proc/sys/: /proc/sys/\n")
                status = 1
                continue
            status |= _write(proc, net, k, v, quiet, ignore, values_only)
        else:
            status |= _read(proc, net, a, names_only, values_only, ignore, binary)
    return 1 if status else 0


def _path(parts: list[str]) -> str:
    return "/proc/sys/" + "/".join(parts)


def _read(proc: Proc, net, key: str, names_only: bool, values_only: bool, ignore: bool,
          binary: bool) -> int:
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
        if not _print(proc, sub, f, names_only, values_only, binary):
            status = 1
    return status


def _print(proc: Proc, parts: list[str], node: File, names_only: bool, values_only: bool,
           binary: bool) -> bool:
    """One key; False when its value cannot be read (procps goes on, quietly, for EIO)."""
    name = ".".join(parts)
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
