"""The simulated machine: one clock, one seeded RNG, its namespaces and the LAN.

Everything random (MAC addresses, ping identifiers, reachable_time draws)
comes from `World.rng`, so a seed fixes the whole transcript. Received frames
go through one backlog FIFO drained by the scheduler at the current instant,
like a single CPU's softirq: receive processing never recurses into transmit.
"""
from __future__ import annotations

import random
from collections import deque
from dataclasses import dataclass
from typing import Optional

from . import core
from .clock import Scheduler
from .events import DropEvent, EventBus, NetnsEvent
from .netns import Net
from .skb import SkBuff


HOP_S = 12e-6        # veth, lo: softirq latency per hop
LAN_HOP_S = 180e-6   # a frame across the simulated LAN switch
TRACE_BURST = 2000   # packets traced back to back before the rate applies
TRACE_RATE = 1000.0  # new packets traced per virtual second beyond the burst


@dataclass(slots=True)
class PacketRecord:
    """What the explain feature keeps of a packet after it is gone."""

    id: int
    cause: Optional[int]
    trace: list
    dropped: Optional[str] = None
    data: bytes = b""           # the bytes as first built (an IP packet behind a blank
                                # Ethernet header, or a whole ARP frame)


class World:
    def __init__(self, seed: int = 0, tracing: bool = True, hostname: str = "vethtui"):
        self.seed = seed
        self.rng = random.Random(seed)
        self._random = self.rng.random
        self.sched = Scheduler()
        self.bus = EventBus()
        self.hostname = hostname
        self.nets: list = []           # every Net, hidden ones (LAN peers) included
        self.netns: dict[str, object] = {}   # `ip netns` names (under /run/netns)
        self.init_net = None
        self._net_cookies = 0
        self._skb_seq = 0
        self.tracing = tracing
        self.packets: dict[int, PacketRecord] = {}
        self.packet_limit = 8000       # packets whose story explain can tell (the latest)
        # The tracer's budget, like a rate-limited tracepoint: new packets are
        # traced while tokens last (TRACE_BURST, refilled at TRACE_RATE per
        # virtual second); a packet caused by a traced one (a reply, an error,
        # a forwarded copy) is always traced, so every remembered story is whole.
        # A flood ping is sampled instead of slowing to a crawl; every drop is
        # remembered in `recent_drops` whether its packet was traced or not.
        self._trace_tokens = float(TRACE_BURST)
        self._trace_refill_at = 0.0
        self._trace_next = 0.0        # when the next token is there (a cheap test per skb)
        self.untraced = 0
        # (time, namespace's name, packet id, reason, function, namespace's net_cookie)
        self.recent_drops: deque = deque(maxlen=1000)
        # Packets are attributed to the latest tag begun before them. The layers above
        # begin one per command line (the shell's CommandMark, see vethtui/explain.py);
        # the kernel never looks inside a tag, it only knows where its packets start.
        self._tags: deque[tuple[int, object]] = deque(maxlen=200)
        self._backlog: deque = deque()
        self._backlog_armed = False
        self._backlog_due = 0.0
        self.drops = 0
        # Wall-clock origin of virtual time, for tcpdump timestamps: fixed so that
        # a transcript does not depend on when it was made.
        self.epoch = 1795255200.0  # 2026-11-21 10:00:00 UTC

    # -- namespaces -----------------------------------------------------------
    def next_net_cookie(self) -> int:
        """gen_cookie_next(&net_cookie): the next identity, never handed out again."""
        self._net_cookies += 1
        return self._net_cookies

    def new_net(self, name: str = "", hidden: bool = False, sysctl_profile=None):
        net = Net(self, name, hidden, sysctl_profile)
        self.nets.append(net)
        if self.init_net is None and not hidden:
            self.init_net = net
        if name and not hidden:
            self.netns[name] = net
            if self.bus.active:
                self.bus.publish(NetnsEvent(name, net.net_cookie, "new"))
        return net

    def delete_net(self, net) -> None:
        """cleanup_net: every device goes; a veth's peer elsewhere goes with it."""
        for dev in list(net.devices_in_order()):
            if dev.ifindex != 1:
                net.unregister(dev)
        for s in list(net.raw_sockets):
            s.close()
        if net.name in self.netns and self.netns[net.name] is net:
            del self.netns[net.name]
        if net in self.nets:
            self.nets.remove(net)
        for other in self.nets:
            other.forget_peer(net)
        if self.bus.active:
            self.bus.publish(NetnsEvent(net.name, net.net_cookie, "del"))

    # -- attribution (for explain) ------------------------------------------------
    def begin_tag(self, tag: object) -> int:
        """Packets made from now on belong to `tag` (until the next); the first one's id."""
        self._tags.append((self._skb_seq + 1, tag))
        return self._skb_seq + 1

    @property
    def tags(self) -> list:
        """The tags begun, oldest first (the latest 200)."""
        return [tag for _, tag in self._tags]

    commands = tags     # what the layers above call them: one tag per command line

    def tagged_packets(self, tag: object) -> Optional[range]:
        """Ids of the packets made from `tag`'s beginning until the next tag's
        (None when the tag is older than the ones remembered)."""
        first = last = -1
        for start, t in self._tags:
            if first >= 0:
                last = start - 1
                break
            if t is tag:
                first = start
        if first < 0:
            return None
        return range(first, (self._skb_seq if last < 0 else last) + 1)

    @property
    def last_packet_id(self) -> int:
        """The id of the newest packet made (0 before any)."""
        return self._skb_seq

    # -- randomness ------------------------------------------------------------
    def random_mac(self) -> bytes:
        """eth_random_addr: random, unicast, locally administered."""
        b = bytearray(self.rng.getrandbits(8) for _ in range(6))
        b[0] = (b[0] & 0xFE) | 0x02
        return bytes(b)

    # -- packets ----------------------------------------------------------------
    def new_skb(self, data: bytes, dev=None, cause: Optional[int] = None,
                trace: Optional[list] = None) -> SkBuff:
        self._skb_seq += 1
        sid = self._skb_seq
        tr = None
        if self.tracing:
            if trace is not None:
                tr = list(trace)
            elif cause is not None and cause in self.packets:
                tr = []
            elif self.sched.now >= self._trace_next and self._take_trace_token():
                tr = []
            else:
                self.untraced += 1
        skb = SkBuff(data, dev, 0, sid, tr, cause)
        if tr is not None:
            self.packets[sid] = PacketRecord(sid, cause, tr, None, data)
            if len(self.packets) > self.packet_limit:
                for old in list(self.packets)[: self.packet_limit // 10]:
                    del self.packets[old]
        return skb

    def _take_trace_token(self) -> bool:
        now = self.sched.now
        tokens = self._trace_tokens
        if now > self._trace_refill_at:
            tokens = min(float(TRACE_BURST), tokens + (now - self._trace_refill_at) * TRACE_RATE)
            self._trace_refill_at = now
        took = tokens >= 1.0
        if took:
            tokens -= 1.0
        self._trace_tokens = tokens
        self._trace_next = now if tokens >= 1.0 else now + (1.0 - tokens) / TRACE_RATE
        return took

    def backlog_enqueue(self, skb: SkBuff) -> None:
        """netif_rx: the frame is processed a few microseconds later (softirq).

        A small, seeded latency per hop makes round-trip times look like a
        real machine's (tens of microseconds over veth and lo, a few hundred
        across the simulated LAN) while keeping every run identical. Frames
        keep their order: one FIFO, drained when its head is due.
        """
        sched = self.sched
        base = HOP_S if skb.dev.lan is None else LAN_HOP_S
        due = sched.now + base * (0.75 + 0.5 * self._random())
        if due < self._backlog_due:
            due = self._backlog_due
        self._backlog_due = due
        self._backlog.append((due, skb))
        if not self._backlog_armed:
            self._backlog_armed = True
            sched.post(due, self._process_backlog)

    def softirq_pending(self) -> bool:
        """Frames still waiting on the backlog. On a real host a veth's peer receives inside
        the sender's system call (softirqs run as it re-enables them); a process that
        waits until this is False sees what that system call would have seen."""
        return bool(self._backlog)

    def _process_backlog(self) -> None:
        self._backlog_armed = False
        q = self._backlog
        now = self.sched.now
        receive = core.netif_receive_skb
        n = 0
        due_by = now + 1e-12
        while q and q[0][0] <= due_by:
            receive(q.popleft()[1])
            n += 1
            if n > 100000:  # a forwarding storm: let timers run, then continue
                break
        if q and not self._backlog_armed:
            self._backlog_armed = True
            self.sched.post(max(q[0][0], now), self._process_backlog)

    def packet_dropped_id(self, net, sid: int, reason: str, where: str) -> None:
        """kfree_skb_reason for a packet known by id (a socket's queued copy)."""
        self.drops += 1
        name = net.name or "host"        # Net.display_name, without the property call
        self.recent_drops.append((self.sched.now, name, sid, reason, where, net.net_cookie))
        rec = self.packets.get(sid)
        if rec is not None:
            rec.dropped = reason
        if self.bus.active:
            self.bus.publish(DropEvent(name, net.net_cookie, sid, reason, where))
