"""A monkey at the keyboard: a seeded stream of keys, pastes, clicks and resizes.

Whatever it does (F-keys opening and closing panes and screens, Ctrl+C, Ctrl+W, Tab,
half-typed commands, pastes of several lines, clicks anywhere, a terminal shrinking to
60x20 and growing to 200x60, with three capture views open) the app must not raise,
hang or lose its console: at the end it still runs a command typed into it, and its
memory stays bounded. The suite runs a short stream (tests/tui/test_fuzz_keys.py);
`python -m benchmarks --only fuzz` runs 5,000 events and reports the figures.

    python -m benchmarks.fuzz [--events N] [--seed S]
"""
from __future__ import annotations

import argparse
import asyncio
import os
import random
import sys
import tempfile
import time

KEYS = (["f1", "f2", "f3", "f4", "f5", "f6", "f7", "f8", "f9", "f10", "f11", "f12",
         "ctrl+c", "ctrl+w", "ctrl+t", "ctrl+l", "ctrl+n", "ctrl+b", "ctrl+g", "escape",
         "tab", "enter", "up", "down", "left", "right", "pageup", "pagedown", "home", "end",
         "backspace", "space", "number_sign", "j", "k", "c", "q", "n", "p", "f"]
        + list("ip link 0123"))
LINES = ["ip link add veth0 type veth peer name veth1", "ip link set veth0 up",
         "ip addr add 192.168.2.11/24 dev veth0", "tcpdump -i veth0 -n", "tcpdump -i lo",
         "ping -c 2 192.168.2.12", "ping -f -c 50 192.168.1.1", "explain", "ip netns add ns1",
         "iptables -A OUTPUT -j ACCEPT", "sleep 1 &", "ip route", "route -n", "ip neigh",
         "arp -n", "tcpdump -i any -c 5", "ip link del veth0", "help", "bogus --x"]
SIZES = [(60, 20), (80, 24), (100, 30), (140, 45), (120, 36), (200, 60)]
PROOF = "the console still answers"


def _rss_mb() -> float:
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return float("nan")


async def monkey(app, pilot, n_events: int, seed: int = 7, rss: "list | None" = None) -> bool:
    """Drive `app` (under `pilot`, three capture views opened first) with `n_events`
    seeded events; True when the console still runs a command afterwards. `rss`, if
    given, receives the process's resident memory every 500 events."""
    from textual import events

    from vethtui.tui.prompt import CommandInput
    from vethtui.tui.scrollback import Scrollback

    rng = random.Random(seed)
    for line in ("tcpdump -i veth0 -n", "tcpdump -i veth1 -n", "tcpdump -i lo -n"):
        app.query_one(CommandInput).value = line
        await pilot.press("enter")
        app.engine.settle(0.1)
        await pilot.pause()
    size = (120, 36)
    for i in range(n_events):
        roll = rng.random()
        if roll < 0.70:
            await pilot.press(rng.choice(KEYS))
        elif roll < 0.88:
            line = rng.choice(LINES)
            if isinstance(app.focused, CommandInput) and app.screen is app.screen_stack[0]:
                app.focused.value = line
            await pilot.press("enter")
        elif roll < 0.93:
            block = "\n".join(rng.sample(LINES, 3)) + ("\n" if rng.random() < 0.5 else "")
            app.query_one(CommandInput).post_message(events.Paste(block))
        elif roll < 0.98:
            await pilot.click(offset=(rng.randrange(size[0]), rng.randrange(size[1])))
        else:
            size = rng.choice(SIZES)
            await pilot.resize_terminal(*size)
        if i % 20 == 0:
            app.engine.settle(rng.choice((0.0, 0.2, 1.5)))
            await pilot.pause()
        if rss is not None and i % 500 == 0:
            rss.append(_rss_mb())
    # back to the console, nothing running: it still takes a command
    for _ in range(6):
        await pilot.press("escape")
    await pilot.press("ctrl+c")
    app.engine.settle(5.0)
    await pilot.pause()
    prompt = app.query_one(CommandInput)
    prompt.focus()
    prompt.value = f"echo {PROOF}"
    await pilot.press("enter")
    for _ in range(50):
        app.engine.settle(0.1)
        await pilot.pause()
        if f"\n{PROOF}" in app.query_one(Scrollback).text:
            return True
    return False


def measure(quick: bool = False, n_events: int = 0, seed: int = 7) -> dict:
    """The monkey over lab 02 on a fresh app: events run, time, the console's answer,
    and resident memory along the way."""
    n = n_events or (1000 if quick else 5000)
    with tempfile.TemporaryDirectory() as data:
        os.environ["VETHTUI_DATA_DIR"] = data
        from vethtui.tui.app import make_app
        app = make_app("02-arp-accept-local", seed=0, speed="1", drive_clock=False,
                       highlight_seconds=0)
        rss: list = []
        errors: list = []

        async def go() -> bool:
            async with app.run_test(size=(120, 36)) as pilot:
                return await monkey(app, pilot, n, seed, rss)
        t0 = time.perf_counter()
        try:
            ok = asyncio.run(go())
        except Exception as err:       # what the monkey exists to find
            ok = False
            errors.append(f"{type(err).__name__}: {err}")
        wall = time.perf_counter() - t0
    out = {"events": n, "seed": seed, "wall_s": round(wall, 1),
           "console_answers": ok, "rss_mb": rss + [_rss_mb()]}
    if errors:
        out["error"] = errors[0]
    if len(rss) >= 4:
        half = len(rss) // 2
        out["rss_growth_second_half_mb"] = round(rss[-1] - rss[half], 1)
    return out


def main(argv: "list[str] | None" = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.fuzz")
    ap.add_argument("--events", type=int, default=5000)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args(argv)
    got = measure(n_events=args.events, seed=args.seed)
    for key, val in got.items():
        print(f"{key}: {val}")
    return 0 if got["console_answers"] else 1


if __name__ == "__main__":
    sys.exit(main())
