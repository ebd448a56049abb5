"""TCP sockets (net/ipv4/tcp.c, inet_hashtables.c, inet_connection_sock.c).

A `TcpSock` is struct tcp_sock cut down to what small transfers need: the send
and receive sequence spaces, the options agreed in the handshake (MSS, SACK
permitted, timestamps, window scale), a write queue and a retransmit queue, the
delayed-ACK engine's quick/pingpong state and the retransmission timer. The
calls a program makes are here (`connect`, `listen`, `accept`, `sendmsg`,
`recvmsg`, `shutdown`, `close`); segments are built by tcp_output.py and
received by tcp_input.py through tcp_ipv4.py, which registers TCP with
inet_add_protocol.

Sockets of a namespace live in its `inet_hashinfo` (listeners by local address
and port, the established hash by four-tuple, bound ports), as the kernel's
tcp_hashinfo is per-netns in effect.
"""
from __future__ import annotations

from collections import deque
from typing import TYPE_CHECKING, Optional

from . import route, tcp_output
from .clock import Event
from .sockets import SocketError
from .tcp_states import (TCP_CLOSE, TCP_CLOSE_WAIT, TCP_ESTABLISHED, TCP_FIN_WAIT1, TCP_FIN_WAIT2,
                         TCP_LAST_ACK, TCP_LISTEN, TCP_SYN_RECV, TCP_SYN_SENT, TCP_TIME_WAIT)

if TYPE_CHECKING:  # pragma: no cover
    from .netns import Net

TCP_TIMEOUT_INIT = 1.0      # the first RTO, before any RTT sample
TCP_RTO_MIN = 0.2
TCP_RTO_MAX = 120.0
TCP_TIMEWAIT_LEN = 60.0
TCP_DELACK_MIN = 0.04       # TCP_ATO_MIN: the delayed-ACK timeout
TCP_MAX_QUICKACKS = 16
TCP_MSS_DEFAULT = 536
TCP_INIT_CWND = 10
SOCK_WAKE_S = 30e-6         # a process blocked on a socket runs this long after the wake-up


class InetHashinfo:
    """tcp_hashinfo of one namespace: listening, established (and TIME_WAIT), bound."""

    def __init__(self) -> None:
        self.listening: dict[tuple[int, int], "TcpSock"] = {}
        self.ehash: dict[tuple[int, int, int, int], "TcpSock"] = {}
        self.bhash: dict[int, list["TcpSock"]] = {}

    def sockets(self) -> list["TcpSock"]:
        return list(self.listening.values()) + list(self.ehash.values())


def inet_hashinfo(net: "Net") -> InetHashinfo:
    h = getattr(net, "tcp_hashinfo", None)
    if h is None:
        h = net.tcp_hashinfo = InetHashinfo()
    return h


def pick_ephemeral_port(net: "Net", used, even: bool = True) -> int:
    """__inet_hash_connect: a random start in ip_local_port_range, connect() taking even
    ports (bind() keeps the odd ones), the first one free."""
    lo, hi = 32768, 60999
    rng = net.world.rng
    span = hi - lo + 1
    start = lo + rng.randrange(span)
    if even:
        start &= ~1
    for i in range(0, span, 2 if even else 1):
        port = lo + (start - lo + i) % span
        if not used(port):
            return port
    raise SocketError("EADDRNOTAVAIL")


