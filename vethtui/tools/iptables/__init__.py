"""iptables 1.8.9 (nf_tables), Debian 12: -t -A -I -D -R -F -Z -N -X -E -P -L -S and the
rule options, with its words, spacing and exit statuses.

The parser is iptables' own order of things (iptables/xshared.c do_parse): options
are read left to right, `!` inverts the option after it, a match's options exist
only once it is loaded (`-p tcp` loads tcp's implicitly, `-m NAME` the others), the
target's options only after `-j`. The rule lands in the kernel's tables
(vethtui/kernel/netfilter.py); listing and -S print it back the way the libxt_*
extensions print themselves.
"""
from __future__ import annotations

import time
from typing import Optional

from ...kernel import netfilter as xt
from ...kernel.inet import aton, ntoa, prefix_mask
from ...kernel.nf_nat import NatRange
from ...kernel.nf_reject import REJECT_CODES
from .. import services as netdb
from ..base import Proc

VERSION = "iptables v1.8.9 (nf_tables)"
TRY = "Try `iptables -h' or 'iptables --help' for more information.\n"

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

LONG_OPTS = {  # getopt_long's table (iptables/xshared.c), long name -> short letter
    "append": "A", "delete": "D", "check": "C", "insert": "I", "replace": "R", "list": "L",
    "list-rules": "S", "flush": "F", "zero": "Z", "new-chain": "N", "delete-chain": "X",
    "rename-chain": "E", "policy": "P", "source": "s", "src": "s", "destination": "d",
    "dst": "d", "protocol": "p", "in-interface": "i", "jump": "j", "table": "t", "match": "m",
    "numeric": "n", "out-interface": "o", "verbose": "v", "wait": "w", "wait-interval": "W",
    "exact": "x", "fragments": "f", "version": "V", "help": "h", "line-numbers": "0",
    "modprobe": "M", "set-counters": "c", "goto": "g", "ipv4": "4", "ipv6": "6",
}
COMMANDS = "ADCIRLSFZNXEP"
WITH_ARG = set("ADCIRNEPsdtpijmogcMwW")
OPTIONAL_ARG = set("LSFZX")


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


NO_CHAIN = "iptables: No chain/target/match by that name."


# ---------------------------------------------------------------- parsing helpers

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


def parse_states(text: str, opt: str) -> int:
    mask = 0
    names = dict(xt.CT_STATE_NAMES)
    for word in text.split(","):
        bit = names.get(word.upper()) if opt == "ctstate" else (
            names.get(word.upper()) if word.upper() in ("INVALID", "NEW", "RELATED",
                                                         "ESTABLISHED", "UNTRACKED") else None)
        if bit is None:
            raise ParamError(f'Bad {opt} "{word}"')
        mask |= bit
    return mask


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


# ---------------------------------------------------------------- the command line

class Cmd:
    def __init__(self):
        self.command = ""
        self.chain: Optional[str] = None
        self.rulenum = 0
        self.newname = ""
        self.policy = ""
        self.table = "filter"
        self.numeric = self.verbose = self.exact = self.linenum = False
        self.rule = xt.Rule()
        self.proto_name = ""
        self.has_rule_opts = False
        self.jump = ""
        self.target_opts: dict = {}
        self.loaded: list = []        # matches in order


def _next_optional(argv: list[str], i: int) -> tuple[Optional[str], int]:
    if i < len(argv) and argv[i] and argv[i][0] not in "-!":
        return argv[i], i + 1
    return None, i


