"""The app's header: Textual's, with a title that repaints one row.

Header's title is a Static, and `Static.update` re-lays the whole screen out by
default. The title holds the virtual clock, which changes several times a second
while the clock runs, so every change reflowed and repainted every pane. The
title's size never depends on its text (one row, the width the header gives it),
so a repaint of that row is all a change needs.
"""
from __future__ import annotations

from textual.app import ComposeResult
from textual.visual import VisualType
from textual.widgets import Header
from textual.widgets._header import HeaderClockSpace, HeaderIcon, HeaderTitle


class RepaintedTitle(HeaderTitle):
    """The header's title: a new text repaints it and nothing else."""

    def update(self, content: VisualType = "", *, layout: bool = False) -> None:
        super().update(content, layout=False)


class AppHeader(Header):
    """Header (no wall clock: the app shows its virtual one in the title)."""

    def compose(self) -> ComposeResult:
        yield HeaderIcon().data_bind(Header.icon)
        yield RepaintedTitle()
        yield HeaderClockSpace()
