"""The neighbour table and its state machine (net/core/neighbour.c).

States and transitions as neigh_timer_handler, __neigh_event_send and
neigh_update make them: INCOMPLETE probes `mcast_solicit` times, one
`retrans_time` apart, then FAILED and every queued packet gets an error
report (ICMP host unreachable through arp_error_report); REACHABLE lasts a
random reachable_time in [base/2, 3*base/2), then STALE; a packet to a STALE
entry moves it to DELAY, and after delay_first_probe_time without
confirmation it goes to PROBE with unicast probes.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Callable, Optional

from . import core
from .inet import ntoa
from .skb import DropReason

if TYPE_CHECKING:  # pragma: no cover
    from .netdev import NetDevice
    from .netns import Net
    from .skb import SkBuff

NUD_NONE = 0x00
NUD_INCOMPLETE = 0x01
NUD_REACHABLE = 0x02
NUD_STALE = 0x04
NUD_DELAY = 0x08
NUD_PROBE = 0x10
NUD_FAILED = 0x20
NUD_NOARP = 0x40
NUD_PERMANENT = 0x80

NUD_IN_TIMER = NUD_INCOMPLETE | NUD_REACHABLE | NUD_DELAY | NUD_PROBE
NUD_VALID = NUD_PERMANENT | NUD_NOARP | NUD_REACHABLE | NUD_PROBE | NUD_STALE | NUD_DELAY
NUD_CONNECTED = NUD_PERMANENT | NUD_NOARP | NUD_REACHABLE

NUD_NAMES = [(NUD_INCOMPLETE, "INCOMPLETE"), (NUD_REACHABLE, "REACHABLE"),
             (NUD_STALE, "STALE"), (NUD_DELAY, "DELAY"), (NUD_PROBE, "PROBE"),
             (NUD_FAILED, "FAILED"), (NUD_NOARP, "NOARP"), (NUD_PERMANENT, "PERMANENT")]

NEIGH_UPDATE_F_OVERRIDE = 0x01
NEIGH_UPDATE_F_WEAK_OVERRIDE = 0x02
NEIGH_UPDATE_F_ADMIN = 0x80000000

NTF_ROUTER = 0x80
NTF_PROXY = 0x08

TRUESIZE_OVERHEAD = 768  # skb->truesize beyond the data, for the unres queue limit


def nud_name(state: int) -> str:
    if state == NUD_NONE:
        return "NONE"
    name = _NUD_NAME_OF.get(state)
    if name is None:
        name = _NUD_NAME_OF[state] = " ".join(n for bit, n in NUD_NAMES if state & bit)
    return name


_NUD_NAME_OF: dict[int, str] = {}   # nud_name's answers (traced packets ask once per hop)


class Neighbour:
    __slots__ = ("net", "dev", "key", "ha", "nud_state", "probes", "confirmed", "updated",
                 "used", "timer", "arp_queue", "queue_bytes", "flags", "type", "dead",
                 "created", "protocol", "tbl")

    def __init__(self, net: "Net", dev: "NetDevice", key, tbl: Optional["NeighTable"] = None):
        self.net = net
        self.dev = dev
        self.key = key
        self.tbl = tbl if tbl is not None else net.arp_tbl
        self.ha: Optional[bytes] = None
        self.nud_state = NUD_NONE
        self.probes = 0
        now = net.world.sched.now
        self.confirmed = now - 2 * self.tbl.parms_of(dev).sec("base_reachable_time")
        self.updated = now
        self.used = now
        self.timer = None
        self.arp_queue: list["SkBuff"] = []
        self.queue_bytes = 0
        self.flags = 0
        self.type = 1  # RTN_UNICAST
        self.dead = False
        self.created = now
        self.protocol = 0

    @property
    def parms(self):
        return self.tbl.parms_of(self.dev)

    @property
    def key_text(self) -> str:
        return self.tbl.key_text(self.key)

    def __repr__(self) -> str:
        return f"<neigh {self.key_text} dev {self.dev.name} {nud_name(self.nud_state)}>"


class NeighTableOps:
    """arp_tbl's constructor and neigh_ops, which the protocol fills in (arp_init ->
    neigh_table_init): arp_constructor, arp_solicit, arp_error_report. The
    neighbour layer calls through them and knows no protocol."""

    __slots__ = ("constructor", "solicit", "error_report")

    def __init__(self) -> None:
        self.constructor: Optional[Callable[[Neighbour], None]] = None
        self.solicit: Optional[Callable[[Neighbour, Optional["SkBuff"]], None]] = None
        self.error_report: Optional[Callable[["SkBuff"], None]] = None


arp_tbl_ops = NeighTableOps()
nd_tbl_ops = NeighTableOps()     # ndisc_init fills it: ndisc_constructor, ndisc_solicit, ...


def _arp_parms(dev: "NetDevice"):
    return dev.neigh_parms


class NeighTable:
    """arp_tbl (or nd_tbl) for one namespace: entries keyed by (ifindex, address).

    The table says which protocol it serves: its ops (constructor, solicit,
    error_report), the ethertype its frames carry, each device's parameters
    (net.ipv4.neigh.DEV or net.ipv6.neigh.DEV) and how a key reads."""

    def __init__(self, net: "Net", ops: NeighTableOps = arp_tbl_ops, eth_type: bytes = b"\x08\x00",
                 parms_of: Callable = _arp_parms, key_text: Callable = ntoa):
        self.net = net
        self.ops = ops
        self.eth_type = eth_type
        self.parms_of = parms_of
        self.key_text = key_text
        self.entries: dict[tuple[int, object], Neighbour] = {}

    def lookup(self, key: int, dev: "NetDevice") -> Optional[Neighbour]:
        return self.entries.get((dev.ifindex, key))

    def create(self, key: int, dev: "NetDevice") -> Neighbour:
        """neigh_create: the table's constructor (arp_constructor) sets the entry up."""
        n = Neighbour(self.net, dev, key, self)
        self.ops.constructor(n)
        self.entries[(dev.ifindex, key)] = n
        self.net.notify_neigh(n, "new")
        return n

    def lookup_or_create(self, key: int, dev: "NetDevice") -> Neighbour:
        n = self.lookup(key, dev)
        return n if n is not None else self.create(key, dev)

    def remove(self, n: Neighbour) -> None:
        if self.entries.get((n.dev.ifindex, n.key)) is n:
            del self.entries[(n.dev.ifindex, n.key)]
        n.dead = True
        _del_timer(n)
        n.arp_queue.clear()
        n.queue_bytes = 0
        self.net.notify_neigh(n, "del")

    def in_order(self) -> list[Neighbour]:
        """Dump order. The kernel walks a hash table seeded at boot, so its order
        is arbitrary; we show entries by device, then address."""
        return [self.entries[k] for k in sorted(self.entries)]


