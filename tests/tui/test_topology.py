"""The topology pane (F10) and simulation mode (F11 pause, F12 / → step, ← back, f filter).

Snapshots of the picture for the article's three situations, a pair between two
namespaces and a bridge with three namespaces; pilot tests for the keys, stepping
and rewinding, and the path a packet picked in a capture view lit on the picture.
Update the SVGs with `pytest tests/tui --snapshot-update` and look at them first.
"""
from __future__ import annotations

from vethtui.tui.captures import CaptureArea
from vethtui.tui.console import Console
from vethtui.tui.explain_screen import ExplainScreen
from vethtui.tui.topology import CURRENT, DROP, PATH, TopologyCanvas, TopologyPane, row_text

from .conftest import FIRST_STEPS, flush_captures, lab_app, run

BOTH = FIRST_STEPS + ["ip addr add 192.168.2.12/24 dev veth1"]
PING = "ping -c 1 -I veth0 192.168.2.12"
FIX = ["echo 1 > /proc/sys/net/ipv4/conf/veth1/accept_local",
       "echo 0 > /proc/sys/net/ipv4/conf/all/rp_filter",
       "echo 0 > /proc/sys/net/ipv4/conf/veth1/rp_filter"]
TWO_NAMESPACES = ["ip netns add ns1", "ip netns add ns2",
                  "ip link add veth0 netns ns1 type veth peer name veth1 netns ns2",
                  "ip -n ns1 addr add 10.1.1.1/24 dev veth0",
                  "ip -n ns2 addr add 10.1.1.2/24 dev veth1",
                  "ip -n ns1 link set veth0 up", "ip -n ns2 link set veth1 up"]
BRIDGE = ["ip link add br0 type bridge", "ip link set br0 up", "ip addr add 10.0.0.1/24 dev br0"]
for _i in (1, 2, 3):
    BRIDGE += [f"ip netns add ns{_i}",
               f"ip link add veth{_i} type veth peer name eth0 netns ns{_i}",
               f"ip link set veth{_i} master br0", f"ip link set veth{_i} up",
               f"ip -n ns{_i} addr add 10.0.0.{10 + _i}/24 dev eth0",
               f"ip -n ns{_i} link set eth0 up"]


def pane(app) -> TopologyPane:
    return app.query_one(TopologyPane)


def ns_id(app, ns: str) -> int:
    """A namespace's identity (net_cookie): what the picture keys its boxes by."""
    world = app.engine.world
    return (world.init_net if ns == "host" else world.netns[ns]).net_cookie


def key(app, ns: str, dev: str) -> tuple[int, str]:
    """A port's key on the picture: its namespace's identity, then the device's name."""
    return (ns_id(app, ns), dev)


async def show_picture(pilot) -> None:
    await pilot.press("f10")
    await pilot.pause()


async def type_line(pilot, line: str) -> None:
    """Type in the console wherever the focus was (Esc first, as a learner would)."""
    await pilot.press("escape")
    await run(pilot, line)


# ---------------------------------------------------------------- snapshots

def test_snapshot_pair_with_one_address(snap_compare):
    """Situation 1: one box, veth0 and veth1 joined by a line, veth0's address."""
    async def steps(pilot):
        await run(pilot, *FIRST_STEPS)
        await show_picture(pilot)

    assert snap_compare(lab_app(), terminal_size=(140, 45), run_before=steps)


def test_snapshot_both_addressed_arp_refused_while_stepping(snap_compare):
    """Situation 2: paused before the ping, stepped to arp_process refusing the request."""
    async def steps(pilot):
        await run(pilot, *BOTH)
        await pilot.press("f11")
        await type_line(pilot, PING)
        for _ in range(6):
            await pilot.press("f12")
            await pilot.pause()

    assert snap_compare(lab_app(), terminal_size=(140, 45), run_before=steps)


def test_snapshot_accept_local_reply_through_lo(snap_compare):
    """Situation 3: with accept_local=1 the echo reply comes back on lo; its path lit."""
    async def steps(pilot):
        await run(pilot, *BOTH, *FIX)
        await run(pilot, PING, settle=2)
        await show_picture(pilot)
        world = pilot.app.engine.world
        reply = max(r.id for r in world.packets.values()
                    if r.trace and r.trace[0].hook == "icmp_push_reply")
        pane(pilot.app).highlight_packet(reply)
        await pilot.pause()

    assert snap_compare(lab_app(), terminal_size=(140, 45), run_before=steps)


def test_snapshot_two_namespaces(snap_compare):
    async def steps(pilot):
        await run(pilot, *TWO_NAMESPACES)
        await show_picture(pilot)

    assert snap_compare(lab_app("netns"), terminal_size=(140, 45), run_before=steps)


def test_snapshot_bridge_with_three_namespaces(snap_compare):
    async def steps(pilot):
        await run(pilot, *BRIDGE)
        await show_picture(pilot)

    assert snap_compare(lab_app("netns"), terminal_size=(140, 45), run_before=steps)


