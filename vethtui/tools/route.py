"""route(8) from net-tools 2.10: the main table as /proc/net/route shows it."""
from __future__ import annotations

from ..kernel import fib as F
from ..kernel.inet import ntoa, prefix_mask
from .base import Proc
from .getopt import Getopt, GetoptError, LongOpt

USAGE = """Usage: route [-nNvee] [-FC] [<AF>]           List kernel routing tables
       route [-v] [-FC] {add|del|flush} ...  Modify routing table for AF.

       route {-h|--help} [<AF>]              Detailed usage syntax for specified AF.
       route {-V|--version}                  Display version/author and exit.

        -v, --verbose            be verbose
        -n, --numeric            don't resolve names
        -e, --extend             display other/more information
        -F, --fib                display Forwarding Information Base (default)
        -C, --cache              display routing cache instead of FIB

  <AF>=Use -4, -6, '-A <af>' or '--<af>'; default: inet
  List of possible address families (which support routing):
    inet (DARPA Internet) inet6 (IPv6) ax25 (AMPR AX.25) 
    netrom (AMPR NET/ROM) rose (AMPR ROSE) x25 (CCITT X.25) 
"""


def route_flags(fa: F.FibAlias) -> str:
    nh = fa.info.nh
    f = ""
    if fa.type in (F.RTN_UNREACHABLE, F.RTN_PROHIBIT, F.RTN_BLACKHOLE, F.RTN_THROW):
        return "!"
    f += "U"
    if nh.gw:
        f += "G"
    if fa.dst_len == 32:
        f += "H"
    return f


SHORTOPTS = "neCFvN4hV"      # net-tools 2.10 less -A and -6 (one address family here)
LONGOPTS = [LongOpt("numeric", key="n"), LongOpt("extend", key="e"), LongOpt("help", key="h"),
            LongOpt("inet")]


def main(proc: Proc, argv: list[str]) -> int:
    numeric = False
    extend = 0
    g = Getopt("route", argv, SHORTOPTS, LONGOPTS)
    try:
        for ch, _val in g:
            if ch == "n":
                numeric = True
            elif ch == "e":
                extend += 1
            elif ch == "h":
                proc.out(USAGE)
                return 0
            elif ch == "V":
                proc.out("net-tools 2.10\n")
                return 0
    except GetoptError as err:
        proc.err(f"{err}\n{USAGE}")
        return 1
    for a in g.operands:
        if a in ("add", "del", "flush"):
            proc.err(f"vethtui: route {a}: not simulated; use `ip route {a}`\n")
            return 1
        proc.err(USAGE)
        return 1
    net = proc.net
    tb = net.fib_tables.get(F.RT_TABLE_MAIN)
    proc.out("Kernel IP routing table\n")
    if extend:
        proc.out("Destination     Gateway         Genmask         Flags   MSS Window  irtt Iface\n")
    else:
        proc.out("Destination     Gateway         Genmask         Flags Metric Ref    Use Iface\n")
    if tb is None:
        return 0
    for fa in tb.aliases():
        nh = fa.info.nh
        if fa.type not in (F.RTN_UNICAST, F.RTN_UNREACHABLE, F.RTN_PROHIBIT, F.RTN_BLACKHOLE):
            continue
        dst = ntoa(fa.dst)
        if not numeric and fa.dst == 0 and fa.dst_len == 0:
            dst = "default"
        gw = ntoa(nh.gw) if nh.gw else "0.0.0.0"
        mask = ntoa(prefix_mask(fa.dst_len))
        iface = nh.dev.name if nh.dev is not None else "*"
        if extend:
            proc.out(f"{dst:<15} {gw:<15} {mask:<15} {route_flags(fa):<5} {0:>5} {0:<6} {0:>4} {iface}\n")
        else:
            proc.out(f"{dst:<15} {gw:<15} {mask:<15} {route_flags(fa):<5} {fa.info.priority:<6} "
                     f"{0:<2} {0:>7} {iface}\n")
    return 0
