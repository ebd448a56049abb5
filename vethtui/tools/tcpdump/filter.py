"""pcap-filter(7) as libpcap 1.10 compiles it: a lexer and parser shaped like
libpcap's scanner.l and grammar.y, and predicates instead of BPF code.

(Over 600 lines, on purpose for now: this is one compiler, scanner, grammar and
code generator sharing the generator's state and qualifier rules, as libpcap's
scanner.l, grammar.y and gencode.c (10,000 lines) do. The split that would read
best is the same as libpcap's: lexer, parser, gencode; not done yet.)

What is covered: the protocol names (ether/link, ip, ip6, arp, rarp, icmp, icmp6,
tcp, udp, sctp, igmp, pim, vrrp, ah, esp ...); host/net/port/portrange/proto/
gateway with src/dst/"src or dst"/"src and dst" and a protocol qualifier;
HID/len and HID mask M networks; ether host/src/dst MAC; broadcast/multicast;
less/greater; inbound/outbound; ifindex; loads (`ether[0] & 1 != 0`,
`ip[2:2] > 100`, `icmp[icmptype] == icmp-echo`) with arithmetic; and, or, not,
&&, ||, !, parentheses, and libpcap's qualifier inheritance
(`host a or b` means `host a or host b`). `and` and `or` have the same
precedence and group left to right, as in pcap-filter(7).

Errors carry libpcap's words, the first one found wins (as bpf_set_error does):
"can't parse filter expression: syntax error", "invalid IPv4 address '300.1.1.1'",
"non-network bits set in \"10.0.0.1/24\"", "unknown host 'x'",
"ethernet addresses supported only on ethernet/FDDI/token ring/802.11/ATM LANE/
Fibre Channel" (ether host on `-i any`), "expression rejects all packets"
(`arp and icmp`, which libpcap's optimizer proves can never match) ...

The compiled filter is a `Filter`: call it with a CaptureEvent (or a pcap
`Packet`) and it says whether tcpdump would keep the frame. Offsets are those of
the link type the filter was compiled for: Ethernet (EN10MB) for one device, Linux
cooked v2 (SLL2, the 20-byte header) for `-i any`, so `ether[...]`, `len` and
`less`/`greater` see what the real filter sees.
"""
from __future__ import annotations

import re
from typing import Callable, Iterable, Optional, Union

DLT_EN10MB = 1
DLT_LINUX_SLL = 113
DLT_LINUX_SLL2 = 276

SYNTAX = "can't parse filter expression: syntax error"
SYNTAX_IN_FILTER = "syntax error in filter expression"


class FilterError(Exception):
    """A filter libpcap would refuse; str() is its message, without "tcpdump: "."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class _Reject(Exception):
    """A load past the end of the packet: BPF returns 0 for the whole program."""


# ---------------------------------------------------------------- the lexer

_KEYWORDS: dict[str, str] = {}
for _names, _tok in [
    ("dst", "DST"), ("src", "SRC"),
    ("link ether ppp slip fddi tr wlan", "LINK"),
    ("arp", "ARP"), ("rarp", "RARP"), ("ip", "IP"), ("sctp", "SCTP"), ("tcp", "TCP"),
    ("udp", "UDP"), ("icmp", "ICMP"), ("igmp", "IGMP"), ("igrp", "IGRP"), ("pim", "PIM"),
    ("vrrp", "VRRP"), ("carp", "CARP"), ("radio", "RADIO"), ("ip6", "IPV6"),
    ("icmp6", "ICMPV6"), ("ah", "AH"), ("esp", "ESP"), ("atalk", "ATALK"), ("aarp", "AARP"),
    ("decnet", "DECNET"), ("lat", "LAT"), ("sca", "SCA"), ("moprc", "MOPRC"),
    ("mopdl", "MOPDL"), ("iso", "ISO"), ("esis es-is", "ESIS"), ("isis is-is", "ISIS"),
    ("l1", "L1"), ("l2", "L2"), ("iih", "IIH"), ("lsp", "LSP"), ("snp", "SNP"),
    ("csnp", "CSNP"), ("psnp", "PSNP"), ("clnp", "CLNP"), ("stp", "STP"), ("ipx", "IPX"),
    ("netbeui", "NETBEUI"), ("host", "HOST"), ("net", "NET"), ("mask", "NETMASK"),
    ("port", "PORT"), ("portrange", "PORTRANGE"), ("proto", "PROTO"),
    ("protochain", "PROTOCHAIN"), ("gateway", "GATEWAY"), ("type", "TYPE"),
    ("subtype", "SUBTYPE"), ("direction dir", "DIR"), ("address1 addr1", "ADDR1"),
    ("address2 addr2", "ADDR2"), ("address3 addr3", "ADDR3"), ("address4 addr4", "ADDR4"),
    ("ra", "RA"), ("ta", "TA"), ("less", "LESS"), ("greater", "GREATER"), ("byte", "CBYTE"),
    ("broadcast", "TK_BROADCAST"), ("multicast", "TK_MULTICAST"), ("and", "AND"),
    ("or", "OR"), ("not", "!"), ("len length", "LEN"), ("inbound", "INBOUND"),
    ("outbound", "OUTBOUND"), ("ifindex", "IFINDEX"), ("vlan", "VLAN"), ("mpls", "MPLS"),
    ("pppoed", "PPPOED"), ("pppoes", "PPPOES"), ("geneve", "GENEVE"), ("lane", "LANE"),
    ("llc", "LLC"), ("metac", "METAC"), ("bcc", "BCC"), ("oam", "OAM"), ("oamf4", "OAMF4"),
    ("oamf4ec", "OAMF4EC"), ("oamf4sc", "OAMF4SC"), ("sc", "SC"), ("ilmic", "ILMIC"),
    ("vpi", "VPI"), ("vci", "VCI"), ("connectmsg", "CONNECTMSG"),
    ("metaconnect", "METACONNECT"), ("on ifname", "PF_IFNAME"), ("rset ruleset", "PF_RSET"),
    ("rnr rulenum", "PF_RNR"), ("srnr subrulenum", "PF_SRNR"), ("reason", "PF_REASON"),
    ("action", "PF_ACTION"), ("fisu", "FISU"), ("lssu lsu", "LSSU"), ("msu", "MSU"),
    ("hfisu", "HFISU"), ("hlssu", "HLSSU"), ("hmsu", "HMSU"), ("sio", "SIO"), ("opc", "OPC"),
    ("dpc", "DPC"), ("sls", "SLS"), ("hsio", "HSIO"), ("hopc", "HOPC"), ("hdpc", "HDPC"),
    ("hsls", "HSLS"),
]:
    for _n in _names.split():
        _KEYWORDS[_n] = _tok

# Named numbers (scanner.l returns them as NUM).
_NAMED_NUMS = {
    "icmptype": 0, "icmpcode": 1, "icmp-echoreply": 0, "icmp-unreach": 3,
    "icmp-sourcequench": 4, "icmp-redirect": 5, "icmp-echo": 8, "icmp-routeradvert": 9,
    "icmp-routersolicit": 10, "icmp-timxceed": 11, "icmp-paramprob": 12, "icmp-tstamp": 13,
    "icmp-tstampreply": 14, "icmp-ireq": 15, "icmp-ireqreply": 16, "icmp-maskreq": 17,
    "icmp-maskreply": 18, "icmp6type": 0, "icmp6code": 1,
    "icmp6-destinationunreach": 1, "icmp6-packettoobig": 2, "icmp6-timeexceeded": 3,
    "icmp6-parameterproblem": 4, "icmp6-echo": 128, "icmp6-echoreply": 129,
    "icmp6-multicastlistenerquery": 130, "icmp6-multicastlistenerreportv1": 131,
    "icmp6-multicastlistenerdone": 132, "icmp6-routersolicit": 133,
    "icmp6-routeradvert": 134, "icmp6-neighborsolicit": 135, "icmp6-neighboradvert": 136,
    "icmp6-redirect": 137, "icmp6-routerrenum": 138, "icmp6-nodeinformationquery": 139,
    "icmp6-nodeinformationresponse": 140, "icmp6-ineighbordiscoverysolicit": 141,
    "icmp6-ineighbordiscoveryadvert": 142, "icmp6-multicastlistenerreportv2": 143,
    "icmp6-homeagentdiscoveryrequest": 144, "icmp6-homeagentdiscoveryreply": 145,
    "icmp6-mobileprefixsolicit": 146, "icmp6-mobileprefixadvert": 147,
    "icmp6-certpathsolicit": 148, "icmp6-certpathadvert": 149,
    "icmp6-multicastrouteradvert": 151, "icmp6-multicastroutersolicit": 152,
    "icmp6-multicastrouterterm": 153, "tcpflags": 13, "tcp-fin": 0x01, "tcp-syn": 0x02,
    "tcp-rst": 0x04, "tcp-push": 0x08, "tcp-ack": 0x10, "tcp-urg": 0x20, "tcp-ece": 0x40,
    "tcp-cwr": 0x80,
}

_N = r"(?:0[xX][0-9A-Fa-f]+|[0-9]+)"
_B = r"[0-9A-Fa-f][0-9A-Fa-f]?"
_B2 = r"[0-9A-Fa-f]{4}"
_W = r"[0-9A-Fa-f]{1,4}"
_V4 = rf"{_N}\.{_N}\.{_N}\.{_N}"


def _v6_alternatives() -> list[str]:
    alts = [":".join([_W] * 8)]
    for total in (7, 6, 5, 4, 3, 2, 1, 0):         # explicit groups around one "::"
        for left in range(total + 1):
            right = total - left
            alts.append(":".join([_W] * left) + "::" + ":".join([_W] * right))
    alts.append(":".join([_W] * 6) + ":" + _V4)
    for total in (5, 4, 3, 2, 1, 0):
        for left in range(total + 1):
            right = total - left
            r = (":".join([_W] * right) + ":") if right else ""
            alts.append(":".join([_W] * left) + "::" + r + _V4)
    return alts


# (token kind, alternatives); the longest match wins, ties go to the earlier rule.
_RULES: list[tuple[str, list[re.Pattern]]] = []


def _rule(kind: str, *alts: str) -> None:
    _RULES.append((kind, [re.compile(a) for a in alts]))


_rule("OP2", r">=|<=|!=|==|<<|>>|&&|\|\|")
_rule("CHAR", r"[+\-*/%:\[\]!<>()&|^=]")
_rule("AID", rf"\${_B}")
_rule("EID", rf"{_B}:{_B}:{_B}:{_B}:{_B}:{_B}", rf"{_B}-{_B}-{_B}-{_B}-{_B}-{_B}",
      rf"{_B}\.{_B}\.{_B}\.{_B}\.{_B}\.{_B}", rf"{_B2}\.{_B2}\.{_B2}", rf"(?:{_B2}){{3}}")
_rule("NUM", _N)
_rule("HID", rf"{_N}\.{_N}\.{_N}\.{_N}", rf"{_N}\.{_N}\.{_N}", rf"{_N}\.{_N}")
_rule("HID6", *_v6_alternatives())
_rule("BOGUS_EID", rf"{_B}:+(?:{_B}:+)+")
_rule("ID", r"[A-Za-z0-9](?:[-_.A-Za-z0-9]*[.A-Za-z0-9])?")
_rule("ESC_ID", r"\\[^ !()\n\t]+")

_OP2 = {">=": "GEQ", "<=": "LEQ", "!=": "NEQ", "==": "=", "<<": "LSH", ">>": "RSH",
        "&&": "AND", "||": "OR"}


class Tok:
    __slots__ = ("kind", "text", "value", "error")

    def __init__(self, kind: str, text: str, value=None, error: Optional[str] = None):
        self.kind = kind
        self.text = text
        self.value = value
        self.error = error

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return f"Tok({self.kind}, {self.text!r})"


def _stou(text: str) -> tuple[Optional[int], Optional[str]]:
    """scanner.l's stou(): decimal, 0x hex or 0 octal, 32 bits."""
    if text[0] == "0" and len(text) > 1 and text[1] in "xX":
        n = int(text[2:], 16)
    elif text[0] == "0" and len(text) > 1:
        if any(c in "89" for c in text[1:]):
            return None, f"number {text} contains non-octal digit"
        n = int(text, 8)
    else:
        n = int(text)
    if n > 0xFFFFFFFF:
        return None, f"number {text} overflows 32 bits"
    return n, None


