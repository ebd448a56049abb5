"""The link list, route table and neighbour table follow the kernel through events."""
from __future__ import annotations

from vethtui.tui.link_details import LinkDetails
from vethtui.tui.links import LinkList
from vethtui.tui.neighbours import NeighTable
from vethtui.tui.net_table import plain
from vethtui.tui.routes import RouteTable

from .conftest import FIRST_STEPS, lab_app, run


WIDE = (200, 50)
"""Wide enough for every column: narrower panes give up flags, MTU, MAC first
(test_columns_give_way_in_order)."""


def rows(table) -> list[list[str]]:
    return [[plain(c).rstrip() for c in table.get_row_at(i)] for i in range(table.row_count)]


def names(app) -> list[str]:
    return [r[1] for r in rows(app.query_one(LinkList))]


async def test_link_list_at_start_shows_the_default_lab():
    app = lab_app()
    async with app.run_test(size=WIDE):
        table = app.query_one(LinkList)
        assert rows(table)[0][:5] == ["1", "lo", "UNKNOWN", "<LOOPBACK,UP,LOWER_UP>", "65536"]
        eth0 = rows(table)[1]
        assert eth0[1:3] == ["eth0", "UP"]
        assert eth0[6].startswith("192.168.1.11/24 fe80::")
        assert rows(table)[2][2:4] == ["DOWN", "<NO-CARRIER,BROADCAST,MULTICAST,UP>"]


async def test_link_list_follows_the_first_steps():
    app = lab_app()
    async with app.run_test(size=WIDE) as pilot:
        await run(pilot, FIRST_STEPS[0])
        assert names(app)[3:] == ["veth1@veth0", "veth0@veth1"]
        veth = rows(app.query_one(LinkList))
        assert veth[3][2:4] == ["DOWN", "<BROADCAST,MULTICAST,M-DOWN>"]
        await run(pilot, FIRST_STEPS[1], FIRST_STEPS[2])
        veth0 = rows(app.query_one(LinkList))[4]
        assert veth0[2:4] == ["LOWERLAYERDOWN", "<NO-CARRIER,BROADCAST,MULTICAST,UP,M-DOWN>"]
        assert veth0[6].startswith("192.168.2.11/24")
        await run(pilot, FIRST_STEPS[3])
        assert [r[2] for r in rows(app.query_one(LinkList))[3:]] == ["UP", "UP"]
        await run(pilot, "ip link del veth0")
        assert names(app) == ["lo", "eth0", "docker0"]


async def test_link_colours_are_those_of_ip_c():
    app = lab_app()
    async with app.run_test(size=WIDE):
        eth0 = app.query_one(LinkList).get_row_at(1)
        # ip -c: ifname 36 (cyan), UP 32 (green), MAC 33 (yellow)
        assert eth0[1].spans[0].style.color.number == 6
        assert eth0[2].spans[0].style.color.number == 2
        assert eth0[5].spans[0].style.color.number == 3


async def test_changed_rows_are_highlighted_then_not():
    app = lab_app(highlight_seconds=3600)
    async with app.run_test(size=(120, 36)) as pilot:
        links = app.query_one(LinkList)
        assert links.changed_keys == set()           # nothing at start
        await run(pilot, FIRST_STEPS[0])
        assert links.changed_keys == {"4", "5"}
        links._changed = {k: 0 for k in links._changed}
        links._expire()
        assert links.changed_keys == set()


async def test_route_table_in_route_n_columns_and_the_local_table():
    app = lab_app()
    async with app.run_test(size=WIDE) as pilot:
        routes = app.query_one(RouteTable)
        assert rows(routes) == [
            ["0.0.0.0", "192.168.1.1", "0.0.0.0", "UG", "0", "0", "0", "eth0"],
            ["172.17.0.0", "0.0.0.0", "255.255.0.0", "U", "0", "0", "0", "docker0"],
            ["192.168.1.0", "0.0.0.0", "255.255.255.0", "U", "0", "0", "0", "eth0"],
        ]
        await run(pilot, *FIRST_STEPS[:3])
        assert ["192.168.2.0", "0.0.0.0", "255.255.255.0", "U", "0", "0", "0", "veth0"] \
            in rows(routes)
        await pilot.press("f3")
        await pilot.pause()
        local = [r[0] for r in rows(routes)]
        assert "local 192.168.2.11 dev veth0 proto kernel scope host src 192.168.2.11" in local
        assert routes.border_title == "Routes · host · local table"
        await run(pilot, "ip addr del 192.168.2.11/24 dev veth0")
        assert not any("192.168.2.11" in r for r in [x[0] for x in rows(routes)])
        await pilot.press("f3")
        await pilot.pause()
        assert rows(routes)[-1][0] == "192.168.1.0"


async def test_route_inserted_in_the_middle_keeps_dump_order():
    app = lab_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await run(pilot, "ip route add 10.0.0.0/8 via 192.168.1.1")
        assert [r[0] for r in rows(app.query_one(RouteTable))] == \
            ["0.0.0.0", "10.0.0.0", "172.17.0.0", "192.168.1.0"]