# ---------------------------------------------------------------- timers

def neigh_rand_reach_time(net: "Net", parms) -> float:
    """neigh_rand_reach_time: uniform in [base/2, 3*base/2), redrawn every 300 s
    (neigh_periodic_work), one draw per parameter set (net.neigh_reach)."""
    base = parms.data["base_reachable_time"]
    now = net.world.sched.now
    cached = net.neigh_reach.get(id(parms))
    if cached is None or cached[0] != base or now - cached[2] >= 300:
        val = (base / 2 + net.world.rng.random() * base) / 1000.0 if base else 0.0
        cached = (base, val, now)
        net.neigh_reach[id(parms)] = cached
    return cached[1]


def _del_timer(n: Neighbour) -> None:
    if n.timer is not None:
        n.timer.cancel()
        n.timer = None


def _add_timer(n: Neighbour, when: float) -> None:
    _del_timer(n)
    n.timer = n.net.world.sched.call_at(when, neigh_timer_handler, n)


def max_probes(n: Neighbour) -> int:
    p = n.parms.data
    mp = p["ucast_probes"] + p["app_probes"]
    if not n.nud_state & NUD_PROBE:
        mp += p["mcast_probes"]
    else:
        mp += p["mcast_reprobes"]
    return mp


def neigh_timer_handler(n: Neighbour) -> None:
    n.timer = None
    if n.dead:
        return
    net = n.net
    now = net.world.sched.now
    parms = n.parms
    state = n.nud_state
    nxt = now + 1.0
    notify = False
    if not state & NUD_IN_TIMER:
        return
    reach = neigh_rand_reach_time(net, parms)
    if state & NUD_REACHABLE:
        if now <= n.confirmed + reach + 1e-9:
            nxt = n.confirmed + reach
        elif now <= n.used + parms.sec("delay_probe_time") + 1e-9:
            _set_state(n, NUD_DELAY, now)
            nxt = now + parms.sec("delay_probe_time")
        else:
            _set_state(n, NUD_STALE, now)
            notify = True
    elif state & NUD_DELAY:
        if now <= n.confirmed + parms.sec("delay_probe_time") + 1e-9:
            _set_state(n, NUD_REACHABLE, now)
            notify = True
            nxt = n.confirmed + reach
        else:
            _set_state(n, NUD_PROBE, now)
            n.probes = 0
            notify = True
            nxt = now + max(parms.sec("retrans_time"), 0.01)
    else:
        nxt = now + max(parms.sec("retrans_time"), 0.01)

    if n.nud_state & (NUD_INCOMPLETE | NUD_PROBE) and n.probes >= max_probes(n):
        n.nud_state = NUD_FAILED
        n.updated = now
        net.notify_neigh(n, "change")
        neigh_invalidate(n)
        return
    if n.nud_state & NUD_IN_TIMER:
        if nxt < now + 0.01:
            nxt = now + 0.01
        _add_timer(n, nxt)
    if n.nud_state & (NUD_INCOMPLETE | NUD_PROBE):
        neigh_probe(n)
    if notify:
        net.notify_neigh(n, "change")


