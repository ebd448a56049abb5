"""The keys' descriptions (footer, help, palette) in the learner's language.

Textual reads a binding's description from the class's BINDINGS, built once when
the module is imported: before `--lang` is known. `localise_bindings()` runs when
an app is made (after `set_language`) and gives every vethtui widget class a
translated copy of its merged bindings; instances copy them when they are made,
so every pane, screen and dialog shows its keys in the language in force. The
English originals are kept, so a later call in another language starts from them.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Iterator

from textual.binding import BindingsMap
from textual.dom import DOMNode

from ..i18n import _

_ENGLISH = "_vethtui_english_bindings"


def _node_classes(base: type = DOMNode) -> Iterator[type]:
    for cls in base.__subclasses__():
        yield cls
        yield from _node_classes(cls)


def translated(bindings: BindingsMap) -> BindingsMap:
    """A copy of `bindings` with each description through the catalogue."""
    keys = {key: [replace(b, description=_(b.description)) if b.description else b
                  for b in group]
            for key, group in bindings.key_to_bindings.items()}
    return BindingsMap.from_keys(keys)


def localise_bindings() -> None:
    """Every vethtui widget class's bindings, described in the language in force."""
    for cls in set(_node_classes()):
        if not cls.__module__.startswith("vethtui."):
            continue
        english = cls.__dict__.get(_ENGLISH)
        if english is None:
            english = cls._merged_bindings
            if english is None:
                continue
            setattr(cls, _ENGLISH, english)
        cls._merged_bindings = translated(english)


def localise_instance(node: DOMNode) -> None:
    """Bindings an instance added itself (the App's command palette key)."""
    node._bindings = translated(node._bindings)
