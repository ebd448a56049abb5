"""curl 7.88.1 (Debian 12): HTTP/1.1 GET and HEAD over a simulated TCP socket.

Options: -s, -S, -o FILE, -w FORMAT, -I, -i, -v, -m SECONDS, --connect-timeout
SECONDS, -H, -A, -X, -f, -V, -h. Names resolve from dotted quads, localhost and
/etc/hosts in the scratch file system (nothing else: a lab has no DNS). The
request is curl's (`Host`, `User-Agent: curl/7.88.1`, `Accept: */*`), sent with
TCP_NODELAY; an HTTP/1.0 answer is read until the Content-Length or the end of
the stream, then curl closes.

Errors and exit statuses are curl's: (6) Could not resolve host, (7) Failed to
connect ... after N ms: Couldn't connect to server, (28) for -m ("Connection timed
out after N milliseconds") and --connect-timeout ("... Timeout was reached"),
(52) Empty reply from server, (56) Recv failure, (23) writing the output, (3) a
bad URL, (1) an unsupported protocol, (2) usage. `-w '%{http_code}'` says 000 when
no answer came. The progress meter appears, as curl draws it, when neither -s nor
a terminal on standard output hides it.
"""
from __future__ import annotations

from typing import Optional

from ..kernel.inet import ntoa
from ..kernel.sockets import SocketError
from ..kernel.tcp import TcpSock
from ..kernel.tcp_states import TCP_ESTABLISHED, TCP_SYN_SENT
from .base import Proc
from .nc import ERRNO_TEXT, resolve_host

VERSION = """curl 7.88.1 (x86_64-pc-linux-gnu) libcurl/7.88.1 OpenSSL/3.0.15 zlib/1.2.13 brotli/1.0.9 zstd/1.5.4 libidn2/2.3.3 libpsl/0.21.2 (+libidn2/2.3.3) libssh2/1.10.0 nghttp2/1.52.0 librtmp/2.3 OpenLDAP/2.5.13
Release-Date: 2023-02-20, security patched: 7.88.1-10+deb12u8
Protocols: dict file ftp ftps gopher gophers http https imap imaps ldap ldaps mqtt pop3 pop3s rtmp rtsp scp sftp smb smbs smtp smtps telnet tftp
Features: alt-svc AsynchDNS brotli GSS-API HSTS HTTP2 HTTPS-proxy IDN IPv6 Kerberos Largefile libz NTLM NTLM_WB PSL SPNEGO SSL threadsafe TLS-SRP UnixSockets zstd
"""
TRY = "curl: try 'curl --help' or 'curl --manual' for more information\n"
HELP = """Usage: curl [options...] <url>
 -d, --data <data>          HTTP POST data
 -f, --fail                 Fail fast with no output on HTTP errors
 -h, --help <category>      Get help for commands
 -i, --include              Include protocol response headers in the output
 -o, --output <file>        Write to file instead of stdout
 -O, --remote-name          Write output to a file named as the remote file
 -s, --silent               Silent mode
 -T, --upload-file <file>   Transfer local FILE to destination
 -u, --user <user:password> Server user and password
 -A, --user-agent <name>    Send User-Agent <name> to server
 -v, --verbose              Make the operation more talkative
 -V, --version              Show version number and quit

This is not the full help, this menu is stripped into categories.
Use "--help category" to get an overview of all categories.
For all options use the manual or "--help all".
"""
PROTOCOLS = {"dict", "file", "ftp", "ftps", "gopher", "gophers", "http", "https", "imap",
             "imaps", "ldap", "ldaps", "mqtt", "pop3", "pop3s", "rtmp", "rtsp", "scp", "sftp",
             "smb", "smbs", "smtp", "smtps", "telnet", "tftp"}

# option name -> (short letter or "", takes an argument)
LONG = {"silent": ("s", False), "show-error": ("S", False), "output": ("o", True),
        "write-out": ("w", True), "head": ("I", False), "include": ("i", False),
        "verbose": ("v", False), "max-time": ("m", True), "connect-timeout": ("", True),
        "header": ("H", True), "user-agent": ("A", True), "request": ("X", True),
        "fail": ("f", False), "version": ("V", False), "help": ("h", False),
        "ipv4": ("4", False), "location": ("L", False), "insecure": ("k", False),
        "no-progress-meter": ("", False)}
