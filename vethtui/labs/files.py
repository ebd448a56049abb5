"""Lab files: load and validate a TOML lab, turn its starting state into commands, build it.

`load_lab_file(path)` reads the TOML (tomllib), validates it with the pydantic
models, then checks what the models cannot see alone: every device, bridge and
namespace a check or the setup names must be made by the setup or by some
step's solution. Every problem becomes one `LabFileError` whose text is

    FILE:LINE: FIELD: MESSAGE

(FIELD is a path like `steps[2].checks[1].dev`, counting from 1 as the lab pane
does; LINE is where that key is written, or the line of its table when the key
is missing). Only the first problem is reported, with a count of the others.

`build_world(spec, seed)` makes the starting state by RUNNING the equivalent
commands (`ip netns add`, `ip link add`, `ip addr add`, `sysctl -w`, ...)
through a script shell Session, so the state is exactly what the tools make.
A lab file is data: it runs no host command and writes no file.
"""
from __future__ import annotations

import os
import re
import tomllib
from pathlib import Path
from typing import Any, Iterable, Optional, Union

from pydantic import BaseModel, ValidationError

from ..kernel.world import World
from . import models as m

PathLike = Union[str, Path]


class LabFileError(Exception):
    """A lab file that cannot be used. str() is one line: FILE:LINE: FIELD: MESSAGE."""

    def __init__(self, path: PathLike, line: Optional[int], field: str, message: str):
        self.path = str(path)
        self.line = line
        self.field = field
        self.message = message
        where = self.path if line is None else f"{self.path}:{line}"
        super().__init__(f"{where}: {field}: {message}" if field else f"{where}: {message}")


class LabSetupError(LabFileError):
    """The starting state could not be built (a setup command failed in the simulator)."""


# ---------------------------------------------------------------- where keys are written