def _set_state(n: Neighbour, state: int, now: float) -> None:
    n.nud_state = state
    n.updated = now


def neigh_probe(n: Neighbour) -> None:
    skb = n.arp_queue[-1] if n.arp_queue else None
    n.tbl.ops.solicit(n, skb)
    n.probes += 1


def neigh_invalidate(n: Neighbour) -> None:
    """FAILED: every queued packet gets its error report (arp_error_report)."""
    while n.nud_state == NUD_FAILED and n.arp_queue:
        skb = n.arp_queue.pop(0)
        n.queue_bytes -= len(skb.data) + TRUESIZE_OVERHEAD
        core.trace(skb, n.net, "neigh_invalidate", "failed", neighbour=n.key, dev=n.dev.name)
        n.tbl.ops.error_report(skb)
        core.drop(skb, DropReason.NEIGH_FAILED, "neigh_invalidate", n.dev)
    n.arp_queue.clear()
    n.queue_bytes = 0


# ---------------------------------------------------------------- sending

def neigh_event_send(n: Neighbour, skb: Optional["SkBuff"]) -> bool:
    """__neigh_event_send: True when the packet must wait (queued or dropped)."""
    net = n.net
    now = net.world.sched.now
    n.used = now
    state = n.nud_state
    if state & (NUD_CONNECTED | NUD_DELAY | NUD_PROBE):
        return False
    if n.dead:
        if state & NUD_STALE:
            return False
        if skb is not None:
            core.drop(skb, DropReason.NEIGH_DEAD, "__neigh_event_send", n.dev)
        return True
    immediate = False
    parms = n.parms
    if not state & (NUD_STALE | NUD_INCOMPLETE):
        if parms.data["mcast_probes"] + parms.data["app_probes"]:
            n.probes = parms.data["ucast_probes"]
            n.nud_state = NUD_INCOMPLETE
            n.updated = now
            immediate = True
            _add_timer(n, now + max(parms.sec("retrans_time"), 0.01))
            net.notify_neigh(n, "change")
        else:
            n.nud_state = NUD_FAILED
            n.updated = now
            net.notify_neigh(n, "change")
            if skb is not None:
                core.drop(skb, DropReason.NEIGH_FAILED, "__neigh_event_send", n.dev)
            return True
    elif state & NUD_STALE:
        n.nud_state = NUD_DELAY
        n.updated = now
        _add_timer(n, now + parms.sec("delay_probe_time"))
        net.notify_neigh(n, "change")
    rc = False
    if n.nud_state == NUD_INCOMPLETE:
        if skb is not None:
            size = len(skb.data) + TRUESIZE_OVERHEAD
            while n.queue_bytes + size > parms.data["queue_len_bytes"] and n.arp_queue:
                old = n.arp_queue.pop(0)
                n.queue_bytes -= len(old.data) + TRUESIZE_OVERHEAD
                core.drop(old, DropReason.NEIGH_QUEUEFULL, "__neigh_event_send", n.dev)
            n.arp_queue.append(skb)
            n.queue_bytes += size
            core.trace(skb, net, "neigh_resolve_output", "queued", neighbour=n.key,
                       dev=n.dev.name, state="INCOMPLETE")
        rc = True
    if immediate:
        neigh_probe(n)
    return rc