SHORT = {v[0]: (k, v[1]) for k, v in LONG.items() if v[0]}

METER_HEAD = ("  % Total    % Received % Xferd  Average Speed   Time    Time     Time  Current\n"
              "                                 Dload  Upload   Total   Spent    Left  Speed\n")


class CurlError(Exception):
    def __init__(self, code: int, text: str):
        super().__init__(text)
        self.code = code
        self.text = text


class Options:
    def __init__(self) -> None:
        self.silent = self.show_error = self.head = self.include = self.verbose = False
        self.fail = self.no_meter = False
        self.output: Optional[str] = None
        self.write_out: Optional[str] = None
        self.max_time: Optional[float] = None
        self.connect_timeout: Optional[float] = None
        self.headers: list[str] = []
        self.user_agent = "curl/7.88.1"
        self.method: Optional[str] = None
        self.urls: list[str] = []


def _number(opt: str, val: str) -> float:
    try:
        n = float(val)
    except ValueError:
        raise CurlError(-2, f"curl: option {opt}: expected a proper numerical parameter\n")
    if n < 0:
        raise CurlError(-2, f"curl: option {opt}: expected a proper numerical parameter\n")
    return n


def parse_args(argv: list[str]) -> Options:
    o = Options()
    i = 1
    while i < len(argv):
        a = argv[i]
        if a.startswith("--") and len(a) > 2:
            name = a[2:]
            val = None
            if "=" in name:
                name, val = name.split("=", 1)
            neg = name.startswith("no-") and name[3:] in LONG
            key = name[3:] if neg else name
            if key not in LONG:
                raise CurlError(-2, f"curl: option {a}: is unknown\n")
            short, takes = LONG[key]
            if takes:
                if val is None:
                    if i + 1 >= len(argv):
                        raise CurlError(-2, f"curl: option {a}: requires parameter\n")
                    val = argv[i + 1]
                    i += 1
            _apply(o, key, short, val, a, neg)
        elif a.startswith("-") and len(a) > 1:
            j = 1
            while j < len(a):
                ch = a[j]
                if ch not in SHORT:
                    raise CurlError(-2, f"curl: option -{a[j:]}: is unknown\n")
                key, takes = SHORT[ch]
                if takes:
                    val = a[j + 1:]
                    if not val:
                        if i + 1 >= len(argv):
                            raise CurlError(-2, f"curl: option -{ch}: requires parameter\n")
                        val = argv[i + 1]
                        i += 1
                    _apply(o, key, ch, val, f"-{ch}", False)
                    break
                _apply(o, key, ch, None, f"-{ch}", False)
                j += 1
        else:
            o.urls.append(a)
        i += 1
    return o


def _apply(o: Options, key: str, short: str, val: Optional[str], shown: str, neg: bool) -> None:
    on = not neg
    if key == "silent":
        o.silent = on
    elif key == "show-error":
        o.show_error = on
    elif key == "head":
        o.head = on
    elif key == "include":
        o.include = on
    elif key == "verbose":
        o.verbose = on
    elif key == "fail":
        o.fail = on
    elif key == "no-progress-meter":
        o.no_meter = True
    elif key == "output":
        o.output = val
    elif key == "write-out":
        o.write_out = val
    elif key == "max-time":
        o.max_time = _number(shown, val)
    elif key == "connect-timeout":
        o.connect_timeout = _number(shown, val)
    elif key == "header":
        o.headers.append(val)
    elif key == "user-agent":
        o.user_agent = val
    elif key == "request":
        o.method = val
    elif key == "version":
        raise CurlError(-1, VERSION)
    elif key == "help":
        raise CurlError(-3, HELP)


class Url:
    def __init__(self, scheme: str, host: str, port: int, path: str, text: str):
        self.scheme = scheme
        self.host = host
        self.port = port
        self.path = path
        self.text = text


