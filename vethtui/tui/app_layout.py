"""How the app shares the screen among its panes: routes and neighbours side by
side or stacked, and the heights the state panes may take so that the console and
the captures keep their rows.

A mixin of VethApp (kept apart so the app module stays the composition and the
event pump); it uses the app's query_one, screen and `_arranged`.
"""
from __future__ import annotations

from typing import Optional

from .links import LinkList
from .neighbours import NeighTable
from .netfilter import ConntrackTable, NetfilterTable
from .routes import RouteTable


class PaneLayout:
    """Arranging the state panes (`arrange_tables`) as the screen and their rows change."""

    def on_resize(self, event) -> None:
        self.call_after_refresh(self.arrange_tables)

    def on_capture_area_shown(self, message) -> None:
        """The first view opened or the last closed: the console's share changes."""
        self.call_after_refresh(self.arrange_tables)

    def arrange_tables(self) -> None:
        """Routes and neighbours side by side when the columns they need both fit,
        else one above the other (each then has the whole width)."""
        try:
            tables = self.query_one("#tables")
            routes, neigh = self.query_one(RouteTable), self.query_one(NeighTable)
            width, main_h = self.query_one("#main").size
            captures_open = not self.query_one("#captures").has_class("-empty")
        except Exception:
            return
        if not width:
            return
        neigh_needs = neigh.natural_width()
        stacked = routes.natural_width() + neigh_needs > width
        one_pane = self._one_pane(stacked, main_h, captures_open)
        self.screen.set_class(one_pane, "-one-pane")
        # side by side, the routes take what the neighbours leave (their optional
        # columns go first); stacked, each has the whole width
        routes_width = None if stacked else \
            min(routes.natural_width(needed_only=False), width - neigh_needs)
        # side by side, both as tall as the taller (a border ending halfway down the
        # row leaves a hole); the panes' max-height still caps them
        side_by_side = not stacked and not one_pane
        height = max(routes.row_count, neigh.row_count) + 3 if side_by_side else None
        caps = self._state_caps(side_by_side, one_pane, main_h, captures_open)
        if height is not None and caps is not None:
            height = min(height, caps[1])
        arranged = (one_pane, stacked, routes_width, height, caps)
        if arranged == self._arranged:
            return          # every batch of events asks; a style set re-lays the screen out
        self._arranged = arranged
        tables.set_class(stacked, "-stacked")
        routes.styles.width = routes_width
        for pane in (routes, neigh):
            pane.styles.height = height
        links = self.query_one(LinkList)
        panes = (links, routes, neigh, *self._live_panes())
        for pane, cap in zip(panes, caps or (None,) * len(panes)):
            if pane in panes[3:]:
                pane.squeeze(cap == 0)
                if cap == 0:
                    continue
            pane.styles.max_height = cap

    def showing_one_pane(self) -> bool:
        """One state pane at a time (a short screen's breakpoint class applies before
        the first arrangement sets -one-pane)."""
        return not self.screen.classes.isdisjoint(("-short", "-one-pane"))

    def _one_pane(self, stacked: bool, main_h: int, captures_open: bool) -> bool:
        """One state pane at a time (the one the last command changed; F4 cycles) on a
        short screen, and on one where open captures would leave the console only a
        line or two below three state panes: at 100x30 with a lab and a capture the
        console kept one line of ping's output (a learner reads what the command said
        there). Judged on typical pane heights, not their rows of the moment, so adding
        a route does not flip the screen's arrangement."""
        if self.screen.has_class("-short"):
            return True
        if not captures_open:
            return False
        state = self.TYPICAL_LINKS + self.TYPICAL_TABLE * (2 if stacked else 1)
        return main_h - state < self.CROWDED_BELOW

    TYPICAL_LINKS = 7    # four links
    TYPICAL_TABLE = 5    # two routes, or two neighbours
    CROWDED_BELOW = 16   # rows for the console and the captures under three state panes

    CONSOLE_MIN = 4      # the prompt, and a line of what a command printed
    CONSOLE_CROWDED = 6  # with one state pane: the prompt and three lines of output
    ONE_PANE_MAX = 7     # the state pane shown alone (app.tcss's max-height there)
    CAPTURES_MIN = 8     # a tab or title, the startup lines, a few packets
    PANE_MIN = 4         # borders, the header, one row (the table scrolls)

    def _state_caps(self, side_by_side: bool, one_pane: bool, main_h: int,
                    captures_open: bool) -> "Optional[tuple[int, ...]]":
        """Heights the links, routes and neighbours may take so that the console and
        the captures keep their minimum rows; None when everything fits as it is.

        Textual cannot honour min-heights that add up to more than the screen: the
        captures then land below its bottom edge. So the state panes give way first,
        each in proportion to what it holds (and each keeps a row; it scrolls). With one
        state pane shown (its cap applies to all three: F4 shows another), the console
        keeps a few lines of what the last command printed. `main_h`: the rows of the
        panes' column."""
        if not main_h:
            return None
        state = self._state_panes()
        live = self._live_panes()
        if one_pane:
            want = [min(state[self.current_pane].row_count + 3, self.ONE_PANE_MAX)]
        else:
            want = [min(p.row_count + 3, cap) for p, cap in zip(state, (12, 9, 9))]
        live_want = [min(p.row_count + 3, 10) if p.has_rows else 0 for p in live]
        needed = (self.CONSOLE_CROWDED if one_pane else self.CONSOLE_MIN) + \
            (self.CAPTURES_MIN if captures_open else 0)
        tables = max(want[1:], default=0) if side_by_side else sum(want[1:])
        budget = main_h - needed
        if want[0] + tables + sum(live_want) <= budget:
            return None
        base = [want[0], max(want[1], want[2])] if side_by_side else want
        # the netfilter panes are extra: when even a row each does not fit, they step
        # aside (conntrack first) until there is room again
        for i in reversed(range(len(live_want))):
            shown = [w for w in live_want if w > 0]
            if self.PANE_MIN * (len(base) + len(shown)) <= budget or live_want[i] <= 0:
                continue
            live_want[i] = -1                  # squeezed out
        parts = base + [w for w in live_want if w > 0]
        room = max(budget, self.PANE_MIN * len(parts))
        extra = room - self.PANE_MIN * len(parts)
        over = sum(w - self.PANE_MIN for w in parts) or 1
        got = iter([self.PANE_MIN + (w - self.PANE_MIN) * extra // over for w in parts])
        first = next(got)
        caps = [first]
        if one_pane:
            caps += [first, first]
        elif side_by_side:
            both = next(got)
            caps += [both, both]
        else:
            caps += [next(got), next(got)]
        caps += [next(got) if w > 0 else (0 if w < 0 else None) for w in live_want]
        return tuple(caps)

    def _live_panes(self) -> tuple[NetfilterTable, ConntrackTable]:
        return self.query_one(NetfilterTable), self.query_one(ConntrackTable)

    def _state_panes(self) -> tuple[LinkList, RouteTable, NeighTable]:
        return self.query_one(LinkList), self.query_one(RouteTable), self.query_one(NeighTable)
