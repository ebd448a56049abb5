"""libxt_tcp: `-p tcp` / `-m tcp`, --sport/--dport [!] a[:b], --syn, --tcp-flags MASK COMP
(the kernel's xt_tcpudp; udp shares the ports, see libxt_udp)."""
from __future__ import annotations

from ....kernel import netfilter as xt
from ..xtables import (ParamError, XtMatch, bang, parse_port_range, port_name, range_text,
                       xtables_register_match)

PORT_OPTS = ("sport", "source-port", "dport", "destination-port")

TCP_FLAG_NAMES = [("FIN", 0x01), ("SYN", 0x02), ("RST", 0x04), ("PSH", 0x08), ("ACK", 0x10),
                  ("URG", 0x20), ("ALL", 0x3F), ("NONE", 0)]


def ports_load(c, name: str) -> None:
    """-m tcp|udp: the protocol's match if -p loaded this one, else a new one."""
    if c.ports_match is None or c.ports_match.name != name:
        c.ports_match = xt.PortMatch(name)
    if c.ports_match not in c.loaded:
        c.loaded.append(c.ports_match)


def ports_proto_load(c, name: str) -> None:
    """-p tcp|udp."""
    c.ports_match = xt.PortMatch(name)


def ports_parse(c, m, name: str, optarg, invert: bool) -> None:
    rng = parse_port_range(optarg(), m.name)
    if name in ("sport", "source-port"):
        m.spts, m.sinv = rng, invert
    else:
        m.dpts, m.dinv = rng, invert
    if m not in c.loaded:
        c.loaded.append(m)


def _tcp_flags(text: str) -> int:
    flags = 0
    names = dict(TCP_FLAG_NAMES)
    for word in text.split(","):
        if word.upper() not in names:
            raise ParamError(f"Unknown TCP flag `{word}'")
        flags |= names[word.upper()]
    return flags


def tcpf_text(flags: int) -> str:
    """libxt_tcp's print_tcpf."""
    out = []
    while flags:
        for nm, bit in TCP_FLAG_NAMES:
            if flags & bit:
                break
        out.append(nm)
        flags &= ~bit
    return ",".join(out) or "NONE"


def tcp_parse(c, m, name: str, optarg, invert: bool) -> None:
    if name in PORT_OPTS:
        ports_parse(c, m, name, optarg, invert)
        return
    if name == "syn":
        m.flg_mask, m.flg_cmp = 0x17, 0x02
    else:
        mask = _tcp_flags(optarg())
        comp = optarg.extra()
        if comp is None:
            raise ParamError("--tcp-flags requires two args.")
        m.flg_mask, m.flg_cmp = mask, _tcp_flags(comp)
    m.flg_inv = invert
    if m not in c.loaded:
        c.loaded.append(m)


def _ports_print(label: str, rng, inv: bool, proto: str, numeric: bool) -> str:
    lo, hi = rng
    if lo == 0 and hi == 65535 and not inv:
        return ""
    mark = "!" if inv else ""
    if lo == hi:
        return f" {label}pt:{mark}{port_name(lo, proto, numeric)}"
    return f" {label}pts:{mark}{port_name(lo, proto, numeric)}:{port_name(hi, proto, numeric)}"


def ports_print(m, numeric: bool, rule) -> str:
    out = f" {m.name}"
    if m.spts is not None:
        out += _ports_print("s", m.spts, m.sinv, m.name, numeric)
    if m.dpts is not None:
        out += _ports_print("d", m.dpts, m.dinv, m.name, numeric)
    if m.flg_mask or m.flg_inv:
        mark = "!" if m.flg_inv else ""
        if numeric:
            out += f" flags:{mark}0x{m.flg_mask:02X}/0x{m.flg_cmp:02X}"
        else:
            out += f" flags:{mark}{tcpf_text(m.flg_mask)}/{tcpf_text(m.flg_cmp)}"
    return out


def ports_save(m, rule) -> str:
    out = f" -m {m.name}"
    if m.spts is not None:
        out += bang(m.sinv) + f" --sport {range_text(m.spts)}"
    if m.dpts is not None:
        out += bang(m.dinv) + f" --dport {range_text(m.dpts)}"
    if m.flg_mask or m.flg_inv:
        out += bang(m.flg_inv) + f" --tcp-flags {tcpf_text(m.flg_mask)} {tcpf_text(m.flg_cmp)}"
    return out


xtables_register_match(XtMatch("tcp", PORT_OPTS + ("syn", "tcp-flags"), load=ports_load,
                               parse=tcp_parse, print=ports_print, save=ports_save,
                               proto_load=ports_proto_load))
