"""Shared pieces of `ip`: options, argument errors, rtnetlink errors, link names.

Errors are worded and numbered as iproute2 6.1 does it: invarg/duparg/
incomplete_command exit(-1) (status 255); a kernel refusal prints
"RTNETLINK answers: <strerror>" or the kernel's extack "Error: <msg>." and
the command returns 2.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, Optional

from ...kernel.inet import aton_loose, ntoa, prefix_mask
from ..base import Exit, Proc, matches

if TYPE_CHECKING:  # pragma: no cover
    from ...kernel.netdev import NetDevice
    from ...kernel.netns import Net

STRERROR = {
    "EPERM": "Operation not permitted", "ENOENT": "No such file or directory",
    "ESRCH": "No such process", "EEXIST": "File exists", "ENODEV": "No such device",
    "EINVAL": "Invalid argument", "ENETUNREACH": "Network is unreachable",
    "EHOSTUNREACH": "No route to host", "EBUSY": "Device or resource busy",
    "EOPNOTSUPP": "Operation not supported", "EADDRNOTAVAIL": "Cannot assign requested address",
    "ENETDOWN": "Network is down", "EACCES": "Permission denied", "ENOBUFS": "No buffer space available",
    "ERANGE": "Numerical result out of range", "EAFNOSUPPORT": "Address family not supported by protocol",
    "ENOTDIR": "Not a directory", "EMSGSIZE": "Message too long", "ENOSPC": "No space left on device",
    "EXDEV": "Invalid cross-device link", "ENOTSUP": "Operation not supported",
}

AF_UNSPEC, AF_INET, AF_INET6, AF_PACKET, AF_BRIDGE, AF_MPLS = 0, 2, 10, 17, 7, 28

CSI = "\x1b["
COLOR = {"ifname": "36", "mac": "33", "inet": "35", "inet6": "34", "up": "32", "down": "31"}


@dataclass
class IpOpts:
    family: int = AF_UNSPEC
    stats: int = 0
    details: int = 0
    oneline: bool = False
    brief: bool = False
    color: bool = False
    json: bool = False
    numeric: bool = False
    resolve: bool = False
    force: bool = False
    net: Optional["Net"] = None
    netns_name: str = ""
    human: bool = False
    pretty: bool = False
    do_all: bool = False       # `ip -all netns exec|delete`: every namespace in turn
    inet6_dump: bool = False   # `ip -6 addr` without dev: links dumped by addrconf (short header)


def colored(opts: IpOpts, kind: str, text: str) -> str:
    """lib/color.c's color_fprintf: the text in its kind's colour when -c is on."""
    if not opts.color or not text:
        return text
    return f"{CSI}{COLOR[kind]}m{text}{CSI}0m"


def invarg(proc: Proc, msg: str, arg: str) -> None:
    proc.err(f'Error: argument "{arg}" is wrong: {msg}\n')
    raise Exit(255)


def duparg(proc: Proc, key: str, arg: str) -> None:
    proc.err(f'Error: duplicate "{key}": "{arg}" is the second value.\n')
    raise Exit(255)


def duparg2(proc: Proc, key: str, arg: str) -> None:
    proc.err(f'Error: either "{key}" is duplicate, or "{arg}" is a garbage.\n')
    raise Exit(255)


def incomplete(proc: Proc) -> None:
    proc.err('Command line is not complete. Try option "help"\n')
    raise Exit(255)


def missarg(proc: Proc, key: str) -> None:
    proc.err(f'Error: argument "{key}" is required\n')
    raise Exit(255)


def rtnl_error(proc: Proc, errno: str, msg: str = "") -> int:
    """What iproute2 prints when the kernel refuses a request; returns 2."""
    if msg:
        proc.err(f"Error: {msg}{'' if msg.endswith('.') else '.'}\n")
    else:
        proc.err(f"RTNETLINK answers: {STRERROR.get(errno, errno)}\n")
    return 2


class Keywords:
    """An iproute2 parse loop's `if (matches(*argv, "x")) ... else if ...` chain as a table.

    C spells the chain out because it has no tables; here each branch is a handler
    registered with the words it takes: `exact` words whole (strcmp), `prefix` words
    by any non-empty prefix (matches()). Rows are tried in the order registered,
    which is the order of the C chain, and that order decides what an abbreviation
    means (`pref` is taken by an earlier `preference` before a later exact `pref`).
    A handler is called as handler(proc, args, state) with args on its keyword and
    returns True when the rest of the line is its own (the loop then stops).
    """

    def __init__(self) -> None:
        # every word a row takes, each abbreviation of its prefix words included, to the
        # first row that takes it: the chain's answer in one look-up
        self._index: dict[str, tuple[int, Callable]] = {}
        self._starts: list[tuple[int, tuple, Callable]] = []
        self._rows = 0

    def on(self, *exact: str, prefix: tuple = (), starts: tuple = ()) -> Callable:
        """Register a handler for `exact` words, any abbreviation of a `prefix` word, and
        words that begin with a `starts` string (strncmp: `-color=always`)."""
        def register(handler: Callable) -> Callable:
            row = self._rows
            self._rows += 1
            for word in exact:
                self._index.setdefault(word, (row, handler))
            for word in prefix:
                for n in range(1, len(word) + 1):
                    self._index.setdefault(word[:n], (row, handler))
            if starts:
                self._starts.append((row, tuple(starts), handler))
            return handler
        return register

    def find(self, word: str) -> Optional[Callable]:
        hit = self._index.get(word)
        for row, starts, handler in self._starts:
            if hit is not None and hit[0] < row:
                break
            if word.startswith(starts):
                return handler
        return hit[1] if hit is not None else None

    def parse(self, proc: Proc, args: "Args", state, otherwise: Callable) -> None:
        """The loop: each word to its handler (`otherwise` for the else branch), then on."""
        while args:
            handler = self.find(args.cur) or otherwise
            if handler(proc, args, state):
                return
            args.advance()


class Args:
    """argv with NEXT_ARG semantics."""

    def __init__(self, proc: Proc, argv: list[str]):
        self.proc = proc
        self.argv = argv
        self.i = 0

    def __bool__(self) -> bool:
        return self.i < len(self.argv)

    @property
    def cur(self) -> str:
        return self.argv[self.i]

    def next(self) -> str:
        """NEXT_ARG(): step to the value or complain that the line is incomplete."""
        self.i += 1
        if self.i >= len(self.argv):
            incomplete(self.proc)
        return self.argv[self.i]

    def advance(self) -> None:
        self.i += 1

    def rest(self) -> list[str]:
        return self.argv[self.i:]


def check_ifname(name: str) -> bool:
    """iproute2's check_ifname: True when the name is NOT valid."""
    if not name or len(name) >= 16:
        return True
    return any(c == "/" or c.isspace() for c in name)


