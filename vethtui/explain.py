"""Explain packets: numbered walk-throughs built from the stack's traces.

The stack records, for each traced packet, the hook points it passed and the
decision taken at each (`World.packets`, `TraceEvent`). This module turns
those records into the article's kind of story:

    1. [host] ping's raw socket sends an ICMP echo request 192.168.2.11 > 192.168.2.12 ...
    2. [host] route lookup: local 192.168.2.12 dev lo ... (table local, 192.168.2.12/32)
    ...

Nothing here looks at the stack's state: only what was recorded when the
packet went through, so an explanation says what happened then, not what
would happen now.

`explain_packet(world, id)` tells one packet's story and those of the packets
it caused (a reply, an ARP request made for it, an ICMP error).
`explain_command(world, mark)` summarises what a command's packets met and
tells each distinct story once, with the ids of the packets that shared it.
"""
from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Iterable, Optional

from .kernel.inet import ntoa
from .kernel.skb import TraceEvent
from .kernel.wire import (ARPOP_REPLY, ARPOP_REQUEST, ICMP_ECHO, ICMP_ECHOREPLY, IPPROTO_HOPOPTS,
                          IPPROTO_ICMP, IPPROTO_ICMPV6, IPPROTO_IGMP, Arp, Icmp, IPv4, IPv6,
                          ParseError, mac_str)

if TYPE_CHECKING:  # pragma: no cover
    from .kernel.world import PacketRecord, World

DIRECTIONS = {"In": "addressed to it", "B": "a broadcast", "M": "a multicast",
              "P": "for another host (dropped unless forwarding or promiscuous)",
              "Out": "outgoing"}

MAX_STORIES = 6       # distinct stories told in full for one command


@dataclass
class CommandMark:
    """A command line typed at a shell, and the first packet id made after it started.

    Packets are attributed to the latest command started before them, so the
    late ARP retries of a ping that has exited still count as its own. The
    kernel keeps these as opaque tags (World.begin_tag); tools add notes (what
    `explain` should say) and the shell keeps the end of the output.
    """

    line: str
    first_id: int
    started: float
    net: str = ""                  # the namespace it ran in: display name (to show) ...
    net_cookie: int = 0            # ... and identity (to compare)
    status: Optional[int] = None
    notes: list = field(default_factory=list)     # what tools want `explain` to say
    output_chunks: deque = field(default_factory=lambda: deque(maxlen=32))

    @property
    def output_tail(self) -> str:
        """The end of what the command printed (its last writes)."""
        return "".join(self.output_chunks)


def begin_command(world: "World", line: str, net_name: str = "",
                  net_cookie: int = 0) -> CommandMark:
    """A command line starts: its packets are the ones made from now until the next."""
    mark = CommandMark(line, world.last_packet_id + 1, world.sched.now, net_name, net_cookie)
    world.begin_tag(mark)
    return mark


def command_packets(world: "World", mark: CommandMark) -> range:
    ids = world.tagged_packets(mark)
    return ids if ids is not None else range(mark.first_id, world.last_packet_id + 1)


# ---------------------------------------------------------------- namespaces

def home_cookie(world: "World") -> Optional[int]:
    """The identity of the lab's own namespace (the one shown as "host")."""
    return world.init_net.net_cookie if world.init_net is not None else None


def ns_label(name: str, own: bool) -> str:
    """A namespace as a person reads it where several are told apart: its display name,
    except that an `ip netns` namespace named "host" (`own` false: not the lab's own
    namespace, which is called "host" too) reads `netns host`, as `ip netns` knows it.
    Code compares identities (net_cookie); this is only for the eye."""
    return "netns host" if name == "host" and not own else name


def _label(name: str, cookie: int, home: Optional[int]) -> str:
    """A namespace known by its display name and identity; `home`: the lab's own
    namespace's identity (None: not known, and no name is taken for another's)."""
    return ns_label(name, home is None or cookie == home)


# ---------------------------------------------------------------- packet summary

