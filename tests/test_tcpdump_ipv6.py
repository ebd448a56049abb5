"""tcpdump's IPv6 lines against the real tcpdump 4.99.3, frame by frame.

tests/fixtures/real_ipv6.pcap was written by the real tcpdump on Linux 6.18 in a namespace
`a` of a - r - b (r forwarding IPv6): neighbour discovery, a fragmented echo and its
fragmented reply, hop limit exceeded, no route, packet too big, unanswered solicitations.
real_ipv6/{n,v,vv}.txt are `tcpdump -r real_ipv6.pcap -n -t` with no -v, -v and -vv.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from vethtui.tools.tcpdump import pcap, printer
from vethtui.tools.tcpdump.printer import PrintOpts

FIX = Path(__file__).parent / "fixtures"
_, PKTS = pcap.read_packets(str(FIX / "real_ipv6.pcap"))


def _frames(text: str) -> list[str]:
    """One entry per frame: a line and the continuation lines (tab-indented) under it."""
    out: list[str] = []
    for line in text.splitlines():
        if line.startswith("\t") and out:
            out[-1] += "\n" + line
        else:
            out.append(line)
    return out


@pytest.mark.parametrize("name,v", [("n", 0), ("v", 1), ("vv", 2)])
def test_every_frame_prints_as_real_tcpdump(name, v):
    want = _frames((FIX / "real_ipv6" / f"{name}.txt").read_text())
    assert len(want) == len(PKTS) == 15
    o = PrintOpts(v, False, True, False)
    for pkt, line in zip(PKTS, want):
        got = printer.format_packet(pkt.data, pkt.linktype, o, pkt.length, lambda i: "?")
        assert got == line
