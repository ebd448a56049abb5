"""pcap filters as libpcap 1.10.3 compiles and runs them.

COMPILED records, for each expression, what `tcpdump -d -i veth1 EXPR` and
`tcpdump -d -i any EXPR` said on the reference machine (None: it compiled; else
the error after "tcpdump: "). The matching tests use the real frames of
tests/fixtures and what the real `tcpdump -r FILE -n -t EXPR` printed for them
(tests/fixtures/real_tcpdump_r.json.gz).
"""
from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from vethtui.kernel.events import CaptureEvent
from vethtui.tools.tcpdump import pcap
from vethtui.tools.tcpdump.filter import (DLT_EN10MB, DLT_LINUX_SLL2, FilterError,
                                          check_filter, compile_filter, tokenize)

FIX = Path(__file__).parent / "fixtures"
REAL = json.loads(gzip.decompress((FIX / "real_tcpdump_r.json.gz").read_bytes()))

COMPILED = [
    ('arp and icmp', 'expression rejects all packets', 'expression rejects all packets'),
    ('icmp and tcp', 'expression rejects all packets', 'expression rejects all packets'),
    ('ip and arp', 'expression rejects all packets', 'expression rejects all packets'),
    ('arp and not arp', 'expression rejects all packets', 'expression rejects all packets'),
    ('icmp and udp port 53', 'expression rejects all packets', 'expression rejects all packets'),
    ('ip and ip6', 'expression rejects all packets', 'expression rejects all packets'),
    ('arp or 1.2.3.4', 'syntax error in filter expression', 'syntax error in filter expression'),
    ('host 1.2.3.4 or 5.6.7.8', None, None),
    ('(host 1.2.3.4) or 5.6.7.8', 'syntax error in filter expression', 'syntax error in filter expression'),
    ('arp or host 1.2.3.4 and icmp', None, None),
    ('not host 1.2.3.4 or 5.6.7.8', None, None),
    ('host 1.2.3.4 and not 5.6.7.8', None, None),
    ('ip proto icmp', "can't parse filter expression: syntax error", "can't parse filter expression: syntax error"),
    ('ip proto \\icmp', None, None),
    ('ether proto \\arp', None, None),
    ('ether proto \\ip6', None, None),
    ('proto \\tcp', None, None),
    ('tcp port ssh', None, None),
    ('udp port ssh', "port 'ssh' is tcp", "port 'ssh' is tcp"),
    ('port 99999', 'illegal port number 99999 > 65535', 'illegal port number 99999 > 65535'),
    ('portrange 1-100', None, None),
    ('src or dst host 1.2.3.4', None, None),
    ('src and dst 1.2.3.4', None, None),
    ('host 10.0.0.0/8', 'Mask syntax for networks only', 'Mask syntax for networks only'),
    ('net 10', None, None),
    ('host 10', None, None),
    ('net loopback', None, None),
    ('net default', "unknown network 'default'", "unknown network 'default'"),
    ('net foo', "unknown network 'foo'", "unknown network 'foo'"),
    ('host localhost', None, None),
    ('1.2.3.4', "can't parse filter expression: syntax error", "can't parse filter expression: syntax error"),
    ('ip 1.2.3.4', "can't parse filter expression: syntax error", "can't parse filter expression: syntax error"),
    ('ether host 02:00:00:00:00:01', None, 'ethernet addresses supported only on ethernet/FDDI/token ring/802.11/ATM LANE/Fibre Channel'),
    ('ether 02:00:00:00:00:01', "can't parse filter expression: syntax error", "can't parse filter expression: syntax error"),
    ('host 02:00:00:00:00:01', 'ethernet address used in non-ether expression', 'ethernet address used in non-ether expression'),
    ('ether src 0200.0000.0001', None, 'ethernet addresses supported only on ethernet/FDDI/token ring/802.11/ATM LANE/Fibre Channel'),
    ('ether host 020000000001', None, 'ethernet addresses supported only on ethernet/FDDI/token ring/802.11/ATM LANE/Fibre Channel'),
    ('ether host foo', "unknown ether host 'foo'", 'only ethernet/FDDI/token ring/802.11/ATM LANE/Fibre Channel supports link-level host name'),
    ('ip broadcast', None, None),
    ('ip multicast', None, None),
    ('broadcast', None, 'not a broadcast link'),
    ('multicast', None, 'link-layer multicast filters supported only on ethernet/FDDI/token ring/ARCNET/802.11/ATM LANE/Fibre Channel'),
    ('len < 100', None, None),
    ('len >= 0x10', None, None),
    ('icmp[0] = 8', None, None),
    ('icmp[icmptype] = icmp-echo or icmp[icmptype] = icmp-echoreply', None, None),
    ('icmp[icmptype] != icmp-echo', None, None),
    ('ip[0] & 0xf > 5', None, None),
    ('ip[2:2] > 576', None, None),
    ('ip[2:3] > 576', 'data size must be 1, 2, or 4', 'data size must be 1, 2, or 4'),
    ('ether[0] & 1 = 1', None, None),
    ('tcp[tcpflags] & tcp-syn != 0', None, None),
    ('icmp[08] = 1', 'number 08 contains non-octal digit', 'number 08 contains non-octal digit'),
    ('icmp[0x1g] = 1', "can't parse filter expression: syntax error", "can't parse filter expression: syntax error"),
    ('arp[7] = 2', None, None),
    ('(arp)', None, None),
    ('((arp or icmp))', None, None),
    ('host 1.2.3.4 and (5.6.7.8 or 9.9.9.9)', None, None),
    ('icmp and', "can't parse filter expression: syntax error", "can't parse filter expression: syntax error"),
    ('and icmp', "can't parse filter expression: syntax error", "can't parse filter expression: syntax error"),
    ('host 300.1.1.1 and', "invalid IPv4 address '300.1.1.1'", "invalid IPv4 address '300.1.1.1'"),
    ('host 1.2.3.4.5', "unknown host '1.2.3.4.5'", "unknown host '1.2.3.4.5'"),
    ('host 1.2.3.4.', "unknown host '1.2.3.4.'", "unknown host '1.2.3.4.'"),
    ('vlan', None, 'no VLAN support for Linux cooked v2'),
    ('ip6', None, None),
    ('icmp6', None, None),
    ('ip6 host ::1', None, None),
    ('ip host ::1', "'ip' modifier applied to ip6 host", "'ip' modifier applied to ip6 host"),
    ('host fe80::1', None, None),
    ('ip6 net fe80::/10', None, None),
    ('inbound', None, None),
    ('outbound', None, None),
    ('ifindex 2', None, None),
    ('less 100', None, None),
    ('greater 100', None, None),
    ('gateway foo', "'gateway' not supported in this configuration", "'gateway' not supported in this configuration"),
    ('link', 'link layer applied in wrong context', 'link layer applied in wrong context'),
    ('ether', 'link layer applied in wrong context', 'link layer applied in wrong context'),
    ('tcp', None, None),
    ('icmp or arp and host 192.168.1.2', None, None),
    ('dst port 53', None, None),
    ('src net 192.168.0.0/16 and dst net 10.0.0.0/8', None, None),
    ('not not arp', None, None),
    ('! arp', None, None),
    ('arp && icmp', 'expression rejects all packets', 'expression rejects all packets'),
    ('arp || icmp', None, None),
    ('ip and not icmp', None, None),
]

