"""libipt_icmp: `-p icmp` / `-m icmp`, --icmp-type {name | type[/code]} (xt_icmp)."""
from __future__ import annotations

from ....kernel import netfilter as xt
from ..xtables import ParamError, XtMatch, bang, xtables_register_match

ICMP_TYPES = [  # libxt_icmp's table: name, type, code min, code max
    ("any", 255, 0, 255), ("echo-reply", 0, 0, 255), ("pong", 0, 0, 255),
    ("destination-unreachable", 3, 0, 255), ("network-unreachable", 3, 0, 0),
    ("host-unreachable", 3, 1, 1), ("protocol-unreachable", 3, 2, 2),
    ("port-unreachable", 3, 3, 3), ("fragmentation-needed", 3, 4, 4),
    ("source-route-failed", 3, 5, 5), ("network-unknown", 3, 6, 6), ("host-unknown", 3, 7, 7),
    ("network-prohibited", 3, 9, 9), ("host-prohibited", 3, 10, 10),
    ("TOS-network-unreachable", 3, 11, 11), ("TOS-host-unreachable", 3, 12, 12),
    ("communication-prohibited", 3, 13, 13), ("host-precedence-violation", 3, 14, 14),
    ("precedence-cutoff", 3, 15, 15), ("source-quench", 4, 0, 255), ("redirect", 5, 0, 255),
    ("network-redirect", 5, 0, 0), ("host-redirect", 5, 1, 1),
    ("TOS-network-redirect", 5, 2, 2), ("TOS-host-redirect", 5, 3, 3),
    ("echo-request", 8, 0, 255), ("ping", 8, 0, 255), ("router-advertisement", 9, 0, 255),
    ("router-solicitation", 10, 0, 255), ("time-exceeded", 11, 0, 255),
    ("ttl-exceeded", 11, 0, 255), ("ttl-zero-during-transit", 11, 0, 0),
    ("ttl-zero-during-reassembly", 11, 1, 1), ("parameter-problem", 12, 0, 255),
    ("ip-header-bad", 12, 0, 0), ("required-option-missing", 12, 1, 1),
    ("timestamp-request", 13, 0, 255), ("timestamp-reply", 14, 0, 255),
    ("address-mask-request", 17, 0, 255), ("address-mask-reply", 18, 0, 255),
]


def icmp_load(c, name: str) -> None:
    """-m icmp: the protocol's match if -p icmp made one."""
    c.icmp_match = c.icmp_match or xt.IcmpMatch()
    if c.icmp_match not in c.loaded:
        c.loaded.append(c.icmp_match)


def icmp_proto_load(c, name: str) -> None:
    """-p icmp."""
    c.icmp_match = xt.IcmpMatch()


def icmp_parse(c, m, name: str, optarg, invert: bool) -> None:
    text = optarg()
    for nm, t, lo, hi in ICMP_TYPES:
        if nm == text:
            m.type, m.code_min, m.code_max = t, lo, hi
            break
    else:
        t, _, code = text.partition("/")
        if not t.isdigit() or int(t) > 255 or (code and not code.isdigit()):
            raise ParamError(f"Invalid ICMP type `{text}'")
        m.type = int(t)
        m.code_min, m.code_max = (int(code), int(code)) if code else (0, 255)
    m.inv = invert
    if m not in c.loaded:
        c.loaded.append(m)


def icmp_print(m, numeric: bool, rule) -> str:
    if not numeric:
        for nm, t, lo, hi in ICMP_TYPES:
            if (t, lo, hi) == (m.type, m.code_min, m.code_max):
                return f" icmp {'!' if m.inv else ''}{nm}"
    out = f" icmp{' !' if m.inv else ''}type {m.type}"
    if (m.code_min, m.code_max) != (0, 255):
        out += f" code {m.code_min}" if m.code_min == m.code_max else \
            f" codes {m.code_min}-{m.code_max}"
    return out


def icmp_save(m, rule) -> str:
    if m.type == 255:
        return " -m icmp" + bang(m.inv) + " --icmp-type any"
    code = "" if (m.code_min, m.code_max) == (0, 255) else f"/{m.code_min}"
    return " -m icmp" + bang(m.inv) + f" --icmp-type {m.type}{code}"


xtables_register_match(XtMatch("icmp", ("icmp-type",), load=icmp_load, parse=icmp_parse,
                               print=icmp_print, save=icmp_save, proto_load=icmp_proto_load))
