"""tcpdump's printing, packet by packet, against what tcpdump 4.99.3 printed.

The frames are real: tests/fixtures/real_veth1.pcap and real_any.pcap were
written by the real tcpdump on Linux 6.18 (see record_real_tcpdump_r.py), and
every expected string below was printed by the real tcpdump for that frame.
Timestamp formats were checked by hand against the real tool (-tt, -ttt, -tttt,
-ttttt, and the leading blank of the relative forms).
"""
from __future__ import annotations

from pathlib import Path

import pytest

from vethtui.tools.tcpdump import pcap, printer
from vethtui.tools.tcpdump.main import LineFormatter, TcpdumpOpts, parse_args
from vethtui.tools.tcpdump.printer import PrintOpts

FIX = Path(__file__).parent / "fixtures"
_, VETH = pcap.read_packets(str(FIX / "real_veth1.pcap"))
_, ANY = pcap.read_packets(str(FIX / "real_any.pcap"))


def text(pkt, **kw) -> str:
    o = PrintOpts(kw.get("v", 0), kw.get("e", False), kw.get("n", True), kw.get("q", False))
    return printer.format_packet(pkt.data, pkt.linktype, o, pkt.length,
                                 kw.get("ifname", lambda i: "?"))


# ---------------------------------------------------------------- ARP

def test_arp_request_and_reply():
    assert text(VETH[0]) == "ARP, Request who-has 192.168.1.1 tell 192.168.1.2, length 28"
    assert text(VETH[1]) == "ARP, Reply 192.168.1.1 is-at 02:00:00:00:01:01, length 28"


def test_arp_verbose_names_hardware_and_protocol():
    assert text(VETH[0], v=1) == ("ARP, Ethernet (len 6), IPv4 (len 4), Request who-has "
                                  "192.168.1.1 tell 192.168.1.2, length 28")


def test_ether_header_takes_the_protocol_name():
    assert text(VETH[0], e=True) == (
        "02:00:00:00:01:02 > ff:ff:ff:ff:ff:ff, ethertype ARP (0x0806), length 42: "
        "Request who-has 192.168.1.1 tell 192.168.1.2, length 28")
    assert text(VETH[2], e=True) == (
        "02:00:00:00:01:02 > 02:00:00:00:01:01, ethertype IPv4 (0x0800), length 98: "
        "192.168.1.2 > 192.168.2.2: ICMP echo request, id 29466, seq 1, length 64")
    assert text(VETH[0], e=True, v=1).startswith(
        "02:00:00:00:01:02 > ff:ff:ff:ff:ff:ff, ethertype ARP (0x0806), length 42: "
        "Ethernet (len 6), IPv4 (len 4), Request")


def test_quiet_ether_header():
    assert text(VETH[2], e=True, q=True).startswith(
        "02:00:00:00:01:02 > 02:00:00:00:01:01, IPv4, length 98: 192.168.1.2 >")


# ---------------------------------------------------------------- IPv4 and ICMP

def test_icmp_echo_plain_and_verbose():
    assert text(VETH[2]) == "IP 192.168.1.2 > 192.168.2.2: ICMP echo request, id 29466, seq 1, length 64"
    assert text(VETH[2], v=1) == (
        "IP (tos 0x0, ttl 64, id 20335, offset 0, flags [DF], proto ICMP (1), length 84)\n"
        "    192.168.1.2 > 192.168.2.2: ICMP echo request, id 29466, seq 1, length 64")
    assert text(VETH[3], v=2) == (
        "IP (tos 0x0, ttl 63, id 17049, offset 0, flags [none], proto ICMP (1), length 84)\n"
        "    192.168.2.2 > 192.168.1.2: ICMP echo reply, id 29466, seq 1, length 64")


def test_icmp_error_quotes_the_datagram_with_v():
    assert text(VETH[5]) == "IP 192.168.1.1 > 192.168.1.2: ICMP time exceeded in-transit, length 92"
    assert text(VETH[5], v=1) == (
        "IP (tos 0xc0, ttl 64, id 1392, offset 0, flags [none], proto ICMP (1), length 112)\n"
        "    192.168.1.1 > 192.168.1.2: ICMP time exceeded in-transit, length 92\n"
        "\tIP (tos 0x0, ttl 1, id 20336, offset 0, flags [DF], proto ICMP (1), length 84)\n"
        "    192.168.1.2 > 192.168.2.2: ICMP echo request, id 29468, seq 1, length 64")
    assert text(VETH[7]) == "IP 192.168.1.1 > 192.168.1.2: ICMP net 198.51.100.1 unreachable, length 92"
    assert text(VETH[14]) == ("IP 192.168.1.1 > 192.168.1.2: ICMP 192.168.2.2 unreachable - "
                              "need to frag (mtu 1000), length 556")