@pytest.mark.parametrize("expr,eth,sll2", COMPILED, ids=[c[0] for c in COMPILED])
def test_compiles_or_fails_as_libpcap(expr, eth, sll2):
    for linktype, want in ((DLT_EN10MB, eth), (DLT_LINUX_SLL2, sll2)):
        try:
            compile_filter(expr, linktype, netmask=0xFFFFFF00)
            got = None
        except FilterError as err:
            got = err.message
        assert got == want, f"link type {linktype}"


def test_words_are_joined_like_tcpdump_argv():
    f = compile_filter(["icmp", "and", "host", "192.168.1.2"])
    assert f.text == "icmp and host 192.168.1.2"
    assert compile_filter([]).matches_all


def test_check_filter_gives_the_error_line():
    assert check_filter("arp and") == "tcpdump: can't parse filter expression: syntax error"
    assert check_filter("ether host 02:00:00:00:00:01", any_iface=True).startswith(
        "tcpdump: ethernet addresses supported only on ethernet")
    assert check_filter("icmp") is None


def test_lexer_longest_match():
    kinds = [t.kind for t in tokenize("host1 host 10.0.0.1/24 02:00:00:00:00:0b icmp-echo \\arp")]
    assert kinds == ["ID", "HOST", "HID", "/", "NUM", "EID", "NUM", "ID", "EOF"]
    assert tokenize("0x1f")[0].value == 31 and tokenize("017")[0].value == 15


@pytest.mark.parametrize("name", ["real_veth1.pcap", "real_any.pcap", "real_ipv6_any.pcap"])
def test_filters_match_what_the_real_tcpdump_kept(name):
    """Every recorded filter keeps exactly the packets the real tcpdump -r printed."""
    linktype, packets = pcap.read_packets(str(FIX / name))
    from vethtui.tools.tcpdump.printer import format_packet
    names = {1: "lo"}.get
    for expr, rec in REAL["filters"][name].items():
        try:
            flt = compile_filter(expr, linktype, netmask=0, savefile=True)
        except FilterError as err:
            assert rec["status"] == 1 and rec["stderr"].endswith(f"tcpdump: {err.message}\n"), expr
            continue
        assert rec["status"] == 0, expr
        kept = [format_packet(p.data, linktype, length=p.length,
                              ifname=lambda i: names(i) or "?")
                for p in packets if flt.match_bytes(p.data)]
        assert kept == rec["stdout"].splitlines(), expr