def packet_summary(rec: "PacketRecord") -> str:
    """One line naming the packet, from the bytes it was built with (decoded by the
    wire layer; a locally built IP packet sits behind a blank Ethernet header)."""
    d = rec.data
    try:
        if len(d) >= 42 and d[12:14] == b"\x08\x06":
            arp = Arp.parse(d[14:])
            sip, tip = _ip(arp.sip), _ip(arp.tip)
            if arp.op == ARPOP_REQUEST:
                return f"ARP request who-has {tip} tell {sip}"
            if arp.op == ARPOP_REPLY:
                return f"ARP reply {sip} is-at {mac_str(arp.sha)}"
            return f"ARP op {arp.op}"
        if len(d) >= 34 and d[14] >> 4 == 4:
            ip = IPv4.parse(d[14:])
            src, dst, proto = _ip(ip.src), _ip(ip.dst), ip.proto
            if proto == IPPROTO_ICMP and len(ip.payload) >= 8:
                icmp = Icmp.parse(ip.payload)
                t = icmp.type
                if t == ICMP_ECHO:
                    return f"ICMP echo request {src} > {dst}, id {icmp.ident}, seq {icmp.seq}"
                if t == ICMP_ECHOREPLY:
                    return f"ICMP echo reply {src} > {dst}, id {icmp.ident}, seq {icmp.seq}"
                return f"ICMP {_icmp_name(t, icmp.code)} {src} > {dst}"
            if proto == IPPROTO_IGMP:
                return f"IGMP {src} > {dst}"
            if proto in (6, 17) and len(ip.payload) >= 8:
                return _transport_summary(proto, src, dst, ip.payload)
            return f"IP proto {proto} {src} > {dst}"
        if len(d) >= 54 and d[14] >> 4 == 6 and d[12:14] in (b"\x86\xdd", b"\x00\x00"):
            return "IPv6 " + _ipv6_kind(IPv6.parse(d[14:]))
    except ParseError:
        pass
    return f"frame of {len(d)} bytes"


def _ip6(b) -> str:
    import ipaddress
    return str(ipaddress.IPv6Address(bytes(b))) if isinstance(b, (bytes, bytearray)) else str(b)


def _transport_summary(proto: int, src: str, dst: str, seg: bytes) -> str:
    """TCP with its flags and data length, UDP with its payload length."""
    sport, dport = int.from_bytes(seg[0:2], "big"), int.from_bytes(seg[2:4], "big")
    if proto == 17:
        return f"UDP {src}:{sport} > {dst}:{dport}, {max(len(seg) - 8, 0)} bytes"
    if len(seg) < 20:
        return f"TCP {src}:{sport} > {dst}:{dport}"
    flags = seg[13]
    names = [n for bit, n in ((0x02, "SYN"), (0x01, "FIN"), (0x04, "RST"), (0x08, "PSH"),
                              (0x10, "ACK")) if flags & bit]
    data = len(seg) - (seg[12] >> 4) * 4
    tail = f", {data} bytes of data" if data > 0 else ""
    return f"TCP {src}:{sport} > {dst}:{dport} [{' '.join(names) or 'none'}]{tail}"


def _ip(b: bytes) -> str:
    return ntoa(int.from_bytes(b, "big"))


def _icmp_name(t: int, code: int) -> str:
    if t == 3:
        return {0: "net unreachable", 1: "host unreachable", 3: "port unreachable",
                4: "fragmentation needed"}.get(code, f"unreachable (code {code})")
    return {11: "time exceeded", 5: "redirect", 4: "source quench",
            12: "parameter problem"}.get(t, f"type {t}")


def _ipv6_kind(ip6: IPv6) -> str:
    nh = ip6.next_header
    if nh == IPPROTO_ICMPV6 and len(ip6.payload) >= 8 and ip6.payload[0] in (128, 129):
        p = ip6.payload
        kind = "echo request" if p[0] == 128 else "echo reply"
        return (f"ICMPv6 {kind} {_ip6(ip6.src)} > {_ip6(ip6.dst)}, "
                f"id {int.from_bytes(p[4:6], 'big')}, seq {int.from_bytes(p[6:8], 'big')}")
    if nh == IPPROTO_ICMPV6 and ip6.payload and ip6.payload[0] in ICMP6_ERRORS:
        return f"ICMPv6 {ICMP6_ERRORS[ip6.payload[0]]} {_ip6(ip6.src)} > {_ip6(ip6.dst)}"
    if nh == IPPROTO_ICMPV6 and ip6.payload:
        t = ip6.payload[0]
        return {133: "router solicitation", 135: "neighbour solicitation",
                136: "neighbour advertisement", 143: "MLDv2 report"}.get(t, f"ICMPv6 {t}")
    if nh == IPPROTO_HOPOPTS:
        return "MLDv2 report"
    return f"next header {nh}"


# ---------------------------------------------------------------- one step

def describe_event(e: TraceEvent, home: Optional[int] = None) -> str:
    """A trace event as one sentence of the walk-through, then the kernel function;
    `home` is the lab's own namespace."""
    return f"{_sentence(e, home)}  [{e.hook}]"


