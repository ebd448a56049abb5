"""`ip -6 route` as far as the display-only IPv6 model goes (::1, fe80::/64)."""
from __future__ import annotations

from ..base import Proc, matches
from .common import IpOpts


def do_iproute6(proc: Proc, opts: IpOpts, argv: list[str]) -> int:
    if argv and not (matches(argv[0], "show") or matches(argv[0], "list")
                     or matches(argv[0], "lst")):
        proc.err(f"vethtui: ip -6 route {argv[0]}: IPv6 routing is not simulated\n")
        return 2
    net = opts.net
    table_local = len(argv) > 2 and argv[1] == "table" and argv[2] == "local"
    for dev in net.devices_in_order():
        for a in dev.inet6:
            if table_local:
                proc.out(f"local {a.addr} dev {dev.name} proto kernel metric 0 pref medium\n")
            elif a.addr == "::1":
                proc.out(f"::1 dev {dev.name} proto kernel metric 256 pref medium\n")
            else:
                proc.out(f"fe80::/64 dev {dev.name} proto kernel metric 256 pref medium\n")
    return 0
