# Lessons 04 and 08 in detail: after a ping across the bridge, the learner reads the
# links' details (-d), their JSON (-j -d: linkinfo, the port's bridge attributes), the
# statistics twice detailed (-s -s), every routing table, and the routes by scope.
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
ip netns exec c1 ping -c 1 172.18.0.3
ip -n c1 -d link show eth0
ip -j -d link show lo
ip -n c1 -j -d link show eth0
ip -n c2 -j -p -d link show eth0
ip -d -br link show type veth
ip -s -s link show vethc1
ip -n c2 -s -s link show eth0
ip route show table all
ip -n c1 route show table all
ip route show table local type local
ip route show scope link
ip route show proto kernel
ip -d route show dev br0
ip route list table main
ip route show table 255 dev br0
ip route show table nosuch
