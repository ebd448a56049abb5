"""A short screen (24 rows) shows one state pane at a time: the one the last command
changed, so the route a step made and the neighbour a ping failed are on screen."""
from __future__ import annotations

from pathlib import Path

from vethtui.tui.routes import RouteTable
from vethtui.tui.neighbours import NeighTable
from vethtui.tui.links import LinkList

from .conftest import lab_app, run

LAB02 = Path(__file__).resolve().parents[2] / "labs" / "02-arp-accept-local.toml"


async def test_the_short_screen_shows_the_pane_the_command_changed():
    app = lab_app(str(LAB02))
    async with app.run_test(size=(80, 24)) as pilot:
        assert app.screen.has_class("-short")
        shown = lambda: [p.id for p in (app.query_one(LinkList), app.query_one(RouteTable),  # noqa: E731
                                        app.query_one(NeighTable)) if p.display]
        assert shown() == ["links"]
        await run(pilot, "ip addr add 192.168.2.12/24 dev veth1")
        assert shown() == ["routes"]
        await run(pilot, "ping -c 1 -I veth0 192.168.2.12", settle=12)   # until ping gives up
        assert shown() == ["neighbours"]
        assert "FAILED" in " ".join(str(c) for c in app.query_one(NeighTable).get_row_at(0))
        await run(pilot, "ip link add vz0 type veth peer name vz1")
        assert shown() == ["links"]
        # F4: the user's choice holds while they are in the pane
        await pilot.press("f4")
        await pilot.pause()
        assert app.focused is not None and app.focused.id in ("links", "routes", "neighbours")
        chosen = shown()
        app.engine.run_command("ip route add 10.9.0.0/16 dev vz0")
        app.engine.settle(0)
        await pilot.pause()
        assert shown() == chosen


async def test_a_tall_screen_shows_every_state_pane():
    app = lab_app(str(LAB02))
    async with app.run_test(size=(100, 30)) as pilot:
        await run(pilot, "ip addr add 192.168.2.12/24 dev veth1")
        assert all(p.display for p in (app.query_one(LinkList), app.query_one(RouteTable),
                                       app.query_one(NeighTable)))


async def test_captures_on_a_30_row_screen_leave_the_console_its_lines():
    """At 100x30 with a lab and a capture, three state panes left the console one line
    of ping's output: the screen shows one state pane while a view is open, the pane the
    command changed, and all three again when the last view closes."""
    app = lab_app(str(LAB02))
    async with app.run_test(size=(100, 30)) as pilot:
        panes = (app.query_one(LinkList), app.query_one(RouteTable), app.query_one(NeighTable))
        await run(pilot, "tcpdump -i veth0 -n", settle=0.5)
        await pilot.pause()
        assert app.showing_one_pane()
        await run(pilot, "ping -c 1 -I veth0 192.168.2.12", settle=12)
        assert [p.id for p in panes if p.display] == ["neighbours"]
        console = app.query_one("#console").region
        assert console.height >= app.CONSOLE_CROWDED
        assert app.query_one("#captures").region.bottom <= 29
        await pilot.press("ctrl+w")
        await pilot.pause()
        await pilot.pause()
        assert not app.showing_one_pane()
        assert all(p.display for p in panes)
