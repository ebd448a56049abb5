"""A small internet behind the default lab's LAN gateway, built as a real-kernel scenario
would build it: namespaces, links, addresses, routes and forwarding.

    host eth0 192.168.1.11 --LAN-- gateway eth0 192.168.1.1
                                   gateway wan0 203.0.113.2
                                 ~5 ms uplink
                                        |
                                   isp eth0 203.0.113.1, eth1 198.51.100.1
                                        |
                                 ~4 ms backbone
                                        |
                                   internet eth0 198.51.100.2, and on it the servers:
                                   8.8.8.8/32, 1.1.1.1/32, 93.184.216.34/32

The ISP routes the LAN's prefix 192.168.1.0/24 back to the gateway (no NAT there, as in
tests/oracle/scenarios/nf_01_masquerade_ping.sh), so a container's private source
172.18.0.0/16 gets no answer until the host masquerades it. The namespaces are hidden
(no tool lists them), like the gateway's. The backbone hops
that are not simulated are folded into the servers' initial TTL
(net.ipv4.ip_default_ttl = 60 in `internet`), so a ping from the host sees ttl=57.
The two long links are wires with a propagation delay (a seeded few percent of
jitter, order kept), so round trips take about 18 ms instead of the LAN's 0.4 ms.

93.184.216.34 is where example.com was served for years (Edgecast's "ECS" caches), and
here a web server answers on its port 80 as that one did: HTTP/1.1, keep-alive, the
"Example Domain" page (200 for / and /index.html, the same page with 404 for any other
path), headers in its order with the date from the virtual clock. 8.8.8.8 and 1.1.1.1
answer ping; their port 80 is closed (a RST). The lab's /etc/hosts (`world.etc_files`,
the scratch file system every shell session starts with) names example.com and
www.example.com; nothing else resolves (no DNS server is simulated).
"""
from __future__ import annotations

import random
from typing import TYPE_CHECKING, Optional

from email.utils import formatdate

from ..kernel import core
from ..kernel.clock import Task
from ..kernel.drivers import EthernetNic, Lan
from ..kernel.fib import RTPROT_STATIC, FibConfig, fib_new_table, fib_table_insert
from ..kernel.inet import aton
from ..kernel.sockets import SocketError
from ..kernel.tcp import TcpSock
from ..tools.resolv import debian_hosts

if TYPE_CHECKING:  # pragma: no cover
    from ..kernel.skb import SkBuff
    from ..kernel.world import World

SERVERS = ["8.8.8.8", "1.1.1.1", "93.184.216.34"]
UPLINK_S = 0.005       # one way, the gateway's uplink to the ISP
BACKBONE_S = 0.004     # one way, the ISP to the servers
SERVER_TTL = "60"
WEB_SERVER = "93.184.216.34"
HOSTS_LINES = [(WEB_SERVER, "example.com www.example.com")]

EXAMPLE_PAGE = """<!doctype html>
<html>
<head>
    <title>Example Domain</title>

    <meta charset="utf-8" />
    <meta http-equiv="Content-type" content="text/html; charset=utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <style type="text/css">
    body {
        background-color: #f0f0f2;
        margin: 0;
        padding: 0;
        font-family: -apple-system, system-ui, BlinkMacSystemFont, "Segoe UI", "Open Sans", "Helvetica Neue", Helvetica, Arial, sans-serif;
        
    }
    div {
        width: 600px;
        margin: 5em auto;
        padding: 2em;
        background-color: #fdfdff;
        border-radius: 0.5em;
        box-shadow: 2px 3px 7px 2px rgba(0,0,0,0.02);
    }
    a:link, a:visited {
        color: #38488f;
        text-decoration: none;
    }
    @media (max-width: 700px) {
        div {
            margin: 0 auto;
            width: auto;
        }
    }
    </style>    
</head>

<body>
<div>
    <h1>Example Domain</h1>
    <p>This domain is for use in illustrative examples in documents. You may use this
    domain in literature without prior coordination or asking for permission.</p>
    <p><a href="https://www.iana.org/domains/example">More information...</a></p>
</div>
</body>
</html>
""".encode()


