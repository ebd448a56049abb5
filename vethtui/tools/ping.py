"""ping from iputils 20221126 (Debian 12), as root: a raw ICMP socket.

What it prints, when it stops and with which status follow ping/ping.c and
ping/ping_common.c: header, reply lines, "From X icmp_seq=N ..." from the
socket's error queue, `no answer yet` with -O, the statistics block (loss
with %g, rtt truncated to microseconds, mdev by integer square root,
`pipe N`), linger (10 s or -W) after the last packet when nothing came back,
deadline -w, and SIGINT (Ctrl+C) printing the statistics.
"""
from __future__ import annotations

import math
import struct
from typing import Optional

from ..kernel.clock import Interrupted
from ..kernel.inet import ntoa
from ..kernel.sockets import RawSocket, SocketError
from ..kernel.wire import ICMP_DEST_UNREACH, ICMP_ECHO, ICMP_ECHOREPLY, build_icmp_echo
from .base import Proc

USAGE = """
Usage
  ping [options] <destination>

Options:
  <destination>      dns name or ip address
  -a                 use audible ping
  -A                 use adaptive ping
  -B                 sticky source address
  -c <count>         stop after <count> replies
  -C                 call connect() syscall on socket creation
  -D                 print timestamps
  -d                 use SO_DEBUG socket option
  -e <identifier>    define identifier for ping session, default is random for
                     SOCK_RAW and kernel defined for SOCK_DGRAM
                     Imply using SOCK_RAW (for IPv4 only for identifier 0)
  -f                 flood ping
  -h                 print help and exit
  -I <interface>     either interface name or address
  -i <interval>      seconds between sending each packet
  -L                 suppress loopback of multicast packets
  -l <preload>       send <preload> number of packages while waiting replies
  -m <mark>          tag the packets going out
  -M <pmtud opt>     define mtu discovery, can be one of <do|dont|want>
  -n                 no dns name resolution
  -O                 report outstanding replies
  -p <pattern>       contents of padding byte
  -q                 quiet output
  -Q <tclass>        use quality of service <tclass> bits
  -s <size>          use <size> as number of data bytes to be sent
  -S <size>          use <size> as SO_SNDBUF socket option value
  -t <ttl>           define time to live
  -U                 print user-to-user latency
  -v                 verbose output
  -V                 print version and exit
  -w <deadline>      reply wait <deadline> in seconds
  -W <timeout>       time to wait for response

IPv4 options:
  -4                 use IPv4
  -b                 allow pinging broadcast
  -R                 record route
  -T <timestamp>     define timestamp, can be one of <tsonly|tsandaddr|tsprespec>

IPv6 options:
  -6                 use IPv6
  -F <flowlabel>     define flow label, default is random
  -N <nodeinfo opt>  use icmp6 node info query, try <help> as argument

For more details see ping(8).
"""

LONG_MAX = 9223372036854775807
WAKEUP_S = 40e-6   # process wake-up latency after a packet is queued
INT_MAX = 2147483647
OPTS_WITH_ARG = set("TFNceiIlmMpQsStwW")
OPTS_FLAGS = set("h?4b R6aABCdDfLnOqrUvV".replace(" ", ""))

UNREACH_TEXT = {
    0: "Destination Net Unreachable", 1: "Destination Host Unreachable",
    2: "Destination Protocol Unreachable", 3: "Destination Port Unreachable",
    5: "Source Route Failed", 6: "Destination Net Unknown", 7: "Destination Host Unknown",
    8: "Source Host Isolated", 9: "Destination Net Prohibited",
    10: "Destination Host Prohibited", 11: "Destination Net Unreachable for Type of Service",
    12: "Destination Host Unreachable for Type of Service", 13: "Packet filtered",
    14: "Precedence Violation", 15: "Precedence Cutoff",
}

ERRNO_TEXT = {"ENETUNREACH": "Network is unreachable", "EHOSTUNREACH": "No route to host",
              "EINVAL": "Invalid argument", "ENODEV": "No such device",
              "EACCES": "Permission denied", "EADDRNOTAVAIL": "Cannot assign requested address"}


class PingExit(Exception):
    def __init__(self, status: int):
        self.status = status


def _die(proc: Proc, msg: str, status: int) -> None:
    proc.err(f"ping: {msg}\n")
    raise PingExit(status)


