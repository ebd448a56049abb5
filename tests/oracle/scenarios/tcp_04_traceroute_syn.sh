# traceroute -T (2.1.2's tcp method) from the lab namespace through r1 to ns2: SYNs it
# builds itself (window 5840, wscale 2, one timestamp for the run) from a new port each,
# sixteen in flight. r1 answers the TTL-1 ones with time exceeded; ns2 answers the rest
# with RST while nothing listens on port 80 (RSTs are not rate limited), then with
# SYN-ACK once nc listens, which our own stack, knowing no such connection, resets.
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
traceroute -n -T 10.0.1.2
sleep 7
ip netns exec ns2 nc -l -p 80 > /dev/null 2>&1 &
sleep 0.5
traceroute -n -T 10.0.1.2
