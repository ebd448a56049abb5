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
from typing import Optional

from ..kernel import route
from ..kernel.devinet import find_local_ifa
from ..kernel.route import RTCF_BROADCAST
from ..kernel.sockets import RawSocket
from .base import Proc
from .getopt import Getopt, GetoptError
from .ping6_common import parse_target, ping6_run
from . import resolv
from .ping_common import HOSTS, Pinger, PingOpts

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
OPTS_WITH_ARG = "TFNceiIlmMpQsStwW"
OPTS_FLAGS = "h?4bR6aABCdDfLnOqrUvV"

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




async def main(proc: Proc, argv: list[str]) -> int:
    try:
        return await _ping(proc, argv)
    except PingExit as e:
        return e.status


async def main6(proc: Proc, argv: list[str]) -> int:
    """ping6: iputils installs it as a link to ping, which reads its name as -6."""
    try:
        return await _ping(proc, argv, family=6)
    except PingExit as e:
        return e.status


# iputils' optstring, options with values first (ping.c: "h?" "4bRT:" "6F:N:" "aABc:...")
SHORTOPTS = "".join(ch + ":" for ch in OPTS_WITH_ARG) + "".join(OPTS_FLAGS)
FLAGS = {"q": "quiet", "n": "numeric", "b": "broadcast", "f": "flood", "O": "outstanding",
         "v": "verbose", "A": "adaptive", "D": "timestamps", "a": "audible"}


async def _ping(proc: Proc, argv: list[str], family: int = 0) -> int:
    opts = PingOpts()
    opts.family = family
    g = Getopt("ping", argv, SHORTOPTS)
    try:
        for ch, val in g:
            if ch in "h?":
                proc.err(USAGE)
                return 2
            if ch == "V":
                proc.out("ping from iputils 20221126\nlibcap: yes, IDN: yes, NLS: no, "
                         "error.h: yes, getrandom(): yes, __fpending(): yes\n")
                return 0
            if ch in "46":
                want = int(ch)
                if opts.family and opts.family != want:
                    _die(proc, "only one -4 or -6 option may be specified", 2)
                opts.family = want
                continue
            if val is None:
                if ch in FLAGS:
                    setattr(opts, FLAGS[ch], True)
            else:
                _option(proc, opts, ch, val)
    except GetoptError as err:
        proc.err(f"{err}\n{USAGE}")
        return 2
    if not g.operands:
        _die(proc, "usage error: Destination address required", 1)
    target = g.operands[-1]
    return await _run(proc, opts, target)


def _option(proc: Proc, o: PingOpts, ch: str, val: str) -> None:
    if ch == "c":
        o.count = _strtol(proc, val, 1, LONG_MAX)
    elif ch == "s":
        o.size = _strtol(proc, val, 0, INT_MAX)
    elif ch == "t":
        o.ttl = _strtol(proc, val, 0, 255)
    elif ch == "w":
        o.deadline = _strtol(proc, val, 0, INT_MAX)
    elif ch == "l":
        o.preload = _strtol(proc, val, 1, 65536)
    elif ch == "i":
        v = _strtod(proc, val)
        if math.isinf(v) or math.isnan(v):
            _die(proc, f"bad timing interval: {val}: Numerical result out of range", 2)
        if v > INT_MAX / 1000:
            _die(proc, f"bad timing interval: {val}", 2)
        o.interval = int(v * 1000)
        o.interval_set = True
    elif ch == "W":
        v = _strtod(proc, val)
        if math.isinf(v) or math.isnan(v):
            _die(proc, f"bad linger time: {val}: Numerical result out of range", 2)
        if v < 0 or v > INT_MAX / 1000:
            _die(proc, f"bad linger time: {val}", 2)
        o.linger = int(v * 1000)
    elif ch == "I":
        o.iface = val
    elif ch == "M":
        if val not in ("do", "dont", "want"):
            _die(proc, f"invalid -M argument: {val}", 2)
        o.pmtudisc = val
    elif ch == "e":
        _strtol(proc, val, 0, 65535)
    elif ch == "m":
        _strtol(proc, val, 0, 4294967295)
    elif ch == "S":
        _strtol(proc, val, 1, INT_MAX)
    elif ch == "T":
        if val not in ("tsonly", "tsandaddr", "tsprespec"):
            _die(proc, f"invalid timestamp type: {val}", 2)


