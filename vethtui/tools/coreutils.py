"""sort, uniq, cut, tr (GNU coreutils 9.1) over a pipe's data, /proc/sys files or scratch
files: the options a learner scripts with, coreutils' error words and statuses. Text is
compared byte-wise, as in the C.UTF-8 locale the recordings ran in."""
from __future__ import annotations

import getopt
import re
from typing import Optional

from .base import Proc


class _Usage(Exception):
    """A complaint followed by "Try 'PROG --help'"."""

    def __init__(self, msg: str):
        super().__init__(msg)
        self.msg = msg


class _Fatal(_Usage):
    """A complaint alone (die())."""


def _q(s: str) -> str:
    """gnulib's quote() in a UTF-8 locale."""
    return f"\u2018{s}\u2019"


def _getopt(prog: str, argv: list[str], short: str, long: list[str]):
    """getopt_long, worded as glibc words its complaints."""
    try:
        return getopt.gnu_getopt(argv, short, long)
    except getopt.GetoptError as err:
        opt = err.opt
        if "requires argument" in err.msg:
            if len(opt) == 1:
                raise _Usage(f"{prog}: option requires an argument -- '{opt}'")
            raise _Usage(f"{prog}: option '--{opt}' requires an argument")
        if len(opt) == 1:
            raise _Usage(f"{prog}: invalid option -- '{opt}'")
        raise _Usage(f"{prog}: unrecognized option '--{opt}'")


def _try_help(proc: Proc, prog: str, msg: str, status: int, err: Optional[_Usage] = None) -> int:
    if isinstance(err, _Fatal):
        proc.err(f"{msg}\n")
    else:
        proc.err(f"{msg}\nTry '{prog} --help' for more information.\n")
    return status


def _read_inputs(proc: Proc, prog: str, files: list[str]) -> tuple[Optional[str], int]:
    """The concatenated input: stdin when no file (or `-`), else each file in turn."""
    from ..kernel.sysctl import Dir, SysctlError
    if not files:
        return "".join(proc.stdin_lines), 0
    chunks = []
    status = 0
    for path in files:
        if path == "-":
            chunks.append("".join(proc.stdin_lines))
        elif path.startswith("/proc/sys"):
            parts = [p for p in path[len("/proc/sys"):].split("/") if p]
            try:
                node = proc.net.sysctl.resolve(parts)
            except SysctlError as err:
                msg = "Not a directory" if err.errno == "ENOTDIR" else "No such file or directory"
                proc.err(f"{prog}: {path}: {msg}\n")
                status = 1
                continue
            if isinstance(node, Dir):
                proc.err(f"{prog}: {'read failed: ' if prog == 'sort' else ''}{path}: Is a directory\n")
                status = 1
                continue
            try:
                chunks.append(node.get() + "\n")
            except SysctlError:
                proc.err(f"{prog}: {path}: Input/output error\n")
                status = 1
        elif path == "/dev/null":
            continue
        elif proc.session is not None and path in proc.session.files:
            chunks.append(proc.session.files[path])
        else:
            if prog == "sort":
                proc.err(f"sort: cannot read: {path}: No such file or directory\n")
                return None, 2
            proc.err(f"{prog}: {path}: No such file or directory\n")
            status = 1
    return "".join(chunks), status


def _lines(data: str) -> list[str]:
    """Lines without their newlines (a last line without one counts as a line)."""
    return data.split("\n")[:-1] if data.endswith("\n") else (data.split("\n") if data else [])


# ---------------------------------------------------------------- sort

_NUM = re.compile(r"^[ \t]*(-?)(\d*)(?:\.(\d*))?")


def _numkey(s: str):
    m = _NUM.match(s)
    sign, whole, frac = m.group(1), m.group(2), m.group(3) or ""
    if not whole and not frac:
        return (0, 0.0)
    val = float(f"{whole or 0}.{frac or 0}")
    return (1, -val if sign else val)


class _Key:
    def __init__(self, f1: int, c1: int, f2: int, c2: int, opts: str):
        self.f1, self.c1, self.f2, self.c2 = f1, c1, f2, c2
        self.numeric = "n" in opts
        self.reverse = "r" in opts
        self.fold = "f" in opts
        self.blank = "b" in opts
        self.own = bool(opts)


