"""The netfilter and conntrack panes: out of the way until there is something to show,
then the rules with live counters and the connections with their NAT rewrite."""
from __future__ import annotations

import pytest

from vethtui.tui.netfilter import ConntrackTable, NetfilterTable, _count

from .conftest import lab_app, run


def _rows(table) -> list[str]:
    return [" ".join(str(c) for c in table.get_row_at(i)) for i in range(table.row_count)]


async def test_hidden_until_a_table_is_loaded_then_counting():
    app = lab_app()
    async with app.run_test(size=(140, 45)) as pilot:
        nf, ct = app.query_one(NetfilterTable), app.query_one(ConntrackTable)
        await run(pilot, "ip link")
        assert not nf.display and not ct.display
        await run(pilot, "iptables -A OUTPUT -d 192.168.1.1 -p icmp -j ACCEPT")
        nf._tick()
        await pilot.pause()
        assert nf.display and not ct.display
        assert any("-A OUTPUT -d 192.168.1.1/32 -p icmp -j ACCEPT" in r for r in _rows(nf))
        await run(pilot, "ping -c 2 192.168.1.1", settle=3.0)
        nf._tick()
        await pilot.pause()
        rule = next(r for r in _rows(nf) if "-j ACCEPT" in r and "OUTPUT -d" in r)
        assert rule.split()[:3] == ["1", "2", "168"]      # rule 1, 2 packets, 2 x 84 bytes
        # the console and the captures keep their rows
        assert app.query_one("#console").region.height >= app.CONSOLE_MIN


async def test_masquerade_shows_the_connection_and_its_rewrite():
    app = lab_app()
    async with app.run_test(size=(140, 45)) as pilot:
        await run(pilot, "ip netns add c1", "ip link add veth0 type veth peer name eth0 netns c1",
                  "ip addr add 172.18.0.1/16 dev veth0", "ip link set veth0 up",
                  "ip -n c1 addr add 172.18.0.2/16 dev eth0", "ip -n c1 link set eth0 up",
                  "ip -n c1 route add default via 172.18.0.1",
                  "sysctl -w net.ipv4.ip_forward=1",
                  "iptables -t nat -A POSTROUTING -s 172.18.0.0/16 -o eth0 -j MASQUERADE",
                  settle=0.5)
        await run(pilot, "ip netns exec c1 ping -c 1 192.168.1.1", settle=3.0)
        ct = app.query_one(ConntrackTable)
        ct._tick()
        await pilot.pause()
        assert ct.display
        rows = _rows(ct)
        assert any(r.startswith("icmp") and "172.18.0.2 > 192.168.1.1" in r
                   and "192.168.1.1 > 192.168.1.11" in r for r in rows), rows


def test_counters_are_printed_as_iptables_prints_them():
    assert [_count(n) for n in (0, 99999, 100000, 1234567, 9999499, 9999500)] == \
        ["0", "99999", "100K", "1235K", "9999K", "10M"]


@pytest.mark.parametrize("size", [(100, 30), (100, 24)])
async def test_on_a_short_screen_the_captures_keep_their_rows(size):
    """Lab 09 with a capture open: links, routes, neighbours, netfilter and conntrack
    all have rows. At 30 rows the screen shows one state pane (the console keeps three
    lines of output) and both netfilter panes; at 24 conntrack steps aside too. The
    captures are on the screen either way."""
    app = lab_app("09-container-networking")
    async with app.run_test(size=size) as pilot:
        await run(pilot, "ip -n c1 addr add 172.18.0.2/16 dev eth0",
                  "ip addr add 172.18.0.1/16 dev br0",
                  "ip -n c1 route add default via 172.18.0.1",
                  "sysctl -w net.ipv4.ip_forward=1",
                  "iptables -t nat -A POSTROUTING -s 172.18.0.0/16 ! -o br0 -j MASQUERADE",
                  "tcpdump -i eth0 -n")
        await run(pilot, "ip netns exec c1 ping -c 1 8.8.8.8", settle=2.0)
        for pane in (app.query_one(NetfilterTable), app.query_one(ConntrackTable)):
            pane._tick()
        app.arrange_tables()
        await pilot.pause()
        captures = app.query_one("#captures").region
        assert captures.height >= app.CAPTURES_MIN and captures.bottom <= size[1] - 1
        assert app.showing_one_pane()
        assert app.query_one("#console").region.height >= app.CONSOLE_CROWDED
        assert app.query_one(NetfilterTable).display
        assert app.query_one(ConntrackTable).squeezed == (size[1] < 30)
