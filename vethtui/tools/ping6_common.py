"""ping6_common.c from iputils 20221126: ping's IPv6 half.

ping6_run sets up a raw ICMPv6 socket (the source from a UDP probe connect(),
SO_BINDTODEVICE for -I), then ping_common's main loop runs with IPv6's
probe, reply and error functions: echo requests of type 128 whose checksum the
kernel fills, replies printed with the sender's zone (`fe80::1%veth0`) and the
hop limit as "ttl", errors read from the error queue and printed by print_icmp.
"""
from __future__ import annotations

import ipaddress
from typing import Optional

from ..kernel import ipv6
from ..kernel.ipv6_raw import RawSocket6
from ..kernel.sockets import SocketError
from .base import Proc
from .ping_common import Pinger, PingOpts, _payload

ERRNO_TEXT = {"ENETUNREACH": "Network is unreachable", "EHOSTUNREACH": "No route to host",
              "EINVAL": "Invalid argument", "ENODEV": "No such device",
              "EADDRNOTAVAIL": "Cannot assign requested address"}


def print_icmp(t: int, code: int, info: int) -> str:
    """print_icmp: ICMPv6 type and code in words."""
    if t == 1:
        words = {0: "No route", 1: "Administratively prohibited",
                 2: "Beyond scope of source address", 3: "Address unreachable",
                 4: "Port unreachable", 5: "Source address failed ingress/egress policy",
                 6: "Reject route to destination"}
        return "Destination unreachable: " + words.get(code, f"Unknown code {code}")
    if t == 2:
        return f"Packet too big: mtu={info}" + (f", code={code}" if code else "")
    if t == 3:
        return "Time exceeded: " + ("Hop limit" if code == 0 else "Defragmentation failure"
                                    if code == 1 else f"code {code}")
    if t == 4:
        words = {0: "Wrong header field ", 1: "Unknown header ", 2: "Unknown option "}
        return "Parameter problem: " + words.get(code, f"code {code} ") + f"at {info}"
    return {128: "Echo request", 129: "Echo reply", 130: "MLD Query", 131: "MLD Report",
            132: "MLD Reduction"}.get(t, f"unknown icmp type: {t}")


def parse_target(text: str) -> Optional[tuple[ipaddress.IPv6Address, str]]:
    """getaddrinfo's numeric IPv6 form: the address and its zone (`%dev`), if any."""
    addr, _, zone = text.partition("%")
    try:
        a = ipaddress.IPv6Address(addr)
    except ValueError:
        return None
    if a.ipv4_mapped is not None:
        return None
    return a, zone


class Pinger6(Pinger):
    """ping_common's loop with ping6_func_set."""

    def __init__(self, proc: Proc, o: PingOpts, sock: RawSocket6, dst: ipaddress.IPv6Address,
                 scope_id: int, src: ipaddress.IPv6Address, hostname: str, target_text: str,
                 iface: Optional[str], bound_dev, ident: int):
        super().__init__(proc, o, sock, 0, 0, hostname, True, iface, bound_dev, ident)
        self.dst6, self.src6, self.scope_id = dst, src, scope_id
        self.target_text = target_text
        self.ttl = o.ttl or 0          # 0: the route's hop limit (IPV6_UNICAST_HOPS unset)
        # a multicast ping: replies from every member, duplicates not flagged, no
        # fragmenting (IPV6_PMTUDISC_DO unless -M says otherwise)
        self.multicast = dst.is_multicast
        self.pmtudisc = o.pmtudisc or ("do" if self.multicast else "want")
        # subnet-router anycast (the last 64 bits zero): replies may come from elsewhere
        self.anycast = not any(dst.packed[8:])

    def _header(self) -> str:
        header = f"PING {self.hostname}({self.target_text}) "
        if self.iface is not None:
            header += f"from {self._addr(self.src6, 0)} {self.iface}: "
        return header + f"{self.datalen} data bytes\n"

    def _addr(self, a: ipaddress.IPv6Address, ifindex: int) -> str:
        """pr_addr, numeric: link-local addresses carry their zone."""
        if ifindex and (a.is_link_local or a.is_multicast and (a.packed[1] & 0xF) == 2):
            dev = self.proc.net.dev_by_index(ifindex)
            if dev is not None:
                return f"{a}%{dev.name}"
        return str(a)

    def _send_probe(self, seq: int, now: float) -> None:
        icmp = (bytes([128, 0, 0, 0]) + self.ident.to_bytes(2, "big") + seq.to_bytes(2, "big")
                + _payload(now, self.datalen))
        self.sock.sendto(icmp, self.dst6, self.ttl, self.scope_id, self.pmtudisc)

    def _drain(self) -> None:
        sock = self.sock
        rxq, errq = sock.rxq, sock.errq
        took = 0
        while True:
            if took and self.ntransmitted - self.nreceived - self.nerrors == 0:
                break
            if sock.sk_err and errq:
                e = errq.popleft()
                sock.sk_err = bool(errq) and errq[0].origin == "icmp6"
                self._error_queue(e)
            elif rxq:
                r = rxq.popleft()
                if len(r.icmp) >= 8 and r.icmp[0] == 129:
                    self._echo_reply6(r)
            elif errq:
                self._error_queue(errq.popleft())
            else:
                break
            took += 1

    def _echo_reply6(self, r) -> None:
        icmp = r.icmp
        if int.from_bytes(icmp[4:6], "big") != self.ident:
            return
        seq = int.from_bytes(icmp[6:8], "big")
        wrong = not self.anycast and not self.multicast and r.src != self.dst6
        self._gather(r, icmp, seq, self._addr(r.src, r.ifindex), r.hoplimit, wrong)

    def _error_queue(self, e) -> None:
        """ping6_receive_error_msg."""
        proc = self.proc
        if e.origin == "local":
            self.nerrors += 1
            if not self.quiet:
                if self.flood:
                    proc.out("E")
                elif e.errno == "EMSGSIZE":
                    proc.err(f"ping: local error: message too long, mtu: {e.info}\n")
                else:
                    proc.err(f"ping: local error: {ERRNO_TEXT.get(e.errno, e.errno)}\n")
            return
        inner = e.inner
        if len(inner) < 48 or inner[6] != 58:
            return
        if ipaddress.IPv6Address(inner[24:40]) != self.dst6 or inner[40] != 128:
            return
        if int.from_bytes(inner[44:46], "big") != self.ident:
            return
        seq = int.from_bytes(inner[46:48], "big")
        self.nerrors += 1
        if self.quiet:
            return
        if self.flood:
            proc.out("\bE")
            return
        proc.out(f"From {self._addr(e.offender, e.offender_ifindex)} icmp_seq={seq} "
                 f"{print_icmp(e.type, e.code, e.info)}\n")