def parse(argv: list[str]) -> Cmd:
    argv = list(argv)
    origins = list(argv)       # the word each option came from (for error messages)
    c = Cmd()
    rule = c.rule
    i = 1
    invert = False
    ports_match: Optional[xt.PortMatch] = None
    icmp_match: Optional[xt.IcmpMatch] = None
    current_ext = None
    while i < len(argv):
        a = argv[i]
        i += 1
        if a == "!":
            if invert:
                raise ParamError("multiple consecutive ! not allowed")
            invert = True
            continue
        if a.startswith("--"):
            name, eq, val = a[2:].partition("=")
            key = _long(name)
            if key is None:
                handled, i = _ext_option(c, name, eq and val, argv, i, invert,
                                         ports_match, icmp_match)
                if not handled:
                    raise ParamError(f'unknown option "{a}"')
                invert = False
                continue
            opt = key
            arg = val if eq else None
        elif a.startswith("-") and len(a) > 1:
            opt = a[1]
            arg = a[2:] or None
            if arg and opt not in WITH_ARG and opt not in OPTIONAL_ARG:
                argv.insert(i, "-" + arg)       # getopt's clustered flags: -nvL
                origins.insert(i, origins[i - 1])
                arg = None
            if opt not in "ADCIRLSFZNXEPsdtpijmogcMwWnvxfVh046":
                raise ParamError(f"unknown option \"{origins[i - 1]}\"")
        else:
            raise ParamError(f"Bad argument `{a}'", blank=False) from None
        if opt in WITH_ARG and arg is None:
            if i >= len(argv):
                raise ParamError(f'option "{a}" requires an argument')
            arg = argv[i]
            i += 1
        if opt in COMMANDS:
            if c.command:
                raise ParamError("Cannot use -%s with -%s" % (opt, c.command[0]), blank=True)
            c.command = opt
            if opt in OPTIONAL_ARG:
                if arg is None:
                    arg, i = _next_optional(argv, i)
                c.chain = arg
                if opt in "LS" and arg is not None:
                    num, i2 = _next_optional(argv, i)
                    if num is not None and num.isdigit():
                        c.rulenum = int(num)
                        i = i2
            else:
                c.chain = arg
                if opt == "I":
                    num, i2 = _next_optional(argv, i)
                    if num is not None and num.isdigit():
                        c.rulenum = int(num)
                        i = i2
                    else:
                        c.rulenum = 1
                elif opt in "DR":
                    num, i2 = _next_optional(argv, i)
                    if num is not None and num.isdigit():
                        c.rulenum = int(num)
                        i = i2
                    elif opt == "R":
                        raise ParamError("-R requires a rule number")
                elif opt == "E":
                    if i >= len(argv) or argv[i].startswith("-"):
                        raise ParamError("-E requires old-chain-name and new-chain-name")
                    c.newname = argv[i]
                    i += 1
                elif opt == "P":
                    if i >= len(argv):
                        raise ParamError("-P requires a chain and a policy")
                    c.policy = argv[i]
                    i += 1
            invert = False
            continue
        if opt == "t":
            if invert:
                raise ParamError("unexpected ! flag before --table")
            c.table = arg
        elif opt == "s":
            rule.src, rule.smsk = parse_addr(arg)
            if invert:
                rule.invflags |= xt.IPT_INV_SRCIP
            c.has_rule_opts = True
        elif opt == "d":
            rule.dst, rule.dmsk = parse_addr(arg)
            if invert:
                rule.invflags |= xt.IPT_INV_DSTIP
            c.has_rule_opts = True
        elif opt == "p":
            name = arg.lower()
            if name.isdigit():
                num = int(name)
                if num > 255:
                    raise ParamError(f'unknown protocol "{arg}" specified')
            elif name in PROTOS:
                num = PROTOS[name]
            elif name in ETC_PROTOCOLS:
                num = ETC_PROTOCOLS[name]
            else:
                raise ParamError(f'unknown protocol "{arg}" specified')
            rule.proto = num
            c.proto_name = {6: "tcp", 17: "udp", 1: "icmp"}.get(num, "")
            if invert:
                rule.invflags |= xt.IPT_INV_PROTO
            if num == 6 or num == 17:
                ports_match = xt.PortMatch("tcp" if num == 6 else "udp")
            elif num == 1:
                icmp_match = xt.IcmpMatch()
        elif opt == "i":
            rule.iniface = arg
            if invert:
                rule.invflags |= xt.IPT_INV_VIA_IN
        elif opt == "o":
            rule.outiface = arg
            if invert:
                rule.invflags |= xt.IPT_INV_VIA_OUT
        elif opt == "f":
            rule.fragment = True
        elif opt in "jg":
            c.jump = arg
            if opt == "g":
                c.target_opts["goto"] = True
            current_ext = arg
        elif opt == "m":
            name = arg
            if name in ("tcp", "udp"):
                if ports_match is None or ports_match.name != name:
                    ports_match = xt.PortMatch(name)
                if ports_match not in c.loaded:
                    c.loaded.append(ports_match)
            elif name == "icmp":
                icmp_match = icmp_match or xt.IcmpMatch()
                if icmp_match not in c.loaded:
                    c.loaded.append(icmp_match)
            elif name == "multiport":
                if rule.proto not in (6, 17, 132, 33, 136) or rule.invflags & xt.IPT_INV_PROTO:
                    raise ParamError("multiport needs `-p tcp', `-p udp', `-p udplite', "
                                     "`-p sctp' or `-p dccp'")
                c.loaded.append(xt.MultiportMatch("", []))
            elif name in ("conntrack", "state"):
                c.loaded.append(xt.StateMatch(name, 0))
            elif name == "comment":
                c.loaded.append(xt.CommentMatch(""))
            else:
                raise ParamError(f"Couldn't load match `{name}':No such file or directory",
                                 blank=True)
        elif opt == "n":
            c.numeric = True
        elif opt == "v":
            c.verbose = True
        elif opt == "x":
            c.exact = True
        elif opt == "0":
            c.linenum = True
        elif opt == "V":
            c.command = c.command or "V"
        elif opt == "h":
            c.command = "h"
        invert = False
        c.ports_match, c.icmp_match = ports_match, icmp_match
    c.ports_match, c.icmp_match = ports_match, icmp_match
    if invert:
        raise ParamError("unexpected end of command line after !")  # pragma: no cover
    return c


def _long(name: str) -> Optional[str]:
    if name in LONG_OPTS:
        return LONG_OPTS[name]
    hits = {v for k, v in LONG_OPTS.items() if k.startswith(name)} if name else set()
    if len(hits) == 1 and name not in EXT_OPTS:
        return hits.pop()
    return None


EXT_OPTS = {"sport", "dport", "source-port", "destination-port", "icmp-type", "sports", "syn",
            "tcp-flags",
            "dports", "ports", "source-ports", "destination-ports", "ctstate", "state",
            "comment", "reject-with", "to-destination", "to-source", "to-ports", "log-prefix",
            "log-level", "log-tcp-sequence", "log-tcp-options", "log-ip-options", "log-uid",
            "log-macdecode"}


TCP_FLAG_NAMES = [("FIN", 0x01), ("SYN", 0x02), ("RST", 0x04), ("PSH", 0x08), ("ACK", 0x10),
                  ("URG", 0x20), ("ALL", 0x3F), ("NONE", 0)]


def _tcp_flags(text: str) -> int:
    flags = 0
    names = dict(TCP_FLAG_NAMES)
    for word in text.split(","):
        if word.upper() not in names:
            raise ParamError(f"Unknown TCP flag `{word}'")
        flags |= names[word.upper()]
    return flags


def _tcpf_text(flags: int) -> str:
    """libxt_tcp's print_tcpf."""
    out = []
    while flags:
        for nm, bit in TCP_FLAG_NAMES:
            if flags & bit:
                break
        out.append(nm)
        flags &= ~bit
    return ",".join(out) or "NONE"


# libxt_LOG: level names to parse and to print, the flag options
LOG_LEVELS = {"emerg": 0, "panic": 0, "alert": 1, "crit": 2, "error": 3, "err": 3,
              "warning": 4, "warn": 4, "notice": 5, "info": 6, "debug": 7}
LOG_LEVEL_NAMES = ["emerg", "alert", "crit", "err", "warn", "notice", "info", "debug"]
LOG_OPTS = {"log-prefix": 0, "log-level": 0, "log-tcp-sequence": 0x01, "log-tcp-options": 0x02,
            "log-ip-options": 0x04, "log-uid": 0x08, "log-macdecode": 0x20}
LOG_FLAG_WORDS = [(0x01, "tcp-sequence"), (0x02, "tcp-options"), (0x04, "ip-options"),
                  (0x08, "uid"), (0x20, "macdecode")]


