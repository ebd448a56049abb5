"""explain over IPv6: neighbour discovery, the echo and its reply, and the errors."""
from __future__ import annotations

import re

from vethtui.explain import explain_command, last_command_with_packets

PAIR = ("ip link set lo up", "ip netns add b",
        "ip link add veth0 type veth peer name veth1 netns b",
        "ip addr add 2001:db8::1/64 dev veth0", "ip -n b addr add 2001:db8::2/64 dev veth1",
        "ip link set veth0 up", "ip -n b link set veth1 up", "sleep 3")


def _explain_last(sh) -> str:
    return explain_command(sh.world, last_command_with_packets(sh.world))


def _steps(text: str, packet_head: str) -> list[str]:
    block = text.split(packet_head, 1)[1].split("\n\n", 1)[0]
    return [ln.strip() for ln in block.splitlines() if re.match(r"\s+\d+\. ", ln)]


def test_echo_waits_for_neighbour_discovery_then_is_answered(sh):
    sh(*PAIR)
    assert "1 received" in sh("ping -c 1 2001:db8::2").output
    text = _explain_last(sh)
    head = next(ln for ln in text.splitlines()
                if ln.startswith("Packet #") and "ICMPv6 echo request" in ln)
    steps = _steps(text, head)
    assert steps[0].startswith("1. [host] ping's raw ICMPv6 socket sends it, "
                               "2001:db8::1 > 2001:db8::2")
    assert any("while neighbour discovery asks who has 2001:db8::2" in s for s in steps)
    assert any("veth0 hands the frame to its veth peer veth1 in namespace b" in s for s in steps)
    assert any("icmpv6_echo_reply: the stack answers with an echo reply from 2001:db8::2"
               in s for s in steps)
    assert ("a neighbor solicitation for 2001:db8::2, ours: the asker 2001:db8::1 is "
            "remembered (STALE) and answered with an advertisement") in text
    assert "delivered to ping's raw ICMPv6 socket" in text


def test_unanswered_neighbour_gives_address_unreachable(sh):
    sh(*PAIR)
    sh("ping -c 1 2001:db8::99")
    text = _explain_last(sh)
    assert "no neighbour discovery answer for 2001:db8::99 after the last probe" in text
    assert "the stack sends an ICMPv6 destination unreachable (code 3) to 2001:db8::1" in text
    assert "the error is queued on ping's raw ICMPv6 socket" in text


def test_dad_probes_and_reports_are_set_aside_from_a_ping(sh):
    """DAD's neighbor solicitations (from ::) are addrconf's own timer traffic, not the
    story of a ping that runs meanwhile; the ping's own solicitation is."""
    sh("ip link set lo up", "ip netns add b",
       "ip link add veth0 type veth peer name veth1 netns b",
       "ip addr add 2001:db8::1/64 dev veth0 nodad",
       "ip -n b addr add 2001:db8::2/64 dev veth1 nodad",
       "ip link set veth0 up", "ip -n b link set veth1 up")
    sh("ping -c 1 2001:db8::2", settle=3)
    text = _explain_last(sh)
    head, stories = text.split("\n\n", 1)
    assert "Not this command's doing:" in head
    assert "IPv6 address configuration" not in stories
    assert "neighbour discovery sends a neighbor solicitation, 2001:db8::1 > ff02::1:ff00:2" \
        in stories