def test_snapshot_80x24_one_column(snap_compare):
    async def steps(pilot):
        await run(pilot, *FIRST_STEPS, "ip netns add ns1", "ip link set veth1 netns ns1")
        await show_picture(pilot)

    assert snap_compare(lab_app(), terminal_size=(80, 24), run_before=steps)


# ---------------------------------------------------------------- the pane

async def test_f10_shows_the_picture_in_place_of_the_state_panes():
    app = lab_app()
    async with app.run_test(size=(140, 45)) as pilot:
        topology = pane(app)
        assert not topology.display and app.query_one("#state").display
        await show_picture(pilot)
        assert topology.display and not app.query_one("#state").display
        await pilot.press("f10")
        await pilot.pause()
        assert not topology.display and app.query_one("#state").display


async def test_the_picture_follows_the_kernel():
    """The article's first four commands, then veth1 into ns1: one box, then two."""
    app = lab_app()
    async with app.run_test(size=(140, 45)) as pilot:
        await show_picture(pilot)
        await run(pilot, *FIRST_STEPS)
        pic = pane(app).picture
        assert set(pic.boxes) == {ns_id(app, "host"), ("LAN", "lan0")}
        assert pic.wire_of[key(app, "host", "veth0")] == (key(app, "host", "veth1"),
                                                          key(app, "host", "veth0"))
        assert "192.168.2.11/24" in pic.text()
        await run(pilot, "ip netns add ns1", "ip link set veth1 netns ns1")
        pic = pane(app).picture
        assert set(pic.boxes) == {ns_id(app, "host"), ns_id(app, "ns1"),
                                  ("LAN", "lan0")}
        assert pic.wire_of[key(app, "host", "veth0")] == (key(app, "host", "veth0"),
                                                          key(app, "ns1", "veth1"))
        # hidden, it waits; shown again, it is current
        await pilot.press("f10")
        await run(pilot, "ip netns add ns2")
        await pilot.press("f10")
        await pilot.pause()
        assert ns_id(app, "ns2") in pane(app).picture.boxes


async def test_a_packet_shows_on_its_wire_for_a_moment():
    app = lab_app()
    async with app.run_test(size=(140, 45)) as pilot:
        await run(pilot, *FIRST_STEPS)
        await show_picture(pilot)
        await run(pilot, "ping -c 1 -W 1 192.168.2.12")
        app.engine.settle(0.1)
        await pilot.pause()
        topology = pane(app)
        labels = topology.canvas.overlay.labels
        assert labels[key(app, "host", "veth0")] == ("ARP", True)      # leaving veth0
        assert labels[key(app, "host", "veth1")] == ("ARP", False)     # arriving at veth1
        row = topology.picture.slots[key(app, "host", "veth0")][0]
        assert "ARP▶" in row_text(topology.picture, row, topology.canvas.overlay).plain
        app.engine.settle(3)            # ping -W 1 gives up
        await run(pilot, "ping -c 1 192.168.1.1", settle=0.5)
        labels = topology.canvas.overlay.labels
        assert labels[key(app, "host", "eth0")] == ("ICMP", False)     # the reply came in
        wire = topology.picture.wire_of[key(app, "host", "eth0")]
        assert wire in topology.canvas.overlay.wires
        app.engine.settle(1.2)          # a moment later: the wire is quiet again
        await run(pilot, "true")
        assert key(app, "host", "eth0") not in topology.canvas.overlay.labels


async def test_two_namespaces_called_host_with_ends_of_one_name():
    """`ip netns add host` beside the lab's own "host", a pair whose two ends are both
    veth0: two boxes, one line between them, and a packet's arrow at each end (keyed
    by the namespaces' identities, these ports are not one port)."""
    app = lab_app()
    async with app.run_test(size=(140, 45)) as pilot:
        await show_picture(pilot)
        await run(pilot, "ip netns add host",
                  "ip link add veth0 type veth peer name veth0 netns host",
                  "ip addr add 10.9.0.1/24 dev veth0",
                  "ip -n host addr add 10.9.0.2/24 dev veth0",
                  "ip link set veth0 up", "ip -n host link set veth0 up")
        own, other = ns_id(app, "host"), app.engine.world.netns["host"].net_cookie
        pic = pane(app).picture
        assert {own, other} <= set(pic.boxes) and own != other
        assert pic.wire_of[(own, "veth0")] == ((own, "veth0"), (other, "veth0"))
        assert pic.boxes[own][1] < pic.boxes[other][1]          # two columns
        assert "┌─ netns host " in pic.text()
        await run(pilot, "ping -c 1 10.9.0.2", settle=0.1)
        labels = pane(app).canvas.overlay.labels
        assert labels[(own, "veth0")] == ("ICMP", False)        # the reply came back
        assert labels[(other, "veth0")] == ("ICMP", True)       # the reply left


# ---------------------------------------------------------------- simulation mode