def _ext_option(c: Cmd, name: str, val, argv, i, invert, pm, im):
    """A loaded extension's option: (handled, next index)."""
    def arg():
        nonlocal i
        if val:
            return val
        if i >= len(argv):
            raise ParamError(f'option "--{name}" requires an argument')
        i += 1
        return argv[i - 1]

    m_last = c.loaded[-1] if c.loaded else None
    if name in ("sport", "source-port", "dport", "destination-port") and pm is not None:
        rng = parse_port_range(arg(), pm.name)
        if name in ("sport", "source-port"):
            pm.spts, pm.sinv = rng, invert
        else:
            pm.dpts, pm.dinv = rng, invert
        if pm not in c.loaded:
            c.loaded.append(pm)
        return True, i
    if name in ("syn", "tcp-flags") and pm is not None and pm.name == "tcp":
        if name == "syn":
            pm.flg_mask, pm.flg_cmp = 0x17, 0x02
        else:
            mask = _tcp_flags(arg())
            if i >= len(argv):
                raise ParamError("--tcp-flags requires two args.")
            pm.flg_mask, pm.flg_cmp = mask, _tcp_flags(argv[i])
            i += 1
        pm.flg_inv = invert
        if pm not in c.loaded:
            c.loaded.append(pm)
        return True, i
    if name == "icmp-type" and im is not None:
        text = arg()
        for nm, t, lo, hi in ICMP_TYPES:
            if nm == text:
                im.type, im.code_min, im.code_max = t, lo, hi
                break
        else:
            t, _, code = text.partition("/")
            if not t.isdigit() or int(t) > 255 or (code and not code.isdigit()):
                raise ParamError(f"Invalid ICMP type `{text}'")
            im.type = int(t)
            im.code_min, im.code_max = (int(code), int(code)) if code else (0, 255)
        im.inv = invert
        if im not in c.loaded:
            c.loaded.append(im)
        return True, i
    for m in reversed(c.loaded):
        if isinstance(m, xt.MultiportMatch) and name in ("sports", "dports", "ports",
                                                          "source-ports", "destination-ports"):
            text = arg()
            m.flags = {"source-ports": "sports", "destination-ports": "dports"}.get(name, name)
            m.ports = [parse_port_range(p, c.proto_name) for p in text.split(",")]
            m.inv = invert
            return True, i
        if isinstance(m, xt.StateMatch) and ((m.name == "conntrack" and name == "ctstate")
                                             or (m.name == "state" and name == "state")):
            m.mask = parse_states(arg(), name)
            m.inv = invert
            return True, i
        if isinstance(m, xt.CommentMatch) and name == "comment":
            m.text = arg()
            return True, i
    j = c.jump
    if j == "LOG" and name in LOG_OPTS:
        if name == "log-prefix":
            c.target_opts["prefix"] = arg()
        elif name == "log-level":
            text = arg()
            level = LOG_LEVELS.get(text.lower(), int(text) if text.isdigit() and
                                   int(text) <= 7 else None)
            if level is None:
                raise ParamError(f'log level "{text}" unknown', blank=True)
            c.target_opts["level"] = level
        else:
            c.target_opts["flags"] = c.target_opts.get("flags", 0) | LOG_OPTS[name]
        return True, i
    if (j == "REJECT" and name == "reject-with") or (j == "DNAT" and name == "to-destination") \
            or (j == "SNAT" and name == "to-source") or (j in ("MASQUERADE", "REDIRECT")
                                                          and name == "to-ports"):
        text = arg()
        if name == "reject-with":
            aliases = {"tcp-rst": "tcp-reset", "icmp-net-unreachable": "icmp-net-unreachable"}
            text = aliases.get(text, text)
            if text not in REJECT_CODES and text != "tcp-reset":
                raise ParamError(f'unknown reject type "{text}"')
            c.target_opts["with"] = text
        elif name in ("to-destination", "to-source"):
            c.target_opts["range"] = parse_nat_range(text, j)
            c.target_opts["text"] = text
        else:
            if c.rule.proto not in (6, 17, 132, 33, 136):
                raise ParamError("Need TCP, UDP, SCTP or DCCP with port specification")
            c.target_opts["range"] = parse_to_ports(text)
            c.target_opts["text"] = text
        return True, i
    del m_last
    return False, i


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


def _addr_text(addr: int, mask: int, numeric: bool) -> str:
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


def _port_name(port: int, proto: str, numeric: bool) -> str:
    if not numeric:
        name = netdb.getservbyport(port, proto)
        if name:
            return name
    return str(port)


def _ports_print(label: str, rng, inv: bool, proto: str, numeric: bool) -> str:
    lo, hi = rng
    if lo == 0 and hi == 65535 and not inv:
        return ""
    bang = "!" if inv else ""
    if lo == hi:
        return f" {label}pt:{bang}{_port_name(lo, proto, numeric)}"
    return f" {label}pts:{bang}{_port_name(lo, proto, numeric)}:{_port_name(hi, proto, numeric)}"


def _states(mask: int) -> str:
    return ",".join(n for n, b in xt.CT_STATE_NAMES if mask & b)


def match_print(m, numeric: bool, rule: xt.Rule) -> str:
    if isinstance(m, xt.PortMatch):
        out = f" {m.name}"
        if m.spts is not None:
            out += _ports_print("s", m.spts, m.sinv, m.name, numeric)
        if m.dpts is not None:
            out += _ports_print("d", m.dpts, m.dinv, m.name, numeric)
        if m.flg_mask or m.flg_inv:
            bang = "!" if m.flg_inv else ""
            if numeric:
                out += f" flags:{bang}0x{m.flg_mask:02X}/0x{m.flg_cmp:02X}"
            else:
                out += f" flags:{bang}{_tcpf_text(m.flg_mask)}/{_tcpf_text(m.flg_cmp)}"
        return out
    if isinstance(m, xt.IcmpMatch):
        if not numeric:
            for nm, t, lo, hi in ICMP_TYPES:
                if (t, lo, hi) == (m.type, m.code_min, m.code_max):
                    return f" icmp {'!' if m.inv else ''}{nm}"
        out = f" icmp{' !' if m.inv else ''}type {m.type}"
        if (m.code_min, m.code_max) != (0, 255):
            out += f" code {m.code_min}" if m.code_min == m.code_max else \
                f" codes {m.code_min}-{m.code_max}"
        return out
    if isinstance(m, xt.MultiportMatch):
        proto = {6: "tcp", 17: "udp"}.get(rule.proto, "")
        items = []
        for lo, hi in m.ports:
            s = _port_name(lo, proto, numeric)
            if hi != lo:
                s += ":" + _port_name(hi, proto, numeric)
            items.append(s)
        return f" multiport {m.flags} " + (" !" if m.inv else "") + ",".join(items)
    if isinstance(m, xt.StateMatch):
        word = "ctstate" if m.name == "conntrack" else "state"
        return (" !" if m.inv else "") + f" {word} {_states(m.mask)}"
    if isinstance(m, xt.CommentMatch):
        return f" /* {m.text} */"
    return ""