def tokenize(text: str) -> list[Tok]:
    toks: list[Tok] = []
    pos = 0
    n = len(text)
    while pos < n:
        if text[pos] in " \r\n\t":
            pos += 1
            continue
        best_len = 0
        best_kind = ""
        # keywords and named numbers are listed before ID in scanner.l
        m = re.compile(r"[A-Za-z0-9][-_.A-Za-z0-9]*").match(text, pos)
        word = m.group(0) if m else ""
        for kind, alts in _RULES:
            if kind == "ID":
                for w in range(len(word), 0, -1):        # keywords/named numbers first
                    cand = word[:w]
                    if cand in _KEYWORDS or cand in _NAMED_NUMS:
                        if w > best_len:
                            best_len, best_kind = w, "KW"
                        break
            for rx in alts:
                mm = rx.match(text, pos)
                if mm and mm.end() - pos > best_len:
                    best_len, best_kind = mm.end() - pos, kind
        if best_len == 0:
            toks.append(Tok("LEX_ERROR", text[pos]))
            pos += 1
            continue
        s = text[pos:pos + best_len]
        pos += best_len
        if best_kind == "KW" or (best_kind == "ID" and (s in _KEYWORDS or s in _NAMED_NUMS)):
            if s in _NAMED_NUMS:
                toks.append(Tok("NUM", s, _NAMED_NUMS[s]))
            else:
                toks.append(Tok(_KEYWORDS[s], s))
        elif best_kind == "OP2":
            toks.append(Tok(_OP2[s], s))
        elif best_kind == "CHAR":
            toks.append(Tok(s, s))
        elif best_kind == "NUM":
            v, err = _stou(s)
            toks.append(Tok("LEX_ERROR", s, error=err) if err else Tok("NUM", s, v))
        elif best_kind == "BOGUS_EID":
            toks.append(Tok("EID", s, error=f"bogus ethernet address {s}"))
        elif best_kind == "ESC_ID":
            toks.append(Tok("ID", s, s[1:]))
        elif best_kind in ("ID", "HID", "HID6", "EID", "AID"):
            toks.append(Tok(best_kind, s, s))
        else:  # pragma: no cover
            toks.append(Tok("LEX_ERROR", s))
    toks.append(Tok("EOF", ""))
    return toks


# ---------------------------------------------------------------- qualifiers

Q_DEFAULT, Q_UNDEF = 0, -1
# address qualifiers
Q_HOST, Q_NET, Q_PORT, Q_GATEWAY, Q_PROTO, Q_PROTOCHAIN, Q_PORTRANGE = range(1, 8)
# directions
Q_SRC, Q_DST, Q_OR, Q_AND, Q_ADDR1, Q_ADDR2, Q_ADDR3, Q_ADDR4, Q_RA, Q_TA = range(1, 11)

PNAMES = {"LINK", "IP", "ARP", "RARP", "SCTP", "TCP", "UDP", "ICMP", "IGMP", "IGRP", "PIM",
          "VRRP", "CARP", "ATALK", "AARP", "DECNET", "LAT", "SCA", "MOPDL", "MOPRC", "IPV6",
          "ICMPV6", "AH", "ESP", "ISO", "ESIS", "ISIS", "L1", "L2", "IIH", "LSP", "SNP",
          "PSNP", "CSNP", "CLNP", "STP", "IPX", "NETBEUI", "RADIO"}
DQUALS = {"SRC": Q_SRC, "DST": Q_DST, "ADDR1": Q_ADDR1, "ADDR2": Q_ADDR2, "ADDR3": Q_ADDR3,
          "ADDR4": Q_ADDR4, "RA": Q_RA, "TA": Q_TA}
