"""TCP input (net/ipv4/tcp_input.c): the state machine for segments that found a socket.

tcp_rcv_state_process handles every state: a listener's SYN makes a child in
SYN_RECV and answers SYN-ACK (tcp_conn_request), SYN_SENT takes the SYN-ACK
(tcp_rcv_synsent_state_process), the others check the sequence number, take the
ACK (tcp_ack: snd_una forward, the retransmit queue trimmed, RTT sampled, the
congestion window opened in slow start), queue in-order data, and process a FIN
(tcp_fin). ACKs follow the delayed-ACK engine: the first data of a connection is
acknowledged at once (quickack mode, up to 16 times), a connection that answers
within the ACK timeout turns interactive (pingpong) and its ACKs wait up to 40 ms
to ride on the reply; a FIN in ESTABLISHED enters pingpong too, so the close's
ACK usually goes out with the application's own FIN.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from . import core, route, tcp_output
from .tcp import (TCP_DELACK_MIN, TCP_MAX_QUICKACKS, TCP_MSS_DEFAULT, TCP_RTO_MIN, TcpSock,
                  inet_hashinfo, tcp_done, tcp_set_fin_timeout, tcp_time_wait)
from .tcp_states import (TCP_CLOSE, TCP_CLOSE_WAIT, TCP_CLOSING, TCP_ESTABLISHED, TCP_FIN_WAIT1,
                         TCP_FIN_WAIT2, TCP_LAST_ACK, TCP_LISTEN, TCP_SYN_RECV, TCP_SYN_SENT,
                         TCP_TIME_WAIT)
from .wire import TCP_ACK, TCP_FIN, TCP_RST, TCP_SYN

if TYPE_CHECKING:  # pragma: no cover
    from .skb import SkBuff


JIFFY = 0.004           # CONFIG_HZ=250


class TcpSeg(NamedTuple):
    """A received segment, parsed once (TCP_SKB_CB)."""

    saddr: int
    daddr: int
    sport: int
    dport: int
    seq: int
    ack: int
    flags: int
    window: int
    payload: bytes
    mss: int        # options (0 / -1 when absent)
    wscale: int
    sack_ok: bool
    tsval: int
    tsecr: int
    has_ts: bool

    @property
    def end_seq(self) -> int:
        return (self.seq + len(self.payload) + (1 if self.flags & TCP_SYN else 0)
                + (1 if self.flags & TCP_FIN else 0)) & 0xFFFFFFFF


def tcp_parse_options(opts: bytes) -> tuple[int, int, bool, int, int, bool]:
    mss, wscale, sack_ok, tsval, tsecr, has_ts = 0, -1, False, 0, 0, False
    i = 0
    while i < len(opts):
        k = opts[i]
        if k == 0:
            break
        if k == 1:
            i += 1
            continue
        if i + 1 >= len(opts) or opts[i + 1] < 2:
            break
        ln = opts[i + 1]
        v = opts[i + 2:i + ln]
        if k == 2 and ln == 4:
            mss = int.from_bytes(v, "big")
        elif k == 3 and ln == 3:
            wscale = min(v[0], 14)
        elif k == 4 and ln == 2:
            sack_ok = True
        elif k == 8 and ln == 10:
            tsval = int.from_bytes(v[:4], "big")
            tsecr = int.from_bytes(v[4:], "big")
            has_ts = True
        i += ln
    return mss, wscale, sack_ok, tsval, tsecr, has_ts


def _before(a: int, b: int) -> bool:
    return ((a - b) & 0xFFFFFFFF) >= 0x80000000


def _after(a: int, b: int) -> bool:
    return _before(b, a)


# ---------------------------------------------------------------- entry

def tcp_rcv_state_process(sk: TcpSock, seg: TcpSeg, skb: "SkBuff") -> bool:
    """Process one segment; True when the caller should answer it with a reset."""
    st = sk.state
    if st == TCP_LISTEN:
        return tcp_listen_rcv(sk, seg, skb)
    if st == TCP_SYN_SENT:
        return tcp_rcv_synsent_state_process(sk, seg, skb)
    if st == TCP_TIME_WAIT:
        return tcp_timewait_state_process(sk, seg, skb)
    if st == TCP_CLOSE:
        return not seg.flags & TCP_RST
    # tcp_validate_incoming: in window?
    if seg.flags & TCP_RST:
        if seg.seq == sk.rcv_nxt or not _before(seg.seq, sk.rcv_nxt):
            tcp_reset(sk)
        return False
    if seg.flags & TCP_SYN and st != TCP_SYN_RECV:
        tcp_output.tcp_send_ack(sk)          # challenge ACK
        return False
    if seg.payload or seg.flags & TCP_FIN:
        if seg.seq != sk.rcv_nxt:
            # old duplicate or out of order: a duplicate ACK says where we are
            sk.ack_pending = True
            tcp_output.tcp_send_ack(sk)
            return False
    if not seg.flags & TCP_ACK:
        return False
    if st == TCP_SYN_RECV:
        if seg.ack != sk.snd_nxt:
            return True
        tcp_synrecv_established(sk, seg)
    if seg.has_ts and not _after(seg.seq, sk.rcv_nxt):
        sk.ts_recent = seg.tsval
    tcp_ack(sk, seg)
    st = sk.state
    if st == TCP_CLOSE:
        return False
    # data after we closed our receiving side: the application has gone (tcp_reset, RST)
    if sk.orphan and seg.payload and st in (TCP_FIN_WAIT1, TCP_FIN_WAIT2):
        tcp_reset(sk, quiet=True)
        return True
    if seg.payload and st in (TCP_ESTABLISHED, TCP_FIN_WAIT1, TCP_FIN_WAIT2):
        tcp_data_queue(sk, seg)
    if seg.flags & TCP_FIN and sk.state not in (TCP_CLOSE, TCP_TIME_WAIT):
        sk.rcv_nxt = (sk.rcv_nxt + 1) & 0xFFFFFFFF
        sk.fin_skb_id = skb.id                 # queued for recvmsg's end of stream
        tcp_fin(sk)
    if sk.state not in (TCP_CLOSE, TCP_TIME_WAIT):
        tcp_output.tcp_write_xmit(sk)
        tcp_ack_snd_check(sk)
    return False


# ---------------------------------------------------------------- handshake

def tcp_listen_rcv(sk: TcpSock, seg: TcpSeg, skb: "SkBuff") -> bool:
    if seg.flags & TCP_RST:
        return False
    if seg.flags & TCP_ACK:
        return True                 # no such connection: tcp_v4_send_reset
    if not seg.flags & TCP_SYN:
        return False
    return tcp_conn_request(sk, seg, skb)


def tcp_conn_request(listener: TcpSock, seg: TcpSeg, skb: "SkBuff") -> bool:
    """tcp_conn_request: a request socket in SYN_RECV answers with SYN-ACK; a full accept
    queue drops the SYN (the client retransmits it)."""
    net = listener.net
    pending = len(listener.accept_queue) + sum(
        1 for s in inet_hashinfo(net).ehash.values()
        if s.parent is listener and s.state == TCP_SYN_RECV)
    if len(listener.accept_queue) > listener.max_ack_backlog or \
            pending > max(listener.max_ack_backlog, 1) * 2:
        core.trace(skb, net, "tcp_conn_request", "listen queue full",
                   backlog=listener.max_ack_backlog)
        core.drop(skb, "TCP_LISTEN_OVERFLOW", "tcp_conn_request", skb.dev)
        return False
    child = TcpSock(net)
    child.parent = listener
    child.owner = ""
    child.saddr = seg.daddr
    child.rcv_saddr = seg.daddr
    child.sport = seg.dport
    child.daddr = seg.saddr
    child.dport = seg.sport
    child.bound = True
    try:
        child.rt = route.ip_route_output(net, seg.saddr, seg.daddr, 0, 0)
    except route.RouteError:
        return False
    rng = net.world.rng
    child.iss = rng.getrandbits(32)
    child.ts_offset = rng.getrandbits(32)
    child.irs = seg.seq
    child.rcv_nxt = child.rcv_wup = child.copied_seq = (seg.seq + 1) & 0xFFFFFFFF
    child.snd_una = child.iss
    child.snd_nxt = child.snd_sml = (child.iss + 1) & 0xFFFFFFFF
    child.advmss = tcp_output.tcp_advmss(child)
    child.tstamp_ok = seg.has_ts and int(net.ipv4_sysctl.get("tcp_timestamps", "1")) > 0
    child.sack_ok = seg.sack_ok and int(net.ipv4_sysctl.get("tcp_sack", "1")) > 0
    child.wscale_ok = seg.wscale >= 0 and int(net.ipv4_sysctl.get("tcp_window_scaling", "1")) > 0
    child.ts_recent = seg.tsval
    mss = child.advmss - (tcp_output.TCPOLEN_TSTAMP_ALIGNED if child.tstamp_ok else 0)
    child.rcv_wnd, ws = tcp_output.tcp_select_initial_window(child, mss)
    child.rcv_wscale = ws if child.wscale_ok else 0
    child.snd_wscale = seg.wscale if child.wscale_ok else 0
    child.snd_wnd = seg.window
    _set_mss(child, seg.mss)
    child.state = TCP_SYN_RECV
    inet_hashinfo(net).ehash[child.key()] = child
    core.trace(skb, net, "tcp_conn_request", "SYN_RECV", port=listener.sport)
    child.rtx_queue.append([child.iss, child.snd_nxt, TCP_SYN | TCP_ACK, b""])
    tcp_output.tcp_send_synack(child)
    tcp_output.tcp_reset_xmit_timer(child)
    return False


def _set_mss(sk: TcpSock, peer_mss: int) -> None:
    """tcp_sync_mss: the segment size is the smaller MSS less the timestamp option."""
    mss = min(peer_mss or TCP_MSS_DEFAULT, sk.advmss)
    if sk.tstamp_ok:
        mss -= tcp_output.TCPOLEN_TSTAMP_ALIGNED
    sk.mss_cache = mss
    sk.rcv_mss = max(min(sk.advmss, mss, sk.rcv_wnd // 2, TCP_MSS_DEFAULT), 88)


def tcp_synrecv_established(sk: TcpSock, seg: TcpSeg) -> None:
    """The handshake's last ACK: ESTABLISHED, and into the listener's accept queue."""
    sk.state = TCP_ESTABLISHED
    sk.snd_wnd = seg.window << sk.snd_wscale
    parent = sk.parent
    if parent is not None and parent.state == TCP_LISTEN:
        parent.accept_queue.append(sk)
        parent.wake()


def tcp_rcv_synsent_state_process(sk: TcpSock, seg: TcpSeg, skb: "SkBuff") -> bool:
    if seg.flags & TCP_ACK:
        if seg.ack != sk.snd_nxt:
            return not seg.flags & TCP_RST    # an ACK for something else: reset it
        if seg.flags & TCP_RST:
            tcp_reset(sk)
            return False
        if not seg.flags & TCP_SYN:
            return False
        net = sk.net
        sk.irs = seg.seq
        sk.rcv_nxt = sk.rcv_wup = sk.copied_seq = (seg.seq + 1) & 0xFFFFFFFF
        sk.tstamp_ok = seg.has_ts
        sk.sack_ok = seg.sack_ok
        sk.wscale_ok = seg.wscale >= 0
        if sk.wscale_ok:
            sk.snd_wscale = seg.wscale
        else:
            sk.rcv_wscale = 0
        sk.ts_recent = seg.tsval
        sk.snd_wnd = seg.window
        _set_mss(sk, seg.mss)
        tcp_ack(sk, seg)
        sk.state = TCP_ESTABLISHED
        sk.lrcvtime = net.world.sched.now
        core.trace(skb, net, "tcp_finish_connect", "ESTABLISHED", port=sk.sport)
        tcp_output.tcp_send_ack(sk)
        sk.wake()
        tcp_output.tcp_write_xmit(sk)
        return False
    if seg.flags & TCP_RST:
        return False
    return False


# ---------------------------------------------------------------- ACKs and data

def tcp_ack(sk: TcpSock, seg: TcpSeg) -> None:
    """tcp_ack: move snd_una, trim the retransmit queue, sample the RTT, grow cwnd."""
    ack = seg.ack
    if _after(ack, sk.snd_nxt) or _before(ack, sk.snd_una):
        return
    if sk.state not in (TCP_SYN_SENT,):
        sk.snd_wnd = seg.window << sk.snd_wscale
    if ack == sk.snd_una:
        return
    acked = 0
    while sk.rtx_queue and not _after(sk.rtx_queue[0][1], ack):
        sk.rtx_queue.popleft()
        acked += 1
    sk.snd_una = ack
    sk.dst_pending_confirm = True          # forward progress: sk_dst_confirm
    if not sk.retransmits:
        tcp_rtt_sample(sk, 2 * 12e-6)
    sk.retransmits = 0
    if sk.cwnd < sk.ssthresh:
        sk.cwnd += acked
    if sk.rto_timer is not None:
        sk.rto_timer.cancel()
        sk.rto_timer = None
    if sk.rtx_queue:
        tcp_output.tcp_reset_xmit_timer(sk)
    if sk.fin_sent and ack == sk.snd_nxt:
        if sk.state == TCP_FIN_WAIT1:
            sk.state = TCP_FIN_WAIT2
            if sk.orphan:
                tcp_set_fin_timeout(sk)
            sk.wake()
        elif sk.state == TCP_CLOSING:
            tcp_time_wait(sk)
        elif sk.state == TCP_LAST_ACK:
            tcp_done(sk)
    sk.wake()


def tcp_rtt_sample(sk: TcpSock, rtt: float) -> None:
    """tcp_rtt_estimator + tcp_set_rto: RTO = srtt + 4 rttvar, rttvar at least 200 ms."""
    if not sk.srtt:
        sk.srtt = rtt
        sk.rttvar = rtt / 2
    else:
        sk.rttvar = 0.75 * sk.rttvar + 0.25 * abs(sk.srtt - rtt)
        sk.srtt = 0.875 * sk.srtt + 0.125 * rtt
    sk.rto = min(sk.srtt + max(4 * sk.rttvar, TCP_RTO_MIN), 120.0)


def tcp_data_queue(sk: TcpSock, seg: TcpSeg) -> None:
    sk.rcv_buf += seg.payload
    sk.rcv_nxt = (sk.rcv_nxt + len(seg.payload)) & 0xFFFFFFFF
    tcp_event_data_recv(sk)
    sk.wake()


def tcp_event_data_recv(sk: TcpSock) -> None:
    """tcp_event_data_recv: schedule an ACK; the first data starts quickack mode."""
    now = sk.net.world.sched.now
    sk.ack_pending = True
    if not sk.ato:
        tcp_incr_quickack(sk)
        sk.ato = TCP_DELACK_MIN
    sk.lrcvtime = now


def tcp_incr_quickack(sk: TcpSock) -> None:
    quick = sk.rcv_wnd // (2 * sk.rcv_mss) if sk.rcv_mss else 0
    quick = min(quick or 2, TCP_MAX_QUICKACKS)
    if quick > sk.ack_quick:
        sk.ack_quick = quick


def tcp_fin(sk: TcpSock) -> None:
    """tcp_fin: the peer will send no more."""
    sk.rcv_shutdown = True
    sk.ack_pending = True
    st = sk.state
    if st in (TCP_SYN_RECV, TCP_ESTABLISHED):
        sk.state = TCP_CLOSE_WAIT
        sk.pingpong = max(sk.pingpong, 1)      # inet_csk_enter_pingpong_mode
    elif st == TCP_FIN_WAIT1:
        tcp_output.tcp_send_ack(sk)
        sk.state = TCP_CLOSING
    elif st == TCP_FIN_WAIT2:
        tcp_output.tcp_send_ack(sk)
        tcp_time_wait(sk)
    sk.wake()


def tcp_ack_snd_check(sk: TcpSock) -> None:
    """__tcp_ack_snd_check: now, or later from the delayed-ACK timer."""
    if not sk.ack_pending:
        return
    # more than one full-sized segment unacknowledged: ACK every second segment
    more_than_one = ((sk.rcv_nxt - sk.rcv_wup) & 0xFFFFFFFF) >= 2 * sk.mss_cache
    if more_than_one or (sk.ack_quick and not sk.pingpong):
        tcp_output.tcp_send_ack(sk)
        return
    tcp_send_delayed_ack(sk)


def tcp_send_delayed_ack(sk: TcpSock) -> None:
    """tcp_send_delayed_ack: the timer runs `ato` from now; before any data was received
    ato is still 0 and the ACK goes at the next timer tick (one jiffy, HZ=250)."""
    if sk.delack_timer is None:
        ato = sk.ato or JIFFY
        sk.delack_timer = sk.net.world.sched.call_later(ato, tcp_delack_timer, sk)


def tcp_delack_timer(sk: TcpSock) -> None:
    """tcp_delack_timer_handler: the ACK nobody's data carried; leave pingpong mode."""
    sk.delack_timer = None
    if not sk.ack_pending or sk.state in (TCP_CLOSE, TCP_TIME_WAIT, TCP_LISTEN):
        return
    if sk.pingpong:
        sk.pingpong = 0
        sk.ato = TCP_DELACK_MIN
    tcp_output.tcp_send_ack(sk)


def tcp_reset(sk: TcpSock, quiet: bool = False) -> None:
    """tcp_reset: the peer reset us: ECONNREFUSED while connecting, EPIPE after our FIN was
    read... ECONNRESET otherwise."""
    st = sk.state
    if not quiet:
        if st == TCP_SYN_SENT:
            sk.sk_err = "ECONNREFUSED"
        elif st == TCP_CLOSE_WAIT:
            sk.sk_err = "EPIPE"
        elif st != TCP_CLOSE:
            sk.sk_err = "ECONNRESET"
    sk.write_buf.clear()
    sk.rtx_queue.clear()
    tcp_done(sk)


def tcp_timewait_state_process(sk: TcpSock, seg: TcpSeg, skb: "SkBuff") -> bool:
    """tcp_timewait_state_process: a retransmitted FIN is acknowledged again."""
    if seg.flags & TCP_RST:
        return False
    if seg.flags & TCP_FIN:
        tcp_output.tcp_send_ack(sk)
    elif seg.flags & TCP_SYN:
        return False
    return False

