"""`python3 -m http.server`: Python 3.11's SimpleHTTPRequestHandler over a simulated socket.

The server listens (backlog 5, as socketserver's request_queue_size), takes one
connection at a time, reads the request, and answers as http.server does:
HTTP/1.0, `Server: SimpleHTTP/0.6 Python/3.11.2` (Debian 12's Python), a Date,
then the file from the scratch file system under --directory (default the
working directory, /root), a directory listing, a 301 to add a missing slash, or
send_error's page (404 "File not found", 501 for other methods). Headers and
body are two writes, then shutdown(SHUT_WR) and close: Nagle holds the small
body until the headers are acknowledged, and the FIN rides on it.

Each request is logged on standard error as BaseHTTPRequestHandler.log_message
does (`10.0.0.1 - - [07/Dec/2026 11:23:43] "GET / HTTP/1.1" 200 -`). "Serving
HTTP on ..." goes to standard output, which Python buffers when it is not a
terminal: a server in the background with its output in a file shows it only
when interrupted (Ctrl+C: "Keyboard interrupt received, exiting.").
"""
from __future__ import annotations

import html
import time
import urllib.parse
from email.utils import formatdate
from typing import Optional

from ..kernel.clock import Interrupted
from ..kernel.inet import aton, ntoa
from ..kernel.sockets import SocketError
from ..kernel.tcp import TcpSock
from .base import Proc

SERVER_VERSION = "SimpleHTTP/0.6 Python/3.11.2"
USAGE = "usage: server.py [-h] [--cgi] [--bind ADDRESS] [--directory DIRECTORY] [port]\n"
HELP = USAGE + """
positional arguments:
  port                  specify alternate port (default: 8000)

options:
  -h, --help            show this help message and exit
  --cgi                 run as CGI server
  --bind ADDRESS, -b ADDRESS
                        specify alternate bind address (default: all interfaces)
  --directory DIRECTORY, -d DIRECTORY
                        specify alternate directory (default: current directory)
"""

DEFAULT_ERROR_MESSAGE = """\
<!DOCTYPE HTML>
<html lang="en">
    <head>
        <meta charset="utf-8">
        <title>Error response</title>
    </head>
    <body>
        <h1>Error response</h1>
        <p>Error code: %(code)d</p>
        <p>Message: %(message)s.</p>
        <p>Error code explanation: %(code)s - %(explain)s.</p>
    </body>
</html>
"""

# http.HTTPStatus: phrase and description of the codes the server sends
STATUS = {200: ("OK", "Request fulfilled, document follows"),
          301: ("Moved Permanently", "Object moved permanently -- see URI list"),
          400: ("Bad Request", "Bad request syntax or unsupported method"),
          404: ("Not Found", "Nothing matches the given URI"),
          501: ("Not Implemented", "Server does not support this operation")}

MIME = {".html": "text/html", ".htm": "text/html", ".txt": "text/plain", ".css": "text/css",
        ".js": "text/javascript", ".json": "application/json", ".png": "image/png",
        ".jpg": "image/jpeg", ".gif": "image/gif", ".svg": "image/svg+xml",
        ".xml": "text/xml", ".sh": "application/x-sh", ".py": "text/x-python"}


def main(proc: Proc, argv: list[str]):
    if len(argv) >= 3 and argv[1] == "-m" and argv[2] == "http.server":
        return serve(proc, argv[3:])
    proc.err("vethtui: python3: only `python3 -m http.server` is simulated\n")
    return 127


def _parse(proc: Proc, args: list[str]):
    bind: Optional[str] = None
    directory = "/root"
    port: Optional[str] = None
    i = 0
    while i < len(args):
        a = args[i]
        if a in ("-h", "--help"):
            proc.out(HELP)
            return None, 0
        if a in ("--bind", "-b", "--directory", "-d") or a.startswith(("--bind=", "--directory=")):
            if "=" in a:
                name, val = a.split("=", 1)
            else:
                name = a
                if i + 1 >= len(args):
                    long = "--bind/-b" if name in ("--bind", "-b") else "--directory/-d"
                    proc.err(f"{USAGE}server.py: error: argument {long}: expected one argument\n")
                    return None, 2
                val = args[i + 1]
                i += 1
            if name in ("--bind", "-b"):
                bind = val
            else:
                directory = val
        elif a == "--cgi":
            pass
        elif a.startswith("-") and a != "-":
            proc.err(f"{USAGE}server.py: error: unrecognized arguments: {a}\n")
            return None, 2
        elif port is None:
            port = a
        else:
            proc.err(f"{USAGE}server.py: error: unrecognized arguments: {a}\n")
            return None, 2
        i += 1
    if port is None:
        port_n = 8000
    else:
        try:
            port_n = int(port)
        except ValueError:
            proc.err(f"{USAGE}server.py: error: argument port: invalid int value: '{port}'\n")
            return None, 2
    return (bind, directory.rstrip("/") or "/", port_n), 0


