"""`ip -j` / `ip -j -p`: the writer is iproute2's json_writer.c, and what the simulator prints
for the recorded scenarios parses to the same JSON as iproute2 6.1's output on the kernel."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.oraclecmp import Normaliser, load, simulate
from vethtui.tools.ip.jsonout import dumps

SCEN = Path(__file__).parent / "oracle" / "scenarios"
JSON_GOLDENS = sorted(SCEN.glob("ipj_*.sh"))


def test_writer_compact_and_pretty():
    v = [{"ifindex": 3, "flags": ["UP", "LOWER_UP"], "addr_info": [{"a": 1}, {"b": True}],
          "e": [], "n": None}]
    assert dumps(v) == '[{"ifindex":3,"flags":["UP","LOWER_UP"],"addr_info":[{"a":1},{"b":true}],"e":[],"n":null}]\n'
    assert dumps(v, pretty=True) == (
        '[ {\n'
        '        "ifindex": 3,\n'
        '        "flags": [ "UP","LOWER_UP" ],\n'
        '        "addr_info": [ {\n'
        '                "a": 1\n'
        '            },{\n'
        '                "b": true\n'
        '            } ],\n'
        '        "e": [ ],\n'
        '        "n": null\n'
        '    } ]\n')
    assert dumps([]) == "[]\n" and dumps([], pretty=True) == "[ ]\n"
    assert dumps([{}]) == "[{}]\n"


def test_writer_escapes_like_jsonw_puts():
    assert dumps(["a\"b\\c\td\n"]) == '["a\\"b\\\\c\\td\\n"]\n'


def _json_outputs(events: list[dict]) -> list[tuple[str, object]]:
    norm = Normaliser()
    out = []
    for e in events:
        if e.get("type") == "command" and " -j" in e["cmd"] and e["status"] == 0:
            out.append((e["cmd"], json.loads(norm(e["output"]) or "null")))
    return out


@pytest.mark.parametrize("script", JSON_GOLDENS, ids=[p.stem for p in JSON_GOLDENS])
def test_json_parses_identically(script: Path):
    golden = _json_outputs(load(script.with_suffix(".golden.jsonl")))
    got = _json_outputs(simulate(script))
    assert len(golden) >= 8
    assert got == golden


def test_json_comes_from_the_state():
    """Change the state between two dumps and the objects change with it."""
    from vethtui.labs.builtin import build
    from vethtui.runner import run_lines
    world = build("netns", 0)
    res = run_lines(world, ["ip link add a0 type veth peer name a1", "ip -j link show a0",
                            "ip link set a0 mtu 1400 up", "ip link set a0 alias uplink",
                            "ip -j link show a0", "ip -j link show type bridge"], settle=0)
    first, second = json.loads(res.commands[1].output), json.loads(res.commands[4].output)
    assert first[0]["mtu"] == 1500 and "UP" not in first[0]["flags"] and "ifalias" not in first[0]
    assert second[0]["mtu"] == 1400 and "UP" in second[0]["flags"]
    assert second[0]["ifalias"] == "uplink" and second[0]["link"] == "a1"
    assert json.loads(res.commands[5].output) == []