async def test_neighbour_table_follows_arp():
    app = lab_app()
    async with app.run_test(size=(120, 36)) as pilot:
        neigh = app.query_one(NeighTable)
        assert rows(neigh) == []
        await run(pilot, "ping -c 1 192.168.1.1", settle=1)
        assert rows(neigh) == [["192.168.1.1", "eth0", "52:54:00:12:35:02", "REACHABLE"]]
        await run(pilot, *FIRST_STEPS, "ping -c 1 -W 1 192.168.2.12")
        app.engine.settle(0.5)
        await pilot.pause()
        assert ["192.168.2.12", "veth0", "", "INCOMPLETE"] in rows(neigh)
        app.engine.settle(5)
        await pilot.pause()
        assert ["192.168.2.12", "veth0", "", "FAILED"] in rows(neigh)
        await run(pilot, "ip neigh flush dev veth0")
        assert rows(neigh) == [["192.168.1.1", "eth0", "52:54:00:12:35:02", "REACHABLE"]]


async def test_panes_can_be_pointed_at_another_namespace():
    app = lab_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await run(pilot, "ip netns add ns1", "ip link add veth0 type veth peer name veth1 netns ns1")
        ns1 = app.engine.world.netns["ns1"]
        for pane in (app.query_one(LinkList), app.query_one(RouteTable), app.query_one(NeighTable)):
            pane.set_net(ns1)
        await pilot.pause()
        assert names(app) == ["lo", "veth1@if4"]
        await run(pilot, "ip -n ns1 link set lo up")
        assert rows(app.query_one(LinkList))[0][2] == "UNKNOWN"


async def test_a_click_on_a_link_shows_its_details():
    app = lab_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await run(pilot, *FIRST_STEPS)
        await pilot.click(LinkList, offset=(3, 6))    # the row of veth0@veth1
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, LinkDetails)
        about = str(screen.query_one("#details-about").render())
        assert "veth0: veth device, ifindex 5, in namespace host" in about
        assert "peer: veth1, ifindex 4, in namespace host" in about
        body = str(screen.query_one("#details-body").render())
        assert body.startswith("5: veth0@veth1: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc "
                               "noqueue state UP group default qlen 1000\n")
        assert "\n    inet 192.168.2.11/24 scope global veth0\n" in body
        assert "RX:" in body and "TX:" in body
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, LinkDetails)


async def test_enter_on_a_link_then_c_opens_a_capture_on_it():
    from vethtui.tui.captures import CaptureArea
    app = lab_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("f4")                 # focus the link list
        assert app.focused is app.query_one(LinkList)
        await pilot.press("down", "enter")      # eth0
        await pilot.pause()
        assert isinstance(app.screen, LinkDetails)
        await pilot.press("c")
        await pilot.pause()
        await pilot.press("enter")              # no filter
        await pilot.pause()
        app.engine.settle(0)
        await pilot.pause()
        await pilot.pause()
        assert [v.session.title for v in app.query_one(CaptureArea).views] == ["eth0"]


async def test_c_in_the_link_list_captures_on_the_selected_link():
    from vethtui.tui.captures import CaptureArea
    from vethtui.tui.scrollback import Scrollback
    app = lab_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("f4", "down", "down", "c")   # docker0: up, no carrier
        await pilot.pause()
        await pilot.press("enter")                     # no filter
        await pilot.pause()
        app.engine.settle(0)
        await pilot.pause()
        await pilot.pause()
        assert "root@vethtui:~# tcpdump -i docker0 -n" in app.query_one(Scrollback).text
        assert [v.session.title for v in app.query_one(CaptureArea).views] == ["docker0"]
        await pilot.press("escape")
        assert app.focused.id == "command"


def column_keys(table) -> list[str]:
    return [c.key.value for c in table.ordered_columns]


async def test_columns_give_way_in_order():
    """Narrower, the link list gives up flags, then MTU, then the MAC, never the
    name, state or addresses; routes keep Iface, neighbours keep state."""
    app = lab_app()
    async with app.run_test(size=WIDE) as pilot:
        links = app.query_one(LinkList)
        assert column_keys(links) == ["ifindex", "name", "state", "flags", "mtu", "mac", "addrs"]
        await pilot.resize_terminal(120, 36)
        await pilot.pause()
        assert column_keys(links) == ["ifindex", "name", "state", "mtu", "mac", "addrs"]
        await pilot.resize_terminal(80, 36)
        await pilot.pause()
        assert column_keys(links) == ["ifindex", "name", "state", "addrs"]
        eth0 = rows(links)[1]
        assert eth0[2] == "UP" and eth0[3].startswith("192.168.1.11/24")
        routes = app.query_one(RouteTable)
        assert column_keys(routes)[-1] == "iface"
        assert {"dst", "gw", "mask", "flags"} <= set(column_keys(routes))
        assert column_keys(app.query_one(NeighTable)) == ["addr", "dev", "lladdr", "state"]


async def test_bridge_membership_is_a_column_once_there_is_a_bridge():
    app = lab_app()
    async with app.run_test(size=WIDE) as pilot:
        assert "master" not in column_keys(app.query_one(LinkList))
        await run(pilot, "ip link add br0 type bridge", *FIRST_STEPS[:1],
                  "ip link set veth1 master br0")
        links = app.query_one(LinkList)
        assert "master" in column_keys(links)
        by_name = {r[1]: r for r in rows(links)}
        assert by_name["veth1@veth0"][column_keys(links).index("master")] == "br0"
