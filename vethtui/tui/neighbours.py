"""The neighbour table: what `ip neigh` shows, one keyed row per entry.

The state (INCOMPLETE, REACHABLE, FAILED, ...) is what the ARP experiments are
about: it is never given up; a long lladdr is cut first."""
from __future__ import annotations

from typing import Any

from .. import netview
from ..netview import LinkEvent, NeighEvent, concerns
from .net_table import Cells, Column, NetTable, ansi


class NeighTable(NetTable):
    """The ARP table of the namespace as `ip neigh` lists it (NOARP entries hidden)."""

    TITLE = "Neighbours"
    COLUMNS = (Column("addr", "address"), Column("dev", "dev"),
               Column("lladdr", "lladdr", elastic=True), Column("state", "state"))

    def compute_rows(self) -> list[tuple[str, Cells]]:
        return [(r.key, (ansi(r.address), ansi(r.dev), ansi(r.lladdr), r.state))
                for r in netview.neighbours(self.net)]

    def wants(self, event: Any) -> bool:
        return isinstance(event, (NeighEvent, LinkEvent)) and concerns(event, self.net)
