"""The labs a classroom server offers: the built-in ones and the shipped lab files.

Names are resolved once, when the server starts; a browser can only pick a name
from this list, never a path on the serving machine.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from ..i18n import SUPPORTED, gettext_in


@dataclass(frozen=True)
class LabEntry:
    name: str                     # what the URL says: /lab/NAME
    target: str                   # what the session process is given: a built-in name or a file
    titles: dict[str, str]        # language -> title
    summaries: dict[str, str]     # language -> summary
    languages: tuple[str, ...]    # the languages the lab's texts are written in


# the built-in labs' words for the landing page (translated in vethtui/i18n/zh.py)
BUILTIN_TITLES = {
    "default": "The article's host",
    "netns": "An empty network namespace",
}


def _texts(text, langs) -> dict[str, str]:
    from ..labs.models import text_in
    return {lang: text_in(text, lang) for lang in langs}


def load_catalogue() -> list[LabEntry]:
    """Shipped lab files first (in file order), then the built-in sandboxes."""
    from ..labs.builtin import BUILTIN_LABS
    from ..labs.files import LabFileError, find_labs, load_lab_file
    out: list[LabEntry] = []
    seen: set[str] = set()
    for path in find_labs():
        try:
            spec = load_lab_file(path)
        except (LabFileError, OSError):
            continue                       # `vethtui lab validate` reports it; not offered
        if path.stem in seen:
            continue
        seen.add(path.stem)
        langs = tuple(spec.lab.languages or ["en"])
        out.append(LabEntry(path.stem, str(Path(path).resolve()),
                            _texts(spec.lab.title, SUPPORTED), _texts(spec.lab.summary, SUPPORTED),
                            langs))
    for name in ("default", "netns"):
        if name in BUILTIN_LABS and name not in seen:
            out.append(LabEntry(name, name,
                                {lang: gettext_in(BUILTIN_TITLES[name], lang) for lang in SUPPORTED},
                                {lang: gettext_in(BUILTIN_LABS[name], lang) for lang in SUPPORTED},
                                SUPPORTED))
    return out


def find(catalogue: list[LabEntry], name: str) -> Optional[LabEntry]:
    return next((e for e in catalogue if e.name == name), None)
