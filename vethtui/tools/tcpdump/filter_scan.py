"""pcap-filter(7)'s lexer, shaped like libpcap's scanner.l: tokens, numbers, addresses,
and the errors every part of the compiler raises."""
from __future__ import annotations

import re
from typing import Optional

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