def check_altifname(name: str) -> bool:
    """check_altifname: alternative names may be up to 127 characters."""
    if not name or len(name) >= 128:
        return True
    return any(c == "/" or c.isspace() for c in name)


def get_unsigned(text: str) -> Optional[int]:
    """strtoul with base 0, rejecting negatives and junk (iproute2 get_unsigned)."""
    t = text.strip()
    if not t or t.startswith("-"):
        return None
    try:
        if t.lower().startswith("0x"):
            return int(t[2:], 16)
        if len(t) > 1 and t.startswith("0"):
            return int(t, 8)
        return int(t, 10)
    except ValueError:
        return None


def get_integer(text: str) -> Optional[int]:
    t = text.strip()
    try:
        if t.lower().lstrip("-").startswith("0x"):
            return int(t, 16)
        return int(t, 10)
    except ValueError:
        return None


@dataclass
class Prefix:
    addr: int
    plen: int
    has_len: bool
    family: int = AF_INET
    text: str = ""
    is_default: bool = False

    @property
    def network(self) -> int:
        return self.addr & prefix_mask(self.plen)


def get_prefix(text: str, family: int = AF_UNSPEC, allow_default: bool = True) -> Optional[Prefix]:
    """get_prefix_1: `A.B.C.D[/len]`, `default`/`any`/`all`; None when invalid."""
    if allow_default and text in ("default", "all", "any"):
        return Prefix(0, 0, True, AF_INET, text, is_default=True)
    if ":" in text:
        return None
    addr_part, slash, len_part = text.partition("/")
    try:
        addr = aton_loose(addr_part)
    except ValueError:
        return None
    if slash:
        n = get_unsigned(len_part)
        if n is None or n > 32:
            return None
        return Prefix(addr, n, True, AF_INET, text)
    return Prefix(addr, 32, False, AF_INET, text)


def get_addr(text: str) -> Optional[int]:
    try:
        return aton_loose(text)
    except ValueError:
        return None


