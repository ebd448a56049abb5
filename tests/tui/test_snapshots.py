"""Screenshots of what a learner sees (pytest-textual-snapshot).

Update with `pytest tests/tui --snapshot-update` and look at the SVGs in
__snapshots__/ before committing them.
"""
from __future__ import annotations

from .conftest import FIRST_STEPS, flush_captures, lab_app, run


def test_default_lab_at_start(snap_compare):
    assert snap_compare(lab_app(), terminal_size=(120, 36))


def test_after_first_steps(snap_compare):
    """The pair made, an address on veth0, both ends up; changed rows stay highlighted."""
    async def steps(pilot):
        await run(pilot, *FIRST_STEPS)
        pilot.app.engine.settle(0.5)
        await pilot.pause()

    assert snap_compare(lab_app(highlight_seconds=3600), terminal_size=(120, 36),
                        run_before=steps)


def test_capture_view_with_arp_requests(snap_compare):
    async def steps(pilot):
        await run(pilot, *FIRST_STEPS)
        await run(pilot, "tcpdump -i veth1 -n", "ping -c 2 192.168.2.12", settle=4)
        await flush_captures(pilot)

    assert snap_compare(lab_app(), terminal_size=(120, 36), run_before=steps)


def test_help_screen(snap_compare):
    assert snap_compare(lab_app(), terminal_size=(120, 36), press=["f1"])


def test_small_terminal_80x24(snap_compare):
    async def steps(pilot):
        await run(pilot, "ip -br addr", "ip route")

    assert snap_compare(lab_app(), terminal_size=(80, 24), run_before=steps)


def test_error_in_the_console(snap_compare):
    async def steps(pilot):
        await run(pilot, "ip link set veth9 up", "ip addr add 10.0.0.1/33 dev eth0", "ifconfig")

    assert snap_compare(lab_app(), terminal_size=(120, 36), run_before=steps)


def test_explain_panel_for_a_packet_picked_in_a_capture_view(snap_compare):
    """F4 to the view, the cursor on a packet, Enter: its walk-through, wrapped with a
    hanging indent."""
    async def steps(pilot):
        await run(pilot, "tcpdump -i eth0 -n icmp", "ping -c 1 192.168.1.1", settle=2)
        await flush_captures(pilot)
        await pilot.press("f4", "f4", "f4", "f4", "up", "enter")
        await pilot.pause()

    assert snap_compare(lab_app(), terminal_size=(100, 32), run_before=steps)


LAB02 = "labs/02-arp-accept-local.toml"


def _lab02_step1_then_failed_ping():
    """Lab 02 with step 1 done (veth1 addressed: two connected routes, one per end)
    and the failed `ping -I veth0` (a FAILED neighbour): what the lesson is about."""
    async def steps(pilot):
        await run(pilot, "ip addr add 192.168.2.12/24 dev veth1", "route -n")
        await run(pilot, "ping -c 1 -I veth0 192.168.2.12", settle=5)
        pilot.app.engine.settle(1)
        await pilot.pause()
    return steps


def _lab02_app():
    from pathlib import Path
    return lab_app(str(Path(__file__).resolve().parents[2] / LAB02))


def test_lab02_step1_at_140x45(snap_compare):
    assert snap_compare(_lab02_app(), terminal_size=(140, 45),
                        run_before=_lab02_step1_then_failed_ping())


def test_lab02_step1_at_100x30(snap_compare):
    assert snap_compare(_lab02_app(), terminal_size=(100, 30),
                        run_before=_lab02_step1_then_failed_ping())


def test_lab02_step1_at_80x24(snap_compare):
    assert snap_compare(_lab02_app(), terminal_size=(80, 24),
                        run_before=_lab02_step1_then_failed_ping())


def test_three_capture_views_side_by_side(snap_compare):
    async def steps(pilot):
        await run(pilot, "ip addr add 192.168.2.12/24 dev veth1", "tcpdump -i veth0 -n",
                  "tcpdump -i veth1 -n", "tcpdump -i lo -n icmp")
        await run(pilot, "ping -c 1 -I veth0 192.168.2.12", settle=5)
        await flush_captures(pilot)
    assert snap_compare(_lab02_app(), terminal_size=(140, 45), run_before=steps)
