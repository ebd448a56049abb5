"""Frames to text, the way tcpdump 4.99 prints them with -n.

`summary(data)` gives the part of a tcpdump line after the timestamp (and,
for `-i any`, after the interface and direction): "ARP, Request who-has ...",
"IP a > b: ICMP echo request, id N, seq N, length N". Decoding is done from
the bytes, so what is printed is what was on the wire.
"""
from __future__ import annotations

import struct

from ...kernel.inet import ntoa

ICMP_UNREACH = {0: "net", 1: "host", 2: "protocol", 3: "port"}
ETHERTYPES = {0x0800: "IPv4", 0x0806: "ARP", 0x86DD: "IPv6", 0x8100: "802.1Q", 0x88CC: "LLDP"}


def mac(b: bytes) -> str:
    return ":".join(f"{x:02x}" for x in b)


def summary(data: bytes, verbose: int = 0) -> str:
    if len(data) < 14:
        return f"[|ether]"
    et = (data[12] << 8) | data[13]
    payload = data[14:]
    if et == 0x0806:
        return arp_summary(payload)
    if et == 0x0800:
        return "IP " + ip_summary(payload, verbose)
    if et == 0x86DD:
        return "IP6 " + ip6_summary(payload)
    if et < 0x0600:
        return f"802.3, length {et}: LLC"
    return f"ethertype Unknown (0x{et:04x}), length {len(data)}: "


def link_header(data: bytes, any_iface: bool) -> str:
    """The -e part: `src > dst, ethertype X (0x...), length N: ` (Ethernet only)."""
    et = (data[12] << 8) | data[13]
    name = ETHERTYPES.get(et, "Unknown")
    return f"{mac(data[6:12])} > {mac(data[0:6])}, ethertype {name} (0x{et:04x}), length {len(data)}: "


def arp_summary(p: bytes) -> str:
    if len(p) < 8:
        return "ARP, [|arp]"
    hrd, pro, hln, pln, op = struct.unpack("!HHBBH", p[:8])
    if hrd != 1 or pro != 0x0800 or hln != 6 or pln != 4 or len(p) < 28:
        return f"ARP, {'Request' if op == 1 else 'Reply' if op == 2 else f'op {op}'}, length {len(p)}"
    sha, spa, tha, tpa = p[8:14], p[14:18], p[18:24], p[24:28]
    if op == 1:
        s = f"ARP, Request who-has {ntoa(int.from_bytes(tpa, 'big'))}"
        if any(tha):
            s += f" ({mac(tha)})"
        s += f" tell {ntoa(int.from_bytes(spa, 'big'))}"
    elif op == 2:
        s = f"ARP, Reply {ntoa(int.from_bytes(spa, 'big'))} is-at {mac(sha)}"
    else:
        s = f"ARP, Unknown ({op})"
    return s + f", length {len(p)}"


def ip_summary(p: bytes, verbose: int = 0) -> str:
    if len(p) < 20:
        return "[|ip]"
    ihl = (p[0] & 0xF) * 4
    tot = (p[2] << 8) | p[3]
    ff = (p[6] << 8) | p[7]
    off = (ff & 0x1FFF) * 8
    proto = p[9]
    src = ntoa(int.from_bytes(p[12:16], "big"))
    dst = ntoa(int.from_bytes(p[16:20], "big"))
    body = p[ihl:tot] if tot >= ihl else p[ihl:]
    head = ""
    if verbose:
        flags = []
        if ff & 0x4000:
            flags.append("DF")
        if ff & 0x2000:
            flags.append("+")
        fl = "[" + (", ".join(flags) if flags else "none") + "]"
        pname = {1: "ICMP", 6: "TCP", 17: "UDP"}.get(proto, "unknown")
        head = (f"(tos 0x{p[1]:x}, ttl {p[8]}, id {(p[4] << 8) | p[5]}, offset {off}, "
                f"flags {fl}, proto {pname} ({proto}), length {tot})\n    ")
    if off:
        return head + f"{src} > {dst}: ip-proto-{proto}"
    if proto == 1:
        return head + f"{src} > {dst}: " + icmp_summary(body, more_frags=bool(ff & 0x2000),
                                                         ip_len=tot - ihl)
    if proto == 2:
        return head + f"{src} > {dst}: " + igmp_summary(body)
    if proto == 17 and len(body) >= 8:
        sp, dp, ulen = struct.unpack("!HHH", body[:6])
        return head + f"{src}.{sp} > {dst}.{dp}: UDP, length {ulen - 8}"
    if proto == 6 and len(body) >= 20:
        sp, dp = struct.unpack("!HH", body[:4])
        return head + f"{src}.{sp} > {dst}.{dp}: Flags [.], length {len(body) - (body[12] >> 4) * 4}"
    return head + f"{src} > {dst}: ip-proto-{proto} {len(body)}"