def _sentence(e: TraceEvent, home: Optional[int] = None) -> str:
    d = e.detail
    h, v = e.hook, e.verdict
    dev = d.get("dev", "")
    why = d.get("why", "")
    if v == "drop":
        return f"DROPPED: SKB_DROP_REASON_{d.get('reason')}"
    if h == "raw_sendmsg":
        bound = d.get("bound_dev")
        tail = f", bound to {bound} (ping -I {bound})" if bound else ""
        return f"ping's raw socket sends it, {d.get('src')} > {d.get('dst')}{tail}"
    if h == "ip_route_output":
        return f"route lookup: {d.get('route')}"
    if h == "ip_fragment":
        return f"fragmented: {d.get('length')} bytes at offset {d.get('offset')}"
    if h == "neigh_output":
        return (f"neighbour {_key(d)} on {dev} is {d.get('state')}: the frame gets its MAC "
                f"header and goes out")
    if h == "neigh_resolve_output":
        if v == "queued":
            return (f"neighbour {_key(d)} on {dev} is INCOMPLETE: the packet waits in the "
                    f"neighbour's queue while {_resolver(d)} asks who has {_key(d)}")
        return f"neighbour {_key(d)} on {dev} is {d.get('state')}: sent"
    if h == "neigh_update":
        return f"{_resolver(d)} resolved {_key(d)}: the queued packet leaves {dev}"
    if h == "neigh_invalidate":
        return (f"no {_resolver(d)} answer for {_key(d)} after the last probe: the neighbour "
                f"on {dev} is FAILED and its queued packets are dropped")
    if h == "arp_send":
        kind = "unicast " if d.get("unicast") else ""
        why_s = {"neigh_probe": " (neighbour probe)", "request for a local address":
                 " (the target is ours)", "proxy_arp": " (proxy ARP)",
                 "dad_reply": " (duplicate address detection)"}.get(why, f" ({why})" if why else "")
        if v == "request":
            return (f"ARP {kind}request on {dev}: who-has {d.get('target')} tell "
                    f"{d.get('source')}{why_s}")
        return f"ARP reply on {dev}: {d.get('source')} is-at {dev}'s MAC{why_s}"
    if h == "dev_queue_xmit":
        return f"{dev} transmits the frame"
    if h == "veth_xmit":
        # the driver names the peer's namespace, by display name and by identity
        peer_net, cookie = d.get("peer_net", ""), d.get("peer_net_cookie", 0)
        where = (f" in namespace {_label(peer_net, cookie, home)}"
                 if peer_net and cookie != e.net_cookie else "")
        return f"{dev} hands the frame to its veth peer {d.get('peer')}{where}"
    if h == "loopback_xmit":
        return "the destination is local: the packet goes through lo"
    if h == "netif_receive_skb":
        return f"{dev} receives it ({DIRECTIONS.get(v, v)})"
    if h in ("br_handle_frame", "br_forward", "br_multicast"):
        if h == "br_handle_frame":
            return f"{dev} is a port of bridge {d.get('bridge')}: the bridge takes the frame"
        if h == "br_forward":
            return f"bridge {d.get('bridge')} forwards it out of port {dev}"
        return f"bridge multicast snooping: {v}"
    if h == "arp_rcv":
        return f"arp_rcv ignores it: {why}"
    if h == "arp_process":
        return _arp_step(v, d)
    if h == "ip_rcv":
        return f"ip_rcv: a valid IPv4 header, {d.get('src')} > {d.get('dst')}"
    if h == "ip_route_input":
        if v == "refused":
            return f"input route lookup refuses it: {why}"
        if v == "local":
            return f"input route: local delivery ({d.get('route')})"
        if v == "forward":
            return f"input route: forward ({d.get('route')})"
        return f"input route: {why or 'no route'} (ip_error)"
    if h == "ip_local_deliver":
        return f"no socket or handler for IP protocol {d.get('proto')}"
    if h == "raw_v4_input":
        if v == "delivered":
            via = d.get("counts_as")
            if via:
                return (f"a copy is delivered to {d.get('sock')}: it came in on {dev} but "
                        f"counts as arriving on {via}, the device of the local route it was "
                        f"sent by (rt_iif)")
            return f"a copy is delivered to {d.get('sock')}"
        return f"not delivered to {d.get('sock')}: {why}"
    if h == "raw_err":
        if v == "queued":
            return (f"the error is queued on {d.get('sock')}'s error queue (IP_RECVERR): "
                    f"ping reports it")
        return f"the error is not queued on {d.get('sock')}: {why}"
    if h == "icmp_rcv":
        if v == "consumed":
            return f"icmp_rcv: ICMP type {d.get('type')} needs no answer from the stack"
        return f"icmp_rcv ignores it: {why}"
    if h == "ping_rcv":
        return ("ping_rcv looks for an ICMP datagram socket for this reply and finds none "
                "(ping as root reads a raw socket)")
    if h == "icmp_echo":
        if v == "reply":
            return f"icmp_echo: the stack answers with an echo reply from {d.get('src')} to {d.get('to')}"
        return f"icmp_echo does not answer: {why}"
    if h == "icmp_push_reply":
        return f"the stack builds an ICMP {v}, {d.get('src')} > {d.get('dst')}"
    if h == "icmp_reply":
        return f"the ICMP {d.get('kind')} cannot be routed ({d.get('errno')}): not sent"
    if h == "icmp_unreach":
        return f"an ICMP error (type {d.get('type')}, code {d.get('code')}): told to the sockets"
    if h == "icmp_send":
        if v == "rate limited":
            return f"an ICMP error (type {d.get('type')}) would be sent but is rate limited"
        return f"the stack sends an ICMP error (type {d.get('type')}, code {d.get('code')}) to {d.get('to')}"
    tcp_udp = _transport_step(h, v, d, why)
    if tcp_udp is not None:
        return tcp_udp
    if h == "ip_forward":
        if v == "forwarded":
            return f"forwarded out of {d.get('out')}, TTL now {d.get('ttl')}"
        return f"TTL {d.get('ttl')} would reach zero: not forwarded"
    if h == "ip_defrag":
        if v == "reassembled":
            return f"all fragments in: reassembled, {d.get('length')} bytes"
        return f"a fragment ({d.get('length')} bytes at offset {d.get('offset')}) waits for the rest"
    # netfilter
    if h == "nf_conntrack_in":
        if v == "invalid":
            return f"conntrack does not track it: {why}"
        return f"conntrack: {v} packet of the connection {d.get('conn')}"
    if h == "nf_hook":
        where = f"netfilter {d.get('point')}, table {d.get('table')}, chain {d.get('chain')}"
        if v.startswith("policy "):
            return f"{where}: no rule decided, the chain's {v} applies"
        verdict = "the packet is dropped" if v == "DROP" else "the packet goes on"
        return f"{where}: rule {d.get('rule')} matches, -j {d.get('target')}: {verdict}"
    if h == "nf_nat_packet":
        what = f" ({d.get('what')})" if d.get("what") else ""
        return (f"NAT at {d.get('point')}: {d.get('kind')} {d.get('old')} becomes "
                f"{d.get('new')}{what}")
    if h == "nf_send_reset":
        return f"REJECT --reject-with tcp-reset: a RST goes back to {d.get('to')}"
    if h == "nf_nat_masquerade":
        return f"MASQUERADE cannot translate: {why}"
    if h == "ip_route_me_harder":
        return "the destination changed at OUTPUT: routed again"
    if h == "addrconf":
        return f"IPv6 address configuration: {v}"
    s6 = _sentence6(h, v, d, dev, why)
    if s6 is not None:
        return s6
    extra = ", ".join(f"{k}={val}" for k, val in d.items() if k != "dev" and val not in ("", None))
    return f"{h}: {v}" + (f" ({extra})" if extra else "")


