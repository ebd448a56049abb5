"""UDP, TCP and IGMP as tcpdump prints them (print-udp.c, print-tcp.c, print-igmp.c)."""
from __future__ import annotations

import struct

from ...kernel.wire import IPPROTO_TCP, IPPROTO_UDP, Tcp, checksum, ipv4_pseudo_header
from .print_util import (NUMERIC, TCP_PORTS, UDP_PORTS, PrintOpts, _group_records, _ip6addr,
                         _ipaddr, _port, _shouldbe)

# ---------------------------------------------------------------- UDP, TCP, IGMP

def udp_print(b: bytes, length: int, iph: bytes, fragmented: bool, o=NUMERIC) -> str:
    o = PrintOpts.of(o)
    v6 = (iph[0] >> 4) == 6
    if v6:
        src, dst = _ip6addr(iph[8:24]), _ip6addr(iph[24:40])
    else:
        src, dst = _ipaddr(iph[12:16], o), _ipaddr(iph[16:20], o)
    if len(b) < 4:
        return f"{src} > {dst}: [|udp]"
    sport, dport = struct.unpack("!HH", b[:4])
    head = f"{src}.{_port(sport, UDP_PORTS, o)} > {dst}.{_port(dport, UDP_PORTS, o)}: "
    if length < 8:
        return head + f"truncated-udp {length}"
    ulen = struct.unpack("!H", b[4:6])[0]
    if ulen < 8:
        return head + f"truncated-udplength {ulen}"
    ulen -= 8
    length -= 8
    if ulen < length:
        length = ulen
    out = [head]
    if o.verbose > 1 and not fragmented and not v6 and len(b) >= 8 + length:
        csum = struct.unpack("!H", b[6:8])[0]
        if csum == 0:
            out.append("[no cksum] ")
        else:
            pseudo = ipv4_pseudo_header(iph[12:16], iph[16:20], IPPROTO_UDP, length + 8)
            s = checksum(pseudo + b[:8 + length])
            out.append("[udp sum ok] " if s == 0 else
                       f"[bad udp cksum 0x{csum:04x} -> 0x{_shouldbe(csum, s):04x}!] ")
    if o.quiet:
        out.append(f"UDP, length {length}")
    else:
        out.append(f"UDP, length {length}")
    return "".join(out)


_TCP_FLAGS = ((0x01, "F"), (0x02, "S"), (0x04, "R"), (0x08, "P"), (0x10, "."),
              (0x20, "U"), (0x40, "E"), (0x80, "W"))


def tcp_print(b: bytes, length: int, iph: bytes, o=NUMERIC) -> str:
    o = PrintOpts.of(o)
    v6 = (iph[0] >> 4) == 6
    if v6:
        src, dst = _ip6addr(iph[8:24]), _ip6addr(iph[24:40])
    else:
        src, dst = _ipaddr(iph[12:16], o), _ipaddr(iph[16:20], o)
    if len(b) < 20:
        return f"{src} > {dst}: [|tcp]"
    t = Tcp.parse(b)
    sport, dport, seq, ack, win, urp = t.sport, t.dport, t.seq, t.ack, t.window, t.urgent
    hlen = t.header_len
    flags = t.flags
    out = [f"{src}.{_port(sport, TCP_PORTS, o)} > {dst}.{_port(dport, TCP_PORTS, o)}: "]
    if o.quiet:
        return out[0] + f"tcp {length - hlen}"
    fl = "".join(ch for bit, ch in _TCP_FLAGS if flags & bit) or "none"
    out.append(f"Flags [{fl}]")
    if not o.absolute_seq and flags & 0x10 and o.tcp_seq is not None:
        if v6:
            a, z = iph[8:24], iph[24:40]
        else:
            a, z = iph[12:16], iph[16:20]
        seq, ack = _relative_seq(o.tcp_seq, a, z, sport, dport, seq, ack, flags)
    if o.verbose and not v6 and len(b) >= length:
        csum = t.csum
        pseudo = ipv4_pseudo_header(iph[12:16], iph[16:20], IPPROTO_TCP, length)
        s = checksum(pseudo + b[:16] + b"\0\0" + b[18:length])
        shown = checksum(pseudo + b[:length])
        out.append(f", cksum 0x{csum:04x} " + ("(correct)" if shown == 0 else
                                               f"(incorrect -> 0x{s:04x})"))
    datalen = length - hlen
    if o.verbose > 1 or datalen > 0 or flags & 0x07:
        out.append(f", seq {seq}" + (f":{(seq + datalen) & 0xFFFFFFFF}" if datalen > 0 else ""))
    if flags & 0x10:
        out.append(f", ack {ack}")
    out.append(f", win {win}")
    if flags & 0x20:
        out.append(f", urg {urp}")
    if hlen > 20:
        out.append(", options [" + _tcp_options(b[20:hlen]) + "]")
    out.append(f", length {datalen}")
    if datalen > 0 and not flags & 0x04 and (sport in HTTP_PORTS or dport in HTTP_PORTS):
        out.append(http_print(b[hlen:hlen + datalen], datalen, o))
    return "".join(out)