def _parse_key(spec: str) -> _Key:
    """key_init/parse_field_count as GNU sort reads -k, with its complaints."""
    def bad(msg: str):
        raise _Fatal(f"sort: {msg}: invalid field specification {_q(spec)}")

    def count(at: int, msgid: str) -> tuple[int, int]:
        m = re.match(r"\d+", spec[at:])
        if not m:
            raise _Fatal(f"sort: {msgid}: invalid count at start of {_q(spec[at:])}")
        return int(m.group(0)), at + m.end()
    f1, i = count(0, "invalid number at field start")
    if f1 == 0:
        bad("field number is zero")
    c1 = 1
    if spec[i:i + 1] == ".":
        c1, i = count(i + 1, "invalid number after '.'")
        if c1 == 0:
            bad("character offset is zero")
    m = re.match(r"[bdfgiMhnRrV]*", spec[i:])
    opts = m.group(0)
    i += m.end()
    f2 = c2 = 0
    if spec[i:i + 1] == ",":
        f2, i = count(i + 1, "invalid number after ','")
        if f2 == 0:
            bad("field number is zero")
        if spec[i:i + 1] == ".":
            c2, i = count(i + 1, "invalid number after '.'")
        m = re.match(r"[bdfgiMhnRrV]*", spec[i:])
        opts += m.group(0)
        i += m.end()
    if i < len(spec):
        bad("stray character in field spec")
    return _Key(f1, c1, f2, c2, opts)


def _fields(line: str, sep: Optional[str]) -> list[tuple[int, int]]:
    """(start, end) of each field: -t splits on the character; by default a field is
    the blanks before it and the non-blanks after them."""
    spans = []
    if sep is not None:
        start = 0
        for i, ch in enumerate(line):
            if ch == sep:
                spans.append((start, i))
                start = i + 1
        spans.append((start, len(line)))
        return spans
    i = 0
    n = len(line)
    while i < n:
        start = i
        while i < n and line[i] in " \t":
            i += 1
        while i < n and line[i] not in " \t":
            i += 1
        spans.append((start, i))
    return spans


def _key_text(line: str, k: _Key, sep: Optional[str]) -> str:
    spans = _fields(line, sep)
    if k.f1 > len(spans):
        return ""
    fs, fe = spans[k.f1 - 1]
    start = fs
    if k.blank or (sep is None and False):
        while start < fe and line[start] in " \t":
            start += 1
    start = min(start + k.c1 - 1, fe)
    if k.f2 == 0:
        end = len(line)
    elif k.f2 > len(spans):
        end = len(line)
    else:
        es, ee = spans[k.f2 - 1]
        end = ee if k.c2 == 0 else min(es + k.c2, ee)
    return line[start:end] if end > start else ""


def sort(proc: Proc, argv: list[str]) -> int:
    try:
        opts, files = _getopt("sort", argv[1:], "bfnruk:t:sz",
                              ["reverse", "numeric-sort", "unique", "key=", "field-separator=",
                               "ignore-case", "stable", "ignore-leading-blanks", "zero-terminated"])
        glob_opts = ""
        keys: list[_Key] = []
        sep: Optional[str] = None
        unique = stable = zero = False
        for o, v in opts:
            if o in ("-n", "--numeric-sort"):
                glob_opts += "n"
            elif o in ("-r", "--reverse"):
                glob_opts += "r"
            elif o in ("-f", "--ignore-case"):
                glob_opts += "f"
            elif o in ("-b", "--ignore-leading-blanks"):
                glob_opts += "b"
            elif o in ("-u", "--unique"):
                unique = True
            elif o in ("-s", "--stable"):
                stable = True
            elif o in ("-z", "--zero-terminated"):
                zero = True
            elif o in ("-k", "--key"):
                keys.append(_parse_key(v))
            elif o in ("-t", "--field-separator"):
                if len(v) != 1:
                    raise _Fatal(f"sort: multi-character tab {_q(v)}" if v else "sort: empty tab")
                sep = v
    except _Usage as err:
        return _try_help(proc, "sort", err.msg, 2, err)
    data, status = _read_inputs(proc, "sort", files)
    if data is None:
        return status
    eol = "\0" if zero else "\n"
    lines = (data.split(eol)[:-1] if data.endswith(eol) else data.split(eol)) if data else []
    for k in keys:
        if not k.own:
            k.numeric, k.reverse, k.fold = "n" in glob_opts, "r" in glob_opts, "f" in glob_opts
            k.blank = "b" in glob_opts
    if not keys:
        k = _Key(1, 1, 0, 0, glob_opts)
        k.whole = True
        keys = [k]
    whole = getattr(keys[0], "whole", False)

    def keyval(k: _Key, line: str):
        text = line if whole else _key_text(line, k, sep)
        if k.blank and whole:
            text = text.lstrip(" \t")
        if k.numeric:
            return _numkey(text)
        if k.fold:
            return text.upper().encode()
        return text.encode()

    import functools

    def cmp(a: str, b: str) -> int:
        for k in keys:
            ka, kb = keyval(k, a), keyval(k, b)
            c = (ka > kb) - (ka < kb)
            if c:
                return -c if k.reverse else c
        if unique or stable:
            return 0
        c = (a.encode() > b.encode()) - (a.encode() < b.encode())   # the last resort
        return -c if "r" in glob_opts else c
    out = sorted(lines, key=functools.cmp_to_key(cmp))
    if unique:
        kept: list[str] = []
        for ln in out:
            if not kept or cmp(kept[-1], ln) != 0:
                kept.append(ln)
        out = kept
    proc.out("".join(ln + eol for ln in out))
    return status