def target_print(t: xt.Target, numeric: bool = False) -> str:
    n = t.name
    if n == "LOG":
        level, flags = t.opts.get("level", 4), t.opts.get("flags", 0)
        if numeric:
            out = f" LOG flags {flags} level {level}"
        else:
            out = f" LOG level {LOG_LEVEL_NAMES[level]}"
            out += "".join(f" {w}" for bit, w in LOG_FLAG_WORDS if flags & bit)
        if t.opts.get("prefix"):
            out += f' prefix "{t.opts["prefix"]}"'
        return out
    if n == "REJECT":
        return f" reject-with {t.opts.get('with', 'icmp-port-unreachable')}"
    if n in ("DNAT", "SNAT"):
        return f" to:{t.opts['text']}"
    if n == "MASQUERADE" and "text" in t.opts:
        return f" masq ports: {t.opts['text']}"
    if n == "REDIRECT" and "text" in t.opts:
        return f" redir ports {t.opts['text']}"
    return ""


def _quote(value: str) -> str:
    """xtables_save_string."""
    ok = "_-0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
    if value and all(ch in ok for ch in value):
        return " " + value
    return ' "' + "".join("\\" + ch if ch in "\"\\'" else ch for ch in value) + '"'


def rule_save(chain: str, r: xt.Rule) -> str:
    out = f"-A {chain}"
    inv = r.invflags
    if r.smsk:
        out += (" !" if inv & xt.IPT_INV_SRCIP else "") + f" -s {_save_addr(r.src, r.smsk)}"
    if r.dmsk:
        out += (" !" if inv & xt.IPT_INV_DSTIP else "") + f" -d {_save_addr(r.dst, r.dmsk)}"
    if r.iniface:
        out += (" !" if inv & xt.IPT_INV_VIA_IN else "") + f" -i {r.iniface}"
    if r.outiface:
        out += (" !" if inv & xt.IPT_INV_VIA_OUT else "") + f" -o {r.outiface}"
    if r.proto:
        out += (" !" if inv & xt.IPT_INV_PROTO else "") + \
            f" -p {PROTO_BY_NUM.get(r.proto, str(r.proto))}"
    if r.fragment:
        out += " -f"
    for m in r.matches:
        out += match_save(m, r)
    t = r.target
    if t.name:
        out += f" -{'g' if t.goto else 'j'} {t.name}" + target_save(t)
    return out


def _save_addr(addr: int, mask: int) -> str:
    plen = bin(mask).count("1")
    if prefix_mask(plen) == mask:
        return f"{ntoa(addr)}/{plen}"
    return f"{ntoa(addr)}/{ntoa(mask)}"


def _range_text(rng) -> str:
    lo, hi = rng
    return str(lo) if lo == hi else f"{lo}:{hi}"


def match_save(m, r: xt.Rule) -> str:
    if isinstance(m, xt.PortMatch):
        out = f" -m {m.name}"
        if m.spts is not None:
            out += (" !" if m.sinv else "") + f" --sport {_range_text(m.spts)}"
        if m.dpts is not None:
            out += (" !" if m.dinv else "") + f" --dport {_range_text(m.dpts)}"
        if m.flg_mask or m.flg_inv:
            out += (" !" if m.flg_inv else "") + \
                f" --tcp-flags {_tcpf_text(m.flg_mask)} {_tcpf_text(m.flg_cmp)}"
        return out
    if isinstance(m, xt.IcmpMatch):
        if m.type == 255:
            return " -m icmp" + (" !" if m.inv else "") + " --icmp-type any"
        code = "" if (m.code_min, m.code_max) == (0, 255) else f"/{m.code_min}"
        return " -m icmp" + (" !" if m.inv else "") + f" --icmp-type {m.type}{code}"
    if isinstance(m, xt.MultiportMatch):
        return (" -m multiport" + (" !" if m.inv else "") + f" --{m.flags} "
                + ",".join(_range_text(p) for p in m.ports))
    if isinstance(m, xt.StateMatch):
        if m.name == "conntrack":
            return " -m conntrack" + (" !" if m.inv else "") + f" --ctstate {_states(m.mask)}"
        return " -m state" + (" !" if m.inv else "") + f" --state {_states(m.mask)}"
    if isinstance(m, xt.CommentMatch):
        return " -m comment --comment" + _quote(m.text)
    return ""


def target_save(t: xt.Target) -> str:
    n = t.name
    if n == "LOG":
        out = ""
        if t.opts.get("prefix"):
            out += " --log-prefix" + _quote(t.opts["prefix"])
        if t.opts.get("level", 4) != 4:
            out += f" --log-level {t.opts['level']}"
        out += "".join(f" --log-{w}" for bit, w in LOG_FLAG_WORDS if t.opts.get("flags", 0) & bit)
        return out
    if n == "REJECT":
        return f" --reject-with {t.opts.get('with', 'icmp-port-unreachable')}"
    if n == "DNAT":
        return f" --to-destination {t.opts['text']}"
    if n == "SNAT":
        return f" --to-source {t.opts['text']}"
    if n in ("MASQUERADE", "REDIRECT") and "text" in t.opts:
        return f" --to-ports {t.opts['text']}"
    return ""