async def _run(proc: Proc, o: PingOpts, target: str) -> int:
    net = proc.net
    world = proc.world
    v6 = parse_target(target)
    if v6 is not None:
        if o.family == 4:
            _die(proc, f"{target}: Address family for hostname not supported", 2)
        return await ping6_run(proc, o, target, v6[0], v6[1], lambda m, st: _die(proc, m, st))
    dst = _inet_aton(target)
    hostname = target
    numeric = o.numeric
    # getaddrinfo: /etc/hosts (or, without one, localhost and the hostname); no DNS
    known = resolv.gethostbyname(proc.session, world, target) if dst is None else None
    if o.family == 6 and (dst is not None or known is not None or target in HOSTS):
        # getaddrinfo(AF_INET6): an IPv4 literal, or a name /etc/hosts gives only IPv4 for
        _die(proc, f"{target}: Address family for hostname not supported", 2)
    if dst is None:
        if known is None:
            _die(proc, f"{target}: Temporary failure in name resolution", 2)
        dst = known
    else:
        numeric = True
    iface = o.iface
    bound_dev, bind_addr = _bind_target(proc, iface)
    if o.ttl == 0:
        _die(proc, "cannot set unicast time-to-live: Invalid argument", 2)
    src = _source_address(proc, o, dst, iface, bound_dev, bind_addr)
    if dst == 0:
        dst = src or 0x7F000001
    ident = getattr(proc, "pid", 0) & 0xFFFF or world.rng.randrange(1, 65536)
    sock = RawSocket(net, bound_dev_if=bound_dev.ifindex if bound_dev else 0,
                     rcv_saddr=bind_addr, ident=ident)
    sock.event.wake_delay = WAKEUP_S
    try:
        return await Pinger(proc, o, sock, dst, src, hostname, numeric, iface, bound_dev,
                            ident).run()
    finally:
        sock.close()


def _bind_target(proc: Proc, iface: Optional[str]) -> tuple:
    """-I: an IPv4 address binds the socket (bind), a name binds the device
    (SO_BINDTODEVICE); returns (bound device or None, bound address or 0)."""
    bound_dev = None
    bind_addr = 0
    if iface is not None:
        a = _inet_aton(iface) if iface.count(".") == 3 else None
        if a is not None:
            bind_addr = a
        elif ":" in iface:
            _die(proc, "vethtui: IPv6 source addresses are not simulated", 2)
        else:
            bound_dev = proc.net.dev_by_name(iface)
            if bound_dev is None:
                _die(proc, f"SO_BINDTODEVICE {iface}: No such device", 2)
    return bound_dev, bind_addr


def _source_address(proc: Proc, o: PingOpts, dst: int, iface: Optional[str], bound_dev,
                    bind_addr: int) -> int:
    """The source address: connect() a UDP probe socket (optionally bound to the device),
    with ping4_run's broadcast checks; a bound address is checked to be local."""
    net = proc.net
    src = bind_addr
    if not bind_addr:
        try:
            rt = route.ip_route_output(net, dst, 0, bound_dev.ifindex if bound_dev else 0)
        except route.RouteError as err:
            if err.errno == "EACCES":   # ping4_run reads EACCES as a broadcast refused (prohibit)
                if not o.broadcast:
                    _die(proc, "Do you want to ping broadcast? Then -b. If not, "
                               "check your local firewall rules", 2)
                proc.err("WARNING: pinging broadcast address\n")
            _die(proc, f"connect: {ERRNO_TEXT.get(err.errno, err.errno)}", 2)
        if rt.flags & RTCF_BROADCAST:
            if not o.broadcast:
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
            if rt.flags & RTCF_BROADCAST:
                if not o.broadcast:
                    _die(proc, "Do you want to ping broadcast? Then -b. If not, "
                               "check your local firewall rules", 2)
                proc.err("WARNING: pinging broadcast address\n")
        except route.RouteError:
            pass
    return src
