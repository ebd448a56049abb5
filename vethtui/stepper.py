"""Simulation mode: the packet events of the stack, one row each, to step through.

Every traced packet carries the hook points it passed (`World.packets`, each a
`TraceEvent` with its virtual time, namespace, device, hook and verdict). This
module turns those into the rows a learner steps through:

    0.010000  veth0        xmit  ARP request who-has 192.168.2.12 tell 192.168.2.11
    0.010015  veth1        rcv   ARP request who-has 192.168.2.12 tell 192.168.2.11 (broadcast)
    0.010015  veth1        arp_process: source 192.168.2.11 is a local address and ...

A row is a frame transmitted on a device, received by one, handed to a protocol
(arp_process, ip_rcv, icmp_echo, a raw socket, ...), or dropped (with the drop
reason); route lookups and neighbour look-ups are told by `explain`, not here.
Traffic the kernel makes on its own timers (IPv6 address configuration, MLD,
IGMP snooping) is set aside unless the filter asks for it, as explain does.

`Follower` collects the rows the stack made since it last looked (new packets,
and packets whose path went on, such as one waiting for ARP); a copy of a frame
(across a LAN, through a bridge) continues its original's rows and does not
repeat them. `Stepper` keeps the rows seen, a cursor and a filter: stepping
forward shows the next row, pulling more from the kernel (through the engine's
`step_kernel`) only when none is waiting; stepping back moves the view alone.
Nothing here changes the kernel.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable, Optional

from .explain import BACKGROUND_HOOKS, home_cookie, ns_label, packet_summary
from .kernel.inet import ntoa

if TYPE_CHECKING:  # pragma: no cover
    from .kernel.world import PacketRecord, World

FILTERS = ("all", "ARP", "ICMP", "timers")
"""all: every packet but the kernel's timer traffic; ARP; ICMP; timers: only that."""

WINDOW = 512          # recent packets whose paths are watched for more steps

PROTO_HOOKS = {"arp_process", "arp_rcv", "ip_rcv", "ip_route_input", "icmp_rcv", "icmp_echo",
               "raw_v4_input", "raw_err", "ping_rcv", "ip_local_deliver", "ip_forward",
               "ip_defrag", "br_handle_frame", "br_forward", "neigh_invalidate",
               "neigh_update", "icmp_unreach", "ip6_mc_input"}
DIRECTION_WORDS = {"In": "", "B": " (broadcast)", "M": " (multicast)", "P": " (for another host)"}


@dataclass(frozen=True)
class StepEvent:
    """One row of the event list."""

    time: float
    net: str             # the namespace's display name, to show ("" for a command row
                         # run nowhere in particular)
    dev: str
    kind: str            # send, xmit, rcv, proto, refuse (arp_process or a socket says
                         # no: the packet ends there, silently), drop, command
    skb_id: int          # 0 for a command row
    proto: str           # ARP, ICMP, IPv6, IGMP, IP ("" for a command row)
    what: str            # the row's text after where
    background: bool = False
    reason: str = ""     # a drop's reason
    order: tuple = field(default=(0, 0), compare=False, repr=False)
    """Within one instant: (phase, index in the packet's trace). A packet taken out of a
    neighbour's queue (neigh_update) goes on only after the ARP reply that freed it."""
    net_cookie: int = 0  # the namespace's identity: what rows and ports are matched by
    own: bool = True     # in the lab's own namespace, which `where` leaves unsaid

    @property
    def where(self) -> str:
        label = ns_label(self.net, self.own)
        if self.kind == "command":
            return f"[{label}]" if self.net and not self.own else ""
        if self.own or not self.net:
            return self.dev or self.net
        return f"{label}:{self.dev}" if self.dev else label

    def row(self, where_width: int = 14) -> str:
        """`   0.010000  veth0        xmit ARP request who-has ...`; a list passes the width
        its longest `where` needs (`where_width`), so every row keeps the same columns."""
        return f"{self.time:11.6f}  {self.where:<{where_width}} {self.what}"

    def matches(self, flt: str) -> bool:
        if self.kind == "command":
            return flt != "timers"
        if flt == "timers":
            return self.background
        if self.background:
            return False
        return flt == "all" or self.proto == flt


def proto_of(rec: "PacketRecord") -> str:
    s = packet_summary(rec)
    word = s.split(" ", 1)[0]
    return word if word in ("ARP", "ICMP", "IPv6", "IGMP") else "IP"


def _short(why: str) -> str:
    """The first clause of a long reason (the rest is explain's)."""
    why = str(why or "")
    return why.split("; ", 1)[0]


