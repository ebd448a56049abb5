"""Two namespaces with one display name: the lab's own ("host") and `ip netns add host`.

What the UI reads (the picture, explain, the stepper's rows, capture views) tells them
apart by identity (the net_cookie every trace, capture and stack event carries), and
shows the `ip netns` one as `netns host`. What the commands print is Linux's: see the
golden tests/oracle/scenarios/ns_09_netns_named_host.
"""
from __future__ import annotations

from vethtui.engine import make_engine
from vethtui.explain import explain_command, explain_packet
from vethtui.stepper import Follower, packet_path
from vethtui.topology import layout, render, snapshot

SETUP = ["ip netns add host",
         "ip link add veth0 type veth peer name veth1 netns host",
         "ip addr add 10.9.0.1/24 dev veth0", "ip -n host addr add 10.9.0.2/24 dev veth1",
         "ip link set veth0 up", "ip -n host link set veth1 up", "ip -n host link set lo up"]


def clash(ping: bool = True):
    engine = make_engine("netns", speed="instant")
    for line in SETUP + (["ping -c 1 10.9.0.2"] if ping else []):
        job = engine.run_command(line)
        engine.run_until_done(job)
        assert job.status == 0, line
    world = engine.world
    own, other = world.init_net, world.netns["host"]
    assert own.display_name == other.display_name == "host"
    assert own.net_cookie != other.net_cookie
    return engine, own, other


def echo_request(world):
    """The ping's echo request: the packet ping's raw socket sent."""
    return next(r for r in world.packets.values()
                if r.trace and r.trace[0].hook == "raw_sendmsg")


# ---------------------------------------------------------------- the picture

def test_the_picture_has_two_boxes_and_the_line_between_them():
    engine, own, other = clash(ping=False)
    snap = snapshot(engine.world)
    boxes = {b.key: b for b in snap.boxes}
    assert set(boxes) == {own.net_cookie, other.net_cookie}
    assert boxes[own.net_cookie].name == "host"
    assert boxes[other.net_cookie].name == "netns host"
    veth0 = next(p for p in boxes[own.net_cookie].ports if p.name == "veth0")
    veth1 = next(p for p in boxes[other.net_cookie].ports if p.name == "veth1")
    assert veth0.link == veth1.key == (other.net_cookie, "veth1")
    assert veth1.link == veth0.key == (own.net_cookie, "veth0")
    pic = layout(snap, 140)
    # one wire, from one box to the other: not a loop beside one box
    assert list(pic.wires) == [(veth0.key, veth1.key)]
    (row0, _s0), (row1, _s1) = pic.ports[veth0.key], pic.ports[veth1.key]
    assert pic.boxes[own.net_cookie][1] < pic.boxes[other.net_cookie][1]   # left, right
    assert pic.ports[veth0.key][1] < pic.ports[veth1.key][1]
    assert render(engine.world).splitlines()[0].startswith("┌─ host ")
    assert "┌─ netns host " in render(engine.world)
    words = layout(snap, 30)
    assert words.mode == "words"
    assert "⇄ netns host veth1" in words.text() and "⇄ host veth0" in words.text()


# ---------------------------------------------------------------- explain

def test_explain_shows_the_packet_changing_namespace():
    engine, own, other = clash()
    rec = echo_request(engine.world)
    nets = [e.net_cookie for e in rec.trace]
    assert own.net_cookie in nets and other.net_cookie in nets
    text = explain_packet(engine.world, rec.id)
    lines = text.splitlines()
    first = next(ln for ln in lines if ln.lstrip().startswith("1. "))
    assert first.lstrip().startswith("1. [host] ping's raw socket sends it")
    assert "veth0 hands the frame to its veth peer veth1 in namespace netns host" in text
    arrives = next(ln for ln in lines if "[netns host]" in ln)
    assert "veth1 receives it" in arrives
    # the reply goes back: its story starts in netns host and crosses into host
    reply = text[text.index("ICMP echo reply"):]
    assert "[netns host]" in reply and "in namespace host  [veth_xmit]" in reply


def test_explain_tells_one_story_per_namespace_not_per_name():
    """A ping from each "host" to the other: the same hooks in the same order, but the
    two echo requests start in different namespaces, so they are two stories."""
    engine, own, other = clash()
    job = engine.run_command("ip netns exec host ping -c 1 10.9.0.1")
    engine.run_until_done(job)
    mark = engine.world.commands[-1]
    assert mark.net == "host" and mark.net_cookie == own.net_cookie
    text = explain_command(engine.world, mark)
    request = next(ln for ln in text.splitlines() if ln.startswith("Packet #")
                   and "ICMP echo request" in ln)
    body = text[text.index(request):]
    assert "1. [netns host] ping's raw socket sends it" in body
    assert "in namespace host  [veth_xmit]" in body


# ---------------------------------------------------------------- the stepper

def test_stepper_rows_name_the_other_host_and_keep_its_identity():
    engine, own, other = clash()
    rec = echo_request(engine.world)
    rows = [(e.where, e.kind, e.net_cookie) for e in packet_path(engine.world, rec.id)
            if e.kind in ("xmit", "rcv")]
    assert rows[:2] == [("veth0", "xmit", own.net_cookie),
                        ("netns host:veth1", "rcv", other.net_cookie)]