async def ping6_run(proc: Proc, o: PingOpts, target: str, addr: ipaddress.IPv6Address,
                    zone: str, die) -> int:
    """ping6_run: the source (a UDP probe's connect() and getsockname()), the socket."""
    net = proc.net
    world = proc.world
    scope_id = 0
    if zone:
        zdev = net.dev_by_name(zone)
        if zdev is None:
            if zone.isdigit() and net.dev_by_index(int(zone)) is not None:
                scope_id = int(zone)
            else:
                die(f"{target}: Name or service not known", 2)
        else:
            scope_id = zdev.ifindex
    bound_dev = None
    src: Optional[ipaddress.IPv6Address] = None
    iface = o.iface
    if iface is not None:
        try:
            src = ipaddress.IPv6Address(iface)
            iface = None
        except ValueError:
            src = None
            bound_dev = net.dev_by_name(iface)
            if bound_dev is None:
                die(f"unknown iface: {iface}", 2)
    if o.ttl == 0 and o.ttl is not None:
        die("can't set unicast hop limit: Invalid argument", 2)
    ident = getattr(proc, "pid", 0) & 0xFFFF or world.rng.randrange(1, 65536)
    target_text = f"{addr}%{zone}" if zone else str(addr)
    if src is None:
        firsthop_scope = scope_id
        linklocal = addr.is_link_local or (addr.is_multicast and (addr.packed[1] & 0xF) == 2)
        if bound_dev is not None and linklocal:
            firsthop_scope = bound_dev.ifindex
        if linklocal:
            # ping6_run sets the probe's sin6_family only for a first hop that is not
            # link-local: connect() with AF_UNSPEC disconnects, getsockname says ::
            src = ipaddress.IPv6Address("::")
        else:
            dst = addr if addr != ipaddress.IPv6Address("::") else ipaddress.IPv6Address("::1")
            oif = bound_dev or (net.dev_by_index(firsthop_scope) if firsthop_scope else None)
            rt = ipv6.ip6_route_output(net, dst, oif)
            if rt is None:
                die("connect: Network is unreachable", 2)
            src = ipv6.ipv6_dev_get_saddr(
                net, oif if oif is not None and rt.type == "local" else rt.dev, dst)
            if src is None:
                die("connect: Cannot assign requested address", 2)
        if bound_dev is not None and not any(a.addr == src for a in bound_dev.inet6):
            proc.err(f"ping: Warning: source address might be selected on device other "
                     f"than: {iface}\n")
    elif not ipv6.ipv6_chk_addr(net, src, None):
        die("bind icmp socket: Cannot assign requested address", 2)
    sock = RawSocket6(net, bound_dev.ifindex if bound_dev is not None else 0, ident,
                      saddr=src if o.iface is not None and iface is None else None)
    sock.event.wake_delay = 40e-6
    if bound_dev is not None:
        proc.note(f"ping -I {iface} binds its socket to {iface} (SO_BINDTODEVICE)")
    try:
        return await Pinger6(proc, o, sock, addr, scope_id, src, target, target_text, iface,
                             bound_dev, ident).run()
    finally:
        sock.close()


__all__ = ["ping6_run", "parse_target", "print_icmp", "Pinger6", "SocketError"]
