"""libxt_udp: `-p udp` / `-m udp`, --sport/--dport [!] a[:b]; the same PortMatch as tcp's
(xt_tcpudp) without the flags, so it loads, parses, prints and saves as libxt_tcp's
port half does."""
from __future__ import annotations

from ..xtables import XtMatch, xtables_register_match
from .libxt_tcp import PORT_OPTS, ports_load, ports_parse, ports_print, ports_proto_load, ports_save

xtables_register_match(XtMatch("udp", PORT_OPTS, load=ports_load, parse=ports_parse,
                               print=ports_print, save=ports_save, proto_load=ports_proto_load))
