"""ping_common.c from iputils 20221126: the main loop, what it prints, the statistics.

ping.py parses the command line and sets the socket up (ping.c); this module
runs it: send when due, read what came back, print as iputils prints, and the
statistics block when it ends (count, deadline, or SIGINT).
"""
from __future__ import annotations

import math
import struct
from dataclasses import dataclass
from typing import Optional

from ..kernel import fib
from ..kernel.clock import Interrupted
from ..kernel.inet import ntoa
from ..kernel.sockets import RawSocket, SocketError
from ..kernel.wire import ICMP_DEST_UNREACH, ICMP_ECHO, ICMP_ECHOREPLY, build_icmp_echo
from .base import Proc

HOSTS = {"localhost": 0x7F000001, "ip6-localhost": None}

UNREACH_TEXT = {
    0: "Destination Net Unreachable", 1: "Destination Host Unreachable",
    2: "Destination Protocol Unreachable", 3: "Destination Port Unreachable",
    5: "Source Route Failed", 6: "Destination Net Unknown", 7: "Destination Host Unknown",
    8: "Source Host Isolated", 9: "Destination Net Prohibited",
    10: "Destination Host Prohibited", 11: "Destination Net Unreachable for Type of Service",
    12: "Destination Host Unreachable for Type of Service", 13: "Packet filtered",
    14: "Precedence Violation", 15: "Precedence Cutoff",
}


@dataclass
class PingOpts:
    """What the command line asked for (ping.c's globals and rts fields)."""

    count: int = 0                # -c
    size: int = 56                # -s: data bytes
    interval: int = 1000          # -i, in ms
    interval_set: bool = False
    ttl: Optional[int] = None     # -t
    linger: int = 10000           # -W, in ms
    deadline: int = 0             # -w, in s
    quiet: bool = False           # -q
    numeric: bool = False         # -n
    broadcast: bool = False       # -b
    iface: Optional[str] = None   # -I
    flood: bool = False           # -f
    outstanding: bool = False     # -O
    preload: int = 1              # -l
    verbose: bool = False         # -v
    pmtudisc: Optional[str] = None  # -M
    adaptive: bool = False        # -A
    timestamps: bool = False      # -D
    audible: bool = False         # -a
    family: int = 0               # -4 / -6 (ping6: 6)


def _fmt_ms(us: int) -> str:
    """gather_statistics' time= format by magnitude (us in microseconds)."""
    if us >= 99950:
        return f"{(us + 500) // 1000}"
    if us >= 9995:
        return f"{(us + 50) / 1000:.1f}"
    if us >= 1000:
        return f"{(us + 5) / 1000:.2f}"
    return f"{us // 1000}.{us % 1000:03d}"


def _llsqrt(a: int) -> int:
    if a <= 0:
        return 0
    return math.isqrt(a)


