"""The lab runtime: checks evaluated live, steps ticked off, hints, resets, saved progress."""
from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest

from vethtui.engine import make_engine
from vethtui.labs.cli import main as lab_main
from vethtui.labs.files import load_lab_file
from vethtui.labs.runtime import LabRuntime, LabWorldReplaced, ProgressStore, run_lab_test

from .conftest import LABS

ALL = sorted(p.name for p in LABS.glob("*.toml"))


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("name", ALL)
def test_every_shipped_lab_passes_its_own_test(name, lang):
    out = io.StringIO()
    status = lab_main(["test", "--lang", lang, str(LABS / name)], out=out)
    assert status == 0, out.getvalue()
    assert "warning" not in out.getvalue() and "警告" not in out.getvalue()
    assert out.getvalue().rstrip().endswith("steps pass" if lang == "en" else "步通过")


def test_at_least_eight_labs_ship_and_are_listed():
    out = io.StringIO()
    assert lab_main(["list"], out=out) == 0
    listed = [line.split()[0] for line in out.getvalue().splitlines()]
    assert len(ALL) >= 8 and [n.removesuffix(".toml") for n in ALL] == listed[:len(ALL)]
    assert "broken" not in out.getvalue()


def test_lab_test_report_names_the_failing_check(tmp_path):
    text = (LABS / "01-veth-one-address.toml").read_text().replace(
        '"ip link set veth1 up",\n', '')
    bad = tmp_path / "no-veth1-up.toml"
    bad.write_text(text)
    out = io.StringIO()
    assert lab_main(["test", str(bad)], out=out) == 1
    lines = out.getvalue().splitlines()
    assert "  ✗ 2. Address veth0, bring both ends up" in lines
    assert "      ✗ veth0 shows UP, LOWER_UP: veth0 shows <NO-CARRIER,BROADCAST,MULTICAST,UP,M-DOWN>, " \
           "without LOWER_UP" in lines
    assert "      ✗ veth1 is up: veth1 is down" in lines
    assert "  ✗ 4. Ping the other end" in lines   # no carrier: the ARP never reaches veth1
    assert lines[-1] == "  FAILED: 2 of 4 steps pass"


def test_lab_test_in_chinese():
    reports = run_lab_test(load_lab_file(LABS / "02-arp-accept-local.toml"), lang="zh")
    assert [r.title for r in reports][2] == "强制从 veth0 发出"
    assert all(r.passed for r in reports)


@pytest.fixture
def lab2():
    return load_lab_file(LABS / "02-arp-accept-local.toml")


def headless(spec, **kw):
    kw.setdefault("store", None)
    kw.setdefault("resume", False)
    return LabRuntime(spec, None, **kw)


def test_checks_say_in_plain_words_what_still_fails(lab2):
    rt = headless(lab2)
    p = rt.progress()
    assert (p.step, p.passed) == (0, False)
    assert [(c.ok, c.text, c.why) for c in p.checks] == [
        (False, "192.168.2.12/24 is on veth1", "veth1 does not have 192.168.2.12/24 (it has: "
                                               "nothing)"),
        (False, "Table main has a route to 192.168.2.0/24 (dev veth1)",
         "No route to 192.168.2.0/24 (dev veth1) in table main"),
        (True, "Table main has a route to 192.168.2.0/24 (dev veth0)", ""),
    ]
    rt.set_lang("zh")
    assert rt.progress().checks[0].why == "veth1 上没有 192.168.2.12/24（现有：无）"


def test_steps_tick_off_and_advance_after_commands_and_packets(lab2):
    rt = headless(lab2)
    seen = []
    rt.on_change(lambda p: seen.append((p.step, [s.done for s in p.steps][:3])))
    rt.run("ip addr add 192.168.2.12/24 dev veth1")
    assert rt.current == 1 and rt.done[0]
    rt.run("ping -c 1 -I veth0 192.168.2.12")   # not what step 2 asks
    checks = rt.progress().checks
    assert [c.ok for c in checks] == [False, False, True]
    rt.run("ping -c 1 192.168.2.12")
    assert rt.current == 2 and rt.done[1]
    assert seen[:2] == [(0, [True, False, False]), (1, [True, False, False])]


def test_sysctl_checks_explain_max_of_all_and_device(lab2):
    rt = headless(lab2, auto_advance=False)
    rt.goto(3)
    rt.run("echo 0 > /proc/sys/net/ipv4/conf/veth1/rp_filter")
    c = rt.progress().checks[1]
    assert c.text == "The rp_filter in effect for veth1 is 0 or 2"
    assert c.why == "1 is in effect (all = 1, veth1 = 0: the larger counts)"
    rt.run("sysctl -w net.ipv4.conf.all.rp_filter=2")
    assert rt.progress().checks[1].ok
    assert not rt.done[3]
    rt.run("sysctl -w net.ipv4.conf.all.accept_local=1")   # an OR: `all` is enough
    assert rt.done[3]


