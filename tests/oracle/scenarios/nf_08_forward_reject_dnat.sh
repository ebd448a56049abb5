# REJECT in a router's FORWARD chain: the router answers from its own address on the
# sender's side. When the rejected packet had been DNATed, the error quotes it as its
# sender sent it (nf_nat_icmp_reply_translation puts the published address back), and
# the refused flow never enters the conntrack table (dropped before confirmation).
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
iptables -A FORWARD -d 10.0.2.2 -p icmp -j REJECT --reject-with icmp-net-prohibited
ip netns exec ns1 ping -c 1 -W 1 10.0.2.2
iptables -R FORWARD 1 -d 10.0.2.2 -p icmp -j REJECT --reject-with icmp-host-prohibited
iptables -t nat -A PREROUTING -d 10.0.9.9 -j DNAT --to-destination 10.0.2.2
ip netns exec ns1 ping -c 1 -W 1 10.0.9.9
conntrack -L
iptables -L FORWARD -v -n
iptables -t nat -L PREROUTING -v -n
iptables -D FORWARD 1
ip netns exec ns1 ping -c 1 10.0.9.9
conntrack -L