def _strtol(proc: Proc, text: str, lo: int, hi: int) -> int:
    t = text.strip()
    try:
        if not t or t != text.lstrip() or not t.lstrip("+-").isdigit():
            raise ValueError
        v = int(t)
    except ValueError:
        _die(proc, f"invalid argument: '{text}'", 1)
    if v > LONG_MAX or v < -LONG_MAX - 1:
        _die(proc, f"invalid argument: '{text}': Numerical result out of range", 1)
    if v < lo or v > hi:
        _die(proc, f"invalid argument: '{text}': out of range: {lo} <= value <= {hi}", 1)
    return v


def _strtod(proc: Proc, text: str) -> float:
    """ping_strtod: garbage is only a warning; the parsed prefix is used."""
    import re
    m = re.match(r"\s*[-+]?(\d+\.?\d*(e[-+]?\d+)?|\.\d+(e[-+]?\d+)?|inf|infinity|nan)", text, re.I)
    if not m:
        proc.err(f"ping: option argument contains garbage: {text}\n"
                 "ping: this will become fatal error in the future\n")
        return 0.0
    value = float(m.group(0))
    rest = text[m.end():]
    if rest:
        proc.err(f"ping: option argument contains garbage: {rest}\n"
                 "ping: this will become fatal error in the future\n")
    return value


def _inet_aton(text: str) -> Optional[int]:
    """glibc inet_aton: 1-4 parts, decimal/octal/hex, last part fills the rest."""
    if not text or text.endswith("."):
        return None
    parts = text.split(".")
    if len(parts) > 4:
        return None
    vals = []
    for p in parts:
        try:
            if p.lower().startswith("0x"):
                v = int(p[2:], 16) if len(p) > 2 else 0
            elif len(p) > 1 and p.startswith("0"):
                v = int(p, 8)
            elif p.isdigit():
                v = int(p)
            else:
                return None
        except ValueError:
            return None
        vals.append(v)
    limits = {1: [0xFFFFFFFF], 2: [255, 0xFFFFFF], 3: [255, 255, 0xFFFF], 4: [255, 255, 255, 255]}
    lim = limits[len(vals)]
    if any(v > m for v, m in zip(vals, lim)):
        return None
    if len(vals) == 1:
        return vals[0]
    if len(vals) == 2:
        return vals[0] << 24 | vals[1]
    if len(vals) == 3:
        return vals[0] << 24 | vals[1] << 16 | vals[2]
    return vals[0] << 24 | vals[1] << 16 | vals[2] << 8 | vals[3]


HOSTS = {"localhost": 0x7F000001, "ip6-localhost": None}


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


async def main(proc: Proc, argv: list[str]) -> int:
    try:
        return await _ping(proc, argv)
    except PingExit as e:
        return e.status


async def _ping(proc: Proc, argv: list[str]) -> int:
    opts: dict = {"count": 0, "size": 56, "interval": 1000, "interval_set": False, "ttl": None,
                  "linger": 10000, "deadline": 0, "quiet": False, "numeric": False,
                  "broadcast": False, "iface": None, "flood": False, "outstanding": False,
                  "preload": 1, "verbose": False, "pmtudisc": None, "adaptive": False,
                  "timestamps": False, "audible": False}
    positional: list[str] = []
    i = 1
    while i < len(argv):
        a = argv[i]
        if a == "--":
            positional.extend(argv[i + 1:])
            break
        if not a.startswith("-") or a == "-":
            positional.append(a)
            i += 1
            continue
        j = 1
        while j < len(a):
            ch = a[j]
            if ch in OPTS_WITH_ARG:
                val = a[j + 1:]
                if not val:
                    i += 1
                    if i >= len(argv):
                        proc.err(f"ping: option requires an argument -- '{ch}'\n{USAGE}")
                        return 2
                    val = argv[i]
                _option(proc, opts, ch, val)
                break
            if ch in OPTS_FLAGS or ch in "h?":
                if ch in "h?":
                    proc.err(USAGE)
                    return 2
                if ch == "V":
                    proc.out("ping from iputils 20221126\nlibcap: yes, IDN: yes, NLS: no, "
                             "error.h: yes, getrandom(): yes, __fpending(): yes\n")
                    return 0
                _flag(opts, ch)
                j += 1
                continue
            proc.err(f"ping: invalid option -- '{ch}'\n{USAGE}")
            return 2
        i += 1
    if not positional:
        _die(proc, "usage error: Destination address required", 1)
    target = positional[-1]
    return await _run(proc, opts, target)


