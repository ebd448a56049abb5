"""tcpdump as a process: options, startup lines, counters, timing, errors.

Everything runs on the simulator's virtual clock (no real sleeping). The
expected texts and counts are the real tcpdump 4.99.3's on Linux 6.18 (the same
cases are in the tcpdump_* goldens; these tests pin the rules behind them).
"""
from __future__ import annotations

import pytest

from vethtui.labs.builtin import build
from vethtui.runner import run_lines
from vethtui.tools.tcpdump.main import USAGE, VERSION, device_list, parse_args
from tests.setups import PINNED_NS_PAIR

SETUP = PINNED_NS_PAIR + ["ping -c 1 192.168.2.12", "sleep 6"]
SUPPRESSED = "tcpdump: verbose output suppressed, use -v[v]... for full protocol decode\n"
LISTEN_VETH0 = "listening on veth0, link-type EN10MB (Ethernet), snapshot length 262144 bytes\n"


def run(*lines: str, setup=SETUP):
    world = build("netns", 0)
    res = run_lines(world, list(setup) + list(lines), settle=0, capture=False)
    return res.commands[len(setup):]


def counters(captured: int, received: int) -> str:
    p = lambda n, w: f"{n} {w}{'' if n == 1 else 's'}"
    return (f"{p(captured, 'packet')} captured\n{p(received, 'packet')} received by filter\n"
            "0 packets dropped by kernel\n")


PING2 = "sleep 0.5 && ping -c 2 -i 0.2 192.168.2.12 > /dev/null & "


def test_startup_packets_and_counters():
    c, = run(PING2 + "tcpdump -l -n -t -c 4 -i veth0")
    assert c.status == 0
    assert c.output == (SUPPRESSED + LISTEN_VETH0 +
                        "IP 192.168.2.11 > 192.168.2.12: ICMP echo request, id " +
                        c.output.split("id ")[1].split(",")[0] + ", seq 1, length 64\n" +
                        c.output.splitlines()[3] + "\n" + c.output.splitlines()[4] + "\n" +
                        c.output.splitlines()[5] + "\n" + counters(4, 4))


def test_v_and_w_change_the_first_line():
    c1, c2 = run(PING2 + "tcpdump -l -n -v -c 1 -i veth0",
                 PING2 + "tcpdump -n -c 1 -w cap.pcap -i veth0")
    assert c1.output.startswith("tcpdump: " + LISTEN_VETH0)
    assert c2.output.startswith("tcpdump: " + LISTEN_VETH0)
    assert "IP " not in c2.output


def test_any_announces_its_link_type():
    c, = run(PING2 + "tcpdump -l -n -t -c 1 -i any")
    assert c.output.startswith("tcpdump: data link type LINUX_SLL2\n" + SUPPRESSED +
                               "listening on any, link-type LINUX_SLL2 (Linux cooked v2), "
                               "snapshot length 262144 bytes\n")
    assert c.output.splitlines()[3].startswith("veth0 Out IP 192.168.2.11 > 192.168.2.12")


def test_a_block_of_packets_is_counted_whole():
    # without -l the kernel hands packets over every second: -c 2 stops after two
    # of the four, but all four passed the filter by then; with -l (every 100 ms)
    # the second request is not there yet; with --immediate-mode each packet at once
    plain, linebuf, immediate = run(PING2 + "tcpdump -n -t -c 2 -i veth0",
                                    PING2 + "tcpdump -l -n -t -c 2 -i veth0",
                                    PING2 + "tcpdump --immediate-mode -n -t -c 1 -i veth0")
    assert plain.output.endswith(counters(2, 4))
    assert linebuf.output.endswith(counters(2, 2))
    assert immediate.output.endswith(counters(1, 1))


def test_filter_runs_in_the_kernel_direction_in_user_space():
    f, q = run(PING2 + "tcpdump -l -n -t -c 2 -i veth0 icmp[icmptype] = icmp-echo",
               PING2 + "tcpdump -l -n -t -Q in -c 2 -i veth0")
    assert f.output.endswith(counters(2, 2))
    assert "echo reply" not in f.output
    assert q.output.endswith(counters(2, 4))
    assert "echo request" not in q.output


