# conntrack -L, -D and -F on a namespace where only a state match loads conntrack:
# before the rule nothing is tracked; after it each ping flow is one entry, the
# echo reply marks it replied; -D deletes by tuple, -F empties the table.
sysctl -w net.ipv6.conf.all.disable_ipv6=1
sysctl -w net.ipv6.conf.default.disable_ipv6=1
ip link set lo up
ip netns add ns1
ip netns exec ns1 sysctl -qw net.ipv6.conf.all.disable_ipv6=1
ip link add veth0 type veth peer name eth0 netns ns1
ip addr add 10.0.0.1/24 dev veth0
ip link set veth0 up
ip -n ns1 addr add 10.0.0.2/24 dev eth0
ip -n ns1 link set eth0 up
ping -c 1 10.0.0.2
conntrack -L
iptables -A INPUT -m state --state ESTABLISHED -j ACCEPT
ping -c 1 10.0.0.2
conntrack -L
conntrack -L -p tcp
conntrack -D -p icmp -d 10.0.0.2
conntrack -L
ping -c 1 10.0.0.2
ping -c 1 127.0.0.1
conntrack -L -d 127.0.0.1
conntrack -F
conntrack -L
conntrack -D -p icmp
iptables -D INPUT 1
ping -c 1 10.0.0.2
conntrack -L
