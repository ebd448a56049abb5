# The packets addrconf sends on its own when a link comes up, in the kernel's order:
# joining the solicited-node group sends an MLDv2 state-change report 2 jiffies later
# and once more within mldv2_unsolicited_report_interval; DAD's neighbor solicitation
# from :: waits router_solicitation_delay (0 here, so it goes first); a second later the
# link-local address is ours: an MLD report from it, a router solicitation at once, the
# other report, then router solicitations 4 s (+-10%) apart, doubling. A global address
# added later probes and reports its own group. The peer (ns b) has IPv6 off.
sysctl -w net.ipv6.conf.default.router_solicitation_delay=0
ip netns add b
ip netns exec b sysctl -w net.ipv6.conf.default.disable_ipv6=1
ip link add veth0 address 02:00:00:00:00:01 type veth peer name veth1 netns b
ip -n b link set veth1 up
ip link set veth0 up
ip -6 addr show dev veth0
sleep 16
ip -6 addr show dev veth0
ip addr add 2001:db8::1/64 dev veth0
ip -6 addr show dev veth0
sleep 3
ip -6 addr show dev veth0