def _option(proc: Proc, o: dict, ch: str, val: str) -> None:
    if ch == "c":
        o["count"] = _strtol(proc, val, 1, LONG_MAX)
    elif ch == "s":
        o["size"] = _strtol(proc, val, 0, INT_MAX)
    elif ch == "t":
        o["ttl"] = _strtol(proc, val, 0, 255)
    elif ch == "w":
        o["deadline"] = _strtol(proc, val, 0, INT_MAX)
    elif ch == "l":
        o["preload"] = _strtol(proc, val, 1, 65536)
    elif ch == "i":
        v = _strtod(proc, val)
        if math.isinf(v) or math.isnan(v):
            _die(proc, f"bad timing interval: {val}: Numerical result out of range", 2)
        if v > INT_MAX / 1000:
            _die(proc, f"bad timing interval: {val}", 2)
        o["interval"] = int(v * 1000)
        o["interval_set"] = True
    elif ch == "W":
        v = _strtod(proc, val)
        if math.isinf(v) or math.isnan(v):
            _die(proc, f"bad linger time: {val}: Numerical result out of range", 2)
        if v < 0 or v > INT_MAX / 1000:
            _die(proc, f"bad linger time: {val}", 2)
        o["linger"] = int(v * 1000)
    elif ch == "I":
        o["iface"] = val
    elif ch == "M":
        if val not in ("do", "dont", "want"):
            _die(proc, f"invalid -M argument: {val}", 2)
        o["pmtudisc"] = val
    elif ch == "e":
        _strtol(proc, val, 0, 65535)
    elif ch == "m":
        _strtol(proc, val, 0, 4294967295)
    elif ch == "S":
        _strtol(proc, val, 1, INT_MAX)
    elif ch == "T":
        if val not in ("tsonly", "tsandaddr", "tsprespec"):
            _die(proc, f"invalid timestamp type: {val}", 2)
    elif ch == "p":
        pass
    elif ch == "Q":
        pass


def _flag(o: dict, ch: str) -> None:
    if ch == "q":
        o["quiet"] = True
    elif ch == "n":
        o["numeric"] = True
    elif ch == "b":
        o["broadcast"] = True
    elif ch == "f":
        o["flood"] = True
    elif ch == "O":
        o["outstanding"] = True
    elif ch == "v":
        o["verbose"] = True
    elif ch == "A":
        o["adaptive"] = True
    elif ch == "D":
        o["timestamps"] = True
    elif ch == "a":
        o["audible"] = True


