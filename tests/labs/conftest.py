"""Lab tests: progress goes to a temporary data directory, never the user's."""
from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
LABS = ROOT / "labs"
BROKEN = Path(__file__).resolve().parent / "broken"


@pytest.fixture(autouse=True)
def data_dir(tmp_path, monkeypatch):
    d = tmp_path / "data"
    monkeypatch.setenv("VETHTUI_DATA_DIR", str(d))
    for var in ("LC_ALL", "LC_MESSAGES"):           # the lab CLI reads the locale
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    return d