def _relative_seq(table: dict, src: bytes, dst: bytes, sport: int, dport: int, seq: int,
                  ack: int, flags: int) -> tuple[int, int]:
    """print-tcp.c: one entry per conversation (an arbitrary order of its two ends) holds
    the initial sequence numbers, recorded from the first segment with ACK seen (or any
    SYN-ACK); later segments print their numbers relative to those."""
    rev = sport > dport or (sport == dport and src > dst)
    key = (dst, src, dport, sport) if rev else (src, dst, sport, dport)
    th = table.get(key)
    if th is None or flags & 0x02:
        table[key] = ((ack - 1) & 0xFFFFFFFF, seq) if rev else (seq, (ack - 1) & 0xFFFFFFFF)
        return seq, ack
    thseq, thack = th
    if rev:
        return (seq - thack) & 0xFFFFFFFF, (ack - thseq) & 0xFFFFFFFF
    return (seq - thseq) & 0xFFFFFFFF, (ack - thack) & 0xFFFFFFFF


HTTP_PORTS = {80, 8080}
HTTP_METHODS = {"GET", "PUT", "COPY", "HEAD", "LOCK", "MOVE", "POLL", "POST", "BCOPY", "BMOVE",
                "MKCOL", "TRACE", "LABEL", "MERGE", "DELETE", "SEARCH", "UNLOCK", "REPORT",
                "UPDATE", "NOTIFY", "BDELETE", "CONNECT", "OPTIONS", "CHECKIN", "PROPFIND",
                "CHECKOUT", "CCM_POST", "SUBSCRIBE", "PROPPATCH", "BPROPFIND", "BPROPPATCH",
                "UNCHECKOUT", "MKACTIVITY", "MKWORKSPACE", "UNSUBSCRIBE", "RPC_CONNECT",
                "VERSION-CONTROL", "BASELINE-CONTROL"}


def http_print(p: bytes, length: int, o: PrintOpts) -> str:
    """print-http.c through txtproto_print: ": HTTP", then for a request (a known method
    as the first token) or a response (three digits as the second) the first line, or
    with -v ", length: N" and every text line on its own indented line."""
    words = p[:length].split(None, 2)
    print_this = bool(words) and (
        words[0].decode("latin-1").upper() in HTTP_METHODS
        or (len(words) > 1 and len(words[1]) == 3 and words[1].isdigit()))
    out = [": HTTP"]
    if print_this:
        if o.verbose:
            out.append(f", length: {length}")
            idx = 0
            while idx < length:
                idx = _print_txt_line(out, "\n\t", p, idx, length)
                if not idx:
                    break
        else:
            _print_txt_line(out, ": ", p, 0, length)
    return "".join(out)


