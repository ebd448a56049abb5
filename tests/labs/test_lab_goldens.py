"""Each new lab's solution path, recorded on the real kernel, replayed on the simulator.

The scenarios are made by tests/labs/lab_scenarios.py from the lab files (setup, then
every step's reference solution); the goldens were recorded on Linux 6.18 with
../shared/oracle/oracle.py, three runs each, identical. A lab whose path the kernel and
vethtui do not yet agree on is held to its known difference, exactly (KNOWN_DIFFERENCES,
with the reason); test_goldens.py leaves those to this file.
"""
from __future__ import annotations

import pytest

from tests.oraclecmp import compare, load, simulate

from .lab_scenarios import (KNOWN_DIFFERENCES, RECORDED, report_differences, scenario_path,
                            scenario_text)


@pytest.mark.parametrize("lab", RECORDED)
def test_the_scenario_is_the_labs_solution_path(lab):
    """A lab edited without re-recording its golden fails here: regenerate the scenario
    (python -m tests.labs.lab_scenarios), record it again on the real kernel."""
    assert scenario_path(lab).read_text() == scenario_text(lab)


@pytest.mark.parametrize("lab", RECORDED)
def test_the_simulator_matches_the_kernel_on_the_labs_path(lab):
    script = scenario_path(lab)
    golden = load(script.with_suffix(".golden.jsonl"))
    ok, total, matched, lines, report = compare(golden, simulate(script))
    assert total > 20 and lines > 15          # the recording is there, and says something
    if script.stem in KNOWN_DIFFERENCES:
        _reason, expected = KNOWN_DIFFERENCES[script.stem]
        assert report_differences(report) == expected, "\n".join(report)
    else:
        assert (ok, matched) == (total, lines), "\n".join(report)