def parse_url(text: str) -> Url:
    rest = text
    scheme = "http"
    if "://" in rest:
        scheme, rest = rest.split("://", 1)
        scheme = scheme.lower()
        if scheme not in PROTOCOLS:
            raise CurlError(1, f'Protocol "{scheme}" not supported or disabled in libcurl')
    hostport, _, path = rest.partition("/")
    path = "/" + path
    if "@" in hostport:
        hostport = hostport.rsplit("@", 1)[1]
    if not hostport:
        raise CurlError(3, "URL using bad/illegal format or missing URL")
    host, port = hostport, 443 if scheme == "https" else 80
    if ":" in hostport:
        host, p = hostport.rsplit(":", 1)
        if p:
            if not p.isdigit() or int(p) > 65535:
                raise CurlError(3, "URL using bad/illegal format or missing URL")
            port = int(p)
    if not host:
        raise CurlError(3, "URL using bad/illegal format or missing URL")
    effective = f"{scheme}://{hostport}{path}"
    return Url(scheme, host, port, path, effective)


def _max5(n: float) -> str:
    """max5data: a size in five columns, with k/M/G past 99999."""
    n = int(n)
    if n < 100000:
        return f"{n:5d}"
    if n < 10000 * 1024:
        return f"{n // 1024:4d}k"
    if n < 10000 * 1024 * 1024:
        return f"{n // (1024 * 1024):4d}M"
    return f"{n // (1024 ** 3):4d}G"


class Transfer:
    def __init__(self, proc: Proc, o: Options, url: Url):
        self.proc = proc
        self.o = o
        self.url = url
        self.start = proc.now
        self.http_code = 0
        self.size_download = 0
        self.size_header = 0
        self.content_type = ""
        self.remote_ip = ""
        self.local_ip = ""
        self.local_port = 0
        self.num_connects = 0
        self.meter = not o.silent and not o.no_meter and not (proc.tty and o.output is None)

    def elapsed_ms(self) -> int:
        return int((self.proc.now - self.start) * 1000)

    def verbose(self, text: str) -> None:
        if self.o.verbose:
            self.proc.err(text)


async def main(proc: Proc, argv: list[str]) -> int:
    try:
        o = parse_args(argv)
    except CurlError as err:
        if err.code == -1 or err.code == -3:
            proc.out(err.text)
            return 0
        proc.err(err.text + TRY)
        return 2
    if not o.urls:
        if len(argv) == 1:
            proc.err(TRY)
        else:
            proc.err("curl: no URL specified!\n" + TRY)
        return 2
    status = 0
    for text in o.urls:
        status = await fetch(proc, o, text)
    return status


async def fetch(proc: Proc, o: Options, text: str) -> int:
    t = None
    try:
        url = parse_url(text)
        t = Transfer(proc, o, url)
        if t.meter:
            proc.err(METER_HEAD + "\r" + _meter_line(0, 0, 0.0))
        await run(t)
        code = 0
    except CurlError as err:
        code = err.code
        if t is not None and t.meter:
            proc.err("\r" + _meter_line(t.size_download, t.size_download, 0.0) + "\n")
        if t is not None and o.verbose:
            proc.err("* Closing connection 0\n")
        if not o.silent or o.show_error:
            proc.err(f"curl: ({code}) {err.text}\n")
        if o.write_out is not None:
            write_out(proc, o.write_out, t, url=text, exitcode=code)
        return code
    if t.meter:
        secs = max(proc.now - t.start, 1e-6)
        proc.err("\r" + _meter_line(t.size_download, t.size_download, t.size_download / secs)
                 + "\n")
    if o.verbose:
        proc.err("* Closing connection 0\n")
    if o.write_out is not None:
        write_out(proc, o.write_out, t, url=t.url.text, exitcode=0)
    return 0


def _meter_line(total: int, got: int, speed: float) -> str:
    pct = 100 if total and got >= total else 0
    return (f"{pct:3d} {_max5(total)}  {pct:3d} {_max5(got)}    0     0 {_max5(speed)}      0"
            " --:--:-- --:--:-- --:--:-- " + _max5(speed))


