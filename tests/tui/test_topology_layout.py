"""The picture's layout (vethtui.topology): plain text, deterministic, every line joining
the two ports it stands for."""
from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vethtui.labs.loader import world_for_lab
from vethtui.runner import run_lines
from vethtui.topology import (Box, Port, Snapshot, layout, render, snapshot)

FIRST_STEPS = ["ip link add veth0 type veth peer name veth1",
               "ip addr add 192.168.2.11/24 dev veth0",
               "ip link set veth0 up", "ip link set veth1 up"]


def key(world, ns: str, dev: str) -> tuple[int, str]:
    """A port's key: its namespace's identity (net_cookie), then the device's name."""
    return (cookie(world, ns), dev)


def cookie(world, ns: str) -> int:
    return (world.init_net if ns == "host" else world.netns[ns]).net_cookie


def world_after(lab: str, lines: list[str]):
    world = world_for_lab(lab, 0)
    result = run_lines(world, lines, settle=0, capture=False)
    bad = [(c.cmd, c.output) for c in result.commands if c.status]
    assert not bad
    return world


# ---------------------------------------------------------------- following the lines

TURNS = {  # (direction, char) -> new direction; straight on through ─ │ ┼
    ((1, 0), "┐"): (0, 1), ((1, 0), "┘"): (0, -1),
    ((-1, 0), "┌"): (0, 1), ((-1, 0), "└"): (0, -1),
    ((0, 1), "┘"): (-1, 0), ((0, 1), "└"): (1, 0),
    ((0, -1), "┐"): (-1, 0), ((0, -1), "┌"): (1, 0),
}


def follow(pic, start_key):
    """Walk the line leaving `start_key`'s port, character by character, and return the
    port it ends on (the key whose marker is there)."""
    row, x = pic.ports[start_key]
    at_marker = {pos: key for key, pos in pic.ports.items()}
    slot = pic.slots[start_key]
    d = (1, 0) if slot[3] else (-1, 0)
    y = row
    for _ in range(10000):
        x, y = x + d[0], y + d[1]
        if (y, x) in at_marker:
            return at_marker[(y, x)]
        ch = pic.lines[y][x]
        if ch in "─│┼":
            if (ch == "─" and d[1]) or (ch == "│" and d[0]):
                raise AssertionError(f"line broken at row {y} col {x}: {ch!r} going {d}")
            continue
        if (d, ch) in TURNS:
            d = TURNS[(d, ch)]
            continue
        raise AssertionError(f"line broken at row {y} col {x}: {ch!r} going {d}\n{pic.text()}")
    raise AssertionError("line never ends")


def assert_lines_join(pic):
    for (a, b) in pic.wires:
        assert follow(pic, a) == b, pic.text()
        assert follow(pic, b) == a, pic.text()


# ---------------------------------------------------------------- the article

def test_one_box_with_the_pair_joined_and_its_addresses():
    world = world_after("default", FIRST_STEPS)
    pic = layout(snapshot(world), 140)
    text = pic.text()
    assert pic.mode == "two"
    host = [ln for ln in text.splitlines() if "veth" in ln]
    assert host == [
        "│ veth1            UP                         ●───────┐",
        "│ veth0            UP         192.168.2.11/24 ●───────┘",
    ]
    assert "┌─ host " in text and "┌─ LAN lan0 " in text
    assert "│ eth0             UP         192.168.1.11/24 ●─────────┘" in text
    assert "gateway eth0 UP 192.168.1.1/24" in text
    assert "lo               UNKNOWN    127.0.0.1/8     ↺" in text
    assert_lines_join(pic)
    assert pic.wire_of[key(world, "host", "veth0")] == (key(world, "host", "veth1"),
                                                         key(world, "host", "veth0"))