async def _run(proc: Proc, o: dict, target: str) -> int:
    from ..kernel import route
    from ..kernel.devinet import find_local_ifa
    net = proc.net
    world = proc.world
    dst = _inet_aton(target)
    hostname = target
    numeric = o["numeric"]
    if dst is None:
        if target in HOSTS and HOSTS[target] is not None:
            dst = HOSTS[target]
        elif target == world.hostname:
            dst = 0x7F000101
        else:
            _die(proc, f"{target}: Temporary failure in name resolution", 2)
    else:
        numeric = True
    iface = o["iface"]
    bound_dev = None
    bind_addr = 0
    if iface is not None:
        a = _inet_aton(iface) if iface.count(".") == 3 else None
        if a is not None:
            bind_addr = a
        elif ":" in iface:
            _die(proc, "vethtui: IPv6 source addresses are not simulated", 2)
        else:
            bound_dev = net.dev_by_name(iface)
            if bound_dev is None:
                _die(proc, f"SO_BINDTODEVICE {iface}: No such device", 2)
    if o["ttl"] == 0:
        _die(proc, "cannot set unicast time-to-live: Invalid argument", 2)
    # source address: connect() a UDP probe socket (optionally bound to the device)
    src = bind_addr
    if not bind_addr:
        try:
            rt = route.ip_route_output(net, dst, 0, bound_dev.ifindex if bound_dev else 0)
        except route.RouteError as err:
            if err.errno == "EACCES":   # ping4_run reads EACCES as a broadcast refused (prohibit)
                if not o["broadcast"]:
                    _die(proc, "Do you want to ping broadcast? Then -b. If not, "
                               "check your local firewall rules", 2)
                proc.err("WARNING: pinging broadcast address\n")
            _die(proc, f"connect: {ERRNO_TEXT.get(err.errno, err.errno)}", 2)
        from ..kernel.route import RTCF_BROADCAST
        if rt.flags & RTCF_BROADCAST:
            if not o["broadcast"]:
                _die(proc, "Do you want to ping broadcast? Then -b. If not, "
                           "check your local firewall rules", 2)
            proc.err("WARNING: pinging broadcast address\n")
        src = rt.src
        if bound_dev is not None:
            owned = bound_dev.in_dev is not None and any(
                ifa.local == src for ifa in bound_dev.in_dev.ifa_list)
            if not owned:
                proc.err(f"ping: Warning: source address might be selected on device other than: {iface}\n")
            proc.note(f"ping -I {iface} binds its socket to {iface} (SO_BINDTODEVICE): it sends "
                      f"through {iface}'s routes and sees only packets that count as "
                      f"arriving on {iface}")
    else:
        if find_local_ifa(net, bind_addr) is None:
            _die(proc, "bind: Cannot assign requested address", 2)
        try:
            rt = route.ip_route_output(net, dst, 0, 0)
            from ..kernel.route import RTCF_BROADCAST
            if rt.flags & RTCF_BROADCAST:
                if not o["broadcast"]:
                    _die(proc, "Do you want to ping broadcast? Then -b. If not, "
                               "check your local firewall rules", 2)
                proc.err("WARNING: pinging broadcast address\n")
        except route.RouteError:
            pass
    if dst == 0:
        dst = src or 0x7F000001
    ident = getattr(proc, "pid", 0) & 0xFFFF or world.rng.randrange(1, 65536)
    sock = RawSocket(net, bound_dev_if=bound_dev.ifindex if bound_dev else 0,
                     rcv_saddr=bind_addr, ident=ident)
    sock.event.wake_delay = WAKEUP_S
    try:
        return await _loop(proc, o, sock, dst, src, hostname, numeric, iface, bound_dev, ident)
    finally:
        sock.close()


