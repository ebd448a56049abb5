"""vethtui's pcap files against the real tools, and the real tcpdump's files against vethtui.

- The real `tcpdump -r` reading a file vethtui wrote (`tcpdump -w`, and `vethtui
  run --pcap`) prints the lines vethtui printed, with every printing option.
- `tshark -r` opens those files without a warning or an error, IPv4 checksums
  checked.
- vethtui's `tcpdump -r` of files the real tcpdump wrote on Linux 6.18
  (tests/fixtures) prints what the real tcpdump prints: compared live when the
  real tcpdump is installed, and always against its recorded output
  (tests/fixtures/real_tcpdump_r.json.gz).

The real tools run with TZ=UTC (the lab's clock) and, for Linux cooked v2 files,
in an empty network namespace (`unshare -n`, or `unshare -rn` when not root), so
that interface names resolve as in a fresh lab: lo, and "?" for the rest. The
tests that need a real tool skip when it is absent.
"""
from __future__ import annotations

import io
import gzip
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from vethtui.labs.builtin import build
from vethtui.runner import main as run_main
from vethtui.runner import run_lines
from tests.setups import PINNED_NS_PAIR

ROOT = Path(__file__).resolve().parent.parent
FIX = Path(__file__).parent / "fixtures"
SCENARIO = ROOT / "tests" / "oracle" / "scenarios" / "tcpdump_04_icmp_errors.sh"
SCENARIO_IPV6 = ROOT / "tests" / "oracle" / "scenarios" / "ip_18_ipv6_linklocal_carrier.sh"
REAL = json.loads(gzip.decompress((FIX / "real_tcpdump_r.json.gz").read_bytes()))

TCPDUMP = shutil.which("tcpdump")
TSHARK = shutil.which("tshark")
needs_tcpdump = pytest.mark.skipif(TCPDUMP is None, reason="the real tcpdump is not installed")
needs_tshark = pytest.mark.skipif(TSHARK is None, reason="tshark is not installed")

PRINT_OPTS = ["-n -t", "-n -t -e", "-n -t -v", "-n -t -vv -e", "-n -t -x", "-n -t -xx",
              "-n -t -X", "-n -t -XX", "-n -tt", "-n -ttt", "-n -ttttt", "-n -tttt", "-t",
              "-t -e", "-n -t -q -e", "-n -t -#", "-n -t -A", "-n -t icmp", "-n -t -c 3 arp",
              "-n -t not icmp[icmptype] = icmp-echo", "-n -t -v -e greater 500"]


def _empty_netns() -> list[str]:
    """A command prefix that runs a tool in a fresh network namespace, if possible."""
    if shutil.which("unshare") is None:
        return []
    for prefix in (["unshare", "-n"], ["unshare", "-rn"]):
        try:
            if subprocess.run(prefix + ["true"], capture_output=True, timeout=10).returncode == 0:
                return prefix
        except (OSError, subprocess.SubprocessError):
            pass
    return []


NETNS = _empty_netns()


def real_tcpdump_r(path: Path, opts: str) -> str:
    p = subprocess.run(NETNS + [TCPDUMP, "-r", str(path)] + opts.split(), capture_output=True,
                       text=True, env={**os.environ, "TZ": "UTC"}, timeout=60)
    return p.stdout


def vethtui_tcpdump_r(path: Path, opts: str) -> tuple[str, str, int]:
    """(stdout, stdout and stderr as the terminal shows them, status) of the
    simulator's tcpdump -r, in a fresh lab (only lo)."""
    from vethtui.tools.shell import Session
    world = build("netns", 0)
    session = Session(world, world.init_net, script=True, tty=False)
    out: list[str] = []
    both: list[str] = []

    def write(stream: str, text: str) -> None:
        both.append(text)
        if stream == "out":
            out.append(text)
    job = session.start(f"tcpdump -r {path} {opts}", write)
    world.sched.run_while(lambda: not job.done)
    return "".join(out), "".join(both), job.status


def _mask_names(text: str) -> str:
    return "\n".join("?    " + ln[5:] if len(ln) > 10 and ln[6:9] in ("In ", "Out", "B  ", "M  ", "P  ")
                     else ln for ln in text.splitlines())


# ---------------------------------------------------------------- files vethtui writes

SETUP = PINNED_NS_PAIR


@pytest.fixture(scope="module")
def vethtui_files(tmp_path_factory):
    """Files written by the simulator: tcpdump -w on a device (EN10MB) and on any
    (SLL2), with what it printed live for the same packets; and `vethtui run --pcap`
    of a whole scenario (SLL2)."""
    d = tmp_path_factory.mktemp("vethtui-pcaps")
    eth, anyf = d / "veth0.pcap", d / "any.pcap"
    traffic = ("sleep 0.5 && ping -c 2 -i 0.3 -s 300 192.168.2.12 > /dev/null && "
               "ping -c 1 127.0.0.1 > /dev/null & ")
    flush = ["ip neigh flush dev veth0", "ip -n ns1 neigh flush dev veth1"]
    lines = (SETUP + [traffic + "tcpdump -l -n -t -e -c 6 -i veth0"] + flush +
             [traffic + f"tcpdump -n -w {eth} -c 6 -i veth0"] + flush +
             [traffic + "tcpdump -l -n -t -e -c 8 -i any"] + flush +
             [traffic + f"tcpdump -n -w {anyf} -c 8 -i any"])
    res = run_lines(build("netns", 0), lines, settle=0, capture=False)
    live_eth = res.commands[len(SETUP)].output
    live_any = res.commands[len(SETUP) + 6].output
    run_pcap, run6 = d / "run.pcap", d / "run6.pcap"
    assert run_main(SCENARIO, "netns", True, 0, out=io.StringIO(), pcap=str(run_pcap)) == 0
    assert run_main(SCENARIO_IPV6, "netns", True, 0, out=io.StringIO(), pcap=str(run6)) == 0
    return {"eth": eth, "any": anyf, "run": run_pcap, "run6": run6, "live_eth": live_eth,
            "live_any": live_any}


