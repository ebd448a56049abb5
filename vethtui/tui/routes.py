"""The route table: the main table in `route -n` columns, or the local table."""
from __future__ import annotations

from typing import Any, Sequence

from textual.reactive import reactive

from ..kernel import fib as F
from ..kernel.events import LinkEvent, RouteEvent
from ..kernel.inet import ntoa, prefix_mask
from ..tools.ip.common import IpOpts
from ..tools.ip.route import format_route
from ..tools.route import route_flags
from .net_table import Cells, NetTable, ansi

COLOUR = IpOpts(color=True)
ROUTE_N_TYPES = (F.RTN_UNICAST, F.RTN_UNREACHABLE, F.RTN_PROHIBIT, F.RTN_BLACKHOLE)


def route_n_cells(fa) -> Cells:
    """One line of `route -n`: Destination Gateway Genmask Flags Metric Ref Use Iface."""
    nh = fa.info.nh
    return (ntoa(fa.dst), ntoa(nh.gw) if nh.gw else "0.0.0.0", ntoa(prefix_mask(fa.dst_len)),
            route_flags(fa), str(fa.info.priority), "0", "0",
            nh.dev.name if nh.dev is not None else "*")


def _key(fa, seen: dict[str, int]) -> str:
    nh = fa.info.nh
    base = (f"{fa.table}/{fa.dst}/{fa.dst_len}/{fa.tos}/{fa.type}/{fa.info.priority}/"
            f"{nh.gw}/{nh.dev.ifindex if nh.dev is not None else 0}")
    n = seen.get(base, 0)
    seen[base] = n + 1
    return f"{base}#{n}"


class RouteTable(NetTable):
    """`table` is "main" (route -n columns) or "local" (ip route show table local)."""

    MAIN_COLUMNS = (("dst", "Destination"), ("gw", "Gateway"), ("mask", "Genmask"),
                    ("flags", "Flags"), ("metric", "Metric"), ("ref", "Ref"), ("use", "Use"),
                    ("iface", "Iface"))
    LOCAL_COLUMNS = (("route", "ip route show table local"),)

    table: reactive[str] = reactive("main", init=False)
    """Which FIB table the pane shows: "main" or "local"."""

    def column_spec(self) -> Sequence[tuple[str, str]]:
        return self.MAIN_COLUMNS if self.table == "main" else self.LOCAL_COLUMNS

    def pane_title(self) -> str:
        """`Routes · host · main (route -n)` or `Routes · ns1 · local table`."""
        which = "main (route -n)" if self.table == "main" else "local table"
        return f"Routes · {self.net.display_name} · {which}"

    def watch_table(self, table: str) -> None:
        self.retitle()
        self.rebuild(highlight=False)

    def toggle_table(self) -> str:
        self.table = "local" if self.table == "main" else "main"
        return self.table

    def compute_rows(self) -> list[tuple[str, Cells]]:
        tb_id = F.RT_TABLE_MAIN if self.table == "main" else F.RT_TABLE_LOCAL
        tb = self.net.fib_tables.get(tb_id)
        if tb is None:
            return []
        seen: dict[str, int] = {}
        rows = []
        for fa in tb.aliases():
            if self.table == "main":
                if fa.type not in ROUTE_N_TYPES:
                    continue
                rows.append((_key(fa, seen), route_n_cells(fa)))
            else:
                rows.append((_key(fa, seen), (ansi(format_route(fa, COLOUR, tb_id).rstrip()),)))
        return rows

    def wants(self, event: Any) -> bool:
        return isinstance(event, (RouteEvent, LinkEvent)) and event.net == self.net.display_name