AQUALS = {"HOST": Q_HOST, "NET": Q_NET, "PORT": Q_PORT, "PORTRANGE": Q_PORTRANGE}
_PNAME_TEXT = {"LINK": "link", "IP": "ip", "ARP": "arp", "RARP": "rarp", "SCTP": "sctp",
               "TCP": "tcp", "UDP": "udp", "ICMP": "icmp", "IGMP": "igmp", "IGRP": "igrp",
               "PIM": "pim", "VRRP": "vrrp", "CARP": "carp", "IPV6": "ip6", "ICMPV6": "icmp6",
               "AH": "ah", "ESP": "esp", "ESIS": "esis", "ISIS": "isis", "CLNP": "clnp",
               "STP": "stp", "NETBEUI": "netbeui", "L1": "l1", "L2": "l2", "IIH": "iih",
               "SNP": "snp", "CSNP": "csnp", "PSNP": "psnp", "LSP": "lsp", "RADIO": "radio"}


class Qual:
    __slots__ = ("proto", "dir", "addr")

    def __init__(self, proto, dir_: int, addr: int):
        self.proto = proto      # a pname token kind ("IP", "LINK", ...) or Q_DEFAULT/Q_UNDEF
        self.dir = dir_
        self.addr = addr


QERR = Qual(Q_UNDEF, Q_UNDEF, Q_UNDEF)

ETHERTYPE_IP, ETHERTYPE_ARP, ETHERTYPE_REVARP = 0x0800, 0x0806, 0x8035
ETHERTYPE_IPV6 = 0x86DD
ETHERTYPES_BY_PNAME = {"IP": 0x0800, "ARP": 0x0806, "RARP": 0x8035, "IPV6": 0x86DD,
                       "ATALK": 0x809B, "AARP": 0x80F3, "DECNET": 0x6003, "LAT": 0x6004,
                       "SCA": 0x6007, "MOPDL": 0x6001, "MOPRC": 0x6002}
EPROTO_DB = {"aarp": 0x80F3, "arp": 0x0806, "atalk": 0x809B, "decnet": 0x6003, "ip": 0x0800,
             "ip6": 0x86DD, "lat": 0x6004, "loopback": 0x9000, "mopdl": 0x6001,
             "moprc": 0x6002, "rarp": 0x8035, "sca": 0x6007}
# /etc/protocols, the names a learner may try
IP_PROTOS = {"ip": 0, "hopopt": 0, "icmp": 1, "igmp": 2, "ggp": 3, "ipencap": 4, "st": 5,
             "tcp": 6, "egp": 8, "igp": 9, "pup": 12, "udp": 17, "hmp": 20, "xns-idp": 22,
             "rdp": 27, "iso-tp4": 29, "dccp": 33, "xtp": 36, "ddp": 37, "idpr-cmtp": 38,
             "ipv6": 41, "ipv6-route": 43, "ipv6-frag": 44, "idrp": 45, "rsvp": 46, "gre": 47,
             "esp": 50, "ah": 51, "skip": 57, "ipv6-icmp": 58, "ipv6-nonxt": 59,
             "ipv6-opts": 60, "rspf": 73, "vmtp": 81, "eigrp": 88, "ospf": 89, "ax.25": 93,
             "ipip": 94, "etherip": 97, "encap": 98, "pim": 103, "ipcomp": 108, "vrrp": 112,
             "l2tp": 115, "isis": 124, "sctp": 132, "fc": 133, "mobility-header": 135,
             "udplite": 136, "mpls-in-ip": 137, "manet": 138, "hip": 139, "shim6": 140,
             "wesp": 141, "rohc": 142, "ethernet": 143}
# /etc/services: name -> (port, protocols it is listed for)
SERVICES = {"ftp-data": (20, {6}), "ftp": (21, {6}), "ssh": (22, {6}), "telnet": (23, {6}),
            "smtp": (25, {6}), "domain": (53, {6, 17}), "bootps": (67, {17}),
            "bootpc": (68, {17}), "tftp": (69, {17}), "http": (80, {6}), "www": (80, {6}),
            "pop3": (110, {6}), "ntp": (123, {17}), "imap": (143, {6}), "imap2": (143, {6}),
            "snmp": (161, {6, 17}), "bgp": (179, {6}), "https": (443, {6, 17}),
            "syslog": (514, {17}), "submission": (587, {6}), "ldap": (389, {6}),
            "openvpn": (1194, {6, 17}), "mysql": (3306, {6}), "isakmp": (500, {17}),
            "rip": (520, {17}), "router": (520, {17}), "dhcpv6-client": (546, {6, 17}),
            "dhcpv6-server": (547, {6, 17}), "http-alt": (8080, {6})}
HOSTS = {"localhost": ["127.0.0.1"]}                   # /etc/hosts
NETWORKS = {"loopback": 0x7F000000, "link-local": 0xA9FE0000}   # /etc/networks


def pcap_atoin(s: str) -> tuple[int, int]:
    addr = 0
    length = 0
    for part in s.split("."):
        n, err = _stou(part) if part else (None, "x")
        if n is None or n > 255:
            return 0, -1
        addr = (addr << 8) | n
        length += 8
    return addr, length


# ---------------------------------------------------------------- predicates
#
# A block is a function `f(p) -> bool`, p being a _Pkt (the link-layer bytes as
# the filter sees them, and whether the frame is outgoing). An arithmetic value is
# a pair (value function, guard block or None): libpcap ANDs the guard (the
# protocol test that makes the load meaningful) into every relation using it.

class _Pkt:
    __slots__ = ("d", "out", "ifindex", "userland")

    def __init__(self, d: bytes, out: bool, ifindex: int = 0, userland: bool = False):
        self.d = d
        self.out = out
        self.ifindex = ifindex
        self.userland = userland


def _meta(p: _Pkt, value):
    """A load of the kernel's packet metadata (SKF_AD_PKTTYPE, SKF_AD_IFINDEX): only
    the kernel can do it; libpcap's user-space BPF sees an out-of-range load."""
    if p.userland:
        raise _Reject()
    return value


def _ld(d: bytes, off: int, size: int) -> int:
    if off < 0 or off + size > len(d):
        raise _Reject()
    if size == 1:
        return d[off]
    return int.from_bytes(d[off:off + size], "big")


class Block:
    """A predicate plus what libpcap's optimizer could know about it (see _facts)."""

    __slots__ = ("f", "facts")

    def __init__(self, f: Callable, facts: Optional[list] = None):
        self.f = f
        self.facts = facts if facts is not None else [{}]


def _and(a: Block, b: Block) -> Block:
    fa, fb = a.f, b.f
    return Block(lambda p: fa(p) and fb(p), _facts_and(a.facts, b.facts))


def _or(a: Block, b: Block) -> Block:
    fa, fb = a.f, b.f
    return Block(lambda p: fa(p) or fb(p), _facts_or(a.facts, b.facts))


def _not(a: Block) -> Block:
    fa = a.f
    facts: list = [{}]
    if len(a.facts) == 1 and len(a.facts[0]) == 1:
        (k, v), = a.facts[0].items()
        if isinstance(v, int):
            facts = [{k: frozenset((v,))}]
        elif len(v) == 1:
            facts = [{k: next(iter(v))}]
    elif not a.facts:
        facts = [{}]
    return Block(lambda p: not fa(p), facts)


TRUE = Block(lambda p: True)

# "facts": a small disjunction of conjunctions about a few fields, each field
# either equal to a value or outside a set ({"lt": 0x800, "ip9": 1},
# {"lt": frozenset({0x806})}): enough to see what libpcap's optimizer sees in
# `arp and icmp`, `icmp and tcp` or `arp and not arp` (no packet can have two link
# types or two IP protocols) and refuse them as it does.