def test_udp_and_port_unreachable_names_without_n():
    assert text(VETH[8]) == "IP 192.168.1.2.34941 > 192.168.2.2.9: UDP, length 3"
    assert text(VETH[8], n=False) == "IP 192.168.1.2.34941 > 192.168.2.2.discard: UDP, length 3"
    assert text(VETH[9]) == ("IP 192.168.2.2 > 192.168.1.2: ICMP 192.168.2.2 udp port 9 "
                             "unreachable, length 39")


def test_fragments():
    assert text(VETH[10]) == ("IP 192.168.1.2 > 192.168.2.2: ICMP echo request, id 29472, "
                              "seq 1, length 976")
    assert text(VETH[11]) == "IP 192.168.1.2 > 192.168.2.2: ip-proto-1"
    assert text(VETH[11], n=False) == "IP 192.168.1.2 > 192.168.2.2: icmp"
    assert text(VETH[11], v=1) == (
        "IP (tos 0x0, ttl 64, id 20338, offset 976, flags [none], proto ICMP (1), length 252)\n"
        "    192.168.1.2 > 192.168.2.2: ip-proto-1")
    assert text(VETH[10], v=1).startswith("IP (tos 0x0, ttl 64, id 20338, offset 0, flags [+], ")


def test_names_without_n():
    lo = ANY[6]                                   # a loopback frame: ARPHRD 772
    assert lo.data[8:10] == b"\x03\x04"
    assert text(lo, n=False, ifname={1: "lo"}.get) == "lo    In  IP localhost > localhost: ICMP echo request, id 29467, seq 1, length 16"
    assert text(VETH[1], n=False) == \
        "ARP, Reply 192.168.1.1 is-at 02:00:00:00:01:01 (oui Unknown), length 28"
    assert text(VETH[0], e=True, n=False).startswith(
        "02:00:00:00:01:02 (oui Unknown) > Broadcast, ethertype ARP (0x0806), length 42: ")


# ---------------------------------------------------------------- Linux cooked v2

def test_sll2_columns_and_e():
    names = {1: "lo", 2: "veth1", 3: "veth2"}.get
    assert text(ANY[0], ifname=names) == \
        "veth1 B   ARP, Request who-has 192.168.1.1 tell 192.168.1.2, length 28"
    assert text(ANY[3], ifname=names, e=True) == (
        "veth2 Out ifindex 3 02:00:00:00:02:01 ethertype IPv4 (0x0800), length 104: "
        "192.168.1.2 > 192.168.2.2: ICMP echo request, id 29466, seq 1, length 64")
    assert text(ANY[6], ifname=names, e=True) == (
        "lo    In  ifindex 1 00:00:00:00:00:00 ethertype IPv4 (0x0800), length 56: "
        "127.0.0.1 > 127.0.0.1: ICMP echo request, id 29467, seq 1, length 16")
    assert text(ANY[0]) .startswith("?     B   ARP")


def test_sll_v1_columns():
    # tcpdump with no -i, when "any" is the first device: Linux cooked v1
    from vethtui.kernel.events import CaptureEvent
    ev = CaptureEvent(0.5, "", 1, "lo", "In", VETH[2].data, 0)
    data = pcap.sll_bytes(ev)
    assert len(data) == 16 + 84 and data[:6] == bytes.fromhex("000003040006")
    o = PrintOpts(ether=True)
    assert printer.format_packet(data, 113, o).startswith(
        " In 02:00:00:00:01:02 ethertype IPv4 (0x0800), length 100: 192.168.1.2 > ")


# ---------------------------------------------------------------- hex dumps

ARP_REQ = bytes.fromhex("ffffffffffff0200000001020806000108000604000102000000"
                        "0102c0a80102000000000000c0a80101")


def test_hex_dumps_of_an_arp_request():
    assert printer.hex_dump(ARP_REQ, 1, 1, 0) == (
        "\n\t0x0000:  0001 0800 0604 0001 0200 0000 0102 c0a8"
        "\n\t0x0010:  0102 0000 0000 0000 c0a8 0101")
    assert printer.hex_dump(ARP_REQ, 1, 2, 0) == (
        "\n\t0x0000:  ffff ffff ffff 0200 0000 0102 0806 0001"
        "\n\t0x0010:  0800 0604 0001 0200 0000 0102 c0a8 0102"
        "\n\t0x0020:  0000 0000 0000 c0a8 0101")
    assert printer.hex_dump(ARP_REQ, 1, 0, 1) == (
        "\n\t0x0000:  0001 0800 0604 0001 0200 0000 0102 c0a8  ................"
        "\n\t0x0010:  0102 0000 0000 0000 c0a8 0101            ............")
    assert printer.hex_dump(ARP_REQ, 1, 0, 2).endswith(
        "\n\t0x0020:  0000 0000 0000 c0a8 0101                 ..........")


