"""nc: netcat-openbsd 1.219 (Debian 12), TCP and UDP over the simulated sockets.

Client (`nc HOST PORT[-PORT]`), listener (`-l [-p] PORT`, `-k` to keep
accepting), port scan (`-z`), UDP (`-u`), `-v` reports, `-n` numeric, `-w`
connect and idle timeout, `-N` shutdown after standard input's end, `-q`, `-s`
and `-p` for the local end. The words and statuses are netcat's: `nc: connect
to H port P (tcp) failed: Connection refused` with -v, `Connection to H P port
[tcp/http] succeeded!`, `Listening on 0.0.0.0 1234`, `Connection received on A P`;
without -n a listener's report needs getnameinfo, which only /etc/hosts can
answer in a lab (localhost), so other addresses get its failure, as on a host
with no DNS.

readwrite() is netcat's poll loop. Each turn of it costs NC_POLL_S of virtual
time (poll, read, write): in that time a reply over a veth pair comes back, as
on the real kernel, where the peer's receive runs in the sender's softirq before
the system call returns (that is why `nc -zu` sees the ICMP error before its
second probe, and why the -N FIN leaves after the data's ACK in a paced capture).
"""
from __future__ import annotations

from typing import Optional

from ..kernel.inet import aton, ntoa
from ..kernel.sockets import SocketError
from ..kernel.tcp import TcpSock
from ..kernel.tcp_states import TCP_ESTABLISHED, TCP_LISTEN, TCP_SYN_SENT
from ..kernel.udp import UdpSock
from . import services
from .base import Proc
from .getopt import Getopt, GetoptError

NC_POLL_S = 50e-6

USAGE = """usage: nc [-46CDdFhklNnrStUuvZz] [-I length] [-i interval] [-M ttl]
\t  [-m minttl] [-O length] [-P proxy_username] [-p source_port]
\t  [-q seconds] [-s sourceaddr] [-T keyword] [-V rtable] [-W recvlimit]
\t  [-w timeout] [-X proxy_protocol] [-x proxy_address[:port]]
\t  [destination] [port]
"""

HELP = "OpenBSD netcat (Debian patchlevel 1.219-1)\n" + USAGE + """\tCommand Summary:
\t\t-4\t\tUse IPv4
\t\t-6\t\tUse IPv6
\t\t-b\t\tAllow broadcast
\t\t-C\t\tSend CRLF as line-ending
\t\t-D\t\tEnable the debug socket option
\t\t-d\t\tDetach from stdin
\t\t-F\t\tPass socket fd
\t\t-h\t\tThis help text
\t\t-I length\tTCP receive buffer length
\t\t-i interval\tDelay interval for lines sent, ports scanned
\t\t-k\t\tKeep inbound sockets open for multiple connects
\t\t-l\t\tListen mode, for inbound connects
\t\t-M ttl\t\tOutgoing TTL / Hop Limit
\t\t-m minttl\tMinimum incoming TTL / Hop Limit
\t\t-N\t\tShutdown the network socket after EOF on stdin
\t\t-n\t\tSuppress name/port resolutions
\t\t-O length\tTCP send buffer length
\t\t-P proxyuser\tUsername for proxy authentication
\t\t-p port\t\tSpecify local port for remote connects
\t\t-q secs\t\tquit after EOF on stdin and delay of secs
\t\t-r\t\tRandomize remote ports
\t\t-S\t\tEnable the TCP MD5 signature option
\t\t-s sourceaddr\tLocal source address
\t\t-T keyword\tTOS value
\t\t-t\t\tAnswer TELNET negotiation
\t\t-U\t\tUse UNIX domain socket
\t\t-u\t\tUDP mode
\t\t-V rtable\tSpecify alternate routing table
\t\t-v\t\tVerbose
\t\t-W recvlimit\tTerminate after receiving a number of packets
\t\t-w timeout\tTimeout for connects and final net reads
\t\t-X proto\tProxy protocol: "4", "5" (SOCKS) or "connect"
\t\t-x addr[:port]\tSpecify proxy address and port
\t\t-Z\t\tDCCP mode
\t\t-z\t\tZero-I/O mode [used for scanning]
\tPort numbers can be individual or ranges: lo-hi [inclusive]
"""

OPTSTRING = "46bCDdFhI:i:klM:m:NnO:P:p:q:rSs:T:tUuV:vW:w:X:x:Zz"

SERVICE_PORTS = {name: port for port, name in services.TCP.items()}