class Wire(Lan):
    """A point-to-point link with a propagation delay: frames arrive `delay` later
    (a seeded jitter of a few percent, never reordering)."""

    def __init__(self, name: str, delay: float, world: "World"):
        super().__init__(name)
        self.delay = delay
        self.world = world
        self._last_due = 0.0
        # its own seeded draws: traffic to the internet leaves the world's sequence
        # (ping ids, MACs of later links) as it was
        self.rng = random.Random(world.seed * 7919 + len(name))

    def transmit(self, src: EthernetNic, data: bytes, skb: Optional["SkBuff"] = None) -> None:
        sched = self.world.sched
        due = sched.now + self.delay * (0.97 + 0.06 * self.rng.random())
        due = max(due, self._last_due)
        self._last_due = due
        for nic in self.ports:
            if nic is not src:
                sched.call_at(due, self._arrive, nic, data, skb.id if skb is not None else None,
                              skb.trace if skb is not None else None)

    def _arrive(self, nic: EthernetNic, data: bytes, cause: Optional[int],
                trace: Optional[list]) -> None:
        if not nic.flags & 1 or not nic.carrier or nic.net is None:
            return
        nic.stats.rx_packets += 1
        nic.stats.rx_bytes += len(data)
        copy = nic.net.world.new_skb(data, nic, cause=cause, trace=trace)
        core.netif_rx(nic, copy, counted=True)


def _addr(net, dev, cidr: str) -> None:
    from .builtin import add_address
    add_address(net, dev, cidr)


def _route(net, dst: str, gw: str, dev) -> None:
    addr, _, plen = dst.partition("/")
    tb = fib_new_table(net, 254)
    fib_table_insert(net, tb, FibConfig(dst=aton(addr), dst_len=int(plen), gw=aton(gw),
                                        oif=dev.ifindex, protocol=RTPROT_STATIC))


def _nic(net, name: str, wire: Lan, mac: bytes) -> EthernetNic:
    nic = EthernetNic(name, mac)
    net.register(nic)
    # IPv4 only beyond the LAN: no addrconf, DAD or MLD chatter on the internet's links
    net.write_sysctl(f"net.ipv6.conf.{name}.disable_ipv6", "1")
    wire.attach(nic)
    return nic


NO_IPV6 = {"net.ipv6.conf.all.disable_ipv6": "1", "net.ipv6.conf.default.disable_ipv6": "1"}


def build_internet(world: "World", gw) -> None:
    """Give the default lab's gateway namespace `gw` an uplink to the internet."""
    state = world.rng.getstate()     # the lab's random sequence stays what it was without it
    uplink = Wire("uplink", UPLINK_S, world)
    backbone = Wire("backbone", BACKBONE_S, world)
    wan0 = _nic(gw, "wan0", uplink, bytes([0x52, 0x54, 0x00, 0x12, 0x36, 0x02]))
    _addr(gw, wan0, "203.0.113.2/24")
    gw.dev_open(wan0)
    _route(gw, "0.0.0.0/0", "203.0.113.1", wan0)

    isp = world.new_net("isp", hidden=True, sysctl_profile=NO_IPV6)
    isp.dev_open(isp.loopback_dev)
    i0 = _nic(isp, "eth0", uplink, bytes([0x00, 0x1A, 0x2B, 0x00, 0x00, 0x01]))
    i1 = _nic(isp, "eth1", backbone, bytes([0x00, 0x1A, 0x2B, 0x00, 0x00, 0x02]))
    _addr(isp, i0, "203.0.113.1/24")
    _addr(isp, i1, "198.51.100.1/24")
    isp.dev_open(i0)
    isp.dev_open(i1)
    isp.write_sysctl("net.ipv4.ip_forward", "1")
    for server in SERVERS:
        _route(isp, server + "/32", "198.51.100.2", i1)
    _route(isp, "192.168.1.0/24", "203.0.113.2", i0)    # the customer's prefix, routed

    inet = world.new_net("internet", hidden=True, sysctl_profile=NO_IPV6)
    inet.dev_open(inet.loopback_dev)
    e0 = _nic(inet, "eth0", backbone, bytes([0x00, 0x1A, 0x2B, 0x00, 0x01, 0x01]))
    _addr(inet, e0, "198.51.100.2/24")
    for server in SERVERS:
        _addr(inet, e0, server + "/32")
    inet.dev_open(e0)
    inet.write_sysctl("net.ipv4.ip_default_ttl", SERVER_TTL)
    _route(inet, "0.0.0.0/0", "198.51.100.1", e0)
    start_web_server(inet, aton(WEB_SERVER), 80)
    world.etc_files = {"/etc/hosts": debian_hosts(world.hostname, HOSTS_LINES)}
    world.rng.setstate(state)