def rows_of(rec: "PacketRecord", start: int, end: int, background: bool,
            summary: Optional[str] = None, proto: Optional[str] = None, *,
            home: Optional[int]) -> list[StepEvent]:
    """The rows of `rec`'s trace events start..end (those that are rows); `home` is the
    identity of the lab's own namespace (`explain.home_cookie`)."""
    out: list[StepEvent] = []
    trace = rec.trace
    summary = summary if summary is not None else packet_summary(rec)
    proto = proto if proto is not None else proto_of(rec)
    sid = rec.id
    phase = 0
    for i in range(start, end):
        e = trace[i]
        h, v, d = e.hook, e.verdict, e.detail
        if i == 0 or trace[i - 1].time != e.time:
            phase = 1 if h == "neigh_update" else 0
        elif i == start:
            j = i
            while j > 0 and trace[j - 1].time == e.time:
                j -= 1
            phase = 1 if trace[j].hook == "neigh_update" else 0
        dev = e.dev
        what = None
        kind = "proto"
        reason = ""
        if v == "drop" and d.get("reason") == "NO_SOCKET" and any(
                t.hook == "raw_v4_input" and t.verdict == "delivered" for t in trace[:i]):
            # explain's housekeeping: ping_rcv frees it after the raw socket had its copy
            what = f"freed by {h} (NO_SOCKET): the raw socket had its copy, nothing lost"
        elif v == "drop":
            kind = "drop"
            reason = str(d.get("reason", ""))
            what = f"DROP {summary}: SKB_DROP_REASON_{reason} ({h})"
        elif h == "raw_sendmsg":
            kind = "send"
            what = f"ping sends {summary}"
        elif h == "icmp_push_reply":
            kind = "send"
            what = f"the stack sends {summary}"
        elif h == "dev_queue_xmit":
            kind = "xmit"
            what = f"xmit {summary}"
        elif h == "netif_receive_skb":
            kind = "rcv"
            what = f"rcv {summary}{DIRECTION_WORDS.get(v, '')}"
        elif h == "neigh_resolve_output" and v == "queued":
            what = f"{summary} waits for ARP (neighbour INCOMPLETE)"
        elif h in PROTO_HOOKS:
            if h == "arp_process" and v == "route_input":
                continue
            if h == "ip_route_input" and v == "local":
                continue
            why = _short(d.get("why", ""))
            if (h == "arp_process" and v in ("not answered", "ignored")) or h == "arp_rcv" \
                    or (h in ("raw_v4_input", "raw_err") and v not in ("delivered", "queued")
                        and i == len(trace) - 1):
                kind = "refuse"
            if h == "arp_process":
                what = {"reply": "arp_process: the target is local: it answers",
                        "neighbour updated": f"arp_process learns {d.get('sender')}'s MAC "
                                             f"({d.get('state')})",
                        "not answered": f"arp_process: {why}: not answered",
                        }.get(v, f"arp_process: {v}" + (f": {why}" if why else ""))
            elif h == "raw_v4_input" and v == "delivered":
                via = d.get("counts_as")
                what = f"delivered to {d.get('sock')}" + (f" (counts as {via})" if via else "")
            elif h == "neigh_invalidate":
                n = d.get("neighbour")
                what = (f"no ARP answer for {ntoa(n) if isinstance(n, int) else n}: "
                        f"the neighbour is FAILED")
            elif h == "ip_rcv":
                what = f"ip_rcv {d.get('src')} > {d.get('dst')}"
            else:
                what = f"{h}: {v}" + (f": {why}" if why else "")
        if what is None:
            continue
        cookie = e.net_cookie
        out.append(StepEvent(e.time, e.net, dev, kind, sid, proto, what, background, reason,
                             (phase, i), cookie, cookie == home))
    return out


