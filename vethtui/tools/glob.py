"""Pathname expansion as bash does it, over the files the simulator has: the namespace's
/proc/sys tree, /dev/null, and the shell's scratch files.

A word with an unquoted `*`, `?` or `[...]` is matched one path component at a time
(a `*` never crosses a `/`; names starting with `.` need the pattern to start with `.`);
the matches replace the word in sorted order, and a pattern that matches nothing stays
as it was (bash without nullglob or failglob).
"""
from __future__ import annotations

import fnmatch
from typing import TYPE_CHECKING, Optional

if TYPE_CHECKING:  # pragma: no cover
    from ..kernel.netns import Net

_META = set("*?[")


def _has_meta(component: str) -> bool:
    """Unescaped metacharacters in a pattern component (escapes look like `[*]`)."""
    i = 0
    while i < len(component):
        if component[i:i + 3] in ("[*]", "[?]", "[[]"):
            i += 3
        elif component[i] in _META:
            return True
        else:
            i += 1
    return False


def _unescape(component: str) -> str:
    return component.replace("[*]", "*").replace("[?]", "?").replace("[[]", "[")


def list_dir(parts: list[str], absolute: bool, files: dict[str, str],
             net: "Net") -> Optional[dict[str, bool]]:
    """The entries of a directory (name -> is a directory), or None if there is none."""
    out: dict[str, bool] = {}
    if absolute:
        if not parts:
            out.update({"proc": True, "dev": True})
        elif parts == ["proc"]:
            out["sys"] = True
        elif parts == ["dev"]:
            out["null"] = False
        elif parts[:2] == ["proc", "sys"]:
            from ..kernel.sysctl import Dir, SysctlError
            try:
                node = net.sysctl.resolve(parts[2:])
            except SysctlError:
                return None
            if not isinstance(node, Dir):
                return None
            return {name: isinstance(kid, Dir) for name, kid in node.children().items()}
    for path in files:
        if path.startswith("/") != absolute:
            continue
        comps = [c for c in path.split("/") if c]
        if len(comps) > len(parts) and comps[:len(parts)] == parts:
            out.setdefault(comps[len(parts)], len(comps) > len(parts) + 1)
    if not out and parts and absolute and parts[0] not in ("proc", "dev"):
        return None
    return out if (out or not parts) else None


def _exists(parts: list[str], absolute: bool, files: dict[str, str], net: "Net") -> bool:
    if not parts:
        return True
    entries = list_dir(parts[:-1], absolute, files, net)
    return entries is not None and parts[-1] in entries


def expand_pattern(pattern: str, files: dict[str, str], net: "Net") -> list[str]:
    """The paths `pattern` (fnmatch syntax, quoted metacharacters escaped) matches, sorted."""
    absolute = pattern.startswith("/")
    comps = [c for c in pattern.split("/") if c]
    trailing_slash = pattern.endswith("/")
    found: list[list[str]] = [[]]
    for k, comp in enumerate(comps):
        last = k == len(comps) - 1
        nxt: list[list[str]] = []
        for base in found:
            if not _has_meta(comp):
                nxt.append(base + [_unescape(comp)])
                continue
            entries = list_dir(base, absolute, files, net)
            if not entries:
                continue
            for name in sorted(entries):
                if name.startswith(".") and not comp.startswith("."):
                    continue
                if not fnmatch.fnmatchcase(name, comp):
                    continue
                if (not last or trailing_slash) and not entries[name]:
                    continue
                nxt.append(base + [name])
        found = nxt
        if not found:
            return []
    paths = []
    for parts in found:
        if not _exists(parts, absolute, files, net):
            continue
        text = ("/" if absolute else "") + "/".join(parts) + ("/" if trailing_slash else "")
        paths.append(text)
    return sorted(paths)


def expand_words(words: list[str], files: dict[str, str], net: "Net") -> list[str]:
    out: list[str] = []
    for w in words:
        pattern = getattr(w, "pattern", None)
        if pattern is None:
            out.append(w)
            continue
        matches = expand_pattern(pattern, files, net)
        out.extend(matches if matches else [w])
    return out