def _transport_step(h: str, v: str, d: dict, why: str) -> Optional[str]:
    """The TCP and UDP hooks (kernel/tcp_*.py, kernel/udp.py), or None."""
    if h == "tcp_transmit_skb":
        return (f"TCP sends a {v} segment, {d.get('src')}:{d.get('sport')} > "
                f"{d.get('dst')}:{d.get('dport')}, {d.get('length')} bytes of data")
    if h == "tcp_v4_rcv":
        if v == "no socket":
            return (f"tcp_v4_rcv finds no socket for port {d.get('port')}: the segment is "
                    f"answered with a reset (tcp_v4_send_reset)")
        return f"tcp_v4_rcv: the segment belongs to a socket on port {d.get('port')}"
    if h == "tcp_v4_send_reset":
        return (f"a RST goes back to {d.get('dst')}:{d.get('dport')}: nothing listens there, "
                f"so the client hears 'Connection refused'")
    if h == "tcp_conn_request":
        if v == "listen queue full":
            return (f"the listener's accept queue is full (backlog {d.get('backlog')}): "
                    f"the SYN is dropped and the client will send it again")
        return (f"a listener on port {d.get('port')} takes the SYN: a request socket in "
                f"SYN_RECV answers with SYN-ACK")
    if h == "tcp_finish_connect":
        return "the SYN-ACK completes the handshake: the socket is ESTABLISHED"
    if h == "tcp_v4_err":
        return f"the ICMP error ends the connection attempt on port {d.get('port')} ({v})"
    if h == "udp_sendmsg":
        return f"a UDP socket sends a datagram to {d.get('dst')}:{d.get('dport')}"
    if h == "__udp4_lib_rcv":
        return (f"no UDP socket has port {d.get('port')}: the stack answers with ICMP port "
                f"unreachable")
    if h == "udp_queue_rcv_skb":
        return f"queued on the UDP socket bound to port {d.get('port')}"
    if h == "__udp4_lib_err":
        if v == "not reported":
            return f"the ICMP error is not reported to the socket on port {d.get('port')}: {why}"
        return (f"the ICMP error is kept on the connected UDP socket on port {d.get('port')} "
                f"({v}): its next send or receive fails with it")
    return None


