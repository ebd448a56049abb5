"""The article's three situations, explained packet by packet.

1. Only veth0 has an address: ARP requests cross the pair, veth1 sees them
   and nobody answers (the target is not local), the echo request dies with
   NEIGH_FAILED.
2. Both ends have addresses, `ping -I veth0` the peer's address: veth1 refuses
   the ARP because its sender is a local address (accept_local=0), and says so
   with the sysctl values in force.
3. accept_local=1 and rp_filter=0 on veth1: ARP is answered, the echo request
   is answered, and the reply goes through lo, yet reaches the socket bound to
   veth0 because it counts as arriving on the local route's device.
"""
from __future__ import annotations

import re

from vethtui.explain import explain_command, explain_packet, last_command_with_packets

PAIR = ("ip link set lo up", "ip link add veth0 type veth peer name veth1",
        "ip addr add 192.168.2.11/24 dev veth0", "ip link set veth0 up", "ip link set veth1 up",
        "sysctl -w net.ipv4.conf.all.rp_filter=1")


def _explain_last(sh) -> str:
    mark = last_command_with_packets(sh.world)
    return explain_command(sh.world, mark)


def _steps(text: str, packet_head: str) -> list[str]:
    """The numbered steps of the story that starts with `packet_head`."""
    block = text.split(packet_head, 1)[1].split("\n\n", 1)[0]
    return [ln.strip() for ln in block.splitlines() if re.match(r"\s+\d+\. ", ln)]


def test_one_address_arp_is_never_answered(sh):
    sh(*PAIR)
    res = sh("ping -c 1 -W 1 192.168.2.12", settle=4)
    assert "0 received" in res.output
    text = _explain_last(sh)
    assert text.startswith("Explain: ping -c 1 -W 1 192.168.2.12 (exit 1)")
    assert "ICMP echo request: dropped, SKB_DROP_REASON_NEIGH_FAILED" in text
    arp = _steps(text, "ARP request who-has 192.168.2.12 tell 192.168.2.11")
    assert arp[0].startswith("1. [host] ARP request on veth0: who-has 192.168.2.12")
    assert any("veth0 hands the frame to its veth peer veth1" in s for s in arp)
    assert any("veth1 receives it (a broadcast)" in s for s in arp)
    assert "target is not a local address of this namespace" in arp[-1]
    assert "and 2 more like it" in text      # three probes, one story


def test_ping_dash_i_refused_by_source_validation(sh):
    sh(*PAIR, "ip addr add 192.168.2.12/24 dev veth1")
    res = sh("ping -c 1 -I veth0 192.168.2.12", settle=4)
    assert "0 received" in res.output
    text = _explain_last(sh)
    assert ("source 192.168.2.11 is a local address and accept_local=0 "
            "(all=0 or veth1=0) on veth1") in text
    assert "rp_filter=1 (the maximum of all=1 and veth1=0)" in text
    echo = _steps(text, "ICMP echo request 192.168.2.11 > 192.168.2.12")
    assert echo[0].endswith("bound to veth0 (ping -I veth0)  [raw_sendmsg]")
    assert "table main, 192.168.2.0/24" in echo[1]
    assert echo[-1] == "7. DROPPED: SKB_DROP_REASON_NEIGH_FAILED  [neigh_invalidate]" or \
        echo[-1].endswith("DROPPED: SKB_DROP_REASON_NEIGH_FAILED  [neigh_invalidate]")
    # the host-unreachable error comes back through lo, but not to ping's error queue
    assert "the socket is bound to veth0 (SO_BINDTODEVICE, ping -I) and the packet counts " \
           "as arriving on lo" in text


def test_accept_local_reply_comes_back_on_lo(sh):
    sh(*PAIR, "ip addr add 192.168.2.12/24 dev veth1",
       "echo 1 > /proc/sys/net/ipv4/conf/veth1/accept_local",
       "echo 0 > /proc/sys/net/ipv4/conf/all/rp_filter",
       "echo 0 > /proc/sys/net/ipv4/conf/veth1/rp_filter")
    res = sh("ping -c 1 -I veth0 192.168.2.12")
    assert "1 received" in res.output
    text = _explain_last(sh)
    reply = _steps(text, "ICMP echo reply 192.168.2.12 > 192.168.2.11")
    assert "route lookup: local 192.168.2.11 dev lo" in reply[1]
    assert "(table local, 192.168.2.11/32)" in reply[1]
    assert any("the packet goes through lo" in s for s in reply)
    assert any(s.startswith("5. lo receives it") for s in reply)
    assert any("counts as arriving on veth0, the device of the local route" in s for s in reply)
    req = _steps(text, "ARP request who-has 192.168.2.12")
    assert "192.168.2.12 is local and 192.168.2.11 is acceptable: it answers" in req[-1]


