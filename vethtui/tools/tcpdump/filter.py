"""A pcap-filter subset: the expressions learners type, compiled to predicates.

Supported: arp, rarp, ip, ip6, icmp, tcp, udp; host/src/dst [host] ADDR
(optionally qualified by ip/arp/ether); net NET[/len] [mask M]; ether
host/src/dst MAC; [ether] broadcast/multicast; port/src port/dst port N;
inbound/outbound; less/greater N, len OP N; proto[off] OP value (with
icmptype/icmpcode and icmp-echo style names); and/or/not, &&/||/!, parentheses.
Errors carry libpcap's words ("can't parse filter expression: syntax error",
"invalid IPv4 address '300.1.1.1'", ...).
"""
from __future__ import annotations

import re
from typing import Callable, Optional

Pred = Callable[[object], bool]

PROTO_NUM = {"icmp": 1, "igmp": 2, "tcp": 6, "udp": 17, "gre": 47, "esp": 50, "ah": 51,
             "icmp6": 58, "sctp": 132, "vrrp": 112, "pim": 103}
ICMP_CONST = {"icmptype": 0, "icmpcode": 1, "icmp-echoreply": 0, "icmp-unreach": 3,
              "icmp-sourcequench": 4, "icmp-redirect": 5, "icmp-echo": 8, "icmp-routeradvert": 9,
              "icmp-routersolicit": 10, "icmp-timxceed": 11, "icmp-paramprob": 12,
              "icmp-tstamp": 13, "icmp-tstampreply": 14, "icmp-ireq": 15, "icmp-ireqreply": 16,
              "icmp-maskreq": 17, "icmp-maskreply": 18, "tcpflags": 13}
PORTS = {"ssh": 22, "http": 80, "https": 443, "domain": 53, "dns": 53, "telnet": 23,
         "ftp": 21, "smtp": 25, "ntp": 123, "bootps": 67, "bootpc": 68}


class FilterError(Exception):
    pass


SYNTAX = "can't parse filter expression: syntax error"


def _tokens(words: list[str]) -> list[str]:
    text = " ".join(words)
    toks = re.findall(r"\(|\)|\[|\]|&&|\|\||!=|==|<=|>=|!|<|>|=|&|\||\+|-|\*|/|[^\s()\[\]!=<>&|+*/-]+(?:-[^\s()\[\]!=<>&|+*/]+)*", text)
    return toks


def compile_expr(words: list[str]) -> Pred:
    if not words:
        return lambda ev: True
    toks = _tokens(words)
    p = _Parser(toks)
    pred = p.parse_or()
    if p.i != len(toks):
        raise FilterError(SYNTAX)
    return pred


def _eth(ev) -> bytes:
    return ev.data


def _ethertype(d: bytes) -> int:
    return (d[12] << 8) | d[13] if len(d) >= 14 else -1


def _ip(d: bytes) -> Optional[bytes]:
    if _ethertype(d) == 0x0800 and len(d) >= 34:
        return d[14:]
    return None


def _parse_ip(tok: str) -> int:
    parts = tok.split(".")
    if not 1 <= len(parts) <= 4 or not all(p.isdigit() for p in parts):
        raise FilterError(f"unknown host '{tok}'")
    vals = [int(p) for p in parts]
    if any(v > 255 for v in vals) or len(parts) != 4:
        if len(parts) == 4:
            raise FilterError(f"invalid IPv4 address '{tok}'")
    while len(vals) < 4:
        vals.append(0)
    return vals[0] << 24 | vals[1] << 16 | vals[2] << 8 | vals[3]


def _parse_mac(tok: str) -> bytes:
    parts = re.split(r"[:.-]", tok)
    try:
        if len(parts) != 6 or any(not p or len(p) > 2 for p in parts):
            raise ValueError
        return bytes(int(p, 16) for p in parts)
    except ValueError:
        raise FilterError(f"unknown ether host '{tok}'")