def _key(d: dict) -> str:
    k = d.get("neighbour")
    return ntoa(k) if isinstance(k, int) else str(k)


def _resolver(d: dict) -> str:
    """Who resolves the neighbour: ARP for IPv4, neighbour discovery for IPv6."""
    return "neighbour discovery" if ":" in _key(d) else "ARP"


ICMP6_ERRORS = {1: "destination unreachable", 2: "packet too big", 3: "time exceeded",
                4: "parameter problem"}


def _sentence6(h: str, v: str, d: dict, dev: str, why: str) -> "str | None":
    """IPv6's hook points (ip6_input.c, ip6_output.c, icmp.c, ndisc.c, raw.c)."""
    if h == "rawv6_sendmsg":
        bound = d.get("bound_dev")
        tail = f", through {bound}" if bound else ""
        return f"ping's raw ICMPv6 socket sends it, {d.get('src')} > {d.get('dst')}{tail}"
    if h == "ip6_route_output":
        return f"IPv6 route lookup: {d.get('route')}"
    if h == "ipv6_rcv":
        return f"ipv6_rcv: a valid IPv6 header, {d.get('src')} > {d.get('dst')}"
    if h == "ip6_route_input":
        return f"input route: {d.get('dst')} is one of this namespace's addresses: local delivery"
    if h == "ip6_mc_input":
        return f"ip6_mc_input: {dev} has not joined {d.get('group')}: not for this host"
    if h == "ip6_fragment":
        return f"fragmented at the source: {d.get('length')} bytes at offset {d.get('offset')}"
    if h == "ipv6_frag_rcv":
        if v == "reassembled":
            return f"all fragments in: reassembled, {d.get('length')} bytes"
        return f"a fragment at offset {d.get('offset')} waits for the rest"
    if h == "ndisc_send_skb":
        return f"neighbour discovery sends a {v}, {d.get('src')} > {d.get('dst')}"
    if h == "ndisc_recv_ns":
        if v == "answered":
            return (f"a neighbor solicitation for {d.get('target')}, ours: the asker "
                    f"{d.get('asker')} is remembered (STALE) and answered with an advertisement")
        if v == "dad answered":
            return (f"another node probes {d.get('target')} (duplicate address detection), "
                    f"which is ours: an advertisement to all nodes tells it so")
        return f"a neighbor solicitation for {d.get('target')}, not an address of {dev}: ignored"
    if h == "ndisc_recv_na":
        if v == "neighbour updated":
            return (f"a neighbor advertisement for {d.get('neighbour')}: its MAC is learnt, "
                    f"the neighbour is now {d.get('state')}")
        if v == "unsolicited":
            return f"an advertisement for {d.get('target')} nobody here waits for: ignored"
        return f"an advertisement for {d.get('target')}, an address of ours: {v}"
    if h == "ndisc_rcv":
        return f"neighbour discovery ignores ICMPv6 type {d.get('type')}" + (
            f": {why}" if why else "")
    if h == "addrconf_dad_failure":
        return (f"duplicate address detection fails for {d.get('addr')}: it stays on {dev} "
                f"as tentative and dadfailed, never used")
    if h == "icmpv6_echo_reply":
        if v == "reply":
            return (f"icmpv6_echo_reply: the stack answers with an echo reply from "
                    f"{d.get('src')} to {d.get('to')}")
        return f"no route back to {d.get('to')}: no echo reply"
    if h == "icmpv6_push_pending_frames":
        return f"the stack builds an ICMPv6 {v}, {d.get('src')} > {d.get('dst')}"
    if h == "icmpv6_notify":
        kind = ICMP6_ERRORS.get(d.get("type"), f"type {d.get('type')}")
        return f"an ICMPv6 {kind} (code {d.get('code')}): told to the sockets"
    if h == "icmpv6_rcv":
        return f"icmpv6_rcv: ICMPv6 type {d.get('type')} needs no answer from the stack"
    if h == "icmp6_send":
        kind = ICMP6_ERRORS.get(d.get("type"), f"type {d.get('type')}")
        return (f"the stack sends an ICMPv6 {kind} (code {d.get('code')}) to {d.get('to')}, "
                f"from {d.get('src')}")
    if h == "ip6_forward":
        if v == "forwarded":
            return f"forwarded out of {d.get('out')}, hop limit now {d.get('hlim')}"
        if v == "hop limit exceeded":
            return f"hop limit {d.get('hlim')} would reach zero: not forwarded"
        if v == "packet too big":
            return (f"{d.get('out')}'s MTU is {d.get('mtu')}: too big to forward, and IPv6 "
                    f"routers never fragment")
        return f"not forwarded: {why}"
    if h == "raw6_local_deliver":
        if v == "delivered":
            return f"a copy is delivered to {d.get('sock')}"
        return f"not delivered to {d.get('sock')}: {why}"
    if h == "rawv6_err":
        return (f"the error is queued on {d.get('sock')}'s error queue (IPV6_RECVERR): "
                f"ping reports it")
    return None