def _merge(x: dict, y: dict) -> Optional[dict]:
    out = dict(x)
    for k, v in y.items():
        if k not in out:
            out[k] = v
            continue
        u = out[k]
        if isinstance(u, int) and isinstance(v, int):
            if u != v:
                return None
        elif isinstance(u, int):
            if u in v:
                return None
        elif isinstance(v, int):
            if v in u:
                return None
            out[k] = v
        else:
            out[k] = u | v
    return out


def _facts_and(a: list, b: list) -> list:
    out = []
    for x in a:
        for y in b:
            m = _merge(x, y)
            if m is not None:
                out.append(m)
    return out if len(out) <= 64 else [{}]


def _facts_or(a: list, b: list) -> list:
    out = a + b
    return out if len(out) <= 64 else [{}]


class Filter:
    """A compiled filter: `flt(ev)` is True if tcpdump would keep the frame."""

    def __init__(self, text: str, linktype: int, block: Optional[Block]):
        self.text = text
        self.linktype = linktype
        self._f = block.f if block is not None else None
        # the filter loads kernel metadata (inbound/outbound, ifindex on a device):
        # libpcap's user-space pass over the first block rejects every packet it
        # evaluates that on
        self.kernel_metadata = False

    @property
    def matches_all(self) -> bool:
        return self._f is None

    def match_bytes(self, data: bytes, outgoing: bool = False, ifindex: int = 0,
                    userland: bool = False) -> bool:
        """Match link-layer bytes of this filter's link type (a pcap record's data).
        `userland`: evaluate as libpcap's user-space BPF would (no kernel metadata)."""
        if self._f is None:
            return True
        try:
            return bool(self._f(_Pkt(data, outgoing, ifindex, userland)))
        except _Reject:
            return False

    def __call__(self, ev, userland: bool = False) -> bool:
        if self._f is None:
            return True
        lt = getattr(ev, "linktype", "ether")
        if isinstance(lt, int):                      # a pcap.Packet
            data = ev.data
        elif self.linktype == DLT_LINUX_SLL2:
            from .pcap import sll2_bytes
            data = sll2_bytes(ev)
        else:
            data = ev.data
        return self.match_bytes(data, getattr(ev, "direction", "") == "Out",
                                getattr(ev, "ifindex", 0) or 0, userland)


# ---------------------------------------------------------------- the compiler