class Follower:
    """The rows the stack made since the last `collect()`, in time order."""

    def __init__(self, world: "World", from_now: bool = True):
        self.world = world
        self.home = home_cookie(world)
        self._last = world._skb_seq if from_now else 0
        self._seen: dict[int, int] = {}          # packet id -> trace events already told
        self._cmds = len(world.commands) if from_now else 0
        self._cmd_last = world.commands[-1] if (from_now and world.commands) else None
        self._bg: dict[int, bool] = {}

    def _background(self, rec: "PacketRecord") -> bool:
        pk = self.world.packets
        seen = 0
        r = rec
        while r.cause is not None and r.cause in pk and seen < 16:
            known = self._bg.get(r.cause)
            if known is not None:
                return known
            r = pk[r.cause]
            seen += 1
        return bool(r.trace) and r.trace[0].hook in BACKGROUND_HOOKS

    def _inherited(self, rec: "PacketRecord") -> int:
        """How many of `rec`'s first trace events are its original's (a copy)."""
        parent = self.world.packets.get(rec.cause) if rec.cause is not None else None
        if parent is None:
            return 0
        n = 0
        for a, b in zip(rec.trace, parent.trace):
            if a is not b:
                break
            n += 1
        return n

    def collect(self) -> list[StepEvent]:
        world = self.world
        pk = world.packets
        out: list[StepEvent] = []
        for sid, seen in list(self._seen.items()):
            rec = pk.get(sid)
            if rec is None:
                del self._seen[sid]
                continue
            n = len(rec.trace)
            if n > seen:
                out += rows_of(rec, seen, n, self._bg.get(sid, False), home=self.home)
                self._seen[sid] = n
        hi = world._skb_seq
        lo = max(self._last + 1, hi - 5000)
        for sid in range(lo, hi + 1):
            rec = pk.get(sid)
            if rec is None:
                continue
            bg = self._background(rec)
            self._bg[sid] = bg
            n = len(rec.trace)
            out += rows_of(rec, self._inherited(rec), n, bg, home=self.home)
            self._seen[sid] = n
        self._last = hi
        if len(self._seen) > WINDOW:
            for sid in sorted(self._seen)[: len(self._seen) - WINDOW]:
                del self._seen[sid]
                self._bg.pop(sid, None)
        out += self._commands()
        out.sort(key=lambda e: (e.time, e.kind != "command", e.order[0], e.skb_id, e.order[1]))
        return out

    def _commands(self) -> list[StepEvent]:
        cmds = self.world.commands
        new = []
        # the deque keeps the last 200: find where we left off
        marks = list(cmds)
        start = 0
        if self._cmd_last is not None:
            for i in range(len(marks) - 1, -1, -1):
                if marks[i] is self._cmd_last:
                    start = i + 1
                    break
        for m in marks[start:]:
            new.append(StepEvent(m.started, m.net, "", "command", 0, "", f"$ {m.line}",
                                 net_cookie=m.net_cookie, own=m.net_cookie == self.home))
        if marks:
            self._cmd_last = marks[-1]
        return new


class Stepper:
    """The rows seen so far, the one shown (`cursor`), and the filter."""

    def __init__(self, world: "World", flt: str = "all"):
        self.world = world
        self.follower = Follower(world)
        self.events: list[StepEvent] = []
        self.cursor = -1            # index into `events` of the row shown (-1: none yet)
        self.reached = -1           # the furthest row shown: rows after it are not told yet
        self.filter = flt

    @property
    def current(self) -> Optional[StepEvent]:
        return self.events[self.cursor] if 0 <= self.cursor < len(self.events) else None

    def visible(self) -> list[tuple[int, StepEvent]]:
        """The rows seen so far that the filter lets through, with their indices."""
        return [(i, e) for i, e in enumerate(self.events[: self.reached + 1])
                if e.matches(self.filter)]

    def collect(self) -> int:
        new = self.follower.collect()
        self.events += new
        return len(new)

    def _next_index(self) -> Optional[int]:
        for i in range(self.cursor + 1, len(self.events)):
            if self.events[i].matches(self.filter):
                return i
        return None

    def forward(self, advance: Callable[[], bool], max_wait: float = 10.0,
                limit: int = 20000) -> Optional[StepEvent]:
        """Show the next row; when none is waiting, run the kernel (`advance()` runs one
        instant and says whether anything was left to run) until one comes, for at most
        `max_wait` virtual seconds (None then: nothing happened)."""
        self.collect()
        i = self._next_index()
        sched = self.world.sched
        start = sched.now
        tries = 0
        while i is None and tries < limit and sched.now - start <= max_wait:
            tries += 1
            went = advance()
            self.collect()
            i = self._next_index()
            if not went:
                break
        if i is None:
            return None
        self.cursor = i
        self.reached = max(self.reached, i)
        return self.events[i]

    def back(self) -> Optional[StepEvent]:
        """Show the previous row (the view rewinds; the kernel does not)."""
        for i in range(self.cursor - 1, -1, -1):
            if self.events[i].matches(self.filter):
                self.cursor = i
                return self.events[i]
        return None

    def at_end(self) -> bool:
        return self._next_index() is None

    def cycle_filter(self) -> str:
        self.filter = FILTERS[(FILTERS.index(self.filter) + 1) % len(FILTERS)]
        cur = self.current
        if cur is not None and not cur.matches(self.filter):
            prev = self.back()
            if prev is None:
                self.cursor = -1
        return self.filter


def packet_path(world: "World", skb_id: int) -> list[StepEvent]:
    """Packet `skb_id`'s rows, and those of the copies that carried it on (a LAN or a
    bridge), in order: where it went, ending where it was delivered or dropped."""
    from .explain import continues
    rec = world.packets.get(skb_id)
    if rec is None:
        return []
    home = home_cookie(world)
    out = rows_of(rec, 0, len(rec.trace), False, home=home)
    todo = [rec]
    seen = {rec.id}
    while todo:
        parent = todo.pop(0)
        for r in list(world.packets.values()):
            if r.cause == parent.id and r.id not in seen and continues(parent, r):
                seen.add(r.id)
                out += rows_of(r, len(parent.trace), len(r.trace), False, home=home)
                todo.append(r)
    out.sort(key=lambda e: (e.time, e.order[0], e.skb_id, e.order[1]))
    return out

