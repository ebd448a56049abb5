# Lesson 05 grown to two routers: traceroute across them with the options a learner
# tries (-m, -f, -q, -w, -p, -I) and the mistakes (no host, a bad max TTL, a first
# TTL past the max, a packet length too big, an unknown option).
# The host and the first router know each other's MAC address (permanent neighbour
# entries): the captured link then carries no ARP, whose probes the long pauses would
# otherwise send at moments of the kernel's random reachable_time.
sysctl -w net.ipv6.conf.all.disable_ipv6=1
sysctl -w net.ipv6.conf.default.disable_ipv6=1
ip link set lo up
ip netns add r1
ip netns add r2
ip netns add ns2
ip -all netns exec sysctl -q -w net.ipv6.conf.all.disable_ipv6=1
ip -all netns exec sysctl -q -w net.ipv6.conf.default.disable_ipv6=1
ip link add veth0 type veth peer name r1a netns r1
ip -n r1 link add r1b type veth peer name r2a netns r2
ip -n r2 link add r2b type veth peer name eth0 netns ns2
ip link set veth0 address 02:00:00:00:00:01
ip -n r1 link set r1a address 02:00:00:00:00:02
ip neigh add 10.0.0.2 lladdr 02:00:00:00:00:02 dev veth0 nud permanent
ip -n r1 neigh add 10.0.0.1 lladdr 02:00:00:00:00:01 dev r1a nud permanent
ip addr add 10.0.0.1/24 dev veth0
ip -n r1 addr add 10.0.0.2/24 dev r1a
ip -n r1 addr add 10.0.1.1/24 dev r1b
ip -n r2 addr add 10.0.1.2/24 dev r2a
ip -n r2 addr add 10.0.2.1/24 dev r2b
ip -n ns2 addr add 10.0.2.2/24 dev eth0
ip link set veth0 up
ip -n r1 link set r1a up
ip -n r1 link set r1b up
ip -n r2 link set r2a up
ip -n r2 link set r2b up
ip -n ns2 link set eth0 up
ip -n ns2 link set lo up
ip netns exec r1 sysctl -w net.ipv4.ip_forward=1
ip netns exec r2 sysctl -w net.ipv4.ip_forward=1
ip route add 10.0.0.0/8 via 10.0.0.2
ip -n r1 route add 10.0.2.0/24 via 10.0.1.2
ip -n r2 route add default via 10.0.1.1
ip -n ns2 route add default via 10.0.2.1
ping -c 1 10.0.2.2
traceroute -n 10.0.2.2
sleep 7
traceroute -n -m 2 10.0.2.2
sleep 7
traceroute -n -f 2 -q 1 10.0.2.2
sleep 7
traceroute -n -I -q 2 10.0.2.2
sleep 7
traceroute -n -p 40000 -q 1 10.0.2.2
sleep 7
traceroute -n -w 1 -q 1 -m 4 10.0.3.3
ip netns exec ns2 traceroute -n -q 1 10.0.0.1
traceroute
traceroute -n -m 0 10.0.2.2
traceroute -n -m 300 10.0.2.2
traceroute -n -f 5 -m 3 10.0.2.2
traceroute -n 10.0.2.2 70000
traceroute -n -Z 10.0.2.2