def rule_line(r: xt.Rule, num: int, numeric: bool, verbose: bool, exact: bool,
              linenum: bool) -> str:
    out = ""
    if linenum:
        out += f"{num:<4d} "
    if verbose:
        out += fmt_num(r.pcnt, exact) + fmt_num(r.bcnt, exact)
    out += f"{r.target.name:<9s} "
    out += "!" if r.invflags & xt.IPT_INV_PROTO else " "
    if numeric:
        out += f"{r.proto:<5d}"
    else:
        pname = "all" if r.proto == 0 else PROTO_BY_NUM.get(r.proto)
        out += f"{pname:<5s}" if pname else f"{r.proto:<5d}"
    out += ("-f" if r.fragment else "--") + " "
    if verbose:
        anyif = "*" if numeric else "any"
        iface = ("!" if r.invflags & xt.IPT_INV_VIA_IN else "") + (r.iniface or anyif)
        out += f" {iface:<6s} "
        iface = ("!" if r.invflags & xt.IPT_INV_VIA_OUT else "") + (r.outiface or anyif)
        out += f"{iface:<6s} "
    out += "!" if r.invflags & xt.IPT_INV_SRCIP else " "
    out += f"{_addr_text(r.src, r.smsk, numeric):<19s} "
    out += "!" if r.invflags & xt.IPT_INV_DSTIP else " "
    out += f"{_addr_text(r.dst, r.dmsk, numeric):<19s} "
    if r.target.goto:
        out += "[goto] "
    for m in r.matches:
        out += match_print(m, numeric, r)
    out += target_print(r.target, numeric)
    return out


def header_line(numeric: bool, verbose: bool, exact: bool, linenum: bool) -> str:
    out = ""
    if linenum:
        out += "num  "
    if verbose:
        out += "    pkts      bytes " if exact else " pkts bytes "
    out += f"{'target':<9s} " + " prot " + "opt"
    if verbose:
        out += f" {'in':<6s} " + f"{'out':<6s} "
    out += f" {'source':<19s} " + f" {'destination':<19s} "
    return out


# ---------------------------------------------------------------- the tables as seen

class View:
    """A table as iptables sees it: the kernel's, or its built-in chains if it is absent."""

    def __init__(self, net, name: str):
        self.table = xt.xt_find_table(net, name)
        self.name = name
        if self.table is not None:
            self.chains = self.table.chains
        else:
            self.chains = {cn: xt.Chain(cn, True) for cn, _p in xt.TABLES[name]}

    def ordered(self) -> list:
        builtin = [c for c in self.chains.values() if c.builtin]
        user = sorted((c for c in self.chains.values() if not c.builtin), key=lambda c: c.name)
        return builtin + user

    def refs(self, name: str) -> int:
        return sum(1 for c in self.chains.values() for r in c.rules if r.target.name == name)


def list_chains(proc: Proc, view: View, c: Cmd) -> int:
    chains = view.ordered()
    if c.chain is not None:
        ch = view.chains.get(c.chain)
        if ch is None:
            return _incompatible(proc, c)
        chains = [ch]
        if c.rulenum:
            if c.rulenum <= len(ch.rules):
                proc.outln(rule_line(ch.rules[c.rulenum - 1], c.rulenum, c.numeric, c.verbose,
                                     c.exact, c.linenum).rstrip(" ") + _pad(
                    ch.rules[c.rulenum - 1], c))
            return 0
    first = True
    for ch in chains:
        if not first:
            proc.outln("")
        first = False
        if ch.builtin:
            if c.verbose:
                proc.outln(f"Chain {ch.name} (policy {ch.policy} "
                           f"{fmt_num(ch.pcnt, c.exact, True)}packets, "
                           f"{fmt_num(ch.bcnt, c.exact, True)}bytes)")
            else:
                proc.outln(f"Chain {ch.name} (policy {ch.policy})")
        else:
            proc.outln(f"Chain {ch.name} ({view.refs(ch.name)} references)")
        proc.outln(header_line(c.numeric, c.verbose, c.exact, c.linenum))
        for n, r in enumerate(ch.rules, 1):
            proc.outln(rule_line(r, n, c.numeric, c.verbose, c.exact, c.linenum))
    return 0


def _pad(r, c) -> str:
    line = rule_line(r, 0, c.numeric, c.verbose, c.exact, c.linenum)
    return line[len(line.rstrip(" ")):]


def _incompatible(proc: Proc, c: Cmd) -> int:
    proc.err(f"{VERSION}: chain `{c.chain}' in table `{c.table}' is incompatible, "
             f"use 'nft' tool.\n")
    return 1


def list_rules(proc: Proc, view: View, c: Cmd) -> int:
    chains = view.ordered()
    if c.chain is not None:
        ch = view.chains.get(c.chain)
        if ch is None:
            return _incompatible(proc, c)
        if c.rulenum:
            if c.rulenum <= len(ch.rules):
                proc.outln(_counted(rule_save(ch.name, ch.rules[c.rulenum - 1]),
                                    ch.rules[c.rulenum - 1], c))
            return 0
        chains = [ch]
    for ch in chains:
        if ch.builtin:
            proc.outln(f"-P {ch.name} {ch.policy}" + (
                f" -c {ch.pcnt} {ch.bcnt}" if c.verbose else ""))
        else:
            proc.outln(f"-N {ch.name}")
    for ch in chains:
        for r in ch.rules:
            proc.outln(_counted(rule_save(ch.name, r), r, c))
    return 0


def _counted(line: str, r, c: Cmd) -> str:
    """-S -v: the counters go before the target (or at the end without one)."""
    if not c.verbose:
        return line
    counters = f" -c {r.pcnt} {r.bcnt}"
    t = r.target
    if t.name:
        tail = f" -{'g' if t.goto else 'j'} {t.name}" + target_save(t)
        if line.endswith(tail):
            return line[:-len(tail)] + counters + tail
    return line + counters


# ---------------------------------------------------------------- commands

def build_rule(c: Cmd) -> xt.Rule:
    r = c.rule
    r.matches = list(c.loaded)
    for m in r.matches:
        if isinstance(m, xt.StateMatch) and not m.mask:
            raise ParamError("conntrack: At least one option is required" if m.name == "conntrack"
                             else "state: You must specify \"--state\"")
    opts = dict(c.target_opts)
    opts.pop("goto", None)
    if c.jump == "DNAT" and "range" not in opts:
        raise ParamError('DNAT: option "--to-destination" must be specified', blank=True)
    if c.jump == "SNAT" and "range" not in opts:
        raise ParamError('SNAT: option "--to-source" must be specified', blank=True)
    if c.jump:
        r.target = xt.Target(c.jump, goto=bool(c.target_opts.get("goto")), **opts)
    return r


