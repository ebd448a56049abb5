# tcpdump -i any: Linux cooked v2 (SLL2). Each line names the interface (padded to
# 5 columns) and the direction (In, Out, B, M, P, padded to 3); stderr starts with
# "tcpdump: data link type LINUX_SLL2". On loopback only the received copy is
# shown (libpcap drops the outgoing one in user space), yet "packets received by
# filter" counts both. With -e the cooked header is shown: ifindex, the frame's
# source MAC (for outgoing frames too; zeros on lo), ethertype, and the SLL2
# length (20-byte header + IP packet). -i lo itself is EN10MB with zero MACs.
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
sleep 0.5 && ping -c 1 127.0.0.1 > /dev/null & tcpdump -l -n -t -c 2 -i any
sleep 0.5 && ip netns exec ns1 ping -c 1 192.168.2.2 > /dev/null & tcpdump -l -n -t -e -c 4 -i any
sleep 0.5 && ping -c 1 -s 8 127.0.0.1 > /dev/null & tcpdump -l -n -t -e -c 1 -i any
sleep 0.5 && ping -c 1 127.0.0.1 > /dev/null & tcpdump -l -n -t -e -c 2 -i lo
sleep 0.5 && ip netns exec ns1 ping -c 1 192.168.2.2 > /dev/null & tcpdump -l -n -t -c 2 -i any dst host 192.168.1.2 or dst host 192.168.2.2
sleep 0.5 && ip netns exec ns2 ping -c 1 192.168.1.2 > /dev/null & tcpdump -n -t -c 4 -i any
