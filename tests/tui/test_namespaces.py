"""Namespaces in the TUI: the prompt and titles follow the console into one, F9 picks the
namespace the state panes show, and captures in a namespace say so."""
from __future__ import annotations

from textual.widgets import Static

from vethtui.tui.captures import CaptureArea
from vethtui.tui.console import Console
from vethtui.tui.links import LinkList
from vethtui.tui.neighbours import NeighTable
from vethtui.tui.routes import RouteTable
from vethtui.tui.scrollback import Scrollback

from .conftest import flush_captures, lab_app, run
from .test_panes import names

PAIR = ["ip netns add ns1",
        "ip link add veth0 type veth peer name veth1 netns ns1",
        "ip addr add 10.0.0.1/24 dev veth0",
        "ip link set veth0 up",
        "ip -n ns1 addr add 10.0.0.2/24 dev veth1",
        "ip -n ns1 link set veth1 up"]


def prompt(app) -> str:
    return str(app.query_one("#prompt", Static).content)


def titles(app) -> list[str]:
    return [str(app.query_one(w).border_title) for w in (LinkList, RouteTable, NeighTable)]


async def test_entering_a_namespace_changes_the_prompt_and_the_titles_and_exit_restores_them():
    app = lab_app()
    async with app.run_test(size=(120, 36)) as pilot:
        assert prompt(app) == "root@vethtui:~# "
        assert titles(app) == ["Links · host", "Routes · host · main (route -n)",
                               "Neighbours · host"]
        await run(pilot, *PAIR, "ip netns exec ns1 bash")
        assert prompt(app) == "root@vethtui(ns1):~# "
        assert app.query_one(Console).border_title == "Console · namespace ns1"
        assert titles(app) == ["Links · ns1", "Routes · ns1 · main (route -n)",
                               "Neighbours · ns1"]
        assert names(app) == ["lo", "veth1@if4"]
        await run(pilot, "ip -br link show lo", "exit")
        out = app.query_one(Scrollback).text
        # each command echoed after the prompt it was typed at
        assert "root@vethtui:~# ip netns exec ns1 bash\n" in out
        assert "root@vethtui(ns1):~# ip -br link show lo\n" in out
        assert "root@vethtui(ns1):~# exit\n" in out
        assert prompt(app) == "root@vethtui:~# "
        assert app.query_one(Console).border_title == "Console · namespace host"
        assert titles(app)[0] == "Links · host"
        assert names(app) == ["lo", "eth0", "docker0", "veth0@if2"]


async def test_f9_cycles_the_namespaces_the_panes_show():
    app = lab_app()
    async with app.run_test(size=(120, 36)) as pilot:
        assert "f9" not in app.active_bindings         # only the host: nowhere to go
        await pilot.press("f9")
        assert titles(app)[0] == "Links · host"
        await run(pilot, *PAIR, "ip netns add ns2")
        assert "f9" in app.active_bindings
        shown = []
        for _ in range(3):
            await pilot.press("f9")
            await pilot.pause()
            shown.append(titles(app))
        assert [t[0] for t in shown] == ["Links · ns1", "Links · ns2", "Links · host"]
        assert shown[0][1:] == ["Routes · ns1 · main (route -n)", "Neighbours · ns1"]
        await pilot.press("f9")
        await pilot.pause()
        assert names(app) == ["lo", "veth1@if4"]
        assert app.query_one("#routes", RouteTable).net is app.engine.world.netns["ns1"]
        # the console stays where it was
        assert prompt(app) == "root@vethtui:~# "
        assert app.query_one(Console).border_title == "Console · namespace host"


async def test_a_shown_namespace_that_is_deleted_gives_way_to_the_host():
    app = lab_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await run(pilot, "ip netns add ns1", "ip netns add ns2")
        await pilot.press("f9", "f9")
        await pilot.pause()
        assert titles(app)[0] == "Links · ns2"
        await run(pilot, "ip netns del ns1")           # not the one shown: stays
        assert titles(app)[0] == "Links · ns2"
        await run(pilot, "ip netns del ns2")
        assert titles(app) == ["Links · host", "Routes · host · main (route -n)",
                               "Neighbours · host"]
        assert names(app) == ["lo", "eth0", "docker0"]


async def test_a_capture_in_a_namespace_is_titled_with_it():
    app = lab_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await run(pilot, *PAIR, "ip netns exec ns1 tcpdump -i veth1 -n")
        await flush_captures(pilot)
        (view,) = app.query_one(CaptureArea).views
        assert view.session.title == "ns1:veth1"
        assert app.query_one(CaptureArea).tabs.get_tab("capture-1").label.plain == "ns1:veth1"
        assert "tcpdump: capturing on ns1:veth1 in a view" in app.query_one(Scrollback).text


async def test_capturing_on_a_link_of_another_namespace_types_ip_netns_exec():
    app = lab_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await run(pilot, *PAIR)
        await pilot.press("f9", "f4")                  # panes on ns1, focus the links
        links = app.query_one(LinkList)
        assert app.focused is links
        await pilot.press("down", "c")                 # veth1
        await pilot.pause()
        await pilot.press("enter")                     # no filter
        await pilot.pause()
        app.engine.settle(0)
        await flush_captures(pilot)
        assert "root@vethtui:~# ip netns exec ns1 tcpdump -i veth1 -n" \
            in app.query_one(Scrollback).text
        (view,) = app.query_one(CaptureArea).views
        assert view.session.title == "ns1:veth1"
