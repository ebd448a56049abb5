# ICMP errors from a router (this namespace, forwarding between ns1 and ns2),
# with -v: the error's own IPv4 header (tos 0xc0, the router's), then, after a
# tab, the datagram it quotes, itself printed with -v. TTL exceeded, net
# unreachable, fragmentation needed (mtu 1000 on the way to ns2) and host
# unreachable (nobody answers ARP for 192.168.2.99: the error comes 3 s later).
# Fragments: with ns1's own MTU at 1000, a 1228-byte datagram leaves ns1 in two
# pieces (the second has no ICMP header: "ip-proto-1", and -v shows the offsets
# and the "+" more-fragments flag); ns2 answers in one piece, which ns1's small
# MTU then refuses.
sysctl -w net.ipv6.conf.all.disable_ipv6=1
sysctl -w net.ipv6.conf.default.disable_ipv6=1
ip link set lo up
ip netns add ns1
ip netns add ns2
ip netns exec ns1 sysctl -w net.ipv6.conf.all.disable_ipv6=1
ip netns exec ns1 sysctl -w net.ipv6.conf.default.disable_ipv6=1
ip netns exec ns2 sysctl -w net.ipv6.conf.all.disable_ipv6=1
ip netns exec ns2 sysctl -w net.ipv6.conf.default.disable_ipv6=1
ip link add veth1 type veth peer name eth0 netns ns1
ip link add veth2 type veth peer name eth0 netns ns2
ip link set veth1 address 02:00:00:00:01:01
ip link set veth2 address 02:00:00:00:02:01
ip -n ns1 link set eth0 address 02:00:00:00:01:02
ip -n ns2 link set eth0 address 02:00:00:00:02:02
ip addr add 192.168.1.1/24 dev veth1
ip addr add 192.168.2.1/24 dev veth2
ip link set veth1 up
ip link set veth2 up
ip -n ns1 addr add 192.168.1.2/24 dev eth0
ip -n ns2 addr add 192.168.2.2/24 dev eth0
ip -n ns1 link set eth0 up
ip -n ns2 link set eth0 up
ip -n ns1 route add default via 192.168.1.1
ip -n ns2 route add default via 192.168.2.1
sysctl -w net.ipv4.ip_forward=1
# Warm up every neighbour entry, then let the 5 s DELAY probes happen, so that
# the captures below see only the traffic they ask for.
ip netns exec ns1 ping -c 1 192.168.2.2
sleep 6
sleep 0.5 && ip netns exec ns1 ping -c 1 -t 1 192.168.2.2 > /dev/null & tcpdump -l -n -t -v -c 2 -i veth1
sleep 0.5 && ip netns exec ns1 ping -c 1 -W 1 198.51.100.1 > /dev/null & tcpdump -l -n -t -v -c 2 -i veth1
sleep 0.5 && ip netns exec ns1 ping -c 1 -W 1 198.51.100.1 > /dev/null & tcpdump -l -n -t -c 2 -i veth1
ip -n ns1 link set eth0 mtu 1000
sleep 0.5 && ip netns exec ns1 ping -c 1 -s 1200 -W 1 192.168.2.2 > /dev/null & tcpdump -l -n -t -v -c 3 -i veth1
sleep 0.5 && ip netns exec ns1 ping -c 1 -s 1200 -W 1 192.168.2.2 > /dev/null & tcpdump -l -n -t -c 3 -i veth2
ip -n ns1 link set eth0 mtu 1500
ip link set veth2 mtu 1000
sleep 0.5 && ip netns exec ns1 ping -c 1 -M do -s 1200 -W 1 192.168.2.2 > /dev/null & tcpdump -l -n -t -v -c 2 -i veth1
sleep 0.5 && ip netns exec ns1 ping -c 1 -W 5 192.168.2.99 > /dev/null & tcpdump -l -n -t -v -c 2 -i veth1 icmp
