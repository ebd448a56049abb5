"""Fixtures for the TUI tests: a seeded lab on a clock the test drives, no blinking cursor,
and a history file in a temporary directory."""
from __future__ import annotations

import pytest

from vethtui.tui.app import VethApp, make_app
from vethtui.tui.prompt import CommandInput

FIRST_STEPS = [
    "ip link add veth0 type veth peer name veth1",
    "ip addr add 192.168.2.11/24 dev veth0",
    "ip link set veth0 up",
    "ip link set veth1 up",
]


@pytest.fixture(autouse=True)
def no_cursor_blink(monkeypatch):
    monkeypatch.setattr(CommandInput, "BLINK", False)


@pytest.fixture(autouse=True)
def toasts_stay_in_snapshots(request, monkeypatch):
    """A toast's timeout is wall-clock time: on a loaded machine one may be gone
    before the screenshot, or not. In snapshot tests toasts stay until dismissed."""
    if "snap_compare" not in request.fixturenames:
        return
    from textual.app import App
    notify = App.notify

    def lasting(self, *args, **kwargs):
        kwargs["timeout"] = 3600
        return notify(self, *args, **kwargs)
    monkeypatch.setattr(App, "notify", lasting)


@pytest.fixture(autouse=True)
def data_dir(tmp_path, monkeypatch):
    path = tmp_path / "vethtui-data"
    monkeypatch.setenv("VETHTUI_DATA_DIR", str(path))
    return path


def lab_app(lab: str = "default", highlight_seconds: float = 0, **kwargs) -> VethApp:
    """The app on a seeded lab; the test moves the virtual clock (engine.settle)."""
    return make_app(lab, seed=0, speed="1", drive_clock=False,
                    highlight_seconds=highlight_seconds, **kwargs)


async def run(pilot, *lines: str, settle: float = 0.0) -> None:
    """Type each line in the console, press Enter, let virtual time pass."""
    app = pilot.app
    for line in lines:
        app.query_one(CommandInput).value = line
        await pilot.press("enter")
        app.engine.settle(0)
        if settle:
            app.engine.settle(settle)
        await pilot.pause()
    await pilot.pause()


async def flush_captures(pilot) -> None:
    from vethtui.tui.captures import CaptureArea
    await pilot.pause()
    pilot.app.query_one(CaptureArea).flush()
    await pilot.pause()
