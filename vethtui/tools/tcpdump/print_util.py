"""What tcpdump's printers share (tcpdump's util-print.c, addrtoname.c, ascii.c):
the name tables, the print options, address formatting, checksum wording and the
hex dumps. The printers are printer.py (link layers, ARP, IPv4, ICMP), print_ip6.py
and print_transport.py (UDP, TCP, IGMP).
"""
from __future__ import annotations

import ipaddress
from typing import Optional

from ...kernel.inet import ntoa

ETHERTYPES = {0x0800: "IPv4", 0x0806: "ARP", 0x86DD: "IPv6", 0x8100: "802.1Q",
              0x88CC: "LLDP", 0x8035: "Reverse ARP", 0x9000: "Loopback", 0x88A8: "802.1Q-QinQ",
              0x8847: "MPLS unicast", 0x8848: "MPLS multicast", 0x8863: "PPPoE D",
              0x8864: "PPPoE S", 0x888E: "EAPOL", 0x88F7: "PTP", 0x9100: "802.1Q-9100",
              0x0842: "Wake-on-LAN", 0x80F3: "AARP", 0x809B: "Appletalk", 0x6003: "DECnet",
              0x22F0: "TSN", 0x893A: "IEEE1905.1", 0x88E5: "802.1AE"}
IPPROTO_NAMES = {0: "Options", 1: "ICMP", 2: "IGMP", 4: "IPIP", 6: "TCP", 8: "EGP", 9: "IGRP",
                 17: "UDP", 33: "DCCP", 41: "IPv6", 43: "Routing", 44: "Fragment", 46: "RSVP",
                 47: "GRE", 50: "ESP", 51: "AH", 55: "Mobile IP", 58: "ICMPv6", 88: "EIGRP",
                 89: "OSPF", 103: "PIM", 108: "Compressed IP", 112: "VRRP", 113: "PGM",
                 132: "SCTP", 135: "Mobility", 143: "Ethernet"}
NETDB_PROTO = {0: "hopopt", 1: "icmp", 2: "igmp", 4: "ipencap", 6: "tcp", 17: "udp",
               41: "ipv6", 47: "gre", 50: "esp", 51: "ah", 58: "ipv6-icmp", 89: "ospf",
               103: "pim", 112: "vrrp", 132: "sctp"}
UDP_PORTS = {53: "domain", 67: "bootps", 68: "bootpc", 69: "tftp", 123: "ntp", 161: "snmp",
             162: "snmp-trap", 514: "syslog", 520: "route", 9: "discard", 7: "echo",
             137: "netbios-ns", 138: "netbios-dgm", 500: "isakmp", 1194: "openvpn",
             5353: "mdns", 546: "dhcpv6-client", 547: "dhcpv6-server"}
TCP_PORTS = {20: "ftp-data", 21: "ftp", 22: "ssh", 23: "telnet", 25: "smtp", 53: "domain",
             80: "http", 110: "pop3", 143: "imap", 179: "bgp", 389: "ldap", 443: "https",
             587: "submission", 993: "imaps", 995: "pop3s", 3306: "mysql", 8080: "http-alt",
             9: "discard", 7: "echo"}
ARPHRD_NAMES = {1: "Ethernet", 6: "Token Ring", 15: "Frame Relay", 24: "IEEE 1394",
                32: "InfiniBand"}
ARPOP_NAMES = {1: "Request", 2: "Reply", 3: "Reverse Request", 4: "Reverse Reply",
               8: "Inverse Request", 9: "Inverse Reply", 10: "NACK Reply"}
SLL_PKTTYPES = {0: "In", 1: "B", 2: "M", 3: "P", 4: "Out"}
ICMP_TYPE_NAMES = {0: "echo reply", 4: "source quench", 8: "echo request",
                   10: "router solicitation", 13: "time stamp request",
                   14: "time stamp reply", 15: "information request",
                   16: "information reply", 17: "address mask request"}


class PrintOpts:
    """The printing flags of tcpdump's netdissect_options that matter here."""

    def __init__(self, verbose: int = 0, ether: bool = False, numeric: bool = True,
                 quiet: bool = False, absolute_seq: bool = False):
        self.verbose = verbose
        self.ether = ether
        self.numeric = numeric
        self.quiet = quiet
        self.absolute_seq = absolute_seq    # -S
        # print-tcp.c's tcp_seq_hash: the initial sequence numbers of each conversation
        # seen by this tcpdump (None: a stateless printer, sequence numbers absolute)
        self.tcp_seq: Optional[dict] = None
        # /etc/hosts' names by IPv4 address (vethtui.tools.resolv.hosts_by_addr), when the
        # lab has that file: ipaddr_string's gethostbyaddr finds nothing else (no DNS)
        self.hosts: Optional[dict] = None

    @classmethod
    def of(cls, o) -> "PrintOpts":
        if isinstance(o, PrintOpts):
            return o
        return cls(getattr(o, "verbose", 0), getattr(o, "ether", False),
                   bool(getattr(o, "numeric", 1)), getattr(o, "quiet", False))


