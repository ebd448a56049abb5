# conntrack's NAT filters: -n/--src-nat ADDR lists the flows whose source was rewritten
# to ADDR, -g/--dst-nat ADDR those whose destination was rewritten to ADDR. Without an
# address the two filter nothing in conntrack-tools 1.4.7 (every flow is listed, a flow
# without NAT too). ns1 pings through this namespace (MASQUERADE on the way out of veth1)
# and to a DNATed address (10.0.3.100 -> 10.0.1.1); one ping goes untouched. Listings of
# several flows are sorted: the kernel dumps its hash table in an order of its own.
sysctl -w net.ipv6.conf.all.disable_ipv6=1
sysctl -w net.ipv6.conf.default.disable_ipv6=1
ip link set lo up
ip netns add ns1
ip netns add ns2
ip netns exec ns1 sysctl -qw net.ipv6.conf.all.disable_ipv6=1
ip netns exec ns2 sysctl -qw net.ipv6.conf.all.disable_ipv6=1
ip link add veth0 type veth peer name eth0 netns ns1
ip link add veth1 type veth peer name eth0 netns ns2
ip addr add 10.0.1.1/24 dev veth0
ip addr add 10.0.2.1/24 dev veth1
ip link set veth0 up
ip link set veth1 up
ip -n ns1 addr add 10.0.1.2/24 dev eth0
ip -n ns1 link set eth0 up
ip -n ns1 route add default via 10.0.1.1
ip -n ns2 addr add 10.0.2.2/24 dev eth0
ip -n ns2 link set eth0 up
sysctl -w net.ipv4.ip_forward=1
iptables -t nat -A POSTROUTING -o veth1 -j MASQUERADE
iptables -t nat -A PREROUTING -d 10.0.3.100 -j DNAT --to-destination 10.0.1.1
ip netns exec ns1 ping -c 1 10.0.2.2
conntrack -L -n
conntrack -L --src-nat
conntrack -L -g
ip netns exec ns1 ping -c 1 10.0.3.100
conntrack -L -g | sort
conntrack -L --dst-nat | sort
conntrack -L -n 10.0.2.1
conntrack -L -n 10.0.2.9
conntrack -L -g 10.0.1.1
conntrack -L -n -g | sort
ip netns exec ns1 ping -c 1 10.0.1.1
conntrack -L -s 10.0.1.2 -d 10.0.1.1
conntrack -L -p icmp -n | sort
conntrack -L -n foo
conntrack -L -g 300.1.1.1
conntrack -L -s foo
conntrack -L -p tcp --sport x
