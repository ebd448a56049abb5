"""Lab files: the shipped labs load; broken files give one exact, readable line."""
from __future__ import annotations

import io
import json
import subprocess
import sys

import pytest

from vethtui.labs import models as m
from vethtui.labs.cli import main as lab_main
from vethtui.labs.files import (LabFileError, TomlPositions, build_world, find_labs,
                                load_lab_file, load_lab_text, setup_commands)

from .conftest import BROKEN, LABS, ROOT

SHIPPED = ["01-veth-one-address", "02-arp-accept-local", "03-veth-namespaces",
           "04-bridge-namespaces"]


def lab(cmd: list[str]) -> tuple[int, str]:
    out = io.StringIO()
    status = lab_main(cmd, out=out)
    return status, out.getvalue()


@pytest.mark.parametrize("name", SHIPPED)
def test_shipped_labs_load_in_both_languages(name):
    spec = load_lab_file(LABS / f"{name}.toml")
    assert spec.id == name
    assert spec.lab.languages == ["en", "zh"]
    for step in spec.steps:
        for text in (step.title, step.text):
            assert isinstance(text, dict) and set(text) == {"en", "zh"}
        assert step.solution and step.checks


def test_lab_list_finds_the_shipped_labs():
    assert [p.stem for p in find_labs()][:4] == SHIPPED
    status, out = lab(["list"])
    assert status == 0
    assert out.splitlines()[:2] == [
        "01-veth-one-address          A veth pair with one address (4 steps)",
        "02-arp-accept-local          Both ends addressed: accept_local and rp_filter (5 steps)",
    ]
    status, out = lab(["list", "--lang", "zh"])
    assert "只有一端有地址的 veth pair" in out


BROKEN_MESSAGES = {
    "bad_toml": "bad_toml.toml:7: invalid TOML: invalid value (column 11)",
    "unknown_field": "unknown_field.toml:14: setup.links[1].peer_upp: unknown field (known "
                     "fields: name, type, netns, peer, peer_netns, up, peer_up, master, "
                     "peer_master, mtu, mac, peer_mac)",
    "bad_address": "bad_address.toml:18: setup.addresses[1].address: '192.168.2.300/24' is "
                   "not an IPv4 address with a prefix length (like 192.168.2.11/24)",
    "unknown_device": "unknown_device.toml:26: steps[1].checks[1].dev: check names unknown "
                      "device \"veth9\": neither the setup nor a solution creates it in host "
                      "(known: lo, veth0, veth1)",
    "wrong_type": "wrong_type.toml:30: steps[1].checks[2].up: should be true or false "
                  "(got \"yes\")",
}


@pytest.mark.parametrize("name", sorted(BROKEN_MESSAGES))
def test_broken_files_give_one_readable_line(name):
    path = BROKEN / f"{name}.toml"
    with pytest.raises(LabFileError) as info:
        load_lab_file(path)
    assert str(info.value) == f"{BROKEN}/{BROKEN_MESSAGES[name]}"
    assert "\n" not in str(info.value)
    status, out = lab(["validate", str(path)])
    assert status == 1
    assert out == str(info.value) + "\n"


def test_base_of_the_broken_files_is_valid():
    status, out = lab(["validate", str(BROKEN / "base.toml")])
    assert (status, out) == (0, f"{BROKEN}/base.toml: ok: Base (1 step, 2 checks)\n")


def test_validate_through_the_vethtui_command_prints_no_traceback():
    proc = subprocess.run([sys.executable, "-m", "vethtui", "lab", "validate",
                           str(BROKEN / "unknown_field.toml")], capture_output=True, text=True,
                          cwd=ROOT)
    assert proc.returncode == 1
    assert proc.stdout.count("\n") == 1 and "Traceback" not in proc.stdout + proc.stderr


BASE = (BROKEN / "base.toml").read_text()


