"""The app around the panes: header clock, speed, help, palette, layouts, the lab pane hook,
and errors that never reach the user."""
from __future__ import annotations

import sys
import time
import types

import pytest

from vethtui.tui import app as app_module
from vethtui.tui.app import clock_text, make_app, speed_label
from vethtui.tui.help import HelpScreen
from vethtui.tui.links import LinkList
from vethtui.tui.neighbours import NeighTable
from vethtui.tui.routes import RouteTable
from vethtui.tui.scrollback import Scrollback

from .conftest import flush_captures, lab_app, run


def test_clock_and_speed_labels():
    assert clock_text(1795255200.0, 3.25) == "10:00:03.2"
    assert speed_label(1.0) == "1x" and speed_label(10.0) == "10x"
    assert speed_label(float("inf")) == "instant"


async def test_header_has_the_lab_name_and_the_virtual_time():
    app = lab_app("netns")
    async with app.run_test(size=(120, 36)) as pilot:
        assert app.title == "vethtui · netns"
        assert app.sub_title == "10:00:00.0 · speed 1x"
        await run(pilot, "sleep 3", settle=3)
        assert app.sub_title == "10:00:03.0 · speed 1x"


async def test_f2_cycles_the_clock_speed():
    app = lab_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("f2")
        assert app.engine.speed == 10
        assert app.sub_title.endswith("speed 10x")
        await pilot.press("f2")
        assert app.engine.speed == float("inf")
        await pilot.press("f2")
        assert app.engine.speed == 1


async def test_speed_from_the_command_line_and_a_real_clock():
    app = make_app("default", speed="instant", highlight_seconds=0)
    async with app.run_test(size=(120, 36)) as pilot:
        await run(pilot, "ping -c 3 192.168.1.1")
        deadline = time.monotonic() + 20   # wall time: a loaded CI machine is slow
        while time.monotonic() < deadline:
            await pilot.pause(0.02)
            if "3 packets transmitted" in app.query_one(Scrollback).text:
                break
        assert "3 packets transmitted, 3 received" in app.query_one(Scrollback).text
        assert app.sub_title.endswith("speed instant")


async def test_f1_opens_the_help_and_escape_closes_it():
    app = lab_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)


async def test_the_command_palette_lists_the_apps_actions():
    app = lab_app()
    async with app.run_test(size=(120, 36)) as pilot:
        titles = [c.title for c in app.get_system_commands(app.screen)]
        for want in ("Help: supported commands and keys", "Clock speed: real time (1x)",
                     "Clock speed: 10x", "Clock speed: instant", "Routes: main / local table",
                     "Console: clear", "Links: capture on the selected link"):
            assert want in titles
        assert not any(t.startswith("Capture:") for t in titles)
        await run(pilot, "tcpdump -i eth0")
        await flush_captures(pilot)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "Capture: close the view" in titles
        await pilot.press("ctrl+p")
        await pilot.press(*"clock speed instant", "enter")
        await pilot.pause()
        assert app.engine.speed == float("inf")


async def test_f4_shows_one_state_pane_at_a_time_on_a_small_terminal():
    app = lab_app()
    async with app.run_test(size=(80, 24)) as pilot:
        links, routes, neigh = app.query_one(LinkList), app.query_one(RouteTable), \
            app.query_one(NeighTable)
        assert app.screen.has_class("-narrow")
        assert links.display and not routes.display and not neigh.display
        await pilot.press("f4")
        assert app.focused is links
        await pilot.press("f4")
        await pilot.pause()
        assert routes.display and not links.display and app.focused is routes
        await pilot.press("f4")
        await pilot.pause()
        assert neigh.display and app.focused is neigh


async def test_all_panes_show_on_a_large_terminal():
    app = lab_app()
    async with app.run_test(size=(140, 45)):
        assert app.screen.has_class("-wide") and app.screen.has_class("-tall")
        assert all(p.display for p in (app.query_one(LinkList), app.query_one(RouteTable),
                                       app.query_one(NeighTable)))


async def test_a_pane_that_fails_reports_in_the_console_and_the_lab_goes_on(monkeypatch):
    def broken(self):
        raise RuntimeError("boom")
    monkeypatch.setattr(NeighTable, "compute_rows", broken, raising=True)
    app = lab_app()
    with pytest.raises(Exception):
        # the first population happens at mount: an exception there is a bug the suite sees
        async with app.run_test(size=(120, 36)):
            pass


