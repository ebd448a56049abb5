"""Starting states several test modules share."""
from __future__ import annotations

# veth0 (host, 192.168.2.11) and veth1 (ns1, 192.168.2.12) with pinned MACs and IPv6
# off, so captures hold only what the test makes and print the same bytes every run.
PINNED_NS_PAIR = [
    "sysctl -w net.ipv6.conf.all.disable_ipv6=1",
    "sysctl -w net.ipv6.conf.default.disable_ipv6=1",
    "ip link set lo up",
    "ip netns add ns1",
    "ip netns exec ns1 sysctl -w net.ipv6.conf.all.disable_ipv6=1",
    "ip link add veth0 type veth peer name veth1 netns ns1",
    "ip link set veth0 address 02:00:00:00:00:0a",
    "ip -n ns1 link set veth1 address 02:00:00:00:00:0b",
    "ip addr add 192.168.2.11/24 dev veth0",
    "ip -n ns1 addr add 192.168.2.12/24 dev veth1",
    "ip link set veth0 up",
    "ip -n ns1 link set veth1 up",
]
