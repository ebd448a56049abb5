"""pcap files: what `tcpdump -w` writes, what `tcpdump -r` reads, and `vethtui run --pcap`.

Round trips go through the simulator's own tcpdump: the lines printed live and
the lines printed when reading the file back are the same. The files written by
the real tcpdump (tests/fixtures) are read too; test_tcpdump_interop.py checks
the other direction with the real tools.
"""
from __future__ import annotations

import io
import struct
from pathlib import Path

import pytest

from vethtui.kernel.events import CaptureEvent
from vethtui.labs.builtin import build
from vethtui.runner import run_lines
from vethtui.tools.tcpdump import api, pcap
from tests.setups import PINNED_NS_PAIR

FIX = Path(__file__).parent / "fixtures"

SETUP = PINNED_NS_PAIR


def run(*lines: str):
    world = build("netns", 0)
    res = run_lines(world, SETUP + list(lines), settle=0, capture=False)
    return world, res.commands[len(SETUP):]


def packet_lines(output: str) -> list[str]:
    skip = ("tcpdump:", "listening on", "reading from", "Warning:")
    return [ln for ln in output.splitlines()
            if ln and not ln.startswith(skip) and "packet" not in ln]


@pytest.mark.parametrize("iface", ["veth0", "any"])
def test_write_then_read_gives_the_same_lines(tmp_path, iface):
    f = tmp_path / "cap.pcap"
    ping = "sleep 0.5 && ping -c 2 -i 0.3 192.168.2.12 > /dev/null & "
    flush = ["ip neigh flush dev veth0", "ip -n ns1 neigh flush dev veth1"]
    _, cmds = run(ping + f"tcpdump -n -t -e -v -c 6 -i {iface}", *flush,
                  ping + f"tcpdump -n -w {f} -c 6 -i {iface}",
                  f"tcpdump -n -t -e -v -r {f}")
    live, _, _, written, read = cmds
    assert written.output.startswith("tcpdump: " if iface != "any" else
                                     "tcpdump: data link type LINUX_SLL2\ntcpdump: listening")
    assert "6 packets captured" in written.output
    masked = lambda ls: [ln.split("id ")[0] for ln in ls]        # the ping ids differ
    assert masked(packet_lines(live.output)) == masked(packet_lines(read.output))
    assert len(packet_lines(read.output)) >= 6


def test_file_header_and_records(tmp_path):
    f = tmp_path / "x.pcap"
    world, _ = run(f"sleep 0.5 && ping -c 1 192.168.2.12 > /dev/null & tcpdump -w {f} -c 4 -i veth0")
    data = f.read_bytes()
    magic, major, minor, zone, sigfigs, snaplen, linktype = struct.unpack("<IHHiIII", data[:24])
    assert (magic, major, minor, zone, sigfigs, snaplen, linktype) == \
        (0xA1B2C3D4, 2, 4, 0, 0, 262144, 1)
    sec, usec, incl, orig = struct.unpack("<IIII", data[24:40])
    assert incl == orig == 42                                     # an ARP request
    assert sec == int(world.epoch) and 0 <= usec < 1000000


def test_sll2_header_fields():
    out = CaptureEvent(1.0, "", 3, "veth0", "Out", bytes.fromhex(
        "0200000000 0b0200000000 0a0800".replace(" ", "")) + b"E" * 20, 0)
    h = pcap.sll2_header(out)
    proto, res, ifindex, hatype, pkttype, halen, addr = struct.unpack("!HHIHBB8s", h)
    # the address of an outgoing frame is its source MAC too (dev_parse_header)
    assert (proto, res, ifindex, hatype, pkttype, halen) == (0x0800, 0, 3, 1, 4, 6)
    assert addr == bytes.fromhex("02000000000a0000")
    lo = CaptureEvent(1.0, "", 1, "lo", "In", b"\x00" * 12 + b"\x08\x00" + b"E" * 20, 0)
    assert struct.unpack("!HHIHBB8s", pcap.sll2_header(lo))[3:5] == (772, 0)
    bcast = CaptureEvent(1.0, "", 2, "veth0", "B", bytes(14), 0)
    assert pcap.sll2_header(bcast)[10] == 1


def test_write_events_api(tmp_path):
    ev = CaptureEvent(0.25, "", 2, "veth0", "In",
                      pcap.read_packets(str(FIX / "real_veth1.pcap"))[1][2].data, 0)
    n = pcap.write_events(str(tmp_path / "a.pcap"), [ev, ev], any_iface=True, epoch=100.0)
    assert n == 2
    pf = pcap.open_pcap(str(tmp_path / "a.pcap"))
    got = list(pf.packets)
    assert pf.linktype == 276 and [(p.sec, p.usec) for p in got] == [(100, 250000)] * 2
    assert got[0].direction == "In" and got[0].ifindex == 2
    assert api.export_pcap(str(tmp_path / "b.pcap"), [ev], iface="veth0") == 1
    assert pcap.open_pcap(str(tmp_path / "b.pcap")).linktype == 1


def test_reading_the_real_tcpdumps_files():
    lt, pk = pcap.read_packets(str(FIX / "real_veth1.pcap"))
    assert lt == 1 and len(pk) == 15
    lt, pk = pcap.read_packets(str(FIX / "real_any.pcap"))
    assert lt == 276 and len(pk) == 24 and pk[0].direction == "B"