def test_not_packet_check_shows_the_offending_packet(lab2):
    rt = headless(lab2, auto_advance=False)
    rt.run("ip addr add 192.168.2.12/24 dev veth1")
    rt.goto(2)
    rt.run("echo 1 > /proc/sys/net/ipv4/conf/all/accept_local")
    rt.run("echo 0 > /proc/sys/net/ipv4/conf/all/rp_filter")
    rt.run("echo 0 > /proc/sys/net/ipv4/conf/veth0/rp_filter")
    rt.run("echo 0 > /proc/sys/net/ipv4/conf/veth1/rp_filter")
    rt.run("ping -c 1 -I veth0 192.168.2.12")
    checks = rt.progress().checks
    assert checks[0].why == "`ping -c 1 -I veth0 192.168.2.12` exited with 0"
    assert checks[2].text == "No packet captured matching “ARP, Reply”"
    assert checks[2].why.startswith("One was: veth0 In ARP, Reply 192.168.2.12 is-at ")
    assert not rt.done[2]


def test_hints_are_revealed_one_at_a_time(lab2):
    rt = headless(lab2, auto_advance=False)
    rt.goto(3)
    assert rt.progress().hints == ()
    assert rt.reveal_hint().startswith("Write the files under /proc/sys/net/ipv4/conf/")
    assert rt.reveal_hint().startswith("rp_filter in effect is the larger")
    assert rt.reveal_hint() is None
    p = rt.progress()
    assert (len(p.hints), p.hints_total) == (2, 2)


def test_progress_is_saved_and_resumed_with_earlier_solutions_replayed(lab2, data_dir):
    store = ProgressStore()
    rt = headless(lab2, store=store)
    rt.run("ip addr add 192.168.2.12/24 dev veth1")
    rt.run("ping -c 1 192.168.2.12")
    rt.reveal_hint()
    saved = json.loads((data_dir / "progress" / "02-arp-accept-local.json").read_text())
    assert (saved["step"], saved["done"], saved["hints"]) == (2, [0, 1], [0, 0, 1, 0, 0])
    again = LabRuntime(lab2, None, store=store)
    assert again.current == 2 and again.done[:3] == [True, True, False]
    assert again.hints_shown[2] == 1
    veth1 = again.world.init_net.dev_by_name("veth1")   # step 1's solution was replayed
    assert [i.prefixlen for i in veth1.in_dev.ifa_list] == [24]


def test_reset_step_and_reset_lab(lab2):
    rt = headless(lab2, auto_advance=False)
    for line in lab2.steps[0].solution:
        rt.run(line)
    rt.goto(3)
    rt.run("echo 1 > /proc/sys/net/ipv4/conf/veth1/accept_local")
    rt.run("ip link del veth0")
    old = rt.world
    rt.reset_step()
    assert rt.world is not old and rt.current == 3
    net = rt.world.init_net
    assert net.dev_by_name("veth0") is not None
    assert net.dev_by_name("veth1").in_dev.ifa_list     # steps 1-3 replayed
    assert not rt.progress().checks[0].ok                # accept_local back to 0
    rt.reset_lab()
    assert (rt.current, rt.done) == (0, [False] * 5)
    assert not rt.world.init_net.dev_by_name("veth1").in_dev.ifa_list


def test_runtime_over_an_engine(lab2):
    path = str(LABS / "02-arp-accept-local.toml")
    engine = make_engine(path, seed=0, speed="instant")
    rt = LabRuntime(lab2, engine, store=None)
    events = []
    engine.subscribe(events.append)

    def run(line):
        job = engine.run_command(line)
        engine.run_until_done(job)
        return job

    run("ip addr add 192.168.2.12/24 dev veth1")
    assert rt.current == 1
    run("ping -c 1 192.168.2.12")
    assert rt.current == 2
    run("ping -c 1 -I veth0 192.168.2.12")
    engine.settle(5)
    assert rt.done[2] and rt.current == 3
    rt.reset_step()                  # a new world swapped into the engine
    assert engine.world is rt.world and engine.session.world is rt.world
    assert any(isinstance(e, LabWorldReplaced) for e in events)
    run("ip netns exec nowhere true")   # commands still reach the runtime after a reset
    assert rt._commands[-1].simple == [("nowhere", ["true"])]


