# REDIRECT: a ping to an address nobody has is answered by the router itself (the primary
# address of the incoming device), and the reply carries the address that was pinged;
# at OUTPUT the host's own ping goes to 127.0.0.1. conntrack -L shows the rewritten reply
# tuples. Then NAT rules iptables refuses.
sysctl -w net.ipv6.conf.all.disable_ipv6=1
sysctl -w net.ipv6.conf.default.disable_ipv6=1
ip link set lo up
ip netns add ns1
ip netns exec ns1 sysctl -qw net.ipv6.conf.all.disable_ipv6=1
ip link add veth1 type veth peer name eth0 netns ns1
ip addr add 10.0.1.1/24 dev veth1
ip link set veth1 up
ip -n ns1 addr add 10.0.1.2/24 dev eth0
ip -n ns1 link set eth0 up
ip -n ns1 route add default via 10.0.1.1
iptables -t nat -A PREROUTING -d 10.0.9.9 -j REDIRECT
ip netns exec ns1 ping -c 2 10.0.9.9
conntrack -L
iptables -t nat -A OUTPUT -d 10.0.8.8 -j REDIRECT
ip route add 10.0.8.0/24 via 10.0.1.2
ping -c 1 10.0.8.8
conntrack -L -d 10.0.8.8
iptables -t nat -L -n -v
iptables -t nat -A PREROUTING -p icmp -j DNAT --to-destination 10.0.1.2:80
iptables -t nat -A PREROUTING -j REDIRECT --to-ports 80
iptables -t nat -A POSTROUTING -j SNAT --to-source 1.2.3
iptables -t nat -A POSTROUTING -p tcp -j SNAT --to-source 1.2.3.4:99999
iptables -t nat -A POSTROUTING -j MASQUERADE --to-ports 1000
iptables -t nat -A POSTROUTING -o veth1 -j SNAT
iptables -t filter -A INPUT -j MASQUERADE
sleep 2