async def _loop(proc: Proc, o: dict, sock: RawSocket, dst: int, src: int, hostname: str,
                numeric: bool, iface: Optional[str], bound_dev, ident: int) -> int:
    world = proc.world
    sched = world.sched
    datalen = o["size"]
    header = f"PING {hostname} ({ntoa(dst)}) "
    if iface is not None:
        header += f"from {ntoa(src)} {bound_dev.name if bound_dev is not None else ''}: "
    header += f"{datalen}({datalen + 28}) bytes of data.\n"
    proc.out(header)
    interval = o["interval"] / 1000.0
    if o["flood"] and not o["interval_set"]:
        interval = 0.0
    count = o["count"]
    deadline = o["deadline"]
    quiet = o["quiet"]
    flood = o["flood"]
    timing = datalen >= 16
    ttl = o["ttl"] if o["ttl"] is not None else net_ttl(proc)
    preload = o["preload"]
    start = sched.now
    last_send = start
    ntransmitted = nreceived = nerrors = nrepeats = 0
    tmin = 10 ** 12
    tmax = 0
    tsum = tsum2 = 0
    pipesize = 0
    rcvd = set()
    exiting = False
    exit_at: Optional[float] = start + deadline if deadline else None
    next_send = start
    # ping's own scheduling latency: each wake-up lands slightly after the ideal instant
    # (timer slack), which is why a 4th packet leaves just after a 3 s ARP failure.
    # Intervals under a second are waited with poll() and kept to within the timer
    # slack (50 us); the default second sleeps on SO_RCVTIMEO and the timer wheel.
    slack = 0.0012 if interval >= 1.0 else 0.00005
    tokens = interval * (preload - 1)
    outstanding = o["outstanding"]
    broadcast = o["broadcast"]
    pmtudisc = o["pmtudisc"] or "want"
    fast = interval == 0 or flood      # the pipe, not a timer, paces sending
    sendto = sock.sendto
    rxq = sock.rxq
    errq = sock.errq
    event = sock.event
    out = proc.out

    def acknowledge(seq: int) -> None:
        nonlocal pipesize
        diff = (ntransmitted - seq) & 0xFFFF
        if diff <= 0x7FFF and diff + 1 > pipesize:
            pipesize = diff + 1

    try:
        while True:
            now = sched.now
            if exiting:
                break
            if count and nreceived + nerrors >= count:
                break
            if deadline and nerrors:
                break
            if exit_at is not None and now >= exit_at - 1e-9:
                break
            # send when due
            may_send = (not count or ntransmitted < count or deadline)
            if may_send and now >= next_send - 1e-9:
                if (fast and ntransmitted - nreceived - nerrors >= preload and ntransmitted > 0
                        and now < last_send + 0.01 - 1e-9):
                    next_send = last_send + 0.01   # MININTERVAL while the pipe is full
                else:
                    if outstanding and ntransmitted and ntransmitted not in rcvd:
                        proc.out(f"no answer yet for icmp_seq={ntransmitted}\n")
                    seq = (ntransmitted + 1) & 0xFFFF
                    rcvd.discard(seq)   # rcvd_clear: the 16-bit sequence wraps
                    payload = _payload(now, datalen)
                    icmp = build_icmp_echo(ICMP_ECHO, ident, seq, payload)
                    ntransmitted += 1
                    last_send = now
                    try:
                        sendto(icmp, dst, ttl, 0, broadcast, pmtudisc)
                    except SocketError:
                        pass   # pinger(): failures with an empty error queue are silent
                    if flood and not quiet:
                        out(".")
                    if fast:
                        next_send = now + (0.01 if ntransmitted - nreceived - nerrors >= preload
                                           else 0.0)
                    else:
                        if tokens >= interval:
                            tokens -= interval
                            next_send = now
                        else:
                            next_send = now + interval + slack
                    if count and ntransmitted >= count and not deadline:
                        if nreceived:
                            wait = max(2 * tmax / 1e6, interval)
                        else:
                            wait = o["linger"] / 1000.0
                        if wait > 0:
                            t = now + wait
                            exit_at = t if exit_at is None else min(exit_at, t)
                        else:
                            exit_at = None
                    continue
            # wait for a packet, the next send, or the exit alarm
            wake = None
            if may_send and (not count or ntransmitted < count or deadline):
                wake = next_send
            if exit_at is not None:
                wake = exit_at if wake is None else min(wake, exit_at)
            timeout = None if wake is None else max(0.0, wake - sched.now)
            if not rxq and not errq:
                event.clear()
                # the scheduler takes a moment to run ping after the packet lands
                # (sock.event.wake_delay); by then a burst is all in the queues
                await event.wait(timeout)
            # drain as iputils' main_loop does: recvmsg reports a pending ICMP error
            # first (sk_err: the error queue), then the data queue until EAGAIN, then
            # what is left on the error queue (POLLERR); after every message, if
            # nothing is in flight any more it goes back to the pinger, so a copy
            # read by nobody stays queued until the socket closes (QUEUE_PURGE)
            took = 0
            while True:
                if took and ntransmitted - nreceived - nerrors == 0:
                    break
                if sock.sk_err and errq:
                    e = errq.popleft()
                    # sock_dequeue_err_skb: another ICMP error behind it re-arms sk_err
                    sock.sk_err = bool(errq) and errq[0].origin == "icmp"
                    r = None
                elif rxq:
                    r = rxq.popleft()
                elif errq:
                    e = errq.popleft()
                    r = None
                else:
                    break
                took += 1
                if r is None:
                    if e.origin == "local":
                        nerrors += 1
                        if not quiet:
                            if e.errno == "EMSGSIZE":
                                proc.err(f"ping: local error: message too long, mtu={e.info}\n")
                            else:
                                proc.err(f"ping: local error: {e.errno}\n")
                        continue
                    inner = e.inner
                    if len(inner) < 28:
                        continue
                    ihl = (inner[0] & 0xF) * 4
                    if inner[9] != 1 or int.from_bytes(inner[16:20], "big") != dst:
                        continue
                    icmp_in = inner[ihl:]
                    if len(icmp_in) < 8 or icmp_in[0] != ICMP_ECHO:
                        continue
                    if int.from_bytes(icmp_in[4:6], "big") != ident:
                        continue
                    seq = int.from_bytes(icmp_in[6:8], "big")
                    acknowledge(seq)
                    nerrors += 1
                    if not quiet:
                        if flood:
                            proc.out("\bE")
                        else:
                            proc.out(f"From {ntoa(e.offender)} icmp_seq={seq} "
                                     f"{_icmp_text(e.type, e.code, e.info)}\n")
                    continue
                icmp = r.icmp
                if len(icmp) < 8:
                    continue
                if icmp[0] == ICMP_ECHOREPLY:
                    if (icmp[4] << 8 | icmp[5]) != ident:
                        continue
                    seq = icmp[6] << 8 | icmp[7]
                    diff = (ntransmitted - seq) & 0xFFFF     # acknowledge(seq), inline
                    if diff <= 0x7FFF and diff + 1 > pipesize:
                        pipesize = diff + 1
                    dup = seq in rcvd
                    triptime = 0
                    if timing and len(icmp) >= 24:
                        sent_at = _STAMP.unpack_from(icmp, 8)[0]
                        triptime = max(0, int(round((r.time - sent_at) * 1e6)))
                    if dup:
                        nrepeats += 1
                    else:
                        nreceived += 1
                        rcvd.add(seq)
                    if timing:
                        tsum += triptime
                        tsum2 += triptime * triptime
                        if triptime < tmin:
                            tmin = triptime
                        if triptime > tmax:
                            tmax = triptime
                    if quiet:
                        continue
                    if flood:
                        out("\b \b")
                        continue
                    cc = len(icmp)
                    who = ntoa(r.src) if numeric else _pr_addr(r.src)
                    line = f"{cc} bytes from {who}: icmp_seq={seq} ttl={r.ttl}"
                    if timing:
                        line += f" time={_fmt_ms(triptime)} ms"
                    if dup:
                        line += " (DUP!)"
                    if r.src != dst and not _is_bcast(proc, dst):
                        line += " (DIFFERENT ADDRESS!)"
                    proc.out(line + "\n")
                elif icmp[0] in (3, 4, 5, 11, 12):
                    inner = icmp[8:]
                    if len(inner) < 28:
                        continue
                    ihl = (inner[0] & 0xF) * 4
                    icmp1 = inner[ihl:]
                    if (len(icmp1) < 8 or icmp1[0] != ICMP_ECHO
                            or int.from_bytes(inner[16:20], "big") != dst
                            or int.from_bytes(icmp1[4:6], "big") != ident):
                        continue
                    seq = int.from_bytes(icmp1[6:8], "big")
                    if icmp[0] in (3, 11, 12):
                        acknowledge(seq)
                        continue
                    if not quiet and not flood:
                        proc.out(f"From {ntoa(r.src)}: icmp_seq={seq} "
                                 f"{_icmp_text(icmp[0], icmp[1], int.from_bytes(icmp[4:8], 'big'))}\n")
            if fast and ntransmitted - nreceived - nerrors < preload and next_send > sched.now:
                next_send = sched.now     # a reply frees the pipe: send the next one now
    except Interrupted:
        pass
    # statistics
    out = ["\n", f"--- {hostname} ping statistics ---\n"]
    line = f"{ntransmitted} packets transmitted, {nreceived} received"
    if nrepeats:
        line += f", +{nrepeats} duplicates"
    if nerrors:
        line += f", +{nerrors} errors"
    if ntransmitted:
        loss = (ntransmitted - nreceived) * 100.0 / ntransmitted
        line += f", {_g(loss)}% packet loss, time {int(round((last_send - start) * 1000))}ms"
    out.append(line + "\n")
    tail = ""
    if nreceived and timing:
        total = nreceived + nrepeats
        avg = tsum // total
        var = tsum2 - tsum * tsum // total
        mdev = _llsqrt(var // total if total else 0)
        tail = (f"rtt min/avg/max/mdev = {_us(tmin)}/{_us(avg)}/{_us(tmax)}/{_us(mdev)} ms")
    if pipesize > 1:
        tail += (", " if tail else "") + f"pipe {pipesize}"
    if nreceived and (interval == 0 or flood or o["adaptive"]) and ntransmitted > 1:
        ipg = int((last_send - start) * 1e6) // (ntransmitted - 1)
        tail += f", ipg/ewma {_us(ipg)}/{_us(tsum // max(1, nreceived))} ms"
    out.append(tail + "\n")
    proc.out("".join(out))
    if not nreceived or (deadline and count and nreceived < count):
        return 1
    return 0


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


def _pr_addr(addr: int) -> str:
    for name, a in HOSTS.items():
        if a == addr:
            return f"{name} ({ntoa(addr)})"
    return ntoa(addr)


def _is_bcast(proc: Proc, dst: int) -> bool:
    from ..kernel import fib
    return dst == 0xFFFFFFFF or fib.inet_addr_type(proc.net, dst) in (fib.RTN_BROADCAST,
                                                                      fib.RTN_MULTICAST)
