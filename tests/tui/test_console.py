"""The console: typing, streaming output, Ctrl+C, Ctrl+L, history and Tab completion."""
from __future__ import annotations

from textual.app import App, ComposeResult

from vethtui.tui.console import Console
from vethtui.tui.history import History
from vethtui.tui.prompt import CommandInput
from vethtui.tui.scrollback import Scrollback

from .conftest import lab_app, run


def text(app) -> str:
    return app.query_one(Scrollback).text


async def test_typed_keys_run_a_command():
    app = lab_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press(*"ip -br link", "enter")
        app.engine.settle(0)
        await pilot.pause()
        out = text(app)
        assert "root@vethtui:~# ip -br link" in out
        assert "eth0             UP             52:54:00:" in out
        assert app.query_one(CommandInput).value == ""


async def test_errors_print_as_the_tools_print_them():
    app = lab_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await run(pilot, "ip link set veth9 up", "frobnicate", "nft list ruleset", "ip link add")
        out = text(app)
        assert 'Cannot find device "veth9"' in out
        assert "bash: frobnicate: command not found" in out
        assert "vethtui: nft: command not simulated" in out


async def test_ping_streams_one_line_a_second():
    app = lab_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await run(pilot, "ping -c 3 192.168.1.1")
        app.engine.settle(0.5)
        await pilot.pause()
        assert text(app).count("64 bytes from 192.168.1.1") == 1
        app.engine.settle(1.0)
        await pilot.pause()
        assert text(app).count("64 bytes from 192.168.1.1") == 2
        app.engine.settle(2.0)
        await pilot.pause()
        assert "3 packets transmitted, 3 received, 0% packet loss" in text(app)


async def test_ctrl_c_stops_ping_which_prints_its_statistics():
    app = lab_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await run(pilot, "ping 192.168.1.1", settle=2.5)
        console = app.query_one(Console)
        assert console.busy
        await pilot.press("ctrl+c")
        app.engine.settle(0.1)
        await pilot.pause()
        out = text(app)
        assert "^C\n--- 192.168.1.1 ping statistics ---" in out
        assert "3 packets transmitted, 3 received, 0% packet loss" in out
        assert not console.busy


async def test_ctrl_c_during_a_command_drops_what_was_typed_ahead():
    """A terminal flushes its input queue on SIGINT: neither the lines waiting nor the
    line being typed run once ping has ended."""
    app = lab_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await run(pilot, "ping 192.168.1.1", settle=1.5)
        console = app.query_one(Console)
        await pilot.press(*"hostname", "enter", *"ip li")
        await pilot.pause()
        assert list(console.pending) == ["hostname"]
        assert app.query_one(CommandInput).value == "ip li"
        await pilot.press("ctrl+c")
        app.engine.settle(0.5)
        await pilot.pause()
        assert not console.busy and not console.pending
        assert app.query_one(CommandInput).value == ""
        assert "\nvethtui\n" not in text(app)


async def test_ctrl_c_with_no_job_gives_a_fresh_line():
    app = lab_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press(*"ip lin")
        await pilot.press("ctrl+c")
        await pilot.pause()
        assert "root@vethtui:~# ip lin^C" in text(app)
        assert app.query_one(CommandInput).value == ""


async def test_lines_typed_while_a_command_runs_wait_their_turn():
    app = lab_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await run(pilot, "sleep 2", "ip -br link show lo")
        assert "lo " not in text(app).split("sleep 2")[-1]
        app.engine.settle(2.5)
        await pilot.pause()          # the queued line starts when sleep ends
        app.engine.settle(0)
        await pilot.pause()
        out = text(app)
        assert out.index("sleep 2") < out.index("ip -br link show lo")
        assert "lo               UNKNOWN" in out


async def test_ctrl_l_and_clear_empty_the_scrollback():
    app = lab_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await run(pilot, "hostname")
        assert "vethtui" in text(app)
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert text(app).strip() == ""
        await run(pilot, "hostname", "clear")
        assert "vethtui\n" not in text(app)


async def test_ip_color_output_is_shown_in_colour_without_escapes():
    app = lab_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await run(pilot, "ip -c -br link")
        sb = app.query_one(Scrollback)
        assert "\x1b[" not in sb.text
        assert any("\x1b[36m" in line for line in sb.lines)


async def test_history_up_down_and_kept_across_runs(data_dir):
    app = lab_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await run(pilot, "ip -br link", "ip route", "ip route")
        await pilot.press(*"ip n")
        await pilot.press("up")
        box = app.query_one(CommandInput)
        assert box.value == "ip route"
        await pilot.press("up")
        assert box.value == "ip -br link"
        await pilot.press("down", "down")
        assert box.value == "ip n"
    assert (data_dir / "history").read_text() == "ip -br link\nip route\n"
    again = lab_app()
    async with again.run_test(size=(120, 36)) as pilot:
        await pilot.press("up")
        assert again.query_one(CommandInput).value == "ip route"


def test_history_ignores_blank_spaced_and_repeated_lines(tmp_path):
    h = History(tmp_path / "h")
    for line in ["ip a", "ip a", "", "  ", " secret", "ip r"]:
        h.add(line)
    assert h.entries == ["ip a", "ip r"]
    assert History(tmp_path / "h").entries == ["ip a", "ip r"]
    assert History(tmp_path / "missing" / "h").entries == []


def test_history_that_cannot_be_written_is_not_an_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    h = History(blocker / "history")
    h.add("ip a")
    assert h.entries == ["ip a"]


