"""TCP output (net/ipv4/tcp_output.c): segments, options, windows, the write queue.

tcp_transmit_skb builds every segment a socket sends: the header, the options
(a SYN's `mss, sackOK, TS, nop, wscale` in tcp_options_write's order, then
`nop, nop, TS` on every later segment when timestamps were agreed), the window
from tcp_select_window (scaled after the handshake, rounded up to the scale's
unit as __tcp_select_window does), the checksum, and hands it to ip_local_out.
tcp_write_xmit sends the write queue within the congestion and receive windows,
holding a small segment back while an earlier small one is unacknowledged
(Nagle, Minshall's variant) unless TCP_NODELAY is set.
"""
from __future__ import annotations

import struct
from typing import TYPE_CHECKING

from . import core, ip_output, route
from .inet import ntoa, to_bytes
from .tcp_states import TCP_SYN_RECV, TCP_SYN_SENT
from .wire import (IPPROTO_TCP, TCP_ACK, TCP_FIN, TCP_PSH, TCP_RST, TCP_SYN, checksum,
                   ipv4_header, ipv4_pseudo_header)

if TYPE_CHECKING:  # pragma: no cover
    from .tcp import TcpSock

_TCPH = struct.Struct("!HHIIHHHH")
TCPOLEN_TSTAMP_ALIGNED = 12
MAX_TCP_WINDOW = 65535


def tcp_syn_options(sk: "TcpSock", synack: bool = False) -> bytes:
    """tcp_options_write for a SYN or SYN-ACK: MSS, SACK permitted with timestamps,
    window scale after a NOP."""
    opts = struct.pack("!BBH", 2, 4, sk.advmss)
    if sk.tstamp_ok or not synack:
        ecr = sk.ts_recent if synack else 0
        if sk.sack_ok or not synack:
            opts += struct.pack("!BBBBII", 4, 2, 8, 10, sk.tcp_time_stamp(), ecr)
        else:
            opts += struct.pack("!BBBBII", 1, 1, 8, 10, sk.tcp_time_stamp(), ecr)
    elif sk.sack_ok:
        opts += b"\x01\x01\x04\x02"
    if sk.wscale_ok or not synack:
        opts += struct.pack("!BBBB", 1, 3, 3, sk.rcv_wscale)
    return opts


def tcp_select_window(sk: "TcpSock") -> int:
    """The window field: rcv_wnd scaled down, rounded up to the scale's unit."""
    win = sk.rcv_wnd
    ws = sk.rcv_wscale
    if ws and (win >> ws) << ws != win:
        win = ((win >> ws) + 1) << ws
    return min(win >> ws, MAX_TCP_WINDOW)


def tcp_transmit_skb(sk: "TcpSock", seq: int, flags: int, payload: bytes = b"",
                     syn_opts: bytes = b"") -> None:
    net = sk.net
    rt = sk.rt
    if rt is None or rt.dev.dead:
        try:
            rt = sk.rt = route.ip_route_output(net, sk.daddr, sk.saddr, 0, 0)
        except route.RouteError as err:
            core.trace(_blank(sk), net, "tcp_transmit_skb", "no route", errno=err.errno)
            return
    if syn_opts:
        opts = syn_opts
        win = min(sk.rcv_wnd, MAX_TCP_WINDOW)
    else:
        opts = (struct.pack("!BBBBII", 1, 1, 8, 10, sk.tcp_time_stamp(), sk.ts_recent)
                if sk.tstamp_ok else b"")
        win = tcp_select_window(sk)
    ack = sk.rcv_nxt if flags & TCP_ACK else 0
    doff = (20 + len(opts)) // 4
    hdr = _TCPH.pack(sk.sport, sk.dport, seq & 0xFFFFFFFF, ack & 0xFFFFFFFF,
                     doff << 12 | flags, win, 0, 0) + opts
    seg = hdr + payload
    # CHECKSUM_PARTIAL, as a veth (or any offloading device) gets it: the field holds the
    # pseudo-header's sum and the rest is left to the device; tcpdump on the way out sees
    # "cksum 0x... (incorrect -> 0x...)" and the receiving end trusts it
    csum = csum_partial_pseudo(sk.saddr, sk.daddr, IPPROTO_TCP, len(seg))
    seg = seg[:16] + struct.pack("!H", csum) + seg[18:]
    iph = ipv4_header(sk.saddr, sk.daddr, IPPROTO_TCP, len(seg), net.sysctl_int("ip_default_ttl"),
                      ip_output.ip_select_ident(net), 0, df=True)
    skb = net.world.new_skb(ip_output.ZERO_ETH + iph + seg, rt.dev)
    skb.sk = sk
    if skb.trace is not None:
        core.trace(skb, net, "tcp_transmit_skb", _flag_word(flags), src=ntoa(sk.saddr),
                   sport=sk.sport, dst=ntoa(sk.daddr), dport=sk.dport, length=len(payload))
    if flags & TCP_ACK:
        tcp_event_ack_sent(sk)
    # skb_set_dst_pending_confirm: ip_finish_output2 confirms the neighbour it uses
    # (sock_confirm_neigh), after netfilter may have routed the packet elsewhere
    skb.dst_pending_confirm = sk.dst_pending_confirm
    ip_output.ip_local_out(net, skb, rt)