def check_target(view: View, c: Cmd, r: xt.Rule, chain: str) -> None:
    t = r.target.name
    if not t or t in xt.BUILTIN_TARGETS:
        return
    if t not in view.chains or view.chains[t].builtin:
        raise ParamError(f"Chain '{t}' does not exist")


def kernel_check(view: View, c: Cmd, r: xt.Rule, chain: str, op: str) -> None:
    """What the kernel refuses with EINVAL (xt_check_target: wrong table or hook)."""
    t = r.target.name
    table = view.name
    ok = True
    if t in ("DNAT", "REDIRECT"):
        ok = table == "nat" and chain in ("PREROUTING", "OUTPUT") or (
            table == "nat" and not view.chains[chain].builtin)
    elif t in ("SNAT",):
        ok = table == "nat" and (chain in ("POSTROUTING", "INPUT")
                                 or not view.chains[chain].builtin)
    elif t == "MASQUERADE":
        ok = table == "nat" and (chain == "POSTROUTING" or not view.chains[chain].builtin)
    elif t == "REJECT":
        ok = chain in ("INPUT", "FORWARD", "OUTPUT") or not view.chains[chain].builtin
        if r.target.opts.get("with") == "tcp-reset" and (
                r.proto != 6 or r.invflags & xt.IPT_INV_PROTO):
            ok = False
    if not ok:
        raise KernelError(f"{VERSION}:  {op} failed (Invalid argument): rule in chain {chain}", 4)


def check_ifaces(c: Cmd, chain: str) -> None:
    r = c.rule
    if r.outiface and chain in ("INPUT", "PREROUTING"):
        raise ParamError(f"Can't use -o with {chain}", blank=True)
    if r.iniface and chain in ("OUTPUT", "POSTROUTING"):
        raise ParamError(f"Can't use -i with {chain}", blank=True)


def do_command(proc: Proc, c: Cmd) -> int:
    net = proc.net
    if c.table not in xt.TABLES:
        if c.table == "security":
            raise KernelError(f"{VERSION}: table '{c.table}' does not exist\n"
                              f"Perhaps iptables or your kernel needs to be upgraded.", 3)
        raise KernelError(f"{VERSION}: table '{c.table}' does not exist\n"
                          f"Perhaps iptables or your kernel needs to be upgraded.", 3)
    view = View(net, c.table)
    cmd = c.command
    if cmd in "LS" and not c.has_rule_opts:
        if cmd == "L":
            st = list_chains(proc, view, c)
        else:
            st = list_rules(proc, view, c)
        return st
    if cmd == "L":
        return list_chains(proc, view, c)
    if cmd == "Z" and c.chain is None:
        for ch in view.chains.values():
            ch.pcnt = ch.bcnt = 0
            if ch.builtin and view.table is not None and ch.name in view.table.used:
                ch.stats = True
            for r in ch.rules:
                r.pcnt = r.bcnt = 0
        return 0
    if cmd in "AIDRC":
        chain = c.chain
        ch = view.chains.get(chain)
        if cmd in "DR" and c.rulenum and cmd == "D":
            if ch is None:
                raise KernelError(NO_CHAIN)
            if c.rulenum > len(ch.rules):
                raise KernelError("iptables: Index of deletion too big.")
            table = xt.xt_find_table(net, c.table, create=True)
            r = table.chains[chain].rules.pop(c.rulenum - 1)
            table.rule_removed(r)
            return 0
        check_ifaces(c, chain)
        r = build_rule(c)
        if r.target.name and r.target.name not in xt.BUILTIN_TARGETS:
            if r.target.name not in view.chains:
                raise ParamError(f"Chain '{r.target.name}' does not exist")
        if ch is None:
            if cmd == "C":
                raise KernelError("iptables: Bad rule (does a matching rule exist in that "
                                  "chain?).")
            raise KernelError(NO_CHAIN)
        op = {"A": "RULE_APPEND", "I": "RULE_INSERT", "R": "RULE_REPLACE", "D": "RULE_DELETE",
              "C": "RULE_CHECK"}[cmd]
        if cmd == "C":
            if any(old.same(r) for old in ch.rules):
                return 0
            raise KernelError("iptables: Bad rule (does a matching rule exist in that chain?).")
        if cmd == "I" and c.rulenum > len(ch.rules) + 1:
            raise KernelError("iptables: Index of insertion too big.")
        if cmd == "R" and c.rulenum > len(ch.rules):
            raise KernelError("iptables: Index of replacement too big.")
        if cmd == "D":
            for idx, old in enumerate(ch.rules):
                if old.same(r):
                    table = xt.xt_find_table(net, c.table, create=True)
                    table.chains[chain].rules.pop(idx)
                    table.rule_removed(old)
                    return 0
            raise KernelError("iptables: Bad rule (does a matching rule exist in that chain?).")
        kernel_check(view, c, r, chain, op)
        table = xt.xt_find_table(net, c.table, create=True)
        table.use_chain(chain)
        rules = table.chains[chain].rules
        if cmd == "A":
            rules.append(r)
        elif cmd == "I":
            rules.insert(c.rulenum - 1, r)
        else:
            old = rules[c.rulenum - 1]
            rules[c.rulenum - 1] = r
            table.rule_removed(old)
        table.rule_added(r)
        return 0
    if cmd == "F":
        table = view.table
        if c.chain is not None and c.chain not in view.chains:
            raise KernelError(NO_CHAIN)
        if table is None:
            return 0
        for ch in table.chains.values():
            if c.chain is None or ch.name == c.chain:
                for r in ch.rules:
                    table.rule_removed(r)
                ch.rules = []
        return 0
    if cmd == "Z":
        ch = view.chains.get(c.chain)
        if ch is None:
            raise KernelError(NO_CHAIN)
        ch.pcnt = ch.bcnt = 0
        if ch.builtin and view.table is not None and ch.name in view.table.used:
            ch.stats = True
        for r in ch.rules:
            r.pcnt = r.bcnt = 0
        return 0
    if cmd == "N":
        name = c.chain
        if name in xt.BUILTIN_TARGETS or name in ("ACCEPT", "DROP", "QUEUE", "RETURN"):
            raise ParamError("chain name may not clash with target name")
        if name.startswith("-") or name.startswith("!"):
            raise ParamError(f"chain name not allowed to start with `{name[0]}'")
        if len(name) > 28:
            raise ParamError(f"chain name `{name}' too long (must be under 29 chars)")
        if name in view.chains:
            raise KernelError("iptables: Chain already exists.")
        table = xt.xt_find_table(net, c.table, create=True)
        table.chains[name] = xt.Chain(name, False)
        return 0
    if cmd == "X":
        table = view.table
        if c.chain is None:
            if table is None:
                return 0
            for ch in list(table.user_chains()):
                if table.references(ch.name) or ch.rules:
                    raise KernelError(f"{VERSION}:  CHAIN_DEL failed (Device or resource busy): "
                                      f"chain {ch.name}", 4)
                del table.chains[ch.name]
            return 0
        ch = view.chains.get(c.chain)
        if ch is None:
            raise KernelError(NO_CHAIN)
        if ch.builtin and not ch.rules:
            return 0            # an empty base chain: nft deletes it, iptables lists it anyway
        if ch.builtin or table.references(ch.name) or ch.rules:
            raise KernelError(f"{VERSION}:  CHAIN_DEL failed (Device or resource busy): "
                              f"chain {ch.name}", 4)
        del table.chains[ch.name]
        return 0
    if cmd == "E":
        ch = view.chains.get(c.chain)
        if ch is None or ch.builtin:
            raise KernelError(NO_CHAIN)
        if c.newname in view.chains:
            raise KernelError("iptables: File exists.")
        table = view.table
        new = {}
        for name, chn in table.chains.items():
            if name == c.chain:
                chn.name = c.newname
                new[c.newname] = chn
            else:
                new[name] = chn
        table.chains.clear()
        table.chains.update(new)
        for chn in table.chains.values():
            for r in chn.rules:
                if r.target.name == c.chain:
                    r.target.name = c.newname
        return 0
    if cmd == "P":
        ch = view.chains.get(c.chain)
        if ch is None or not ch.builtin:
            raise KernelError("iptables: Bad built-in chain name.")
        if c.policy not in ("ACCEPT", "DROP"):
            raise KernelError("iptables: Bad policy name. Run `dmesg' for more information.")
        table = xt.xt_find_table(net, c.table, create=True)
        table.use_chain(c.chain)
        table.chains[c.chain].policy = c.policy
        table.chains[c.chain].stats = True
        return 0
    return 0