# ---------------------------------------------------------------- the web server

def start_web_server(net, addr: int, port: int) -> TcpSock:
    """Listen on addr:port in `net` and answer each connection in a task of its own."""
    lsock = TcpSock(net)
    lsock.owner = '("nginx",pid=1,fd=6)'
    lsock.bind(addr, port)
    lsock.listen(511)
    # The server process starts on the clock's first pass, as init starts nginx at boot:
    # its coroutine exists only in a world whose clock runs. (Made here, a world built and
    # dropped before running, as a TUI test's or a lab reset's, left it never awaited.)
    net.world.sched.call_soon(_spawn_httpd, net, lsock)
    return lsock


def _spawn_httpd(net, lsock: TcpSock) -> None:
    Task(net.world.sched, _accept_loop(net, lsock), name="httpd")


async def _accept_loop(net, lsock: TcpSock) -> None:
    while True:
        conn = lsock.accept()
        if conn is None:
            lsock.event.clear()
            await lsock.event.wait(None)
            continue
        Task(net.world.sched, _serve(net, conn), name="httpd conn")


def http_response(net, request: bytes) -> tuple[bytes, bool]:
    """The answer to one request (head and body) and whether the connection stays open."""
    head = request.split(b"\r\n\r\n", 1)[0].decode("latin-1")
    lines = head.split("\r\n")
    words = lines[0].split()
    method = words[0] if words else ""
    path = words[1] if len(words) > 1 else "/"
    version = words[2] if len(words) > 2 else "HTTP/1.0"
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip().lower()
    keep = (version == "HTTP/1.1" and headers.get("connection") != "close") or \
        headers.get("connection") == "keep-alive"
    path = path.split("?", 1)[0]
    if "://" in path:                      # an absolute URI (a proxy-style request)
        path = "/" + path.split("://", 1)[1].partition("/")[2]
    found = path in ("/", "/index.html")
    now = net.world.epoch + net.world.sched.now
    status = "200 OK" if found else "404 Not Found"
    fields = [("Accept-Ranges", "bytes"), ("Cache-Control", "max-age=604800"),
              ("Content-Type", "text/html; charset=UTF-8"),
              ("Date", formatdate(now, usegmt=True)), ("Etag", '"3147526947"'),
              ("Expires", formatdate(now + 604800, usegmt=True)),
              ("Last-Modified", "Thu, 17 Oct 2019 07:18:26 GMT"),
              ("Server", "ECS (nyd/D184)"), ("Vary", "Accept-Encoding"),
              ("X-Cache", "HIT" if found else "404-HIT"),
              ("Content-Length", str(len(EXAMPLE_PAGE)))]
    out = f"HTTP/1.1 {status}\r\n" + "".join(f"{k}: {v}\r\n" for k, v in fields) + "\r\n"
    body = b"" if method == "HEAD" else EXAMPLE_PAGE
    return out.encode() + body, keep


async def _serve(net, conn: TcpSock) -> None:
    """Requests one after another on a kept-alive connection; the server closes it when
    the client does (or after a request that asked to close)."""
    buf = bytearray()
    try:
        while True:
            while b"\r\n\r\n" not in buf:
                got = conn.recvmsg()
                if got is None:
                    conn.event.clear()
                    await conn.event.wait(None)
                    continue
                if not got:
                    conn.close()
                    return
                buf += got
            end = buf.index(b"\r\n\r\n") + 4
            request, buf = bytes(buf[:end]), buf[end:]
            answer, keep = http_response(net, request)
            conn.sendmsg(answer)          # one write: headers and page together
            if not keep:
                conn.shutdown_wr()
                conn.close()
                return
    except SocketError:
        conn.close()
