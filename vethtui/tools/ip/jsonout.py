"""`ip -j` / `ip -j -p`: iproute2's JSON writer (lib/json_writer.c), byte for byte.

The objects are built from the simulated state by the printers of each `ip` object
(link, address, route, neigh, netns) as ordered dicts, in the order iproute2 6.1's
print_* functions emit their keys; this module only writes them as json_writer.c does:
compact `[{"a":1}]`, or with -p four-space indents, `[ {` and `} ]`, arrays of scalars
on one line (`[ "UP","LOWER_UP" ]`), empty arrays `[ ]`. Strings are escaped the
way jsonw_puts escapes them (C escapes only; other bytes pass through).
"""
from __future__ import annotations

from typing import Any

_ESC = {"\t": "\\t", "\n": "\\n", "\r": "\\r", "\f": "\\f", "\b": "\\b", "\\": "\\\\", '"': '\\"'}


class Number(str):
    """A number as iproute2 formats it and writes it unquoted: print_float's "%.2f"
    (the bridge timers, `"hold_timer":0.00`)."""


def _puts(s: str) -> str:
    return '"' + "".join(_ESC.get(ch, ch) for ch in s) + '"'


class JsonWriter:
    """json_writer_t: depth, the pending separator, pretty or not."""

    def __init__(self, pretty: bool = False) -> None:
        self.pretty = pretty
        self.depth = 0
        self.sep = ""
        self.parts: list[str] = []

    def _indent(self) -> None:
        self.parts.append("    " * self.depth)

    def _eol(self) -> None:
        if self.pretty:
            self.parts.append("\n")
            self._indent()

    def _eor(self) -> None:
        if self.sep:
            self.parts.append(self.sep)
        self.sep = ","

    def _begin(self, c: str) -> None:
        self._eor()
        self.parts.append(c)
        self.depth += 1
        self.sep = ""

    def _end(self, c: str) -> None:
        self.depth -= 1
        if self.sep:
            self._eol()
        self.parts.append(c)
        self.sep = ","

    def name(self, key: str) -> None:
        self._eor()
        self._eol()
        self.sep = ""
        self.parts.append(_puts(key) + (": " if self.pretty else ":"))

    def start_object(self) -> None:
        self._begin("{")

    def end_object(self) -> None:
        self._end("}")

    def start_array(self) -> None:
        self._begin("[")
        if self.pretty:
            self.parts.append(" ")

    def end_array(self) -> None:
        if self.pretty and self.sep:
            self.parts.append(" ")
        self.sep = ""
        self._end("]")

    def value(self, v: Any) -> None:
        if isinstance(v, dict):
            self.start_object()
            for k, x in v.items():
                self.name(k)
                self.value(x)
            self.end_object()
        elif isinstance(v, (list, tuple)):
            self.start_array()
            for x in v:
                self.value(x)
            self.end_array()
        else:
            self._eor()
            if v is None:
                self.parts.append("null")
            elif v is True:
                self.parts.append("true")
            elif v is False:
                self.parts.append("false")
            elif isinstance(v, Number):
                self.parts.append(str.__str__(v))
            elif isinstance(v, str):
                self.parts.append(_puts(v))
            else:
                self.parts.append(str(v))

    def text(self) -> str:
        """jsonw_destroy ends the stream with a newline."""
        return "".join(self.parts) + "\n"


def dumps(value: Any, pretty: bool = False) -> str:
    w = JsonWriter(pretty)
    w.value(value)
    return w.text()