# ---------------------------------------------------------------- uniq

def uniq(proc: Proc, argv: list[str]) -> int:
    try:
        opts, args = _getopt("uniq", argv[1:], "cdDuif:s:w:",
                             ["count", "repeated", "unique", "ignore-case", "skip-fields=",
                              "skip-chars=", "check-chars="])
        count = repeated = uniq_only = all_repeated = fold = False
        skip_f = skip_c = 0
        width: Optional[int] = None
        for o, v in opts:
            if o in ("-c", "--count"):
                count = True
            elif o in ("-d", "--repeated"):
                repeated = True
            elif o == "-D":
                all_repeated = True
            elif o in ("-u", "--unique"):
                uniq_only = True
            elif o in ("-i", "--ignore-case"):
                fold = True
            elif o in ("-f", "-s", "-w", "--skip-fields", "--skip-chars", "--check-chars"):
                if not v.isdigit():
                    what = {"-f": "number of fields to skip", "--skip-fields": "number of fields to skip",
                            "-s": "number of bytes to skip", "--skip-chars": "number of bytes to skip",
                            "-w": "number of bytes to compare",
                            "--check-chars": "number of bytes to compare"}[o]
                    raise _Fatal(f"uniq: {v}: invalid {what}")
                n = int(v)
                if o in ("-f", "--skip-fields"):
                    skip_f = n
                elif o in ("-s", "--skip-chars"):
                    skip_c = n
                else:
                    width = n
        if count and all_repeated:
            raise _Usage("uniq: printing all duplicated lines and repeat counts is meaningless")
        if len(args) > 2:
            raise _Usage(f"uniq: extra operand {_q(args[2])}")
    except _Usage as err:
        return _try_help(proc, "uniq", err.msg, 1, err)
    data, status = _read_inputs(proc, "uniq", args[:1])
    if data is None or status:
        return status or 1

    def key(line: str) -> str:
        s = line
        for _ in range(skip_f):
            s = s.lstrip(" \t")
            i = 0
            while i < len(s) and s[i] not in " \t":
                i += 1
            s = s[i:]
        s = s[skip_c:]
        if width is not None:
            s = s[:width]
        return s.lower() if fold else s
    groups: list[list[str]] = []
    for ln in _lines(data):
        if groups and key(groups[-1][0]) == key(ln):
            groups[-1].append(ln)
        else:
            groups.append([ln])
    out = []
    for g in groups:
        if repeated and len(g) < 2 or uniq_only and len(g) > 1:
            continue
        if all_repeated:
            if len(g) > 1:
                out.extend(g)
            continue
        out.append(f"{len(g):7d} {g[0]}" if count else g[0])
    text = "".join(ln + "\n" for ln in out)
    if len(args) == 2:
        if proc.session is not None:
            proc.session.files[args[1]] = text
    else:
        proc.out(text)
    return 0


# ---------------------------------------------------------------- cut

