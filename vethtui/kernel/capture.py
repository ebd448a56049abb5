"""Capture taps: what an AF_PACKET socket (tcpdump) would receive.

A tap sees a frame when it leaves a device (dev_queue_xmit_nit, direction
"Out") and when a device receives it (direction from pkt_type: In, B, M, P).
Like libpcap, a tap never reports outgoing frames on loopback (the same frame
is reported once, as received). Bytes are kept as they were on the wire;
decoding happens only when a view prints them.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Callable, Optional

from .events import CaptureEvent

if TYPE_CHECKING:  # pragma: no cover
    from .netdev import NetDevice
    from .netns import Net
    from .skb import SkBuff


class Tap:
    """One listening capture: a device (by ifindex) or every device of a namespace."""

    def __init__(self, net: "Net", ifindex: Optional[int], sink: Callable[[CaptureEvent], None],
                 on_gone: Optional[Callable[[], None]] = None):
        self.net = net
        self.ifindex = ifindex
        self.sink = sink
        self.on_gone = on_gone
        self.received = 0
        self.active = True
        net.taps.append(self)

    def see(self, dev: "NetDevice", skb: "SkBuff", direction: str) -> None:
        if self.ifindex is not None and dev.ifindex != self.ifindex:
            return
        self.received += 1
        net = self.net
        self.sink(CaptureEvent(net.world.sched.now, net.display_name, dev.ifindex,
                               dev.name, direction, skb.data, skb.id, "ether", net.net_cookie))

    def device_gone(self, dev: "NetDevice") -> None:
        if self.ifindex is not None and dev.ifindex == self.ifindex:
            self.close()
            if self.on_gone is not None:
                self.on_gone()

    def close(self) -> None:
        if self.active:
            self.active = False
            if self in self.net.taps:
                self.net.taps.remove(self)
