"""Every recorded scenario, replayed on the simulator and compared with the real kernel.

The goldens were recorded on Linux 6.18 with ../shared/oracle/oracle.py (see
README.md, "Fidelity"); the comparison is the oracle's own normalisation.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.labs.lab_scenarios import KNOWN_DIFFERENCES
from tests.oraclecmp import compare, load, scenarios, simulate

HERE = Path(__file__).parent / "oracle"
ALL = scenarios(HERE / "public") + scenarios(HERE / "scenarios")


@pytest.mark.parametrize("script", ALL, ids=[p.stem for p in ALL])
def test_scenario_matches_golden(script: Path):
    if script.stem in KNOWN_DIFFERENCES:   # a lab's path: its known difference, exactly
        pytest.skip("compared line by line in tests/labs/test_lab_goldens.py")
    golden = load(script.with_suffix(".golden.jsonl"))
    got = simulate(script)
    ok, total, matched, lines, report = compare(golden, got)
    assert ok == total, "\n".join(report)
    assert matched == lines, "\n".join(report)