def _parse_list(spec: str, fields: bool) -> list[tuple[int, int]]:
    """set_fields: N, N-M, N-, -M, separated by commas or blanks."""
    zero = ("cut: fields are numbered from 1" if fields
            else "cut: byte/character positions are numbered from 1")
    ranges = []
    offset = 0
    for part in spec.replace(" ", ",").replace("\t", ",").split(","):
        start = offset
        offset += len(part) + 1
        m = re.fullmatch(r"(\d*)(-?)(\d*)", part)
        if not part or not m or (not m.group(1) and not m.group(3)):
            if part == "-":
                raise _Usage("cut: invalid range with no endpoint: -")
            if not part:
                raise _Usage(zero)
            bad = start + next((i for i, ch in enumerate(part) if ch not in "0123456789-"), 0)
            raise _Usage(f"cut: invalid field value {_q(spec[bad:])}" if fields
                         else f"cut: invalid byte/character position {_q(spec[bad:])}")
        a = int(m.group(1)) if m.group(1) else 1
        b = int(m.group(3)) if m.group(3) else (a if not m.group(2) else 10**9)
        if a == 0 or (m.group(3) and int(m.group(3)) == 0):
            raise _Usage(zero)
        if b < a:
            raise _Usage("cut: invalid decreasing range")
        ranges.append((a, b))
    return ranges


def _selected(i: int, ranges: list[tuple[int, int]]) -> bool:
    return any(a <= i <= b for a, b in ranges)


def cut(proc: Proc, argv: list[str]) -> int:
    try:
        opts, files = _getopt("cut", argv[1:], "b:c:d:f:sn",
                              ["bytes=", "characters=", "delimiter=", "fields=", "only-delimited",
                               "complement", "output-delimiter="])
        mode = None
        spec = ""
        delim: Optional[str] = None
        only = complement = False
        out_delim: Optional[str] = None
        for o, v in opts:
            if o in ("-b", "-c", "-f", "--bytes", "--characters", "--fields"):
                if mode is not None:
                    raise _Usage("cut: only one type of list may be specified")
                mode = {"-b": "b", "--bytes": "b", "-c": "c", "--characters": "c"}.get(o, "f")
                spec = v
            elif o in ("-d", "--delimiter"):
                if len(v) != 1:
                    raise _Usage("cut: the delimiter must be a single character")
                delim = v
            elif o in ("-s", "--only-delimited"):
                only = True
            elif o == "--complement":
                complement = True
            elif o == "--output-delimiter":
                out_delim = v
        if mode is None:
            raise _Usage("cut: you must specify a list of bytes, characters, or fields")
        if delim is not None and mode != "f":
            raise _Usage("cut: an input delimiter may be specified only when operating on fields")
        if only and mode != "f":
            raise _Usage("cut: suppressing non-delimited lines makes sense\n"
                         "\tonly when operating on fields")
        ranges = _parse_list(spec, mode == "f")
    except _Usage as err:
        return _try_help(proc, "cut", err.msg, 1)
    data, status = _read_inputs(proc, "cut", files)
    if data is None:
        return 1
    d = "\t" if delim is None else delim
    od = out_delim if out_delim is not None else (d if mode == "f" else "")
    out = []
    for ln in _lines(data):
        if mode == "f":
            if d not in ln:
                if not only:
                    out.append(ln)
                continue
            parts = ln.split(d)
            keep = [p for i, p in enumerate(parts, 1) if _selected(i, ranges) != complement]
            out.append(od.join(keep))
        else:
            chars = ln.encode() if mode == "b" else ln
            keep = [i for i in range(1, len(chars) + 1) if _selected(i, ranges) != complement]
            if mode == "b":
                out.append(bytes(chars[i - 1] for i in keep).decode(errors="replace"))
            else:
                out.append("".join(chars[i - 1] for i in keep))
    proc.out("".join(ln + "\n" for ln in out))
    return status


# ---------------------------------------------------------------- tr

_CLASSES = {
    "alnum": "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
    "alpha": "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
    "digit": "0123456789", "lower": "abcdefghijklmnopqrstuvwxyz",
    "upper": "ABCDEFGHIJKLMNOPQRSTUVWXYZ", "space": "\t\n\v\f\r ", "blank": "\t ",
    "punct": "".join(chr(c) for c in range(33, 127) if not chr(c).isalnum()),
    "xdigit": "0123456789ABCDEFabcdef",
    "cntrl": "".join(chr(c) for c in list(range(32)) + [127]),
    "print": "".join(chr(c) for c in range(32, 127)),
    "graph": "".join(chr(c) for c in range(33, 127)),
}
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "\\": "\\", "a": "\a", "b": "\b", "f": "\f", "v": "\v"}


