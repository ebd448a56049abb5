# traceroute (2.1.2) from the lab namespace through a router namespace r1 to ns2:
# UDP probes to ports 33434 and up from a new socket each, three per hop and sixteen
# in flight; r1 answers the TTL-1 probes with time exceeded, ns2 the others with port
# unreachable until its rate limit (a burst of six per peer, then one a second) runs
# out, and traceroute stops at the hop that answered from the destination. -I probes
# with ICMP echo (the answers read one per poll, so three more probes leave), -q 1
# one probe a hop, and without -n the names are looked for and not found (addresses
# twice). Each run waits for ns2's rate limit to fill up again.
sysctl -w net.ipv6.conf.all.disable_ipv6=1
sysctl -w net.ipv6.conf.default.disable_ipv6=1
ip link set lo up
ip netns add r1
ip netns add ns2
ip netns exec r1 sysctl -w net.ipv6.conf.all.disable_ipv6=1
ip netns exec r1 sysctl -w net.ipv6.conf.default.disable_ipv6=1
ip netns exec ns2 sysctl -w net.ipv6.conf.all.disable_ipv6=1
ip netns exec ns2 sysctl -w net.ipv6.conf.default.disable_ipv6=1
ip link add veth0 type veth peer name r1a
ip link set r1a netns r1
ip -n r1 link add r1b type veth peer name eth0 netns ns2
ip addr add 10.0.0.1/24 dev veth0
ip -n r1 addr add 10.0.0.2/24 dev r1a
ip -n r1 addr add 10.0.1.1/24 dev r1b
ip -n ns2 addr add 10.0.1.2/24 dev eth0
ip link set veth0 up
ip -n r1 link set r1a up
ip -n r1 link set r1b up
ip -n ns2 link set eth0 up
ip -n ns2 link set lo up
ip netns exec r1 sysctl -w net.ipv4.ip_forward=1
ip route add 10.0.1.0/24 via 10.0.0.2
ip -n ns2 route add default via 10.0.1.1
ping -c 1 10.0.1.2
traceroute -n 10.0.1.2
sleep 7
traceroute -n -I 10.0.1.2
sleep 7
traceroute -n -q 1 10.0.1.2
sleep 7
traceroute 10.0.1.2
traceroute -n 10.0.9.9
traceroute -q 11 10.0.1.2