def csum_partial_pseudo(saddr: int, daddr: int, proto: int, length: int) -> int:
    """~tcp_v4_check(len, saddr, daddr, 0): the folded sum of the pseudo-header, which
    CHECKSUM_PARTIAL leaves in the checksum field."""
    return ~checksum(ipv4_pseudo_header(to_bytes(saddr), to_bytes(daddr), proto, length)) & 0xFFFF


def csum_ok(d: bytes, off: int, length: int, proto: int, field: int) -> bool:
    """A transport checksum that verifies, or a CHECKSUM_PARTIAL one from a local socket
    (a veth's receiver trusts those, as the skb arrives with ip_summed PARTIAL)."""
    saddr = int.from_bytes(d[26:30], "big")
    daddr = int.from_bytes(d[30:34], "big")
    stored = int.from_bytes(d[off + field:off + field + 2], "big")
    if stored == csum_partial_pseudo(saddr, daddr, proto, length):
        return True
    return checksum(ipv4_pseudo_header(d[26:30], d[30:34], proto, length) + d[off:off + length]) == 0


def _blank(sk):
    return sk.net.world.new_skb(b"", None)


def _flag_word(flags: int) -> str:
    names = [n for bit, n in ((TCP_SYN, "SYN"), (TCP_FIN, "FIN"), (TCP_RST, "RST"),
                              (TCP_PSH, "PSH"), (TCP_ACK, "ACK")) if flags & bit]
    return "+".join(names) or "none"


def tcp_event_ack_sent(sk: "TcpSock") -> None:
    """tcp_event_ack_sent: an ACK went out; the delayed one is no longer needed and a
    quick ACK is used up (tcp_dec_quickack_mode)."""
    if sk.ack_pending:
        if sk.ack_quick:
            sk.ack_quick -= 1
            if not sk.ack_quick:
                sk.ato = 0.04
    sk.ack_pending = False
    t = sk.delack_timer
    if t is not None:
        t.cancel()
        sk.delack_timer = None
    sk.rcv_wup = sk.rcv_nxt


# ---------------------------------------------------------------- the handshake

def tcp_connect(sk: "TcpSock") -> None:
    """tcp_connect_init + tcp_connect: choose the ISN, the options and the first window,
    send the SYN and start the retransmission timer."""
    net = sk.net
    rng = net.world.rng
    sk.iss = rng.getrandbits(32)
    sk.ts_offset = rng.getrandbits(32)
    sk.snd_una = sk.iss
    sk.snd_nxt = sk.iss + 1
    sk.snd_sml = sk.iss
    sk.advmss = tcp_advmss(sk)
    sk.rcv_wnd, sk.rcv_wscale = tcp_select_initial_window(sk, sk.advmss)
    sk.rtx_queue.append([sk.iss, sk.iss + 1, TCP_SYN, b""])
    tcp_transmit_skb(sk, sk.iss, TCP_SYN, syn_opts=tcp_syn_options(sk))
    tcp_reset_xmit_timer(sk)


def tcp_advmss(sk: "TcpSock") -> int:
    """ipv4_default_advmss: the route's MTU less the IP and TCP headers, at most
    IPV4_MAX_PMTU's (65535) worth (lo's 65536 gives 65495)."""
    return min(max(sk.rt.mtu() - 40, 256), 65535 - 40) if sk.rt is not None else 536