def _ev(data: bytes, direction: str = "In", iface: str = "veth1", ifindex: int = 2):
    return CaptureEvent(0.0, "", ifindex, iface, direction, data, 0)


_, VETH = pcap.read_packets(str(FIX / "real_veth1.pcap"))
ARP_REQ, ARP_REPLY, ECHO, REPLY = (VETH[i].data for i in range(4))


def test_and_or_have_the_same_precedence():
    # pcap-filter(7): "arp or icmp and src host X" is "(arp or icmp) and src host X"
    f = compile_filter("arp or icmp and src host 192.168.1.1")
    assert not f(_ev(ARP_REQ))           # from 192.168.1.2
    assert f(_ev(ARP_REPLY))             # from 192.168.1.1
    g = compile_filter("arp or (icmp and src host 192.168.1.1)")
    assert g(_ev(ARP_REQ))


def test_qualifiers_are_inherited():
    f = compile_filter("src host 10.9.9.9 or 192.168.1.2")    # "src host 192.168.1.2"
    assert f(_ev(ECHO)) and not f(_ev(REPLY))
    g = compile_filter("host 10.9.9.9 and not 192.168.2.2")
    assert not g(_ev(ECHO))
    with pytest.raises(FilterError, match="syntax error in filter expression"):
        compile_filter("arp or 192.168.1.2")


def test_filters_on_sll2_see_the_cooked_header():
    f = compile_filter("icmp and outbound", DLT_LINUX_SLL2)
    assert f(_ev(ECHO, "Out")) and not f(_ev(ECHO, "In"))
    g = compile_filter("ether[10] = 4", DLT_LINUX_SLL2)        # SLL2 packet type
    assert g(_ev(ECHO, "Out"))
    assert compile_filter("len = 104", DLT_LINUX_SLL2)(_ev(ECHO))
    assert compile_filter("len = 98")(_ev(ECHO))
    assert compile_filter("ifindex 7", DLT_LINUX_SLL2)(_ev(ECHO, ifindex=7))


def test_loads_out_of_the_packet_reject_it():
    f = compile_filter("icmp[200] = 0 or arp")
    assert not f(_ev(ECHO))          # the load fails: BPF returns 0 for the whole program
    assert f(_ev(ARP_REQ))


def test_direction_on_a_device_needs_kernel_metadata():
    f = compile_filter("inbound")
    assert f.kernel_metadata
    assert f(_ev(ECHO, "In")) and not f(_ev(ECHO, "Out"))
    assert not f(_ev(ECHO, "In"), userland=True)
    assert not compile_filter("icmp").kernel_metadata
    assert not compile_filter("inbound", DLT_LINUX_SLL2).kernel_metadata


def test_ether_hosts_and_broadcast():
    assert compile_filter("ether broadcast")(_ev(ARP_REQ))
    assert compile_filter("ether dst ff:ff:ff:ff:ff:ff")(_ev(ARP_REQ))
    assert compile_filter("ether src 02:00:00:00:01:02")(_ev(ECHO))
    assert compile_filter("ether host 0200.0000.0101")(_ev(ECHO))
    assert not compile_filter("ether src 02-00-00-00-01-01")(_ev(ECHO))
    assert compile_filter("multicast")(_ev(ARP_REQ))


def test_host_names_from_the_lab_hosts_file():
    lo = ECHO[:26] + bytes([127, 0, 0, 1, 127, 0, 0, 1]) + ECHO[34:]
    assert compile_filter("host localhost")(_ev(lo))
    with pytest.raises(FilterError, match="unknown host 'gateway1'"):
        compile_filter("host gateway1")


def test_the_api_a_capture_view_uses():
    from vethtui.tools.tcpdump import api
    flt = api.view_filter("icmp and host 192.168.1.2", iface="any")
    assert flt.linktype == DLT_LINUX_SLL2 and flt(_ev(ECHO, "Out"))
    assert api.view_filter("", iface="veth0").matches_all
    with pytest.raises(FilterError) as err:
        api.view_filter("ether host 02:00:00:00:00:01", iface="any")
    assert err.value.message.startswith("ethernet addresses supported only on")
    assert api.check_filter("arp and", iface="veth0") == \
        "tcpdump: can't parse filter expression: syntax error"
    assert api.check_filter("arp", iface="veth0") is None
    fmt = api.formatter(iface="any", epoch=0.0, opts="-n -t -e")
    assert fmt.line(_ev(ECHO, "In")) == (
        "veth1 In  ifindex 2 02:00:00:00:01:02 ethertype IPv4 (0x0800), length 104: "
        "192.168.1.2 > 192.168.2.2: ICMP echo request, id 29466, seq 1, length 64")
    with pytest.raises(ValueError, match="invalid option -- 'k'"):
        api.formatter(opts="-k")
