"""A lab from the keyboard, in the whole app: Ctrl+G hints, Ctrl+N / Ctrl+B steps, the
palette's lab entries, F4 reaching the lab pane, what the console and toasts say."""
from __future__ import annotations

import pytest

from vethtui.labs.files import load_lab_file
from vethtui.tui.app import make_app
from vethtui.tui.lab_pane import LabPane
from vethtui.tui.lab_text import LabText
from vethtui.tui.prompt import CommandInput
from vethtui.tui.scrollback import Scrollback

from .conftest import LABS

LAB1 = LABS / "01-veth-one-address.toml"


@pytest.fixture(autouse=True)
def no_cursor_blink(monkeypatch):
    monkeypatch.setattr(CommandInput, "BLINK", False)


def lab1_app(tmp_path, lang="en"):
    return make_app(str(LAB1), seed=0, speed="1", lang=lang, drive_clock=False,
                    highlight_seconds=0, history_path=tmp_path / "history")


async def type_line(pilot, line: str, settle: float = 0.0) -> None:
    """Type a command in the console, key by key, and press Enter."""
    app = pilot.app
    app.query_one(CommandInput).focus()
    for ch in line:
        await pilot.press("space" if ch == " " else ch)
    await pilot.press("enter")
    app.engine.settle(0)
    if settle:
        app.engine.settle(settle)
    await pilot.pause()
    await pilot.pause()


def toasts(app) -> list[str]:
    return [f"{n.title}: {n.message}" for n in app._notifications]


def banner(app) -> str:
    b = app.query_one("#lab-banner", LabText)
    return b.plain if b.display else ""


async def test_lab_01_done_from_the_keyboard(tmp_path):
    spec = load_lab_file(LAB1)
    app = lab1_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        pane = app.query_one(LabPane)
        rt = pane.runtime
        keys = {k for k, b in app.active_bindings.items() if b.binding.show and b.enabled}
        assert {"ctrl+n", "ctrl+g"} <= keys          # in the footer while a lab is loaded
        for i, step in enumerate(spec.steps):
            assert isinstance(app.focused, CommandInput)
            await pilot.press("ctrl+g")               # a hint, from the console
            await pilot.pause()
            assert rt.hints_shown[i] == 1
            assert "1. " + step.hints[0]["en"].split("`")[0] in \
                app.query_one("#lab-hints", LabText).source
            for line in step.solution:
                await type_line(pilot, line, settle=4.0 if i == 3 else 2.0)
            await pilot.pause()
            assert rt.done[i] and rt.current == i, (i, rt.progress().checks)  # passed, shown
            success = " ".join(step.success["en"].split())
            said = banner(app)
            if i == 3:    # the last: the lab's end comes first
                assert said.startswith("✓ Lab complete: every step passes.\n\n")
                said = said.split("\n\n", 1)[1]
            assert said.startswith(f"✓ Step {i + 1} done.")
            assert " ".join(said.split()).split("done. ", 1)[1].startswith(
                success.replace("`", "")[:30])
            # the pane is on screen and says it: no toast over the captures
            assert not any(t.startswith(f"Step {i + 1} done:") for t in toasts(app))
            if i < 3:
                assert "Ctrl+N: next step" in banner(app)
                await pilot.press("ctrl+n")
                await pilot.pause()
                assert rt.current == i + 1 and banner(app) == ""
        # the lab is finished: said at the top of the pane, visible without scrolling
        assert banner(app).startswith("✓ Lab complete: every step passes.")
        b = app.query_one("#lab-banner")
        assert pane.region.contains_region(b.region) and b.region.y <= pane.region.y + 3
        assert any("Lab complete" in t for t in toasts(app))
        # back a step: its checks as they stood when it passed
        await pilot.press("ctrl+b")
        await pilot.pause()
        assert rt.current == 2
        checks = app.query_one("#lab-checks", LabText).source.splitlines()
        assert checks and all(c.startswith("✓ ") for c in checks if not c.startswith(" "))


async def test_f4_reaches_the_lab_pane_and_the_palette_has_the_lab(tmp_path):
    app = lab1_app(tmp_path)
    async with app.run_test(size=(140, 45)) as pilot:
        seen = []
        for _ in range(5):
            await pilot.press("f4")
            seen.append(app.focused.id)
        assert seen == ["links", "routes", "neighbours", "lab-pane", "links"]
        titles = {c.title: c for c in app.get_system_commands(app.screen)}
        for want in ("Lab: next step", "Lab: previous step", "Lab: show the next hint",
                     "Lab: reset this step", "Lab: reset the whole lab",
                     "Lab: show the lab pane"):
            assert want in titles
        titles["Lab: show the lab pane"].callback()
        await pilot.pause()
        assert app.focused is app.query_one(LabPane)
        titles["Lab: show the next hint"].callback()
        await pilot.pause()
        assert app.query_one(LabPane).runtime.hints_shown[0] == 1
        assert app.check_action("lab_hint", ()) is None        # no more hints: dimmed
        assert app.check_action("lab_prev", ()) is None        # step 1: nothing before


async def test_resume_and_reset_are_said_in_the_console(tmp_path):
    spec = load_lab_file(LAB1)
    app = lab1_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        for step in spec.steps[:2]:
            for line in step.solution:
                await type_line(pilot, line, settle=0.5)
            await pilot.press("ctrl+n")
        await pilot.pause()
        assert app.query_one(LabPane).runtime.current == 2
    again = lab1_app(tmp_path)
    async with again.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        text = again.query_one(Scrollback).text
        assert "vethtui: resumed at step 3 (steps 1-2 replayed)" in text
        titles = {c.title: c for c in again.get_system_commands(again.screen)}
        titles["Lab: reset this step"].callback()
        for _ in range(4):
            await pilot.pause()
        assert "vethtui: step 3 was reset (steps 1-2 replayed)" in \
            again.query_one(Scrollback).text
        assert "the lab was reset" not in again.query_one(Scrollback).text


async def test_a_lab_pane_in_chinese_from_the_app(tmp_path):
    app = lab1_app(tmp_path, lang="zh")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("ctrl+g")
        await pilot.pause()
        pane = app.query_one(LabPane)
        assert pane.border_subtitle == "第 1 步，共 4 步"
        await type_line(pilot, "ip link add veth0 type veth peer name veth1")
        assert banner(app).startswith("✓ 第 1 步完成。")
        assert "Ctrl+N：下一步" in banner(app)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "实验：下一步" in titles


async def test_the_palette_hides_the_lab_pane_for_whole_capture_lines(tmp_path):
    """At 80 columns a tcpdump line does not fit beside the lab pane; the palette puts
    the pane aside (its width goes to the panes and captures) and brings it back."""
    from vethtui.tui.captures import CaptureArea
    app = lab1_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await type_line(pilot, "tcpdump -i lo -n", settle=0.1)
        await pilot.pause()
        narrow = app.query_one(CaptureArea).size.width
        titles = {c.title: c for c in app.get_system_commands(app.screen)}
        titles["Lab: hide the lab pane"].callback()
        await pilot.pause()
        await pilot.pause()
        assert not app.query_one(LabPane).display
        assert app.query_one(CaptureArea).size.width >= 78 > narrow
        assert isinstance(app.focused, CommandInput)
        titles = {c.title: c for c in app.get_system_commands(app.screen)}
        assert "Lab: hide the lab pane" not in titles
        titles["Lab: show the lab pane"].callback()
        await pilot.pause()
        assert app.query_one(LabPane).display and app.focused is app.query_one(LabPane)
