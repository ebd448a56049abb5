"""What a compiled filter is: predicates over the captured bytes (libpcap emits BPF;
these are its blocks as Python functions), and Filter, the result."""
from __future__ import annotations

from typing import Callable, Optional

from .filter_scan import DLT_LINUX_SLL2, _Reject

# ---------------------------------------------------------------- predicates
#
# A block is a function `f(p) -> bool`, p being a _Pkt (the link-layer bytes as
# the filter sees them, and whether the frame is outgoing). An arithmetic value is
# a pair (value function, guard block or None): libpcap ANDs the guard (the
# protocol test that makes the load meaningful) into every relation using it.

class _Pkt:
    __slots__ = ("d", "out", "ifindex", "userland")

    def __init__(self, d: bytes, out: bool, ifindex: int = 0, userland: bool = False):
        self.d = d
        self.out = out
        self.ifindex = ifindex
        self.userland = userland


def _meta(p: _Pkt, value):
    """A load of the kernel's packet metadata (SKF_AD_PKTTYPE, SKF_AD_IFINDEX): only
    the kernel can do it; libpcap's user-space BPF sees an out-of-range load."""
    if p.userland:
        raise _Reject()
    return value


def _ld(d: bytes, off: int, size: int) -> int:
    if off < 0 or off + size > len(d):
        raise _Reject()
    if size == 1:
        return d[off]
    return int.from_bytes(d[off:off + size], "big")


class Block:
    """A predicate plus what libpcap's optimizer could know about it (see _facts)."""

    __slots__ = ("f", "facts")

    def __init__(self, f: Callable, facts: Optional[list] = None):
        self.f = f
        self.facts = facts if facts is not None else [{}]


def _and(a: Block, b: Block) -> Block:
    fa, fb = a.f, b.f
    return Block(lambda p: fa(p) and fb(p), _facts_and(a.facts, b.facts))


def _or(a: Block, b: Block) -> Block:
    fa, fb = a.f, b.f
    return Block(lambda p: fa(p) or fb(p), _facts_or(a.facts, b.facts))


def _not(a: Block) -> Block:
    fa = a.f
    facts: list = [{}]
    if len(a.facts) == 1 and len(a.facts[0]) == 1:
        (k, v), = a.facts[0].items()
        if isinstance(v, int):
            facts = [{k: frozenset((v,))}]
        elif len(v) == 1:
            facts = [{k: next(iter(v))}]
    elif not a.facts:
        facts = [{}]
    return Block(lambda p: not fa(p), facts)


TRUE = Block(lambda p: True)

# "facts": a small disjunction of conjunctions about a few fields, each field
# either equal to a value or outside a set ({"lt": 0x800, "ip9": 1},
# {"lt": frozenset({0x806})}): enough to see what libpcap's optimizer sees in
# `arp and icmp`, `icmp and tcp` or `arp and not arp` (no packet can have two link
# types or two IP protocols) and refuse them as it does.


def _merge(x: dict, y: dict) -> Optional[dict]:
    out = dict(x)
    for k, v in y.items():
        if k not in out:
            out[k] = v
            continue
        u = out[k]
        if isinstance(u, int) and isinstance(v, int):
            if u != v:
                return None
        elif isinstance(u, int):
            if u in v:
                return None
        elif isinstance(v, int):
            if v in u:
                return None
            out[k] = v
        else:
            out[k] = u | v
    return out


def _facts_and(a: list, b: list) -> list:
    out = []
    for x in a:
        for y in b:
            m = _merge(x, y)
            if m is not None:
                out.append(m)
    return out if len(out) <= 64 else [{}]


def _facts_or(a: list, b: list) -> list:
    out = a + b
    return out if len(out) <= 64 else [{}]


class Filter:
    """A compiled filter: `flt(ev)` is True if tcpdump would keep the frame."""

    def __init__(self, text: str, linktype: int, block: Optional[Block]):
        self.text = text
        self.linktype = linktype
        self._f = block.f if block is not None else None
        # the filter loads kernel metadata (inbound/outbound, ifindex on a device):
        # libpcap's user-space pass over the first block rejects every packet it
        # evaluates that on
        self.kernel_metadata = False

    @property
    def matches_all(self) -> bool:
        return self._f is None

    def match_bytes(self, data: bytes, outgoing: bool = False, ifindex: int = 0,
                    userland: bool = False) -> bool:
        """Match link-layer bytes of this filter's link type (a pcap record's data).
        `userland`: evaluate as libpcap's user-space BPF would (no kernel metadata)."""
        if self._f is None:
            return True
        try:
            return bool(self._f(_Pkt(data, outgoing, ifindex, userland)))
        except _Reject:
            return False

    def __call__(self, ev, userland: bool = False) -> bool:
        if self._f is None:
            return True
        lt = getattr(ev, "linktype", "ether")
        if isinstance(lt, int):                      # a pcap.Packet
            data = ev.data
        elif self.linktype == DLT_LINUX_SLL2:
            from .pcap import sll2_bytes
            data = sll2_bytes(ev)
        else:
            data = ev.data
        return self.match_bytes(data, getattr(ev, "direction", "") == "Out",
                                getattr(ev, "ifindex", 0) or 0, userland)