@pytest.mark.parametrize("old,new,message", [
    ('profile = "netns"', 'profile = "arch"',
     "<lab>:7: setup.profile: should be 'netns', 'debian', 'ubuntu' or 'centos' (got \"arch\")"),
    ('title = { en = "Address veth1", zh = "给 veth1 配地址" }', 'title = { en = "Address veth1" }',
     "<lab>:21: steps[1].title: no zh text (the lab's languages are en, zh)"),
    ('link = "veth1"\nup = true', 'lnk = "veth1"\nup = true',
     "<lab>:28: steps[1].checks[2]: a check needs one of the keys: link, address, route, "
     "neighbour, sysctl, packet, command, all, any, not"),
    ('link = "veth1"\nup = true', 'link = "veth1"\nflags = ["LOWERUP"]',
     "<lab>:30: steps[1].checks[2].flags: unknown link flag 'LOWERUP' (known: UP, LOWER_UP, "
     "NO-CARRIER, BROADCAST, MULTICAST, LOOPBACK, NOARP, PROMISC, ALLMULTI, MASTER, SLAVE, "
     "POINTOPOINT, DORMANT, M-DOWN)"),
    ('link = "veth1"\nup = true', 'packet = "x"\nfilter = "arp and and"',
     "<lab>:28: steps[1].checks[2]: bad tcpdump filter \"arp and and\": can't parse filter "
     "expression: syntax error"),
    ('link = "veth1"\nup = true', 'not = { link = "veth1", colour = 3 }',
     "<lab>:29: steps[1].checks[2].not.colour: unknown field (known fields: says, link, netns, "
     "exists, up, flags, operstate, type, master, peer, mtu)"),
    ('link = "veth1"\nup = true', 'command = "ping"\nstatus = "bad"',
     "<lab>:30: steps[1].checks[2].status: should be an integer or 'nonzero' (got \"bad\")"),
    ('link = "veth1"\nup = true', 'link = "veth1"\nnetns = "ns7"',
     "<lab>:30: steps[1].checks[2].netns: unknown namespace \"ns7\": no setup or solution "
     "creates it (known: host)"),
    ('[[steps]]\n', '[[steps]]\nhint = "x"\n',
     "<lab>:21: steps[1].hint: unknown field (known fields: title, text, hints, solution, "
     "checks, success)"),
    ('peer = "veth1"', 'peer = "veth1"\nmaster = "br0"',
     "<lab>:13: setup.links[1].master: no bridge \"br0\" in host (add a link with type = "
     "\"bridge\")"),
    ('solution = ["ip addr add 192.168.2.12/24 dev veth1"]', 'solution = ["ip addr add \'x"]',
     "<lab>:22: steps[1].solution: command 1 (\"ip addr add 'x\"): unexpected EOF while "
     "looking for matching `''"),
    ('[[steps]]', '[[stepz]]',
     "<lab>:20: stepz: unknown field (known fields: lab, setup, steps) (and 1 more problem)"),
])
def test_more_mistakes(old, new, message):
    assert old in BASE
    with pytest.raises(LabFileError) as info:
        load_lab_text(BASE.replace(old, new, 1))
    assert str(info.value) == message


def test_a_device_made_by_a_solution_may_be_checked():
    text = BASE.replace('dev = "veth1"', 'dev = "br0"').replace(
        'solution = ["ip addr add 192.168.2.12/24 dev veth1"]',
        'solution = ["ip link add br0 type bridge", "ip -n ns1 link set veth9 netns ns2"]')
    spec = load_lab_text(text)
    assert spec.steps[0].checks[0].dev == "br0"


def test_positions_of_keys_tables_and_inline_values():
    text = ('[lab]\ntitle = "x"\n\n[[steps]]\ntext = """\nkey = 1\n[fake]\n"""\n'
            'checks = [\n  {link = "a"},\n  {not = {packet = "p", iface = "b"}},\n]\n'
            '[[steps]]\n[[steps.checks]]\nlink = "c"\n')
    import tomllib
    tomllib.loads(text)
    pos = TomlPositions(text)
    assert pos.line_of(("lab", "title")) == 2
    assert pos.line_of(("steps", 0, "text")) == 5
    assert pos.line_of(("fake",)) is None
    assert pos.line_of(("steps", 0, "checks", 0, "link")) == 10
    assert pos.line_of(("steps", 0, "checks", 1, "not", "iface")) == 11
    assert pos.line_of(("steps", 1, "checks", 0, "link")) == 15
    assert pos.line_of(("steps", 1, "checks", 0, "missing")) == 14


def test_setup_becomes_commands_and_builds_the_world():
    spec = load_lab_file(LABS / "04-bridge-namespaces.toml")
    cmds = setup_commands(spec)
    assert cmds[:2] == ["ip netns add ns1", "ip netns add ns2"]
    assert "ip link add veth1 type veth peer name ceth1 netns ns1" in cmds
    assert "ip -n ns1 addr add 10.1.1.2/24 dev ceth1" in cmds
    world = build_world(spec, seed=0)
    ns1 = world.netns["ns1"]
    assert ns1.dev_by_name("ceth1").is_up
    assert world.init_net.dev_by_name("veth1") is not None
    assert not world.init_net.dev_by_name("veth1").is_up


def test_setup_in_namespaces_with_swapped_veth_roles():
    text = BASE.replace('[setup]\nprofile = "netns"', '[setup]\nprofile = "ubuntu"\n'
                        'namespaces = ["ns1"]').replace(
        'peer = "veth1"', 'peer = "veth1"\nnetns = "ns1"').replace(
        'dev = "veth0"\naddress', 'dev = "veth0"\nnetns = "ns1"\naddress')
    spec = load_lab_text(text)
    assert setup_commands(spec)[1] == "ip link add veth1 type veth peer name veth0 netns ns1"
    world = build_world(spec)
    assert world.netns["ns1"].dev_by_name("veth0").in_dev.ifa_list
    assert world.init_net.sysctl.resolve(["net", "ipv4", "conf", "all", "rp_filter"]).get() == "2"


def test_schema_is_json_schema_for_editors():
    status, out = lab(["schema"])
    assert status == 0
    schema = json.loads(out)
    assert schema["title"] == "vethtui lab file"
    assert set(schema["properties"]) == {"lab", "setup", "steps"}
    assert "LinkCheck" in schema["$defs"]


def test_texts_fall_back_to_english():
    assert m.text_in({"en": "a", "zh": "b"}, "zh") == "b"
    assert m.text_in({"en": "a"}, "fr") == "a"
    assert m.text_in("plain", "zh") == "plain"


def test_labs_layer_does_not_import_textual():
    code = ("import sys, vethtui.labs.cli, vethtui.labs.runtime, vethtui.labs.checks; "
            "print(any(k == 'textual' or k.startswith('textual.') or k == 'rich' "
            "for k in sys.modules))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=ROOT)
    assert proc.stdout.strip() == "False", proc.stderr