def _print_txt_line(out: list, prefix: str, p: bytes, idx: int, length: int) -> int:
    """print_txt_line: one CRLF- or LF-ended printable line; 0 at anything else."""
    start = idx
    while idx < length:
        c = p[idx]
        if c == 10:
            out.append(prefix + p[start:idx].decode("ascii"))
            return idx + 1
        if c == 13:
            if idx + 1 >= length or p[idx + 1] != 10:
                return 0
            out.append(prefix + p[start:idx].decode("ascii"))
            return idx + 2
        if not (32 <= c < 127 or c == 9):
            return 0
        idx += 1
    out.append(prefix + p[start:idx].decode("ascii") + " [|http]")
    return 0


def _tcp_options(opts: bytes) -> str:
    parts = []
    i = 0
    while i < len(opts):
        k = opts[i]
        if k == 0:
            parts.append("eol")
            break
        if k == 1:
            parts.append("nop")
            i += 1
            continue
        ln = opts[i + 1] if i + 1 < len(opts) else 2
        v = opts[i + 2:i + ln]
        if k == 2:
            parts.append(f"mss {int.from_bytes(v, 'big')}")
        elif k == 3:
            parts.append(f"wscale {v[0] if v else 0}")
        elif k == 4:
            parts.append("sackOK")
        elif k == 8 and len(v) == 8:
            a, c = struct.unpack("!II", v)
            parts.append(f"TS val {a} ecr {c}")
        else:
            parts.append(f"opt-{k}:{v.hex()}")
        i += max(ln, 2)
    return ",".join(parts)


IGMPV3_TYPES = {1: "is_in", 2: "is_ex", 3: "to_in", 4: "to_ex", 5: "allow", 6: "block"}


def igmp_print(b: bytes, length: int, o=NUMERIC) -> str:
    """print-igmp.c: queries, v1/v2/v3 reports (v3 group records with -v), leaves."""
    o = PrintOpts.of(o)
    if o.quiet:
        return "igmp"
    if not b:
        return "[|igmp]"
    ip = lambda off: _ipaddr(b[off:off + 4], o)
    t = b[0]
    out = []
    try:
        if t == 0x11:
            out.append("igmp query")
            if length >= 12:
                out.append(" v3")
                if length & 3:
                    out.append(f" [invalid len {length}]")
                else:
                    mrc = b[1]
                    mrt = mrc if mrc < 128 else ((mrc & 0x0F) | 0x10) << (((mrc & 0x70) >> 4) + 3)
                    if mrc != 100:
                        out.append(f" [max resp time {mrt * 0.1:.1f}s]" if mrt < 600 else
                                   f" [max resp time {mrt // 10}s]")
                    if int.from_bytes(b[4:8], "big"):
                        out.append(f" [gaddr {ip(4)}")
                        nsrcs = int.from_bytes(b[10:12], "big")
                        if nsrcs:
                            if o.verbose > 1:
                                out.append(" {" + "".join(f" {ip(12 + 4 * i)}"
                                                          for i in range(nsrcs)) + " }")
                            else:
                                out.append(f", {nsrcs} source(s)")
                        out.append("]")
            else:
                if b[1]:
                    out.append(" v2")
                    if b[1] != 100:
                        out.append(f" [max resp time {b[1]}]")
                else:
                    out.append(" v1")
                if int.from_bytes(b[4:8], "big"):
                    out.append(f" [gaddr {ip(4)}]")
                if length != 8:
                    out.append(f" [len {length}]")
        elif t == 0x12:
            out.append(f"igmp v1 report {ip(4)}" + ("" if length == 8 else f" [len {length}]"))
        elif t == 0x16:
            out.append(f"igmp v2 report {ip(4)}")
        elif t == 0x17:
            out.append(f"igmp leave {ip(4)}")
        elif t == 0x22:
            out.append("igmp v3 report")
            if length < 16 or length & 3:
                out.append(f" [invalid len {length}]")
            else:
                out.append(_group_records(b, length, o, 4, IGMPV3_TYPES, "v3-report"))
        else:
            out.append(f"igmp-{t}")
    except (IndexError, ValueError):
        return "".join(out) + " [|igmp]"
    if o.verbose and length >= 4 and len(b) >= length and checksum(b[:length]):
        out.append(f" bad igmp cksum {int.from_bytes(b[2:4], 'big'):x}!")
    return "".join(out)