def test_namespaced_commands_and_packets(tmp_path):
    spec = load_lab_file(LABS / "03-veth-namespaces.toml")
    rt = headless(spec)
    for step in spec.steps[:3]:
        for line in step.solution:
            rt.run(line)
    assert rt.current == 3
    rt.run("ping -c 1 10.1.1.3")   # in the wrong namespace
    assert rt.progress().checks[0].why == "Not run yet"
    rt.run("ip netns exec ns1 ping -c 1 10.1.1.3")
    assert rt.progress().complete


# ---------------------------------------------------------------- feedback a learner sees

def test_a_passed_step_stays_with_its_success_until_the_learner_moves_on(lab2):
    rt = headless(lab2, auto_advance=False)
    rt.run("ip addr add 192.168.2.12/24 dev veth1")
    assert (rt.progress().step, rt.progress().passed) == (0, True)
    rt.next_step()
    rt.run("ping -c 1 192.168.2.12")
    p = rt.progress()
    assert (p.step, p.passed) == (1, True)
    assert p.success.startswith("Every packet went through `lo`.")
    rt.run("ip link set veth0 down")          # ticked off for good
    assert rt.progress().passed and all(c.ok for c in rt.progress().checks)
    rt.next_step()
    assert rt.progress().step == 2 and not rt.progress().passed


def test_a_finished_step_shows_its_checks_as_they_stood_when_it_passed(lab2):
    rt = headless(lab2)
    for step in lab2.steps[:3]:
        for line in step.solution:
            rt.run(line)
        rt.settle()
    assert rt.current == 3 and rt.done[2]
    rt.prev_step()                   # step 3's events are long gone: still all ticked
    p = rt.progress()
    assert p.passed and all(c.ok for c in p.checks) and len(p.checks) == 4
    assert [c.why for c in p.checks] == ["", "", "", ""]
    assert p.checks[2].text == "No packet captured matching “ARP, Reply”"


def test_resuming_says_where_and_what_was_replayed(lab2):
    store = ProgressStore()
    rt = headless(lab2, store=store)
    for step in lab2.steps[:3]:
        for line in step.solution:
            rt.run(line)
        rt.settle()
    assert rt.current == 3
    assert rt.take_notices() == []
    again = LabRuntime(lab2, None, store=store)
    assert again.take_notices() == ["resumed at step 4 (steps 1-3 replayed)"]
    assert again.take_notices() == []
    zh = LabRuntime(lab2, None, store=store, lang="zh")
    assert zh.take_notices() == ["从第 4 步继续（已重放第 1-3 步）"]


@pytest.mark.parametrize("content, why", [
    ("{not json", "is corrupt"),
    ('{"lab": "02-arp-accept-local", "step": 2, "done": [0, 1]}', "is from an older format"),
    ('[1, 2]', "is corrupt"),
])
def test_an_unusable_progress_file_is_kept_aside_and_the_lab_starts_afresh(lab2, data_dir,
                                                                            content, why):
    store = ProgressStore()
    path = store.path(lab2.id)
    path.parent.mkdir(parents=True)
    path.write_text(content)
    rt = LabRuntime(lab2, None, store=store)
    (notice,) = rt.take_notices()
    assert notice.startswith(f"the saved progress {path} {why} (kept as {path}.")
    assert notice.endswith(".bad); the lab starts afresh")
    assert rt.current == 0 and not any(rt.done)
    kept = list(path.parent.glob("*.bad"))
    assert len(kept) == 1 and kept[0].read_text() == content
    rt.run("ip addr add 192.168.2.12/24 dev veth1")       # saved afresh, the old one kept
    assert json.loads(path.read_text())["done"] == [0]
    assert kept[0].read_text() == content
    path.write_text(content)                                # a second bad file: kept too
    LabRuntime(lab2, None, store=store)
    assert len(list(path.parent.glob("*.bad"))) == 2


def test_progress_of_a_changed_lab_is_kept_aside(lab2, data_dir):
    store = ProgressStore()
    store.save(lab2.id, {"lab": lab2.id, "fingerprint": "000000000000", "step": 2,
                         "done": [0, 1], "hints": [], "format": 1})
    rt = LabRuntime(lab2, None, store=store)
    assert "is for an older version of this lab" in rt.take_notices()[0]
    assert rt.current == 0