class _Parser:
    def __init__(self, toks: list[str]):
        self.t = toks
        self.i = 0

    def peek(self) -> Optional[str]:
        return self.t[self.i] if self.i < len(self.t) else None

    def take(self) -> str:
        if self.i >= len(self.t):
            raise FilterError(SYNTAX)
        tok = self.t[self.i]
        self.i += 1
        return tok

    def parse_or(self) -> Pred:
        left = self.parse_and()
        while self.peek() in ("or", "||"):
            self.take()
            right = self.parse_and()
            left = (lambda a, b: lambda ev: a(ev) or b(ev))(left, right)
        return left

    def parse_and(self) -> Pred:
        left = self.parse_not()
        while self.peek() in ("and", "&&"):
            self.take()
            right = self.parse_not()
            left = (lambda a, b: lambda ev: a(ev) and b(ev))(left, right)
        return left

    def parse_not(self) -> Pred:
        if self.peek() in ("not", "!"):
            self.take()
            inner = self.parse_not()
            return lambda ev: not inner(ev)
        if self.peek() == "(":
            self.take()
            inner = self.parse_or()
            if self.take() != ")":
                raise FilterError(SYNTAX)
            return inner
        return self.parse_primitive()

    # -- primitives --------------------------------------------------------
    def parse_primitive(self) -> Pred:
        tok = self.take()
        nxt = self.peek()
        if tok in ("icmp", "ip", "arp", "ether", "tcp", "udp", "ip6") and nxt == "[":
            return self.parse_relation(tok)
        if tok in ("len", "length") and nxt in ("<", ">", "<=", ">=", "==", "=", "!="):
            op = self.take()
            n = self._num(self.take())
            return _cmp(lambda ev: len(ev.data), op, n)
        if tok == "less":
            n = self._num(self.take())
            return lambda ev: len(ev.data) <= n
        if tok == "greater":
            n = self._num(self.take())
            return lambda ev: len(ev.data) >= n
        if tok == "inbound":
            return lambda ev: ev.direction != "Out"
        if tok == "outbound":
            return lambda ev: ev.direction == "Out"
        if tok in ("broadcast", "multicast"):
            return self._bcast(tok, "ether")
        if tok == "ether":
            return self.parse_ether()
        if tok in ("arp", "rarp", "ip", "ip6"):
            return self.parse_proto_qualified(tok)
        if tok in ("icmp", "tcp", "udp", "igmp", "sctp", "icmp6"):
            if tok in ("tcp", "udp") and self.peek() in ("port", "src", "dst", "portrange"):
                return self.parse_port(tok)
            return self._l4(tok)
        if tok in ("host", "src", "dst", "net", "port", "portrange"):
            self.i -= 1
            return self.parse_addr(None)
        if tok == "proto":
            v = self.take()
            n = PROTO_NUM.get(v) if not v.isdigit() else int(v)
            if n is None:
                raise FilterError(f"unknown ip proto '{v}'")
            return lambda ev, n=n: (lambda ip: ip is not None and ip[9] == n)(_ip(ev.data))
        if re.fullmatch(r"[0-9.]+", tok):
            self.i -= 1
            return self.parse_addr(None)
        if tok in ("and", "or", "&&", "||", ")", "("):
            raise FilterError(SYNTAX)
        raise FilterError(SYNTAX)

    def _num(self, tok: str) -> int:
        try:
            return int(tok, 0)
        except ValueError:
            if tok in ICMP_CONST:
                return ICMP_CONST[tok]
            raise FilterError(SYNTAX)

    def _l4(self, name: str) -> Pred:
        n = PROTO_NUM[name]
        return lambda ev: (lambda ip: ip is not None and ip[9] == n)(_ip(ev.data))

    def _bcast(self, kind: str, layer: str) -> Pred:
        if kind == "broadcast":
            return lambda ev: ev.data[0:6] == b"\xff" * 6
        return lambda ev: bool(ev.data[0] & 1)

    def parse_ether(self) -> Pred:
        nxt = self.take()
        if nxt in ("broadcast", "multicast"):
            return self._bcast(nxt, "ether")
        if nxt in ("host", "src", "dst"):
            direction = nxt
            if nxt in ("src", "dst") and self.peek() == "host":
                self.take()
            mac = _parse_mac(self.take())
            if direction == "src":
                return lambda ev: ev.data[6:12] == mac
            if direction == "dst":
                return lambda ev: ev.data[0:6] == mac
            return lambda ev: ev.data[0:6] == mac or ev.data[6:12] == mac
        if nxt == "proto":
            v = self.take()
            num = {"ip": 0x0800, "arp": 0x0806, "ip6": 0x86DD}.get(v.lstrip("\\"))
            if num is None:
                num = self._num(v)
            return lambda ev: _ethertype(ev.data) == num
        raise FilterError(SYNTAX)

    def parse_proto_qualified(self, proto: str) -> Pred:
        base: Pred
        if proto == "arp":
            base = lambda ev: _ethertype(ev.data) == 0x0806
        elif proto == "rarp":
            base = lambda ev: _ethertype(ev.data) == 0x8035
        elif proto == "ip":
            base = lambda ev: _ethertype(ev.data) == 0x0800
        else:
            base = lambda ev: _ethertype(ev.data) == 0x86DD
        nxt = self.peek()
        if nxt in ("host", "src", "dst", "net"):
            sub = self.parse_addr(proto)
            return lambda ev: base(ev) and sub(ev)
        if nxt == "proto" and proto == "ip":
            self.take()
            v = self.take()
            n = PROTO_NUM.get(v.lstrip("\\")) if not v.isdigit() else int(v)
            if n is None:
                raise FilterError(f"unknown ip proto '{v}'")
            return lambda ev: (lambda ip: ip is not None and ip[9] == n)(_ip(ev.data))
        if nxt in ("broadcast", "multicast") and proto == "ip":
            self.take()
            if nxt == "broadcast":
                return lambda ev: (lambda ip: ip is not None and ip[16:20] == b"\xff" * 4)(_ip(ev.data))
            return lambda ev: (lambda ip: ip is not None and ip[16] >= 224 and ip[16] < 240)(_ip(ev.data))
        return base

    def parse_addr(self, proto: Optional[str]) -> Pred:
        direction = "any"
        kind = "host"
        tok = self.take()
        if tok in ("src", "dst"):
            direction = tok
            if self.peek() in ("and", "or"):
                # `src and dst host X` is not supported by libpcap either
                raise FilterError(SYNTAX)
            tok = self.take()
        if tok in ("host", "net", "port", "portrange"):
            kind = tok
            tok = self.take()
        if kind == "port" or kind == "portrange":
            return self._port_pred(None, direction, tok)
        if kind == "net":
            addr, plen = self._net(tok)
            return self._match_ip(proto, direction, lambda a: (a ^ addr) & _mask(plen) == 0)
        addr = _parse_ip(tok)
        return self._match_ip(proto, direction, lambda a: a == addr)

    def _net(self, tok: str) -> tuple[int, int]:
        if "/" in tok:
            a, _, l = tok.partition("/")
            addr = _parse_ip(a)
            try:
                plen = int(l)
            except ValueError:
                raise FilterError(SYNTAX)
            if plen > 32:
                raise FilterError(f"mask length must be <= 32")
            if addr & ~_mask(plen) & 0xFFFFFFFF:
                raise FilterError(f'non-network bits set in "{tok}"')
            return addr, plen
        if self.peek() == "mask":
            self.take()
            m = _parse_ip(self.take())
            addr = _parse_ip(tok)
            return addr, bin(m).count("1")
        parts = tok.split(".")
        addr = _parse_ip(tok)
        plen = 8 * len(parts) if len(parts) < 4 else 32
        return addr, plen

    def _match_ip(self, proto: Optional[str], direction: str, test: Callable[[int], bool]) -> Pred:
        def ip_addrs(d: bytes):
            et = _ethertype(d)
            if et == 0x0800 and len(d) >= 34 and proto in (None, "ip"):
                return int.from_bytes(d[26:30], "big"), int.from_bytes(d[30:34], "big")
            if et == 0x0806 and len(d) >= 42 and proto in (None, "arp"):
                return int.from_bytes(d[28:32], "big"), int.from_bytes(d[38:42], "big")
            return None

        def pred(ev) -> bool:
            a = ip_addrs(ev.data)
            if a is None:
                return False
            s, t = a
            if direction == "src":
                return test(s)
            if direction == "dst":
                return test(t)
            return test(s) or test(t)
        return pred

    def parse_port(self, proto: str) -> Pred:
        direction = "any"
        tok = self.take()
        if tok in ("src", "dst"):
            direction = tok
            tok = self.take()
        if tok not in ("port", "portrange"):
            raise FilterError(SYNTAX)
        return self._port_pred(proto, direction, self.take())

    def _port_pred(self, proto: Optional[str], direction: str, tok: str) -> Pred:
        if tok.isdigit():
            port = int(tok)
            if port > 65535:
                raise FilterError(f"illegal port number {port} > 65535")
        elif tok in PORTS:
            port = PORTS[tok]
        else:
            raise FilterError(f"unknown port '{tok}'")
        want = {PROTO_NUM[proto]} if proto else {6, 17, 132}

        def pred(ev) -> bool:
            ip = _ip(ev.data)
            if ip is None or ip[9] not in want:
                return False
            ihl = (ip[0] & 0xF) * 4
            if ((ip[6] << 8) | ip[7]) & 0x1FFF or len(ip) < ihl + 4:
                return False
            sp = int.from_bytes(ip[ihl:ihl + 2], "big")
            dp = int.from_bytes(ip[ihl + 2:ihl + 4], "big")
            if direction == "src":
                return sp == port
            if direction == "dst":
                return dp == port
            return sp == port or dp == port
        return pred

    def parse_relation(self, proto: str) -> Pred:
        self.take()  # [
        first = self.take()
        size = 1
        if ":" in first:
            a, _, b = first.partition(":")
            off = self._num(a)
            size = self._num(b)
        else:
            off = self._num(first)
        if self.take() != "]":
            raise FilterError(SYNTAX)
        mask = None
        if self.peek() == "&":
            self.take()
            mask = self._num(self.take())
        op = self.take()
        if op not in ("==", "=", "!=", "<", ">", "<=", ">="):
            raise FilterError(SYNTAX)
        val = self._num(self.take())

        def get(ev):
            d = ev.data
            if proto == "ether":
                base = 0
            else:
                ip = _ip(d)
                if ip is None:
                    return None
                if proto == "ip":
                    base = 14
                else:
                    want = {"icmp": 1, "tcp": 6, "udp": 17}[proto] if proto in ("icmp", "tcp", "udp") else None
                    if want is not None and ip[9] != want:
                        return None
                    if ((ip[6] << 8) | ip[7]) & 0x1FFF:
                        return None
                    base = 14 + (ip[0] & 0xF) * 4
            s = base + off
            if s + size > len(d):
                return None
            v = int.from_bytes(d[s:s + size], "big")
            return v & mask if mask is not None else v
        return _cmp(get, op, val)


def _cmp(get: Callable, op: str, val: int) -> Pred:
    def pred(ev) -> bool:
        v = get(ev)
        if v is None:
            return False
        if op in ("==", "="):
            return v == val
        if op == "!=":
            return v != val
        if op == "<":
            return v < val
        if op == ">":
            return v > val
        if op == "<=":
            return v <= val
        return v >= val
    return pred


def _mask(plen: int) -> int:
    return (0xFFFFFFFF << (32 - plen)) & 0xFFFFFFFF if plen else 0