def _arp_step(v: str, d: dict) -> str:
    target, sender, why = d.get("target"), d.get("sender"), d.get("why", "")
    if v == "route_input":
        if d.get("ok", True):
            return f"arp_process: input route for {target} from {sender}: {d.get('route')}"
        return f"arp_process: the input route for {target} from {sender} is refused"
    if v == "reply":
        return f"arp_process: {target} is local and {sender} is acceptable: it answers"
    if v == "proxy reply":
        return f"arp_process: proxy ARP answers for {target}"
    if v == "not answered":
        return f"arp_process does not answer (ignored, no drop reason): {why}"
    if v == "neighbour updated":
        return f"arp_process learns {sender}'s MAC: neighbour now {d.get('state')}"
    if v == "dad probe":
        return f"arp_process: a duplicate address probe for {target}"
    return f"arp_process ignores it: {why}"


# ---------------------------------------------------------------- stories

def housekeeping(rec: "PacketRecord") -> bool:
    """Freed with a reason after it arrived: ping_rcv's NO_SOCKET once raw sockets had
    their copies. The kernel's tracepoint counts it; nothing was lost."""
    return (rec.dropped == "NO_SOCKET"
            and any(e.hook in ("raw_v4_input", "raw6_local_deliver") and e.verdict == "delivered"
                    for e in rec.trace))


def outcome(rec: "PacketRecord") -> str:
    """The decisive end of a packet's story: a drop, a refusal, or where it arrived."""
    if housekeeping(rec):
        sock = next(e.detail.get("sock") for e in rec.trace
                    if e.hook in ("raw_v4_input", "raw6_local_deliver") and e.verdict == "delivered")
        return (f"delivered to {sock}; the original then freed by ping_rcv "
                f"(SKB_DROP_REASON_NO_SOCKET: no ICMP datagram socket, nothing lost)")
    for e in reversed(rec.trace):
        if e.verdict == "drop":
            reason = e.detail.get("reason")
            before = _last_why(rec.trace)
            return f"dropped, SKB_DROP_REASON_{reason} ({e.hook})" + (f": {before}" if before else "")
        if e.hook == "arp_process" and e.verdict in ("not answered", "ignored"):
            return f"ARP not answered: {e.detail.get('why')}"
        if e.hook == "raw_err":
            return _sentence(e)
        if e.hook == "raw_v4_input" and e.verdict == "delivered":
            return f"delivered to {e.detail.get('sock')}"
        if e.hook in ("arp_rcv", "icmp_echo", "icmp_rcv") and e.verdict == "ignored":
            return f"ignored: {e.detail.get('why')}"
    if rec.dropped:
        return f"dropped, SKB_DROP_REASON_{rec.dropped}"
    if rec.trace:
        return _sentence(rec.trace[-1])
    return "no trace"


def _last_why(trace: list) -> str:
    for e in reversed(trace):
        if e.verdict != "drop" and e.detail.get("why"):
            return str(e.detail["why"])
    return ""


def _signature(rec: "PacketRecord") -> tuple:
    return tuple((e.net_cookie, e.hook, e.verdict, e.dev) for e in rec.trace)


def walkthrough(rec: "PacketRecord", indent: str = "  ", start: int = 0,
                home: Optional[int] = None) -> list[str]:
    """Numbered steps; `start` skips the steps a copy inherited from its original. A
    step names its namespace when it is not the previous step's (compared by identity:
    two namespaces can share a display name); `home` is the lab's own namespace."""
    lines = []
    prev = rec.trace[start - 1].net_cookie if start else None
    for i, e in enumerate(rec.trace[start:], start + 1):
        where = f"[{_label(e.net, e.net_cookie, home)}] " if e.net_cookie != prev else ""
        prev = e.net_cookie
        lines.append(f"{indent}{i}. {where}{describe_event(e, home)}")
    return lines


def continues(parent: "PacketRecord", child: "PacketRecord") -> bool:
    """Is `child` a copy of `parent` carrying on its path (a LAN or bridge copy, a
    forwarded packet), rather than a new packet it caused (an ARP probe, a reply)?"""
    n = len(parent.trace)
    return n > 0 and len(child.trace) > n and child.trace[:n] == parent.trace


