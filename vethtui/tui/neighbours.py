"""The neighbour table: what `ip neigh` shows, one keyed row per entry."""
from __future__ import annotations

from typing import Any

from rich.text import Text

from ..kernel import neighbour as N
from ..kernel.events import LinkEvent, NeighEvent
from ..tools.ip.common import IpOpts
from ..tools.ip.link import colored
from ..tools.ip.neigh import format_neigh
from .net_table import Cells, NetTable, ansi

PLAIN = IpOpts()
COLOUR = IpOpts(color=True)


def neigh_cells(n, now: float) -> Cells:
    """Split `ip neigh`'s line for the entry into address, dev, lladdr, flags and state."""
    words = format_neigh(n, PLAIN, True, now).split()
    addr = words[0]
    dev = lladdr = ""
    flags: list[str] = []
    state = ""
    i = 1
    while i < len(words):
        w = words[i]
        if w == "dev" and i + 1 < len(words):
            dev = words[i + 1]
            i += 2
            continue
        if w == "lladdr" and i + 1 < len(words):
            lladdr = words[i + 1]
            i += 2
            continue
        if w.isupper():
            state = w
        else:
            flags.append(w)
        i += 1
    return (ansi(colored(COLOUR, "inet", addr)), ansi(colored(COLOUR, "ifname", dev)),
            ansi(colored(COLOUR, "mac", lladdr)) if lladdr else Text(""),
            " ".join(flags + [state]))


class NeighTable(NetTable):
    """The ARP table of the namespace as `ip neigh` lists it (NOARP entries hidden)."""

    TITLE = "Neighbours"
    # labels padded to the usual widths, so an empty table is laid out as a full one
    COLUMNS = (("addr", "address".ljust(12)), ("dev", "dev".ljust(5)),
               ("lladdr", "lladdr".ljust(17)), ("state", "state"))

    def compute_rows(self) -> list[tuple[str, Cells]]:
        net = self.net
        now = net.world.sched.now
        rows = []
        for n in net.arp_tbl.in_order():
            if n.nud_state & N.NUD_NOARP:
                continue
            rows.append((f"{n.dev.ifindex}/{n.key}", neigh_cells(n, now)))
        return rows

    def wants(self, event: Any) -> bool:
        if isinstance(event, NeighEvent):
            return event.net == self.net.display_name
        return isinstance(event, LinkEvent) and event.net == self.net.display_name
