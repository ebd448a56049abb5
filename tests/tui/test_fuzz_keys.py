"""A monkey at the keyboard: a seeded stream of keys, pastes and resizes over every pane.

Whatever it does (F-keys opening and closing panes and screens, Ctrl+C, Ctrl+W,
Tab, half-typed commands, pastes of several lines, clicks anywhere, a terminal
shrinking to 60x20 and growing to 200x60, with three capture views open) the app must not raise, hang or lose its console: at the
end it still runs a command typed into it. The stream is short here (the suite's
budget); `VETHTUI_FUZZ_EVENTS=20000` runs a longer one.
"""
from __future__ import annotations

import os
import random

from textual import events

from vethtui.tui.prompt import CommandInput
from vethtui.tui.scrollback import Scrollback

from .conftest import lab_app

EVENTS = int(os.environ.get("VETHTUI_FUZZ_EVENTS", "400"))
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


async def test_a_seeded_monkey_leaves_a_working_console():
    rng = random.Random(7)
    app = lab_app("02-arp-accept-local")
    async with app.run_test(size=(120, 36)) as pilot:
        for line in ("tcpdump -i veth0 -n", "tcpdump -i veth1 -n", "tcpdump -i lo -n"):
            app.query_one(CommandInput).value = line        # three views open to start with
            await pilot.press("enter")
            app.engine.settle(0.1)
            await pilot.pause()
        size = (120, 36)
        for i in range(EVENTS):
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
        # back to the console, nothing running: it still takes a command
        for _ in range(6):
            await pilot.press("escape")
        await pilot.press("ctrl+c")
        app.engine.settle(5.0)
        await pilot.pause()
        prompt = app.query_one(CommandInput)
        prompt.focus()
        prompt.value = "echo the console still answers"
        await pilot.press("enter")
        for _ in range(50):
            app.engine.settle(0.1)
            await pilot.pause()
            if "\nthe console still answers" in app.query_one(Scrollback).text:
                break
        assert "\nthe console still answers" in app.query_one(Scrollback).text