def explain_packet(world: "World", sid: int, depth: int = 0) -> str:
    """Packet `sid`'s walk-through, then those of the packets it caused."""
    rec = world.packets.get(sid)
    if rec is None:
        return _untraced(world, sid)
    parent = world.packets.get(rec.cause) if rec.cause is not None else None
    copy_of = parent is not None and continues(parent, rec)
    # told on its own, a copy tells the whole path; under its original, only what is new
    start = len(parent.trace) if copy_of and depth > 0 else 0
    if copy_of:
        lines = [f"Packet #{sid} carries on from #{rec.cause}: {packet_summary(rec)}"]
        if depth == 0:
            lines.append(f"  (a copy of #{rec.cause}: steps 1-{len(parent.trace)} are "
                         f"#{rec.cause}'s)")
    else:
        lines = [f"Packet #{sid}: {packet_summary(rec)}"]
        if parent is not None and depth == 0:
            lines.append(f"  (made because of #{rec.cause}: {packet_summary(parent)})")
    lines += walkthrough(rec, start=start, home=home_cookie(world))
    kids = _children(world, sid)
    copies = [k for k in kids if continues(rec, world.packets[k])]
    if copies:
        lines.append(f"  => goes on as {', '.join(f'#{k}' for k in copies)}")
    else:
        lines.append(f"  => {outcome(rec)}")
    if depth < 3:
        # the path first (its copies), then what it made the stack send
        for child in copies + [k for k in kids if k not in copies]:
            lines.append("")
            lines.append(explain_packet(world, child, depth + 1))
    return "\n".join(lines)


def _children(world: "World", sid: int) -> list[int]:
    return [r.id for r in world.packets.values() if r.cause == sid and r.id != sid][:8]


def _untraced(world: "World", sid: int) -> str:
    drops = [d for d in world.recent_drops if d[2] == sid]
    if sid > world.last_packet_id or sid < 1:
        return f"explain: no packet #{sid}"
    head = (f"Packet #{sid} was not traced: the tracer keeps every packet up to a budget "
            f"(a flood is sampled) and forgets the oldest beyond {world.packet_limit}.")
    if drops:
        _t, net, _, reason, where, cookie = drops[-1]
        head += (f"\nIt was dropped in {where} ({_label(net, cookie, home_cookie(world))}):"
                 f" SKB_DROP_REASON_{reason}.")
    return head


# ---------------------------------------------------------------- commands

def explain_command(world: "World", mark: "CommandMark") -> str:
    """What the packets of `mark`'s command met, and each distinct story once."""
    ids = command_packets(world, mark)
    recs = [world.packets[i] for i in ids if i in world.packets]
    untraced = len(ids) - len(recs)
    # a frame copied on (across the LAN, through a bridge, forwarded) is one packet
    # whose story its copy tells whole: count and tell the copies, not the originals
    originals = {r.cause for r in recs if r.cause in world.packets
                 and continues(world.packets[r.cause], r)}
    recs = [r for r in recs if r.id not in originals]
    status = "" if mark.status is None else f" (exit {mark.status})"
    lines = [f"Explain: {mark.line}{status}"]
    stats = _stats_line(mark.output_tail)
    if stats:
        lines.append(f"  {stats}")
    for note in mark.notes:
        lines.append(f"  {note}")
    if not ids:
        if not mark.notes:
            lines.append("  No packets: this command only read or changed the configuration.")
        return "\n".join(lines)
    kinds = _count_kinds(recs)
    drops = _count(r.dropped for r in recs if r.dropped and not housekeeping(r))
    kept = sum(1 for r in recs if housekeeping(r))
    total = len(ids) - len(originals)
    head = f"  {total} packet{'s' if total != 1 else ''}"
    if kinds:
        head += ": " + ", ".join(f"{n} {k}" for k, n in kinds)
    if drops:
        head += "; dropped: " + ", ".join(f"{n} {k}" for k, n in drops)
    if kept:
        head += (f"; {kept} freed by ping_rcv after the raw socket took its copy "
                 f"(NO_SOCKET, nothing lost)")
    if untraced:
        head += f"; {untraced} not traced (sampled or forgotten)"
    lines.append(head)
    background = [r for r in recs if is_background(world, r)]
    background_ids = {r.id for r in background}
    own = [r for r in recs if r.id not in background_ids]
    if own and background:
        told_recs = own
        bk = _count_kinds(background)
        lines.append("  Not this command's doing: " + ", ".join(f"{n} {k}" for k, n in bk)
                     + f" from the kernel's own timers (IPv6 address configuration, multicast "
                       f"snooping); `explain {background[0].id}` tells one")
    elif background:
        bk = _count_kinds(background)
        lines.append("  None of them this command's own. Meanwhile the kernel's own timers sent "
                     + ", ".join(f"{n} {k}" for k, n in bk)
                     + f" (IPv6 address configuration, multicast snooping): "
                       f"`explain {background[0].id}` tells one")
        return "\n".join(lines)
    else:
        told_recs = recs
    findings = _findings(told_recs)
    if findings:
        lines.append("What happened:")
        lines += [f"  - {f}" for f in findings]
    groups: dict[tuple, list] = {}
    for r in sorted(told_recs, key=lambda r: (_story_rank(r), r.id)):
        groups.setdefault((packet_kind(r), _signature(r)), []).append(r)
    told = 0
    for (_, _), members in groups.items():
        if told >= MAX_STORIES:
            lines.append(f"({len(groups) - told} more kinds of story: `explain ID` for any packet)")
            break
        first = members[0]
        lines.append("")
        more = ""
        if len(members) > 1:
            ids_s = ", ".join(f"#{m.id}" for m in members[1:6])
            more = f" (and {len(members) - 1} more like it: {ids_s}{', ...' if len(members) > 6 else ''})"
        lines.append(f"Packet #{first.id}: {packet_summary(first)}{more}")
        lines += walkthrough(first, home=home_cookie(world))
        lines.append(f"  => {outcome(first)}")
        told += 1
    return "\n".join(lines)