ERRNO_TEXT = {"ECONNREFUSED": "Connection refused", "ENETUNREACH": "Network is unreachable",
              "EHOSTUNREACH": "No route to host", "ETIMEDOUT": "Connection timed out",
              "EADDRINUSE": "Address already in use", "EADDRNOTAVAIL":
              "Cannot assign requested address", "ECONNRESET": "Connection reset by peer",
              "EPIPE": "Broken pipe", "EACCES": "Permission denied", "EINVAL": "Invalid argument",
              "EHOSTDOWN": "Host is down"}


class _Fail(Exception):
    def __init__(self, text: str):
        super().__init__(text)
        self.text = text


class Netcat:
    def __init__(self, proc: Proc):
        self.proc = proc
        self.lflag = self.uflag = self.vflag = self.zflag = self.nflag = False
        self.kflag = self.Nflag = self.dflag = False
        self.timeout: Optional[float] = None
        self.qsecs: float = -1
        self.sflag: Optional[str] = None
        self.pflag: Optional[str] = None

    # -- messages ------------------------------------------------------------
    def warn(self, text: str) -> None:
        self.proc.err(f"nc: {text}\n")

    def report_sock(self, msg: str, addr: int, port: int) -> None:
        """report_sock: getnameinfo, numeric with -n; only /etc/hosts answers here."""
        if self.nflag:
            host = ntoa(addr)
        else:
            host = _hosts_name(self.proc, addr)
            if host is None:
                self.warn("getnameinfo: Temporary failure in name resolution")
                return
        self.proc.err(f"{msg} on {host} {port}\n")

    # -- parsing -------------------------------------------------------------
    def parse(self, argv: list[str]) -> list[str]:
        g = Getopt("nc", argv, OPTSTRING)
        for opt, val in g:
            if opt == "h":
                self.proc.err(HELP)
                raise _Exit(0)
            if opt == "l":
                self.lflag = True
            elif opt == "u":
                self.uflag = True
            elif opt == "v":
                self.vflag = True
            elif opt == "z":
                self.zflag = True
            elif opt == "n":
                self.nflag = True
            elif opt == "k":
                self.kflag = True
            elif opt == "N":
                self.Nflag = True
            elif opt == "d":
                self.dflag = True
            elif opt == "w":
                n = _strtonum(val, 0, 100000000)
                if n is None:
                    why = "invalid"
                    if val.lstrip("-").isdigit():          # strtonum's words
                        why = "too small" if val.startswith("-") else "too large"
                    raise _Fail(f"timeout {why}: {val}")
                self.timeout = float(n) if n else None
            elif opt == "q":
                self.qsecs = float(val) if val.lstrip("-").isdigit() else 0
            elif opt == "s":
                self.sflag = val
            elif opt == "p":
                self.pflag = val
        return g.operands


class _Exit(Exception):
    def __init__(self, status: int):
        super().__init__(status)
        self.status = status


def _strtonum(val: str, lo: int, hi: int) -> Optional[int]:
    try:
        n = int(val, 10)
    except ValueError:
        return None
    if n < lo or n > hi:
        return None
    return n


def _hosts_name(proc: Proc, addr: int) -> Optional[str]:
    if addr == 0x7F000001:
        return "localhost"
    files = getattr(proc.session, "files", {}) or {}
    for line in files.get("/etc/hosts", "").splitlines():
        parts = line.split("#")[0].split()
        if len(parts) >= 2 and parts[0] == ntoa(addr):
            return parts[1]
    return None


def resolve_host(proc: Proc, name: str) -> Optional[int]:
    """getaddrinfo without DNS: a dotted quad, localhost, or /etc/hosts."""
    try:
        return aton(name)
    except ValueError:
        pass
    if name in ("localhost", "ip6-localhost"):
        return 0x7F000001
    files = getattr(proc.session, "files", {}) or {}
    for line in files.get("/etc/hosts", "").splitlines():
        parts = line.split("#")[0].split()
        if len(parts) >= 2 and name in parts[1:]:
            try:
                return aton(parts[0])
            except ValueError:
                continue
    return None


def parse_port(text: str, uflag: bool) -> int:
    """strtoport: a number or a service name."""
    if text.isdigit():
        n = int(text)
        if n > 65535:
            raise _Fail(f"port number too large: {text}")
        if n < 1:
            raise _Fail(f"port number too small: {text}")
        return n
    port = SERVICE_PORTS.get(text)
    if port is None:
        raise _Fail(f"port number invalid: {text}")
    return port


def port_name(port: int, udp: bool) -> str:
    return services.getservbyport(port, "udp" if udp else "tcp") or "*"


async def main(proc: Proc, argv: list[str]) -> int:
    nc = Netcat(proc)
    try:
        try:
            operands = nc.parse(argv)
        except GetoptError as err:
            proc.err(f"{err}\n{USAGE}")
            return 1
        return await _run(nc, operands)
    except _Fail as f:
        nc.warn(f.text)
        return 1
    except _Exit as e:
        return e.status