NUMERIC = PrintOpts()


def mac(b: bytes) -> str:
    return ":".join(f"{x:02x}" for x in b)


def _etheraddr(b: bytes, o: PrintOpts) -> str:
    s = mac(b)
    if not o.numeric and b == b"\xff" * 6:
        return "Broadcast"
    if not o.numeric:
        oui = int.from_bytes(b[:3], "big")
        s += f" (oui {'Ethernet' if oui == 0 else 'Unknown'})"
    return s


def _ipaddr(b: bytes, o: PrintOpts) -> str:
    v = int.from_bytes(b, "big")
    if not o.numeric:
        if o.hosts is not None:
            return o.hosts.get(bytes(b)) or ntoa(v)
        if v == 0x7F000001:
            return "localhost"
    return ntoa(v)


def _shouldbe(sum_field: int, computed: int) -> int:
    """in_cksum_shouldbe(): the checksum the field should have held."""
    s = (~sum_field & 0xFFFF) + (~computed & 0xFFFF)
    s = (s & 0xFFFF) + (s >> 16)
    s = (s & 0xFFFF) + (s >> 16)
    return (~s) & 0xFFFF


class _Trunc(Exception):
    pass


def _port(n: int, table: dict, o: PrintOpts) -> str:
    if not o.numeric and n in table:
        return table[n]
    return str(n)


def _ip6addr(b: bytes) -> str:
    return str(ipaddress.IPv6Address(bytes(b)))


def _group_records(b: bytes, length: int, o, alen: int, types: dict, unknown: str) -> str:
    """IGMPv3 and MLDv2 reports list group records the same way (print-igmp.c,
    print-icmp6.c mldv2_report_print): `, N group record(s)`, then with -v each
    `[gaddr G type, K source(s)]` (-vv: the sources); only the address size differs."""
    ngroups = int.from_bytes(b[6:8], "big")
    out = [f", {ngroups} group record(s)"]
    if not o.verbose:
        return "".join(out)
    addr = (lambda a: _ipaddr(a, o)) if alen == 4 else _ip6addr
    g = 8
    for _ in range(ngroups):
        if length < g + 4 + alen:
            out.append(" [invalid number of groups]")
            break
        nsrcs = int.from_bytes(b[g + 2:g + 4], "big")
        out.append(f" [gaddr {addr(b[g + 4:g + 4 + alen])} "
                   f"{types.get(b[g], f' [{unknown}-#{b[g]}]')}")
        first = g + 4 + alen
        if o.verbose == 1:
            out.append(f", {nsrcs} source(s)")
        else:
            out.append(" {" + "".join(f" {addr(b[first + alen * j:first + alen * (j + 1)])}"
                                      for j in range(nsrcs)) + " }")
        g = first + alen * nsrcs
        out.append("]")
    return "".join(out)


# ---------------------------------------------------------------- hex dumps

def _hex_words(chunk: bytes) -> str:
    """` 4500 0054 ...`: a line's bytes in 16-bit words, an odd last byte alone."""
    words = "".join(f" {chunk[i]:02x}{chunk[i + 1]:02x}" for i in range(0, len(chunk) - 1, 2))
    return words + (f" {chunk[-1]:02x}" if len(chunk) % 2 else "")


def hex_and_ascii(data: bytes, ident: str = "\n\t", oset: int = 0) -> str:
    """tcpdump's hex_and_ascii_print_with_offset(): -X / -XX."""
    out = []
    for start in range(0, len(data), 16):
        chunk = data[start:start + 16]
        hexpart = _hex_words(chunk)
        asc = "".join(chr(c) if 0x20 < c <= 0x7E else "." for c in chunk)
        out.append(f"{ident}0x{oset + start:04x}: {hexpart:<40}  {asc}")
    return "".join(out)


def hex_only(data: bytes, ident: str = "\n\t", oset: int = 0) -> str:
    """tcpdump's hex_print_with_offset(): -x / -xx."""
    out = []
    for start in range(0, len(data), 16):
        out.append(f"{ident}0x{oset + start:04x}: {_hex_words(data[start:start + 16])}")
    return "".join(out)


def ascii_only(data: bytes) -> str:
    """tcpdump's ascii_print(): -A / -AA."""
    out = ["\n"]
    n = len(data)
    for i, c in enumerate(data):
        if c == 0x0D:
            if n - i - 1 > 1 and data[i + 1] != 0x0A:
                out.append(".")
        elif not (0x20 < c <= 0x7E) and c not in (0x09, 0x20, 0x0A):
            out.append(".")
        else:
            out.append(chr(c))
    return "".join(out)