def test_an_unwritable_progress_directory_is_said_once(lab2, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    rt = LabRuntime(lab2, None, store=ProgressStore(blocker / "progress"))
    rt.run("ip addr add 192.168.2.12/24 dev veth1")
    rt.run("ping -c 1 192.168.2.12")
    notices = rt.take_notices()
    assert len(notices) == 1
    assert notices[0].startswith(f"cannot save progress to {blocker}/progress/")
    assert rt.current == 2                  # the lab goes on


def _hammer(root: str, lab_id: str, n: int, tag: int) -> None:
    store = ProgressStore(Path(root))
    for i in range(n):
        store.save(lab_id, {"format": 1, "writer": tag, "i": i, "pad": "x" * 4000})


def test_two_processes_saving_the_same_lab_never_corrupt_it(tmp_path):
    import multiprocessing
    ctx = multiprocessing.get_context("fork")
    store = ProgressStore(tmp_path)
    procs = [ctx.Process(target=_hammer, args=(str(tmp_path), "lab", 150, k)) for k in (1, 2)]
    for p in procs:
        p.start()
    reads = 0
    while any(p.is_alive() for p in procs):
        data = store.load("lab")
        if data is not None:
            assert data["pad"] == "x" * 4000
            reads += 1
    for p in procs:
        p.join()
        assert p.exitcode == 0
    assert store.load("lab")["i"] == 149
    assert [p.name for p in tmp_path.iterdir()] == ["lab.json"]    # no temporary left


def test_resets_say_what_they_did(lab2):
    rt = headless(lab2, auto_advance=False)
    rt.goto(3)
    rt.reset_step()
    assert rt.reset_note == "step 4 was reset (steps 1-3 replayed)"
    rt.reset_lab()
    assert rt.reset_note == "the lab was reset: back to step 1"


# ---------------------------------------------------------------- languages

def _names(spec):
    from vethtui.labs.files import Names
    names = Names(spec)
    return ({d for devs in names.devices.values() for d in devs} | names.solution_devices
            | set(names.all_ns())) - {"host"}


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("name", ALL)
def test_no_device_name_is_ever_recased(name, lang):
    """Every check's text and reason, before and after each step's solution, in both
    languages: a device or namespace name appears as written, never capitalised."""
    spec = load_lab_file(LABS / name)
    names = _names(spec)
    rt = headless(spec, auto_advance=False, lang=lang)
    texts = []
    try:
        for i, step in enumerate(spec.steps):
            rt.goto(i)
            texts += [t for r in rt.check_now() for t in (r.text, r.why)]
            for line in step.solution:
                rt.run(line)
            rt.settle(until_done=False)
            texts += [t for r in rt.check_now() for t in (r.text, r.why)]
    finally:
        rt.close()
    recased = {n[:1].upper() + n[1:] for n in names if n[:1].islower()}
    bad = [t for t in texts for r in recased if re.search(rf"(?<![\w-]){re.escape(r)}\b", t)]
    assert bad == []
    assert any(n in t for t in texts for n in names)


def test_lab_cli_refuses_an_unknown_language(capsys):
    assert lab_main(["list", "--lang", "fr"], out=io.StringIO()) == 2
    assert capsys.readouterr().err == "vethtui: unknown language 'fr' (supported: en, zh)\n"


def test_lab_cli_language_from_the_locale(monkeypatch):
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    out = io.StringIO()
    assert lab_main(["test", str(LABS / "01-veth-one-address.toml")], out=out) == 0
    assert out.getvalue().splitlines()[-1] == "  正确：4 步中 4 步通过"


def test_a_namespace_named_host_is_not_the_labs_own(lab2):
    """`ip netns add host` makes a namespace whose display name is the lab's own one's:
    its packets and the commands run there (`ip netns exec host`, `ip -n host`, a
    console inside it) are not the host's to the lab's checks."""
    engine = make_engine(str(LABS / "02-arp-accept-local.toml"), seed=0, speed="instant")
    rt = LabRuntime(lab2, engine, store=None)
    seen = []
    rt._matcher.see = lambda p: seen.append((p.netns, p.iface)) and False

    def run(line):
        job = engine.run_command(line)
        engine.run_until_done(job)
        return rt._commands[-1]

    run("ip netns add host")
    assert run("ip -n host link set lo up").simple == [("netns host", ["ip", "link", "set",
                                                                      "lo", "up"])]
    assert run("ip netns exec host ping -c 1 127.0.0.1").simple[0][0] == "netns host"
    assert set(seen) == {("netns host", "lo")}
    seen.clear()
    assert run("ping -c 1 127.0.0.1").simple[0][0] == "host"
    assert set(seen) == {("host", "lo")}
    seen.clear()
    engine.run_command("ip netns exec host bash")      # the console enters it
    engine.settle(0.01)
    assert run("ping -c 1 127.0.0.1").netns == "netns host"
    assert set(seen) == {("netns host", "lo")}
