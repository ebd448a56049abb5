"""libpcap's gencode.c: qualifiers, the name tables (/etc/protocols, /etc/services,
/etc/hosts, /etc/networks of an isolated lab) and the code generator, the gen_*
functions the parser calls (a mixin of the compiler)."""
from __future__ import annotations

import re
from typing import Optional

from .filter_pred import Block, _and, _ld, _meta, _or
from .filter_scan import (DLT_EN10MB, DLT_LINUX_SLL, DLT_LINUX_SLL2, SYNTAX_IN_FILTER, FilterError,
                          _stou)

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


class Gencode:
    """The gen_* half of the compiler: blocks for each qualifier and name."""

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
            hosts = getattr(self, "hosts", None)
            addrs = (hosts if hosts is not None else HOSTS).get(name)
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