def test_explain_command_in_the_console(sh):
    sh(*PAIR, "ip addr add 192.168.2.12/24 dev veth1")
    sh("ping -c 1 -W 1 -I veth0 192.168.2.12", settle=4)
    sh("ip neigh")
    res = sh("explain")
    assert res.status == 0
    assert res.output.startswith("(`ip neigh` sent no packets; explaining `ping -c 1 -W 1 "
                                 "-I veth0 192.168.2.12`)\nExplain: ping")
    first = re.search(r"Packet #(\d+): ICMP echo request", res.output)
    one = sh(f"explain {first.group(1)}")
    assert one.output.startswith(f"Packet #{first.group(1)}: ICMP echo request")
    assert "Packet #" in one.output.split("=>", 1)[1], "the packets it caused follow"
    assert explain_packet(sh.world, int(first.group(1))) + "\n" == one.output
    assert sh(f"explain '#{first.group(1)}'").output == one.output   # quoted: not a comment
    bad = sh("explain nonsense")
    assert bad.status == 2 and bad.output.startswith("explain: nonsense: not a packet id")
    none = sh("explain 999999")
    assert none.status == 1 and none.output == "explain: no packet #999999\n"


def test_configuration_commands_have_nothing_to_explain(sh):
    sh("ip link add veth0 type veth peer name veth1")
    mark = sh.world.commands[-1]
    assert explain_command(sh.world, mark).endswith(
        "No packets: this command only read or changed the configuration.")


def test_background_traffic_is_set_aside(sh):
    """IPv6 autoconfiguration chatter is named in one line, not told as the ping's story."""
    sh("ip link add veth0 type veth peer name veth1", "ip addr add 10.1.0.1/24 dev veth0",
       "ip addr add 10.1.0.2/24 dev veth1", "ip link set veth0 up", "ip link set veth1 up")
    sh("ping -c 1 10.1.0.2", settle=3)
    text = _explain_last(sh)
    head = text.split("\n\n", 1)[0]
    if "IPv6" in head:
        assert "Not this command's doing:" in head
    assert "IPv6" not in text.split("\n\n", 1)[1]


def test_runner_explain_prints_walkthroughs_after_each_command(tmp_path):
    import io
    import json

    from vethtui.runner import main
    script = tmp_path / "s.sh"
    script.write_text("\n".join(PAIR) + "\nping -c 1 -W 1 192.168.2.12\n")
    out = io.StringIO()
    assert main(script, "netns", False, 0, out=out, explain=True) == 0
    text = out.getvalue()
    ping_at = text.index("$ ping -c 1 -W 1 192.168.2.12")
    assert text.index("Explain: ping -c 1 -W 1 192.168.2.12 (exit 1)") > ping_at
    assert "target is not a local address of this namespace" in text
    out = io.StringIO()
    main(script, "netns", True, 0, out=out, explain=True)
    events = [json.loads(ln) for ln in out.getvalue().splitlines()]
    explained = [e for e in events if e["type"] == "explain"]
    assert explained[-1]["cmd"] == "ping -c 1 -W 1 192.168.2.12"


def test_explain_after_ip_route_get_names_the_table_and_route(sh):
    sh(*PAIR)
    sh("ip route get 192.168.2.12")
    res = sh("explain")
    assert res.output.startswith("Explain: ip route get 192.168.2.12 (exit 0)")
    assert ("output route lookup (local table first, then main, longest prefix): unicast "
            "192.168.2.12 dev veth0 src 192.168.2.11 (table main, 192.168.2.0/24)") in res.output
    sh("ip route get 192.168.2.11")
    assert "(table local, 192.168.2.11/32)" in sh("explain").output
    sh("ip route get 10.9.9.9 iif veth1 from 192.168.2.11")
    assert "input route lookup as if from veth1" in sh("explain").output
