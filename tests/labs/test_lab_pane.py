"""The lab pane: a snapshot mid-lab, and pilot tests of what a learner sees and presses."""
from __future__ import annotations

import pytest
from textual.app import App, ComposeResult
from textual.widgets import Button, Markdown

from vethtui.engine import make_engine
from vethtui.labs.files import load_lab_file
from vethtui.labs.runtime import LabRuntime
from vethtui.tui.lab_pane import LabPane
from vethtui.tui.lab_text import LabText

from .conftest import LABS

LAB2 = LABS / "02-arp-accept-local.toml"


class PaneApp(App):
    """Nothing but the pane."""

    def __init__(self, runtime: LabRuntime, lang: str = "en"):
        super().__init__()
        self.runtime = runtime
        self.lang = lang

    def compose(self) -> ComposeResult:
        yield LabPane(self.runtime, lang=self.lang, id="pane")


def mid_lab() -> LabRuntime:
    """Lab 2 at step 4: steps 1-3 done, a hint shown, one sysctl written (not enough)."""
    spec = load_lab_file(LAB2)
    rt = LabRuntime(spec, None, store=None, resume=False)
    for step in spec.steps[:3]:
        for line in step.solution:
            rt.run(line)
    rt.run("echo 0 > /proc/sys/net/ipv4/conf/veth1/rp_filter")
    rt.reveal_hint()
    assert rt.current == 3
    return rt


def test_lab_pane_mid_lab_snapshot(snap_compare):
    assert snap_compare(PaneApp(mid_lab()), terminal_size=(72, 48))


def text_of(pane: LabPane, selector: str) -> str:
    widget = pane.query_one(selector)
    if isinstance(widget, (Markdown, LabText)):
        return widget.source
    return str(widget.render())


async def test_pane_shows_step_checks_and_reasons():
    app = PaneApp(mid_lab())
    async with app.run_test(size=(72, 48)) as pilot:
        await pilot.pause()
        pane = app.query_one(LabPane)
        assert pane.border_title == "Both ends addressed: accept_local and rp_filter"
        assert pane.border_subtitle == "Step 4 of 5"
        assert text_of(pane, "#lab-step-title") == "4. accept_local on, rp_filter off"
        assert text_of(pane, "#lab-steps") == "✓1 ✓2 ✓3 •4 •5 "
        assert text_of(pane, "#lab-checks").splitlines() == [
            "✗ The accept_local in effect for veth1 is 1",
            "    0 is in effect (all = 0, veth1 = 0: 1 if either is 1)",
            "✗ The rp_filter in effect for veth1 is 0 or 2",
            "    1 is in effect (all = 1, veth1 = 0: the larger counts)",
        ]
        assert text_of(pane, "#lab-hints").startswith("1. Write the files under /proc/sys/")


async def test_hint_key_and_buttons():
    rt = mid_lab()
    app = PaneApp(rt)
    async with app.run_test(size=(72, 48)) as pilot:
        pane = app.query_one(LabPane)
        pane.focus()
        await pilot.press("h")
        await pilot.pause()
        assert rt.hints_shown[3] == 2
        assert "2. rp_filter in effect is the larger" in text_of(pane, "#lab-hints")
        assert pane.query_one("#lab-hint", Button).disabled
        await pilot.click("#lab-prev")
        await pilot.pause()
        assert rt.current == 2 and text_of(pane, "#lab-step-title") == "3. Force it out of veth0"
        await pilot.press("n")
        await pilot.pause()
        assert rt.current == 3


async def test_reset_lab_needs_a_second_press():
    rt = mid_lab()
    app = PaneApp(rt)
    resets = []

    def hook(m):
        if isinstance(m, LabPane.WorldReset) and not any(m is r for r in resets):
            resets.append(m)

    async with app.run_test(size=(72, 48), message_hook=hook) as pilot:
        pane = app.query_one(LabPane)
        await pilot.click("#lab-reset-lab")
        await pilot.pause()
        assert rt.current == 3 and str(pane.query_one("#lab-reset-lab", Button).label) == \
            "Reset all?"
        await pilot.press("R")           # the key does the same as the button
        await pilot.pause()
        assert rt.current == 0 and rt.done == [False] * 5
        assert text_of(pane, "#lab-steps") == "•1 •2 •3 •4 •5 "
        assert len(resets) == 1


