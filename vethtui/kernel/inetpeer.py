"""inet_peer's rate limits (net/ipv4/inetpeer.c, route.c): ICMP errors to a peer.

One struct inet_peer per remote address in the namespace (net.inet_peers), and one
token count in it, `rate_tokens` with its `rate_last`, that two limiters share:

- icmpv4_xrlim_allow -> inet_peer_xrlim_allow: every ICMP error whose type is in
  net.ipv4.icmp_ratemask (destination unreachable, source quench, time exceeded,
  parameter problem; never "fragmentation needed", which PMTU discovery needs)
  costs net.ipv4.icmp_ratelimit (1 s), the bucket holding six of them;
- ip_error, before it calls icmp_send for a packet it cannot route: ip_rt_error_cost
  (1 s) from a bucket of ip_rt_error_burst (5 s).

So a router with no route spends two tokens for each "net unreachable" it sends, and
time exceeded and unreachable messages to the same host draw on the same tokens.
A peer is made with rate_last a minute in the past (inet_getpeer): its first use
finds the bucket full. Redirects keep their own count (ip_rt_send_redirect's
n_redirects), a bucket of their own here.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from .netns import Net

XRLIM_BURST = 6.0              # XRLIM_BURST_FACTOR
IP_RT_ERROR_BURST = 5.0        # 5 * HZ
IP_RT_ERROR_COST = 1.0         # HZ
_NEW_PEER_AGE = 60.0           # inet_getpeer: rate_last = jiffies - 60 * HZ


def _peer(net: "Net", addr: int) -> list:
    """[rate_tokens, rate_last] of the peer, made on first use."""
    peer = net.inet_peers.get(addr)
    if peer is None:
        peer = net.inet_peers[addr] = [0.0, net.world.sched.now - _NEW_PEER_AGE]
    return peer


def inet_peer_xrlim_allow(net: "Net", addr: int, timeout: float) -> bool:
    peer = _peer(net, addr)
    now = net.world.sched.now
    token = peer[0]
    delta = now - peer[1]
    if delta:
        peer[1] = now
        token = min(token + delta, XRLIM_BURST * timeout)
    ok = token >= timeout
    if ok:
        token -= timeout
    peer[0] = token
    return ok


def icmpv4_xrlim_allow(net: "Net", addr: int, itype: int, code: int) -> bool:
    """icmpv4_mask_allow first: types outside icmp_ratemask, and fragmentation
    needed, are never limited."""
    if itype == 3 and code == 4:
        return True
    if itype > 18 or not (1 << itype) & net.sysctl_int("icmp_ratemask"):
        return True
    return inet_peer_xrlim_allow(net, addr, net.sysctl_int("icmp_ratelimit") / 1000.0)


def ip_error_allow(net: "Net", addr: int) -> bool:
    """ip_error's own limiter, on the same peer's tokens."""
    peer = _peer(net, addr)
    now = net.world.sched.now
    peer[0] = min(peer[0] + (now - peer[1]), IP_RT_ERROR_BURST)
    peer[1] = now
    if peer[0] >= IP_RT_ERROR_COST:
        peer[0] -= IP_RT_ERROR_COST
        return True
    return False


def redirect_allow(net: "Net", addr: int) -> bool:
    """Redirects: six at once, then one a second (a bucket of their own)."""
    now = net.world.sched.now
    key = (addr, "redirect")
    tokens, last = net.inet_peers.get(key, (XRLIM_BURST, now))
    tokens = min(XRLIM_BURST, tokens + (now - last))
    if tokens < 1.0:
        net.inet_peers[key] = (tokens, now)
        return False
    net.inet_peers[key] = (tokens - 1.0, now)
    return True
