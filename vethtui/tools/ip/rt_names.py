"""Route attribute names both ways: iproute2 6.1 lib/rt_names.c (rtnl_rtprot_*, rtnl_rttable_*,
rtnl_rtntype_*), without the /etc/iproute2 files (none are installed)."""
from __future__ import annotations

from typing import Optional

from ...kernel import fib as F
from . import common as c

PROTO_NAMES = {0: "unspec", 1: "redirect", 2: "kernel", 3: "boot", 4: "static", 8: "gated",
               9: "ra", 10: "mrt", 11: "zebra", 12: "bird", 13: "dnrouted", 14: "xorp",
               15: "ntk", 16: "dhcp", 42: "babel", 186: "bgp", 187: "isis", 188: "ospf",
               189: "rip", 192: "eigrp", 99: "keepalived"}
TABLE_NAMES = {255: "local", 254: "main", 253: "default", 0: "unspec"}
TYPE_WORDS = {"unicast": F.RTN_UNICAST, "local": F.RTN_LOCAL, "broadcast": F.RTN_BROADCAST,
              "anycast": F.RTN_ANYCAST, "multicast": F.RTN_MULTICAST, "blackhole": F.RTN_BLACKHOLE,
              "unreachable": F.RTN_UNREACHABLE, "prohibit": F.RTN_PROHIBIT, "throw": F.RTN_THROW,
              "nat": F.RTN_NAT}


def table_a2n(text: str) -> Optional[int]:
    names = {"local": 255, "main": 254, "default": 253, "all": 0, "unspec": 0}
    if text in names:
        return names[text]
    n = c.get_unsigned(text)
    if n is None or n > 0xFFFFFFFF:
        return None
    return n


def proto_a2n(text: str) -> Optional[int]:
    for k, v in PROTO_NAMES.items():
        if v == text:
            return k
    n = c.get_unsigned(text)
    return n if n is not None and n <= 255 else None
