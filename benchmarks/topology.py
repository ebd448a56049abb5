"""The topology picture's redraw: 50 namespaces, 200 links (`python -m benchmarks --only topology`).

The world: a bridge in the host with one veth port per namespace (50 pairs), and a
ring of veth pairs joining each namespace to the next (50 pairs): 200 veth devices,
plus each namespace's lo and the bridge. A redraw is what the pane does when a link
changes: read the kernel (`snapshot`), lay the picture out (`layout`), and style the
rows the screen shows (`row_segments`, the segments Textual's strips are made of), at
140 columns (the picture as it fits) and unbounded (every line drawn), with a packet's
path lit. The aim is 16 ms (a frame at 60 Hz). Wall-clock figures (median, best, worst)
and the CPU time of the same redraw (median) are reported: on a machine shared with
other work the wall clock includes waiting for a core.
"""
from __future__ import annotations

import statistics
import time

from vethtui.labs.builtin import build
from vethtui.runner import run_lines
from vethtui.topology import Snapshot, layout, snapshot

AIM_MS = 16.0


def big_world(n: int = 50):
    """`n` namespaces on a bridge and in a ring: 4n veth devices."""
    world = build("netns", 0)
    lines = ["ip link add br0 type bridge", "ip link set br0 up"]
    for i in range(1, n + 1):
        lines += [f"ip netns add ns{i}",
                  f"ip link add vh{i} type veth peer name eth0 netns ns{i}",
                  f"ip link set vh{i} master br0", f"ip link set vh{i} up",
                  f"ip -n ns{i} addr add 10.0.{i}.1/16 dev eth0",
                  f"ip -n ns{i} link set eth0 up"]
    for i in range(1, n + 1):
        j = i % n + 1
        lines.append(f"ip link add r{i}a netns ns{i} type veth peer name r{j}b netns ns{j}")
    res = run_lines(world, lines, settle=0, capture=False)
    bad = [c for c in res.commands if c.status]
    if bad:
        raise RuntimeError(f"benchmark setup failed: {bad[0].cmd}: {bad[0].output.strip()}")
    return world


def big_snapshot(n: int = 50) -> Snapshot:
    return snapshot(big_world(n))


def _time(fn, repeat: int, clock=time.perf_counter) -> list[float]:
    out = []
    for _ in range(repeat):
        t0 = clock()
        fn()
        out.append((clock() - t0) * 1000)
    return out


def measure(n: int = 50, repeat: int = 30, rows: int = 45) -> dict:
    from vethtui.tui.topology import PATH, Overlay, row_segments
    world = big_world(n)
    devices = sum(len(net.devices_in_order()) for net in [world.init_net, *world.netns.values()])
    veths = sum(1 for net in world.netns.values() for d in net.devices_in_order()
                if d.kind == "veth") + sum(1 for d in world.init_net.devices_in_order()
                                           if d.kind == "veth")
    result: dict = {"namespaces": n + 1, "devices": devices, "veth_links": veths}

    def redraw(width: int, all_rows: bool) -> None:
        pic = layout(snapshot(world), width)
        overlay = Overlay()
        for key in list(pic.wires)[:3]:
            overlay.wires[key] = PATH
            overlay.ports[key[0]] = PATH
        upto = pic.height if all_rows else min(rows, pic.height)
        for r in range(upto):
            row_segments(pic, r, overlay)

    for width, label in ((140, "140"), (100_000, "unbounded")):
        pic = layout(snapshot(world), width)
        result[f"picture_{label}"] = f"{pic.width}x{pic.height}, {pic.mode}, {len(pic.wires)} lines"
        screen = _time(lambda: redraw(width, False), repeat)
        whole = _time(lambda: redraw(width, True), max(5, repeat // 3))
        result[f"redraw_{label}_ms"] = round(statistics.median(screen), 2)
        result[f"redraw_{label}_best_ms"] = round(min(screen), 2)
        result[f"redraw_{label}_max_ms"] = round(max(screen), 2)
        # CPU time: the work itself, which a machine shared with other jobs cannot inflate
        cpu = _time(lambda: redraw(width, False), repeat, time.process_time)
        result[f"redraw_{label}_cpu_ms"] = round(statistics.median(cpu), 2)
        result[f"redraw_{label}_all_rows_ms"] = round(statistics.median(whole), 2)
    snap_times = _time(lambda: snapshot(world), repeat)
    result["snapshot_ms"] = round(statistics.median(snap_times), 2)
    result["snapshot_best_ms"] = round(min(snap_times), 2)
    snap = snapshot(world)
    result["layout_140_best_ms"] = round(min(_time(lambda: layout(snap, 140), repeat)), 2)
    result["aim_ms"] = AIM_MS
    return result


if __name__ == "__main__":  # pragma: no cover
    for k, v in measure().items():
        print(f"{k}: {v}")
