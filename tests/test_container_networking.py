"""Container networking in the default lab, end to end: a container namespace on a bridge
reaches the simulated internet through the host's forwarding and MASQUERADE, a published
port (DNAT) reaches a web server in the container, and names come from /etc/hosts.

The same steps run on the real kernel in tests/oracle/scenarios/nat_tcp_*.sh (with the
internet built from namespaces); here they run against the default lab's own gateway,
ISP and servers (vethtui/labs/internet.py)."""
from __future__ import annotations

import re

import pytest

from tests.conftest import Shell

CONTAINER = [
    "ip netns add c1",
    "ip link add br0 type bridge",
    "ip addr add 172.18.0.1/16 dev br0",
    "ip link set br0 up",
    "ip link add veth-c1 type veth peer name eth0 netns c1",
    "ip link set veth-c1 master br0",
    "ip link set veth-c1 up",
    "ip -n c1 addr add 172.18.0.2/16 dev eth0",
    "ip -n c1 link set eth0 up",
    "ip -n c1 link set lo up",
    "ip -n c1 route add default via 172.18.0.1",
]
MASQ = "iptables -t nat -A POSTROUTING -s 172.18.0.0/16 ! -o br0 -j MASQUERADE"


@pytest.fixture
def lab():
    sh = Shell("default")
    for r in sh(*CONTAINER):
        assert r.status == 0, (r.cmd, r.output)
    return sh


def _sources(text: str) -> list[str]:
    """The source addresses of the IP lines of `tcpdump -n` output."""
    return re.findall(r" IP (\d+\.\d+\.\d+\.\d+)\.?\d* > ", text)


def test_ping_needs_forwarding_then_masquerade(lab):
    r = lab("ip netns exec c1 ping -c 1 -W 1 8.8.8.8")
    assert r.status == 1 and "1 packets transmitted, 0 received" in r.output
    # forwarding alone: the request leaves eth0 from the private address, no answer
    lab("sysctl -w net.ipv4.ip_forward=1")
    r = lab("tcpdump -n -i eth0 -c 1 icmp & ip netns exec c1 ping -c 1 -W 1 8.8.8.8")
    assert r.status == 1 and "0 received" in r.output
    assert _sources(r.output) == ["172.18.0.2"]
    # MASQUERADE: the host's address on the wire, the reply translated back
    assert lab(MASQ).status == 0
    r = lab("tcpdump -n -i eth0 -c 2 icmp & ip netns exec c1 ping -c 1 8.8.8.8")
    assert r.status == 0 and "1 received" in r.output
    assert "64 bytes from 8.8.8.8: icmp_seq=1 ttl=" in r.output
    assert _sources(r.output) == ["192.168.1.11", "8.8.8.8"]
    r = lab("conntrack -L -p icmp")
    assert "src=172.18.0.2 dst=8.8.8.8" in r.output
    assert "src=8.8.8.8 dst=192.168.1.11" in r.output


def test_curl_from_container_through_masquerade(lab):
    lab("sysctl -w net.ipv4.ip_forward=1", MASQ)
    r = lab("tcpdump -n -i eth0 -c 3 tcp & ip netns exec c1 curl -s -o /dev/null "
            "-w '%{http_code}\\n' http://93.184.216.34/")
    assert r.status == 0 and "200\n" in r.output
    assert _sources(r.output) == ["192.168.1.11", "93.184.216.34", "192.168.1.11"]
    # the NAT keeps the TCP checksums right: the handshake and the page went through,
    # and conntrack followed the real handshake and close
    r = lab("conntrack -L -p tcp")
    assert "TIME_WAIT src=172.18.0.2 dst=93.184.216.34" in r.output
    assert "src=93.184.216.34 dst=192.168.1.11 sport=80" in r.output and "[ASSURED]" in r.output


def test_published_port_reaches_the_container_server(lab):
    # one session: the server's log stays in its scratch file system. The server starts
    # before c1 has a route out, as on a real host (its name lookup stays inside).
    lab("ip -n c1 route del default")
    res = lab("ip netns exec c1 python3 -m http.server 80 > /dev/null 2> /tmp/http.log &",
              "ip -n c1 route add default via 172.18.0.1",
              "curl -s -o /dev/null -w '%{http_code}\\n' http://192.168.1.11:8080/",
              "iptables -t nat -A PREROUTING -p tcp --dport 8080 -j DNAT --to-destination 172.18.0.2:80",
              "iptables -t nat -A OUTPUT -p tcp --dport 8080 -j DNAT --to-destination 172.18.0.2:80",
              "curl -s -o /dev/null -w '%{http_code}\\n' http://192.168.1.11:8080/",
              "conntrack -L -p tcp",
              "cat /tmp/http.log",
              "iptables -t nat -L OUTPUT -v -n")
    refused, published, ct, log, counters = res[2], res[5], res[6], res[7], res[8]
    assert (refused.status, refused.output) == (7, "000\n")
    assert (published.status, published.output) == (0, "200\n")
    assert ("src=192.168.1.11 dst=192.168.1.11 sport=" in ct.output
            and "dport=8080 src=172.18.0.2 dst=192.168.1.11 sport=80" in ct.output)
    assert re.fullmatch(r'192\.168\.1\.11 - - \[[^]]+\] "GET / HTTP/1\.1" 200 -\n', log.output)
    assert re.search(r"^\s+1\s+60 DNAT\s", counters.output, re.M), counters.output


