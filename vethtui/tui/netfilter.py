"""Netfilter and conntrack panes: the rules with their counters, and the connections.

The container-networking lessons (MASQUERADE, a published port's DNAT, a REJECT)
are read off two things Linux shows: `iptables -L -v -n`'s counters, which move
as packets hit a rule, and `conntrack -L`'s entries with their NAT rewrite. The
panes show both, live, in the namespace the other panes show; each stays out of
the way (not displayed) until the namespace has a table or a tracked connection.

Counters move without an event (a packet matching a rule is no change of state
the stack announces), so while a pane is displayed it reads its rows again a few
times a second; rows whose counters moved light up as other panes' changes do.
"""
from __future__ import annotations

from typing import Any

from .. import netview
from .net_table import Cells, Column, NetTable

REFRESH_S = 0.5


def _count(n: int) -> str:
    """iptables -L -v's packet and byte columns (xtables_print_num, FMT_KILOMEGAGIGA):
    exact up to 99999, then rounded thousands with K, M, G, T."""
    if n <= 99999:
        return str(n)
    for unit in "KMGT":
        n = (n + 500) // 1000
        if n <= 9999:
            return f"{n}{unit}"
    return f"{n}P"


class _LivePane(NetTable):
    """A NetTable shown only while it has rows (and the app has room for it), read
    again while it is shown."""

    has_rows = False
    """The namespace has something to show here."""
    squeezed = False
    """The app has no row to give this pane (a short screen with captures open)."""

    def on_mount(self) -> None:
        super().on_mount()                      # rebuild: the rows read once
        self.has_rows = bool(self._last_rows)
        self._apply_display()
        self.set_interval(REFRESH_S, self._tick)

    def _apply_display(self) -> None:
        shown = self.has_rows and not self.squeezed
        if shown != self.display:
            self.display = shown

    def squeeze(self, squeezed: bool) -> None:
        if squeezed != self.squeezed:
            self.squeezed = squeezed
            self._apply_display()

    def _tick(self) -> None:
        rows = self.compute_rows()
        before = len(self._last_rows or ())
        if bool(rows) != self.has_rows:
            self.has_rows = bool(rows)
            self._apply_display()
        if self.display:
            self.sync(rows=rows)
        else:
            self._last_rows = rows      # what the app measures when it arranges the panes
        if len(rows) != before:
            # the heights the app gives the panes depend on how many rows each holds
            # (a flood's batches of drops do not re-arrange them)
            self.app.call_later(getattr(self.app, "arrange_tables", lambda: None))

    def set_net(self, net: Any) -> None:
        super().set_net(net)                    # rebuild: the rows read once
        self.has_rows = bool(self._last_rows)
        self._apply_display()

    def wants(self, event: Any) -> bool:
        return False        # read on a timer: counters move without events


class NetfilterTable(_LivePane):
    """`iptables -L -v -n` of every loaded table, one row per chain and per rule."""

    TITLE = "Netfilter"
    COLUMNS = (Column("where", "table/chain"), Column("num", "#"),
               Column("pkts", "pkts"), Column("bytes", "bytes", drop=True),
               Column("target", "target"), Column("rule", "rule", elastic=True))

    def compute_rows(self) -> list[tuple[str, Cells]]:
        rows = []
        for r in netview.nf_rules(self.net):
            if r.num == 0:
                where = f"{r.table}/{r.chain}"
                # a chain's own row: its policy and the policy's counters (builtin), or
                # the references of a user chain
                rows.append((r.key, (where, "", _count(r.packets) if r.target else "",
                                     _count(r.bytes) if r.target else "",
                                     r.target or "", r.text)))
            else:
                rows.append((r.key, ("", str(r.num), _count(r.packets), _count(r.bytes),
                                     r.target, r.text)))
        return rows


class ConntrackTable(_LivePane):
    """`conntrack -L`: each tracked connection, its state and its two directions."""

    TITLE = "Connections"
    COLUMNS = (Column("proto", "proto"), Column("state", "state"),
               Column("original", "original", elastic=True),
               Column("reply", "reply (after NAT)", elastic=True),
               Column("flags", "flags", drop=True), Column("expires", "expires", drop=True))

    def compute_rows(self) -> list[tuple[str, Cells]]:
        return [(r.key, (r.proto, r.state, r.original, r.reply, r.flags, str(r.expires)))
                for r in netview.connections(self.net)]

