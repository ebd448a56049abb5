"""Where vethtui keeps what outlives a run (command history, lab progress).

One function for the whole program: $VETHTUI_DATA_DIR when set (the tests point
it at a temporary directory), else the XDG data directory, $XDG_DATA_HOME/vethtui
or ~/.local/share/vethtui (what platformdirs' user_data_dir gives on Linux,
without the dependency). A leaf module: it imports nothing of vethtui.
"""
from __future__ import annotations

import os
from pathlib import Path


def data_dir() -> Path:
    """VETHTUI_DATA_DIR, else $XDG_DATA_HOME/vethtui, else ~/.local/share/vethtui."""
    env = os.environ.get("VETHTUI_DATA_DIR")
    if env:
        return Path(env)
    xdg = os.environ.get("XDG_DATA_HOME")
    base = Path(xdg) if xdg else Path.home() / ".local" / "share"
    return base / "vethtui"