USAGE_HEAD = "iptables v1.8.9 (nf_tables)\n\nUsage: iptables -[ACD] chain rule-specification [options]\n       iptables -I chain [rulenum] rule-specification [options]\n       iptables -R chain rulenum rule-specification [options]\n       iptables -D chain rulenum [options]\n       iptables -[LS] [chain [rulenum]] [options]\n       iptables -[FZ] [chain] [options]\n       iptables -[NX] chain\n       iptables -E old-chain-name new-chain-name\n       iptables -P chain target [options]\n       iptables -h (print this help information)\n\nCommands:\nEither long or short options are allowed.\n  --append  -A chain\t\tAppend to chain\n  --check   -C chain\t\tCheck for the existence of a rule\n  --delete  -D chain\t\tDelete matching rule from chain\n  --delete  -D chain rulenum\n\t\t\t\tDelete rule rulenum (1 = first) from chain\n  --insert  -I chain [rulenum]\n\t\t\t\tInsert in chain as rulenum (default 1=first)\n  --replace -R chain rulenum\n\t\t\t\tReplace rule rulenum (1 = first) in chain\n  --list    -L [chain [rulenum]]\n\t\t\t\tList the rules in a chain or all chains\n  --list-rules -S [chain [rulenum]]\n\t\t\t\tPrint the rules in a chain or all chains\n  --flush   -F [chain]\t\tDelete all rules in  chain or all chains\n  --zero    -Z [chain [rulenum]]\n\t\t\t\tZero counters in chain or all chains\n  --new     -N chain\t\tCreate a new user-defined chain\n  --delete-chain\n            -X [chain]\t\tDelete a user-defined chain\n  --policy  -P chain target\n\t\t\t\tChange policy on chain to target\n  --rename-chain\n            -E old-chain new-chain\n\t\t\t\tChange chain name, (moving any references)\n\nOptions:\n    --ipv4\t-4\t\tNothing (line is ignored by ip6tables-restore)\n    --ipv6\t-6\t\tError (line is ignored by iptables-restore)\n[!] --protocol\t-p proto\tprotocol: by number or name, eg. `tcp'\n[!] --source\t-s address[/mask][...]\n\t\t\t\tsource specification\n[!] --destination -d address[/mask][...]\n\t\t\t\tdestination specification\n[!] --in-interface -i input name[+]\n\t\t\t\tnetwork interface name ([+] for wildcard)\n --jump\t-j target\n\t\t\t\ttarget for rule (may load target extension)\n  --goto      -g chain\n\t\t\t       jump to chain with no return\n  --match\t-m match\n\t\t\t\textended match (may load extension)\n  --numeric\t-n\t\tnumeric output of addresses and ports\n[!] --out-interface -o output name[+]\n\t\t\t\tnetwork interface name ([+] for wildcard)\n  --table\t-t table\ttable to manipulate (default: `filter')\n  --verbose\t-v\t\tverbose mode\n  --wait\t-w [seconds]\tmaximum wait to acquire xtables lock before give up\n  --line-numbers\t\tprint line numbers when listing\n  --exact\t-x\t\texpand numbers (display exact values)\n[!] --fragment\t-f\t\tmatch second or further fragments only\n  --modprobe=<command>\t\ttry to insert modules using this command\n  --set-counters -c PKTS BYTES\tset the counter during insert/append\n[!] --version\t-V\t\tprint package version.\n"


