"""Capture views side by side, the same packet marked in every view, and a view
that cannot keep up drops (and counts) what it cannot show."""
from __future__ import annotations

from vethtui.tui.captures import CaptureArea
from vethtui.tui.console import Console
from vethtui.tui.packet_log import PacketLog

from .conftest import FIRST_STEPS, flush_captures, lab_app, run

BOTH_ENDS = ["ip link set lo up"] + FIRST_STEPS + ["ip addr add 192.168.2.12/24 dev veth1"]


async def three_views(pilot):
    await run(pilot, *BOTH_ENDS, "tcpdump -i veth0 -n", "tcpdump -i veth1 -n",
              "tcpdump -i lo -n icmp")
    await flush_captures(pilot)
    area = pilot.app.query_one(CaptureArea)
    assert [v.session.title for v in area.views] == ["veth0", "veth1", "lo"]
    return area


async def test_three_views_are_tiled_when_there_is_room_and_tabbed_on_ctrl_t():
    app = lab_app("netns")
    async with app.run_test(size=(140, 60)) as pilot:
        area = await three_views(pilot)
        await pilot.pause()
        assert area.is_tiled
        assert all(v.parent.display for v in area.views)
        assert [v.parent.border_title for v in area.views] == ["veth0", "veth1", "lo · icmp"]
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert not area.is_tiled
        assert [v.parent.display for v in area.views] == [False, False, True]


async def test_too_little_room_gives_tabs():
    app = lab_app("netns")
    async with app.run_test(size=(80, 24)) as pilot:
        area = await three_views(pilot)
        await pilot.pause()
        assert not area.is_tiled


async def test_picking_a_packet_marks_its_copies_and_its_reply_elsewhere():
    app = lab_app("netns")
    async with app.run_test(size=(140, 60)) as pilot:
        area = await three_views(pilot)
        await run(pilot, "sysctl -qw net.ipv4.conf.veth1.accept_local=1",
                  "sysctl -qw net.ipv4.conf.all.rp_filter=0",
                  "sysctl -qw net.ipv4.conf.veth1.rp_filter=0",
                  "ping -c 1 -I veth0 192.168.2.12", settle=2)
        await flush_captures(pilot)
        veth0, veth1, lo = (v.log_widget for v in area.views)
        request = next(i for i, line in enumerate(veth0.lines) if "ICMP echo request" in line)
        veth0.focus()
        await pilot.pause()
        veth0._move_to(request)
        await pilot.pause()
        sid = veth0.skb_id_at(request)
        marks = veth1.marks
        assert marks.get(sid) == "same"          # the frame veth0 sent is what veth1 got
        reply = next(i for i, line in enumerate(lo.lines) if "ICMP echo reply" in line)
        assert lo.marks.get(lo.skb_id_at(reply)) == "caused"   # the reply, on lo
        got = next(i for i, line in enumerate(veth1.lines) if "ICMP echo request" in line)
        assert veth1._gutter(got) == "← "        # received on veth1
        assert veth0.marks == {}                  # the view with the cursor is not marked
        app.query_one(Console).input.focus()      # leaving the view clears the marks
        await pilot.pause()
        assert veth1.marks == {} and lo.marks == {}


async def test_hash_shows_the_packet_numbers_explain_takes():
    app = lab_app("netns")
    async with app.run_test(size=(140, 60)) as pilot:
        area = await three_views(pilot)
        await run(pilot, "ping -c 1 192.168.2.12", settle=2)
        await flush_captures(pilot)
        lo = area.views[2].log_widget
        lo.focus()
        await pilot.press("number_sign")
        line = next(i for i, text in enumerate(lo.lines) if "echo request" in text)
        assert lo._line_text_for(line).plain.startswith(f"#{lo.skb_id_at(line)} ")


async def test_a_flooded_view_drops_what_it_cannot_show_and_says_so():
    app = lab_app("netns")
    async with app.run_test(size=(120, 36)) as pilot:
        await run(pilot, *BOTH_ENDS, "tcpdump -i lo -n")
        await flush_captures(pilot)
        (view,) = app.query_one(CaptureArea).views
        await run(pilot, "ping -f 192.168.2.12")
        app.engine.settle(1)             # far more than the view can take meanwhile
        await pilot.pause()
        cs = view.session
        assert cs.not_shown > 0 and len(cs.ring) <= cs.RING
        assert "not shown" in view.status()
        await pilot.press("ctrl+c")
        app.engine.settle(0.1)
        for _ in range(20):
            app.query_one(CaptureArea).flush()
            await pilot.pause()
        assert "packets transmitted" in app.query_one(Console).scrollback.text
        await pilot.press("f8")
        for _ in range(5):
            app.query_one(CaptureArea).flush()
            await pilot.pause()
        lines = view.log_widget.lines
        assert lines[-1] == f"{cs.not_shown} packets dropped by kernel"


async def test_focus_moving_while_a_view_closes_is_not_an_error():
    """Found by the 5,000-event monkey: while a view is being removed (its log gone
    first), focus moving to another tile asked the closing view whether its log had
    the focus, and the query for the log raised."""
    from vethtui.tui.captures import CaptureArea
    app = lab_app("02-arp-accept-local")
    async with app.run_test(size=(120, 36)) as pilot:
        await run(pilot, "tcpdump -i veth0 -n", "tcpdump -i veth1 -n", "tcpdump -i lo -n")
        await pilot.pause()
        area = app.query_one(CaptureArea)
        v0, v1, v2 = area.views
        await v1.log_widget.remove()          # the state a closing view passes through
        v2.log_widget.focus()
        await pilot.pause()
        assert app.focused is v2.log_widget
        await area.close_view(v1)
        await pilot.pause()
        assert len(area.views) == 2