class TomlPositions:
    """Line numbers of the keys, tables and array elements of a (valid) TOML text.

    tomllib gives no positions, so this walks the text once: table headers
    (with array-of-tables counted per parent), keys (dotted ones too), and
    inside values the elements of arrays and the keys of inline tables. A
    path is a tuple like ("steps", 1, "checks", 0, "dev") with 0-based indexes.
    """

    def __init__(self, text: str):
        self.s = text
        self.n = len(text)
        self.i = 0
        self.line = 1
        self.at: dict[tuple, int] = {}
        self.aot: dict[tuple, int] = {}
        self.table: tuple = ()
        try:
            self._scan()
        except (IndexError, ValueError):  # never fatal: positions are a courtesy
            pass

    # -- lexing ------------------------------------------------------------
    def _adv(self, k: int = 1) -> None:
        self.line += self.s.count("\n", self.i, self.i + k)
        self.i += k

    def _peek(self, k: int = 1) -> str:
        return self.s[self.i:self.i + k]

    def _skip_ws(self, newlines: bool) -> None:
        while self.i < self.n:
            c = self.s[self.i]
            if c in " \t\r" or (newlines and c == "\n"):
                self._adv()
            elif c == "#":
                j = self.s.find("\n", self.i)
                self._adv((j if j >= 0 else self.n) - self.i)
            else:
                break

    def _key(self) -> list[str]:
        parts = []
        while True:
            self._skip_ws(False)
            c = self._peek()
            if c in ("\"", "'"):
                j = self.i + 1
                while self.s[j] != c:
                    j += 2 if (c == "\"" and self.s[j] == "\\") else 1
                parts.append(self.s[self.i + 1:j])
                self._adv(j + 1 - self.i)
            else:
                mt = re.compile(r"[A-Za-z0-9_-]+").match(self.s, self.i)
                if not mt:
                    raise ValueError("key")
                parts.append(mt.group(0))
                self._adv(mt.end() - self.i)
            self._skip_ws(False)
            if self._peek() == ".":
                self._adv()
                continue
            return parts

    def _concrete(self, keys: list[str]) -> tuple:
        path: tuple = ()
        for k in keys:
            path = path + (k,)
            if path in self.aot:
                path = path + (self.aot[path],)
        return path

    # -- structure -----------------------------------------------------------
    def _scan(self) -> None:
        while True:
            self._skip_ws(True)
            if self.i >= self.n:
                return
            line = self.line
            if self._peek(2) == "[[":
                self._adv(2)
                keys = self._key()
                self._adv(2)
                parent = self._concrete(keys[:-1])
                k = parent + (keys[-1],)
                self.aot[k] = self.aot.get(k, -1) + 1
                self.table = k + (self.aot[k],)
                for j in range(1, len(self.table) + 1):
                    self.at.setdefault(self.table[:j], line)
            elif self._peek() == "[":
                self._adv()
                keys = self._key()
                self._adv()
                self.table = self._concrete(keys)
                for j in range(1, len(self.table) + 1):
                    self.at.setdefault(self.table[:j], line)
            else:
                keys = self._key()
                path = self.table
                for k in keys:
                    path = path + (k,)
                    self.at.setdefault(path, line)
                self._skip_ws(False)
                self._adv()  # '='
                self._skip_ws(False)
                self._value(path)
            # the rest of the line is a comment or nothing
            self._skip_ws(False)

    def _value(self, path: tuple) -> None:
        s = self.s
        if s.startswith("\"\"\"", self.i) or s.startswith("'''", self.i):
            q = s[self.i:self.i + 3]
            j = self.i + 3
            while not s.startswith(q, j):
                j += 2 if (q == "\"\"\"" and s[j] == "\\") else 1
            while s.startswith(q[0], j + 3):   # up to two quotes may end the content
                j += 1
            self._adv(j + 3 - self.i)
        elif s[self.i] in "\"'":
            q = s[self.i]
            j = self.i + 1
            while s[j] != q:
                j += 2 if (q == "\"" and s[j] == "\\") else 1
            self._adv(j + 1 - self.i)
        elif s[self.i] == "[":
            self._adv()
            idx = 0
            while True:
                self._skip_ws(True)
                if s[self.i] == "]":
                    self._adv()
                    return
                self.at.setdefault(path + (idx,), self.line)
                self._value(path + (idx,))
                self._skip_ws(True)
                if s[self.i] == ",":
                    self._adv()
                idx += 1
        elif s[self.i] == "{":
            self._adv()
            while True:
                self._skip_ws(False)
                if s[self.i] == "}":
                    self._adv()
                    return
                line = self.line
                keys = self._key()
                p = path
                for k in keys:
                    p = p + (k,)
                    self.at.setdefault(p, line)
                self._skip_ws(False)
                self._adv()  # '='
                self._skip_ws(False)
                self._value(p)
                self._skip_ws(False)
                if s[self.i] == ",":
                    self._adv()
        else:
            mt = re.compile(r"[^,\]}\n#]*").match(s, self.i)
            self._adv(mt.end() - self.i)

    def line_of(self, path: Iterable) -> Optional[int]:
        """The line of `path`, or of the nearest enclosing key or table that is written."""
        p = tuple(path)
        while p:
            if p in self.at:
                return self.at[p]
            p = p[:-1]
        return None


# ---------------------------------------------------------------- error wording

_TYPE_WORDS = {"int": "an integer", "str": "a string", "bool": "true or false",
               "float": "a number", "list": "an array", "dict": "a table"}


def _is_union_member(part: Any) -> bool:
    if not isinstance(part, str):
        return False
    if part.endswith(m.TAG_SUFFIX):
        return True
    return part in _TYPE_WORDS or "[" in part or part.startswith("literal") or \
        part.startswith("function-")


def clean_loc(loc: Iterable) -> tuple:
    """A pydantic location without union tags, with `not_` spelled `not`."""
    out = []
    for part in loc:
        if _is_union_member(part):
            continue
        out.append("not" if part == "not_" else part)
    return tuple(out)