async def _run(nc: Netcat, operands: list[str]) -> int:
    proc = nc.proc
    host: Optional[str] = None
    uport: Optional[str] = None
    if nc.lflag:
        if len(operands) == 1:
            uport = operands[0]
        elif len(operands) == 2:
            host, uport = operands
        elif len(operands) > 2:
            proc.err(USAGE)
            return 1
        if uport is None:
            uport = nc.pflag
        if uport is None:
            raise _Fail("missing port number")
    else:
        if not operands:
            proc.err(USAGE)
            return 1
        if len(operands) == 1:
            raise _Fail("missing port number")
        host = operands[0]
        uport = " ".join(operands[1:])
    if nc.lflag:
        return await _listen(nc, host or nc.sflag, uport)
    ports = _port_list(operands[1:], nc.uflag)
    addr = resolve_host(proc, host)
    if addr is None:
        raise _Fail(f"getaddrinfo for host \"{host}\" port {operands[1]}: "
                    "Temporary failure in name resolution")
    ret = 0
    for port in ports:
        status = await _connect_one(nc, host, addr, port)
        if status:
            ret = 1
    return ret


def _port_list(words: list[str], udp: bool) -> list[int]:
    ports: list[int] = []
    for w in words:
        if "-" in w and not w.startswith("-"):
            lo_s, hi_s = w.split("-", 1)
            lo, hi = parse_port(lo_s, udp), parse_port(hi_s, udp)
            if lo > hi:
                lo, hi = hi, lo
            ports.extend(range(lo, hi + 1))
        else:
            ports.append(parse_port(w, udp))
    return ports


def _local_addr(nc: Netcat) -> int:
    if nc.sflag is None:
        return 0
    a = resolve_host(nc.proc, nc.sflag)
    if a is None:
        raise _Fail("getaddrinfo: Name or service not known")
    return a


async def _connect_one(nc: Netcat, host: str, addr: int, port: int) -> int:
    proc = nc.proc
    net = proc.net
    kind = "udp" if nc.uflag else "tcp"
    sock = UdpSock(net) if nc.uflag else TcpSock(net)
    sock.owner = f'("nc",pid={getattr(proc, "pid", 0)},fd=3)'
    try:
        laddr = _local_addr(nc)
        if laddr or nc.pflag:
            if laddr and not _is_local(net, laddr):
                raise SocketError("EADDRNOTAVAIL")
            try:
                sock.bind(laddr, parse_port(nc.pflag, nc.uflag) if nc.pflag else 0)
            except SocketError as err:
                sock.close()
                raise _Fail(f"bind failed: {ERRNO_TEXT.get(err.errno, err.errno)}")
        sock.connect(addr, port)
    except SocketError as err:
        sock.close()
        if nc.vflag:
            nc.warn(f"connect to {host} port {port} ({kind}) failed: "
                    f"{ERRNO_TEXT.get(err.errno, err.errno)}")
        return 1
    if not nc.uflag:
        deadline = proc.now + nc.timeout if nc.timeout else None
        while sock.state == TCP_SYN_SENT:
            sock.event.clear()
            left = None if deadline is None else deadline - proc.now
            if left is not None and left <= 0:
                break
            await proc.wait(sock.event, left)
        if sock.state != TCP_ESTABLISHED:
            err = sock.sk_err
            timed_out = sock.state == TCP_SYN_SENT
            sock.close()
            if nc.vflag:
                if timed_out:
                    nc.warn(f"connect to {host} port {port} ({kind}) timed out: "
                            "Operation now in progress")
                else:
                    nc.warn(f"connect to {host} port {port} ({kind}) failed: "
                            f"{ERRNO_TEXT.get(err, err)}")
            return 1
    if nc.vflag or nc.zflag:
        if nc.uflag and not await _udptest(proc, sock):
            sock.close()
            return 1
        if nc.vflag:
            proc.err(f"Connection to {host} {port} port [{kind}/{port_name(port, nc.uflag)}] "
                     "succeeded!\n")
    try:
        if not nc.zflag:
            return await readwrite(nc, sock)
        return 0
    finally:
        sock.close()


async def _udptest(proc: Proc, sock: UdpSock) -> bool:
    """udptest: a few one-byte probes; an ICMP error makes the next write fail."""
    for _ in range(3):
        try:
            sock.sendto(b"X")
        except SocketError:
            return False
        await proc.sleep(NC_POLL_S)
    return True


def _is_local(net, addr: int) -> bool:
    for dev in net.devices_in_order():
        in_dev = getattr(dev, "in_dev", None)
        if in_dev is None:
            continue
        for ifa in in_dev.ifa_list:
            if ifa.local == addr:
                return True
    return False


