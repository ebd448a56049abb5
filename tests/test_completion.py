"""Tab completion is a pure function of the line, the cursor and the namespace."""
from __future__ import annotations

import pytest

from vethtui.labs.builtin import build
from vethtui.runner import run_lines
from vethtui.tools.completion import Completion, apply, columns, complete, split_words


@pytest.fixture(scope="module")
def net():
    world = build("default", 0)
    run_lines(world, ["ip link add veth0 type veth peer name veth1", "ip netns add ns1",
                      "ip link add br0 type bridge"], settle=0, capture=False)
    return world.init_net


def cands(net, line: str, cursor: int | None = None) -> tuple[str, ...]:
    return complete(line, len(line) if cursor is None else cursor, net).candidates


def tab(net, line: str) -> str:
    return apply(line, len(line), complete(line, len(line), net)).line


DEVS = ("lo", "eth0", "docker0", "veth1", "veth0", "br0")


@pytest.mark.parametrize("line,want", [
    ("i", ("ip", "iptables", "iptables-restore", "iptables-save")),
    ("tc", ("tcpdump",)),
    ("sudo sys", ("sysctl",)),
    ("ip ", ("address", "link", "neighbour", "netns", "route", "help")),
    ("ip -br ", ("address", "link", "neighbour", "netns", "route", "help")),
    ("ip -", None),
    ("ip link ", ("add", "delete", "set", "show", "change", "help")),
    ("ip l s ", DEVS + ("dev",)),
    ("ip link set dev ", DEVS),
    ("ip link set veth0 ", None),
    ("ip link set veth0 master ", ("docker0", "br0")),
    ("ip link set veth0 netns ", ("ns1",)),
    ("ip link set veth0 promisc ", ("on", "off")),
    ("ip link add veth2 type ", ("veth", "bridge")),
    ("ip link add veth2 type veth peer ", ("name",)),
    ("ip link add veth2 type veth peer name ", ()),
    ("ip a add 10.0.0.1/24 dev ", DEVS),
    ("ip addr show ", DEVS + ("dev", "up", "scope", "to", "label", "primary", "secondary")),
    ("ip r add 10.0.0.0/8 via 192.168.1.1 dev ", DEVS),
    ("ip route show table ", ("main", "local", "default", "all")),
    ("ip neigh add 10.0.0.1 lladdr 02:00:00:00:00:01 nud ", ("permanent", "reachable", "noarp",
                                                            "none", "stale", "incomplete",
                                                            "delay", "probe", "failed")),
    ("ip netns ", ("list", "add", "delete", "exec", "identify", "pids", "set", "list-id",
                   "help")),
    ("ip netns exec ", ("ns1",)),
    ("ip netns exec ns1 ip link set ", ("lo", "dev")),
    ("ip -n ns1 link set ", ("lo", "dev")),
    ("tcpdump -i ", DEVS + ("any",)),
    ("ping -I ", DEVS),
    ("arp -i ", DEVS),
])
def test_candidates(net, line, want):
    got = cands(net, line)
    if want is None:
        assert got
    else:
        assert got == want


def test_commands_subcommands_devices_by_prefix(net):
    assert tab(net, "tcpd") == "tcpdump "
    assert tab(net, "ip li") == "ip link "
    assert tab(net, "ip link set do") == "ip link set docker0 "
    assert tab(net, "ip link set ve") == "ip link set veth"      # common prefix of veth0/veth1
    assert tab(net, "ip link set veth") == "ip link set veth"    # no progress: list them
    assert apply("ip link set veth", 16, complete("ip link set veth", 16, net)).listing == \
        ("veth1", "veth0")


def test_sysctl_keys_complete_by_dots(net):
    assert tab(net, "sysctl net.ipv4.ip_forw") == "sysctl net.ipv4.ip_forward"  # 3 candidates
    assert "net.ipv4.ip_forward" in cands(net, "sysctl net.ipv4.ip_forw")
    assert tab(net, "sysctl net.ipv4.conf.veth0.accept_l") == \
        "sysctl net.ipv4.conf.veth0.accept_local "
    assert tab(net, "sysctl -w net.ipv4.conf.al") == "sysctl -w net.ipv4.conf.all."
    assert cands(net, "sysctl net.ipv4.conf.all.rp_filter=") == ()
    assert tab(net, "sysctl -") == "sysctl -"


def test_proc_sys_paths_complete_by_slashes(net):
    assert tab(net, "cat /p") == "cat /proc/"
    assert tab(net, "cat /proc/") == "cat /proc/sys/"
    assert tab(net, "cat /proc/sys/net/ipv4/conf/veth1/arp_ig") == \
        "cat /proc/sys/net/ipv4/conf/veth1/arp_ignore "
    assert tab(net, "echo 1 > /proc/sys/net/ipv4/conf/veth1/accept_lo") == \
        "echo 1 > /proc/sys/net/ipv4/conf/veth1/accept_local "
    assert tab(net, "echo 1 >/proc/sys/net/ipv4/co") == "echo 1 >/proc/sys/net/ipv4/conf/"
    assert cands(net, "cat /proc/sys/nope/") == ()
    assert "/dev/null" in cands(net, "ping -c 1 1.1.1.1 > /dev/")


def test_completion_in_the_middle_of_a_line_and_after_operators(net):
    line = "ip link set do up"
    c = complete(line, 14, net)
    assert (c.start, c.end, c.word, c.candidates) == (12, 14, "do", ("docker0",))
    done = apply(line, 14, c)
    assert (done.line, done.cursor) == ("ip link set docker0  up", 20)
    assert tab(net, "ip link add veth0 type veth; ip li") == "ip link add veth0 type veth; ip link "
    assert tab(net, "true && tcp") == "true && tcpdump "
    assert cands(net, "ip route | gr") == ()          # grep is a filter, not a command here


def test_unknown_commands_and_odd_lines_give_nothing(net):
    assert cands(net, "frobnicate ") == ()
    assert cands(net, "ip frob ") == ()
    assert cands(net, "'unterminated ") == ()
    assert cands(net, "# comment ") == cands(net, "")


def test_split_words_keeps_spans_and_quotes():
    words = split_words("echo 'a b' > /proc/x; ip")
    assert [(w.text, w.op) for w in words] == [("echo", False), ("a b", False), (">", True),
                                                 ("/proc/x", False), (";", True), ("ip", False)]
    assert words[1].start == 5 and words[1].end == 10


def test_apply_one_candidate_adds_a_space_a_directory_does_not():
    assert apply("ip l", 4, Completion(3, 4, "l", ("link",))).line == "ip link "
    assert apply("cat /p", 6, Completion(4, 6, "/p", ("/proc/",))).line == "cat /proc/"
    assert not apply("x", 1, Completion(0, 1, "x", ())).changed


def test_columns_fill_down_then_across():
    assert columns(["a", "bb", "c", "d", "e"], 12) == ["a   c   e", "bb  d"]
    assert columns(["e", "d", "c", "bb", "a"], 8) == ["a   d", "bb  e", "c"]
    assert columns([], 80) == []
    assert columns(["only"], 2) == ["only"]