async def test_commands_through_the_engine_tick_steps_off():
    engine = make_engine(str(LAB2), seed=0, speed="instant")
    rt = LabRuntime(load_lab_file(LAB2), engine, store=None)
    app = PaneApp(rt)
    done = []

    def hook(message):   # called at each widget the message bubbles through: count it once
        if isinstance(message, LabPane.StepCompleted) and \
                not any(message is m for m, _ in done):
            done.append((message, message.index))

    async with app.run_test(size=(72, 48), message_hook=hook) as pilot:
        pane = app.query_one(LabPane)
        await pilot.pause()
        assert text_of(pane, "#lab-checks").startswith("✗ 192.168.2.12/24 is on veth1")
        job = engine.run_command("ip addr add 192.168.2.12/24 dev veth1")
        engine.run_until_done(job)
        await pilot.pause()
        assert [i for _, i in done] == [0]
        assert text_of(pane, "#lab-step-title") == "2. Ping the other end: it goes through lo"
        job = engine.run_command("ping -c 1 192.168.2.12")
        engine.run_until_done(job)
        await pilot.pause()
        assert [i for _, i in done] == [0, 1]
        assert text_of(pane, "#lab-steps") == "✓1 ✓2 •3 •4 •5 "


async def test_pane_in_chinese_and_made_from_an_engine_and_a_path():
    engine = make_engine(str(LAB2), seed=0, speed="instant")

    class App2(App):
        def compose(self) -> ComposeResult:
            yield LabPane(engine, str(LAB2), lang="zh")

    app = App2()
    async with app.run_test(size=(72, 48)) as pilot:
        await pilot.pause()
        pane = app.query_one(LabPane)
        assert pane.border_subtitle == "第 1 步，共 5 步"
        assert str(pane.query_one("#lab-next", Button).label) == "下一步 ▶"
        assert text_of(pane, "#lab-checks").splitlines()[1] == \
            "    veth1 上没有 192.168.2.12/24（现有：无）"


def test_pane_needs_a_runtime_or_a_lab_file():
    with pytest.raises(TypeError):
        LabPane(object())


def passed_step(lang: str) -> LabRuntime:
    """Lab 2, step 2 just passed: its success shown at the top, with how to go on."""
    spec = load_lab_file(LAB2)
    rt = LabRuntime(spec, None, store=None, resume=False, auto_advance=False, lang=lang)
    rt.run(spec.steps[0].solution[0])
    rt.next_step()
    rt.run("ping -c 1 192.168.2.12")
    assert rt.done[1] and rt.current == 1
    return rt


def zh_mid_lab() -> LabRuntime:
    rt = mid_lab()
    rt.set_lang("zh")
    return rt


def test_lab_pane_mid_lab_snapshot_in_chinese(snap_compare):
    assert snap_compare(PaneApp(zh_mid_lab(), lang="zh"), terminal_size=(72, 48))


def test_lab_pane_passed_step_snapshot(snap_compare):
    assert snap_compare(PaneApp(passed_step("en")), terminal_size=(44, 30))


def test_lab_pane_passed_step_snapshot_in_chinese(snap_compare):
    assert snap_compare(PaneApp(passed_step("zh"), lang="zh"), terminal_size=(44, 30))


async def test_chinese_wraps_at_cell_width_without_bad_breaks_or_recasing():
    from rich.cells import cell_len

    from vethtui.tui.lab_text import NO_START
    for width in (40, 44, 60):
        app = PaneApp(zh_mid_lab(), lang="zh")
        async with app.run_test(size=(width, 60)) as pilot:
            await pilot.pause()
            pane = app.query_one(LabPane)
            for sel in ("#lab-text", "#lab-checks", "#lab-hints"):
                widget = pane.query_one(sel)
                lines = widget.plain.splitlines()
                assert lines
                for line in lines:
                    assert cell_len(line) <= widget.content_size.width
                    assert line.lstrip()[:1] not in NO_START, (sel, line)
                    assert not line.startswith(("Veth", "Br0", "Ns1")), line
            text = pane.query_one("#lab-text").plain
            assert "， " not in text and "。 " not in text
            assert "veth1 上没有" in pane.query_one("#lab-checks").plain or \
                "veth1 实际生效的" in pane.query_one("#lab-checks").plain
