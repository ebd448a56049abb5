"""The default lab's web server is a process of the simulated world: it must not exist
before the world's clock runs. Its coroutine, made while the world was built, was never
awaited in every world dropped unrun (a TUI test's app with drive_clock=False, a lab
reset), about 34 RuntimeWarnings a suite run."""
from __future__ import annotations

import gc
import warnings

from tests.conftest import Shell
from vethtui.labs.builtin import build_default
from vethtui.labs.internet import WEB_SERVER


def test_a_default_world_dropped_unrun_leaves_no_unawaited_coroutine():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        world = build_default(seed=1)
        del world
        gc.collect()
    never = [w for w in caught if "never awaited" in str(w.message)]
    assert never == []


def test_the_server_answers_once_the_clock_runs():
    host = Shell("default")
    r = host(f"curl -s -o /dev/null -w '%{{http_code}}\\n' http://{WEB_SERVER}/")
    assert (r.status, r.output) == (0, "200\n")