async def test_tab_completes_commands_subcommands_and_devices():
    app = lab_app()
    async with app.run_test(size=(120, 36)) as pilot:
        box = app.query_one(CommandInput)
        await pilot.press(*"tcpd", "tab")
        assert box.value == "tcpdump "
        box.value = ""
        await pilot.press(*"ip li", "tab", *"set do", "tab")
        assert box.value == "ip link set docker0 "
        box.value = ""
        await pilot.press(*"cat /proc/sys/net/ipv4/ip_forw", "tab")
        assert box.value == "cat /proc/sys/net/ipv4/ip_forward"


async def test_tab_twice_lists_the_candidates_as_bash_does():
    app = lab_app()
    async with app.run_test(size=(120, 36)) as pilot:
        before = text(app)
        await pilot.press(*"ip link set ", "tab")
        await pilot.pause()
        assert text(app) == before                   # the first Tab only rings the bell
        await pilot.press("tab")
        await pilot.pause()
        listing = text(app)[len(before):]
        assert listing.startswith("root@vethtui:~# ip link set \n")
        assert listing.split("\n")[1].split() == ["dev", "docker0", "eth0", "lo"]
        assert app.query_one(CommandInput).value == "ip link set "


async def test_ctrl_c_on_sleep_ends_the_line_before_the_next_prompt():
    app = lab_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await run(pilot, "sleep 9", settle=1)
        await pilot.press("ctrl+c")
        app.engine.settle(0.1)
        await pilot.pause()
        await run(pilot, "hostname")
        assert "root@vethtui:~# sleep 9\n^C\nroot@vethtui:~# hostname\nvethtui\n" in text(app)


async def test_scrollback_follows_the_end_unless_the_user_scrolled_back():
    app = lab_app()
    async with app.run_test(size=(120, 36)) as pilot:
        sb = app.query_one(Scrollback)
        await run(pilot, "ip -s -d link", "ip -s -d link")
        await pilot.pause()
        assert sb.max_scroll_y > 0 and sb.scroll_y == sb.max_scroll_y
        sb.scroll_to(y=0, animate=False, immediate=True)
        await pilot.pause()
        assert not sb.pinned
        app.engine.run_command("hostname")           # output arriving while reading back
        app.engine.settle(0)
        await pilot.pause()
        assert sb.scroll_y == 0                      # reading history: left alone
        await run(pilot, "ip -s -d link")            # a command typed: back to the end,
        await pilot.pause()                          # as terminals do
        assert sb.scroll_y == sb.max_scroll_y


def screen_rows(sb: Scrollback) -> list[str]:
    return ["".join(seg.text for seg in sb.render_line(y)).rstrip()
            for y in range(sb.size.height)]


async def test_long_lines_wrap_at_the_pane_edge_as_a_terminal_wraps_them():
    app = lab_app()
    async with app.run_test(size=(80, 24)) as pilot:
        sb = app.query_one(Scrollback)
        long = "".join(f"{i:02d}-456789" for i in range(20))      # 200 columns
        await run(pilot, f"echo {long}")
        await pilot.pause()
        width = sb.scrollable_content_region.width
        rows = screen_rows(sb)
        start = rows.index(long[:width])
        assert rows[start:start + 3] == [long[:width], long[width:2 * width], long[2 * width:]]
        assert sb.max_scroll_x == 0 and not sb.show_horizontal_scrollbar
        assert long in text(app).splitlines()          # one line still, for copying
        await pilot.resize_terminal(60, 24)            # narrower: wrapped again
        await pilot.pause()
        width = sb.scrollable_content_region.width
        rows = screen_rows(sb)
        start = rows.index(long[:width])
        assert "".join(rows[start:start + 4]) == long


async def test_ping_flood_dots_are_rubbed_out_as_on_a_terminal():
    app = lab_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await run(pilot, "ping -f -c 300 192.168.1.1", settle=2)
        lines = app.query_one(Scrollback).lines
        flood = lines[lines.index("PING 192.168.1.1 (192.168.1.1) 56(84) bytes of data.") + 1]
        # a dot per request, "\b \b" per reply: all answered, nothing left to see
        assert flood.strip() == ""
        assert not any("\b" in line or "\ufffd" in line for line in lines)
        assert "300 packets transmitted, 300 received, 0% packet loss" in text(app)


class OneScrollback(App):
    def compose(self) -> ComposeResult:
        yield Scrollback()


async def test_backspace_steps_back_and_what_follows_overwrites():
    app = OneScrollback()
    async with app.run_test(size=(40, 6)) as pilot:
        sb = app.query_one(Scrollback)
        sb.write("...")
        sb.write("\b\bE")                     # ping -f's "\bE" for an error, two back
        assert sb.lines[-1] == ".E."
        sb.write("x\b\b\b\b\b\bok\n")        # no further back than the line's start
        assert sb.lines[-2:] == ["okx", ""]
        sb.write("a\bb")
        assert sb.lines[-1] == "b"
        sb.write("xyz\r-\r\n")                 # carriage return: back to the start
        await pilot.pause()
        assert sb.lines == ["okx", "-xyz", ""] and sb.row_count == 2


async def test_a_long_line_keeps_its_end_and_the_cursor_in_the_pane():
    """At 80x24 with a lab open the console is 46 columns: the input is what the prompt
    leaves of the row, so the end of a long line, where the learner types, stays in view
    (the input was as wide as the whole row and its end went past the pane's edge)."""
    app = lab_app("04-bridge-namespaces")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        console = app.query_one(Console)
        inp = app.query_one(CommandInput)
        assert inp.region.right <= console.content_region.right
        assert inp.placeholder == "Tab completes, F1 helps"   # the hint that fits whole
        line = "ip netns exec ns1 ping -c 1 10.1.1.3 -I ceth1 -W 1"
        await pilot.press(*line)
        await pilot.pause()
        assert 0 <= inp.cursor_position - inp.scroll_x < inp.content_region.width
        shown = "".join(seg.text for seg in inp.render_line(0))
        assert shown.rstrip().endswith("-W 1")
