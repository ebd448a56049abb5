"""Live tcpdump views: opened by a console tcpdump, drained in batches, paused, cleared,
stopped and closed."""
from __future__ import annotations

import re

from vethtui.tui.captures import CaptureArea
from vethtui.tui.console import Console
from vethtui.tui.scrollback import Scrollback

from .conftest import FIRST_STEPS, flush_captures, lab_app, run


def log_lines(view) -> list[str]:
    return list(view.log_widget.lines)


async def test_tcpdump_in_the_console_opens_a_view_with_the_startup_lines():
    app = lab_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await run(pilot, *FIRST_STEPS, "tcpdump -i veth1 -n")
        await flush_captures(pilot)
        area = app.query_one(CaptureArea)
        assert not area.has_class("-empty")
        (view,) = area.views
        assert log_lines(view)[:2] == [
            "tcpdump: verbose output suppressed, use -v[v]... for full protocol decode",
            "listening on veth1, link-type EN10MB (Ethernet), snapshot length 262144 bytes"]
        assert "tcpdump: capturing on veth1 in a view" in app.query_one(Scrollback).text
        assert not app.query_one(Console).busy          # the console is free


async def test_the_articles_experiment_arp_requests_in_the_view_unreachable_in_the_console():
    app = lab_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await run(pilot, *FIRST_STEPS, "tcpdump -i veth1 -n", "ping -c 2 192.168.2.12", settle=4)
        await flush_captures(pilot)
        (view,) = app.query_one(CaptureArea).views
        arp = [ln for ln in log_lines(view) if "ARP" in ln]
        assert len(arp) == 3
        assert arp[0].endswith("ARP, Request who-has 192.168.2.12 tell 192.168.2.11, length 28")
        out = app.query_one(Scrollback).text
        assert "From 192.168.2.11 icmp_seq=1 Destination Host Unreachable" in out
        assert "2 packets transmitted, 0 received, +2 errors, 100% packet loss" in out
        assert app.query_one(CaptureArea).border_subtitle.startswith("● live · ")


async def test_pause_clear_stop_and_close():
    app = lab_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await run(pilot, "tcpdump -i eth0 -n")
        await flush_captures(pilot)
        area = app.query_one(CaptureArea)
        (view,) = area.views
        await pilot.press("f5")                              # pause
        assert view.session.paused
        assert "paused" in area.border_subtitle
        await run(pilot, "ping -c 1 192.168.1.1", settle=1)
        await flush_captures(pilot)
        assert not any("ICMP" in ln for ln in log_lines(view))
        await pilot.press("f5")                              # resume
        await run(pilot, "ping -c 1 192.168.1.1", settle=1)
        await flush_captures(pilot)
        assert any("ICMP echo request" in ln for ln in log_lines(view))
        await pilot.press("f6")                              # clear
        await pilot.pause()
        assert log_lines(view) == []
        await pilot.press("f8")                              # stop: tcpdump's counters
        await flush_captures(pilot)
        last = log_lines(view)[-3:]
        assert re.fullmatch(r"\d+ packets captured", last[0])
        assert re.fullmatch(r"\d+ packets received by filter", last[1])
        assert last[2] == "0 packets dropped by kernel"
        assert area.border_subtitle.startswith("■ stopped")
        await pilot.press("ctrl+w")                          # close
        await pilot.pause()
        assert area.views == []
        assert area.has_class("-empty")


async def test_closing_a_running_view_prints_the_counters_in_the_console():
    app = lab_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await run(pilot, "tcpdump -i eth0 -n", "ping -c 1 192.168.1.1", settle=1)
        await pilot.press("ctrl+w")
        await pilot.pause()
        await pilot.pause()
        assert app.query_one(CaptureArea).views == []
        out = app.query_one(Scrollback).text
        assert re.search(r"tcpdump on eth0: view closed\n\d+ packets captured\n"
                         r"\d+ packets received by filter\n0 packets dropped by kernel\n$", out)


async def test_ctrl_w_without_a_view_deletes_a_word_as_readline_does():
    from vethtui.tui.prompt import CommandInput
    app = lab_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press(*"ip link show", "ctrl+w")
        assert app.query_one(CommandInput).value == "ip link "


async def test_two_views_and_f7_switches_between_them():
    app = lab_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await run(pilot, "tcpdump -i eth0 -n", "tcpdump -i lo")
        await pilot.pause()
        area = app.query_one(CaptureArea)
        assert [v.session.title for v in area.views] == ["eth0", "lo"]
        assert area.active_view.session.title == "lo"
        await pilot.press("f7")
        await pilot.pause()
        assert area.active_view.session.title == "eth0"


async def test_count_limited_capture_stops_by_itself():
    app = lab_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await run(pilot, "tcpdump -i eth0 -n -c 2", "ping -c 3 192.168.1.1", settle=3)
        await flush_captures(pilot)
        (view,) = app.query_one(CaptureArea).views
        assert not view.running
        assert log_lines(view)[-3] == "2 packets captured"


async def test_a_view_stays_bounded_and_keeps_up_with_many_packets():
    from vethtui.tui import capture_view
    app = lab_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await run(pilot, "tcpdump -i eth0 -n")
        await flush_captures(pilot)
        (view,) = app.query_one(CaptureArea).views
        for i in range(capture_view.MAX_LINES + 2000):
            view.session.pending.append((f"line {i}", None))
        for _ in range(10):
            app.query_one(CaptureArea).flush()
        await pilot.pause()
        lines = log_lines(view)
        assert len(lines) == capture_view.MAX_LINES
        assert lines[-1] == f"line {capture_view.MAX_LINES + 1999}"
