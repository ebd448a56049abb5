"""traceroute 2.1.2 (Debian 12): UDP probes by default, ICMP echo with -I, TCP SYN with -T.

Options: -n -I -T -q N -w MAX[,HERE,NEAR] -m MAX_TTL -f FIRST_TTL -N SQUERIES -p PORT
-z (accepted), -4, and a packet length. The loop is do_it()'s: up to -N probes
(16) in flight, sent one after another, each UDP probe from its own connected
socket with IP_RECVERR (an ephemeral source port each, destination port 33434 and
up), ICMP probes from one raw socket (sequence 1 and up). On the real kernel a
veth's peer receives inside the sender's system call, so an answer from a namespace
is queued before the next probe leaves; the simulated traceroute waits for the
backlog to drain after each send to see the same. Answers are then read: every
UDP socket's error queue at once, but one packet per poll from the ICMP socket,
which is why -I and -T send a few more probes than the default. -T sends SYNs it
builds itself from a raw socket; the destination's SYN-ACK (which our own stack,
knowing no such connection, answers with a RST) or RST ends the trace. Probes print in order as
they complete ("*" when one times out: MAX seconds, or HERE times a same-hop answer,
or NEAR times a later hop's), and the trace ends with the hop that answered from the
destination (port unreachable, echo reply) or with an unreachable (!H, !N, !P, !X).
"""
from __future__ import annotations

import struct
from typing import Optional

from ..kernel import route
from ..kernel.inet import ntoa, to_bytes
from ..kernel.sockets import RawSocket, SocketError
from ..kernel.udp import UdpSock
from ..kernel.wire import ICMP_ECHO, IPPROTO_ICMP, IPPROTO_TCP, checksum, ipv4_pseudo_header
from .base import Proc
from .nc import _hosts_name, resolve_host

USAGE = """Usage:
  traceroute [ -46dFITnreAUDV ] [ -f first_ttl ] [ -g gate,... ] [ -i device ] [ -m max_ttl ] [ -N squeries ] [ -p port ] [ -t tos ] [ -l flow_label ] [ -w MAX,HERE,NEAR ] [ -q nqueries ] [ -s src_addr ] [ -z sendwait ] [ --fwmark=num ] host [ packetlen ]
Options:
  -4                          Use IPv4
  -6                          Use IPv6
  -d  --debug                 Enable socket level debugging
  -F  --dont-fragment         Do not fragment packets
  -f first_ttl  --first=first_ttl
                              Start from the first_ttl hop (instead from 1)
  -g gate,...  --gateway=gate,...
                              Route packets through the specified gateway
                              (maximum 8 for IPv4 and 127 for IPv6)
  -I  --icmp                  Use ICMP ECHO for tracerouting
  -T  --tcp                   Use TCP SYN for tracerouting (default port is 80)
  -i device  --interface=device
                              Specify a network interface to operate with
  -m max_ttl  --max-hops=max_ttl
                              Set the max number of hops (max TTL to be
                              reached). Default is 30
  -N squeries  --sim-queries=squeries
                              Set the number of probes to be tried
                              simultaneously (default is 16)
  -n                          Do not resolve IP addresses to their domain names
  -p port  --port=port        Set the destination port to use. It is either
                              initial udp port value for "default" method
                              (incremented by each probe, default is 33434), or
                              initial seq for "icmp" (incremented as well,
                              default from 1), or some constant destination
                              port for other methods (with default of 80 for
                              "tcp", 53 for "udp", etc.)
  -t tos  --tos=tos           Set the TOS (IPv4 type of service) or TC (IPv6
                              traffic class) value for outgoing packets
  -l flow_label  --flowlabel=flow_label
                              Use specified flow_label for IPv6 packets
  -w MAX,HERE,NEAR  --wait=MAX,HERE,NEAR
                              Wait for a probe no more than HERE (default 3)
                              times longer than a response from the same hop,
                              or no more than NEAR (default 10) times than some
                              next hop, or MAX (default 5.0) seconds (float
                              point values allowed too)
  -q nqueries  --queries=nqueries
                              Set the number of probes per each hop. Default is
                              3
  -r                          Bypass the normal routing and send directly to a
                              host on an attached network
  -s src_addr  --source=src_addr
                              Use source src_addr for outgoing packets
  -z sendwait  --sendwait=sendwait
                              Minimal time interval between probes (default 0).
                              If the value is more than 10, then it specifies a
                              number in milliseconds, else it is a number of
                              seconds (float point values allowed too)
  -e  --extensions            Show ICMP extensions (if present), including MPLS
  -A  --as-path-lookups       Perform AS path lookups in routing registries and
                              print results directly after the corresponding
                              addresses
  -M name  --module=name      Use specified module (either builtin or external)
                              for traceroute operations. Most methods have
                              their shortcuts (`-I' means `-M icmp' etc.)
  -O OPTS,...  --options=OPTS,...
                              Use module-specific option OPTS for the
                              traceroute module. Several OPTS allowed,
                              separated by comma. If OPTS is "help", print info
                              about available options
  --sport=num                 Use source port num for outgoing packets. Implies
                              `-N 1'
  --fwmark=num                Set firewall mark for outgoing packets
  -U  --udp                   Use UDP to particular port for tracerouting
                              (instead of increasing the port per each probe),
                              default port is 53
  -UL                         Use UDPLITE for tracerouting (default dest port
                              is 53)
  -D  --dccp                  Use DCCP Request for tracerouting (default port
                              is 33434)
  -P prot  --protocol=prot    Use raw packet of protocol prot for tracerouting
  --mtu                       Discover MTU along the path being traced. Implies
                              `-F -N 1'
  --back                      Guess the number of hops in the backward path and
                              print if it differs
  -V  --version               Print version info and exit
  --help                      Read this help and exit

Arguments:
+     host          The host to traceroute to
      packetlen     The full packet length (default is the length of an IP
                    header plus 40). Can be ignored or increased to a minimal
                    allowed value
"""