def ip6_summary(p: bytes) -> str:
    import ipaddress
    if len(p) < 40:
        return "[|ip6]"
    plen = int.from_bytes(p[4:6], "big")
    nh = p[6]
    src = ipaddress.IPv6Address(p[8:24])
    dst = ipaddress.IPv6Address(p[24:40])
    body = p[40:40 + plen]
    prefix = f"{src} > {dst}: "
    hbh = ""
    if nh == 0 and len(body) >= 8:
        nh = body[0]
        ext = (body[1] + 1) * 8
        body = body[ext:]
        hbh = "HBH "
    if nh == 58:
        return prefix + hbh + icmp6_summary(body)
    return prefix + hbh + f"ip-proto-{nh} {len(body)}"


def icmp6_summary(b: bytes) -> str:
    import ipaddress
    if len(b) < 4:
        return "ICMP6, [|icmp6]"
    t = b[0]
    n = len(b)
    if t == 143 and len(b) >= 8:
        recs = int.from_bytes(b[6:8], "big")
        return f"ICMP6, multicast listener report v2, {recs} group record(s), length {n}"
    if t == 135 and len(b) >= 24:
        return f"ICMP6, neighbor solicitation, who has {ipaddress.IPv6Address(b[8:24])}, length {n}"
    if t == 136 and len(b) >= 24:
        return f"ICMP6, neighbor advertisement, tgt is {ipaddress.IPv6Address(b[8:24])}, length {n}"
    if t == 133:
        return f"ICMP6, router solicitation, length {n}"
    if t == 134:
        return f"ICMP6, router advertisement, length {n}"
    if t in (128, 129) and len(b) >= 8:
        ident, seq = struct.unpack("!HH", b[4:8])
        kind = "echo request" if t == 128 else "echo reply"
        return f"ICMP6, {kind}, id {ident}, seq {seq}, length {n}"
    return f"ICMP6, type {t}, length {n}"


def igmp_summary(b: bytes) -> str:
    if not b:
        return "igmp"
    t = b[0]
    if t == 0x22 and len(b) >= 8:
        n = int.from_bytes(b[6:8], "big")
        return f"igmp v3 report, {n} group record(s)"
    if t == 0x11:
        return "igmp query"
    if t == 0x16 and len(b) >= 8:
        return f"igmp v2 report {ntoa(int.from_bytes(b[4:8], 'big'))}"
    if t == 0x17 and len(b) >= 8:
        return f"igmp leave {ntoa(int.from_bytes(b[4:8], 'big'))}"
    return f"igmp type 0x{t:02x}"


def icmp_summary(b: bytes, more_frags: bool = False, ip_len: int = 0) -> str:
    if len(b) < 4:
        return "ICMP [|icmp]"
    t, code = b[0], b[1]
    length = ip_len or len(b)
    if t in (0, 8):
        if len(b) < 8:
            return "ICMP [|icmp]"
        ident, seq = struct.unpack("!HH", b[4:8])
        kind = "echo request" if t == 8 else "echo reply"
        return f"ICMP {kind}, id {ident}, seq {seq}, length {length}"
    if t == 3:
        inner = b[8:]
        if len(inner) >= 20:
            idst = ntoa(int.from_bytes(inner[16:20], "big"))
            iproto = inner[9]
            ihl = (inner[0] & 0xF) * 4
            if code == 3 and iproto == 17 and len(inner) >= ihl + 4:
                dport = int.from_bytes(inner[ihl + 2:ihl + 4], "big")
                return f"ICMP {idst} udp port {dport} unreachable, length {length}"
            if code == 2:
                return f"ICMP {idst} protocol {iproto} unreachable, length {length}"
            if code == 4:
                mtu = int.from_bytes(b[6:8], "big")
                return f"ICMP {idst} unreachable - need to frag (mtu {mtu}), length {length}"
            if code in ICMP_UNREACH:
                return f"ICMP {ICMP_UNREACH[code]} {idst} unreachable, length {length}"
            names = {9: "net {} unreachable - admin prohibited",
                     10: "host {} unreachable - admin prohibited",
                     13: "host {} unreachable - admin prohibited filter"}
            if code in names:
                return "ICMP " + names[code].format(idst) + f", length {length}"
            return f"ICMP {idst} unreachable - #{code}, length {length}"
        return f"ICMP unreachable, length {length}"
    if t == 11:
        what = "in-transit" if code == 0 else "reassembly"
        return f"ICMP time exceeded {what}, length {length}"
    if t == 5:
        inner = b[8:]
        gw = ntoa(int.from_bytes(b[4:8], "big"))
        idst = ntoa(int.from_bytes(inner[16:20], "big")) if len(inner) >= 20 else "?"
        kind = {0: "net", 1: "host", 2: "tos net", 3: "tos host"}.get(code, str(code))
        return f"ICMP redirect {idst} to {kind} {gw}, length {length}"
    if t == 4:
        return f"ICMP source quench, length {length}"
    if t == 12:
        return f"ICMP parameter problem - octet {b[4]}, length {length}"
    return f"ICMP type-#{t}, length {length}"