def _swap_to_big_endian_nano(data: bytes) -> bytes:
    out = io.BytesIO()
    magic, major, minor, zone, sig, snap, lt = struct.unpack("<IHHiIII", data[:24])
    out.write(struct.pack(">IHHiIII", 0xA1B23C4D, major, minor, zone, sig, snap, lt))
    i = 24
    while i < len(data):
        sec, usec, incl, orig = struct.unpack("<IIII", data[i:i + 16])
        out.write(struct.pack(">IIII", sec, usec * 1000 + 123, incl, orig))
        out.write(data[i + 16:i + 16 + incl])
        i += 16 + incl
    return out.getvalue()


def test_big_endian_nanosecond_files_read_as_microseconds(tmp_path):
    data = (FIX / "real_veth1.pcap").read_bytes()
    f = tmp_path / "be.pcap"
    f.write_bytes(_swap_to_big_endian_nano(data))
    _, cmds = run(f"tcpdump -n -tt -c 1 -r {FIX / 'real_veth1.pcap'}", f"tcpdump -n -tt -c 1 -r {f}",
                  f"tcpdump -n -tt --nano -c 1 -r {f}")
    assert cmds[0].output.splitlines()[1] == cmds[1].output.splitlines()[1]
    assert cmds[2].output.splitlines()[1].split()[0].endswith("123")


def test_pcapng_is_read(tmp_path):
    _, pk = pcap.read_packets(str(FIX / "real_veth1.pcap"))

    def block(btype, body):
        body += b"\x00" * (-len(body) % 4)
        return struct.pack("<II", btype, len(body) + 12) + body + struct.pack("<I", len(body) + 12)
    shb = block(0x0A0D0D0A, struct.pack("<IHHq", 0x1A2B3C4D, 1, 0, -1))
    idb = block(1, struct.pack("<HHI", 1, 0, 262144))
    ts = pk[0].sec * 1000000 + pk[0].usec
    epb = block(6, struct.pack("<IIIII", 0, ts >> 32, ts & 0xFFFFFFFF, len(pk[0].data),
                               len(pk[0].data)) + pk[0].data)
    f = tmp_path / "x.pcapng"
    f.write_bytes(shb + idb + epb)
    _, cmds = run(f"tcpdump -n -r {f}")
    assert "ARP, Request who-has 192.168.1.1 tell 192.168.1.2, length 28" in cmds[0].output


def test_read_errors(tmp_path):
    (tmp_path / "empty").write_bytes(b"")
    (tmp_path / "text").write_bytes(b"hello world, not a capture\n")
    good = (FIX / "real_veth1.pcap").read_bytes()
    (tmp_path / "cut").write_bytes(good[:200])
    _, cmds = run(f"tcpdump -r {tmp_path / 'nope.pcap'}", f"tcpdump -r {tmp_path / 'empty'}",
                  f"tcpdump -r {tmp_path / 'text'}", f"tcpdump -n -t -r {tmp_path / 'cut'}",
                  f"tcpdump -n -r {FIX / 'real_veth1.pcap'} foo")
    assert cmds[0].output == f"tcpdump: {tmp_path / 'nope.pcap'}: No such file or directory\n"
    assert cmds[1].output == ("tcpdump: truncated dump file; tried to read 4 file header bytes,"
                              " only got 0\n")
    assert cmds[2].output == "tcpdump: unknown file format\n"
    assert cmds[3].output.endswith("tcpdump: pcap_loop: truncated dump file; tried to read 98 "
                                   "captured bytes, only got 44\n")
    assert cmds[3].status == 1
    assert cmds[4].output.endswith("tcpdump: can't parse filter expression: syntax error\n")
    assert all(c.status == 1 for c in cmds)


def test_read_a_file_of_the_shells_scratch_file_system():
    _, cmds = run("echo hello > /tmp/vethtui-scratch-only", "tcpdump -r /tmp/vethtui-scratch-only")
    assert cmds[1].output == "tcpdump: unknown file format\n"


def test_read_copies_with_w_and_counts(tmp_path):
    f = tmp_path / "copy.pcap"
    _, cmds = run(f"tcpdump -n -r {FIX / 'real_any.pcap'} -w {f} arp",
                  f"tcpdump -n -r {f} --count", f"tcpdump -n -t -r {f} -c 1")
    assert cmds[0].output.count("\n") == 2               # header and warning, no packets
    assert cmds[1].output.endswith("2 packets\n")
    assert cmds[2].output.splitlines()[-1] == \
        "veth0 B   ARP, Request who-has 192.168.1.1 tell 192.168.1.2, length 28"


def test_runner_pcap_is_tcpdump_any_w(tmp_path):
    from vethtui.runner import main as run_main
    script = tmp_path / "s.sh"
    script.write_text("\n".join(SETUP + ["ping -c 1 192.168.2.12", "ping -c 1 127.0.0.1"]) + "\n")
    f = tmp_path / "run.pcap"
    out = io.StringIO()
    assert run_main(script, "netns", True, 0, out=out, pcap=str(f)) == 0
    import json
    events = [json.loads(ln) for ln in out.getvalue().splitlines()]
    lines = [f"{e['dir']} {e['line']}" for e in events if e["type"] == "packet"]
    pf = pcap.open_pcap(str(f))
    assert pf.linktype == 276
    from vethtui.tools.tcpdump.printer import format_packet
    # the same frames in the same order, directions kept (lo: only the received copy)
    got = [format_packet(p.data, 276, length=p.length) for p in pf.packets]
    assert [f"{g[6:9].strip()} {g[10:]}" for g in got] == lines
    assert any(g.startswith("?     In  IP 127.0.0.1") for g in got)