def test_hex_ascii_column_uses_isgraph_and_odd_lengths():
    # space is not "graph": it prints as a dot; an odd byte stands alone
    assert printer.hex_and_ascii(b"E A") == "\n\t0x0000:  4520 41" + " " * 32 + "  E.A"
    assert printer.hex_only(b"\x01\x02\x03") == "\n\t0x0000:  0102 03"


def test_sll2_hex_includes_the_cooked_header_with_xx():
    lo = ANY[6]
    dump = printer.hex_dump(lo.data, 276, 0, 2)
    assert dump.startswith("\n\t0x0000:  0800 0000 0000 0001 0304 0006 0000 0000  ................"
                           "\n\t0x0010:  0000 0000 4500 0024")
    assert printer.hex_dump(lo.data, 276, 1, 0).startswith("\n\t0x0000:  4500 0024")


# ---------------------------------------------------------------- timestamps

EPOCH = 1795255200.0      # 2026-11-21 10:00:00 UTC, the lab's World.epoch


class _Ev:
    def __init__(self, t, data=VETH[2].data):
        self.time, self.data, self.iface, self.ifindex, self.direction = t, data, "veth1", 2, "In"
        self.net, self.skb_id = "", 0


def lines(argv: str, times: list[float]) -> list[str]:
    o = parse_args(["tcpdump"] + argv.split())
    fmt = LineFormatter(o, False, EPOCH)
    return [fmt.line(_Ev(t)).split("IP ")[0].rstrip(" ") for t in times]


def test_timestamp_formats():
    times = [1.2, 1.200017, 1.403294]
    assert lines("-n", times) == ["10:00:01.200000", "10:00:01.200017", "10:00:01.403294"]
    assert lines("-n -t", times) == ["", "", ""]
    assert lines("-n -tt", times) == ["1795255201.200000", "1795255201.200017",
                                      "1795255201.403294"]
    # since the previous packet, and since the first: a blank where a "-" could be
    assert lines("-n -ttt", times) == [" 00:00:00.000000", " 00:00:00.000017",
                                       " 00:00:00.203277"]
    assert lines("-n -ttttt", times) == [" 00:00:00.000000", " 00:00:00.000017",
                                         " 00:00:00.203294"]
    assert lines("-n -tttt", times) == ["2026-11-21 10:00:01.200000", "2026-11-21 10:00:01.200017",
                                        "2026-11-21 10:00:01.403294"]
    assert lines("-n --nano -tt", [1.2])[0] == "1795255201.200000000"
    assert lines("-n -#", [1.2])[0] == "    1  10:00:01.200000"


def test_a_line_with_v_and_x():
    o = parse_args(["tcpdump", "-n", "-t", "-v", "-x"])
    assert isinstance(o, TcpdumpOpts)
    line = LineFormatter(o, False, EPOCH).line(_Ev(1.0, ARP_REQ))
    assert line == ("ARP, Ethernet (len 6), IPv4 (len 4), Request who-has 192.168.1.1 tell "
                    "192.168.1.2, length 28"
                    "\n\t0x0000:  0001 0800 0604 0001 0200 0000 0102 c0a8"
                    "\n\t0x0010:  0102 0000 0000 0000 c0a8 0101")


def test_summary_is_the_any_line_body():
    assert printer.summary(VETH[3].data) == \
        "IP 192.168.2.2 > 192.168.1.2: ICMP echo reply, id 29466, seq 1, length 64"
    assert printer.summary(ARP_REQ) == "ARP, Request who-has 192.168.1.1 tell 192.168.1.2, length 28"


@pytest.mark.parametrize("cut", [14, 20, 34, 40])
def test_truncated_frames_do_not_raise(cut):
    for pkt in VETH:
        printer.format_packet(pkt.data[:cut], 1, PrintOpts(verbose=2, ether=True))


def test_igmp_v3_report_from_a_bridge():
    # recorded from Linux 6.18: a bridge with an address joins 224.0.0.106
    sll2 = bytes.fromhex("080000000000000200010406d262fcfc9abe000046c000280000400001021150c0a832"
                         "01e0000016940400002200f9930000000104000000e000006a")
    assert printer.format_packet(sll2, 276, PrintOpts()) == \
        "?     Out IP 192.168.50.1 > 224.0.0.22: igmp v3 report, 1 group record(s)"
    assert printer.format_packet(sll2, 276, PrintOpts(verbose=2)) == (
        "?     Out IP (tos 0xc0, ttl 1, id 0, offset 0, flags [DF], proto IGMP (2), length 40, "
        "options (RA))\n"
        "    192.168.50.1 > 224.0.0.22: igmp v3 report, 1 group record(s) "
        "[gaddr 224.0.0.106 to_ex { }]")
    assert printer.format_packet(sll2, 276, PrintOpts(verbose=1)).endswith(
        "[gaddr 224.0.0.106 to_ex, 0 source(s)]")
