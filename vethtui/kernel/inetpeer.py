"""inet_peer's rate limit (net/ipv4/inetpeer.c): ICMP errors and redirects to a peer.

A token bucket per (peer, kind) in the namespace (net.inet_peers): 6 at once, then
one a second, as inet_peer_xrlim_allow with the default icmp_ratelimit.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from .netns import Net

XRLIM_BURST = 6.0


def inet_peer_xrlim_allow(net: "Net", peer: int, kind: str) -> bool:
    now = net.world.sched.now
    key = (peer, kind)
    tokens, last = net.inet_peers.get(key, (XRLIM_BURST, now))
    tokens = min(XRLIM_BURST, tokens + (now - last))
    if tokens < 1.0:
        net.inet_peers[key] = (tokens, now)
        return False
    net.inet_peers[key] = (tokens - 1.0, now)
    return True