def test_loopback_outgoing_copies_count_but_do_not_show():
    lo, = run("sleep 0.5 && ping -c 1 127.0.0.1 > /dev/null & tcpdump -l -n -t -c 2 -i lo")
    assert lo.output.splitlines()[2:4] == [
        "IP 127.0.0.1 > 127.0.0.1: ICMP echo request, id " + lo.output.split("id ")[1].split(",")[0]
        + ", seq 1, length 64", lo.output.splitlines()[3]]
    assert lo.output.endswith(counters(2, 4))


def test_inbound_on_a_device_loses_the_first_block():
    c, = run("sleep 0.5 && ping -c 2 -i 0.3 192.168.2.12 > /dev/null & "
             "tcpdump -l -n -t -c 1 -i veth0 outbound")
    assert ", seq 2," in c.output and ", seq 1," not in c.output
    assert c.output.endswith(counters(1, 2))


def test_output_order_with_and_without_l():
    buffered, linebuf = run("tcpdump -n -t -c 4 -i veth0 & sleep 0.5 && ping -c 2 -i 0.3 192.168.2.12",
                            "tcpdump -l -n -t -c 4 -i veth0 & sleep 0.5 && ping -c 2 -i 0.3 192.168.2.12")
    b = buffered.output.splitlines()
    assert b[0] == SUPPRESSED.strip() and b[2].startswith("PING 192.168.2.12")
    assert b[-7:-3] == [ln for ln in b if ln.startswith("IP ")]        # all at exit
    ln = linebuf.output.splitlines()
    seq1 = next(i for i, x in enumerate(ln) if "icmp_seq=1" in x)
    seq2 = next(i for i, x in enumerate(ln) if "icmp_seq=2" in x)
    assert ln[seq1 + 1].startswith("IP 192.168.2.11 > 192.168.2.12: ICMP echo request")
    assert ln[seq2 + 1] == "" and ln[seq2 + 2].startswith("--- 192.168.2.12 ping statistics")
    assert ln[-4].startswith("IP 192.168.2.12 > 192.168.2.11: ICMP echo reply")


def test_interrupted_capture_prints_a_newline_then_counters():
    c, = run("tcpdump -n -i veth0 arp")         # nothing comes: the runner sends SIGINT
    assert c.output == SUPPRESSED + LISTEN_VETH0 + "\n" + counters(0, 0)
    assert c.status == 0


def test_the_interface_disappears():
    c, = run("tcpdump -n -t -i veth0 & sleep 0.5 && ping -c 1 192.168.2.12 > /dev/null && "
             "sleep 1.5 && ip link del veth0")
    assert c.output.endswith("tcpdump: pcap_loop: The interface disappeared\n" + counters(2, 2))


def test_verbose_write_reports_progress_once_a_second():
    c, = run("tcpdump -n -v -w cap.pcap -i veth0 & sleep 0.5 && ping -c 3 -i 0.7 192.168.2.12 "
             "> /dev/null && sleep 1.5 && ip link del veth0")
    assert "Got 2\rGot 6\r" in c.output


def test_number_quiet_and_count_mode():
    n, cnt = run(PING2 + "tcpdump -l -n -t -# -q -c 2 -i veth0",
                 PING2 + "tcpdump -l -n --count -c 2 -i veth0")
    assert n.output.splitlines()[2].startswith("    1  IP 192.168.2.11 > 192.168.2.12: ICMP")
    assert n.output.splitlines()[3].startswith("    2  IP 192.168.2.12 > 192.168.2.11: ICMP")
    assert cnt.output == SUPPRESSED + LISTEN_VETH0 + counters(2, 2)


def test_default_device_is_the_first_of_the_list():
    c, = run(PING2 + "tcpdump -l -n -t -c 1")
    assert LISTEN_VETH0 in c.output
    lo_only = ["ip link set lo up"]
    d, = run("sleep 0.5 && ping -c 1 127.0.0.1 > /dev/null & tcpdump -l -n -t -e -c 1",
             setup=lo_only)
    assert d.output.splitlines()[1] == ("listening on any, link-type LINUX_SLL (Linux cooked v1), "
                                        "snapshot length 262144 bytes")
    assert d.output.splitlines()[2].startswith(
        " In 00:00:00:00:00:00 ethertype IPv4 (0x0800), length 100: 127.0.0.1 > 127.0.0.1:")


