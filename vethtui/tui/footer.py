"""The footer, with the keys in the order a learner needs them.

Textual lists a focused widget's keys first (the Input's Ctrl+W and Ctrl+C),
then the app's; this footer sorts them by `ORDER` instead. It shows the keys
that fit whole, in that order, and leaves out the rest: Textual's footer
scrolls what overflows under the palette key docked at its right, which cut a
key mid-word ("f9 Namesp") and, in Chinese, a wide character of the palette
key itself ("^p 命" at 100 columns); the left-out keys are all in F1's help.
"""
from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

# a capture view's pause, stop and close come right after Ctrl+C and F1 while one is open
# (at 80 columns the footer holds six or seven keys); without one the order is unchanged
ORDER = ("ctrl+c", "f1", "f5", "f8", "ctrl+w", "f2", "f3", "f4", "f9", "enter", "c", "f6", "f7",
         "escape", "ctrl+q")


class KeyFooter(Footer):
    def compose(self) -> ComposeResult:
        self._forget_removed_keys()
        widgets = list(super().compose())
        keys = [w for w in widgets
                if isinstance(w, FooterKey) and not w.has_class("-command-palette")]
        rank = {k: i for i, k in enumerate(ORDER)}
        keys.sort(key=lambda w: rank.get(w.key, len(ORDER)))
        yield from keys
        yield from (w for w in widgets if w not in keys)
        self.call_after_refresh(self._fit)

    def on_resize(self) -> None:
        self.call_after_refresh(self._fit)

    def _fit(self) -> None:
        """Show each key, in order, that still fits beside the palette key (a long one
        left out leaves its room to the shorter ones after it)."""
        if not self.is_attached:
            return
        items = [w for w in self.children if not w.has_class("-command-palette")]
        room = self.size.width - sum(self._width(w) for w in self.children
                                     if w.has_class("-command-palette"))
        used = 0
        for w in items:
            width = self._width(w)
            fits = used + width <= room
            if w.display != fits:
                w.display = fits
            if fits:
                used += width

    def _width(self, w) -> int:
        """The cells a key takes, whether shown or not (its text, gutter and margin)."""
        content = w.get_content_width(self.size, self.app.size)
        return content + w.styles.gutter.width + w.styles.margin.width

    def _forget_removed_keys(self) -> None:
        """Footer binds each key it makes to its `compact` (data_bind), and Textual drops
        a watcher only when the watched value changes, which `compact` never does: every
        recompose (a focus change, a binding refreshed) kept the old keys alive. The
        5,000-event monkey saw memory grow by 45 MB per 1,000 events; 30 F4 presses left
        658 removed keys behind."""
        watchers = getattr(self, "__watchers", None)
        if not watchers:
            return
        for name, entries in watchers.items():
            entries[:] = [(node, callback) for node, callback in entries
                          if getattr(node, "is_attached", True)]