class _Compiler:
    def __init__(self, toks: list[Tok], linktype: int, netmask: Optional[int],
                 savefile: bool):
        self.t = toks
        self.i = 0
        self.linktype = linktype
        self.netmask = netmask
        self.savefile = savefile
        self.kernel_metadata = False
        if linktype == DLT_LINUX_SLL2:
            self.off_lt, self.off_nl = 0, 20
        elif linktype == DLT_LINUX_SLL:
            self.off_lt, self.off_nl = 14, 16
        else:
            self.off_lt, self.off_nl = 12, 14

    # -- token access ------------------------------------------------------------
    def peek(self, k: int = 0) -> Tok:
        j = min(self.i + k, len(self.t) - 1)
        tok = self.t[j]
        if tok.kind == "LEX_ERROR":
            raise FilterError(tok.error or SYNTAX)
        if tok.kind == "EID" and tok.error:
            raise FilterError(tok.error)
        return tok

    def kind(self, k: int = 0) -> str:
        return self.peek(k).kind

    def take(self) -> Tok:
        tok = self.peek()
        if tok.kind == "EOF":
            raise FilterError(SYNTAX)
        self.i += 1
        return tok

    def expect(self, kind: str) -> Tok:
        if self.kind() != kind:
            raise FilterError(SYNTAX)
        return self.take()

    # -- grammar -------------------------------------------------------------------
    def prog(self) -> Optional[Block]:
        if self.kind() == "EOF":
            return None
        b, _ = self.expr(QERR)
        if self.kind() != "EOF":
            raise FilterError(SYNTAX)
        return b

    def expr(self, ctx: Qual) -> tuple[Block, Qual]:
        b, q = self.term(ctx)
        while self.kind() in ("AND", "OR"):
            op = self.take().kind
            if self._starts_id():
                rb, rq = self.id_(q)
            else:
                rb, rq = self.term(q)
            b = _and(b, rb) if op == "AND" else _or(b, rb)
            q = rq
        return b, q

    def _starts_id(self) -> bool:
        k = 0
        while True:
            kind = self.kind(k)
            if kind == "!":
                k += 1
                continue
            if kind == "(":
                nxt = self.kind(k + 1)
                return nxt in ("ID", "HID", "HID6", "EID", "AID") or (
                    nxt == "NUM" and self.kind(k + 2) in (")", "AND", "OR"))
            if kind in ("ID", "HID", "HID6", "EID", "AID"):
                return True
            if kind == "NUM":
                return self.kind(k + 1) in ("AND", "OR", "EOF", ")")
            return False

    def id_(self, q: Qual) -> tuple[Block, Qual]:
        kind = self.kind()
        if kind == "!":
            self.take()
            b, q2 = self.id_(q)
            return _not(b), q2
        if kind == "(":
            self.take()
            b, q2 = self.pid(q)
            self.expect(")")
            return b, q2
        if kind == "NUM":
            return self.gen_ncode(None, self.take().value, q), q
        return self.nid(q), q

    def pid(self, q: Qual) -> tuple[Block, Qual]:
        if self.kind() == "NUM":
            b = self.gen_ncode(None, self.take().value, q)
        elif self.kind() == "(":
            self.take()
            b, _ = self.pid(q)
            self.expect(")")
        else:
            b = self.nid(q)
        while self.kind() in ("AND", "OR"):
            op = self.take().kind
            rb, _ = self.id_(q)
            b = _and(b, rb) if op == "AND" else _or(b, rb)
        return b, q

    def nid(self, q: Qual) -> Block:
        tok = self.peek()
        if tok.kind == "!":
            self.take()
            return _not(self.nid(q))
        if tok.kind == "ID":
            self.take()
            return self.gen_scode(tok.value, q)
        if tok.kind == "HID":
            self.take()
            if self.kind() == "/":
                self.take()
                n = self.expect("NUM").value
                return self.gen_mcode(tok.value, None, n, q)
            if self.kind() == "NETMASK":
                self.take()
                m = self.expect("HID").value
                return self.gen_mcode(tok.value, m, 0, q)
            for addr, word in ((Q_PORT, "port"), (Q_PORTRANGE, "portrange"),
                               (Q_PROTO, "proto"), (Q_PROTOCHAIN, "protochain")):
                if q.addr == addr:
                    raise FilterError(f"'{word}' modifier applied to ip host")
            return self.gen_ncode(tok.value, 0, q)
        if tok.kind == "HID6":
            self.take()
            if self.kind() == "/":
                self.take()
                n = self.expect("NUM").value
                return self.gen_mcode6(tok.value, n, q)
            return self.gen_mcode6(tok.value, 128, q)
        if tok.kind == "EID":
            self.take()
            return self.gen_ecode(tok.value, q)
        if tok.kind == "AID":
            self.take()
            raise FilterError("aid supported only on ARCnet")
        raise FilterError(SYNTAX)

    def term(self, ctx: Qual) -> tuple[Block, Qual]:
        if self.kind() == "!":
            self.take()
            b, q = self.term(ctx)
            return _not(b), q
        return self.rterm(ctx)

    def rterm(self, ctx: Qual) -> tuple[Block, Qual]:
        kind = self.kind()
        if kind == "(":
            if self._paren_is_arith():
                return self.relation(), QERR
            self.take()
            b, _ = self.expr(ctx)
            self.expect(")")
            return b, ctx
        if kind in PNAMES:
            nxt = self.kind(1)
            if nxt == "[":
                return self.relation(), QERR
            if nxt in ("TK_BROADCAST", "TK_MULTICAST"):
                self.take()
                return self.other_cast(kind), QERR
            if nxt in DQUALS or nxt in AQUALS or nxt in ("PROTO", "PROTOCHAIN", "GATEWAY"):
                self.take()
                q = self.head(kind)
                b, _ = self.id_(q)
                return b, q
            if nxt not in ("AND", "OR", ")", "EOF"):
                raise FilterError(SYNTAX)
            self.take()
            return self.gen_proto_abbrev(kind), QERR
        if kind in DQUALS or kind in AQUALS or kind in ("PROTO", "PROTOCHAIN", "GATEWAY"):
            q = self.head(Q_DEFAULT)
            b, _ = self.id_(q)
            return b, q
        if kind in ("TK_BROADCAST", "TK_MULTICAST"):
            return self.other_cast(Q_DEFAULT), QERR
        if kind in ("LESS", "GREATER"):
            self.take()
            n = self.expect("NUM").value
            if kind == "LESS":
                return Block(lambda p: len(p.d) <= n), QERR
            return Block(lambda p: len(p.d) >= n), QERR
        if kind in ("INBOUND", "OUTBOUND"):
            self.take()
            return self.gen_inbound(kind == "OUTBOUND"), QERR
        if kind == "IFINDEX":
            self.take()
            n = self.expect("NUM").value
            if self.linktype != DLT_LINUX_SLL2:
                if self.savefile:
                    raise FilterError("ifindex not supported on "
                                      f"{_dlt_desc(self.linktype)} when reading savefiles")
                self.kernel_metadata = True
                return Block(lambda p: _meta(p, p.ifindex) == n), QERR
            return Block(lambda p: _ld(p.d, 4, 4) == n), QERR
        if kind in ("VLAN", "MPLS", "PPPOES", "GENEVE"):
            self.take()
            if kind == "VLAN" and self.linktype != DLT_EN10MB:
                raise FilterError(f"no VLAN support for {_dlt_desc(self.linktype)}")
            if self.kind() == "NUM":
                self.take()
            et = {"VLAN": (0x8100, 0x88A8, 0x9100), "MPLS": (0x8847,),
                  "PPPOES": (0x8864,), "GENEVE": ()}[kind]
            o = self.off_lt
            return Block(lambda p: _ld(p.d, o, 2) in et), QERR
        if kind == "PPPOED":
            self.take()
            return self.gen_linktype(0x8863), QERR
        if kind in ("LEN", "NUM", "-"):
            return self.relation(), QERR
        raise FilterError(SYNTAX)

    def _paren_is_arith(self) -> bool:
        """`(ip[0] & 0xf) > 5` is arithmetic, `(arp or icmp)` an expression."""
        depth = 0
        k = 0
        while True:
            kind = self.kind(k)
            if kind == "EOF":
                return False
            if kind == "(":
                depth += 1
            elif kind == ")":
                depth -= 1
                if depth == 0:
                    return self.kind(k + 1) in (">", "<", "=", "GEQ", "LEQ", "NEQ", "+", "-",
                                                "*", "/", "%", "&", "|", "^", "LSH", "RSH")
            k += 1

    def head(self, pqual) -> Qual:
        kind = self.kind()
        d = Q_DEFAULT
        if kind in DQUALS:
            self.take()
            d = DQUALS[kind]
            if kind in ("SRC", "DST") and self.kind() in ("OR", "AND") and \
                    self.kind(1) == ("DST" if kind == "SRC" else "SRC"):
                d = Q_OR if self.take().kind == "OR" else Q_AND
                self.take()
            kind = self.kind()
            if kind in AQUALS:
                self.take()
                return Qual(pqual, d, AQUALS[kind])
            return Qual(pqual, d, Q_DEFAULT)
        if kind in AQUALS:
            self.take()
            return Qual(pqual, Q_DEFAULT, AQUALS[kind])
        if kind == "PROTO":
            self.take()
            return Qual(pqual, Q_DEFAULT, Q_PROTO)
        if kind == "PROTOCHAIN":
            self.take()
            return Qual(pqual, Q_DEFAULT, Q_PROTOCHAIN)
        if kind == "GATEWAY":
            self.take()
            return Qual(pqual, Q_DEFAULT, Q_GATEWAY)
        raise FilterError(SYNTAX)

    # -- arithmetic and relations ------------------------------------------------------
    def relation(self) -> Block:
        a = self.arth()
        op = self.kind()
        if op not in (">", "GEQ", "=", "LEQ", "<", "NEQ"):
            raise FilterError(SYNTAX)
        self.take()
        b = self.arth()
        (fa, ga), (fb, gb) = a, b
        cmp = {">": lambda x, y: x > y, "GEQ": lambda x, y: x >= y, "=": lambda x, y: x == y,
               "LEQ": lambda x, y: x <= y, "<": lambda x, y: x < y,
               "NEQ": lambda x, y: x != y}[op]
        rel = Block(lambda p: cmp(fa(p), fb(p)))
        facts = None
        if op == "=" and ga is not None and getattr(fa, "_field", None) and \
                getattr(fb, "_const", None) is not None:
            facts = [{fa._field: fb._const}]
        if facts:
            rel.facts = facts
        guard = ga if gb is None else (gb if ga is None else _and(ga, gb))
        if guard is not None:
            return _and(guard, rel)
        return rel

    _PREC = {"|": 1, "^": 1, "&": 2, "LSH": 3, "RSH": 3, "+": 4, "-": 4, "*": 5, "/": 5, "%": 5}

    def arth(self, min_prec: int = 1):
        left = self.arth_atom()
        while self.kind() in self._PREC and self._PREC[self.kind()] >= min_prec:
            op = self.take().kind
            right = self.arth(self._PREC[op] + 1)
            left = self._arith(op, left, right)
        return left

    def _arith(self, op: str, a, b):
        (fa, ga), (fb, gb) = a, b
        if op in ("/", "%") and getattr(fb, "_const", None) == 0:
            raise FilterError("division by zero" if op == "/" else "modulus by zero")

        def div(x, y):
            if y == 0:
                raise _Reject()
            return x // y

        def mod(x, y):
            if y == 0:
                raise _Reject()
            return x % y
        fn = {"+": lambda x, y: (x + y) & 0xFFFFFFFF, "-": lambda x, y: (x - y) & 0xFFFFFFFF,
              "*": lambda x, y: (x * y) & 0xFFFFFFFF, "/": div, "%": mod,
              "&": lambda x, y: x & y, "|": lambda x, y: x | y, "^": lambda x, y: x ^ y,
              "LSH": lambda x, y: (x << y) & 0xFFFFFFFF if y < 32 else 0,
              "RSH": lambda x, y: x >> y if y < 32 else 0}[op]
        guard = ga if gb is None else (gb if ga is None else _and(ga, gb))
        return (lambda p: fn(fa(p), fb(p))), guard

    def arth_atom(self):
        kind = self.kind()
        if kind == "NUM":
            v = self.take().value
            f = (lambda p: v)
            f._const = v
            return f, None
        if kind == "LEN":
            self.take()
            return (lambda p: len(p.d)), None
        if kind == "-":
            self.take()
            fa, ga = self.arth_atom()
            return (lambda p: (-fa(p)) & 0xFFFFFFFF), ga
        if kind == "(":
            self.take()
            a = self.arth()
            self.expect(")")
            return a
        if kind in PNAMES:
            proto = self.take().kind
            self.expect("[")
            idx = self.arth()
            size = 1
            if self.kind() == ":":
                self.take()
                size = self.expect("NUM").value
            self.expect("]")
            return self.gen_load(proto, idx, size)
        raise FilterError(SYNTAX)

    def gen_load(self, proto: str, idx, size: int):
        if size not in (1, 2, 4):
            raise FilterError("data size must be 1, 2, or 4")
        fi, gi = idx
        const = getattr(fi, "_const", None)
        nl = self.off_nl
        guard: Optional[Block] = None
        if proto == "LINK":
            f = lambda p: _ld(p.d, fi(p), size)
            if const is not None and const == self.off_lt and size == 2:
                f._field = "lt"
        elif proto in ("IP", "ARP", "RARP", "IPV6", "ATALK", "DECNET", "SCA", "LAT",
                       "MOPRC", "MOPDL"):
            f = lambda p: _ld(p.d, nl + fi(p), size)
            guard = self.gen_proto_abbrev(proto)
            if proto == "IP" and const == 9 and size == 1:
                f._field = "ip9"
        elif proto in ("SCTP", "TCP", "UDP", "ICMP", "IGMP", "IGRP", "PIM", "VRRP", "CARP"):
            f = lambda p: _ld(p.d, nl + (_ld(p.d, nl, 1) & 0xF) * 4 + fi(p), size)
            guard = _and(self.gen_proto_abbrev(proto), self.gen_ipfrag())
        elif proto == "ICMPV6":
            f = lambda p: _ld(p.d, nl + 40 + fi(p), size)
            guard = self.gen_proto_abbrev(proto)
        elif proto == "RADIO":
            raise FilterError("radio information not present in capture")
        else:
            raise FilterError("unsupported index operation")
        if gi is not None:
            guard = gi if guard is None else _and(guard, gi)
        return f, guard

    # -- code generation (gencode.c) ---------------------------------------------------
    def gen_linktype(self, et: int) -> Block:
        o = self.off_lt
        return Block(lambda p: _ld(p.d, o, 2) == et, [{"lt": et}])

    def gen_ipfrag(self) -> Block:
        nl = self.off_nl
        return Block(lambda p: (_ld(p.d, nl + 6, 2) & 0x1FFF) == 0)

    def gen_cmp_nl(self, off: int, size: int, v: int, field: Optional[str] = None) -> Block:
        nl = self.off_nl
        return Block(lambda p: _ld(p.d, nl + off, size) == v,
                     [{field: v}] if field else None)

    def gen_proto(self, v: int, proto, dir_: int) -> Block:
        if dir_ != Q_DEFAULT:
            raise FilterError("direction applied to 'proto'")
        if proto == Q_DEFAULT:
            return _or(self.gen_proto(v, "IP", dir_), self.gen_proto(v, "IPV6", dir_))
        if proto == "LINK":
            return self.gen_linktype(v)
        if proto == "IP":
            return _and(self.gen_linktype(ETHERTYPE_IP), self.gen_cmp_nl(9, 1, v, "ip9"))
        if proto == "IPV6":
            b1 = _or(self.gen_cmp_nl(6, 1, v, "ip6nh"),
                     _and(self.gen_cmp_nl(6, 1, 44, "ip6nh"), self.gen_cmp_nl(40, 1, v)))
            return _and(self.gen_linktype(ETHERTYPE_IPV6), b1)
        if proto in ("ARP", "RARP", "LAT", "SCA", "MOPRC", "MOPDL"):
            name = {"ARP": "arp", "RARP": "rarp"}.get(proto, proto)
            raise FilterError(f"{name} does not encapsulate another protocol")
        if proto in ("ATALK", "DECNET"):
            raise FilterError({"ATALK": "AppleTalk", "DECNET": "DECNET"}[proto] +
                              " encapsulation is not specifiable")
        raise FilterError(f"'{_PNAME_TEXT.get(proto, proto.lower())} proto' is bogus")

    def gen_proto_abbrev(self, proto: str) -> Block:
        if proto in ("SCTP", "TCP", "UDP", "PIM", "AH", "ESP"):
            n = {"SCTP": 132, "TCP": 6, "UDP": 17, "PIM": 103, "AH": 51, "ESP": 50}[proto]
            return self.gen_proto(n, Q_DEFAULT, Q_DEFAULT)
        if proto in ("ICMP", "IGMP", "IGRP", "VRRP", "CARP"):
            n = {"ICMP": 1, "IGMP": 2, "IGRP": 9, "VRRP": 112, "CARP": 112}[proto]
            return self.gen_proto(n, "IP", Q_DEFAULT)
        if proto in ETHERTYPES_BY_PNAME:
            return self.gen_linktype(ETHERTYPES_BY_PNAME[proto])
        if proto == "ICMPV6":
            return self.gen_proto(58, "IPV6", Q_DEFAULT)
        if proto == "LINK":
            raise FilterError("link layer applied in wrong context")
        if proto == "RADIO":
            raise FilterError("'radio' is not a valid protocol type")
        # ISO, STP, IPX, NETBEUI ...: 802.2 frames, never seen in the lab
        return Block(lambda p: False)

    def gen_hostop(self, addr: int, mask: int, dir_: int, et: int, src: int, dst: int) -> Block:
        nl = self.off_nl

        def at(off):
            return lambda p: (_ld(p.d, nl + off, 4) & mask) == addr
        if dir_ == Q_SRC:
            f = at(src)
        elif dir_ == Q_DST:
            f = at(dst)
        elif dir_ == Q_AND:
            s, t = at(src), at(dst)
            f = lambda p: s(p) and t(p)
        elif dir_ in (Q_DEFAULT, Q_OR):
            s, t = at(src), at(dst)
            f = lambda p: s(p) or t(p)
        else:
            raise FilterError(_addr_qual_error(dir_, "ip"))
        return _and(self.gen_linktype(et), Block(f))

    def gen_host(self, addr: int, mask: int, proto, dir_: int, typ: int) -> Block:
        typestr = "net" if typ == Q_NET else "host"
        if proto == Q_DEFAULT:
            b0 = self.gen_host(addr, mask, "IP", dir_, typ)
            b1 = self.gen_host(addr, mask, "ARP", dir_, typ)
            b2 = self.gen_host(addr, mask, "RARP", dir_, typ)
            return _or(_or(b0, b1), b2)
        if proto == "LINK":
            raise FilterError(f"link-layer modifier applied to {typestr}")
        if proto == "IP":
            return self.gen_hostop(addr, mask, dir_, ETHERTYPE_IP, 12, 16)
        if proto == "ARP":
            return self.gen_hostop(addr, mask, dir_, ETHERTYPE_ARP, 14, 24)
        if proto == "RARP":
            return self.gen_hostop(addr, mask, dir_, ETHERTYPE_REVARP, 14, 24)
        if proto == "IPV6":
            raise FilterError("'ip6' modifier applied to ip host")
        special = {"ATALK": "AppleTalk", "LAT": "LAT", "SCA": "SCA", "MOPRC": "MOPRC",
                   "MOPDL": "MOPDL", "AARP": "AARP", "ISO": "ISO", "IPX": "IPX"}
        if proto in special:
            raise FilterError(f"{special[proto]} host filtering not implemented")
        if proto == "DECNET":
            return Block(lambda p: False)
        raise FilterError(f"'{_PNAME_TEXT.get(proto, proto.lower())}' modifier applied to {typestr}")

    def gen_ncode(self, s: Optional[str], v: int, q: Qual) -> Block:
        if s is None:
            vlen = 32
        else:
            v, vlen = pcap_atoin(s)
            if vlen < 0:
                raise FilterError(f"invalid IPv4 address '{s}'")
        if q.addr in (Q_DEFAULT, Q_HOST, Q_NET):
            if q.proto == "DECNET":
                return Block(lambda p: False)
            if q.proto == "LINK":
                raise FilterError("illegal link layer address")
            mask = 0xFFFFFFFF
            if s is None and q.addr == Q_NET:
                while v and (v & 0xFF000000) == 0:
                    v = (v << 8) & 0xFFFFFFFF
                    mask = (mask << 8) & 0xFFFFFFFF
            else:
                v = (v << (32 - vlen)) & 0xFFFFFFFF
                mask = (mask << (32 - vlen)) & 0xFFFFFFFF
            return self.gen_host(v, mask, q.proto, q.dir, q.addr)
        if q.addr in (Q_PORT, Q_PORTRANGE):
            word = "port" if q.addr == Q_PORT else "portrange"
            protos = {Q_DEFAULT: None, "UDP": 17, "TCP": 6, "SCTP": 132}
            if q.proto not in protos:
                raise FilterError(f"illegal qualifier of '{word}'")
            if v > 65535:
                raise FilterError(f"illegal port number {v} > 65535")
            return self.gen_port(v, v, protos[q.proto], q.dir)
        if q.addr == Q_GATEWAY:
            raise FilterError("'gateway' requires a name")
        if q.addr == Q_PROTO:
            return self.gen_proto(v, q.proto, q.dir)
        if q.addr == Q_PROTOCHAIN:
            return self.gen_proto(v, q.proto if q.proto != Q_DEFAULT else Q_DEFAULT, Q_DEFAULT)
        raise FilterError(SYNTAX_IN_FILTER)

    def gen_mcode(self, s1: str, s2: Optional[str], masklen: int, q: Qual) -> Block:
        n, nlen = pcap_atoin(s1)
        if nlen < 0:
            raise FilterError(f"invalid IPv4 address '{s1}'")
        n = (n << (32 - nlen)) & 0xFFFFFFFF
        if s2 is not None:
            m, mlen = pcap_atoin(s2)
            if mlen < 0:
                raise FilterError(f"invalid IPv4 address '{s2}'")
            m = (m << (32 - mlen)) & 0xFFFFFFFF
            if n & ~m & 0xFFFFFFFF:
                raise FilterError(f'non-network bits set in "{s1} mask {s2}"')
        else:
            if masklen > 32:
                raise FilterError("mask length must be <= 32")
            m = 0 if masklen == 0 else (0xFFFFFFFF << (32 - masklen)) & 0xFFFFFFFF
            if n & ~m & 0xFFFFFFFF:
                raise FilterError(f'non-network bits set in "{s1}/{masklen}"')
        if q.addr != Q_NET:
            raise FilterError("Mask syntax for networks only")
        return self.gen_host(n, m, q.proto, q.dir, q.addr)

    def gen_mcode6(self, s: str, masklen: int, q: Qual) -> Block:
        import ipaddress
        try:
            addr = int(ipaddress.IPv6Address(s))
        except ValueError:
            raise FilterError(f"bogus IPv6 address {s}")
        if masklen > 128:
            raise FilterError("mask length must be <= 128")
        mask = ((1 << 128) - 1) ^ ((1 << (128 - masklen)) - 1)
        if addr & ~mask & ((1 << 128) - 1):
            raise FilterError(f'non-network bits set in "{s}/{masklen}"' if masklen != 128
                              else f'non-network bits set in "{s}"')
        if q.addr not in (Q_DEFAULT, Q_HOST, Q_NET):
            raise FilterError("invalid qualifier against IPv6 address")
        if masklen != 128 and q.addr == Q_HOST:
            raise FilterError("Mask syntax for networks only")
        return self.gen_host6(addr, mask, q.proto, q.dir, q.addr)

    def gen_host6(self, addr: int, mask: int, proto, dir_: int, typ: int) -> Block:
        if proto not in (Q_DEFAULT, "IPV6"):
            typestr = "net" if typ == Q_NET else "host"
            if proto == "IP":
                raise FilterError(f"'ip' modifier applied to ip6 {typestr}")
            raise FilterError(f"'{_PNAME_TEXT.get(proto, str(proto).lower())}' modifier "
                              f"applied to ip6 {typestr}")
        nl = self.off_nl

        def at(off):
            return lambda p: (_ld(p.d, nl + off, 16) & mask) == addr
        if dir_ == Q_SRC:
            f = at(8)
        elif dir_ == Q_DST:
            f = at(24)
        elif dir_ == Q_AND:
            s, t = at(8), at(24)
            f = lambda p: s(p) and t(p)
        else:
            s, t = at(8), at(24)
            f = lambda p: s(p) or t(p)
        return _and(self.gen_linktype(ETHERTYPE_IPV6), Block(f))

    def gen_ehostop(self, mac: bytes, dir_: int) -> Block:
        if dir_ == Q_SRC:
            f = lambda p: _ld(p.d, 6, 6) == int.from_bytes(mac, "big")
        elif dir_ == Q_DST:
            f = lambda p: _ld(p.d, 0, 6) == int.from_bytes(mac, "big")
        elif dir_ == Q_AND:
            f = lambda p: (_ld(p.d, 6, 6) == int.from_bytes(mac, "big") and
                           _ld(p.d, 0, 6) == int.from_bytes(mac, "big"))
        elif dir_ in (Q_DEFAULT, Q_OR):
            f = lambda p: (_ld(p.d, 6, 6) == int.from_bytes(mac, "big") or
                           _ld(p.d, 0, 6) == int.from_bytes(mac, "big"))
        else:
            raise FilterError(_addr_qual_error(dir_, "ethernet"))
        return Block(f)

    def gen_ecode(self, s: str, q: Qual) -> Block:
        if q.addr in (Q_HOST, Q_DEFAULT) and q.proto == "LINK":
            if self.linktype != DLT_EN10MB:
                raise FilterError("ethernet addresses supported only on ethernet/FDDI/token "
                                  "ring/802.11/ATM LANE/Fibre Channel")
            return self.gen_ehostop(_ether_aton(s), q.dir)
        raise FilterError("ethernet address used in non-ether expression")

    def gen_scode(self, name: str, q: Qual) -> Block:
        """gencode.c's gen_scode: a name under its qualifiers. Over 80 lines as
        libpcap's is: one case per address kind (net, host, ether, port, portrange,
        proto, gateway), each short."""
        if q.addr == Q_NET:
            addr = NETWORKS.get(name, 0)
            if addr == 0:
                raise FilterError(f"unknown network '{name}'")
            mask = 0xFFFFFFFF
            while addr and (addr & 0xFF000000) == 0:
                addr = (addr << 8) & 0xFFFFFFFF
                mask = (mask << 8) & 0xFFFFFFFF
            return self.gen_host(addr, mask, q.proto, q.dir, q.addr)
        if q.addr in (Q_DEFAULT, Q_HOST):
            if q.proto == "LINK":
                if self.linktype != DLT_EN10MB:
                    raise FilterError("only ethernet/FDDI/token ring/802.11/ATM LANE/Fibre "
                                      "Channel supports link-level host name")
                raise FilterError(f"unknown ether host '{name}'")
            if q.proto == "DECNET":
                raise FilterError(f"decnet name support not included, '{name}' cannot be "
                                  "translated\n")
            addrs = HOSTS.get(name)
            if addrs is None:
                raise FilterError(f"unknown host '{name}'")
            import ipaddress
            b = None
            for a in addrs:
                ip = ipaddress.ip_address(a)
                if ip.version == 4:
                    if q.proto == "IPV6":
                        continue
                    tmp = self.gen_host(int(ip), 0xFFFFFFFF, q.proto, q.dir, q.addr)
                else:
                    if q.proto == "IP":
                        continue
                    tmp = self.gen_host6(int(ip), (1 << 128) - 1, q.proto, q.dir, q.addr)
                b = tmp if b is None else _or(b, tmp)
            if b is None:
                raise FilterError(f"unknown host '{name}'" +
                                  ("" if q.proto == Q_DEFAULT else
                                   " for specified address family"))
            return b
        if q.addr in (Q_PORT, Q_PORTRANGE):
            word = "port" if q.addr == Q_PORT else "portrange"
            if q.proto not in (Q_DEFAULT, "UDP", "TCP", "SCTP"):
                raise FilterError(f"illegal qualifier of '{word}'")
            lo = hi = None
            real: Optional[int] = None
            if q.addr == Q_PORTRANGE and "-" in name:
                a, _, b_ = name.partition("-")
                try:
                    lo, hi = int(a), int(b_)
                except ValueError:
                    raise FilterError(f"unknown port in range '{name}'")
            else:
                svc = SERVICES.get(name)
                if svc is None:
                    raise FilterError(f"unknown port '{name}'" if q.addr == Q_PORT
                                      else f"unknown port in range '{name}'")
                lo = hi = svc[0]
                protos = svc[1]
                real = 6 if protos == {6} else 17 if protos == {17} else None
                want = {"UDP": 17, "TCP": 6, "SCTP": 132}.get(q.proto)
                if want is not None and real is not None and real != want:
                    raise FilterError(f"port '{name}' is {'tcp' if real == 6 else 'udp'}")
                if want is not None:
                    real = want
            if lo > 65535 or hi > 65535:
                raise FilterError(f"illegal port number {max(lo, hi)} > 65535")
            if q.proto != Q_DEFAULT:
                real = {"UDP": 17, "TCP": 6, "SCTP": 132}[q.proto]
            return self.gen_port(min(lo, hi), max(lo, hi), real, q.dir)
        if q.addr == Q_GATEWAY:
            raise FilterError("'gateway' not supported in this configuration")
        if q.addr in (Q_PROTO, Q_PROTOCHAIN):
            if q.proto in (Q_DEFAULT, "IP", "IPV6"):
                v = IP_PROTOS.get(name)
                if v is None:
                    raise FilterError(f"unknown ip proto '{name}'")
            elif q.proto == "LINK":
                v = EPROTO_DB.get(name)
                if v is None:
                    raise FilterError(f"unknown ether proto '{name}'")
            else:
                raise FilterError(f"unknown protocol: {name}")
            return self.gen_proto(v, q.proto, q.dir)
        raise FilterError(SYNTAX_IN_FILTER)

    def gen_port(self, lo: int, hi: int, proto: Optional[int], dir_: int) -> Block:
        nl = self.off_nl
        protos = (proto,) if proto is not None else (6, 17, 132)

        def ok(v):
            return lo <= v <= hi

        def f4(p):
            if _ld(p.d, self.off_lt, 2) != ETHERTYPE_IP:
                return False
            if _ld(p.d, nl + 9, 1) not in protos or _ld(p.d, nl + 6, 2) & 0x1FFF:
                return False
            th = nl + (_ld(p.d, nl, 1) & 0xF) * 4
            return _dir_test(dir_, ok(_ld(p.d, th, 2)), lambda: ok(_ld(p.d, th + 2, 2)))

        def f6(p):
            if _ld(p.d, self.off_lt, 2) != ETHERTYPE_IPV6:
                return False
            if _ld(p.d, nl + 6, 1) not in protos:
                return False
            th = nl + 40
            return _dir_test(dir_, ok(_ld(p.d, th, 2)), lambda: ok(_ld(p.d, th + 2, 2)))
        if dir_ not in (Q_DEFAULT, Q_OR, Q_AND, Q_SRC, Q_DST):
            raise FilterError(_addr_qual_error(dir_, "ports"))
        facts = [{"lt": ETHERTYPE_IP, "ip9": n} for n in protos] + \
            [{"lt": ETHERTYPE_IPV6, "ip6nh": n} for n in protos]
        return Block(lambda p: f4(p) or f6(p), facts)

    def other_cast(self, proto) -> Block:
        cast = self.take().kind
        if cast == "TK_BROADCAST":
            if proto in (Q_DEFAULT, "LINK"):
                if self.linktype != DLT_EN10MB:
                    raise FilterError("not a broadcast link")
                return Block(lambda p: _ld(p.d, 0, 6) == 0xFFFFFFFFFFFF)
            if proto == "IP":
                if self.netmask is None:
                    raise FilterError("netmask not known, so 'ip broadcast' not supported")
                host = ~self.netmask & 0xFFFFFFFF
                nl = self.off_nl
                return _and(self.gen_linktype(ETHERTYPE_IP),
                            Block(lambda p: (_ld(p.d, nl + 16, 4) & host) in (0, host)))
            raise FilterError("only link-layer/IP broadcast filters supported")
        if proto in (Q_DEFAULT, "LINK"):
            if self.linktype != DLT_EN10MB:
                raise FilterError("link-layer multicast filters supported only on ethernet/"
                                  "FDDI/token ring/ARCNET/802.11/ATM LANE/Fibre Channel")
            return Block(lambda p: bool(_ld(p.d, 0, 1) & 1))
        nl = self.off_nl
        if proto == "IP":
            return _and(self.gen_linktype(ETHERTYPE_IP),
                        Block(lambda p: _ld(p.d, nl + 16, 1) >= 224))
        if proto == "IPV6":
            return _and(self.gen_linktype(ETHERTYPE_IPV6),
                        Block(lambda p: _ld(p.d, nl + 24, 1) == 255))
        raise FilterError("link-layer multicast filters supported only on ethernet/FDDI/"
                          "token ring/ARCNET/802.11/ATM LANE/Fibre Channel")

    def gen_inbound(self, outbound: bool) -> Block:
        if self.linktype == DLT_LINUX_SLL2:
            return Block(lambda p: (_ld(p.d, 10, 1) == 4) == outbound)
        if self.linktype == DLT_LINUX_SLL:
            return Block(lambda p: (_ld(p.d, 0, 2) == 4) == outbound)
        if self.savefile:
            raise FilterError("inbound/outbound not supported on "
                              f"{_dlt_desc(self.linktype)} when reading savefiles")
        self.kernel_metadata = True
        return Block(lambda p: _meta(p, p.out) == outbound)