async def serve(proc: Proc, args: list[str]) -> int:
    parsed, status = _parse(proc, args)
    if parsed is None:
        return status
    bind, directory, port = parsed
    addr = 0
    if bind:
        try:
            addr = aton(bind)
        except ValueError:
            proc.err("socket.gaierror: [Errno -2] Name or service not known\n")
            return 1
    if not 0 <= port <= 65535:
        proc.err("OverflowError: bind(): port must be 0-65535.\n")
        return 1
    lsock = TcpSock(proc.net)
    lsock.owner = f'("python3",pid={getattr(proc, "pid", 0)},fd=3)'
    try:
        if addr and not _is_local(proc.net, addr):
            raise SocketError("EADDRNOTAVAIL")
        lsock.bind(addr, port)
    except SocketError as err:
        text = {"EADDRINUSE": "[Errno 98] Address already in use",
                "EADDRNOTAVAIL": "[Errno 99] Cannot assign requested address"}[err.errno]
        proc.err(f"OSError: {text}\n")
        return 1
    lsock.listen(5)
    host = ntoa(addr)
    banner = f"Serving HTTP on {host} port {lsock.sport} (http://{host}:{lsock.sport}/) ...\n"
    held: list[str] = []
    if proc.tty:
        proc.out(banner)
    else:
        held.append(banner)            # block-buffered: written at exit, if ever
    try:
        while True:
            conn = lsock.accept()
            if conn is None:
                lsock.event.clear()
                await proc.wait(lsock.event, None)
                continue
            conn.owner = lsock.owner.replace("fd=3", "fd=4")
            await handle(proc, conn, directory)
    except Interrupted:
        proc.out("".join(held) + "\nKeyboard interrupt received, exiting.\n")
        return 0
    finally:
        lsock.close()


def _is_local(net, addr: int) -> bool:
    for dev in net.devices_in_order():
        in_dev = getattr(dev, "in_dev", None)
        if in_dev is not None and any(ifa.local == addr for ifa in in_dev.ifa_list):
            return True
    return False