def test_a_command_row_run_in_the_other_host_is_marked():
    engine, own, other = clash(ping=False)
    follower = Follower(engine.world)
    for line in ("ping -c 1 10.9.0.2", "ip netns exec host ping -c 1 10.9.0.1"):
        engine.run_until_done(engine.run_command(line))
    commands = [e for e in follower.collect() if e.kind == "command"]
    # `ip netns exec` runs its command from the caller's shell: the line is the host's
    assert [(e.where, e.net_cookie) for e in commands] == [
        ("", own.net_cookie), ("", own.net_cookie)]
    engine.run_command("ip netns exec host bash")     # the console enters netns host
    engine.settle(0.01)
    assert engine.session.net is other
    engine.run_until_done(engine.run_command("ping -c 1 10.9.0.1"))
    row = [e for e in follower.collect() if e.kind == "command"][-1]
    assert (row.where, row.net_cookie, row.own) == ("[netns host]", other.net_cookie, False)


# ---------------------------------------------------------------- capture views

def test_a_capture_on_any_in_each_host_reports_its_own_frames():
    engine, own, other = clash(ping=False)
    views = {ns.net_cookie: engine.open_capture(ns, "any", None) for ns in (own, other)}
    engine.run_until_done(engine.run_command("ping -c 1 10.9.0.2"))
    engine.settle(0.1)
    lines = {c: [text for text, sid in cs.drain() if sid is not None]
             for c, cs in views.items()}
    for c, cs in views.items():
        assert cs.events and {ev.net_cookie for ev in cs.events} == {c}
        assert {ev.net for ev in cs.events} == {"host"}
    assert views[own.net_cookie].title == "any"
    assert views[other.net_cookie].title == "netns host:any"

    def frames(c):
        return [" ".join(line.split()[1:4]) for line in lines[c]]
    assert "veth0 Out IP" in frames(own.net_cookie)
    assert "veth0 In IP" in frames(own.net_cookie)
    assert not any("veth1" in f for f in frames(own.net_cookie))
    assert "veth1 In IP" in frames(other.net_cookie)
    assert "veth1 Out IP" in frames(other.net_cookie)
    assert not any("veth0" in f for f in frames(other.net_cookie))


# ---------------------------------------------------------------- the panes' query API

def test_netview_labels_the_other_host_and_events_carry_identities():
    from vethtui import netview
    from vethtui.engine import JobStarted
    engine, own, other = clash(ping=False)
    assert netview.name_of(own) == netview.name_of(other) == "host"
    assert (netview.label_of(own), netview.label_of(other)) == ("host", "netns host")
    ifindex = other.dev_by_name("veth1").ifindex
    about = netview.link_detail(other, ifindex).about
    assert "in namespace netns host" in about
    assert "peer: veth0, ifindex 2, in namespace host" in about
    started = []
    engine.subscribe(lambda ev: started.append(ev) if isinstance(ev, JobStarted) else None)
    engine.run_until_done(engine.run_command("ip -br link", net=other))
    engine.run_until_done(engine.run_command("ip -br link"))
    assert [(ev.net, ev.net_cookie) for ev in started] == [
        ("host", other.net_cookie), ("host", own.net_cookie)]


def test_a_frame_still_queued_on_the_peer_names_the_peers_namespace_by_identity():
    """Before the peer has received it (its next event not there yet) as after, explain
    tells it from what the veth driver recorded: the peer's namespace by name and by
    identity."""
    from vethtui.explain import _sentence
    from vethtui.kernel.skb import TraceEvent

    def xmit(peer_cookie: int) -> TraceEvent:
        return TraceEvent(1.0, "host", "veth_xmit", "forwarded",
                          {"dev": "veth0", "peer": "veth1", "peer_net": "host",
                           "peer_net_cookie": peer_cookie}, "veth0", 1)
    assert _sentence(xmit(2), 1) == \
        "veth0 hands the frame to its veth peer veth1 in namespace netns host"
    assert _sentence(xmit(1), 1) == "veth0 hands the frame to its veth peer veth1"


def test_an_untraced_drop_names_its_namespace_by_identity():
    """explain of a packet the tracer did not keep falls back on the drop record, which
    carries the namespace's identity: a drop in `ip netns`' host says so."""
    engine, own, other = clash(ping=False)
    world = engine.world
    world.tracing = False
    for line in ("ip netns exec host ping -c 1 -W 1 10.9.0.77", "ping -c 1 -W 1 10.9.0.78"):
        engine.run_until_done(engine.run_command(line))
    theirs = [d for d in world.recent_drops if d[5] == other.net_cookie]
    ours = [d for d in world.recent_drops if d[5] == own.net_cookie]
    assert theirs and ours
    assert "(netns host): SKB_DROP_REASON_" in explain_packet(world, theirs[-1][2])
    assert "(host): SKB_DROP_REASON_" in explain_packet(world, ours[-1][2])


def test_the_event_list_keeps_its_columns_with_a_long_where():
    """`netns host:veth1` is longer than the usual 14 columns: every row of the list
    gets the same width, so the rows' texts still start in one column."""
    from vethtui.runner import step_rows
    from vethtui.labs.builtin import build
    world = build("netns", 0)
    rows = step_rows(world, SETUP + ["ping -c 1 10.9.0.2"])
    packet_rows = [r for r in rows if " xmit " in r or " rcv " in r]
    assert any("netns host:veth1" in r for r in packet_rows)
    starts = {r.index(" xmit ") if " xmit " in r else r.index(" rcv ") for r in packet_rows}
    assert len(starts) == 1
