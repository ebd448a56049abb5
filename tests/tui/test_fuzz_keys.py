"""A monkey at the keyboard (benchmarks/fuzz.py): a seeded stream of keys, pastes,
clicks and resizes over every pane, with three capture views open, must leave a
console that still runs a command. The stream is short here (the suite's budget);
`VETHTUI_FUZZ_EVENTS=20000`, or `python -m benchmarks --only fuzz` (5,000 events,
with memory figures), runs a longer one.
"""
from __future__ import annotations

import os

from benchmarks.fuzz import monkey

from .conftest import lab_app

EVENTS = int(os.environ.get("VETHTUI_FUZZ_EVENTS", "400"))


async def test_a_seeded_monkey_leaves_a_working_console():
    app = lab_app("02-arp-accept-local")
    async with app.run_test(size=(120, 36)) as pilot:
        assert await monkey(app, pilot, EVENTS, seed=7)