def tcp_select_initial_window(sk: "TcpSock", mss: int) -> tuple[int, int]:
    """tcp_select_initial_window: a whole number of segments under 64 KiB, and the scale
    that lets the largest receive buffer (tcp_rmem's maximum) be announced."""
    space = MAX_TCP_WINDOW
    rcv_wnd = (space // mss) * mss if mss else space
    wscale = 0
    if int(sk.net.ipv4_sysctl.get("tcp_window_scaling", "1")):
        rmem_max = int(sk.net.ipv4_sysctl.get("tcp_rmem", "4096 131072 33554432").split()[2])
        space = max(rmem_max, 4194304)               # and net.core.rmem_max
        wscale = max(0, min(14, space.bit_length() - 1 - 15))
    return rcv_wnd, wscale


def tcp_send_synack(sk: "TcpSock") -> None:
    tcp_transmit_skb(sk, sk.iss, TCP_SYN | TCP_ACK, syn_opts=tcp_syn_options(sk, synack=True))


def tcp_send_ack(sk: "TcpSock") -> None:
    tcp_transmit_skb(sk, sk.snd_nxt, TCP_ACK)


def tcp_send_active_reset(sk: "TcpSock") -> None:
    """tcp_send_active_reset: RST+ACK at snd_nxt (close() with unread data, abort)."""
    tcp_transmit_skb(sk, sk.snd_nxt, TCP_RST | TCP_ACK)


# ---------------------------------------------------------------- data and FIN

def tcp_push(sk: "TcpSock") -> None:
    tcp_write_xmit(sk)


def tcp_send_fin(sk: "TcpSock") -> None:
    """tcp_send_fin: the FIN rides on the last unsent segment, or goes alone."""
    sk.fin_queued = True
    tcp_write_xmit(sk)


def tcp_write_xmit(sk: "TcpSock") -> None:
    if sk.state in (TCP_SYN_SENT, TCP_SYN_RECV):
        return
    mss = sk.mss_cache
    sent_any = False
    while sk.write_buf:
        in_flight = len(sk.rtx_queue)
        if in_flight >= sk.cwnd:
            break
        wnd_end = sk.snd_una + sk.snd_wnd
        room = wnd_end - sk.snd_nxt
        if room <= 0:
            break
        size = min(mss, len(sk.write_buf), room)
        if size < mss and size == len(sk.write_buf) and not sk.nodelay and \
                _minshall_holds(sk) and not sk.fin_queued:
            break                                   # Nagle: wait for the small one's ACK
        payload = bytes(sk.write_buf[:size])
        del sk.write_buf[:size]
        flags = TCP_ACK
        if not sk.write_buf:
            flags |= TCP_PSH
            if sk.fin_queued and not sk.fin_sent:
                flags |= TCP_FIN
                sk.fin_sent = True
        seq = sk.snd_nxt
        end = seq + size + (1 if flags & TCP_FIN else 0)
        sk.rtx_queue.append([seq, end, flags, payload])
        sk.snd_nxt = end
        if size < mss:
            sk.snd_sml = end
        tcp_transmit_skb(sk, seq, flags, payload)
        tcp_event_data_sent(sk)
        sent_any = True
    if sk.fin_queued and not sk.fin_sent and not sk.write_buf:
        seq = sk.snd_nxt
        sk.fin_sent = True
        sk.rtx_queue.append([seq, seq + 1, TCP_FIN | TCP_ACK, b""])
        sk.snd_nxt = seq + 1
        tcp_transmit_skb(sk, seq, TCP_FIN | TCP_ACK)
        sent_any = True
    if sent_any:
        tcp_reset_xmit_timer(sk, only_if_idle=True)


def _minshall_holds(sk: "TcpSock") -> bool:
    """tcp_minshall_check: a small segment sent earlier is still unacknowledged."""
    return bool(sk.rtx_queue) and sk.snd_sml > sk.snd_una


def tcp_event_data_sent(sk: "TcpSock") -> None:
    """tcp_event_data_sent: a reply within the ACK timeout of the last data received
    counts towards interactive (pingpong) mode, where ACKs wait for data to ride on."""
    now = sk.net.world.sched.now
    if sk.ato and now - sk.lrcvtime < sk.ato:
        sk.pingpong += 1


# ---------------------------------------------------------------- retransmission

def tcp_reset_xmit_timer(sk: "TcpSock", only_if_idle: bool = False) -> None:
    t = sk.rto_timer
    if t is not None:
        if only_if_idle:
            return
        t.cancel()
    sk.rto_timer = sk.net.world.sched.call_later(sk.rto, tcp_retransmit_timer, sk)


def tcp_retransmit_timer(sk: "TcpSock") -> None:
    """tcp_retransmit_timer: send the oldest unacknowledged segment again and back off;
    a SYN given up after tcp_syn_retries leaves ETIMEDOUT for connect()."""
    sk.rto_timer = None
    if not sk.rtx_queue:
        return
    limit = int(sk.net.ipv4_sysctl.get("tcp_syn_retries", "6")) if sk.state == TCP_SYN_SENT else 15
    if sk.retransmits >= limit:
        sk.sk_err = "ETIMEDOUT"
        sk.done()            # tcp_write_err -> tcp_done, through the socket (tcp.py)
        return
    sk.retransmits += 1
    seq, end, flags, payload = sk.rtx_queue[0]
    if flags & TCP_SYN and not flags & TCP_ACK:
        tcp_transmit_skb(sk, seq, flags, syn_opts=tcp_syn_options(sk))
    else:
        tcp_transmit_skb(sk, seq, flags | TCP_ACK, payload)
    sk.rto = min(sk.rto * 2, 120.0)
    sk.rto_timer = sk.net.world.sched.call_later(sk.rto, tcp_retransmit_timer, sk)
