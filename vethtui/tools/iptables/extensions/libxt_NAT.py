"""libxt_NAT (iptables 1.8.9 merged the four here): `-j DNAT --to-destination`,
`-j SNAT --to-source`, `-j MASQUERADE [--to-ports]`, `-j REDIRECT [--to-ports]`."""
from __future__ import annotations

from ....kernel.inet import aton
from ....kernel.nf_nat import NatRange
from ..xtables import ParamError, XtTarget, xtables_register_target


def parse_nat_range(text: str, what: str) -> NatRange:
    ip_part, colon, ports = text.partition(":")
    lo_ip, _, hi_ip = ip_part.partition("-")
    try:
        lo = aton(lo_ip)
        hi = aton(hi_ip) if hi_ip else lo
    except ValueError:
        raise ParamError(f"Bad IP address \"{ip_part}\"")
    rng = NatRange(lo, hi)
    if colon:
        a, _, b = ports.partition("-")
        if not a.isdigit() or (b and not b.isdigit()) or int(a) > 65535 or (
                b and int(b) > 65535):
            raise ParamError(f"Port `{ports}' not valid")
        rng.min_proto = int(a)
        rng.max_proto = int(b) if b else int(a)
        rng.has_proto = True
    return rng


def parse_to_ports(text: str) -> NatRange:
    a, _, b = text.partition("-")
    if not a.isdigit() or (b and not b.isdigit()):
        raise ParamError(f"Port \"{text}\" not valid")
    return NatRange(0, 0, int(a), int(b) if b else int(a), has_ip=False, has_proto=True)


def nat_parse(c, name: str, optarg) -> None:
    """--to-destination / --to-source ADDR[-ADDR][:PORT[-PORT]]."""
    text = optarg()
    c.target_opts["range"] = parse_nat_range(text, c.jump)
    c.target_opts["text"] = text


def to_ports_parse(c, name: str, optarg) -> None:
    """--to-ports PORT[-PORT], for the protocols with ports only."""
    text = optarg()
    if c.rule.proto not in (6, 17, 132, 33, 136):
        raise ParamError("Need TCP, UDP, SCTP or DCCP with port specification")
    c.target_opts["range"] = parse_to_ports(text)
    c.target_opts["text"] = text


def _required(target: str, option: str):
    def final_check(opts: dict) -> None:
        if "range" not in opts:
            raise ParamError(f'{target}: option "--{option}" must be specified', blank=True)
    return final_check


xtables_register_target(XtTarget(
    "DNAT", ("to-destination",), parse=nat_parse, final_check=_required("DNAT", "to-destination"),
    print=lambda t, numeric: f" to:{t.opts['text']}",
    save=lambda t: f" --to-destination {t.opts['text']}"))
xtables_register_target(XtTarget(
    "SNAT", ("to-source",), parse=nat_parse, final_check=_required("SNAT", "to-source"),
    print=lambda t, numeric: f" to:{t.opts['text']}",
    save=lambda t: f" --to-source {t.opts['text']}"))
xtables_register_target(XtTarget(
    "MASQUERADE", ("to-ports",), parse=to_ports_parse,
    print=lambda t, numeric: f" masq ports: {t.opts['text']}" if "text" in t.opts else "",
    save=lambda t: f" --to-ports {t.opts['text']}" if "text" in t.opts else ""))
xtables_register_target(XtTarget(
    "REDIRECT", ("to-ports",), parse=to_ports_parse,
    print=lambda t, numeric: f" redir ports {t.opts['text']}" if "text" in t.opts else "",
    save=lambda t: f" --to-ports {t.opts['text']}" if "text" in t.opts else ""))