def neigh_output(n: Neighbour, skb: "SkBuff") -> bool:
    """neigh_output: connected entries send at once, others resolve first. False when
    the device refused the frame (NET_XMIT_DROP: the sender sees ENOBUFS); a frame
    queued for resolution counts as sent."""
    state = n.nud_state
    if state & NUD_CONNECTED:
        dev = n.dev
        if skb.trace is not None:
            core.trace(skb, n.net, "neigh_output", "connected", neighbour=n.key,
                       dev=dev.name, state=nud_name(state))
        # neigh_hh_output (_send), inlined on the connected path: once per packet sent
        skb.data = n.ha + dev.mac + n.tbl.eth_type + skb.data[14:]
        return core.dev_queue_xmit(skb, dev)
    # neigh_resolve_output -> neigh_event_send, whose inline wrapper marks the entry used
    # and calls __neigh_event_send only outside DELAY and PROBE (an entry that answered
    # nothing yet, as a flood's replier's stays for its first 5 s, sends once a packet)
    if state & (NUD_DELAY | NUD_PROBE):
        n.used = n.net.world.sched.now
    elif neigh_event_send(n, skb):
        return True
    dev = n.dev
    if skb.trace is not None:
        core.trace(skb, n.net, "neigh_resolve_output", "resolved", neighbour=n.key,
                   dev=dev.name, state=nud_name(n.nud_state))
    skb.data = n.ha + dev.mac + n.tbl.eth_type + skb.data[14:]   # neigh_hh_output (_send)
    return core.dev_queue_xmit(skb, dev)


# ---------------------------------------------------------------- updates

def neigh_update(n: Neighbour, lladdr: Optional[bytes], new: int, flags: int) -> bool:
    """neigh_update: returns False when the update was refused (EPERM/EINVAL)."""
    net = n.net
    now = net.world.sched.now
    old = n.nud_state
    notify = False
    if not flags & NEIGH_UPDATE_F_ADMIN and old & (NUD_NOARP | NUD_PERMANENT):
        return False
    if n.dead:
        return False
    if not new & NUD_VALID:
        _del_timer(n)
        n.nud_state = new
        if old & (NUD_INCOMPLETE | NUD_PROBE) and new & NUD_FAILED:
            neigh_invalidate(n)
        if new != old:
            net.notify_neigh(n, "change")
        return True
    if lladdr is not None:
        if old & NUD_VALID and lladdr == n.ha:
            lladdr = n.ha
    else:
        if not old & NUD_VALID:
            return False
        lladdr = n.ha
    if new & NUD_CONNECTED:
        n.confirmed = now
    if old & NUD_VALID:
        if lladdr != n.ha and not flags & NEIGH_UPDATE_F_OVERRIDE:
            if flags & NEIGH_UPDATE_F_WEAK_OVERRIDE and old & NUD_CONNECTED:
                lladdr = n.ha
                new = NUD_STALE
            else:
                return True
        else:
            if lladdr == n.ha and new == NUD_STALE and not flags & NEIGH_UPDATE_F_ADMIN:
                new = old
    if new != old or lladdr != n.ha:
        n.updated = now
    if new != old:
        _del_timer(n)
        if new & NUD_PROBE:
            n.probes = 0
        if new & NUD_IN_TIMER:
            extra = neigh_rand_reach_time(net, n.parms) if new & NUD_REACHABLE else 0.0
            _add_timer(n, now + extra)
        n.nud_state = new
        notify = True
    if lladdr != n.ha:
        n.ha = lladdr
        if not new & NUD_CONNECTED:
            n.confirmed = now - 2 * n.parms.sec("base_reachable_time")
        notify = True
    if notify:
        net.notify_neigh(n, "change")
    if new == old:
        return True
    if not old & NUD_VALID:
        queue, n.arp_queue = n.arp_queue, []
        n.queue_bytes = 0
        for skb in queue:
            if not n.nud_state & NUD_VALID:
                break
            core.trace(skb, net, "neigh_update", "dequeued", neighbour=n.key,
                       dev=n.dev.name, state=nud_name(n.nud_state))
            neigh_output(n, skb)
    return True


def neigh_event_ns(net: "Net", lladdr: bytes, key: int, dev: "NetDevice") -> Neighbour:
    """A request for us: remember the asker as STALE (creating the entry)."""
    n = net.arp_tbl.lookup_or_create(key, dev)
    neigh_update(n, lladdr, NUD_STALE, NEIGH_UPDATE_F_OVERRIDE)
    return n


def neigh_ifdown(net: "Net", dev: "NetDevice", skip_perm: bool = False,
                 tbl: Optional[NeighTable] = None) -> None:
    """neigh_flush_dev: entries on a device that went down vanish, queues dropped."""
    tbl = tbl if tbl is not None else net.arp_tbl
    for n in list(tbl.entries.values()):
        if n.dev is not dev:
            continue
        if skip_perm and n.nud_state & NUD_PERMANENT:
            continue
        tbl.remove(n)


ETH_IP_TYPE = b"\x08\x00"  # ETH_P_IP, big-endian, as it sits in the Ethernet header