def _dir_test(dir_: int, src_ok: bool, dst_ok) -> bool:
    if dir_ == Q_SRC:
        return src_ok
    if dir_ == Q_DST:
        return dst_ok()
    if dir_ == Q_AND:
        return src_ok and dst_ok()
    return src_ok or dst_ok()


def _addr_qual_error(dir_: int, what: str) -> str:
    names = {Q_ADDR1: "'addr1' and 'address1'", Q_ADDR2: "'addr2' and 'address2'",
             Q_ADDR3: "'addr3' and 'address3'", Q_ADDR4: "'addr4' and 'address4'"}
    if dir_ in names:
        return f"{names[dir_]} are not valid qualifiers for {what}" if what == "ports" \
            else f"{names[dir_]} are only supported on 802.11 with 802.11 headers"
    word = "ra" if dir_ == Q_RA else "ta"
    if what == "ports":
        return f"'{word}' is not a valid qualifier for ports"
    return f"'{word}' is only supported on 802.11 with 802.11 headers"


def _dlt_desc(linktype: int) -> str:
    return {DLT_EN10MB: "Ethernet", DLT_LINUX_SLL: "Linux cooked v1",
            DLT_LINUX_SLL2: "Linux cooked v2"}.get(linktype, str(linktype))


def _ether_aton(s: str) -> bytes:
    digits = re.sub(r"[:.\-]", "", s) if len(s) in (12, 14) and ":" not in s and "-" not in s \
        else None
    if digits is not None and len(digits) == 12:
        return bytes.fromhex(digits)
    parts = re.split(r"[:.\-]", s)
    return bytes(int(x, 16) for x in parts)