def _expand_set(spec: str) -> str:
    """tr's SET: escapes, ranges a-z, [:class:], [c*n]."""
    chars: list[str] = []
    i = 0
    while i < len(spec):
        m = re.match(r"\[:(\w+):\]", spec[i:])
        if m:
            if m.group(1) not in _CLASSES:
                raise _Fatal(f"tr: invalid character class {_q(m.group(1))}")
            chars.extend(_CLASSES[m.group(1)])
            i += m.end()
            continue
        m = re.match(r"\[(.)\*(\d*)\]", spec[i:])
        if m:
            chars.extend(m.group(1) * (int(m.group(2)) if m.group(2) else 1))
            i += m.end()
            continue
        c = spec[i]
        if c == "\\" and i + 1 < len(spec):
            nxt = spec[i + 1]
            o = re.match(r"[0-7]{1,3}", spec[i + 1:])
            if o:
                c = chr(int(o.group(0), 8))
                i += 1 + len(o.group(0))
            else:
                c = _ESCAPES.get(nxt, nxt)
                i += 2
        else:
            i += 1
        if i + 1 < len(spec) and spec[i] == "-":
            hi = spec[i + 1]
            if hi == "\\" and i + 2 < len(spec):
                hi = _ESCAPES.get(spec[i + 2], spec[i + 2])
                step = 3
            else:
                step = 2
            if ord(hi) < ord(c):
                raise _Fatal(f"tr: range-endpoints of '{c}-{hi}' are in reverse collating sequence order")
            chars.extend(chr(x) for x in range(ord(c), ord(hi) + 1))
            i += step
            continue
        chars.append(c)
    return "".join(chars)


def tr(proc: Proc, argv: list[str]) -> int:
    try:
        opts, sets = _getopt("tr", argv[1:], "cdsCt",
                             ["complement", "delete", "squeeze-repeats", "truncate-set1"])
        delete = squeeze = complement = truncate = False
        for o, _ in opts:
            if o in ("-d", "--delete"):
                delete = True
            elif o in ("-s", "--squeeze-repeats"):
                squeeze = True
            elif o in ("-c", "-C", "--complement"):
                complement = True
            elif o in ("-t", "--truncate-set1"):
                truncate = True
        need = 1 if delete and not squeeze else (1 if squeeze and len(sets) == 1 else 2)
        if not sets:
            raise _Usage("tr: missing operand")
        if len(sets) < need:
            if delete or squeeze:
                raise _Usage(f"tr: missing operand after {_q(sets[-1])}\n"
                             "Two strings must be given when both deleting and squeezing repeats.")
            raise _Usage(f"tr: missing operand after {_q(sets[-1])}\n"
                         "Two strings must be given when translating.")
        if len(sets) > need:
            extra = sets[need]
            msg = f"tr: extra operand {_q(extra)}"
            if delete and not squeeze:
                msg += "\nOnly one string may be given when deleting without squeezing repeats."
            raise _Usage(msg)
        set1 = _expand_set(sets[0])
        set2 = _expand_set(sets[1]) if len(sets) > 1 else ""
    except _Usage as err:
        return _try_help(proc, "tr", err.msg, 1, err)
    data = "".join(proc.stdin_lines)
    if complement:
        universe = [chr(c) for c in range(256)]
        set1 = "".join(c for c in universe if c not in set1)
    out = []
    if delete:
        s1 = set(set1)
        data = "".join(c for c in data if c not in s1)
        squeeze_set = set(set2) if squeeze else set()
    else:
        if set2:
            if truncate:
                set1 = set1[:len(set2)]
            elif len(set2) < len(set1):
                set2 = set2 + set2[-1] * (len(set1) - len(set2))
            table = {}
            for a, b in zip(set1, set2):
                table[a] = b
            data = "".join(table.get(c, c) for c in data)
            squeeze_set = set(set2) if squeeze else set()
        elif not set2 and len(sets) > 1:
            return _try_help(proc, "tr", "tr: when not truncating set1, string2 must be non-empty", 1)
        else:
            squeeze_set = set(set1) if squeeze else set()
    for c in data:
        if squeeze_set and out and out[-1] == c and c in squeeze_set:
            continue
        out.append(c)
    proc.out("".join(out))
    return 0
