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
from dataclasses import dataclass
from typing import Any, Iterable, Optional, Sequence

from rich.style import Style
from rich.text import Text
from textual import events
from textual.widgets import DataTable

from ..i18n import _
from ..netview import label_of

Cells = tuple[Any, ...]
Net = Any      # a namespace handle from the engine (netview reads it)


@dataclass(frozen=True)
class Column:
    """A column of a pane: `drop` 0 is one the lesson needs (never given up);
    otherwise, when the pane is too narrow, the highest `drop` goes first.
    `elastic` columns are the ones cut (ending in …) when the needed ones still
    do not fit. A column whose cells are all empty is not shown."""

    key: str
    label: str
    drop: int = 0
    elastic: bool = False


def fit_columns(columns: Sequence[Column], natural: dict[str, int], width: int
                ) -> tuple[list[str], dict[str, int]]:
    """Which columns to show in `width` cells, and the cut width of any that must be
    cut. `natural` is each column's width with its one space of padding."""
    shown = [c for c in columns if natural.get(c.key, 0) > 0]
    total = sum(natural[c.key] for c in shown)
    for c in sorted((c for c in shown if c.drop), key=lambda c: (-c.drop, -columns.index(c))):
        if total <= width:
            break
        shown.remove(c)
        total -= natural[c.key]
    limits: dict[str, int] = {}
    over = total - width
    if over > 0:
        for c in sorted(shown, key=lambda c: (not c.elastic, -natural[c.key])):
            if over <= 0:
                break
            w = natural[c.key]
            cut = max(min(w, 8), w - over)
            if cut < w:
                limits[c.key] = cut
                over -= w - cut
    return [c.key for c in shown], limits


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


def _cell_len(cell: Any) -> int:
    return cell.cell_len if isinstance(cell, Text) else len(str(cell))


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
        scrollbar-size-vertical: 1;
        & > .net-table--changed { background: $success 35%; }
        &:blur > .datatable--cursor { background: $surface; color: $foreground; text-style: none; }
    }
    """

    #: the columns, in order (see Column)
    COLUMNS: Sequence[Column] = ()
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
        self._visible: list[str] = []                     # column keys shown
        self._limits: dict[str, int] = {}                 # column key -> cut width
        self.cut = False
        """Some cell is cut (ends in …): the full text is in the details (Enter)."""
        self._last_rows: Optional[list[tuple[str, Cells]]] = None
        """The rows as the last sync read them: what natural_width measures (the app
        asks after every batch of events; reading the namespace again each time cost a
        flood's screen a twentieth of its time)."""

    # -- what subclasses provide ----------------------------------------------
    def column_spec(self) -> Sequence[Column]:
        return self.COLUMNS

    def compute_rows(self) -> list[tuple[str, Cells]]:  # pragma: no cover - abstract
        raise NotImplementedError

    def wants(self, event: Any) -> bool:  # pragma: no cover - abstract
        raise NotImplementedError

    def pane_title(self) -> str:
        """`Links · ns1`: the border title, naming the namespace shown."""
        return f"{_(self.TITLE)} · {label_of(self.net)}"

    def natural_width(self, needed_only: bool = True) -> int:
        """Cells the pane needs for its columns (the needed ones only, or all), borders
        included: the app lays the tables side by side only when both fit."""
        rows = self._last_rows if self._last_rows is not None else self.compute_rows()
        natural = self._natural(rows)
        cols = [c for c in self.column_spec() if not (needed_only and c.drop)]
        return sum(natural.get(c.key, 0) for c in cols) + 2

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

    # -- fitting the columns to the width ------------------------------------------------
    def _natural(self, rows: list[tuple[str, Cells]]) -> dict[str, int]:
        out: dict[str, int] = {}
        for i, col in enumerate(self.column_spec()):
            w = max((_cell_len(cells[i]) for _, cells in rows), default=0)
            out[col.key] = 0 if w == 0 and self._hide_empty(col) \
                else max(w, len(col.label.rstrip())) + 1
        return out

    def _hide_empty(self, col: Column) -> bool:
        """An all-empty column is hidden unless it is one the lesson needs."""
        return bool(col.drop) or col.key in self.HIDE_WHEN_EMPTY

    HIDE_WHEN_EMPTY: tuple[str, ...] = ()

    def _room(self) -> int:
        width = self.scrollable_content_region.width
        return width if width > 0 else 10_000

    def _fit(self, rows: list[tuple[str, Cells]]) -> bool:
        """Choose the columns for the width now; True when they changed."""
        visible, limits = fit_columns(list(self.column_spec()), self._natural(rows),
                                      self._room())
        if visible == self._visible and limits == self._limits:
            return False
        self._visible, self._limits = visible, limits
        self.cut = bool(limits)
        return True

    def _cells(self, cells: Cells) -> list[Text]:
        """The cells of the visible columns, cut to their limits, padded."""
        out = []
        for col, cell in zip(self.column_spec(), cells):
            if col.key not in self._visible:
                continue
            limit = self._limits.get(col.key)
            text = cell if isinstance(cell, Text) else Text(str(cell))
            if limit is not None and text.cell_len > limit - 1:
                text = text.copy()
                text.truncate(limit - 1, overflow="ellipsis")
            out.append(pad(text))
        return out

    def on_resize(self, event: events.Resize) -> None:
        rows = self._last_rows = self.compute_rows()
        if self._fit(rows):
            self._layout(rows)

    # -- diffing ----------------------------------------------------------------
    def rebuild(self, highlight: bool = False) -> None:
        """Lay out columns and rows afresh (mount, namespace or mode change)."""
        rows = self._last_rows = self.compute_rows()
        self._fit(rows)
        self._layout(rows, highlight)

    def _layout(self, rows: list[tuple[str, Cells]], highlight: bool = False) -> None:
        cursor_key = self._cursor_key()
        self.clear(columns=True)
        self._shown.clear()
        self._order = []
        for col in self.column_spec():
            if col.key in self._visible:
                label = Text(col.label)
                limit = self._limits.get(col.key)
                if limit is not None:
                    label.truncate(limit - 1, overflow="ellipsis")
                self.add_column(pad(label), key=col.key)
        self._sync_rows(rows, highlight)
        self._restore_cursor(cursor_key)

    def sync(self, highlight: bool = True, rows: Optional[list[tuple[str, Cells]]] = None
             ) -> None:
        """Bring the rows in line with the namespace (and the columns with the width);
        `rows` when the caller has just read them."""
        rows = self._last_rows = self.compute_rows() if rows is None else rows
        if self._fit(rows):
            self._layout(rows, highlight=False)
            return
        self._sync_rows(rows, highlight)

    def _sync_rows(self, rows: list[tuple[str, Cells]], highlight: bool = True) -> None:
        keys = [k for k, _ in rows]
        col_keys = [c.key for c in self.column_spec()]
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
                self.add_row(*self._cells(cells), key=k)
                self._shown[k] = tuple(plain(c) for c in cells)
            changed.extend(fresh)
            self._restore_cursor(cursor_key)
        else:
            for k, cells in rows:
                sig = tuple(plain(c) for c in cells)
                old = self._shown.get(k)
                if old is None:
                    self.add_row(*self._cells(cells), key=k)
                    changed.append(k)
                elif old != sig:
                    fitted = dict(zip([c for c in col_keys if c in self._visible],
                                      self._cells(cells)))
                    for col, a, b in zip(col_keys, old, sig):
                        if a != b and col in fitted:
                            self.update_cell(k, col, fitted[col], update_width=True)
                    changed.append(k)
                self._shown[k] = sig
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