def field_text(loc: Iterable) -> str:
    """("steps", 1, "checks", 0, "dev") -> "steps[2].checks[1].dev" (counting from 1)."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part + 1}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def _fields_of(model: Any) -> list[str]:
    return [f.alias or name for name, f in model.model_fields.items()]


def _inner_model(annotation: Any) -> Any:
    import typing
    args = typing.get_args(annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for a in args:
        inner = _inner_model(a)
        if inner is not None:
            return inner
    if typing.get_origin(annotation) is typing.Annotated:
        return "check"
    return None


def _allowed_here(loc: tuple) -> list[str]:
    """Fields allowed in the table that holds the last key of `loc`."""
    parent = loc[:-1]
    model: Any = m.LabSpec
    check_mode = False
    for part in parent:
        if isinstance(part, int):
            continue
        if check_mode:
            model = m.CHECK_KINDS.get(part, None)
            check_mode = False
            if model is None:
                return []
        if part in ("all", "any") and model in (m.AllCheck, m.AnyCheck) or \
                part == "not" and model is m.NotCheck or part == "checks" and model is m.Step:
            check_mode = True
            continue
        field = model.model_fields.get(part) if isinstance(model, type) else None
        if field is None:
            return []
        model = _inner_model(field.annotation)
        if model is None or model == "check":
            return []
    if check_mode:
        # the kind is the key among the check's own keys: unknown here
        return []
    if isinstance(model, type) and issubclass(model, BaseModel):
        return _fields_of(model)
    return []


def _check_model_at(data: Any, loc: tuple) -> Optional[type]:
    """The check model for the check table at `loc` in the raw data (for its field list)."""
    node = data
    for part in loc:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return None
    if isinstance(node, dict):
        for key, cls in m.CHECK_KINDS.items():
            if key in node:
                return cls
    return None


def _got(value: Any) -> str:
    return m._show(value)


def _word(err: dict, data: Any, loc: tuple) -> str:
    kind = err["type"]
    msg = err["msg"]
    if kind == "extra_forbidden":
        allowed = _allowed_here(loc)
        if not allowed:
            cls = _check_model_at(data, loc[:-1])
            if cls is not None:
                allowed = _fields_of(cls)
        extra = f" (known fields: {', '.join(allowed)})" if allowed else ""
        return f"unknown field{extra}"
    if kind == "missing":
        return "required field is missing"
    if msg.startswith("Value error, "):
        return msg[len("Value error, "):]
    if msg.startswith("Assertion failed, "):
        return msg[len("Assertion failed, "):]
    if kind == "check_kind":
        return msg
    if kind == "too_short" and "at least 1" in msg:
        return "needs at least one entry"
    if kind == "literal_error":
        return f"{msg[len('Input '):] if msg.startswith('Input ') else msg} " \
               f"(got {_got(err.get('input'))})"
    for t, words in (("bool", "true or false"), ("int", "an integer"), ("string", "a string"),
                     ("list", "an array"), ("dict", "a table"), ("model", "a table"),
                     ("float", "a number")):
        if kind.startswith(t + "_") or kind == t + "_type":
            return f"should be {words} (got {_got(err.get('input'))})"
    if msg.startswith("Input "):
        msg = msg[len("Input "):]
    return msg[:1].lower() + msg[1:]


def _first_error(path: PathLike, text: str, data: Any, errors: list[dict]) -> LabFileError:
    pos = TomlPositions(text)
    seen: dict[tuple, list[dict]] = {}
    for err in errors:
        loc = clean_loc(err["loc"])
        seen.setdefault(loc, []).append(err)
    items = []
    for loc, errs in seen.items():
        line = pos.line_of(loc)
        items.append((line if line is not None else 0, loc, errs))
    items.sort(key=lambda t: t[0])
    line, loc, errs = items[0]
    words = []
    for e in errs:
        w = _word(e, data, loc)
        if w not in words:
            words.append(w)
    if len(words) > 1:
        got = errs[0].get("input")
        words = [re.sub(r" \(got .*\)$", "", w) for w in words]
        words = list(dict.fromkeys(words))
        tail = [w[len("should be "):] if w.startswith("should be ") else w for w in words[1:]]
        message = " or ".join([words[0]] + tail) + f" (got {_got(got)})"
    else:
        message = words[0]
    more = len(items) - 1
    if more:
        message += f" (and {more} more problem{'s' if more > 1 else ''})"
    return LabFileError(path, line or None, field_text(loc), message)


# ---------------------------------------------------------------- loading

def load_lab_file(path: PathLike) -> m.LabSpec:
    """Read, parse and validate a lab file; LabFileError with one readable line if not."""
    p = Path(path)
    try:
        raw = p.read_bytes()
    except OSError as err:
        raise LabFileError(p, None, "", err.strerror or str(err)) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line = raw[:err.start].count(b"\n") + 1
        raise LabFileError(p, line, "", "not UTF-8 text") from None
    return load_lab_text(text, p)


def load_lab_text(text: str, path: PathLike = "<lab>") -> m.LabSpec:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        msg = str(err)
        mt = re.search(r"\s*\(at line (\d+), column (\d+)\)$", msg)
        line = None
        if mt:
            line = int(mt.group(1))
            msg = msg[:mt.start()] + f" (column {mt.group(2)})"
        elif "(at end of document)" in msg:
            line = text.count("\n") + 1
            msg = msg.replace(" (at end of document)", " (at the end of the file)")
        raise LabFileError(path, line, "", f"invalid TOML: {msg[:1].lower() + msg[1:]}") from None
    try:
        spec = m.LabSpec.model_validate(data)
    except ValidationError as err:
        raise _first_error(path, text, data, err.errors()) from None
    spec._source = str(path)
    problems = semantic_problems(spec)
    if problems:
        pos = TomlPositions(text)
        problems.sort(key=lambda pr: pos.line_of(pr[0]) or 0)
        loc, message = problems[0]
        more = len(problems) - 1
        if more:
            message += f" (and {more} more problem{'s' if more > 1 else ''})"
        raise LabFileError(path, pos.line_of(loc), field_text(loc), message)
    return spec


# ---------------------------------------------------------------- what exists

HOST = "host"


def _ns(name: Optional[str]) -> str:
    return name or HOST


class Names:
    """Which namespaces and devices a lab can have: made by its setup or by a solution."""

    def __init__(self, spec: m.LabSpec):
        self.setup_ns = [HOST] + list(spec.setup.namespaces)
        self.devices: dict[str, list[str]] = {ns: ["lo"] for ns in self.setup_ns}
        self.bridges: dict[str, set[str]] = {ns: set() for ns in self.setup_ns}
        for link in spec.setup.links:
            ns = _ns(link.netns)
            if link.type is not None and ns in self.devices:
                self.devices[ns].append(link.name)
                if link.type == "bridge":
                    self.bridges[ns].add(link.name)
            if link.type == "veth" and link.peer and _ns(link.peer_netns) in self.devices:
                self.devices[_ns(link.peer_netns)].append(link.peer)
        self.solution_devices: set[str] = set()
        self.solution_ns: set[str] = set()
        self.moved: set[str] = set()
        for step in spec.steps:
            for line in step.solution:
                self._scan_line(line)

    def _scan_line(self, line: str) -> None:
        from ..tools.shell import ShellSyntaxError, parse
        try:
            lists = parse(line)
        except ShellSyntaxError:
            return
        for ao in lists:
            for pipe in [ao.first] + [p for _, p in ao.rest]:
                for simple in pipe.cmds:
                    self._scan_words(list(simple.words))

    def _scan_words(self, w: list[str]) -> None:
        while w and w[0] == "sudo":
            w = w[1:]
        if not w or w[0] != "ip":
            return
        w = w[1:]
        while w and w[0].startswith("-"):
            opt = w.pop(0)
            if opt in ("-n", "-netns") and w:
                w.pop(0)
        if not w:
            return
        obj = w[0]
        if "netns".startswith(obj) and len(obj) >= 2 and len(w) >= 2:
            if "exec".startswith(w[1]) and len(w) >= 4:
                self._scan_words(w[3:])
            elif "add".startswith(w[1]) and len(w) >= 3:
                self.solution_ns.add(w[2])
            return
        if not "link".startswith(obj):
            return
        if len(w) >= 3 and "add".startswith(w[1]):
            rest = w[2:]
            if "name" in rest:
                i = rest.index("name")
                if i + 1 < len(rest) and (i == 0 or rest[i - 1] != "peer"):
                    self.solution_devices.add(rest[i + 1])
            if rest and rest[0] not in ("link", "name", "type", "netns", "address", "mtu"):
                self.solution_devices.add(rest[0])
            if "peer" in rest:
                i = rest.index("peer")
                nxt = rest[i + 1:i + 3]
                if nxt and nxt[0] == "name" and len(nxt) > 1:
                    self.solution_devices.add(nxt[1])
                elif nxt:
                    self.solution_devices.add(nxt[0])
        elif len(w) >= 3 and "set".startswith(w[1]):
            rest = w[2:]
            dev = rest[1] if rest[0] == "dev" and len(rest) > 1 else rest[0]
            if "name" in rest[1:]:
                i = rest.index("name", 1)
                if i + 1 < len(rest):
                    self.solution_devices.add(rest[i + 1])
            if "netns" in rest[1:]:
                self.moved.add(dev)

    # -- questions ---------------------------------------------------------
    def all_ns(self) -> list[str]:
        return self.setup_ns + sorted(self.solution_ns - set(self.setup_ns))

    def ns_known(self, ns: Optional[str]) -> bool:
        return _ns(ns) in self.setup_ns or _ns(ns) in self.solution_ns

    def device_known(self, name: str, ns: Optional[str]) -> bool:
        if name == "lo":
            return True
        if name in self.solution_devices or name in self.moved:
            return True
        return name in self.devices.get(_ns(ns), [])

    def listing(self, ns: Optional[str]) -> str:
        names = list(self.devices.get(_ns(ns), ["lo"]))
        for d in sorted(self.solution_devices | self.moved):
            if d not in names:
                names.append(d)
        return ", ".join(names)


_DEV_SYSCTL = re.compile(r"^net\.(ipv4|ipv6)\.(conf|neigh)\.([^.]+)\.")


def sysctl_device(name: str) -> Optional[str]:
    mt = _DEV_SYSCTL.match(name)
    if mt and mt.group(3) not in ("all", "default"):
        return mt.group(3)
    return None


def semantic_problems(spec: m.LabSpec) -> list[tuple[tuple, str]]:
    """Names the models cannot check alone: (location, message) for each problem."""
    names = Names(spec)
    probs: list[tuple[tuple, str]] = []
    setup_ns = set(names.setup_ns)

    def ns_ok(loc: tuple, ns: Optional[str], setup: bool) -> bool:
        if ns is None or ns == HOST:
            return True
        if ns in setup_ns or (not setup and ns in names.solution_ns):
            return True
        known = ", ".join(names.setup_ns if setup else names.all_ns())
        what = "the setup does not create" if setup else "no setup or solution creates"
        probs.append((loc, f"unknown namespace \"{ns}\": {what} it (known: {known})"))
        return False

    # the setup: everything it names must be made before it is used
    made: dict[str, set[str]] = {ns: {"lo"} for ns in setup_ns}
    kinds: dict[tuple[str, str], str] = {}
    for i, link in enumerate(spec.setup.links):
        loc = ("setup", "links", i)
        if not ns_ok(loc + ("netns",), link.netns, True):
            continue
        ns = _ns(link.netns)
        if link.type is None:
            if link.name not in made[ns]:
                probs.append((loc + ("name",), f"no device \"{link.name}\" in {ns} to configure "
                              f"(give `type` to create it; made so far: "
                              f"{', '.join(sorted(made[ns]))})"))
            continue
        if link.name in made[ns]:
            probs.append((loc + ("name",), f"device \"{link.name}\" is created twice in {ns}"))
        made[ns].add(link.name)
        kinds[(ns, link.name)] = link.type
        if link.type == "veth" and ns_ok(loc + ("peer_netns",), link.peer_netns, True):
            pns = _ns(link.peer_netns)
            if link.peer in made[pns]:
                probs.append((loc + ("peer",), f"device \"{link.peer}\" is created twice in "
                              f"{pns}"))
            made[pns].add(link.peer)
            kinds[(pns, link.peer)] = "veth"
    for i, link in enumerate(spec.setup.links):
        loc = ("setup", "links", i)
        for key, dev_ns in (("master", link.netns), ("peer_master", link.peer_netns)):
            br = getattr(link, key)
            if br is None:
                continue
            ns = _ns(dev_ns)
            if ns in made and kinds.get((ns, br)) != "bridge":
                probs.append((loc + (key,), f"no bridge \"{br}\" in {ns} (add a link with "
                              f"type = \"bridge\")"))
    for group, key in (("addresses", "dev"), ("routes", "dev")):
        for i, item in enumerate(getattr(spec.setup, group)):
            loc = ("setup", group, i)
            if not ns_ok(loc + ("netns",), item.netns, True):
                continue
            dev = getattr(item, key)
            ns = _ns(item.netns)
            if dev is not None and dev not in made[ns]:
                probs.append((loc + (key,), f"unknown device \"{dev}\" in {ns} (the setup makes: "
                              f"{', '.join(sorted(made[ns]))})"))
    for i, sc in enumerate(spec.setup.sysctls):
        loc = ("setup", "sysctls", i)
        if not ns_ok(loc + ("netns",), sc.netns, True):
            continue
        dev = sysctl_device(sc.name)
        if dev is not None and dev not in made[_ns(sc.netns)]:
            probs.append((loc + ("name",), f"names unknown device \"{dev}\" in {_ns(sc.netns)}"))

    # the checks
    def dev_ok(loc: tuple, dev: Optional[str], ns: Optional[str]) -> None:
        if dev is None or dev == "any":
            return
        if not names.device_known(dev, ns):
            probs.append((loc, f"check names unknown device \"{dev}\": neither the setup nor "
                               f"a solution creates it in {_ns(ns)} (known: "
                               f"{names.listing(ns)})"))

    def walk(check: Any, loc: tuple) -> None:
        if isinstance(check, (m.AllCheck, m.AnyCheck)):
            key = "all" if isinstance(check, m.AllCheck) else "any"
            for j, c in enumerate(getattr(check, key)):
                walk(c, loc + (key, j))
            return
        if isinstance(check, m.NotCheck):
            walk(check.not_, loc + ("not",))
            return
        if not ns_ok(loc + ("netns",), getattr(check, "netns", None), False):
            return
        ns = getattr(check, "netns", None)
        if isinstance(check, m.LinkCheck):
            if check.exists:
                dev_ok(loc + ("link",), check.link, ns)
            elif not any(check.link in d for d in names.devices.values()) and \
                    not names.device_known(check.link, ns):
                dev_ok(loc + ("link",), check.link, ns)
            if check.master:
                dev_ok(loc + ("master",), check.master, ns)
        elif isinstance(check, (m.AddressCheck, m.RouteCheck, m.NeighbourCheck)):
            dev_ok(loc + ("dev",), check.dev, ns)
        elif isinstance(check, m.PacketCheck):
            dev_ok(loc + ("iface",), check.iface, ns)
        elif isinstance(check, m.SysctlCheck):
            dev_ok(loc + ("sysctl",), sysctl_device(check.sysctl), ns)

    for si, step in enumerate(spec.steps):
        for ci, check in enumerate(step.checks):
            walk(check, ("steps", si, "checks", ci))
    langs = spec.lab.languages
    if len(langs) > 1:
        _missing_languages(spec, langs, probs)
    return probs


def _missing_languages(spec: m.LabSpec, langs: list[str], probs: list) -> None:
    def need(text: Any, loc: tuple) -> None:
        if isinstance(text, dict):
            missing = [lg for lg in langs if lg not in text]
            if missing:
                probs.append((loc, f"no {', '.join(missing)} text (the lab's languages are "
                                   f"{', '.join(langs)})"))
    need(spec.lab.title, ("lab", "title"))
    need(spec.lab.summary, ("lab", "summary"))
    for si, step in enumerate(spec.steps):
        base = ("steps", si)
        for key in ("title", "text", "success"):
            need(getattr(step, key), base + (key,))
        for hi, h in enumerate(step.hints):
            need(h, base + ("hints", hi))


# ---------------------------------------------------------------- the starting state as commands

def _ip(ns: Optional[str]) -> str:
    return "ip" if ns in (None, HOST) else f"ip -n {ns}"


def _sysctl(ns: Optional[str]) -> str:
    return "sysctl" if ns in (None, HOST) else f"ip netns exec {ns} sysctl"


def setup_commands(spec: m.LabSpec) -> list[str]:
    """The commands that make the lab's starting state, in the lab's own namespace."""
    s = spec.setup
    out: list[str] = []
    for ns in s.namespaces:
        out.append(f"ip netns add {ns}")
    dev_sysctls = []
    for sc in s.sysctls:
        line = f"{_sysctl(sc.netns)} -w {sc.name}={sc.value}"
        (dev_sysctls if sysctl_device(sc.name) else out).append(line)
    for link in s.links:
        if link.type is None:
            continue
        ns, pns = _ns(link.netns), _ns(link.peer_netns)
        if link.type == "bridge":
            out.append(f"{_ip(ns)} link add {link.name} type bridge")
        elif ns == HOST or pns != HOST:
            # made where `name` lives; the peer goes straight to its namespace
            where = f" netns {pns}" if pns != ns else ""
            out.append(f"{_ip(ns)} link add {link.name} type veth peer name {link.peer}{where}")
        else:
            # name elsewhere, peer here: the lab's own namespace has no name to give
            # `netns`, so make the pair from here with the roles swapped
            out.append(f"ip link add {link.peer} type veth peer name {link.name} netns {ns}")
    for link in s.links:
        for name, ns, mtu, mac in ((link.name, link.netns, link.mtu, link.mac),
                                   (link.peer, link.peer_netns, None, link.peer_mac)):
            if name is None:
                continue
            if mtu is not None:
                out.append(f"{_ip(ns)} link set {name} mtu {mtu}")
            if mac is not None:
                out.append(f"{_ip(ns)} link set {name} address {mac}")
    for link in s.links:
        if link.master:
            out.append(f"{_ip(link.netns)} link set {link.name} master {link.master}")
        if link.peer_master:
            out.append(f"{_ip(link.peer_netns)} link set {link.peer} master {link.peer_master}")
    out.extend(dev_sysctls)
    for a in s.addresses:
        brd = " brd +" if a.broadcast else ""
        out.append(f"{_ip(a.netns)} addr add {a.address}{brd} dev {a.dev}")
    for link in s.links:
        if link.up:
            out.append(f"{_ip(link.netns)} link set {link.name} up")
        if link.peer_up:
            out.append(f"{_ip(link.peer_netns)} link set {link.peer} up")
    for r in s.routes:
        words = [f"{_ip(r.netns)} route add {r.dst}"]
        if r.via:
            words.append(f"via {r.via}")
        if r.dev:
            words.append(f"dev {r.dev}")
        if r.src:
            words.append(f"src {r.src}")
        if r.metric is not None:
            words.append(f"metric {r.metric}")
        if r.table is not None:
            words.append(f"table {r.table}")
        out.append(" ".join(words))
    return out


def new_world(spec: m.LabSpec, seed: int = 0) -> World:
    """An empty world with the lab's profile: its own namespace, lo down."""
    from .builtin import PROFILES
    world = World(seed=seed)
    profile = PROFILES[spec.setup.profile]
    net = world.new_net("", sysctl_profile=profile or None)
    # a fresh namespace is not init_net (net.ipv4.neigh.default is absent there);
    # a distribution's profile describes a whole host, whose namespace is init_net
    net.is_init = spec.setup.profile != "netns"
    return world