ERRNO_TEXT = {"ENETUNREACH": "Network is unreachable", "EHOSTUNREACH": "No route to host",
              "EACCES": "Permission denied", "EINVAL": "Invalid argument"}
DEF_WAIT_PREC = 0.001     # a millisecond added to an answer's time before HERE/NEAR scale it
UNREACH_MARK = {0: "!N", 1: "!H", 2: "!P", 4: "!F", 5: "!S", 9: "!X", 10: "!X", 13: "!X"}


class Probe:
    __slots__ = ("ttl", "send_time", "recv_time", "done", "final", "addr", "mark", "sock",
                 "seq", "port")

    def __init__(self, ttl: int):
        self.ttl = ttl
        self.send_time = 0.0
        self.recv_time = 0.0
        self.done = False
        self.final = False
        self.addr: Optional[int] = None
        self.mark = ""
        self.sock: Optional[UdpSock] = None
        self.seq = 0
        self.port = 0


class _Usage(Exception):
    def __init__(self, text: str, status: int = 2):
        super().__init__(text)
        self.text = text
        self.status = status


def _num(opt: str, val: Optional[str]) -> float:
    try:
        return float(val)
    except (TypeError, ValueError):
        raise _Usage(f"Cannot handle `-{opt}' option with arg `{val}' (argc 1)\n")


def parse(argv: list[str]):
    o = {"n": False, "I": False, "T": False, "q": 3, "w": (5.0, 3.0, 10.0), "m": 30, "f": 1,
         "N": 16, "p": None, "host": None, "len": None}
    args = argv[1:]
    i = 0
    with_arg = set("fgimNpqstwlzOMx") - {"x"}
    while i < len(args):
        a = args[i]
        if a.startswith("--"):
            name = a[2:].split("=", 1)[0]
            if name == "help":
                raise _Usage(USAGE, 0)
            long = {"icmp": "I", "tcp": "T", "queries": "q", "wait": "w", "max-hops": "m",
                    "first": "f", "sim-queries": "N", "port": "p", "sendwait": "z"}
            if name not in long:
                raise _Usage(f"Bad option `{a}' (argc {i + 1})\n")
            ch = long[name]
            val = a.split("=", 1)[1] if "=" in a else None
            if ch in with_arg and val is None:
                i += 1
                val = args[i] if i < len(args) else None
            _apply(o, ch, val)
        elif a.startswith("-") and len(a) > 1:
            j = 1
            while j < len(a):
                ch = a[j]
                if ch in with_arg:
                    val = a[j + 1:] or None
                    if val is None:
                        i += 1
                        val = args[i] if i < len(args) else None
                        if val is None:
                            raise _Usage(f"Option `-{ch}' (argc {i}) requires an argument: "
                                         f"`-{ch} {_metavar(ch)}'\n")
                    _apply(o, ch, val)
                    break
                if ch not in "46dFITnreAUDV":
                    raise _Usage(f"Bad option `-{ch}' (argc {i + 1})\n")
                _apply(o, ch, None)
                j += 1
        elif o["host"] is None:
            o["host"] = a
        elif o["len"] is None:
            if not a.isdigit():        # CLIF_set_uint refuses it while parsing
                raise _Usage(f'Cannot handle "packetlen" cmdline arg `{a}\' on position 2 '
                             f"(argc {i + 1})\n")
            o["len"] = a
        else:
            raise _Usage(f"Extra arg `{a}' (position 3, argnum {i + 1})\n")
        i += 1
    return o