async def run(t: Transfer) -> None:
    proc, o, url = t.proc, t.o, t.url
    addr = resolve_host(proc, url.host)
    if addr is None:
        raise CurlError(6, f"Could not resolve host: {url.host}")
    if url.scheme not in ("http",):
        raise CurlError(1, f'Protocol "{url.scheme}" not supported or disabled in libcurl'
                        if url.scheme != "https" else
                        "vethtui: https is not simulated")
    t.verbose(f"*   Trying {ntoa(addr)}:{url.port}...\n")
    sock = TcpSock(proc.net)
    sock.nodelay = True
    sock.owner = f'("curl",pid={getattr(proc, "pid", 0)},fd=5)'
    limit = o.max_time
    ctimeout = o.connect_timeout
    try:
        sock.connect(addr, url.port)
    except SocketError as err:
        t.verbose(f"* connect to {ntoa(addr)} port {url.port} failed: "
                  f"{ERRNO_TEXT.get(err.errno, err.errno)}\n")
        msg = f"Failed to connect to {url.host} port {url.port} after {t.elapsed_ms()} ms: " \
              "Couldn't connect to server"
        t.verbose(f"* {msg}\n")
        raise CurlError(7, msg)
    t.num_connects = 1
    deadlines = [x for x in (ctimeout, limit) if x]
    connect_deadline = t.start + min(deadlines) if deadlines else None
    while sock.state == TCP_SYN_SENT:
        sock.event.clear()
        left = None if connect_deadline is None else connect_deadline - proc.now
        if left is not None and left <= 0:
            break
        await proc.wait(sock.event, left)
    if sock.state != TCP_ESTABLISHED:
        if sock.state == TCP_SYN_SENT:
            sock.close()
            if limit and (not ctimeout or limit <= ctimeout):
                msg = f"Connection timed out after {t.elapsed_ms() + 1} milliseconds"
                t.verbose(f"* {msg}\n")
                raise CurlError(28, msg)
            msg = f"Failed to connect to {url.host} port {url.port} after {t.elapsed_ms()} ms: " \
                  "Timeout was reached"
            t.verbose(f"* {msg}\n")
            raise CurlError(28, msg)
        err = sock.sk_err or "ECONNREFUSED"
        sock.close()
        t.verbose(f"* connect to {ntoa(addr)} port {url.port} failed: "
                  f"{ERRNO_TEXT.get(err, err)}\n")
        msg = f"Failed to connect to {url.host} port {url.port} after {t.elapsed_ms()} ms: " \
              "Couldn't connect to server"
        t.verbose(f"* {msg}\n")
        raise CurlError(7, msg)
    t.remote_ip = ntoa(addr)
    t.local_ip, t.local_port = ntoa(sock.saddr), sock.sport
    t.verbose(f"* Connected to {url.host} ({ntoa(addr)}) port {url.port} (#0)\n")
    method = o.method or ("HEAD" if o.head else "GET")
    host_hdr = url.host if url.port == 80 else f"{url.host}:{url.port}"
    lines = [f"{method} {url.path} HTTP/1.1", f"Host: {host_hdr}"]
    names = {h.split(":", 1)[0].strip().lower() for h in o.headers}
    if "user-agent" not in names and o.user_agent:
        lines.append(f"User-Agent: {o.user_agent}")
    if "accept" not in names:
        lines.append("Accept: */*")
    lines += [h for h in o.headers if ":" in h and h.split(":", 1)[1].strip()]
    request = "".join(line + "\r\n" for line in lines) + "\r\n"
    for line in request.split("\r\n")[:-1]:
        t.verbose(f"> {line}\r\n")
    sock.sendmsg(request.encode())
    try:
        await receive(t, sock, method == "HEAD", limit)
    finally:
        sock.close()


