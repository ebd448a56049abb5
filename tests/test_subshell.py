"""bash/sh -c, entering a namespace at the console, and exit."""
from __future__ import annotations

from vethtui.engine import ConsoleNamespace, make_engine


def test_bash_dash_c_runs_a_line_in_the_namespace(sh):
    sh("ip netns add ns1")
    res = sh("ip netns exec ns1 bash -c 'ip link set lo up; ip -br link'")
    assert res.output.startswith("lo               UNKNOWN")
    res = sh("sh -c 'exit 3; echo never'")
    assert res.status == 3 and res.output == ""
    assert sh("bash").status == 0          # a script has no terminal: EOF at once
    bad = sh("exit abc")
    assert bad.status == 2
    assert bad.output == "bash: line 1: exit: abc: numeric argument required\n"
    assert sh("exit 4; echo never").status == 4


def test_the_console_enters_a_namespace_and_leaves_it():
    engine = make_engine("netns", speed="instant")
    seen = []
    engine.subscribe(lambda ev: seen.append(ev) if isinstance(ev, ConsoleNamespace) else None)
    for line in ("ip netns add ns1", "ip netns exec ns1 bash"):
        engine.run_command(line)
        engine.settle(0.01)
    assert engine.session.net.name == "ns1"
    assert seen[-1] == ConsoleNamespace("ns1", "root@vethtui(ns1):~# ")
    engine.run_command("ip link add veth7 type veth peer name veth8")
    engine.settle(0.01)
    assert engine.world.netns["ns1"].dev_by_name("veth7") is not None
    engine.run_command("exit")
    engine.settle(0.01)
    assert engine.session.net is engine.world.init_net
    assert seen[-1] == ConsoleNamespace("host", "root@vethtui:~# ")
    out = []
    engine.subscribe(lambda ev: out.append(getattr(ev, "text", "")))
    job = engine.run_command("exit")
    engine.settle(0.01)
    assert job.status == 1 and "Ctrl+Q quits vethtui" in "".join(out)