def _metavar(ch: str) -> str:
    return {"f": "first_ttl", "m": "max_ttl", "N": "squeries", "p": "port", "q": "nqueries",
            "w": "MAX,HERE,NEAR", "z": "sendwait", "s": "src_addr", "t": "tos",
            "i": "device", "g": "gate,..."}.get(ch, "arg")


def _apply(o: dict, ch: str, val: Optional[str]) -> None:
    if ch in "nIT":
        o[ch] = True
    elif ch == "q":
        o["q"] = int(_num(ch, val))
    elif ch == "w":
        parts = [_num(ch, p) for p in val.split(",")]
        w = list(o["w"])
        w[:len(parts)] = parts[:3]
        o["w"] = tuple(w)
    elif ch == "m":
        o["m"] = int(_num(ch, val))
    elif ch == "f":
        o["f"] = int(_num(ch, val))
    elif ch == "N":
        o["N"] = max(1, int(_num(ch, val)))
    elif ch == "p":
        o["p"] = int(_num(ch, val))


async def main(proc: Proc, argv: list[str]) -> int:
    if len(argv) == 1:
        proc.out(USAGE)
        return 0
    try:
        o = parse(argv)
    except _Usage as u:
        (proc.out if u.status == 0 else proc.err)(u.text)
        return u.status
    host = o["host"]
    if host is None:
        proc.err("Specify \"host\" missing argument.\n")
        return 2
    # main's checks, in its order, once the command line is read
    plen = int(o["len"]) if o["len"] and o["len"].isdigit() else 60
    for bad, text in ((o["f"] < 1 or o["f"] > o["m"], "first hop out of range"),
                      (o["m"] > 255, "max hops cannot be more than 255"),
                      (o["q"] < 1 or o["q"] > 10, "no more than 10 probes per hop"),
                      (plen > 65000, f"too big packetlen {plen} specified")):
        if bad:
            proc.err(text + "\n")
            return 2
    addr = resolve_host(proc, host)
    if addr is None:
        proc.err(f"{host}: Temporary failure in name resolution\n"
                 f"Cannot handle \"host\" cmdline arg `{host}' on position 1 (argc 1)\n")
        return 2
    plen = max(plen, 28)
    proc.out(f"traceroute to {host} ({ntoa(addr)}), {o['m']} hops max, {plen} byte packets\n")
    return await Trace(proc, o, addr, plen).run()


