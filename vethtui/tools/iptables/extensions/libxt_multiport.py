"""libxt_multiport: `-m multiport --sports|--dports|--ports [!] p[:q],...` (xt_multiport),
for the protocols with ports only."""
from __future__ import annotations

from ....kernel import netfilter as xt
from ..xtables import (ParamError, XtMatch, bang, parse_port_range, port_name, range_text,
                       xtables_register_match)

OPTS = ("sports", "dports", "ports", "source-ports", "destination-ports")


def multiport_load(c, name: str) -> None:
    rule = c.rule
    if rule.proto not in (6, 17, 132, 33, 136) or rule.invflags & xt.IPT_INV_PROTO:
        raise ParamError("multiport needs `-p tcp', `-p udp', `-p udplite', "
                         "`-p sctp' or `-p dccp'")
    c.loaded.append(xt.MultiportMatch("", []))


def multiport_parse(c, m, name: str, optarg, invert: bool) -> None:
    text = optarg()
    m.flags = {"source-ports": "sports", "destination-ports": "dports"}.get(name, name)
    m.ports = [parse_port_range(p, c.proto_name) for p in text.split(",")]
    m.inv = invert


def multiport_print(m, numeric: bool, rule) -> str:
    proto = {6: "tcp", 17: "udp"}.get(rule.proto, "")
    items = []
    for lo, hi in m.ports:
        s = port_name(lo, proto, numeric)
        if hi != lo:
            s += ":" + port_name(hi, proto, numeric)
        items.append(s)
    return f" multiport {m.flags} " + (" !" if m.inv else "") + ",".join(items)


def multiport_save(m, rule) -> str:
    return (" -m multiport" + bang(m.inv) + f" --{m.flags} "
            + ",".join(range_text(p) for p in m.ports))


xtables_register_match(XtMatch("multiport", OPTS, load=multiport_load, parse=multiport_parse,
                               print=multiport_print, save=multiport_save))
