"""A pasted block runs every line; the console can be read back with the keyboard."""
from __future__ import annotations

from textual import events

from vethtui.tui.console import Console
from vethtui.tui.prompt import CommandInput
from vethtui.tui.scrollback import Scrollback

from .conftest import lab_app

BLOCK = ("ip link add vy0 type veth peer name vy1\n"
         "ip link set vy0 up\n"
         "ip link set nosuchdev up\n"
         "ip link set vy1 up\n"
         "ip -br link show vy0\n")


def text(app) -> str:
    return app.query_one(Scrollback).text


async def settle(pilot, rounds: int = 200) -> None:
    """Let virtual time pass until the console has nothing left to run."""
    console = pilot.app.query_one(Console)
    for _ in range(rounds):
        pilot.app.engine.settle(0.01)
        await pilot.pause()
        if not console.busy and not console.pending:
            break


async def test_a_bracketed_paste_runs_each_line_in_order():
    app = lab_app("netns")
    async with app.run_test(size=(120, 36)) as pilot:
        app.query_one(CommandInput).post_message(events.Paste(BLOCK.replace("\n", "\r\n")))
        await settle(pilot)
        out = text(app)
        echoed = [line for line in out.splitlines() if line.startswith("root@vethtui:~# ")]
        assert echoed == ["root@vethtui:~# " + line for line in BLOCK.splitlines()]
        # the failing third line did not stop the fourth and fifth
        assert 'Cannot find device "nosuchdev"' in out
        assert "vy0@vy1          UP" in out
        assert app.query_one(CommandInput).value == ""


async def test_an_unfinished_last_line_stays_in_the_prompt():
    app = lab_app("netns")
    async with app.run_test(size=(120, 36)) as pilot:
        prompt = app.query_one(CommandInput)
        prompt.value = "ip link "
        prompt.cursor_position = len(prompt.value)
        prompt.post_message(events.Paste("show lo\nip -br link show d"))
        await settle(pilot)
        assert "root@vethtui:~# ip link show lo" in text(app)
        assert prompt.value == "ip -br link show d"


async def test_fifty_lines_queue_behind_a_running_command():
    app = lab_app("netns")
    async with app.run_test(size=(120, 36)) as pilot:
        lines = ["sleep 1"] + [f"echo line {i}" for i in range(49)]
        app.query_one(CommandInput).post_message(events.Paste("\n".join(lines) + "\n"))
        for _ in range(3):
            await pilot.pause()
        assert app.query_one(Console).busy and len(app.query_one(Console).pending) == 49
        app.engine.settle(1.5)
        await settle(pilot)
        out = text(app)
        assert [ln for ln in out.splitlines() if ln.startswith("line ")] == \
            [f"line {i}" for i in range(49)]


async def test_newline_characters_typed_end_lines_too():
    """A paste without bracketed-paste markers arrives as keys; `\\n` is Ctrl+J."""
    app = lab_app("netns")
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press(*"echo a", "ctrl+j", *"echo b", "ctrl+j")
        await settle(pilot)
        out = text(app)
        assert "root@vethtui:~# echo a\na\nroot@vethtui:~# echo b\nb" in out


async def test_pgup_reads_back_and_the_next_command_returns_to_the_end():
    app = lab_app("netns")
    async with app.run_test(size=(100, 30)) as pilot:
        console = app.query_one(Console)
        app.query_one(CommandInput).post_message(
            events.Paste("".join(f"echo {i}\n" for i in range(60))))
        await settle(pilot)
        sb = app.query_one(Scrollback)
        assert sb.pinned
        await pilot.press("pageup")
        await pilot.pause()
        assert not sb.pinned and sb.scroll_y < sb.max_scroll_y
        assert "scrolled back" in str(console.border_subtitle)
        # output while scrolled back is counted, not lost off-screen
        console.write("news\n")
        await pilot.pause()
        assert "1 new line" in str(console.border_subtitle)
        y = sb.scroll_y
        await pilot.press(*"echo done", "enter")
        await settle(pilot)
        assert sb.pinned and sb.scroll_y >= y
        assert str(console.border_subtitle) == ""


async def test_keys_typed_ahead_of_the_app_start_a_new_line_after_enter():
    """A terminal hands a busy app its keys in one read: `ip -br link\\rip -br addr\\r`
    arrives as keys queued behind each other. Enter takes the line out of the prompt
    at once (readline's accept-line), so the keys after it start the next line instead
    of joining the one being submitted (which ran `ip -br linkip -br addr`, twice)."""
    app = lab_app("netns")
    async with app.run_test(size=(120, 36)) as pilot:
        prompt = app.query_one(CommandInput)
        for ch in "ip -br link\rip -br addr\r":
            key = "enter" if ch == "\r" else ("space" if ch == " " else ch)
            if ch == "-":
                key = "minus"
            app.post_message(events.Key(key, ch))
        await settle(pilot)
        echoed = [line for line in text(app).splitlines() if line.startswith("root@vethtui:~# ")]
        assert echoed == ["root@vethtui:~# ip -br link", "root@vethtui:~# ip -br addr"]
        assert prompt.value == ""
