"""Shared fixtures: a seeded lab, a console session, and a shell helper."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from vethtui.labs.builtin import build  # noqa: E402
from vethtui.runner import run_lines  # noqa: E402


@pytest.fixture(autouse=True)
def english_after_each_test():
    """The language is per process (make_app sets it, as the command line does): a test
    that opens an app in Chinese must not leave the next one speaking Chinese."""
    yield
    from vethtui.i18n import set_language
    set_language("en")


class Shell:
    """Run command lines in a lab and keep their output, on virtual time."""

    def __init__(self, lab: str = "netns", seed: int = 0):
        self.world = build(lab, seed)
        self.results = []

    def __call__(self, *lines: str, settle: float = 0.0):
        res = run_lines(self.world, list(lines), settle=settle, capture=False)
        self.results.extend(res.commands)
        return res.commands[-1] if len(lines) == 1 else res.commands

    @property
    def net(self):
        return self.world.init_net


@pytest.fixture
def sh():
    return Shell("netns")


@pytest.fixture
def host():
    return Shell("default")


@pytest.fixture(scope="session", autouse=True)
def _work_in_a_scratch_directory(tmp_path_factory):
    """Tools write files only where asked (`tcpdump -w NAME`): in tests, never in the repo."""
    import os
    old = os.getcwd()
    os.chdir(tmp_path_factory.mktemp("cwd"))
    yield
    os.chdir(old)
