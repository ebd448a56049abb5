# Lesson 09's published port, seen with nc instead of curl: a DNAT rule sends port 8080
# on the host to an nc listening in the container; from `wan`, nc -zv to it, then to a
# port nothing publishes; conntrack's table after it, with its filters (-p, --dport,
# --dst-nat, -o extended, -C) and -D; the rule's counters by number.
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
ip -n wan link set lo up
ip link set eth0 up
ip -n wan link set wan0 up
ip -n c1 link set lo up
ip -n c2 link set lo up
# not the lesson's: the gateway and the client's router are known for good (permanent
# neighbour entries), so that no neighbour probe comes five seconds after the forwarded
# connection, at a moment the kernel's timer wheel rounds
ip -n c2 neigh add 172.18.0.1 lladdr 02:42:ac:12:00:01 dev eth0 nud permanent
ip neigh add 192.168.1.1 lladdr 02:00:00:00:0a:02 dev eth0 nud permanent
ip -n c1 route add default via 172.18.0.1
ip -n c2 route add default via 172.18.0.1
sysctl -w net.ipv4.ip_forward=1
ip netns exec c2 nc -l 8000 > /dev/null 2>&1 &
sleep 0.5
iptables -t nat -A PREROUTING -i eth0 -p tcp --dport 8080 -j DNAT --to-destination 172.18.0.3:8000
iptables -t nat -A POSTROUTING -s 172.18.0.0/16 ! -o br0 -j MASQUERADE
ip netns exec wan nc -zv -w 1 192.168.1.11 8080
sleep 0.5
conntrack -L
conntrack -L -p tcp --dport 8080
conntrack -L -p tcp --orig-port-dst 8000
conntrack -L --dst-nat
conntrack -L -o extended
conntrack -L -o ext,bogus
conntrack -C
conntrack -L -p udp
ip netns exec wan nc -zv -w 1 192.168.1.11 8081
iptables -t nat -L PREROUTING -n -v --line-numbers
iptables -t nat -S PREROUTING
conntrack -D -p tcp --dport 8080
conntrack -D -p tcp --dport 8080
conntrack -C
iptables -t nat -D PREROUTING 1
iptables -t nat -L PREROUTING -n -v --line-numbers
ip netns exec wan nc -zv -w 1 192.168.1.11 8080