class TcpSock:
    """struct tcp_sock, the fields that matter here."""

    proto = "tcp"

    def __init__(self, net: "Net"):
        self.net = net
        self.state = TCP_CLOSE
        self.rcv_saddr = 0          # bind()'s address (0: any)
        self.saddr = 0
        self.sport = 0
        self.daddr = 0
        self.dport = 0
        self.bound = False
        self.parent: Optional["TcpSock"] = None     # the listener of a passive open
        self.accept_queue: deque["TcpSock"] = deque()
        self.max_ack_backlog = 0
        # sequence spaces
        self.iss = self.snd_una = self.snd_nxt = self.snd_sml = 0
        self.irs = self.rcv_nxt = self.rcv_wup = self.copied_seq = 0
        self.snd_wnd = 0
        self.rcv_wnd = 0
        self.window_clamp = 0
        # options agreed in the handshake
        self.advmss = 1460
        self.mss_cache = TCP_MSS_DEFAULT
        self.rcv_mss = TCP_MSS_DEFAULT
        self.tstamp_ok = self.sack_ok = self.wscale_ok = False
        self.snd_wscale = self.rcv_wscale = 0
        self.ts_offset = 0
        self.ts_recent = 0
        # queues
        self.write_buf = bytearray()          # not yet sent
        self.rtx_queue: deque[list] = deque()  # [seq, end_seq, flags, payload], sent, unacked
        self.rcv_buf = bytearray()
        self.fin_queued = False               # shutdown(SHUT_WR) or close(): FIN after the data
        self.fin_sent = False
        self.rcv_shutdown = False             # the peer's FIN arrived
        self.fin_skb_id = 0                   # the FIN's skb, on the receive queue until read
        self.orphan = False                   # close()d: no process holds it any more
        self.sk_err = ""
        self.nodelay = False
        self.cwnd = TCP_INIT_CWND
        self.ssthresh = 0x7FFFFFFF
        # delayed ACK (inet_connection_sock's icsk_ack)
        self.ack_pending = False
        self.ack_quick = 0
        self.ato = 0.0
        self.pingpong = 0
        self.lrcvtime = 0.0
        self.delack_timer = None
        # retransmission
        self.srtt = 0.0
        self.rttvar = 0.0
        self.rto = TCP_TIMEOUT_INIT
        self.retransmits = 0
        self.rto_timer = None
        self.tw_timer = None
        self.rt = None
        self.dst_pending_confirm = False   # sk_dst_confirm: the peer is alive (neigh_confirm)
        self.owner = ""                 # users:(("nc",pid=..,fd=3)) for ss -p
        self.event = Event(net.world.sched, SOCK_WAKE_S)

    # -- naming ------------------------------------------------------------
    def done(self) -> None:
        """tcp_done, for the layers below this module (the retransmit timer in
        tcp_output gives up through it, as tcp_write_err does)."""
        tcp_done(self)

    def key(self) -> tuple[int, int, int, int]:
        return (self.saddr, self.sport, self.daddr, self.dport)

    def wake(self) -> None:
        self.event.set()

    def tcp_time_stamp(self) -> int:
        """tcp_time_stamp_ts: milliseconds on the virtual clock plus the connection's offset."""
        return (int(self.net.world.sched.now * 1000) + self.ts_offset) & 0xFFFFFFFF

    # -- bind / listen / accept ---------------------------------------------
    def bind(self, addr: int, port: int) -> None:
        """inet_bind: EADDRINUSE when the port is taken (SO_REUSEADDR as nc sets it lets a
        TIME_WAIT socket be)."""
        h = inet_hashinfo(self.net)
        if port:
            for other in h.bhash.get(port, []):
                if other.state == TCP_TIME_WAIT or other is self:
                    continue
                if not addr or not other.rcv_saddr or other.rcv_saddr == addr:
                    raise SocketError("EADDRINUSE")
        else:
            port = pick_ephemeral_port(self.net, lambda p: p in h.bhash, even=False)
        self.rcv_saddr = addr
        self.saddr = addr
        self.sport = port
        self.bound = True
        h.bhash.setdefault(port, []).append(self)

    def listen(self, backlog: int) -> None:
        if not self.bound:
            self.bind(0, 0)
        self.max_ack_backlog = min(backlog, self.net_somaxconn())
        self.state = TCP_LISTEN
        inet_hashinfo(self.net).listening[(self.rcv_saddr, self.sport)] = self

    def net_somaxconn(self) -> int:
        return 4096

    def accept(self) -> Optional["TcpSock"]:
        if self.accept_queue:
            return self.accept_queue.popleft()
        return None

    # -- connect --------------------------------------------------------------
    def connect(self, daddr: int, dport: int) -> None:
        """tcp_v4_connect: route, source address and port, then tcp_connect's SYN.
        Raises SocketError(ENETUNREACH, ...) when there is no route."""
        net = self.net
        try:
            rt = route.ip_route_output(net, daddr, self.rcv_saddr, 0, 0)
        except route.RouteError as err:
            raise SocketError(err.errno)
        if rt.flags & (route.RTCF_BROADCAST | route.RTCF_MULTICAST):
            raise SocketError("ENETUNREACH")
        self.rt = rt
        self.daddr = daddr
        self.dport = dport
        self.saddr = self.rcv_saddr or rt.src
        h = inet_hashinfo(net)
        if not self.sport:
            self.sport = pick_ephemeral_port(
                net, lambda p: p in h.bhash or (self.saddr, p, daddr, dport) in h.ehash)
            h.bhash.setdefault(self.sport, []).append(self)
            self.bound = True
        h.ehash[self.key()] = self
        self.state = TCP_SYN_SENT
        tcp_output.tcp_connect(self)

    # -- data -------------------------------------------------------------------
    def sendmsg(self, data: bytes) -> int:
        if self.sk_err:
            err, self.sk_err = self.sk_err, ""
            raise SocketError(err)
        if self.fin_queued or self.state not in (TCP_ESTABLISHED, TCP_CLOSE_WAIT):
            raise SocketError("EPIPE")
        self.write_buf += data
        tcp_output.tcp_push(self)
        return len(data)

    def recvmsg(self, size: int = 65536) -> Optional[bytes]:
        """Bytes ready, b"" at the end of the stream, None when it would block.
        Raises SocketError for a pending error (a reset)."""
        if self.rcv_buf:
            data = bytes(self.rcv_buf[:size])
            del self.rcv_buf[:size]
            self.copied_seq += len(data)
            return data
        if self.sk_err:
            err, self.sk_err = self.sk_err, ""
            raise SocketError(err)
        if self.rcv_shutdown or self.state == TCP_CLOSE:
            self.fin_skb_id = 0               # the end of the stream read: the FIN's skb eaten
            return b""
        return None

    def readable(self) -> bool:
        return bool(self.rcv_buf) or self.rcv_shutdown or bool(self.sk_err) or \
            self.state == TCP_CLOSE

    def shutdown_wr(self) -> None:
        """shutdown(SHUT_WR): the FIN goes after the data queued."""
        if self.state in (TCP_ESTABLISHED, TCP_SYN_RECV):
            self.state = TCP_FIN_WAIT1
        elif self.state == TCP_CLOSE_WAIT:
            self.state = TCP_LAST_ACK
        else:
            return
        tcp_output.tcp_send_fin(self)

    def close(self) -> None:
        """tcp_close: unread data means a reset; otherwise the FIN (a listener resets the
        connections nobody accepted)."""
        self.orphan = True
        self.fin_skb_id = 0                   # tcp_close frees what is queued (no drop reason)
        if self.state == TCP_LISTEN:
            for child in list(self.accept_queue):
                child.orphan = True
                tcp_output.tcp_send_active_reset(child)
                tcp_done(child)
            self.accept_queue.clear()
            tcp_done(self)
            return
        if self.state in (TCP_CLOSE, TCP_SYN_SENT):
            tcp_done(self)
            return
        if self.rcv_buf:
            self.rcv_buf.clear()
            tcp_output.tcp_send_active_reset(self)
            tcp_done(self)
            return
        if self.state in (TCP_ESTABLISHED, TCP_CLOSE_WAIT, TCP_SYN_RECV):
            self.shutdown_wr()
        elif self.state == TCP_FIN_WAIT2:
            tcp_set_fin_timeout(self)

    # -- for ss -------------------------------------------------------------------
    def queues(self) -> tuple[int, int]:
        """Recv-Q and Send-Q as ss shows them (a listener: accept queue and backlog)."""
        if self.state == TCP_LISTEN:
            return len(self.accept_queue), self.max_ack_backlog
        return len(self.rcv_buf), (self.snd_nxt - self.snd_una + len(self.write_buf)) & 0xFFFFFFFF


