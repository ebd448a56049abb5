"""Tab completion for the console, as a pure function of the line and a namespace.

`complete(line, cursor, net)` finds the word under the cursor and what may
stand there: a command name, an `ip` object or subcommand, a keyword of the
subcommand, a device name, a namespace name, a sysctl key (`net.ipv4.`) or a
/proc/sys path. It only reads the namespace (its devices, its sysctl tree and
the world's named namespaces). `apply(line, cursor, completion)` does what
readline does with the answer: one candidate is inserted with a space after it
(a directory gets no space), several are narrowed to their common prefix, and
when that makes no progress the caller lists them (`columns`).

The UI wraps these functions; nothing here knows about Textual.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, Iterable, Optional

from ..kernel.sysctl import Dir, SysctlError
from .base import matches

if TYPE_CHECKING:  # pragma: no cover
    from ..kernel.netns import Net

# ------------------------------------------------------------------ the lexer

_OPERATORS = ("&&", "||", ";", "&", "|")
_REDIRECTS = (">", ">>", "1>", "1>>", "2>", "2>>", "&>", "&>>", "<")


@dataclass(frozen=True)
class Word:
    text: str
    start: int
    end: int
    op: bool = False      # a shell operator or a redirection


def split_words(line: str) -> list[Word]:
    """Words and operators of `line` with their spans (quotes kept in the span)."""
    out: list[Word] = []
    i, n = 0, len(line)
    while i < n:
        ch = line[i]
        if ch.isspace():
            i += 1
            continue
        if ch == "#" and (i == 0 or line[i - 1].isspace()):
            break
        op = _match_operator(line, i)
        if op:
            out.append(Word(op, i, i + len(op), op=True))
            i += len(op)
            continue
        start = i
        buf = []
        while i < n and not line[i].isspace() and not _match_operator(line, i):
            c = line[i]
            if c in "'\"":
                j = line.find(c, i + 1)
                if j < 0:
                    buf.append(line[i + 1:])
                    i = n
                    break
                buf.append(line[i + 1:j])
                i = j + 1
                continue
            if c == "\\" and i + 1 < n:
                buf.append(line[i + 1])
                i += 2
                continue
            buf.append(c)
            i += 1
        out.append(Word("".join(buf), start, i))
    return out


def _match_operator(line: str, i: int) -> str:
    for op in ("&>>", "&>", "&&", "||", "2>>", "1>>", ">>", "2>", "1>", ">", "<", ";", "&", "|"):
        if line.startswith(op, i):
            if op[0] in "12" and i > 0 and not line[i - 1].isspace():
                continue
            return op
    return ""


# ------------------------------------------------------------------ results

@dataclass(frozen=True)
class Completion:
    """The word being completed (line[start:end]) and what may replace it."""

    start: int
    end: int
    word: str
    candidates: tuple[str, ...]

    @property
    def common(self) -> str:
        return os.path.commonprefix(list(self.candidates)) if self.candidates else ""


@dataclass(frozen=True)
class Applied:
    """The line after pressing Tab; `listing` holds candidates to show, if any."""

    line: str
    cursor: int
    listing: tuple[str, ...] = ()
    changed: bool = True


def _continues(candidate: str) -> bool:
    """A directory or a dotted sysctl branch: the user goes on typing."""
    return candidate.endswith(("/", "."))


def apply(line: str, cursor: int, comp: Completion) -> Applied:
    """Readline's answer to Tab for `comp`."""
    cands = comp.candidates
    if not cands:
        return Applied(line, cursor, changed=False)
    if len(cands) == 1:
        text = cands[0] + ("" if _continues(cands[0]) else " ")
        new = line[:comp.start] + text + line[comp.end:]
        return Applied(new, comp.start + len(text))
    common = comp.common
    if len(common) > len(comp.word):
        new = line[:comp.start] + common + line[comp.end:]
        return Applied(new, comp.start + len(common))
    return Applied(line, cursor, listing=cands, changed=False)