def test_names_come_from_etc_hosts(lab):
    hosts = lab("cat /etc/hosts").output
    assert hosts.startswith("127.0.0.1\tlocalhost\n127.0.1.1\t")
    assert "93.184.216.34\texample.com www.example.com\n" in hosts
    r = lab("ping -c 1 example.com")
    assert r.status == 0
    assert r.output.startswith("PING example.com (93.184.216.34) 56(84) bytes of data.\n")
    assert "64 bytes from example.com (93.184.216.34): icmp_seq=1 ttl=" in r.output
    r = lab("ping -c 1 example.org")
    assert (r.status, r.output) == (2, "ping: example.org: Temporary failure in name resolution\n")
    r = lab("curl -sS http://example.org/")
    assert (r.status, r.output) == (6, "curl: (6) Could not resolve host: example.org\n")
    # tcpdump without -n names hosts /etc/hosts knows, as ipaddr_string's gethostbyaddr does
    r = lab("tcpdump -i eth0 -c 1 tcp & curl -s -o /dev/null http://example.com/")
    assert re.search(r"IP example\.com\.http > 192\.168\.1\.11\.\d+: Flags |"
                     r"IP 192\.168\.1\.11\.\d+ > example\.com\.http: Flags ", r.output), r.output
    # and a filter's `host NAME` looks the name up there
    r = lab("tcpdump -n -i eth0 -c 1 host example.com & curl -s -o /dev/null http://example.com/")
    assert "93.184.216.34" in r.output and "1 packet captured" in r.output
    r = lab("tcpdump -i eth0 host example.org")
    assert (r.status, r.output) == (1, "tcpdump: unknown host 'example.org'\n")
    # a line added to /etc/hosts is used at once
    res = lab("echo 172.18.0.2 c1 >> /etc/hosts", "ping -c 1 c1")
    assert res[1].output.startswith("PING c1 (172.18.0.2) ")


def test_example_com_answers_http(lab):
    r = lab("curl -s http://example.com/")
    assert r.status == 0
    assert r.output.startswith("<!doctype html>\n<html>\n<head>\n    <title>Example Domain</title>")
    assert r.output.endswith("</body>\n</html>\n")
    r = lab("curl -sI http://example.com/")
    head = r.output.split("\r\n")
    assert head[0] == "HTTP/1.1 200 OK"
    assert "Content-Type: text/html; charset=UTF-8" in head
    assert "Content-Length: 1256" in head
    assert lab("curl -s -o /dev/null -w '%{http_code}\\n' http://example.com/nothing").output == "404\n"
    # the other servers answer ping but have no web server: a reset, curl's (7)
    r = lab("curl -sS http://8.8.8.8/")
    assert r.status == 7 and "Couldn't connect to server" in r.output
    # the container gets the page by name through the NAT
    lab("sysctl -w net.ipv4.ip_forward=1", MASQ)
    r = lab("ip netns exec c1 curl -s -o /dev/null -w '%{http_code}\\n' http://www.example.com/")
    assert r.output == "200\n"


def test_explain_names_the_nat_rule_and_the_rewrite(lab):
    lab("sysctl -w net.ipv4.ip_forward=1", MASQ,
        "iptables -t nat -A OUTPUT -p tcp --dport 8080 -j DNAT --to-destination 172.18.0.2:80")
    lab("ip netns exec c1 curl -s -o /dev/null http://93.184.216.34/")
    tcp = [p for p in lab.world.packets.values() if len(p.data) > 34 and p.data[23] == 6]
    text = lab(f"explain {tcp[0].id}").output
    assert ("netfilter POSTROUTING, table nat, chain POSTROUTING: rule 1 matches, "
            "-j MASQUERADE: the packet goes on") in text
    assert re.search(r"NAT at POSTROUTING: source 172\.18\.0\.2:(\d+) becomes "
                     r"192\.168\.1\.11:\1", text), text
    lab("ip netns exec c1 python3 -m http.server 80 > /dev/null 2>&1 &")
    lab("curl -s -o /dev/null http://192.168.1.11:8080/")
    syn = [p for p in lab.world.packets.values()        # as built: the SYN to port 8080
           if len(p.data) > 48 and p.data[23] == 6 and p.data[36:38] == (8080).to_bytes(2, "big")
           and p.data[47] & 0x02][0]
    text = lab(f"explain {syn.id}").output
    assert ("netfilter OUTPUT, table nat, chain OUTPUT: rule 1 matches, -j DNAT to "
            "172.18.0.2:80") in text
    assert re.search(r"NAT at OUTPUT: destination 192\.168\.1\.11:8080 becomes 172\.18\.0\.2:80",
                     text), text
