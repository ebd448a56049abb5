# DNAT of addresses: the host routes between ns1 (10.0.1.0/24) and ns2 (10.0.2.0/24) and
# publishes ns2 as 10.0.9.9, an address nobody holds. A ping from ns1 to 10.0.9.9 is
# rewritten at PREROUTING to 10.0.2.2 (captured on veth2 with the new destination) and
# the reply is rewritten back, so ns1 sees 10.0.9.9 answer. An OUTPUT rule does the same
# for the host's own pings. conntrack -L shows the reply tuple that makes it work.
sysctl -w net.ipv6.conf.all.disable_ipv6=1
sysctl -w net.ipv6.conf.default.disable_ipv6=1
ip link set lo up
ip netns add ns1
ip netns add ns2
ip netns exec ns1 sysctl -qw net.ipv6.conf.all.disable_ipv6=1
ip netns exec ns2 sysctl -qw net.ipv6.conf.all.disable_ipv6=1
ip link add veth1 type veth peer name eth0 netns ns1
ip link add veth2 type veth peer name eth0 netns ns2
ip addr add 10.0.1.1/24 dev veth1
ip addr add 10.0.2.1/24 dev veth2
ip link set veth1 up
ip link set veth2 up
ip -n ns1 addr add 10.0.1.2/24 dev eth0
ip -n ns2 addr add 10.0.2.2/24 dev eth0
ip -n ns1 link set eth0 up
ip -n ns2 link set eth0 up
ip -n ns1 route add default via 10.0.1.1
ip -n ns2 route add default via 10.0.2.1
ip -n ns1 link show eth0
ip link show veth2
sysctl -w net.ipv4.ip_forward=1
ip netns exec ns1 ping -c 1 -W 1 10.0.9.9
iptables -t nat -A PREROUTING -d 10.0.9.9 -j DNAT --to-destination 10.0.2.2
ip netns exec ns1 ping -c 2 10.0.9.9
conntrack -L
iptables -t nat -A OUTPUT -d 10.0.9.9 -j DNAT --to-destination 10.0.2.2
ping -c 1 10.0.9.9
conntrack -L -d 10.0.9.9 -s 10.0.2.1
conntrack -L -p icmp -s 10.0.1.2
iptables -t nat -L -n -v
iptables -t nat -L
iptables-save
sleep 2
