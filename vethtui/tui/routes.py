"""The route table: the main table in `route -n` columns, or the local table.

Iface is never given up (two connected routes to one subnet differ only by it);
Metric, Ref and Use go first when the pane is narrow."""
from __future__ import annotations

from typing import Any, Sequence

from textual.reactive import reactive

from ..i18n import _
from .. import netview
from ..netview import LinkEvent, RouteEvent, concerns, label_of
from .net_table import Cells, Column, NetTable, ansi


class RouteTable(NetTable):
    """`table` is "main" (route -n columns) or "local" (ip route show table local)."""

    MAIN_COLUMNS = (Column("dst", "Destination"), Column("gw", "Gateway"),
                    Column("mask", "Genmask"), Column("flags", "Flags"),
                    Column("metric", "Metric", drop=3), Column("ref", "Ref", drop=5),
                    Column("use", "Use", drop=4), Column("iface", "Iface"))
    LOCAL_COLUMNS = (Column("route", "ip route show table local", elastic=True),)

    table: reactive[str] = reactive("main", init=False)
    """Which FIB table the pane shows: "main" or "local"."""

    def column_spec(self) -> Sequence[Column]:
        return self.MAIN_COLUMNS if self.table == "main" else self.LOCAL_COLUMNS

    def pane_title(self) -> str:
        """`Routes · host · main (route -n)` or `Routes · ns1 · local table`."""
        which = "main (route -n)" if self.table == "main" else _("local table")
        return f"{_('Routes')} · {label_of(self.net)} · {which}"

    def watch_table(self, table: str) -> None:
        self.retitle()
        self.rebuild(highlight=False)

    def toggle_table(self) -> str:
        self.table = "local" if self.table == "main" else "main"
        return self.table

    def compute_rows(self) -> list[tuple[str, Cells]]:
        if self.table == "main":
            return [(r.key, (r.dst, r.gateway, r.genmask, r.flags, r.metric, r.ref, r.use,
                             r.iface)) for r in netview.routes(self.net, "main")]
        return [(r.key, (ansi(r.line),)) for r in netview.routes(self.net, "local")]

    def wants(self, event: Any) -> bool:
        return isinstance(event, (RouteEvent, LinkEvent)) and concerns(event, self.net)
