"""libxtables (libxtables/xtables.c): what every part of iptables and every extension
shares: xtables_error, the protocol and address parsers, xtables_print_num,
xtables_save_string, and the extension registry (xtables_register_match,
xtables_register_target, xtables_find_match, xtables_find_target).

An extension (extensions/libxt_*.py) describes itself in one object with its name,
its long options and its parse, final check, print and save functions, and registers
it; the command line parser and the listing find it by name, as iptables finds the
shared object libxt_NAME.so, and never know which extensions exist.
"""
from __future__ import annotations

from typing import Callable, Optional

from ...kernel.inet import aton, ntoa, prefix_mask
from .. import services as netdb

VERSION = "iptables v1.8.9 (nf_tables)"


class ParamError(Exception):
    """xtables_error(PARAMETER_PROBLEM, ...): status 2 and the hint."""

    def __init__(self, msg: str, blank: bool = False):
        super().__init__(msg)
        self.msg = msg
        self.blank = blank


class KernelError(Exception):
    """What nft_strerror prints: `iptables: ...` and status 1, or a batch error, status 4."""

    def __init__(self, msg: str, status: int = 1):
        super().__init__(msg)
        self.msg = msg
        self.status = status


# ---------------------------------------------------------------- protocols

PROTOS = {"all": 0, "tcp": 6, "udp": 17, "icmp": 1, "udplite": 136, "esp": 50, "ah": 51,
          "sctp": 132, "icmpv6": 58, "mh": 135}
ETC_PROTOCOLS = {"ip": 0, "hopopt": 0, "icmp": 1, "igmp": 2, "ggp": 3, "ipencap": 4, "st": 5,
                 "tcp": 6, "egp": 8, "igp": 9, "pup": 12, "udp": 17, "hmp": 20, "xns-idp": 22,
                 "rdp": 27, "iso-tp4": 29, "dccp": 33, "xtp": 36, "ddp": 37, "idpr-cmtp": 38,
                 "ipv6": 41, "ipv6-route": 43, "ipv6-frag": 44, "idrp": 45, "rsvp": 46,
                 "gre": 47, "esp": 50, "ah": 51, "skip": 57, "ipv6-icmp": 58, "ipv6-nonxt": 59,
                 "ipv6-opts": 60, "rspf": 73, "vmtp": 81, "eigrp": 88, "ospf": 89, "ax.25": 93,
                 "ipip": 94, "etherip": 97, "encap": 98, "pim": 103, "ipcomp": 108, "vrrp": 112,
                 "l2tp": 115, "isis": 124, "sctp": 132, "fc": 133, "mobility-header": 135,
                 "udplite": 136, "mpls-in-ip": 137, "manet": 138, "hip": 139, "shim6": 140,
                 "wesp": 141, "rohc": 142, "ethernet": 143}
PROTO_BY_NUM = {}
for _n, _v in ETC_PROTOCOLS.items():
    PROTO_BY_NUM.setdefault(_v, _n)


def parse_protocol(arg: str) -> int:
    """xtables_parse_protocol: a number up to 255, xtables_chain_protos, /etc/protocols."""
    name = arg.lower()
    if name.isdigit():
        num = int(name)
        if num > 255:
            raise ParamError(f'unknown protocol "{arg}" specified')
        return num
    if name in PROTOS:
        return PROTOS[name]
    if name in ETC_PROTOCOLS:
        return ETC_PROTOCOLS[name]
    raise ParamError(f'unknown protocol "{arg}" specified')


# ---------------------------------------------------------------- addresses and ports

def parse_addr(text: str) -> tuple[int, int]:
    host, slash, mask = text.partition("/")
    try:
        addr = aton(host) if host != "localhost" else 0x7F000001
    except ValueError:
        raise ParamError(f"host/network `{host}' not found")
    if not slash:
        m = 0xFFFFFFFF
    elif "." in mask:
        try:
            m = aton(mask)
        except ValueError:
            raise ParamError(f"invalid mask `{mask}' specified")
    else:
        if not mask.isdigit() or int(mask) > 32:
            raise ParamError(f"invalid mask `{mask}' specified")
        m = prefix_mask(int(mask))
    return addr & m, m


def addr_text(addr: int, mask: int, numeric: bool) -> str:
    if mask == 0 and not numeric:
        return "anywhere"
    if mask == 0xFFFFFFFF:
        if not numeric and addr == 0x7F000001:
            return "localhost"
        return ntoa(addr)
    plen = bin(mask).count("1")
    if prefix_mask(plen) == mask:
        return f"{ntoa(addr)}/{plen}"
    return f"{ntoa(addr)}/{ntoa(mask)}"