def test_veth1_moved_into_a_namespace_makes_two_boxes_with_the_line_between():
    world = world_after("default", FIRST_STEPS + [
        "ip netns add ns1", "ip link set veth1 netns ns1",
        "ip -n ns1 addr add 192.168.2.12/24 dev veth1", "ip -n ns1 link set veth1 up"])
    pic = layout(snapshot(world), 140)
    assert pic.text().splitlines()[:3] == [
        "┌─ host ──────────────────────────────────────┐                 "
        "┌─ ns1 ────────────────────────────┐",
        "│ lo               UNKNOWN    127.0.0.1/8     ↺                 "
        "↺ lo    DOWN                       │",
        "│ eth0             UP         192.168.1.11/24 ●───────┐ ┌───────"
        "● veth1 UP   192.168.2.12/24       │",
    ]
    assert_lines_join(pic)
    assert follow(pic, key(world, "host", "veth0")) == key(world, "ns1", "veth1")
    assert follow(pic, key(world, "host", "eth0")) == ("LAN", "lan0")


def test_two_namespaces_and_the_pair_between_them():
    world = world_after("netns", [
        "ip netns add ns1", "ip netns add ns2",
        "ip link add veth0 netns ns1 type veth peer name veth1 netns ns2",
        "ip -n ns1 addr add 10.1.1.1/24 dev veth0", "ip -n ns2 addr add 10.1.1.2/24 dev veth1",
        "ip -n ns1 link set veth0 up", "ip -n ns2 link set veth1 up"])
    assert render(world) == "\n".join([
        "┌─ host ──┐               ┌─ ns1 ──────────────────┐",
        "│ lo DOWN ↺               ↺ lo    DOWN             │",
        "└─────────┘       ┌───────● veth0 UP   10.1.1.1/24 │",
        "                  │       └────────────────────────┘",
        "                  │",
        "                  │       ┌─ ns2 ──────────────────┐",
        "                  │       ↺ lo    DOWN             │",
        "                  └───────● veth1 UP   10.1.1.2/24 │",
        "                          └────────────────────────┘",
    ])


def bridge_world():
    lines = ["ip link add br0 type bridge", "ip link set br0 up", "ip addr add 10.0.0.1/24 dev br0"]
    for i in (1, 2, 3):
        lines += [f"ip netns add ns{i}",
                  f"ip link add veth{i} type veth peer name eth0 netns ns{i}",
                  f"ip link set veth{i} master br0", f"ip link set veth{i} up",
                  f"ip -n ns{i} addr add 10.0.0.{10 + i}/24 dev eth0",
                  f"ip -n ns{i} link set eth0 up"]
    return world_after("netns", lines)


def test_a_bridge_is_a_switch_with_its_ports_as_lines():
    world = bridge_world()
    pic = layout(snapshot(world), 140)
    lines = pic.text().splitlines()
    assert lines[1:6] == [
        "│ lo           DOWN             ↺                   ↺ lo   DOWN              │",
        "│ br0 (switch) UP   10.0.0.1/24 │       ┌───────────● eth0 UP   10.0.0.11/24 │",
        "│ ├ veth1      UP               ●───────┘           └────────────────────────┘",
        "│ ├ veth2      UP               ●─────────┐",
        "│ └ veth3      UP               ●─────────┼─┐       ┌─ ns2 ──────────────────┐",
    ]
    assert_lines_join(pic)
    for i in (1, 2, 3):
        assert follow(pic, key(world, "host", f"veth{i}")) == key(world, f"ns{i}", "eth0")


# ---------------------------------------------------------------- states and colours

def test_states_as_ip_prints_them_with_no_carrier_for_a_peer_down_elsewhere():
    world = world_after("netns", ["ip netns add ns1",
                                  "ip link add veth0 type veth peer name veth1 netns ns1",
                                  "ip link set veth0 up"])
    snap = snapshot(world)
    host = {p.name: p for p in snap.boxes[0].ports}
    ns1 = {p.name: p for p in snap.boxes[1].ports}
    assert host["veth0"].state == "NO-CARRIER"
    assert ns1["veth1"].state == "DOWN"
    assert host["lo"].state == "DOWN"
    pic = layout(snap, 140)
    tags = {tag for row in pic.spans for _a, _b, tag in row}
    assert {"state:NO-CARRIER", "state:DOWN", "name", "border", "title:netns"} <= tags
    same = world_after("netns", ["ip link add veth0 type veth peer name veth1",
                                 "ip link set veth0 up"])
    assert {p.name: p.state for p in snapshot(same).boxes[0].ports}["veth0"] == "LOWERLAYERDOWN"