class Pinger:
    """ping_common.c's main_loop: send when due, wait, read what came back, and at the
    end the statistics. One object per run; the counters are rts's."""

    def __init__(self, proc: Proc, o: PingOpts, sock: RawSocket, dst: int, src: int,
                 hostname: str, numeric: bool, iface: Optional[str], bound_dev, ident: int):
        self.proc, self.o, self.sock = proc, o, sock
        self.dst, self.src, self.hostname, self.numeric = dst, src, hostname, numeric
        self.iface, self.bound_dev, self.ident = iface, bound_dev, ident
        self.eperm_pending = False      # the last probe's sendmsg failed with EPERM
        self.sched = sched = proc.world.sched
        self.datalen = o.size
        interval = o.interval / 1000.0
        if o.flood and not o.interval_set:
            interval = 0.0
        self.interval = interval
        self.count, self.deadline, self.quiet, self.flood = o.count, o.deadline, o.quiet, o.flood
        self.timing = self.datalen >= 16
        self.ttl = o.ttl if o.ttl is not None else net_ttl(proc)
        self.preload = o.preload
        self.start = self.last_send = self.next_send = sched.now
        self.ntransmitted = self.nreceived = self.nerrors = self.nrepeats = 0
        self.tmin, self.tmax, self.tsum, self.tsum2 = 10 ** 12, 0, 0, 0
        self.pipesize = 0
        self.rcvd: set[int] = set()
        self.exit_at: Optional[float] = self.start + o.deadline if o.deadline else None
        # ping's own scheduling latency: each wake-up lands slightly after the ideal instant
        # (timer slack), which is why a 4th packet leaves just after a 3 s ARP failure.
        # Intervals under a second are waited with poll() and kept to within the timer
        # slack (50 us); the default second sleeps on SO_RCVTIMEO and the timer wheel.
        self.slack = 0.0012 if interval >= 1.0 else 0.00005
        self.tokens = interval * (self.preload - 1)
        self.pmtudisc = o.pmtudisc or "want"
        self.fast = interval == 0 or o.flood      # the pipe, not a timer, paces sending
        self.oom_count = 0                        # pinger()'s static oom_count
        self.multicast = False                    # rts->multicast (IPv6 groups)

    async def run(self) -> int:
        self.proc.out(self._header())
        try:
            await self._main_loop()
        except Interrupted:
            pass
        self.proc.out(self._statistics())
        if not self.nreceived or (self.deadline and self.count and self.nreceived < self.count):
            return 1
        return 0

    def _header(self) -> str:
        header = f"PING {self.hostname} ({ntoa(self.dst)}) "
        if self.iface is not None:
            dev = self.bound_dev.name if self.bound_dev is not None else ""
            header += f"from {ntoa(self.src)} {dev}: "
        return header + f"{self.datalen}({self.datalen + 28}) bytes of data.\n"

    async def _main_loop(self) -> None:
        sched = self.sched
        count, deadline = self.count, self.deadline
        sock = self.sock
        rxq, errq, event = sock.rxq, sock.errq, sock.event
        while True:
            now = sched.now
            if count and self.nreceived + self.nerrors >= count:
                break
            if deadline and self.nerrors:
                break
            if self.exit_at is not None and now >= self.exit_at - 1e-9:
                break
            may_send = not count or self.ntransmitted < count or deadline
            if may_send and now >= self.next_send - 1e-9 and self._pinger(now):
                continue
            # wait for a packet, the next send, or the exit alarm
            wake = self.next_send if may_send else None
            if self.exit_at is not None:
                wake = self.exit_at if wake is None else min(wake, self.exit_at)
            if not rxq and not errq:
                event.clear()
                # the scheduler takes a moment to run ping after the packet lands
                # (sock.event.wake_delay); by then a burst is all in the queues
                await event.wait(None if wake is None else max(0.0, wake - sched.now))
            self._drain()
            if (self.fast and self.ntransmitted - self.nreceived - self.nerrors < self.preload
                    and self.next_send > sched.now):
                self.next_send = sched.now     # a reply frees the pipe: send the next now

    def _pinger(self, now: float) -> bool:
        """pinger(): send one echo request; False when the pipe is full (wait instead)."""
        in_flight = self.ntransmitted - self.nreceived - self.nerrors
        if (self.fast and in_flight >= self.preload and self.ntransmitted > 0
                and now < self.last_send + 0.01 - 1e-9):
            self.next_send = self.last_send + 0.01   # MININTERVAL while the pipe is full
            return False
        ntransmitted = self.ntransmitted
        if self.o.outstanding and ntransmitted and ntransmitted not in self.rcvd:
            self.proc.out(f"no answer yet for icmp_seq={ntransmitted}\n")
        seq = (ntransmitted + 1) & 0xFFFF
        self.rcvd.discard(seq)   # rcvd_clear: the 16-bit sequence wraps
        self.last_send = now
        self.eperm_pending = False
        try:
            self._send_probe(seq, now)
        except SocketError as err:
            if err.errno == "ENOBUFS" and self._no_buffer_space(now):
                return True
            self.ntransmitted = ntransmitted = ntransmitted + 1
            if err.errno == "ENOBUFS" and not self.quiet:
                # hard_local_error: pretend the packet was sent, perror() it
                if self.flood:
                    self.proc.out("E")
                else:
                    self.proc.err("ping: sendmsg: No buffer space available\n")
            # other failures with an empty error queue are silent; a netfilter drop
            # (EPERM) whose REJECT queued an ICMP error is reported after that error
            # (receive_error_msg > 0, then hard_local_error prints "sendmsg")
            self.eperm_pending = err.errno == "EPERM"
        else:
            self.oom_count = 0
            self.ntransmitted = ntransmitted = ntransmitted + 1
            if self.flood and not self.quiet:
                self.proc.out(".")
        if self.fast:
            full = ntransmitted - self.nreceived - self.nerrors >= self.preload
            self.next_send = now + (0.01 if full else 0.0)
        elif self.tokens >= self.interval:
            self.tokens -= self.interval
            self.next_send = now
        else:
            self.next_send = now + self.interval + self.slack
        if self.count and ntransmitted >= self.count and not self.deadline:
            self._last_sent(now)
        return True

    def _send_probe(self, seq: int, now: float) -> None:
        """send_probe (ping4_send_probe): one echo request."""
        icmp = build_icmp_echo(ICMP_ECHO, self.ident, seq, _payload(now, self.datalen))
        self.sock.sendto(icmp, self.dst, self.ttl, 0, self.o.broadcast, self.pmtudisc)

    def _no_buffer_space(self, now: float) -> bool:
        """pinger()'s ENOBUFS branch (the device dropped the packet: a veth peer whose
        MTU is too small, a full queue): not sent, try again; True while the retries
        (each SCHINT(interval / 2), at most 500 ms, counted against the linger time -W)
        last. The token bucket makes the next try wait a whole interval after this one."""
        self.tokens = 0
        nores = min(max(self.o.interval // 2, 10), 500)
        self.oom_count += 1
        if self.oom_count * nores < self.o.linger:
            self.next_send = now + self.interval + self.slack
            return True
        return False

    def _last_sent(self, now: float) -> None:
        """The last of -c: wait twice the longest rtt (or the interval), else -W."""
        if self.nreceived:
            wait = max(2 * self.tmax / 1e6, self.interval)
        else:
            wait = self.o.linger / 1000.0
        if wait > 0:
            t = now + wait
            self.exit_at = t if self.exit_at is None else min(self.exit_at, t)
        else:
            self.exit_at = None

    def _drain(self) -> None:
        """Read as iputils' main_loop does: recvmsg reports a pending ICMP error first
        (sk_err: the error queue), then the data queue until EAGAIN, then what is left
        on the error queue (POLLERR); after every message, if nothing is in flight any
        more it goes back to the pinger, so a copy read by nobody stays queued until
        the socket closes (QUEUE_PURGE)."""
        sock = self.sock
        rxq, errq = sock.rxq, sock.errq
        took = 0
        while True:
            if took and self.ntransmitted - self.nreceived - self.nerrors == 0:
                break
            if sock.sk_err and errq:
                e = errq.popleft()
                # sock_dequeue_err_skb: another ICMP error behind it re-arms sk_err
                sock.sk_err = bool(errq) and errq[0].origin == "icmp"
                pinger_read = self.eperm_pending
                self._error_queue(e)
                if pinger_read and not self.eperm_pending:
                    continue    # pinger's receive_error_msg read it: the main loop goes on
            elif rxq:
                r = rxq.popleft()
                icmp = r.icmp
                if len(icmp) >= 8:
                    if icmp[0] == ICMP_ECHOREPLY:
                        self._echo_reply(r, icmp)
                    elif icmp[0] in (3, 4, 5, 11, 12):
                        self._icmp_error(r, icmp)
            elif errq:
                self._error_queue(errq.popleft())
            else:
                break
            took += 1

    def _acknowledge(self, seq: int) -> None:
        diff = (self.ntransmitted - seq) & 0xFFFF
        if diff <= 0x7FFF and diff + 1 > self.pipesize:
            self.pipesize = diff + 1

    def _echo_reply(self, r, icmp: bytes) -> None:
        """parse_reply + gather_statistics for an echo reply with our identifier."""
        if (icmp[4] << 8 | icmp[5]) != self.ident:
            return
        seq = icmp[6] << 8 | icmp[7]
        if self.quiet or self.flood:     # no reply line: who sent it is not looked up
            self._gather(r, icmp, seq, "", r.ttl, False)
            return
        who = ntoa(r.src) if self.numeric else _pr_addr(r.src, self.proc.session)
        wrong = r.src != self.dst and not _is_bcast(self.proc, self.dst)
        self._gather(r, icmp, seq, who, r.ttl, wrong)

    def _gather(self, r, icmp: bytes, seq: int, who: str, ttl: int, wrong: bool) -> None:
        """gather_statistics: count, time, and the reply line."""
        # acknowledge(seq), inlined (once per reply)
        diff = (self.ntransmitted - seq) & 0xFFFF
        if diff <= 0x7FFF and diff + 1 > self.pipesize:
            self.pipesize = diff + 1
        dup = seq in self.rcvd
        triptime = 0
        timing = self.timing
        if timing and len(icmp) >= 24:
            sent_at = _STAMP.unpack_from(icmp, 8)[0]
            triptime = max(0, int(round((r.time - sent_at) * 1e6)))
        if dup:
            self.nrepeats += 1
        else:
            self.nreceived += 1
            self.rcvd.add(seq)
        if timing:
            self.tsum += triptime
            self.tsum2 += triptime * triptime
            if triptime < self.tmin:
                self.tmin = triptime
            if triptime > self.tmax:
                self.tmax = triptime
        if self.quiet:
            return
        if self.flood:
            self.proc.out("\b \b")
            return
        line = f"{len(icmp)} bytes from {who}: icmp_seq={seq} ttl={ttl}"
        if timing:
            line += f" time={_fmt_ms(triptime)} ms"
        if dup and (not self.multicast or self.o.verbose):
            line += " (DUP!)"
        if wrong:
            line += " (DIFFERENT ADDRESS!)"
        self.proc.out(line + "\n")

    def _icmp_error(self, r, icmp: bytes) -> None:
        """An ICMP error about one of our requests, read from the data queue."""
        inner = icmp[8:]
        if len(inner) < 28:
            return
        ihl = (inner[0] & 0xF) * 4
        icmp1 = inner[ihl:]
        if (len(icmp1) < 8 or icmp1[0] != ICMP_ECHO
                or int.from_bytes(inner[16:20], "big") != self.dst
                or int.from_bytes(icmp1[4:6], "big") != self.ident):
            return
        seq = int.from_bytes(icmp1[6:8], "big")
        if icmp[0] in (3, 11, 12):
            self._acknowledge(seq)
            return
        if not self.quiet and not self.flood:
            info = int.from_bytes(icmp[4:8], "big")
            self.proc.out(f"From {ntoa(r.src)}: icmp_seq={seq} "
                          f"{_icmp_text(icmp[0], icmp[1], info)}\n")

    def _error_queue(self, e) -> None:
        """receive_error_msg: a local error, or an ICMP error quoting our request."""
        proc = self.proc
        if e.origin == "local":
            self.nerrors += 1
            if not self.quiet:
                if e.errno == "EMSGSIZE":
                    proc.err(f"ping: local error: message too long, mtu={e.info}\n")
                else:
                    proc.err(f"ping: local error: {e.errno}\n")
            return
        inner = e.inner
        if len(inner) < 28:
            return
        ihl = (inner[0] & 0xF) * 4
        if inner[9] != 1 or int.from_bytes(inner[16:20], "big") != self.dst:
            return
        icmp_in = inner[ihl:]
        if len(icmp_in) < 8 or icmp_in[0] != ICMP_ECHO:
            return
        if int.from_bytes(icmp_in[4:6], "big") != self.ident:
            return
        seq = int.from_bytes(icmp_in[6:8], "big")
        self._acknowledge(seq)
        self.nerrors += 1
        if not self.quiet:
            if self.flood:
                proc.out("\bE")
            else:
                proc.out(f"From {ntoa(e.offender)} icmp_seq={seq} "
                         f"{_icmp_text(e.type, e.code, e.info)}\n")
        if self.eperm_pending and seq == (self.ntransmitted & 0xFFFF):
            self.eperm_pending = False
            if not self.quiet:
                if self.flood:
                    proc.out("E")
                else:
                    proc.err("ping: sendmsg: Operation not permitted\n")

    def _statistics(self) -> str:
        """finish(): the statistics block."""
        ntransmitted, nreceived, nrepeats = self.ntransmitted, self.nreceived, self.nrepeats
        out = ["\n", f"--- {self.hostname} ping statistics ---\n"]
        line = f"{ntransmitted} packets transmitted, {nreceived} received"
        if nrepeats:
            line += f", +{nrepeats} duplicates"
        if self.nerrors:
            line += f", +{self.nerrors} errors"
        if ntransmitted:
            loss = (ntransmitted - nreceived) * 100.0 / ntransmitted
            elapsed = int(round((self.last_send - self.start) * 1000))
            line += f", {_g(loss)}% packet loss, time {elapsed}ms"
        out.append(line + "\n")
        tail = ""
        if nreceived and self.timing:
            total = nreceived + nrepeats
            avg = self.tsum // total
            var = self.tsum2 - self.tsum * self.tsum // total
            mdev = _llsqrt(var // total if total else 0)
            tail = (f"rtt min/avg/max/mdev = {_us(self.tmin)}/{_us(avg)}/{_us(self.tmax)}/"
                    f"{_us(mdev)} ms")
        if self.pipesize > 1:
            tail += (", " if tail else "") + f"pipe {self.pipesize}"
        if nreceived and (self.interval == 0 or self.flood or self.o.adaptive) \
                and ntransmitted > 1:
            ipg = int((self.last_send - self.start) * 1e6) // (ntransmitted - 1)
            tail += f", ipg/ewma {_us(ipg)}/{_us(self.tsum // max(1, nreceived))} ms"
        out.append(tail + "\n")
        return "".join(out)


def net_ttl(proc: Proc) -> int:
    return proc.net.sysctl_int("ip_default_ttl")


_FILL = bytes(i & 0xFF for i in range(65536))   # iputils fills the data with i & 0xff
_STAMP = struct.Struct("!dq")


def _payload(now: float, datalen: int) -> bytes:
    if datalen >= 16:
        return _STAMP.pack(now, 0) + _FILL[16:datalen]
    return _FILL[:datalen]


def _us(v: int) -> str:
    return f"{v // 1000}.{v % 1000:03d}"


def _g(x: float) -> str:
    s = f"{x:.6g}"
    return s


def _icmp_text(t: int, code: int, info: int) -> str:
    if t == ICMP_DEST_UNREACH:
        if code == 4:
            return f"Frag needed and DF set (mtu = {info & 0xFFFF})"
        return UNREACH_TEXT.get(code, f"Dest Unreachable, Bad Code: {code}")
    if t == 4:
        return "Source Quench"
    if t == 5:
        kinds = ["Redirect Network", "Redirect Host", "Redirect Type of Service and Network",
                 "Redirect Type of Service and Host"]
        k = kinds[code] if code < 4 else f"Redirect, Bad Code: {code}"
        return f"{k}(New nexthop: {ntoa(info)})"
    if t == 11:
        return "Time to live exceeded" if code == 0 else (
            "Frag reassembly time exceeded" if code == 1 else f"Time exceeded, Bad Code: {code}")
    if t == 12:
        return f"Parameter problem: pointer = {info >> 24}"
    return f"Bad ICMP type: {t}"


def _pr_addr(addr: int, session=None) -> str:
    """pr_addr: getnameinfo's name and the address; /etc/hosts is the only source."""
    files = getattr(session, "files", None) or {}
    if "/etc/hosts" in files:
        from .resolv import gethostbyaddr
        name = gethostbyaddr(session, None, addr)
        return f"{name} ({ntoa(addr)})" if name else ntoa(addr)
    for name, a in HOSTS.items():
        if a == addr:
            return f"{name} ({ntoa(addr)})"
    return ntoa(addr)


def _is_bcast(proc: Proc, dst: int) -> bool:
    return dst == 0xFFFFFFFF or fib.inet_addr_type(proc.net, dst) in (fib.RTN_BROADCAST,
                                                                      fib.RTN_MULTICAST)
