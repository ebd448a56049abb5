"""Memory after a million captured packets: bounded, whatever the capture volume.

A live capture view on a veth while a flood ping runs through it, on the
engine exactly as the TUI uses it (Engine.open_capture, CaptureSession.drain
into a bounded buffer the size of a view's), in instant mode. The resident
set size is read after every half million packets: if anything grew with the
traffic (traces, capture buffers, command output, drop records), the later
readings would climb; bounded, they stay flat after the first.
"""
from __future__ import annotations

import resource
import time
from collections import deque

from vethtui.engine import make_engine
from vethtui.labs import world_for_lab

from .stack import FLOOD_SETUP

VIEW_LINES = 30_000          # a capture view's bounded log (vethtui/tui/capture_view.py)


def _rss_mb() -> float:
    with open("/proc/self/statm") as f:
        pages = int(f.read().split()[1])
    return pages * resource.getpagesize() / 2 ** 20


def measure(packets: int = 1_000_000, step: int = 250_000) -> dict:
    engine = make_engine(world_for_lab("netns", 0), speed="instant", lab_name="netns")
    for line in FLOOD_SETUP:
        engine.run_command(line)
        engine.settle(0.01)
    ns1 = engine.world.netns["ns1"]
    cs = engine.open_capture(ns1, "veth1", ns1.dev_by_name("veth1").ifindex)
    view: deque = deque(maxlen=VIEW_LINES)
    readings = [("start", 0, round(_rss_mb(), 1))]
    t0 = time.perf_counter()
    seen = 0
    while seen < packets:
        job = engine.run_command(f"ip netns exec ns1 ping -f -q -c {step // 2} 10.0.0.2")
        sched = engine.world.sched
        while not job.done:
            sched.run_while(lambda: not job.done and len(cs.pending) < 20_000,
                            limit=sched.now + 3600)
            view.extend(text for text, _ in cs.drain(50_000))
        view.extend(text for text, _ in cs.drain(50_000))
        seen = cs.captured
        readings.append((f"{seen:,} packets", seen, round(_rss_mb(), 1)))
    wall = time.perf_counter() - t0
    cs.stop()
    mid = readings[len(readings) // 2][2]
    return {
        "packets_captured": seen,
        "wall_s": round(wall, 1),
        "rss_mb": [f"{label}: {mb} MB" for label, _, mb in readings],
        "growth_second_half_mb": round(readings[-1][2] - mid, 1),
        "view_lines_kept": len(view),
        "packets_remembered_for_explain": len(engine.world.packets),
    }


if __name__ == "__main__":
    import json
    print(json.dumps(measure(), indent=2))