async def test_an_event_handler_bug_is_printed_not_raised(monkeypatch):
    app = lab_app()
    async with app.run_test(size=(120, 36)) as pilot:
        def broken(self, events):
            raise RuntimeError("boom")
        monkeypatch.setattr(NeighTable, "engine_events", broken)
        await run(pilot, "ip link add veth0 type veth peer name veth1")
        out = app.query_one(Scrollback).text
        assert "vethtui: internal error in NeighTable: RuntimeError: boom" in out
        assert "veth1@veth0" in [str(c).strip() for c in app.query_one(LinkList).get_row_at(3)]


def test_unknown_lab_is_an_error_for_the_cli():
    with pytest.raises(Exception, match="no such lab"):
        make_app("no-such-lab")


def test_cli_contract(monkeypatch):
    """cli.py calls make_app(lab, seed=..., speed=..., lang=...) then .run()."""
    app = make_app("netns", seed=3, speed="10", lang="zh")
    assert app.engine.world.seed == 3 and app.engine.speed == 10 and app.lang == "zh"


def test_lab_files_get_the_lab_pane_when_there_is_one(monkeypatch):
    from textual.widgets import Static

    class LabPane(Static):
        def __init__(self, engine, path, lang="en", id=None):
            super().__init__("lab", id=id)
            self.engine, self.path, self.lang = engine, path, lang
    fake = types.ModuleType("vethtui.tui.lab_pane")
    fake.LabPane = LabPane
    monkeypatch.setitem(sys.modules, "vethtui.tui.lab_pane", fake)
    engine = object()
    pane = app_module._lab_pane_for("labs/x.toml", engine, "zh")
    assert isinstance(pane, LabPane) and pane.id == "lab-pane" and pane.lang == "zh"
    assert app_module._lab_pane_for("default", engine, "en") is None


def test_no_lab_pane_module_means_no_lab_pane(monkeypatch):
    monkeypatch.setitem(sys.modules, "vethtui.tui.lab_pane", None)
    assert app_module._lab_pane_for("labs/x.toml", object(), "en") is None


async def test_a_failing_timer_is_reported_and_the_clock_goes_on():
    app = make_app("default", speed="instant", highlight_seconds=0)
    async with app.run_test(size=(120, 36)) as pilot:
        def bad_timer():
            raise ValueError("a bug in a timer")
        app.engine.world.sched.call_later(0.5, bad_timer)
        await run(pilot, "sleep 1; hostname")
        for _ in range(200):
            await pilot.pause()
            if "vethtui\n" in app.query_one(Scrollback).text:
                break
        out = app.query_one(Scrollback).text
        assert "vethtui: internal error in the simulation: ValueError: a bug in a timer" in out
        assert "vethtui\n" in out


async def test_a_lab_reset_points_the_panes_at_the_new_world():
    from vethtui.labs.builtin import build
    from vethtui.tui.captures import CaptureArea
    app = lab_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await run(pilot, "ip link add veth0 type veth peer name veth1", "tcpdump -i eth0")
        await flush_captures(pilot)
        app.engine.replace_world(build("netns", 0))      # what a lab reset does
        await pilot.pause()
        await pilot.pause()
        await pilot.pause()
        assert [str(c).strip() for c in app.query_one(LinkList).get_row_at(0)][:3] == \
            ["1", "lo", "DOWN"]
        assert app.query_one(LinkList).row_count == 1
        assert app.query_one(RouteTable).row_count == 0
        assert app.query_one(CaptureArea).views == []
        assert "the lab was reset" in app.query_one(Scrollback).text
        await run(pilot, "ip link set lo up")
        assert app.query_one(LinkList).get_row_at(0)[2].plain.strip() == "UNKNOWN"


async def test_after_a_reset_the_clock_still_runs():
    from vethtui.labs.builtin import build
    app = make_app("default", speed="instant", highlight_seconds=0)
    async with app.run_test(size=(120, 36)) as pilot:
        app.engine.replace_world(build("default", 0))
        for _ in range(5):
            await pilot.pause()
        await run(pilot, "sleep 2; hostname")
        for _ in range(200):
            await pilot.pause()
            if "vethtui\n" in app.query_one(Scrollback).text.split("sleep 2")[-1]:
                break
        assert "vethtui\n" in app.query_one(Scrollback).text.split("sleep 2")[-1]
        assert app._clock._watched is app.engine._driver
