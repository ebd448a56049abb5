"""Opening a capture with a filter from the link list, and saving a view as pcap."""
from __future__ import annotations

from vethtui.tools.tcpdump import api
from vethtui.tui.ask import Ask
from vethtui.tui.captures import CaptureArea
from vethtui.tui.links import LinkList
from vethtui.tui.scrollback import Scrollback

from .conftest import flush_captures, lab_app, run


async def test_c_asks_for_a_filter_and_refuses_a_bad_one_in_tcpdumps_words():
    app = lab_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("f4")
        assert app.focused is app.query_one(LinkList)
        await pilot.press("down", "c")                   # eth0
        await pilot.pause()
        assert isinstance(app.screen, Ask)
        await pilot.press(*"arp and")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, Ask), "a bad filter keeps the question open"
        err = str(app.screen.query_one("#ask-error").render())
        assert err == "tcpdump: can't parse filter expression: syntax error"
        for _ in range(4):
            await pilot.press("backspace")
        await pilot.press("enter")
        await pilot.pause()
        app.engine.settle(0)
        await pilot.pause()
        assert "root@vethtui:~# tcpdump -i eth0 -n arp" in app.query_one(Scrollback).text
        await pilot.press("escape")                     # back to the console
        await run(pilot, "ping -c 1 192.168.1.1", settle=2)
        await flush_captures(pilot)
        (view,) = app.query_one(CaptureArea).views
        lines = view.log_widget.lines
        assert any("ARP, Request who-has 192.168.1.1" in ln for ln in lines)
        assert not any("ICMP" in ln for ln in lines)


async def test_ctrl_s_saves_what_the_view_holds(tmp_path):
    app = lab_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await run(pilot, "tcpdump -i eth0 -n", "ping -c 1 192.168.1.1", settle=2)
        await flush_captures(pilot)
        (view,) = app.query_one(CaptureArea).views
        log = view.log_widget
        shown = [ln for i, ln in enumerate(log.lines) if log.skb_id_at(i) is not None]
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, Ask)
        field = app.screen.query_one("#ask-input")
        assert field.value.startswith("vethtui-eth0-") and field.value.endswith(".pcap")
        target = tmp_path / "eth0.pcap"
        field.value = str(target)
        await pilot.press("enter")
        await pilot.pause()
        packets = api.open_pcap(str(target)).packets
        fmt = api.formatter("eth0", app.engine.world.epoch, "-n")
        again = [fmt.line(p) for p in packets]
        assert len(again) == len(view.session.events) >= 4
        assert again == shown
        await pilot.press("ctrl+s")
        await pilot.pause()
        app.screen.query_one("#ask-input").value = str(tmp_path / "no-such-dir" / "x.pcap")
        await pilot.press("enter")
        await pilot.pause()
        assert not isinstance(app.screen, Ask)
        assert not (tmp_path / "no-such-dir").exists()
