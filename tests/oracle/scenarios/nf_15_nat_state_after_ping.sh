# Lesson 09 (container networking), the "show me" half: after pings go out through a
# MASQUERADE rule, the learner looks at the rules with counters, line numbers, exact
# counters and as commands, zeroes them, looks again, and asks conntrack for its table,
# its count and its entries by protocol; with the usual slips (a chain that does not
# exist, a rule number too big, a misspelt table).
sysctl -w net.ipv6.conf.all.disable_ipv6=1
sysctl -w net.ipv6.conf.default.disable_ipv6=1
ip link set lo up
ip netns add c1
ip netns add c2
ip netns exec c1 sysctl -w net.ipv6.conf.all.disable_ipv6=1
ip netns exec c1 sysctl -w net.ipv6.conf.default.disable_ipv6=1
ip netns exec c2 sysctl -w net.ipv6.conf.all.disable_ipv6=1
ip netns exec c2 sysctl -w net.ipv6.conf.default.disable_ipv6=1
ip link add br0 type bridge
ip link set br0 address 02:42:ac:12:00:01
ip link add vethc1 type veth peer name eth0 netns c1
ip link add vethc2 type veth peer name eth0 netns c2
ip link set vethc1 address 02:00:00:00:01:01
ip link set vethc2 address 02:00:00:00:02:01
ip -n c1 link set eth0 address 02:00:00:00:01:02
ip -n c2 link set eth0 address 02:00:00:00:02:02
ip link set vethc1 master br0
ip link set vethc2 master br0
ip link set vethc1 up
ip link set vethc2 up
ip -n c1 link set eth0 up
ip -n c2 link set eth0 up
ip -n c1 addr add 172.18.0.2/16 dev eth0
ip -n c2 addr add 172.18.0.3/16 dev eth0
ip addr add 172.18.0.1/16 dev br0
ip link set br0 up
sleep 1
ip netns add wan
ip netns exec wan sysctl -w net.ipv6.conf.all.disable_ipv6=1
ip netns exec wan sysctl -w net.ipv6.conf.default.disable_ipv6=1
ip link add eth0 type veth peer name wan0 netns wan
ip link set eth0 address 02:00:00:00:0a:01
ip -n wan link set wan0 address 02:00:00:00:0a:02
ip addr add 192.168.1.11/24 dev eth0
ip -n wan addr add 192.168.1.1/24 dev wan0
ip -n wan addr add 8.8.8.8/32 dev lo
ip -n wan link set lo up
ip link set eth0 up
ip -n wan link set wan0 up
ip route add default via 192.168.1.1
ip -n c1 route add default via 172.18.0.1
ip -n c2 route add default via 172.18.0.1
sysctl -w net.ipv4.ip_forward=1
iptables -t nat -A POSTROUTING -s 172.18.0.0/16 ! -o br0 -j MASQUERADE
iptables -A FORWARD -i br0 -j ACCEPT
iptables -A FORWARD -o br0 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
ip netns exec c1 ping -c 2 -i 0.2 8.8.8.8
ip netns exec c2 ping -c 1 8.8.8.8
iptables -t nat -L -n -v
iptables -t nat -L POSTROUTING -n -v --line-numbers
iptables -t nat -L POSTROUTING -n -v -x
iptables -L FORWARD -n -v --line-numbers
iptables -t nat -S
iptables -S FORWARD
iptables -t nat -S POSTROUTING 1
iptables -v -t nat -n -L POSTROUTING
iptables -t nat -Z POSTROUTING
iptables -t nat -L POSTROUTING -n -v
iptables -L -n -v -Z FORWARD
iptables -L FORWARD -n -v
conntrack -L -p icmp -s 172.18.0.3
conntrack -C
conntrack -L -p icmp -s 172.18.0.2 -o extended
iptables -t nat -L FOO -n
iptables -t nat -D POSTROUTING 5
iptables -t nta -L
iptables -t nat -L -n -v --line-number
iptables -L -n --line-numbers -t nat POSTROUTING