async def _listen(nc: Netcat, host: Optional[str], uport: str) -> int:
    proc = nc.proc
    net = proc.net
    port = parse_port(uport, nc.uflag)
    laddr = 0
    if host:
        a = resolve_host(proc, host)
        if a is None:
            raise _Fail(f"getaddrinfo for host \"{host}\" port {uport}: "
                        "Temporary failure in name resolution")
        laddr = a
    owner = f'("nc",pid={getattr(proc, "pid", 0)},fd=3)'
    if nc.uflag:
        sock = UdpSock(net)
        sock.owner = owner
        try:
            if laddr and not _is_local(net, laddr):
                raise SocketError("EADDRNOTAVAIL")
            sock.bind(laddr, port)
        except SocketError as err:
            raise _Fail(f"bind failed: {ERRNO_TEXT.get(err.errno, err.errno)}")
        if nc.vflag:
            nc.report_sock("Bound", laddr, port)
        try:
            # recvfrom(MSG_PEEK) for the first caller, then connect to it
            while not sock.rxq:
                sock.event.clear()
                await proc.wait(sock.event, None)
            src, sport, _ = sock.rxq[0]
            if not nc.kflag:
                sock.connected = True
                sock.daddr, sock.dport = src, sport
            if nc.vflag:
                nc.report_sock("Connection received", src, sport)
            return await readwrite(nc, sock)
        finally:
            sock.close()
    lsock = TcpSock(net)
    lsock.owner = owner
    try:
        if laddr and not _is_local(net, laddr):
            raise SocketError("EADDRNOTAVAIL")
        lsock.bind(laddr, port)
    except SocketError as err:
        raise _Fail(f"bind failed: {ERRNO_TEXT.get(err.errno, err.errno)}")
    lsock.listen(1)
    if nc.vflag:
        nc.report_sock("Listening", laddr, port)
    try:
        while True:
            conn = lsock.accept()
            while conn is None:
                lsock.event.clear()
                await proc.wait(lsock.event, None)
                conn = lsock.accept()
            conn.owner = owner.replace("fd=3", "fd=4")   # the listener keeps fd 3
            if not nc.kflag:
                lsock.close()
            if nc.vflag:
                nc.report_sock("Connection received", conn.daddr, conn.dport)
            try:
                await readwrite(nc, conn)
            finally:
                conn.close()
            if not nc.kflag:
                return 0
    finally:
        if lsock.state == TCP_LISTEN:
            lsock.close()


async def readwrite(nc: Netcat, sock) -> int:
    """netcat's readwrite(): standard input to the socket, the socket to standard output."""
    proc = nc.proc
    stdin = "".join(proc.stdin_lines).encode() if not nc.dflag else b""
    stdin_open = True
    netout_open = True
    netin_open = True
    udp = isinstance(sock, UdpSock)
    quit_at: Optional[float] = None
    while True:
        progressed = False
        if stdin_open and netout_open:
            if stdin:
                chunk, stdin = stdin[:16384], stdin[16384:]
                try:
                    if udp:
                        sock.sendto(chunk)
                    else:
                        sock.sendmsg(chunk)
                except SocketError:
                    netout_open = False
                progressed = True
            else:
                stdin_open = False
                if netout_open and nc.Nflag and not udp:
                    sock.shutdown_wr()
                netout_open = False
                if nc.qsecs >= 0:
                    quit_at = proc.now + nc.qsecs
                progressed = True
        if netin_open:
            try:
                got = _recv(sock, udp)
            except SocketError:
                got = b""
            if got is not None:
                progressed = True
                if got:
                    proc.out(got.decode("utf-8", "replace"))
                elif not udp:
                    netin_open = False
                else:
                    netin_open = False
        if not stdin_open and not netin_open:
            return 0
        if not netin_open and nc.lflag:
            return 0
        if quit_at is not None and proc.now >= quit_at:
            return 0
        if progressed:
            await proc.sleep(NC_POLL_S)
            continue
        sock.event.clear()
        wait = nc.timeout
        if quit_at is not None:
            left = max(0.0, quit_at - proc.now)
            wait = left if wait is None else min(wait, left)
        if sock_readable(sock):
            continue
        woke = await proc.wait(sock.event, wait)
        if not woke and (quit_at is None or proc.now < quit_at):
            return 0                 # poll timed out (-w)
        await proc.sleep(NC_POLL_S)


def sock_readable(sock) -> bool:
    return sock.readable()


def _recv(sock, udp: bool) -> Optional[bytes]:
    if udp:
        got = sock.recvfrom()
        return None if got is None else got[2]
    return sock.recvmsg()
