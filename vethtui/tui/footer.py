"""The footer, with the keys in the order a learner needs them.

Textual lists a focused widget's keys first (the Input's Ctrl+W and Ctrl+C),
then the app's; this footer sorts them by `ORDER` instead.
"""
from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

ORDER = ("ctrl+c", "f1", "f2", "f3", "f4", "f9", "enter", "c", "f5", "f6", "f7", "f8", "ctrl+w",
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