BACKGROUND_HOOKS = ("addrconf", "br_multicast")


def root_of(world: "World", rec: "PacketRecord") -> "PacketRecord":
    seen = 0
    while rec.cause is not None and rec.cause in world.packets and seen < 16:
        rec = world.packets[rec.cause]
        seen += 1
    return rec


def is_background(world: "World", rec: "PacketRecord") -> bool:
    """Traffic the kernel makes on its own timers (IPv6 DAD, MLD, RS; IGMP snooping)."""
    root = root_of(world, rec)
    return bool(root.trace) and root.trace[0].hook in BACKGROUND_HOOKS


def _story_rank(rec: "PacketRecord") -> int:
    """Tell first what a process sent, then what the stack made for it."""
    first = rec.trace[0].hook if rec.trace else ""
    return {"raw_sendmsg": 0, "arp_send": 1, "icmp_push_reply": 2}.get(first, 3)


def packet_kind(rec: "PacketRecord") -> str:
    s = packet_summary(rec)
    for k in ("ARP request", "ARP reply", "ICMP echo request", "ICMP echo reply"):
        if s.startswith(k):
            return k
    if s.startswith("ICMP "):
        return "ICMP error"
    if s.startswith("IPv6"):
        return "IPv6 " + s.split(" ", 1)[1]
    return s.split(" ", 1)[0]


def _count_kinds(recs: Iterable["PacketRecord"]) -> list[tuple[str, int]]:
    kinds = _count(packet_kind(r) for r in recs)
    return [(_plural(k) if n != 1 else k, n) for k, n in kinds]


def _plural(kind: str) -> str:
    return kind[:-1] + "ies" if kind.endswith("ly") else kind + "s"


def _count(items: Iterable[str]) -> list[tuple[str, int]]:
    out: dict[str, int] = {}
    for i in items:
        out[i] = out.get(i, 0) + 1
    return list(out.items())


def _findings(recs: list["PacketRecord"]) -> list[str]:
    """Distinct decisive outcomes, refusals and drops first."""
    seen: list[str] = []
    def failed(r: "PacketRecord") -> bool:
        return bool(r.dropped and not housekeeping(r)) or _refused(r)
    bad = [f"{packet_kind(r)}: {outcome(r)}" for r in recs if failed(r)]
    good = [f"{packet_kind(r)}: {outcome(r)}" for r in recs if not failed(r)]
    for o in bad + good:
        if o not in seen:
            seen.append(o)
    return seen[:8]


def _refused(rec: "PacketRecord") -> bool:
    return any((e.hook == "arp_process" and e.verdict in ("not answered", "ignored"))
               or (e.hook in ("raw_v4_input", "raw_err")
                   and e.verdict not in ("delivered", "queued"))
               or e.verdict == "refused" for e in rec.trace)


def _stats_line(tail: str) -> str:
    for line in reversed(tail.splitlines()):
        if "packets transmitted" in line:
            return line.strip()
    return ""


def last_command_with_packets(world: "World", skip: Optional["CommandMark"] = None
                              ) -> Optional["CommandMark"]:
    """The most recent command (other than `skip`) that made packets or has something
    to say (`ip route get` notes the route that matched), else the most recent."""
    marks = [m for m in world.commands if m is not skip]
    for m in reversed(marks):
        if m.notes or len(command_packets(world, m)):
            return m
    return marks[-1] if marks else None