class _Handler:
    def __init__(self, proc: Proc, conn: TcpSock, directory: str):
        self.proc = proc
        self.conn = conn
        self.directory = directory
        self.out = bytearray()
        self.command = ""
        self.requestline = ""

    def now(self) -> float:
        return self.proc.world.epoch + self.proc.now

    def log_message(self, text: str) -> None:
        t = time.gmtime(self.now())
        month = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov",
                 "Dec")[t.tm_mon - 1]
        stamp = f"{t.tm_mday:02d}/{month}/{t.tm_year:04d} {t.tm_hour:02d}:{t.tm_min:02d}:" \
                f"{t.tm_sec:02d}"
        self.proc.err(f"{ntoa(self.conn.daddr)} - - [{stamp}] {text}\n")

    def send_response(self, code: int, message: Optional[str] = None) -> None:
        self.log_message(f'"{self.requestline}" {code} -')
        phrase = message if message is not None else STATUS[code][0]
        self.out += f"HTTP/1.0 {code} {phrase}\r\n".encode()
        self.send_header("Server", SERVER_VERSION)
        self.send_header("Date", formatdate(self.now(), usegmt=True))

    def send_header(self, name: str, value: str) -> None:
        self.out += f"{name}: {value}\r\n".encode("latin-1", "replace")

    def end_headers(self) -> None:
        self.out += b"\r\n"
        self.flush()

    def flush(self) -> None:
        if self.out:
            try:
                self.conn.sendmsg(bytes(self.out))
            except SocketError:
                pass
            self.out.clear()

    def send_error(self, code: int, message: Optional[str] = None) -> None:
        shortmsg, longmsg = STATUS[code]
        if message is None:
            message = shortmsg
        self.log_message(f"code {code}, message {message}")
        self.send_response(code, message)
        self.send_header("Connection", "close")
        body = None
        if code >= 200 and code not in (204, 205, 304):
            content = DEFAULT_ERROR_MESSAGE % {"code": code,
                                               "message": html.escape(message, quote=False),
                                               "explain": html.escape(longmsg, quote=False)}
            body = content.encode("UTF-8", "replace")
            self.send_header("Content-Type", "text/html;charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD" and body:
            self.write(body)

    def write(self, data: bytes) -> None:
        try:
            self.conn.sendmsg(data)
        except SocketError:
            pass

    # -- SimpleHTTPRequestHandler ------------------------------------------------
    def files(self) -> dict:
        return getattr(self.proc.session, "files", {}) or {}

    def translate_path(self, path: str) -> str:
        path = path.split("?", 1)[0].split("#", 1)[0]
        trailing = path.rstrip().endswith("/")
        path = urllib.parse.unquote(path)
        words = [w for w in path.split("/") if w and w not in (".", "..")]
        out = self.directory.rstrip("/") + "/" + "/".join(words)
        if trailing and not out.endswith("/"):
            out += "/"
        return out

    def is_dir(self, path: str) -> bool:
        """The served directory itself, the usual ones, or any with a file under it."""
        base = path.rstrip("/") + "/"
        if base in ("/", "/root/", "/tmp/", "/etc/", self.directory.rstrip("/") + "/"):
            return True
        return any(k.startswith(base) for k in self.files())

    def do_GET(self, head: bool) -> None:
        path = self.translate_path(self.path)
        files = self.files()
        if self.is_dir(path) and path.rstrip("/") not in files:
            parts = urllib.parse.urlsplit(self.path)
            if not parts.path.endswith("/"):
                self.send_response(301)
                new = urllib.parse.urlunsplit((parts[0], parts[1], parts[2] + "/", parts[3],
                                               parts[4]))
                self.send_header("Location", new)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            for index in ("index.html", "index.htm"):
                if path.rstrip("/") + "/" + index in files:
                    path = path.rstrip("/") + "/" + index
                    break
            else:
                self.list_directory(path, head)
                return
        if path.endswith("/") or path not in files:
            self.send_error(404, "File not found")
            return
        body = files[path].encode()
        ext = "." + path.rsplit(".", 1)[1].lower() if "." in path.rsplit("/", 1)[-1] else ""
        self.send_response(200)
        self.send_header("Content-type", MIME.get(ext, "application/octet-stream"))
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Last-Modified", formatdate(self.now(), usegmt=True))
        self.end_headers()
        if not head and body:
            self.write(body)

    def list_directory(self, path: str, head: bool) -> None:
        base = path.rstrip("/") + "/"
        names = set()
        for k in self.files():
            if k.startswith(base) and len(k) > len(base):
                rest = k[len(base):]
                names.add(rest.split("/", 1)[0] + ("/" if "/" in rest else ""))
        displaypath = html.escape(urllib.parse.unquote(self.path), quote=False)
        title = f"Directory listing for {displaypath}"
        r = ["<!DOCTYPE HTML>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
             f"<title>{title}</title>\n</head>", f"<body>\n<h1>{title}</h1>", "<hr>\n<ul>"]
        for name in sorted(names, key=str.lower):
            r.append('<li><a href="%s">%s</a></li>' % (urllib.parse.quote(name),
                                                       html.escape(name, quote=False)))
        r.append("</ul>\n<hr>\n</body>\n</html>\n")
        encoded = "\n".join(r).encode()
        self.send_response(200)
        self.send_header("Content-type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(encoded)))
        self.end_headers()
        if not head:
            self.write(encoded)

    def handle(self, raw: bytes) -> None:
        line = raw.split(b"\r\n", 1)[0].split(b"\n", 1)[0].decode("iso-8859-1")
        self.requestline = line.rstrip("\r\n")
        words = self.requestline.split()
        if not words:
            return
        if len(words) >= 3:
            version = words[-1]
            if not version.startswith("HTTP/"):
                self.send_error(400, f"Bad request version ({version!r})")
                return
            if len(words) > 3:
                self.send_error(400, f"Bad request syntax ({self.requestline!r})")
                return
        elif len(words) != 2 or words[0] != "GET":
            self.send_error(400, f"Bad request syntax ({self.requestline!r})")
            return
        self.command, self.path = words[0], words[1]
        if self.command in ("GET", "HEAD"):
            self.do_GET(self.command == "HEAD")
        else:
            self.send_error(501, f"Unsupported method ({self.command!r})")


async def handle(proc: Proc, conn: TcpSock, directory: str) -> None:
    """One request: read the headers (or the end of the stream), answer, shut down, close."""
    buf = bytearray()
    while b"\r\n\r\n" not in buf and b"\n\n" not in buf:
        try:
            got = conn.recvmsg()
        except SocketError:
            got = b""
        if got is None:
            conn.event.clear()
            await proc.wait(conn.event, None)
            continue
        if not got:
            break
        buf += got
    if buf:
        _Handler(proc, conn, directory).handle(bytes(buf))
    conn.shutdown_wr()           # socketserver's shutdown_request
    conn.close()
