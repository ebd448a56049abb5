"""Command history kept across runs, as bash keeps ~/.bash_history.

The file lives in vethtui's data directory (paths.data_dir, the one function
for it: $VETHTUI_DATA_DIR when set, which the tests point at a temporary
directory, else the XDG one). bash's HISTCONTROL=ignoreboth: blank lines,
lines starting with a space and repeats of the last line are not kept.
A history that cannot be read or written is simply not kept.
"""
from __future__ import annotations

from pathlib import Path
from typing import Optional

from ..paths import data_dir

LIMIT = 1000


def default_path() -> Path:
    return data_dir() / "history"


class History:
    """Entries oldest first, and a browsing position for Up/Down."""

    def __init__(self, path: Optional[Path] = None, limit: int = LIMIT):
        self.path = path
        self.limit = limit
        self.entries: list[str] = []
        self._pos: Optional[int] = None     # index being shown, None: the draft
        self._draft = ""
        if path is not None:
            try:
                text = path.read_text(encoding="utf-8", errors="replace")
            except OSError:
                text = ""
            self.entries = [ln for ln in text.splitlines() if ln.strip()][-limit:]

    # -- recording ---------------------------------------------------------
    def add(self, line: str) -> None:
        self.reset()
        if not line.strip() or line.startswith(" "):
            return
        if self.entries and self.entries[-1] == line:
            return
        self.entries.append(line)
        if len(self.entries) > self.limit:
            del self.entries[: len(self.entries) - self.limit]
        self._save(line)

    def _save(self, line: str) -> None:
        if self.path is None:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("a", encoding="utf-8") as f:
                f.write(line.replace("\n", " ") + "\n")
            # keep the file bounded, as HISTFILESIZE does
            if self.path.stat().st_size > self.limit * 200:
                self.path.write_text("\n".join(self.entries) + "\n", encoding="utf-8")
        except OSError:
            pass

    # -- browsing ----------------------------------------------------------
    def reset(self) -> None:
        self._pos = None
        self._draft = ""

    def previous(self, current: str) -> Optional[str]:
        """Up: the entry before the one shown (None at the oldest)."""
        if not self.entries:
            return None
        if self._pos is None:
            self._draft = current
            self._pos = len(self.entries) - 1
        elif self._pos > 0:
            self._pos -= 1
        else:
            return None
        return self.entries[self._pos]

    def next(self) -> Optional[str]:
        """Down: the entry after the one shown, then the line being typed."""
        if self._pos is None:
            return None
        if self._pos < len(self.entries) - 1:
            self._pos += 1
            return self.entries[self._pos]
        self._pos = None
        return self._draft