def main(proc: Proc, argv: list[str]) -> int:
    try:
        c = parse(argv)
        if c.command == "h":
            proc.out(USAGE_HEAD)
            return 0
        if c.command == "V":
            proc.outln(VERSION)
            return 0
        if not c.command:
            raise ParamError("no command specified")
        if c.command in "LSFZNXEP" and (c.has_rule_opts or c.loaded or c.jump) and \
                c.command not in "LS":
            raise ParamError(f"Illegal option `-{_first_rule_opt(c)}' with this command")
        return do_command(proc, c)
    except ParamError as e:
        proc.err(f"{VERSION}: {e.msg}\n" + ("\n" if e.blank else "") + TRY
                 if not e.msg.startswith("Bad argument") else f"{e.msg}\n{TRY}")
        return 2
    except KernelError as e:
        proc.err(e.msg + "\n")
        return e.status


def _first_rule_opt(c: Cmd) -> str:
    r = c.rule
    if r.smsk or r.invflags & xt.IPT_INV_SRCIP:
        return "s"
    if r.dmsk:
        return "d"
    return "j" if c.jump else "p"


# ---------------------------------------------------------------- iptables-save / -restore

def _ctime(proc: Proc) -> str:
    t = time.gmtime(proc.world.epoch + proc.world.sched.now)
    return time.strftime("%a %b ", t) + f"{t.tm_mday:2d}" + time.strftime(" %H:%M:%S %Y", t)


def save_main(proc: Proc, argv: list[str]) -> int:
    counters = False
    only = None
    i = 1
    while i < len(argv):
        a = argv[i]
        if a in ("-c", "--counters"):
            counters = True
        elif a in ("-t", "--table"):
            i += 1
            if i >= len(argv):
                proc.err("iptables-save: option '-t' requires an argument\n")
                return 1
            only = argv[i]
        elif a.startswith("-t") and len(a) > 2:
            only = a[2:]
        elif a in ("-V", "--version"):
            proc.outln("iptables-save v1.8.9 (nf_tables)")
            return 0
        else:
            proc.err(f"Unknown arguments found on commandline\n")
            return 1
        i += 1
    tables = xt.xt_tables(proc.net)
    if only is not None and only not in xt.TABLES:
        proc.err(f"iptables-save v1.8.9 (nf_tables): table '{only}' does not exist\n")
        return 1
    for name in xt.TABLE_ORDER:
        if only is not None and name != only:
            continue
        table = tables.get(name)
        if table is None:
            if only is None:
                continue
            table_view = View(proc.net, name)
        else:
            table_view = View(proc.net, name)
        stamp = _ctime(proc)
        proc.outln(f"# Generated by iptables-save v1.8.9 (nf_tables) on {stamp}")
        proc.outln(f"*{name}")
        chains = table_view.ordered()
        for ch in chains:
            pol = ch.policy if ch.builtin else "-"
            proc.outln(f":{ch.name} {pol} [{ch.pcnt if ch.builtin else 0}:"
                       f"{ch.bcnt if ch.builtin else 0}]")
        for ch in chains:
            for r in ch.rules:
                line = rule_save(ch.name, r)
                proc.outln(f"[{r.pcnt}:{r.bcnt}] {line}" if counters else line)
        proc.outln("COMMIT")
        proc.outln(f"# Completed on {stamp}")
    return 0


def restore_main(proc: Proc, argv: list[str]) -> int:
    noflush = False
    counters = False
    for a in argv[1:]:
        if a in ("-n", "--noflush"):
            noflush = True
        elif a in ("-c", "--counters"):
            counters = True
        elif a in ("-V", "--version"):
            proc.outln("iptables-restore v1.8.9 (nf_tables)")
            return 0
        elif not a.startswith("-"):
            proc.err(f"iptables-restore v1.8.9 (nf_tables): Can't open {a}: "
                     f"No such file or directory\n")
            return 1
    lines = list(proc.stdin_lines)
    table = None
    pending: list = []
    for lineno, raw in enumerate(lines, 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("*"):
            table = line[1:]
            pending = []
            if table not in xt.TABLES:
                proc.err(f"iptables-restore v1.8.9 (nf_tables): iptables-restore: line {lineno} "
                         f"table name '{table}' invalid\n"
                         f"Error occurred at line: {lineno}\n"
                         f"Try `iptables-restore -h' or 'iptables-restore --help' for more "
                         f"information.\n")
                return 2
            continue
        if table is None:
            proc.err(f"iptables-restore: line {lineno} failed\n")
            return 1
        if line == "COMMIT":
            if not _restore_commit(proc, table, pending, noflush):
                proc.err(f"iptables-restore: line {lineno} failed\n")
                return 1
            table = None
            continue
        pending.append((lineno, line))
    if table is not None:
        proc.err(f"iptables-restore: COMMIT expected at line {len(lines) + 1}\n")
        return 1
    del counters
    return 0


def _restore_commit(proc: Proc, table_name: str, pending, noflush: bool) -> bool:
    import shlex
    from ..base import Proc as _P
    net = proc.net
    table = xt.xt_find_table(net, table_name, create=True)
    if not noflush:
        for ch in list(table.chains.values()):
            for r in ch.rules:
                table.rule_removed(r)
            ch.rules = []
            if not ch.builtin:
                del table.chains[ch.name]
    for _n, line in pending:
        if line.startswith(":"):
            parts = line[1:].split()
            name, pol = parts[0], parts[1] if len(parts) > 1 else "-"
            if name in table.chains and table.chains[name].builtin:
                if pol in ("ACCEPT", "DROP"):
                    table.use_chain(name)
                    table.chains[name].policy = pol
                    table.chains[name].stats = True
            elif name not in table.chains:
                table.chains[name] = xt.Chain(name, False)
    for _n, line in pending:
        if line.startswith(":"):
            continue
        try:
            words = shlex.split(line)
        except ValueError:
            return False
        if words and words[0].startswith("[") and words[0].endswith("]"):
            words = words[1:]
        sink: list = []
        sub = _P(proc.world, net, lambda k, t: sink.append(t))
        if main(sub, ["iptables", "-t", table_name] + words) != 0:
            proc.err("".join(sink))
            return False
    return True
