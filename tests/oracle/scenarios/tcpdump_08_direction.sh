# -Q in / -Q out pick a direction in user space (libpcap), after the kernel's
# filter: the other direction still counts in "packets received by filter".
# The filter words inbound/outbound do it in the kernel instead; on -i any they
# test the cooked header's packet type. On a single Ethernet device they need the
# kernel's packet-type metadata, which libpcap's user-space copy of the filter
# cannot read: the first block of packets (which libpcap filters again in user
# space, in case it came before the filter was set) is thrown away, so the first
# echo request is missed and "received by filter" still counts it.
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
sleep 0.5 && ip netns exec ns1 ping -c 2 -i 0.3 192.168.1.1 > /dev/null & tcpdump -l -n -t -Q in -c 2 -i veth1
sleep 0.5 && ip netns exec ns1 ping -c 2 -i 0.3 192.168.1.1 > /dev/null & tcpdump -l -n -t -Q out -c 2 -i veth1
sleep 0.5 && ip netns exec ns1 ping -c 1 192.168.2.2 > /dev/null & tcpdump -l -n -t -Q out -c 2 -i any
sleep 0.5 && ip netns exec ns1 ping -c 1 192.168.2.2 > /dev/null & tcpdump -l -n -t -Q in -c 2 -i any
sleep 0.5 && ip netns exec ns1 ping -c 2 -i 0.3 192.168.1.1 > /dev/null & tcpdump -l -n -t -c 1 -i veth1 inbound
sleep 0.5 && ip netns exec ns1 ping -c 2 -i 0.3 192.168.1.1 > /dev/null & tcpdump -l -n -t -c 1 -i veth1 outbound
sleep 0.5 && ip netns exec ns1 ping -c 1 192.168.2.2 > /dev/null & tcpdump -l -n -t -c 2 -i any inbound
sleep 0.5 && ip netns exec ns1 ping -c 1 192.168.2.2 > /dev/null & tcpdump -l -n -t -c 2 -i any outbound
