"""A browser session's shell (host_files = False): tcpdump -w/-r stay in the scratch file
system, `download FILE` hands bytes to the browser; the terminal's behaviour is unchanged."""
from __future__ import annotations

import os

from vethtui.labs.builtin import build
from vethtui.labs.files import run_quietly
from vethtui.tools.shell import Session

SETUP = ["ip link add veth0 type veth peer name veth1", "ip addr add 192.168.2.11/24 dev veth0",
         "ip link set veth0 up", "ip link set veth1 up"]


def sealed_session():
    world = build("netns", seed=1)
    session = Session(world, world.init_net, script=True, tty=False)
    session.host_files = False
    delivered: list[tuple[str, bytes]] = []
    session.deliver = lambda name, data: delivered.append((name, data))
    for line in SETUP:
        assert run_quietly(world, session, line)[1] == 0
    return world, session, delivered


def test_tcpdump_w_writes_the_scratch_file_system_and_download_delivers_it(tmp_path,
                                                                           monkeypatch):
    monkeypatch.chdir(tmp_path)
    world, session, delivered = sealed_session()
    out, status = run_quietly(world, session,
                              "tcpdump -i veth1 -n -c 2 -w arp.pcap arp & ping -c 2 192.168.2.12")
    run_quietly(world, session, "sleep 5")
    assert os.listdir(tmp_path) == []                      # no host file
    assert "arp.pcap" in session.files
    out, status = run_quietly(world, session, "tcpdump -r arp.pcap -n")
    assert status == 0
    assert out.count("ARP, Request who-has 192.168.2.12 tell 192.168.2.11") == 2
    out, status = run_quietly(world, session, "download arp.pcap")
    assert status == 0 and delivered[0][0] == "arp.pcap"
    data = delivered[0][1]
    assert data[:4] == b"\xd4\xc3\xb2\xa1"                 # pcap, little-endian, microseconds
    assert len(data) == 24 + 2 * (16 + 42)                 # two ARP requests, 42 bytes each
    assert out == "arp.pcap: 140 bytes sent to the browser as a download\n"


def test_no_host_file_is_read(tmp_path):
    world, session, delivered = sealed_session()
    (tmp_path / "x.pcap").write_bytes(b"\xd4\xc3\xb2\xa1" + bytes(20))
    for line, text in ((f"tcpdump -r {tmp_path}/x.pcap", "No such file or directory"),
                       ("download /etc/hostname", "No such file or directory")):
        out, status = run_quietly(world, session, line)
        assert status == 1 and text in out
    assert delivered == []


def test_download_usage_and_outside_a_browser():
    world, session, delivered = sealed_session()
    out, status = run_quietly(world, session, "download")
    assert status == 2 and out.startswith("usage: download FILE")
    plain = Session(world, world.init_net, script=True, tty=False)
    run_quietly(world, plain, "echo hi > note.txt")
    out, status = run_quietly(world, plain, "download note.txt")
    assert status == 1 and "only in a browser session (vethtui serve)" in out


def test_a_terminal_session_still_writes_the_file_named(tmp_path):
    world = build("netns", seed=1)
    session = Session(world, world.init_net, script=True, tty=False)
    for line in SETUP:
        run_quietly(world, session, line)
    path = tmp_path / "t.pcap"
    run_quietly(world, session, f"tcpdump -i veth1 -n -c 1 -w {path} arp & ping -c 1 192.168.2.12")
    run_quietly(world, session, "sleep 5")
    assert path.read_bytes()[:4] == b"\xd4\xc3\xb2\xa1"
    assert "t.pcap" not in str(session.files)