def link_name(dev: "NetDevice", viewer: "Net") -> tuple[str, bool]:
    """`name@peer`, `name@ifN` (peer elsewhere) or `name@NONE`; and whether M-DOWN."""
    from ...kernel.drivers import VethDevice
    from ...kernel.netdev import IFF_UP
    if isinstance(dev, VethDevice):
        peer = dev.peer
        if peer is None:
            return f"{dev.name}@NONE", False
        if peer.net is dev.net:
            return f"{dev.name}@{peer.name}", not bool(peer.flags & IFF_UP)
        return f"{dev.name}@if{peer.ifindex}", False
    return dev.name, False


FLAG_NAMES = [
    (0x8, "LOOPBACK"), (0x2, "BROADCAST"), (0x10, "POINTOPOINT"), (0x1000, "MULTICAST"),
    (0x80, "NOARP"), (0x200, "ALLMULTI"), (0x100, "PROMISC"), (0x400, "MASTER"),
    (0x800, "SLAVE"), (0x4, "DEBUG"), (0x8000, "DYNAMIC"), (0x4000, "AUTOMEDIA"),
    (0x2000, "PORTSEL"), (0x20, "NOTRAILERS"), (0x1, "UP"), (0x10000, "LOWER_UP"),
    (0x20000, "DORMANT"), (0x40000, "ECHO"),
]


def flags_list(flags: int, mdown: bool) -> list[str]:
    """print_link_flags: the words, as the JSON array holds them."""
    parts: list[str] = []
    if flags & 0x1 and not flags & 0x40:
        parts.append("NO-CARRIER")
    flags &= ~0x40
    for bit, name in FLAG_NAMES:
        if flags & bit:
            flags &= ~bit
            parts.append(name)
    if flags:
        parts.append(f"{flags:x}")
    if mdown:
        parts.append("M-DOWN")
    return parts


def flags_str(flags: int, mdown: bool) -> str:
    """print_link_flags (M-DOWN printed as ",%s", even after no other flag)."""
    s = ",".join(flags_list(flags, False))
    if mdown:
        s += ",M-DOWN"
    return f"<{s}>"


def mac_text(mac: bytes) -> str:
    return ":".join(f"{b:02x}" for b in mac)


def ll_addr_a2n(proc: Proc, text: str) -> bytes:
    """ll_addr_a2n: colon-separated hex bytes (1 or 2 digits each)."""
    parts = text.split(":") if text else [""]
    out = bytearray()
    for p in parts:
        if not p or len(p) > 2 or any(c not in "0123456789abcdefABCDEF" for c in p):
            proc.err(f'"{p}" is invalid lladdr.\n')
            raise Exit(1)
        out.append(int(p, 16))
    return bytes(out)


def resolve_dev(proc: Proc, net: "Net", name: str, *, show_style: bool = False) -> "NetDevice":
    dev = net.dev_by_name(name)
    if dev is None:
        if show_style:
            proc.err(f'Device "{name}" does not exist.\n')
        else:
            proc.err(f'Cannot find device "{name}"\n')
        raise Exit(1)
    return dev


def scope_name(scope: int) -> str:
    return {0: "global", 200: "site", 253: "link", 254: "host", 255: "nowhere"}.get(scope, str(scope))


def scope_a2n(text: str) -> Optional[int]:
    table = {"global": 0, "universe": 0, "site": 200, "link": 253, "host": 254, "nowhere": 255}
    if text in table:
        return table[text]
    n = get_unsigned(text)
    if n is not None and n <= 255:
        return n
    return None


def sl(opts: IpOpts) -> str:
    """_SL_: the line separator, a backslash in one-line mode."""
    return "\\" if opts.oneline else "\n"


__all__ = ["matches", "ntoa"]


TYPES_USAGE = """TYPE := { amt | bareudp | bond | bond_slave | bridge | bridge_slave |
          dsa | dummy | erspan | geneve | gre | gretap | gtp | ifb |
          ip6erspan | ip6gre | ip6gretap | ip6tnl |
          ipip | ipoib | ipvlan | ipvtap |
          macsec | macvlan | macvtap |
          netdevsim | nlmon | rmnet | sit | team | team_slave |
          vcan | veth | vlan | vrf | vti | vxcan | vxlan | wwan |
          xfrm | virt_wifi }
"""
"""The link types' list that ends both `ip link help` and `ip address help` (iproute2
prints it from one function, iplink_types_usage)."""