def run_quietly(world: World, session, line: str, limit: float = 3600.0) -> tuple[str, int]:
    """Run one command line to completion on virtual time; (output, status)."""
    out: list[str] = []
    job = session.start(line, lambda stream, text: out.append(text))
    sched = world.sched
    sched.run_while(lambda: not job.done, limit=sched.now + limit)
    if not job.done:
        job.interrupt()
        sched.run_while(lambda: not job.done, limit=sched.now + 60)
        if not job.done and job.task is not None:
            job.task.kill()
    return "".join(out), job.status if job.status is not None else 0


def build_world(spec: m.LabSpec, seed: int = 0) -> World:
    """The lab's starting state, made by running `setup_commands` in the simulator."""
    from ..tools.shell import Session
    world = new_world(spec, seed)
    session = Session(world, world.init_net, script=True, tty=False)
    for line in setup_commands(spec):
        output, status = run_quietly(world, session, line)
        if status != 0:
            text = " ".join(output.split())
            raise LabSetupError(spec.source or "<lab>", None, "setup",
                                f"`{line}` failed (exit {status}): {text}")
    return world


# ---------------------------------------------------------------- finding lab files

def lab_dirs() -> list[Path]:
    """Where `vethtui lab list` looks: the repository's labs/ and ./labs."""
    here = Path(__file__).resolve().parent.parent.parent / "labs"
    dirs = [here, Path.cwd() / "labs"]
    extra = os.environ.get("VETHTUI_LABS_PATH")
    if extra:
        dirs = [Path(p) for p in extra.split(os.pathsep) if p] + dirs
    seen, out = set(), []
    for d in dirs:
        key = d.resolve() if d.exists() else d
        if key not in seen:
            seen.add(key)
            out.append(d)
    return out


def find_labs() -> list[Path]:
    out, seen = [], set()
    for d in lab_dirs():
        if not d.is_dir():
            continue
        for p in sorted(d.glob("*.toml")):
            key = p.resolve()
            if key not in seen:
                seen.add(key)
                out.append(p)
    return out


def resolve_lab(name: str) -> Optional[Path]:
    """A lab file by path, or by name (file stem) in the lab directories."""
    p = Path(name)
    if p.suffix == ".toml" and p.exists():
        return p
    for f in find_labs():
        if f.stem == name or f.name == name:
            return f
    return None
