# Lesson 05 (a router namespace) meets lesson 06 (MTU): the far side of the router has
# a smaller MTU. ping -M do through it: a local error for what does not fit the first
# link, "Frag needed" from the router for what does not fit the second, then the path
# MTU it taught (a route exception for 10.0.1.2) in the next ping's local error, and
# -M dont and -M want fragmenting at 1400 on the host; -M probe ignores the path MTU
# and hears from the router again; the router's own big ping is fragmented there.
# ip route get and ip route show cache show the exception (its expiry read 1.5 s after
# it is made); ip route flush cache forgets it, and the router has to say it again.
# The host and the router know each other's MAC address (permanent neighbour entries),
# so the captured link carries no ARP probes, sent at random moments.
sysctl -w net.ipv6.conf.all.disable_ipv6=1
sysctl -w net.ipv6.conf.default.disable_ipv6=1
ip link set lo up
ip netns add r1
ip netns add ns2
ip netns exec r1 sysctl -w net.ipv6.conf.all.disable_ipv6=1
ip netns exec r1 sysctl -w net.ipv6.conf.default.disable_ipv6=1
ip netns exec ns2 sysctl -w net.ipv6.conf.all.disable_ipv6=1
ip netns exec ns2 sysctl -w net.ipv6.conf.default.disable_ipv6=1
ip link add veth0 type veth peer name r1a netns r1
ip -n r1 link add r1b type veth peer name eth0 netns ns2
ip link set veth0 address 02:00:00:00:00:01
ip -n r1 link set r1a address 02:00:00:00:00:02
ip -n r1 link set r1b address 02:00:00:00:01:01
ip -n ns2 link set eth0 address 02:00:00:00:01:02
ip neigh add 10.0.0.2 lladdr 02:00:00:00:00:02 dev veth0 nud permanent
ip -n r1 neigh add 10.0.0.1 lladdr 02:00:00:00:00:01 dev r1a nud permanent
ip addr add 10.0.0.1/24 dev veth0
ip -n r1 addr add 10.0.0.2/24 dev r1a
ip -n r1 addr add 10.0.1.1/24 dev r1b
ip -n ns2 addr add 10.0.1.2/24 dev eth0
ip -n r1 link set r1b mtu 1400
ip -n ns2 link set eth0 mtu 1400
ip link set veth0 up
ip -n r1 link set r1a up
ip -n r1 link set r1b up
ip -n ns2 link set eth0 up
ip netns exec r1 sysctl -w net.ipv4.ip_forward=1
ip route add 10.0.1.0/24 via 10.0.0.2
ip -n ns2 route add default via 10.0.1.1
ping -c 1 10.0.1.2
ping -c 1 -M do -s 1500 10.0.1.2
ping -c 1 -W 1 -M do -s 1450 10.0.1.2
sleep 1.5
ip route get 10.0.1.2
ip route show cache
ip -j route get 10.0.1.2
ping -c 1 -W 1 -M do -s 1450 10.0.1.2
ping -c 1 -M do -s 1372 10.0.1.2
ping -c 1 -M dont -s 1450 10.0.1.2
ping -c 1 -M want -s 1450 10.0.1.2
ping -c 1 -M probe -s 1450 10.0.1.2
ping -c 1 -M maybe 10.0.1.2
ip -n r1 -s link show r1b
ip -s -s link show veth0
ip netns exec r1 ping -c 1 -M dont -s 1450 10.0.1.2
ip -n r1 -s link show r1b
ip route flush cache
ip route get 10.0.1.2
ip route list cache
ping -c 1 -W 1 -M do -s 1450 10.0.1.2
