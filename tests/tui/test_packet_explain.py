"""Picking a packet in a capture view and reading its walk-through (the explain panel)."""
from __future__ import annotations

import re

from textual.app import App, ComposeResult

from vethtui.tui.captures import CaptureArea
from vethtui.tui.explain_screen import ExplainScreen
from vethtui.tui.packet_log import PacketLog
from vethtui.tui.prompt import CommandInput

from .conftest import flush_captures, lab_app, run


async def capture_with_ping(pilot) -> PacketLog:
    await run(pilot, "tcpdump -i eth0 -n icmp", "ping -c 2 192.168.1.1", settle=3)
    await flush_captures(pilot)
    (view,) = pilot.app.query_one(CaptureArea).views
    return view.log_widget


def cursor_line(log: PacketLog) -> str:
    return log.lines[log.cursor_index]


async def test_keys_pick_a_packet_and_enter_explains_it():
    app = lab_app()
    async with app.run_test(size=(120, 36)) as pilot:
        log = await capture_with_ping(pilot)
        await pilot.press("f4", "f4", "f4", "f4")      # links, routes, neighbours, the view
        assert app.focused is log
        # the cursor starts on the newest packet
        assert "ICMP echo reply" in cursor_line(log) and "seq 2" in cursor_line(log)
        await pilot.press("up", "k")
        assert "ICMP echo reply" in cursor_line(log) and "seq 1" in cursor_line(log)
        await pilot.press("j")
        assert "ICMP echo request" in cursor_line(log) and "seq 2" in cursor_line(log)
        skb_id = log.skb_id_at(log.cursor_index)
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ExplainScreen)
        assert screen.skb_id == skb_id
        assert screen.text == app.engine.explain_packet(skb_id)
        assert screen.text.startswith(f"Packet #{skb_id}: ICMP echo request 192.168.1.11 > "
                                      "192.168.1.1")
        assert re.search(r"^  1\. \[host\] ", screen.text, re.M)
        assert re.search(r"^  2\. ", screen.text, re.M)
        assert re.search(r"^  => ", screen.text, re.M)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, ExplainScreen)
        assert app.focused is log and log.skb_id_at(log.cursor_index) == skb_id
        await pilot.press("escape")                    # back to the console: the view follows
        await pilot.pause()
        assert isinstance(app.focused, CommandInput)
        assert log.cursor is None and log.following


async def test_tcpdumps_own_lines_are_skipped_and_home_end_go_to_the_first_and_newest():
    app = lab_app()
    async with app.run_test(size=(120, 36)) as pilot:
        log = await capture_with_ping(pilot)
        log.focus()
        await pilot.pause()
        await pilot.press("home")
        assert log.lines[0].startswith("tcpdump: verbose output suppressed")
        assert log.skb_id_at(0) is None and log.skb_id_at(1) is None
        assert log.cursor_index == 2
        await pilot.press("up")                        # nothing above the first packet
        assert log.cursor_index == 2
        await pilot.press("end")
        assert log.cursor_index == len(log.lines) - 1 and log.following


async def test_a_click_on_a_packet_explains_it_and_a_click_on_tcpdumps_lines_does_not():
    app = lab_app()
    async with app.run_test(size=(120, 36)) as pilot:
        log = await capture_with_ping(pilot)
        log.scroll_to(y=0, animate=False, immediate=True, force=True)
        await pilot.pause()
        await pilot.click(PacketLog, offset=(5, 1))    # "listening on eth0, ..."
        await pilot.pause()
        assert not isinstance(app.screen, ExplainScreen)
        await pilot.click(PacketLog, offset=(5, 2))
        await pilot.pause()
        assert isinstance(app.screen, ExplainScreen)
        assert app.screen.skb_id == log.skb_id_at(2)
        assert "Packet #" in app.screen.text


async def test_the_explain_panel_wraps_and_scrolls_on_a_small_terminal():
    app = lab_app()
    async with app.run_test(size=(80, 18)) as pilot:
        log = await capture_with_ping(pilot)
        log.focus()
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ExplainScreen)
        body = screen.query_one("#explain-text")
        lines = screen.text.splitlines()
        assert max(map(len, lines)) > body.size.width      # long lines ...
        assert body.size.height > len(lines)                 # ... wrap, none is cut
        box = screen.query_one("#explain")
        assert box.max_scroll_y > 0
        await pilot.press("pagedown")
        assert box.scroll_y > 0
        await pilot.press("escape")
        assert not isinstance(app.screen, ExplainScreen)


class LogApp(App):
    AUTO_FOCUS = None

    def compose(self) -> ComposeResult:
        yield PacketLog(max_lines=20)


def packets(first: int, n: int) -> list[tuple[str, int]]:
    return [(f"packet {i}", i) for i in range(first, first + n)]


async def test_the_selection_stays_on_its_packet_while_lines_leave_the_top():
    app = LogApp()
    async with app.run_test(size=(40, 10)) as pilot:
        log = app.query_one(PacketLog)
        log.add_packets([("listening on veth1", None)] + packets(1, 14))
        log.focus()
        await pilot.pause()
        assert log.lines[log.cursor_index] == "packet 14" and log.following
        await pilot.press("up", "up", "up")
        assert log.lines[log.cursor_index] == "packet 11"
        top = log.scroll_y
        log.add_packets(packets(15, 10))               # 5 lines leave the top
        await pilot.pause()
        assert log.lines_dropped == 5 and len(log.lines) == 20
        assert log.lines[log.cursor_index] == "packet 11"
        assert log.scroll_y == top - 5                 # the view holds still
        assert not log.following
        log.add_packets(packets(25, 10))               # the selected line goes too
        await pilot.pause()
        assert log.lines[log.cursor_index] == "packet 15"   # the first one left
        await pilot.press("end")                       # on the newest, it rides along
        log.add_packets(packets(35, 3))
        await pilot.pause()
        assert log.lines[log.cursor_index] == "packet 37"
        assert log.scroll_y == log.max_scroll_y