# ---------------------------------------------------------------- entry points

def compile_filter(expr: Union[str, Iterable[str], None], linktype: int = DLT_EN10MB,
                   netmask: Optional[int] = None, savefile: bool = False) -> Filter:
    """Compile a pcap filter as `pcap_compile` would for this link type.

    `expr` is the expression text (or tcpdump's argv words, joined with spaces as
    tcpdump's copy_argv does); `linktype` is DLT_EN10MB (1) for a device,
    DLT_LINUX_SLL2 (276) for `-i any`; `netmask` the capture device's IPv4 netmask
    (for `ip broadcast`); `savefile` True when reading a file (-r). Raises
    FilterError with libpcap's message."""
    if expr is None:
        text = ""
    elif isinstance(expr, str):
        text = expr
    else:
        text = " ".join(expr)
    c = _Compiler(tokenize(text), linktype, netmask, savefile)
    block = c.prog()
    if block is not None and not block.facts:
        raise FilterError("expression rejects all packets")
    flt = Filter(text, linktype, block)
    flt.kernel_metadata = c.kernel_metadata
    return flt


def check_filter(expr: str, any_iface: bool = False) -> Optional[str]:
    """None if tcpdump would accept `expr`, else its error line ("tcpdump: ...")."""
    try:
        compile_filter(expr, DLT_LINUX_SLL2 if any_iface else DLT_EN10MB, netmask=0)
    except FilterError as err:
        return f"tcpdump: {err.message}"
    return None


def compile_expr(words: list[str]) -> Filter:
    """Backward-compatible name: an Ethernet filter from tcpdump's argv words."""
    return compile_filter(words, DLT_EN10MB)
