"""IPv4 addresses as integers, the way the kernel thinks of them (__be32).

Integers make masks, prefix matches and comparisons cheap on the hot path;
they are turned into dotted quads only for printing and into bytes only
when a header is built.
"""
from __future__ import annotations

import struct
from functools import lru_cache

RT_SCOPE_UNIVERSE = 0
RT_SCOPE_SITE = 200
RT_SCOPE_LINK = 253
RT_SCOPE_HOST = 254
RT_SCOPE_NOWHERE = 255

SCOPE_NAMES = {0: "global", 200: "site", 253: "link", 254: "host", 255: "nowhere"}

INADDR_ANY = 0
INADDR_BROADCAST = 0xFFFFFFFF
INADDR_LOOPBACK = 0x7F000001


@lru_cache(maxsize=4096)
def ntoa(addr: int) -> str:
    text = _NTOA.get(addr) if type(addr) is int else None
    if text is None:
        text = f"{addr >> 24 & 255}.{addr >> 16 & 255}.{addr >> 8 & 255}.{addr & 255}"
        if type(addr) is int:
            if len(_NTOA) >= 4096:
                _NTOA.clear()
            _NTOA[addr] = text
    return text


# ntoa's recent answers: a traced packet names its addresses at every hook
_NTOA: dict[int, str] = {}


def aton(text: str) -> int:
    """Strict dotted-quad parse (inet_pton): four decimal octets."""
    parts = text.split(".")
    if len(parts) != 4:
        raise ValueError(text)
    val = 0
    for p in parts:
        if not p.isdigit() or len(p) > 3:
            raise ValueError(text)
        n = int(p)
        if n > 255:
            raise ValueError(text)
        val = val << 8 | n
    return val


def aton_loose(text: str) -> int:
    """iproute2's get_addr_ipv4: 1 to 4 parts, strtoul base 0 each, missing parts zero.

    `ip route add 10/8`, `ip addr add 0x0a.1/8` and `010.1` (octal) all work in
    iproute2, so they work here.
    """
    if not text:
        raise ValueError(text)
    parts = text.split(".")
    if len(parts) > 4:
        raise ValueError(text)
    octets = []
    for p in parts:
        n = _strtoul0(p)
        if n is None or n > 255:
            raise ValueError(text)
        octets.append(n)
    while len(octets) < 4:
        octets.append(0)
    return octets[0] << 24 | octets[1] << 16 | octets[2] << 8 | octets[3]


def _strtoul0(p: str):
    if not p:
        return None
    try:
        if p.lower().startswith("0x"):
            return int(p[2:], 16) if len(p) > 2 else 0
        if len(p) > 1 and p.startswith("0"):
            return int(p, 8)
        if not p.isdigit():
            return None
        return int(p)
    except ValueError:
        return None


def to_bytes(addr: int) -> bytes:
    return struct.pack("!I", addr)


def from_bytes(b: bytes) -> int:
    return struct.unpack("!I", b)[0]


def prefix_mask(plen: int) -> int:
    return (0xFFFFFFFF << (32 - plen)) & 0xFFFFFFFF if plen else 0


def mask_to_plen(mask: int) -> int:
    return bin(mask).count("1")


def is_multicast(a: int) -> bool:
    return (a & 0xF0000000) == 0xE0000000


def is_local_multicast(a: int) -> bool:
    return (a & 0xFFFFFF00) == 0xE0000000


def is_lbcast(a: int) -> bool:
    return a == INADDR_BROADCAST


def is_zeronet(a: int) -> bool:
    return (a & 0xFF000000) == 0


def is_loopback(a: int) -> bool:
    return (a & 0xFF000000) == 0x7F000000


def is_private(a: int) -> bool:
    return ((a >> 24) == 10 or (a & 0xFFF00000) == 0xAC100000
            or (a & 0xFFFF0000) == 0xC0A80000)