# ---------------------------------------------------------------- determinism and stability

def test_the_same_state_draws_the_same_picture():
    a = render(bridge_world())
    b = render(bridge_world())
    assert a == b


def test_boxes_stay_where_they_were_when_a_namespace_comes():
    lines = ["ip netns add ns1", "ip link add veth0 type veth peer name veth1 netns ns1"]
    wb = world_after("netns", lines)
    wa = world_after("netns", lines + ["ip netns add ns2"])
    before, after = layout(snapshot(wb), 140), layout(snapshot(wa), 140)
    assert before.boxes[cookie(wb, "host")] == after.boxes[cookie(wa, "host")]
    assert before.boxes[cookie(wb, "ns1")] == after.boxes[cookie(wa, "ns1")]
    ns1, ns2 = cookie(wa, "ns1"), cookie(wa, "ns2")
    assert ns2 in after.boxes and after.boxes[ns2][0] > after.boxes[ns1][2]


def test_narrow_pictures_go_to_one_column_then_to_words():
    world = world_after("default", FIRST_STEPS + ["ip netns add ns1",
                                                  "ip link set veth1 netns ns1"])
    snap = snapshot(world)
    assert layout(snap, 140).mode == "two"
    one = layout(snap, 60)
    assert one.mode == "one" and one.width <= 60
    assert_lines_join(one)
    words = layout(snap, 40)
    assert words.mode == "words"
    assert "⇄ ns1 veth1" in words.text() and "⇄ host veth0" in words.text()
    assert "⇄ lan0 (LAN)" in words.text()


@settings(max_examples=40, deadline=None)
@given(st.integers(min_value=0, max_value=10_000), st.integers(min_value=1, max_value=6),
       st.integers(min_value=1, max_value=12), st.sampled_from([60, 100, 140, 400]))
def test_every_line_joins_its_two_ports(seed, namespaces, pairs, width):
    """Random namespaces and veth pairs (ends anywhere): each wire drawn leads from one
    port to its peer and nowhere else."""
    rng = random.Random(seed)
    names = ["host"] + [f"ns{i}" for i in range(1, namespaces + 1)]
    ports: dict[str, list[Port]] = {n: [Port((n, "lo"), "lo", "loopback", "UNKNOWN")]
                                    for n in names}
    for i in range(pairs):
        a, b = rng.choice(names), rng.choice(names)
        ka, kb = (a, f"va{i}"), (b, f"vb{i}")
        ports[a].append(Port(ka, ka[1], "veth", "UP", (f"10.{i}.0.1/24",), link=kb))
        ports[b].append(Port(kb, kb[1], "veth", "UP", (), link=ka))
    snap = Snapshot(tuple(Box(n, "netns", tuple(ports[n])) for n in names))
    pic = layout(snap, width)
    assert all(len(line) == pic.width for line in pic.lines)
    if pic.mode != "words":
        assert len(pic.wires) == pairs
        assert_lines_join(pic)
    assert layout(snap, width).lines == pic.lines


@pytest.mark.parametrize("width", [80, 140])
def test_a_big_topology_draws(width):
    """50 namespaces, each with a port on the host's bridge and a pair to the next one."""
    snap = big_snapshot(50)
    pic = layout(snap, width)
    assert pic.height > 50
    if pic.mode != "words":
        assert_lines_join(pic)


def big_snapshot(n: int) -> Snapshot:
    from benchmarks.topology import big_snapshot as make
    return make(n)