def columns(items: Iterable[str], width: int) -> list[str]:
    """Readline's listing of candidates: sorted, filling columns top to bottom."""
    items = sorted(set(items))
    if not items:
        return []
    col = max(len(s) for s in items) + 2
    ncols = max(1, width // col)
    nrows = (len(items) + ncols - 1) // ncols
    rows = []
    for r in range(nrows):
        cells = [items[c * nrows + r] for c in range(ncols) if c * nrows + r < len(items)]
        rows.append("".join(s.ljust(col) for s in cells).rstrip())
    return rows


# ------------------------------------------------------------------ the grammar

IP_OBJECTS = ["address", "link", "neighbour", "netns", "route", "help"]
IP_OPTIONS = ["-4", "-6", "-brief", "-color", "-details", "-family", "-netns", "-oneline",
              "-resolve", "-stats", "-human", "-Version", "-br", "-c", "-d", "-n", "-o", "-s"]
IP_OPTS_WITH_VALUE = {"-n": "netns", "-netns": "netns", "-f": "family", "-family": "family",
                      "-b": "", "-batch": "", "-l": "", "-loops": "", "-rc": "", "-rcvbuf": ""}
LINK_CMDS = ["add", "delete", "set", "show", "change", "help"]
ADDR_CMDS = ["add", "delete", "show", "flush", "change", "replace", "help"]
ROUTE_CMDS = ["add", "delete", "replace", "change", "append", "prepend", "show", "get", "flush",
              "help"]
NEIGH_CMDS = ["add", "delete", "change", "replace", "show", "flush", "get", "help"]
NETNS_CMDS = ["list", "add", "delete", "exec", "identify", "pids", "set", "list-id", "help"]
ON_OFF = ["on", "off"]
NUD_STATES = ["permanent", "reachable", "noarp", "none", "stale", "incomplete", "delay",
              "probe", "failed"]
ROUTE_TYPES = ["unicast", "local", "broadcast", "blackhole", "unreachable", "prohibit", "throw"]
TCPDUMP_OPTIONS = ["-i", "-n", "-nn", "-e", "-v", "-vv", "-c", "-l", "-q", "-t", "-tt", "-ttt",
                   "-tttt", "-x", "-xx", "-X", "-w", "-r", "-Q", "-D", "-#", "--number"]
TCPDUMP_WITH_VALUE = set("-B -c -C -E -F -G -I -j -M -r -s -T -V -w -W -y -z -Z".split())
TCPDUMP_PRIMITIVES = ["arp", "icmp", "ip", "ip6", "tcp", "udp", "ether", "host", "net", "src",
                      "dst", "port", "proto", "broadcast", "multicast", "inbound", "outbound",
                      "less", "greater", "len", "and", "or", "not"]
PING_OPTIONS = ["-c", "-i", "-I", "-s", "-t", "-W", "-w", "-q", "-b", "-n", "-D", "-O", "-M",
                "-p", "-Q", "-l", "-4", "-v", "-f", "-a", "-A"]
PING_WITH_VALUE = set("-c -i -s -t -W -w -p -Q -l -M -m -S -T".split())
SYSCTL_OPTIONS = ["-a", "-w", "-n", "-N", "-q", "-e", "-p", "-b", "--all", "--write",
                  "--values", "--names", "--quiet", "--ignore", "--help"]
ARP_OPTIONS = ["-n", "-a", "-e", "-i", "-d", "-s", "-v"]
ROUTE_TOOL_OPTIONS = ["-n", "-e", "-ee", "-v", "-F", "-C", "--numeric", "--extend"]


class _Ctx:
    """What the grammar reads from the namespace."""

    def __init__(self, net: "Net"):
        self.net = net

    def devices(self) -> list[str]:
        return [d.name for d in self.net.devices_in_order()]

    def bridges(self) -> list[str]:
        return [d.name for d in self.net.devices_in_order() if d.kind == "bridge"]

    def in_netns(self, name: str) -> "_Ctx":
        """The context of `ip -n NAME` / `ip netns exec NAME` (unchanged if unknown)."""
        other = getattr(self.net.world, "netns", {}).get(name)
        return _Ctx(other) if other is not None else self

    def netns(self) -> list[str]:
        world = self.net.world
        return sorted(name for name, n in getattr(world, "netns", {}).items()
                      if not getattr(n, "hidden", False))

    def commands(self) -> list[str]:
        from .registry import TOOLS
        return sorted(set(TOOLS) | {"sudo"})

    def sysctl_children(self, parts: list[str]) -> Optional[dict[str, object]]:
        try:
            node = self.net.sysctl.resolve(parts)
        except (SysctlError, Exception):
            return None
        if not isinstance(node, Dir):
            return None
        try:
            return node.children()
        except Exception:
            return None


def complete(line: str, cursor: int, net: "Net") -> Completion:
    """What may stand at the cursor of `line` in namespace `net`."""
    cursor = max(0, min(cursor, len(line)))
    head = line[:cursor]
    words = split_words(head)
    if words and words[-1].end == cursor and not words[-1].op:
        cur = words.pop()
        word, start = cur.text, cur.start
    else:
        word, start = "", cursor
    # the simple command the cursor is in
    cmd: list[str] = []
    redirect = False
    for w in words:
        if w.op and w.text in _OPERATORS:
            cmd = []
            redirect = False
        elif w.op:
            redirect = True
        elif redirect:
            redirect = False          # the redirection's target, not an argument
        else:
            cmd.append(w.text)
    ctx = _Ctx(net)
    if redirect:
        cands = _paths(ctx, word)
    else:
        cands = _command(ctx, cmd, word)
    seen: set[str] = set()
    out = []
    for c in cands:
        if c.startswith(word) and c not in seen:
            seen.add(c)
            out.append(c)
    return Completion(start, cursor, word, tuple(out))


def _command(ctx: _Ctx, words: list[str], cur: str) -> list[str]:
    while words and words[0] == "sudo":
        words = words[1:]
    if not words:
        if cur.startswith("/"):
            return _paths(ctx, cur)
        return ctx.commands()
    if cur.startswith("/"):
        return _paths(ctx, cur)
    name, args = words[0], words[1:]
    fn = _COMMANDS.get(name)
    return fn(ctx, args, cur) if fn else []


def _prev(args: list[str]) -> str:
    return args[-1] if args else ""


# -- ip ----------------------------------------------------------------------

def _resolve(word: str, names: list[str]) -> Optional[str]:
    for n in names:
        if matches(word, n):
            return n
    return None


def _ip(ctx: _Ctx, args: list[str], cur: str) -> list[str]:
    i = 0
    while i < len(args) and args[i].startswith("-"):
        opt = args[i]
        i += 1
        if opt in IP_OPTS_WITH_VALUE and i < len(args):
            if IP_OPTS_WITH_VALUE[opt] == "netns":
                ctx = ctx.in_netns(args[i])
            i += 1
        elif opt in IP_OPTS_WITH_VALUE and i == len(args):
            kind = IP_OPTS_WITH_VALUE[opt]
            if kind == "netns":
                return ctx.netns()
            if kind == "family":
                return ["inet", "inet6", "link", "bridge", "mpls"]
            return []
    rest = args[i:]
    if not rest:
        if cur.startswith("-"):
            return IP_OPTIONS
        return IP_OBJECTS
    from .ip import OBJECTS
    obj = _resolve(rest[0], OBJECTS)
    if obj == "neighbor":
        obj = "neighbour"
    sub = rest[1:]
    handler = {"link": _ip_link, "address": _ip_addr, "route": _ip_route,
               "neighbour": _ip_neigh, "netns": _ip_netns}.get(obj or "")
    return handler(ctx, sub, cur) if handler else []


def _subcommand(args: list[str], cmds: list[str], aliases: dict[str, str]) -> Optional[str]:
    if not args:
        return None
    word = args[0]
    if word in aliases:
        return aliases[word]
    return _resolve(word, cmds)


def _ip_link(ctx: _Ctx, args: list[str], cur: str) -> list[str]:
    if not args:
        return LINK_CMDS
    sub = _subcommand(args, ["add", "delete", "set", "show", "change", "list", "help"],
                      {"ls": "show", "lst": "show"})
    rest = args[1:]
    prev = _prev(rest)
    if sub == "add":
        if prev == "type":
            return ["veth", "bridge"]
        if prev == "peer":
            return ["name"]
        if prev in ("link",):
            return ctx.devices()
        if prev == "netns":
            return ctx.netns()
        if prev in ("name", "mtu", "address", "broadcast", "txqueuelen", "qlen", "alias",
                    "index", "numtxqueues", "numrxqueues", "group", "add"):
            return []
        return ["name", "type", "mtu", "address", "netns", "txqueuelen", "peer"]
    if sub in ("set", "change"):
        named = _has_device(rest)
        if prev == "dev" or not named:
            return ctx.devices() + ([] if prev == "dev" else ["dev"])
        if prev == "master":
            return ctx.bridges()
        if prev == "netns":
            return ctx.netns()
        if prev in ("promisc", "arp", "multicast", "allmulticast", "dynamic", "trailers",
                    "carrier", "protodown"):
            return ON_OFF
        if prev == "type":
            return ["bridge", "veth"]
        if prev in ("mtu", "name", "address", "broadcast", "alias", "txqueuelen", "qlen",
                    "group"):
            return []
        return ["up", "down", "mtu", "name", "address", "master", "nomaster", "netns",
                "promisc", "arp", "multicast", "allmulticast", "alias", "txqueuelen", "type",
                "carrier"]
    if sub == "delete":
        if prev == "type":
            return ["veth", "bridge"]
        return ctx.devices() + ["dev", "type"]
    if sub in ("show", "list"):
        if prev == "type":
            return ["veth", "bridge"]
        if prev == "master":
            return ctx.bridges()
        if prev == "dev" or not rest:
            return ctx.devices() + (["dev", "up", "type", "master"] if prev != "dev" else [])
        return ["up", "type", "master"]
    if sub == "help":
        return []
    return LINK_CMDS if len(args) == 1 and not rest else []


def _has_device(rest: list[str]) -> bool:
    return bool(rest) and (rest[0] != "dev" or len(rest) > 1)


def _ip_addr(ctx: _Ctx, args: list[str], cur: str) -> list[str]:
    if not args:
        return ADDR_CMDS
    sub = _subcommand(args, ["add", "delete", "show", "flush", "change", "replace", "list",
                             "help"], {"ls": "show", "lst": "show"})
    rest = args[1:]
    prev = _prev(rest)
    if prev == "dev":
        return ctx.devices()
    if prev == "scope":
        return ["global", "link", "host"]
    if sub in ("add", "delete", "change", "replace"):
        if prev in ("brd", "broadcast"):
            return ["+", "-"]
        if prev in ("label", "peer", "metric", "valid_lft", "preferred_lft", "local"):
            return []
        if not rest:
            return []          # the address comes first
        return ["dev", "brd", "broadcast", "scope", "label", "peer", "noprefixroute", "metric"]
    if sub in ("show", "flush", "list"):
        if prev in ("label", "to"):
            return []
        return ctx.devices() + ["dev", "up", "scope", "to", "label", "primary", "secondary"]
    return []


def _ip_route(ctx: _Ctx, args: list[str], cur: str) -> list[str]:
    if not args:
        return ROUTE_CMDS
    sub = _subcommand(args, ROUTE_CMDS + ["list"], {"ls": "show", "lst": "show"})
    rest = args[1:]
    prev = _prev(rest)
    if prev in ("dev", "oif", "iif"):
        return ctx.devices()
    if prev == "table":
        return ["main", "local", "default", "all"]
    if prev in ("proto", "protocol"):
        return ["kernel", "boot", "static", "dhcp"]
    if prev == "scope":
        return ["global", "link", "host"]
    if prev == "type":
        return ROUTE_TYPES
    if prev in ("via", "src", "from", "metric", "mtu", "to", "root", "match", "exact", "tos",
                "mark", "advmss", "preference", "priority"):
        return []
    if sub in ("add", "delete", "replace", "change", "append", "prepend"):
        return ["via", "dev", "src", "table", "proto", "scope", "metric", "mtu", "onlink",
                "default"] + ROUTE_TYPES
    if sub in ("show", "list", "flush"):
        return ["dev", "table", "proto", "scope", "type", "via", "src", "root", "match",
                "exact", "default"]
    if sub == "get":
        return ["from", "iif", "oif", "tos", "mark", "fibmatch"] if rest else []
    return []


def _ip_neigh(ctx: _Ctx, args: list[str], cur: str) -> list[str]:
    if not args:
        return NEIGH_CMDS
    sub = _subcommand(args, NEIGH_CMDS + ["list"], {"ls": "show", "lst": "show"})
    rest = args[1:]
    prev = _prev(rest)
    if prev == "dev":
        return ctx.devices()
    if prev == "nud":
        return NUD_STATES
    if prev in ("lladdr", "proxy", "to", "protocol"):
        return []
    if sub in ("add", "delete", "change", "replace"):
        if not rest:
            return ["proxy"]
        return ["lladdr", "nud", "dev", "router"]
    if sub in ("show", "list", "flush"):
        return ["dev", "nud", "to", "proxy"]
    if sub == "get":
        return ["dev", "proxy"]
    return []


def _ip_netns(ctx: _Ctx, args: list[str], cur: str) -> list[str]:
    if not args:
        return NETNS_CMDS
    sub = _subcommand(args, ["list", "add", "delete", "exec", "identify", "pids", "set",
                             "list-id", "monitor", "help"], {})
    rest = args[1:]
    if sub in ("delete", "pids", "set", "exec") and not rest:
        return ctx.netns()
    if sub == "set" and len(rest) == 1:
        return ["auto"]
    if sub == "exec" and rest:
        return _command(ctx.in_netns(rest[0]), rest[1:], cur)
    return []


# -- the other tools ----------------------------------------------------------------

def _tcpdump(ctx: _Ctx, args: list[str], cur: str) -> list[str]:
    prev = _prev(args)
    if prev in ("-i", "--interface"):
        return ctx.devices() + ["any"]
    if prev == "-Q":
        return ["in", "out", "inout"]
    if prev in TCPDUMP_WITH_VALUE:
        return []
    if cur.startswith("-"):
        return TCPDUMP_OPTIONS
    if prev in ("host", "net", "port", "less", "greater", "proto"):
        return []
    if prev in ("src", "dst"):
        return ["host", "net", "port"]
    return TCPDUMP_PRIMITIVES


def _ping(ctx: _Ctx, args: list[str], cur: str) -> list[str]:
    prev = _prev(args)
    if prev == "-I":
        return ctx.devices()
    if prev == "-M":
        return ["do", "dont", "want", "probe"]
    if prev in PING_WITH_VALUE:
        return []
    if cur.startswith("-"):
        return PING_OPTIONS
    return []


def _sysctl(ctx: _Ctx, args: list[str], cur: str) -> list[str]:
    if cur.startswith("-"):
        return SYSCTL_OPTIONS
    if "=" in cur:
        return []
    if "/" in cur:
        return _sysctl_keys(ctx, cur, "/")
    return _sysctl_keys(ctx, cur, ".")


def _sysctl_keys(ctx: _Ctx, cur: str, sep: str) -> list[str]:
    parts = cur.split(sep)
    lead = "/" if cur.startswith("/") else ""
    if lead:
        parts = parts[1:]
    dir_parts, partial = parts[:-1], parts[-1]
    kids = ctx.sysctl_children(dir_parts)
    if kids is None:
        return []
    prefix = lead + "".join(p + sep for p in dir_parts)
    out = []
    for name in sorted(kids):
        if name.startswith(partial):
            out.append(prefix + name + (sep if isinstance(kids[name], Dir) else ""))
    return out


def _paths(ctx: _Ctx, cur: str) -> list[str]:
    """/proc/sys paths (and /dev/null), as bash completes file names."""
    if not cur.startswith("/"):
        return []
    if cur.startswith("/proc/sys/"):
        rest = cur[len("/proc/sys/"):]
        parts = rest.split("/")
        dir_parts, partial = parts[:-1], parts[-1]
        kids = ctx.sysctl_children([p for p in dir_parts if p])
        if kids is None:
            return []
        base = "/proc/sys/" + "".join(p + "/" for p in dir_parts if p)
        return [base + name + ("/" if isinstance(kids[name], Dir) else "")
                for name in sorted(kids) if name.startswith(partial)]
    if cur.startswith("/proc/"):
        return ["/proc/sys/"]
    if cur.startswith("/dev/"):
        return ["/dev/null"]
    return ["/proc/", "/dev/"]


def _files(ctx: _Ctx, args: list[str], cur: str) -> list[str]:
    return _paths(ctx, cur) if cur.startswith("/") else (["/proc/sys/"] if not cur else [])


def _arp(ctx: _Ctx, args: list[str], cur: str) -> list[str]:
    if _prev(args) in ("-i", "--device"):
        return ctx.devices()
    return ARP_OPTIONS if cur.startswith("-") else []


def _route(ctx: _Ctx, args: list[str], cur: str) -> list[str]:
    return ROUTE_TOOL_OPTIONS if cur.startswith("-") or not args else []


def _nothing(ctx: _Ctx, args: list[str], cur: str) -> list[str]:
    return []


_COMMANDS: dict[str, Callable[[_Ctx, list[str], str], list[str]]] = {
    "ip": _ip,
    "tcpdump": _tcpdump,
    "ping": _ping,
    "ping6": _ping,
    "sysctl": _sysctl,
    "cat": _files,
    "arp": _arp,
    "route": _route,
    "echo": _nothing,
}
