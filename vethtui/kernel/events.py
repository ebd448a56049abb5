"""Events the stack publishes, like rtnetlink's multicast groups.

The UI subscribes to these instead of polling or reaching into the stack:
a link, address, route or neighbour changed; a sysctl was written; a
namespace came or went; a frame crossed a capture tap; a packet was dropped.
They are plain frozen dataclasses so they can cross into Textual messages.

A namespace is named twice in each: `net`, its display name (what a person reads;
"host" for the lab's own, which an `ip netns add host` can share), and `net_cookie`,
its identity (the kernel's net_cookie: given once, never reused), which is what a
listener compares.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable


@dataclass(frozen=True)
class LinkEvent:
    net: str
    net_cookie: int
    ifindex: int
    name: str
    action: str  # "new", "del", "change"


@dataclass(frozen=True)
class AddrEvent:
    net: str
    net_cookie: int
    ifindex: int
    address: str
    action: str  # "new", "del"


@dataclass(frozen=True)
class RouteEvent:
    net: str
    net_cookie: int
    table: int
    dst: str
    action: str  # "new", "del", "change"


@dataclass(frozen=True)
class NeighEvent:
    net: str
    net_cookie: int
    ifindex: int
    address: str
    state: str
    action: str  # "new", "del", "change"


@dataclass(frozen=True)
class SysctlEvent:
    net: str
    net_cookie: int
    path: str
    value: str


@dataclass(frozen=True)
class NetnsEvent:
    net: str
    net_cookie: int
    action: str  # "new", "del"


@dataclass(frozen=True)
class DropEvent:
    net: str
    net_cookie: int
    skb_id: int
    reason: str
    where: str


@dataclass(frozen=True)
class CaptureEvent:
    """A frame seen by a tap: the raw bytes are decoded only when shown."""

    time: float
    net: str
    ifindex: int
    iface: str
    direction: str  # In, Out, B, M, P
    data: bytes
    skb_id: int
    linktype: str = "ether"  # "ether" for every simulated device
    net_cookie: int = 0      # last, with a default: tools and tests make captures of
                             # their own (a pcap read back, a filter's test frame)


class EventBus:
    """Synchronous fan-out; subscribers must be cheap (the UI queues work)."""

    def __init__(self) -> None:
        self._subs: list[Callable[[Any], None]] = []
        # whether anyone listens: a plain attribute, not a property, since every
        # dropped packet asks (a flood drops one a round trip)
        self.active = False

    def subscribe(self, fn: Callable[[Any], None]) -> Callable[[], None]:
        self._subs.append(fn)
        self.active = True

        def unsubscribe() -> None:
            self.unsubscribe(fn)
        return unsubscribe

    def unsubscribe(self, fn: Callable[[Any], None]) -> None:
        if fn in self._subs:
            self._subs.remove(fn)
        self.active = bool(self._subs)

    def publish(self, event: Any) -> None:
        for fn in list(self._subs):
            fn(event)


@dataclass
class Counter:
    value: int = 0
    extra: dict[str, int] = field(default_factory=dict)