def test_device_list():
    _, c = run("ip link add veth5 type veth peer name veth6", "tcpdump -D")
    assert c.output.splitlines() == [
        "1.veth0 [Up, Running, Connected]",
        "2.any (Pseudo-device that captures on all interfaces) [Up, Running]",
        "3.lo [Up, Running, Loopback]",
        "4.bluetooth-monitor (Bluetooth Linux Monitor) [Wireless]",
        "5.nflog (Linux netfilter log (NFLOG) interface) [none]",
        "6.nfqueue (Linux netfilter queue (NFQUEUE) interface) [none]",
        "7.dbus-system (D-Bus system bus) [none]",
        "8.dbus-session (D-Bus session bus) [none]",
        "9.veth6 [none, Disconnected]",
        "10.veth5 [none, Disconnected]"]
    (num,) = run(PING2 + "tcpdump -l -n -t -c 1 -i 1")
    assert LISTEN_VETH0 in num.output


@pytest.mark.parametrize("line,output", [
    ("tcpdump -i veth9", "tcpdump: veth9: No such device exists\n(No such device exists)\n"),
    ("tcpdump -c 0", "tcpdump: invalid packet count 0\n"),
    ("tcpdump -c x -i veth0", "tcpdump: invalid packet count x\n"),
    ("tcpdump -Q sideways", "tcpdump: unknown capture direction `sideways'\n"),
    ("tcpdump -k", "tcpdump: invalid option -- 'k'\n" + USAGE),
    ("tcpdump --foo", "tcpdump: unrecognized option '--foo'\n" + USAGE),
    ("tcpdump -i", "tcpdump: option requires an argument -- 'i'\n" + USAGE),
    ("tcpdump -tttttt -i veth0", "tcpdump: only -t, -tt, -ttt, -tttt and -ttttt are supported\n"),
    ("tcpdump -s 999999", "tcpdump: invalid snaplen 999999 (must be >= 0 and <= 262144)\n"),
    ("tcpdump -n -i any ether host 02:00:00:00:00:0b",
     "tcpdump: data link type LINUX_SLL2\ntcpdump: ethernet addresses supported only on "
     "ethernet/FDDI/token ring/802.11/ATM LANE/Fibre Channel\n"),
    ("tcpdump -n -i veth0 -w /nonexistent-dir/x.pcap",
     "tcpdump: /nonexistent-dir/x.pcap: No such file or directory\n"),
    ("tcpdump -n -i veth0 -w /nonexistent-dir/x.pcap foo",
     "tcpdump: can't parse filter expression: syntax error\n"),
])
def test_errors(line, output):
    c, = run(line, setup=SETUP[:12])
    assert (c.output, c.status) == (output, 1)


def test_version_and_help():
    v, h = run("tcpdump --version", "tcpdump -h", setup=[])
    assert (v.output, v.status) == (VERSION, 0)
    assert (h.output, h.status) == (USAGE, 0)


def test_a_down_device():
    _, c = run("ip link add veth5 type veth peer name veth6", "tcpdump -i veth5", setup=[])
    assert c.output == "tcpdump: veth5: That device is not up\n"


def test_options_after_the_expression_and_long_options():
    o = parse_args(["tcpdump", "icmp", "-n", "--interface=veth0", "--number", "-vvc3", "and",
                    "host", "1.2.3.4", "--direction", "IN"])
    assert (o.iface, o.number, o.verbose, o.count, o.direction) == ("veth0", True, 2, 3, "in")
    assert o.expr == ["icmp", "and", "host", "1.2.3.4"]
    assert parse_args(["tcpdump", "-c", "5x"]).count == 5        # atoi


def test_device_list_order_function():
    world = build("netns", 0)          # lo is down: after libpcap's pseudo devices
    names = [n for n, _ in device_list(world.init_net)]
    assert names[:2] == ["any", "bluetooth-monitor"] and names[-1] == "lo"