class Trace:
    def __init__(self, proc: Proc, o: dict, addr: int, plen: int):
        self.proc = proc
        self.o = o
        self.addr = addr
        self.plen = plen
        q = o["q"]
        self.probes = [Probe(ttl) for ttl in range(o["f"], o["m"] + 1) for _ in range(q)]
        self.raw: Optional[RawSocket] = None
        self.raw_tcp: Optional[RawSocket] = None     # -T: SYNs out, SYN-ACKs and RSTs in
        self.tcp_port = o["p"] if o["p"] is not None else 80
        self.ts_val = proc.world.rng.getrandbits(32)
        self.ident = (getattr(proc, "pid", 0) or 1) & 0xFFFF
        self.next_port = o["p"] if o["p"] is not None else 33434
        self.next_seq = o["p"] if (o["p"] is not None and o["I"]) else 1
        self.line_open = False
        self.last_addr: Optional[int] = None

    async def run(self) -> int:
        proc, o = self.proc, self.o
        if o["I"]:
            self.raw = RawSocket(proc.net, IPPROTO_ICMP, ident=self.ident, recverr=False)
        elif o["T"]:
            self.raw = RawSocket(proc.net, IPPROTO_ICMP, recverr=False)
            self.raw_tcp = RawSocket(proc.net, IPPROTO_TCP, recverr=False)
        try:
            return await self._loop()
        finally:
            if self.raw is not None:
                self.raw.close()
            if self.raw_tcp is not None:
                self.raw_tcp.close()
            for pb in self.probes:
                if pb.sock is not None:
                    pb.sock.close()

    async def _loop(self) -> int:
        proc, o = self.proc, self.o
        probes = self.probes
        start, end = 0, len(probes)
        world = proc.world
        while start < end:
            now = proc.now
            num = 0
            max_time = 0.0
            n = start
            while n < end:
                pb = probes[n]
                if not pb.done and pb.send_time and now - pb.send_time >= self.timeout(n):
                    pb.done = True
                if pb.done:
                    if n == start:
                        end = self.print_probe(n, end)
                        start += 1
                    n += 1
                    continue
                if pb.send_time:
                    max_time = max(max_time, pb.send_time + self.timeout(n))
                    num += 1
                    n += 1
                    continue
                if num >= o["N"]:
                    break
                err = self.send(pb)
                if err:
                    self.close_line()
                    proc.err(f"{'connect' if not o['I'] else 'send'}: {ERRNO_TEXT.get(err, err)}\n")
                    return 1
                # the peers' softirqs run before the send returns
                while world.softirq_pending():
                    await proc.sleep(12e-6)
                max_time = max(max_time, pb.send_time + self.timeout(n))
                num += 1
                n += 1
            if start >= end:
                break
            if not self.collect():
                wait = max(0.0, max_time - proc.now) if max_time else 0.0
                ev = proc.event()
                for pb in probes[start:end]:
                    if pb.sock is not None and not pb.done:
                        pb.sock.event = ev
                if self.raw is not None:
                    self.raw.event = ev
                if self.raw_tcp is not None:
                    self.raw_tcp.event = ev
                await proc.wait(ev, wait)
                self.collect()
        self.close_line()
        return 0

    def timeout(self, n: int) -> float:
        """get_timeout: HERE times an answer's rtt in the same hop, NEAR times a later hop's,
        else MAX."""
        mx, here, near = self.o["w"]
        if here or near:
            q = self.o["q"]
            hop = n - n % q
            for other in self.probes[hop:hop + q]:
                if other.recv_time and here:
                    return min(mx, (other.recv_time - other.send_time + DEF_WAIT_PREC) * here)
            for other in self.probes[hop + q:]:
                if other.recv_time and near:
                    return min(mx, (other.recv_time - other.send_time + DEF_WAIT_PREC) * near)
        return mx

    def send(self, pb: Probe) -> str:
        proc = self.proc
        data_len = self.plen - 28
        if self.raw_tcp is not None:
            return self.send_syn(pb)
        if self.raw is None:
            s = UdpSock(proc.net)
            s.recverr = True
            s.pmtudisc = "dont"
            s.ttl = pb.ttl
            s.owner = f'("traceroute",pid={getattr(proc, "pid", 0)},fd=3)'
            pb.port = self.next_port
            self.next_port += 1
            try:
                s.connect(self.addr, pb.port)
                pb.send_time = proc.now
                s.sendto(bytes(data_len))
            except SocketError as err:
                s.close()
                return err.errno
            pb.sock = s
            return ""
        pb.seq = self.next_seq & 0xFFFF
        self.next_seq += 1
        payload = bytes(data_len)
        hdr = struct.pack("!BBHHH", ICMP_ECHO, 0, 0, self.ident, pb.seq)
        csum = checksum(hdr + payload)
        body = hdr[:2] + struct.pack("!H", csum) + hdr[4:] + payload
        try:
            pb.send_time = proc.now
            self.raw.sendto(body, self.addr, ttl=pb.ttl, pmtudisc="dont")
        except SocketError as err:
            return err.errno
        return ""

    def send_syn(self, pb: Probe) -> str:
        """The tcp module's probe: a SYN of its own making (window 5840, mss, sackOK, one
        timestamp for the run, wscale 2) from a port of its own, through a raw socket."""
        proc = self.proc
        try:
            rt = route.ip_route_output(proc.net, self.addr, 0, 0, 0)
        except route.RouteError as err:
            return err.errno
        rng = proc.world.rng
        used = {p.port for p in self.probes if p.send_time}
        port = 32768 + rng.randrange(28232)
        while port in used:
            port = 32768 + rng.randrange(28232)
        pb.port = port
        mss = min(rt.mtu() - 40, 65495)
        opts = struct.pack("!BBHBBBBIIBBBB", 2, 4, mss, 4, 2, 8, 10, self.ts_val, 0, 1, 3, 3, 2)
        hdr = struct.pack("!HHIIHHHH", port, self.tcp_port, rng.getrandbits(32), 0,
                          (20 + len(opts)) // 4 << 12 | 0x02, 5840, 0, 0) + opts
        csum = checksum(ipv4_pseudo_header(to_bytes(rt.src), to_bytes(self.addr), IPPROTO_TCP,
                                           len(hdr)) + hdr)
        seg = hdr[:16] + struct.pack("!H", csum) + hdr[18:]
        try:
            pb.send_time = proc.now
            self.raw_tcp.sendto(seg, self.addr, ttl=pb.ttl, pmtudisc="dont")
        except SocketError as err:
            return err.errno
        return ""

    def collect_tcp(self) -> bool:
        """-T: one packet a poll, as for -I: time exceeded (or an unreachable) quoting our
        SYN from the ICMP socket first, else the destination's SYN-ACK or RST from the raw
        TCP socket."""
        while self.raw.rxq:
            r = self.raw.rxq.popleft()
            icmp = r.icmp
            if icmp[0] not in (3, 11) or len(icmp) < 8 + 20 + 8:
                continue
            inner = icmp[8:]
            ihl = (inner[0] & 0xF) * 4
            if inner[9] != IPPROTO_TCP or len(inner) < ihl + 4:
                continue
            pb = self._by_port(int.from_bytes(inner[ihl:ihl + 2], "big"))
            if pb is not None:
                self._answer(pb, r.time, r.src, icmp[0], icmp[1])
                return True
        while self.raw_tcp.rxq:
            r = self.raw_tcp.rxq.popleft()
            seg = r.icmp
            if len(seg) < 14 or r.src != self.addr:
                continue
            sport, dport = struct.unpack_from("!HH", seg)
            pb = self._by_port(dport) if sport == self.tcp_port else None
            if pb is not None and seg[13] & 0x06:          # SYN-ACK or RST
                pb.recv_time, pb.addr, pb.done, pb.final = r.time, r.src, True, True
                return True
        return False

    def _by_port(self, port: int) -> Optional[Probe]:
        for pb in self.probes:
            if pb.send_time and not pb.done and pb.port == port:
                return pb
        return None

    def collect(self) -> bool:
        """Read answers: every UDP socket's error queue, or one packet from the raw socket."""
        if self.raw_tcp is not None:
            return self.collect_tcp()
        got = False
        if self.raw is None:
            for pb in self.probes:
                s = pb.sock
                if s is None or pb.done or not s.errq:
                    continue
                when, offender, itype, code = s.errq.popleft()
                self._answer(pb, when, offender, itype, code)
                got = True
            return got
        raw = self.raw
        while raw.rxq:
            r = raw.rxq.popleft()
            icmp = r.icmp
            itype, code = icmp[0], icmp[1]
            if itype == 0:
                seq = int.from_bytes(icmp[6:8], "big")
                pb = self._by_seq(seq)
                if pb is not None:
                    self._answer(pb, r.time, r.src, itype, code)
                    return True
                continue
            if itype in (3, 11) and len(icmp) >= 8 + 20 + 8:
                inner = icmp[8:]
                ihl = (inner[0] & 0xF) * 4
                if inner[9] != IPPROTO_ICMP or len(inner) < ihl + 8:
                    continue
                ident = int.from_bytes(inner[ihl + 4:ihl + 6], "big")
                seq = int.from_bytes(inner[ihl + 6:ihl + 8], "big")
                pb = self._by_seq(seq) if ident == self.ident else None
                if pb is not None:
                    self._answer(pb, r.time, r.src, itype, code)
                    return True
        return got

    def _by_seq(self, seq: int) -> Optional[Probe]:
        for pb in self.probes:
            if pb.send_time and not pb.done and pb.seq == seq:
                return pb
        return None

    def _answer(self, pb: Probe, when: float, offender: int, itype: int, code: int) -> None:
        pb.recv_time = when
        pb.addr = offender
        pb.done = True
        if itype == 0:
            pb.final = True
        elif itype == 3:
            if code == 3 and offender == self.addr:
                pb.final = True
            elif code != 3:
                pb.final = True
                pb.mark = UNREACH_MARK.get(code, f"!<{code}>")

    def print_probe(self, n: int, end: int) -> int:
        """print_probe as the start of the window passes a finished probe."""
        proc = self.proc
        q = self.o["q"]
        pb = self.probes[n]
        if n % q == 0:
            proc.out(f"{pb.ttl:2d} ")
            self.line_open = True
            self.last_addr = None
        if pb.addr is not None and pb.recv_time:
            if pb.addr != self.last_addr:
                a = ntoa(pb.addr)
                if self.o["n"]:
                    proc.out(f" {a}")
                else:
                    proc.out(f" {_hosts_name(proc, pb.addr) or a} ({a})")
                self.last_addr = pb.addr
            proc.out(f"  {(pb.recv_time - pb.send_time) * 1000:.3f} ms")
            if pb.mark:
                proc.out(f" {pb.mark}")
        else:
            proc.out(" *")
        if pb.final:
            hop_end = n - n % q + q
            end = min(end, hop_end)
        if n % q == q - 1:
            proc.out("\n")
            self.line_open = False
        return end

    def close_line(self) -> None:
        if self.line_open:
            self.proc.out("\n")
            self.line_open = False
