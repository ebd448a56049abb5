"""A keyed DataTable over one namespace's state, updated from engine events.

Subclasses say which events concern them (`wants`) and compute their rows
from read-only queries of the namespace (`compute_rows`); this class diffs
the rows against what is shown: changed cells are updated in place
(`update_cell`), new rows appended, gone rows removed, and only when the
kernel's dump order changed are the (few) rows laid out again. A row that
changed is highlighted for `highlight_seconds`.

The namespace is an attribute (`net`), set with `set_net` (the app's
namespace key, or the console entering one); the border title names it, since
every namespace has its own `lo`, routes and neighbours.
"""
from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any, Iterable, Optional, Sequence

from rich.style import Style
from rich.text import Text
from textual.widgets import DataTable

if TYPE_CHECKING:  # pragma: no cover
    from ..kernel.netns import Net

Cells = tuple[Any, ...]


def plain(cell: Any) -> str:
    return cell.plain if isinstance(cell, Text) else str(cell)


def pad(cell: Any) -> Text:
    """A cell with one space after it: the tables run with no cell padding,
    so columns sit one space apart as the tools print them."""
    if isinstance(cell, Text):
        out = cell.copy()
        out.append(" ")
        return out
    return Text(f"{cell} ")


def ansi(text: str) -> Text:
    """A tool's `-c` output (ANSI colours) as Rich text."""
    return Text.from_ansi(text) if "\x1b" in text else Text(text)


class NetTable(DataTable):
    """Rows keyed by a stable string; highlight on change."""

    COMPONENT_CLASSES = {"net-table--changed"}
    DEFAULT_CSS = """
    NetTable {
        height: auto;
        max-height: 100%;
        background: $surface;
        scrollbar-size-horizontal: 0;
        & > .net-table--changed { background: $success 35%; }
        &:blur > .datatable--cursor { background: $surface; color: $foreground; text-style: none; }
    }
    """

    #: (column key, label) pairs, in order
    COLUMNS: Sequence[tuple[str, str]] = ()
    #: the pane's name, before the namespace in its border title
    TITLE = ""

    def __init__(self, net: "Net", *, highlight_seconds: float = 1.5, id: Optional[str] = None,
                 classes: Optional[str] = None):
        super().__init__(id=id, classes=classes, cursor_type="row", zebra_stripes=False,
                         cell_padding=0)
        self.net = net
        self.highlight_seconds = highlight_seconds
        self._shown: dict[str, tuple[str, ...]] = {}     # key -> plain cells
        self._order: list[str] = []
        self._changed: dict[str, float] = {}              # key -> highlight deadline
        self._expiry_timer = None

    # -- what subclasses provide ----------------------------------------------
    def column_spec(self) -> Sequence[tuple[str, str]]:
        return self.COLUMNS

    def compute_rows(self) -> list[tuple[str, Cells]]:  # pragma: no cover - abstract
        raise NotImplementedError

    def wants(self, event: Any) -> bool:  # pragma: no cover - abstract
        raise NotImplementedError

    def pane_title(self) -> str:
        """`Links · ns1`: the border title, naming the namespace shown."""
        return f"{self.TITLE} · {self.net.display_name}"

    # -- life cycle -----------------------------------------------------------
    def on_mount(self) -> None:
        self.retitle()
        self.rebuild(highlight=False)

    def retitle(self) -> None:
        self.border_title = self.pane_title()

    def set_net(self, net: "Net") -> None:
        """Show another namespace: rows laid out afresh, no highlights."""
        self.net = net
        self._changed.clear()
        self.retitle()
        self.rebuild(highlight=False)

    def engine_events(self, events: Iterable[Any]) -> None:
        if any(self.wants(ev) for ev in events):
            self.sync()

    # -- diffing ----------------------------------------------------------------
    def rebuild(self, highlight: bool = False) -> None:
        """Lay out columns and rows afresh (mount, namespace or mode change)."""
        self.clear(columns=True)
        self._shown.clear()
        self._order = []
        for key, label in self.column_spec():
            self.add_column(pad(label), key=key)
        self.sync(highlight=highlight)

    def sync(self, highlight: bool = True) -> None:
        """Bring the rows in line with the namespace."""
        rows = self.compute_rows()
        keys = [k for k, _ in rows]
        col_keys = [k for k, _ in self.column_spec()]
        changed: list[str] = []
        gone = [k for k in self._order if k not in set(keys)]
        for k in gone:
            self.remove_row(k)
            del self._shown[k]
            self._changed.pop(k, None)
        current = [k for k in self._order if k in self._shown]
        fresh = [k for k in keys if k not in self._shown]
        in_order = keys[:len(current)] == current
        if not in_order:
            # the dump order moved (a row inserted in the middle): lay out again
            cursor_key = self._cursor_key()
            self.clear(columns=False)
            self._shown.clear()
            for k, cells in rows:
                self.add_row(*map(pad, cells), key=k)
                self._shown[k] = tuple(plain(c) for c in cells)
            changed.extend(fresh)
            self._restore_cursor(cursor_key)
        else:
            for k, cells in rows:
                sig = tuple(plain(c) for c in cells)
                old = self._shown.get(k)
                if old is None:
                    self.add_row(*map(pad, cells), key=k)
                    changed.append(k)
                elif old != sig:
                    for col, cell, a, b in zip(col_keys, cells, old, sig):
                        if a != b:
                            self.update_cell(k, col, pad(cell), update_width=True)
                    changed.append(k)
                self._shown[k] = sig
            # the cells of existing rows may have new colours only: keep as is
        self._order = keys
        if highlight and changed:
            self._highlight(changed)

    def _cursor_key(self) -> Optional[str]:
        try:
            if self.row_count:
                return self.ordered_rows[self.cursor_row].key.value
        except Exception:
            return None
        return None

    def _restore_cursor(self, key: Optional[str]) -> None:
        if key is None:
            return
        try:
            self.move_cursor(row=self.get_row_index(key), animate=False, scroll=False)
        except Exception:
            pass

    # -- highlight ------------------------------------------------------------------
    @property
    def changed_keys(self) -> set[str]:
        """Rows highlighted right now (tests read this)."""
        return set(self._changed)

    def _highlight(self, keys: list[str]) -> None:
        if self.highlight_seconds <= 0:
            return
        deadline = time.monotonic() + self.highlight_seconds
        for k in keys:
            self._changed[k] = deadline
        self._invalidate()
        if self._expiry_timer is None:
            self._expiry_timer = self.set_timer(self.highlight_seconds, self._expire)

    def _expire(self) -> None:
        self._expiry_timer = None
        now = time.monotonic()
        for k in [k for k, t in self._changed.items() if t <= now + 0.01]:
            del self._changed[k]
        self._invalidate()
        if self._changed:
            wait = max(0.05, min(self._changed.values()) - now)
            self._expiry_timer = self.set_timer(wait, self._expire)

    def _invalidate(self) -> None:
        # DataTable caches rendered rows keyed on its update counter (textual 8.2.8)
        self._update_count += 1
        self.refresh()

    def _get_row_style(self, row_index: int, base_style: Style) -> Style:
        style = super()._get_row_style(row_index, base_style)
        if self._changed and row_index >= 0:
            try:
                key = self.ordered_rows[row_index].key.value
            except IndexError:
                return style
            if key in self._changed:
                return style + self.get_component_rich_style("net-table--changed")
        return style