def _live_packet_lines(output: str) -> list[str]:
    return [ln for ln in output.splitlines()
            if ln and not ln.startswith(("tcpdump:", "listening")) and "packet" not in ln]


def _ids_masked(lines) -> list[str]:
    import re
    return [re.sub(r"id \d+", "id N", ln) for ln in lines]


@needs_tcpdump
@pytest.mark.parametrize("kind", ["eth", "any", "run", "run6"])
@pytest.mark.parametrize("opts", PRINT_OPTS)
def test_real_tcpdump_prints_what_vethtui_prints(vethtui_files, kind, opts):
    path = vethtui_files[kind]
    want, _, status = vethtui_tcpdump_r(path, opts)
    assert status == 0
    got = real_tcpdump_r(path, opts)
    if not NETNS:
        got, want = _mask_names(got), _mask_names(want)
    assert got == want


@needs_tcpdump
def test_real_tcpdump_reads_the_lines_vethtui_printed_live(vethtui_files):
    got_eth = real_tcpdump_r(vethtui_files["eth"], "-n -t -e").splitlines()
    live_eth = _live_packet_lines(vethtui_files["live_eth"])
    assert len(got_eth) == len(live_eth) == 6
    assert _ids_masked(got_eth) == _ids_masked(live_eth)
    got_any = _mask_names(real_tcpdump_r(vethtui_files["any"], "-n -t -e")).splitlines()
    live_any = _mask_names("\n".join(_live_packet_lines(vethtui_files["live_any"]))).splitlines()
    assert len(got_any) == len(live_any) == 8
    assert _ids_masked(got_any) == _ids_masked(live_any)


def test_vethtui_files_have_the_expected_link_types(vethtui_files):
    from vethtui.tools.tcpdump import pcap
    assert pcap.open_pcap(str(vethtui_files["eth"])).linktype == 1
    assert pcap.open_pcap(str(vethtui_files["any"])).linktype == 276
    assert pcap.open_pcap(str(vethtui_files["run"])).linktype == 276


def _tshark(path: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([TSHARK, "-n", "-o", "ip.check_checksum:TRUE", "-r", str(path), *args],
                          capture_output=True, text=True, env={**os.environ, "TZ": "UTC"},
                          timeout=120)


def _tshark_complaints(p: subprocess.CompletedProcess) -> list[str]:
    err = [ln for ln in p.stderr.splitlines() if ln and not ln.startswith("Running as user")]
    return err


@needs_tshark
@pytest.mark.parametrize("kind", ["eth", "any", "run", "run6"])
def test_tshark_opens_vethtui_files_without_warnings(vethtui_files, kind):
    path = vethtui_files[kind]
    listing = _tshark(path)
    assert listing.returncode == 0 and _tshark_complaints(listing) == []
    from vethtui.tools.tcpdump import pcap
    assert len(listing.stdout.splitlines()) == len(pcap.read_packets(str(path))[1])
    assert "Malformed" not in listing.stdout
    expert = _tshark(path, "-q", "-z", "expert")
    assert expert.returncode == 0 and _tshark_complaints(expert) == []
    assert "Errors (" not in expert.stdout and "Warnings (" not in expert.stdout


@needs_tshark
def test_tshark_would_notice_a_bad_checksum(vethtui_files, tmp_path):
    data = bytearray(vethtui_files["eth"].read_bytes())
    off = 24
    while data[off + 16 + 12:off + 16 + 14] != b"\x08\x00":     # the first IPv4 record
        off += 16 + int.from_bytes(data[off + 8:off + 12], "little")
    data[off + 16 + 14 + 8] ^= 0xFF          # its TTL: now its IP checksum is wrong
    bad = tmp_path / "bad.pcap"
    bad.write_bytes(bytes(data))
    assert "Errors (" in _tshark(bad, "-q", "-z", "expert").stdout


# ---------------------------------------------------------------- files the real tcpdump wrote

@pytest.mark.parametrize("name", ["real_veth1.pcap", "real_any.pcap", "real_ipv6_any.pcap"])
def test_vethtui_reads_real_files_as_the_real_tcpdump_did(name):
    """Against the recorded output of the real tcpdump (no tool needed)."""
    path = FIX / name
    for opts, rec in REAL["opts"][name].items():
        stdout, whole, status = vethtui_tcpdump_r(path, opts)
        assert status == rec["status"], opts
        assert stdout == rec["stdout"], opts
        assert whole.replace(str(path), "PCAP").startswith(rec["stderr"]), opts
    for expr, rec in REAL["filters"][name].items():
        stdout, whole, status = vethtui_tcpdump_r(path, f"-n -t '{expr}'")
        assert (stdout, status) == (rec["stdout"], rec["status"]), expr
        if status:
            assert whole.replace(str(path), "PCAP") == rec["stderr"], expr


@needs_tcpdump
@pytest.mark.parametrize("name", ["real_veth1.pcap", "real_any.pcap", "real_ipv6_any.pcap"])
@pytest.mark.parametrize("opts", PRINT_OPTS + ["", "-e", "-v", "-n -t ether broadcast",
                                                "-n -t inbound", "-n -t udp port 9"])
def test_vethtui_reads_real_files_as_the_real_tcpdump_does(name, opts):
    path = FIX / name
    want = real_tcpdump_r(path, opts)
    got, _, _ = vethtui_tcpdump_r(path, opts)
    if not NETNS:
        got, want = _mask_names(got), _mask_names(want)
    assert got == want