async def test_stepping_the_article_step_two():
    """Paused before the ping: the ARP request leaves veth0, arrives at veth1, and
    arp_process refuses it, one event per step, each lit on the picture."""
    app = lab_app()
    async with app.run_test(size=(140, 45)) as pilot:
        await run(pilot, *BOTH)
        await pilot.press("f11")
        await pilot.pause()
        topology = pane(app)
        assert app.engine.paused and topology.display and topology.stepper is not None
        assert isinstance(app.focused, TopologyCanvas)
        await type_line(pilot, PING)
        console = app.query_one(Console)
        assert any("queued: ping -c 1 -I veth0 192.168.2.12 (the clock is paused" in line
                   for line in console.scrollback.lines)
        assert app.engine.foreground is None          # not started: waiting for a step
        overlay = topology.canvas.overlay
        seen = []
        for _ in range(6):
            await pilot.press("f12")
            await pilot.pause()
            seen.append(topology.stepper.current)
        assert seen[0].what == f"$ {PING}"
        assert [(e.where, e.kind) for e in seen[3:]] == [
            ("veth0", "xmit"), ("veth1", "rcv"), ("veth1", "refuse")]
        assert "arp_process: source 192.168.2.11 is a local address" in seen[5].what
        assert overlay.ports[key(app, "host", "veth1")] == DROP  # refused there
        assert overlay.ports[key(app, "host", "veth0")] == PATH  # where it came from
        # back (on the picture): the view rewinds, the clock does not
        now = app.engine.world.sched.now
        topology.canvas.focus()
        await pilot.press("left")
        await pilot.pause()
        assert topology.stepper.current == seen[4]
        assert overlay.labels[key(app, "host", "veth1")] == ("ARP", False)
        assert overlay.ports[key(app, "host", "veth1")] == CURRENT
        await pilot.press("left")
        await pilot.pause()
        assert topology.stepper.current == seen[3]
        assert overlay.labels[key(app, "host", "veth0")] == ("ARP", True)
        assert overlay.ports[key(app, "host", "veth0")] == CURRENT
        wire = topology.picture.wire_of[key(app, "host", "veth0")]
        assert overlay.wires[wire] == CURRENT
        assert app.engine.world.sched.now == now
        await pilot.press("right", "n")
        await pilot.pause()
        assert topology.stepper.current == seen[5]
        assert app.engine.world.sched.now == now
        info = str(topology.query_one("#topo-info").content)
        assert "event 6 of 6" in info and "filter all" in info
        steps_text = str(topology.query_one("#topo-steps").content)
        assert "veth0          xmit ARP request who-has 192.168.2.12" in steps_text
        # f: ARP only; the next step is the retry a second later
        await pilot.press("f")
        await pilot.pause()
        assert topology.stepper.filter == "ARP"
        await pilot.press("right")
        await pilot.pause()
        cur = topology.stepper.current
        assert (cur.where, cur.kind, cur.proto) == ("veth0", "xmit", "ARP") and cur.time > 0.9
        # space: the clock runs again, the event list closes
        await pilot.press("space")
        await pilot.pause()
        assert not app.engine.paused and topology.stepper is None


async def test_a_drop_is_marked_where_it_happened():
    app = lab_app()
    async with app.run_test(size=(140, 45)) as pilot:
        await run(pilot, *FIRST_STEPS)
        await run(pilot, "ip link set veth1 down")
        await pilot.press("f11")
        await type_line(pilot, "ping -c 1 -W 1 192.168.2.12")
        topology = pane(app)
        for _ in range(10):
            await pilot.press("f12")
            await pilot.pause()
            if topology.stepper.current.kind == "drop":
                break
        cur = topology.stepper.current
        assert cur.kind == "drop" and cur.reason == "QDISC_DROP" and cur.dev == "veth0"
        assert topology.canvas.overlay.ports[key(app, "host", "veth0")] == DROP


async def test_picking_a_packet_in_a_capture_view_lights_its_path():
    app = lab_app()
    async with app.run_test(size=(140, 45)) as pilot:
        await run(pilot, *BOTH)
        await show_picture(pilot)
        await run(pilot, "tcpdump -i veth1 -n arp", PING, settle=4)
        await flush_captures(pilot)
        view = app.query_one(CaptureArea).active_view
        view.log_widget.focus()
        await pilot.press("home", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ExplainScreen)
        await pilot.press("escape")
        await pilot.pause()
        topology = pane(app)
        overlay = topology.canvas.overlay
        assert topology.highlighted is not None
        assert overlay.ports[key(app, "host", "veth0")] == PATH
        wire = topology.picture.wire_of[key(app, "host", "veth0")]
        assert overlay.wires[wire] == PATH
        info = str(topology.query_one("#topo-info").content)
        assert info.startswith(f"Packet #{topology.highlighted} (ARP request who-has "
                               "192.168.2.12 tell 192.168.2.11): veth0 → veth1: ✗ arp_process: "
                               "source 192.168.2.11 is a local address")
        assert overlay.ports[key(app, "host", "veth1")] == DROP


async def test_palette_lists_the_picture_and_simulation_commands():
    app = lab_app()
    async with app.run_test(size=(140, 45)) as pilot:
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "Picture: show or hide the topology" in titles
        assert "Simulation: pause or run the virtual clock" in titles
        assert "Simulation: back one event" not in titles
        await pilot.press("f11")
        await pilot.pause()
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "Simulation: step to the next packet event" in titles
        assert "Simulation: back one event" in titles
