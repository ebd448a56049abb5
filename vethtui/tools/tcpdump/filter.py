"""pcap-filter(7) as libpcap 1.10 compiles it: a lexer and parser shaped like
libpcap's scanner.l and grammar.y, and predicates instead of BPF code.

The compiler is split as libpcap's: filter_scan.py (scanner.l: tokens and errors),
this module (grammar.y: the parser, and the entry points), gencode.py (gencode.c:
qualifiers, name tables and the gen_* code generator) and filter_pred.py (what the
generated code is here: predicates over the bytes, and Filter).

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

from typing import Iterable, Optional, Union

from .filter_pred import Block, Filter, _and, _ld, _meta, _not, _or
from .filter_scan import (DLT_EN10MB, DLT_LINUX_SLL, DLT_LINUX_SLL2, SYNTAX, FilterError, Tok,
                          _Reject, tokenize)
from .gencode import (AQUALS, DQUALS, PNAMES, Q_AND, Q_DEFAULT, Q_GATEWAY, Q_OR, Q_PORT,
                      Q_PORTRANGE, Q_PROTO, Q_PROTOCHAIN, QERR, Gencode, Qual, _dlt_desc)

__all__ = ["compile_filter", "compile_expr", "check_filter", "tokenize", "Filter", "FilterError",
           "DLT_EN10MB", "DLT_LINUX_SLL", "DLT_LINUX_SLL2"]

# ---------------------------------------------------------------- the compiler

class _Compiler(Gencode):
    def __init__(self, toks: list[Tok], linktype: int, netmask: Optional[int],
                 savefile: bool, hosts: Optional[dict] = None):
        self.hosts = hosts           # /etc/hosts by name (None: the built-in localhost)
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


# ---------------------------------------------------------------- entry points

def compile_filter(expr: Union[str, Iterable[str], None], linktype: int = DLT_EN10MB,
                   netmask: Optional[int] = None, savefile: bool = False,
                   hosts: Optional[dict] = None) -> Filter:
    """Compile a pcap filter as `pcap_compile` would for this link type.

    `expr` is the expression text (or tcpdump's argv words, joined with spaces as
    tcpdump's copy_argv does); `linktype` is DLT_EN10MB (1) for a device,
    DLT_LINUX_SLL2 (276) for `-i any`; `netmask` the capture device's IPv4 netmask
    (for `ip broadcast`); `savefile` True when reading a file (-r); `hosts` the names of
    the lab's /etc/hosts (vethtui.tools.resolv.hosts_by_name) for `host NAME`. Raises
    FilterError with libpcap's message."""
    if expr is None:
        text = ""
    elif isinstance(expr, str):
        text = expr
    else:
        text = " ".join(expr)
    c = _Compiler(tokenize(text), linktype, netmask, savefile, hosts)
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