def save_addr(addr: int, mask: int) -> str:
    plen = bin(mask).count("1")
    if prefix_mask(plen) == mask:
        return f"{ntoa(addr)}/{plen}"
    return f"{ntoa(addr)}/{ntoa(mask)}"


def parse_port(text: str, proto: str) -> int:
    if text.isdigit() and int(text) <= 65535:
        return int(text)
    p = netdb.getservbyname(text, proto if proto in ("tcp", "udp") else "tcp")
    if p is None:
        raise ParamError(f"invalid port/service `{text}' specified")
    return p


def parse_port_range(text: str, proto: str) -> tuple[int, int]:
    if ":" in text:
        a, _, b = text.partition(":")
        lo = parse_port(a, proto) if a else 0
        hi = parse_port(b, proto) if b else 65535
        if lo > hi:
            lo, hi = hi, lo
        return lo, hi
    p = parse_port(text, proto)
    return p, p


def port_name(port: int, proto: str, numeric: bool) -> str:
    if not numeric:
        name = netdb.getservbyport(port, proto)
        if name:
            return name
    return str(port)


def range_text(rng) -> str:
    lo, hi = rng
    return str(lo) if lo == hi else f"{lo}:{hi}"


# ---------------------------------------------------------------- printing

def fmt_num(n: int, exact: bool, notable: bool = False) -> str:
    """xtables_print_num."""
    if exact:
        return f"{n} " if notable else f"{n:8d} "
    if n <= 99999:
        return f"{n} " if notable else f"{n:5d} "
    for suffix in "KMGT":
        n = (n + 500) // 1000
        if n <= 9999 or suffix == "T":
            return f"{n}{suffix} " if notable else f"{n:4d}{suffix} "
    return ""  # pragma: no cover


def quote(value: str) -> str:
    """xtables_save_string."""
    ok = "_-0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
    if value and all(ch in ok for ch in value):
        return " " + value
    return ' "' + "".join("\\" + ch if ch in "\"\\'" else ch for ch in value) + '"'


def bang(inv: bool) -> str:
    """The ` !` iptables-save writes before an inverted option."""
    return " !" if inv else ""


# ---------------------------------------------------------------- the extensions

def _nothing(*_args) -> str:
    return ""


def _no_check(*_args) -> None:
    return None


class XtMatch:
    """struct xtables_match: a match extension as libxt_NAME registers it.

    load(c, name) is `-m NAME`; parse(c, m, option, optarg, invert) takes one of
    `options` for the match m; final_check(m) is x6_fcheck; print(m,
    numeric, rule) writes it for -L, save(m, rule) for -S and iptables-save. A
    protocol's match (tcp, udp, icmp) also has proto_load(c, name), what `-p NAME`
    does: its options are then offered through the protocol's match, never through a
    -m copy of it (the match is implicit).
    """

    def __init__(self, name: str, options, load: Callable, parse: Callable,
                 print: Callable = _nothing, save: Callable = _nothing,
                 final_check: Callable = _no_check, proto_load: Optional[Callable] = None):
        self.name = name
        self.options = frozenset(options)
        self.load = load
        self.parse = parse
        self.print = print
        self.save = save
        self.final_check = final_check
        self.proto_load = proto_load

    @property
    def implicit(self) -> bool:
        return self.proto_load is not None


class XtTarget:
    """struct xtables_target: parse(c, option, optarg) takes one of `options` into
    c.target_opts;
    final_check(opts) is x6_fcheck; print(t, numeric) and save(t) write the options."""

    def __init__(self, name: str, options, parse: Callable, print: Callable = _nothing,
                 save: Callable = _nothing, final_check: Callable = _no_check):
        self.name = name
        self.options = frozenset(options)
        self.parse = parse
        self.print = print
        self.save = save
        self.final_check = final_check


_matches: dict[str, XtMatch] = {}
_targets: dict[str, XtTarget] = {}


_options: Optional[frozenset[str]] = None       # every extension's options, once asked


def xtables_register_match(me: XtMatch) -> None:
    global _options
    _matches[me.name] = me
    _options = None


def xtables_register_target(me: XtTarget) -> None:
    global _options
    _targets[me.name] = me
    _options = None


def xtables_find_match(name: str) -> Optional[XtMatch]:
    return _matches.get(name)


def xtables_find_target(name: str) -> Optional[XtTarget]:
    return _targets.get(name)


def extension_options() -> frozenset[str]:
    """Every registered extension's long options: the names getopt_long must not take
    as an abbreviation of one of iptables' own options."""
    global _options
    if _options is None:
        names: set[str] = set()
        for ext in list(_matches.values()) + list(_targets.values()):
            names |= ext.options
        _options = frozenset(names)
    return _options