async def receive(t: Transfer, sock: TcpSock, head: bool, limit: Optional[float]) -> None:
    proc, o = t.proc, t.o
    buf = bytearray()
    header_end = -1
    body_len: Optional[int] = None
    http10 = False
    eof = False
    while True:
        try:
            got = sock.recvmsg()
        except SocketError as err:
            if err.errno == "ECONNRESET":
                raise CurlError(56, "Recv failure: Connection reset by peer")
            got = b""
        if got is None:
            left = None if not limit else t.start + limit - proc.now
            if left is not None and left <= 0:
                raise CurlError(28, f"Operation timed out after {t.elapsed_ms() + 1} milliseconds"
                                f" with {max(0, len(buf) - max(header_end, 0))} bytes received")
            sock.event.clear()
            await proc.wait(sock.event, left)
            continue
        if not got:
            eof = True
        buf += got
        if header_end < 0:
            idx = buf.find(b"\r\n\r\n")
            if idx >= 0:
                header_end = idx + 4
                head_text = bytes(buf[:header_end]).decode("iso-8859-1")
                status_line = head_text.split("\r\n", 1)[0]
                parts = status_line.split()
                http10 = status_line.startswith("HTTP/1.0")
                if http10:
                    t.verbose("* HTTP 1.0, assume close after body\n")
                for line in head_text.split("\r\n")[:-1]:
                    t.verbose(f"< {line}\r\n")
                t.http_code = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else 0
                t.size_header = header_end
                for line in head_text.split("\r\n")[1:]:
                    name, _, value = line.partition(":")
                    if name.lower() == "content-length" and value.strip().isdigit():
                        body_len = int(value.strip())
                    elif name.lower() == "content-type":
                        t.content_type = value.strip()
                if head:
                    body_len = 0
        if header_end >= 0 and body_len is not None and len(buf) - header_end >= body_len:
            break
        if eof:
            break
    if header_end < 0:
        if not buf:
            raise CurlError(52, "Empty reply from server")
        raise CurlError(8, "Weird server reply")
    head_bytes = bytes(buf[:header_end])
    body = bytes(buf[header_end:header_end + body_len] if body_len is not None
                 else buf[header_end:])
    t.size_download = len(body)
    if o.fail and t.http_code >= 400:
        raise CurlError(22, f"The requested URL returned error: {t.http_code}")
    out = b""
    if o.include or o.head:
        out += head_bytes
    if not o.head:
        out += body
    if body and o.verbose and (o.output is not None or not proc.tty):
        proc.err(f"{{ [{len(body)} bytes data]\n")
    if o.output is None:
        proc.out(out.decode("utf-8", "replace"))
    elif o.output != "/dev/null":
        files = getattr(proc.session, "files", None)
        if files is None or o.output.startswith(("/proc/", "/sys/")):
            raise CurlError(23, "Failure writing output to destination")
        files[o.output] = out.decode("utf-8", "replace")


WRITE_OUT_VARS = ("http_code", "response_code", "size_download", "size_header", "remote_ip",
                  "remote_port", "local_ip", "local_port", "content_type", "num_connects",
                  "url_effective", "exitcode", "scheme", "time_total", "time_connect",
                  "http_version", "errormsg", "method", "url")


def write_out(proc: Proc, fmt: str, t: Optional[Transfer], url: str, exitcode: int) -> None:
    out: list[str] = []
    to_err = False
    i = 0
    while i < len(fmt):
        c = fmt[i]
        if c == "%" and fmt.startswith("%{", i) and "}" in fmt[i:]:
            end = fmt.index("}", i)
            name = fmt[i + 2:end]
            i = end + 1
            if name == "stderr":
                to_err = True
                continue
            if name == "stdout":
                to_err = False
                continue
            val = _var(name, t, url, exitcode)
            if val is None:
                proc.err(f"curl: unknown --write-out variable: '{name}'\n")
                continue
            (proc.err if to_err else proc.out)(val)
            continue
        if c == "%" and fmt.startswith("%%", i):
            out.append("%")
            (proc.err if to_err else proc.out)("%")
            i += 2
            continue
        if c == "\\" and i + 1 < len(fmt) and fmt[i + 1] in "nrt\\":
            ch = {"n": "\n", "r": "\r", "t": "\t", "\\": "\\"}[fmt[i + 1]]
            (proc.err if to_err else proc.out)(ch)
            i += 2
            continue
        (proc.err if to_err else proc.out)(c)
        i += 1


def _var(name: str, t: Optional[Transfer], url: str, exitcode: int) -> Optional[str]:
    if name not in WRITE_OUT_VARS:
        return None
    if name in ("http_code", "response_code"):
        return f"{t.http_code if t else 0:03d}"
    if name == "exitcode":
        return str(exitcode)
    if name in ("url_effective", "url"):
        return t.url.text if t else url
    if t is None:
        return "0" if name in ("size_download", "size_header", "num_connects") else ""
    return {"size_download": str(t.size_download), "size_header": str(t.size_header),
            "remote_ip": t.remote_ip, "remote_port": str(t.url.port) if t.remote_ip else "0",
            "local_ip": t.local_ip, "local_port": str(t.local_port),
            "content_type": t.content_type, "num_connects": str(t.num_connects),
            "scheme": t.url.scheme.upper(), "time_total": f"{t.proc.now - t.start:.6f}",
            "time_connect": f"{t.proc.now - t.start:.6f}", "http_version": "1",
            "errormsg": "", "method": "GET"}.get(name, "")