def tcp_set_fin_timeout(sk: TcpSock) -> None:
    """An orphan in FIN_WAIT2 lives tcp_fin_timeout seconds."""
    if sk.tw_timer is None:
        sk.tw_timer = sk.net.world.sched.call_later(TCP_TIMEWAIT_LEN, tcp_done, sk)


def tcp_time_wait(sk: TcpSock) -> None:
    """tcp_time_wait: the socket lingers TIME_WAIT for 60 s (TCP_TIMEWAIT_LEN). An orphan's
    full socket is destroyed here: the FIN it queued and nobody read goes with
    QUEUE_PURGE (sk_stream_kill_queues)."""
    sk_stream_kill_queues(sk)
    sk.state = TCP_TIME_WAIT
    tcp_clear_xmit_timers(sk)
    if sk.tw_timer is not None:
        sk.tw_timer.cancel()
    sk.tw_timer = sk.net.world.sched.call_later(TCP_TIMEWAIT_LEN, tcp_done, sk)
    sk.wake()


def sk_stream_kill_queues(sk: TcpSock) -> None:
    """An orphan destroyed with its peer's FIN still queued: freed with QUEUE_PURGE."""
    if sk.orphan and sk.fin_skb_id:
        sk.net.world.packet_dropped_id(sk.net, sk.fin_skb_id, "QUEUE_PURGE",
                                       "sk_stream_kill_queues")
    sk.fin_skb_id = 0


def tcp_clear_xmit_timers(sk: TcpSock) -> None:
    for name in ("rto_timer", "delack_timer"):
        t = getattr(sk, name)
        if t is not None:
            t.cancel()
            setattr(sk, name, None)


def tcp_done(sk: TcpSock) -> None:
    """tcp_done: CLOSE, out of the hash tables, the process told."""
    if sk.state != TCP_TIME_WAIT:
        sk_stream_kill_queues(sk)
    sk.state = TCP_CLOSE
    tcp_clear_xmit_timers(sk)
    if sk.tw_timer is not None:
        sk.tw_timer.cancel()
        sk.tw_timer = None
    h = inet_hashinfo(sk.net)
    if h.ehash.get(sk.key()) is sk:
        del h.ehash[sk.key()]
    if h.listening.get((sk.rcv_saddr, sk.sport)) is sk:
        del h.listening[(sk.rcv_saddr, sk.sport)]
    owners = h.bhash.get(sk.sport)
    if owners and sk in owners:
        owners.remove(sk)
        if not owners:
            del h.bhash[sk.sport]
    sk.wake()


def tcp_socket(net: "Net") -> TcpSock:
    return TcpSock(net)
