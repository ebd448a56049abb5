# Lessons 08 and 09, the mistakes of wiring a container by hand: a default route before
# the address (the gateway not on a connected network), one through a gateway outside
# the subnet, ping with the link still down, the veth end moved twice, names that do
# not exist, the address added twice, routes asked for before and after; then it works,
# and the learner checks each namespace's view (ip netns identify, ip -br, route get).
# docker0 comes up once its port can forward (as lab 09's bridge): its IGMP reports then
# reach the port on every run; `sleep 1` lets the second one pass.
sysctl -w net.ipv6.conf.all.disable_ipv6=1
sysctl -w net.ipv6.conf.default.disable_ipv6=1
ip link set lo up
ip netns add c1
ip netns exec c1 sysctl -w net.ipv6.conf.all.disable_ipv6=1
ip netns exec c1 sysctl -w net.ipv6.conf.default.disable_ipv6=1
ip link add docker0 type bridge
ip link set docker0 address 02:42:ac:11:00:01
ip addr add 172.17.0.1/16 dev docker0
ip link add veth1 type veth peer name eth0
ip link set veth1 address 02:00:00:00:01:01
ip link set eth0 address 02:00:00:00:01:02
ip link set eth0 netns c1
ip link set eth0 netns c1
ip link set veth1 netns c1 netns c1
ip link set veth1 master docker0
ip link set veth1 master nosuch
ip link set veth1 up
ip -n c1 route add default via 172.17.0.1
ip netns exec c1 ping -c 1 172.17.0.1
ip -n c1 addr add 172.17.0.2/16 dev eth0
ip -n c1 addr add 172.17.0.2/16 dev eth0
ip -n c1 route add default via 172.17.0.1
ip netns exec c1 ping -c 1 -W 1 172.17.0.1
ip -n c1 link set eth0 up
ip -n c1 route add default via 172.17.0.1
ip -n c1 route add default via 10.9.9.9
ip -n c1 route add default via 172.17.0.1
ip -n c1 route replace default via 172.17.0.9
ip -n c1 route
ip -n c1 route replace default via 172.17.0.1
ip link set docker0 up
sleep 1
ip netns exec c1 ping -c 1 172.17.0.1
ip netns exec c1 ip route get 172.17.0.1
ip netns exec c1 ip route get 8.8.8.8
ip netns exec c1 ip netns identify
ip netns identify
ip netns exec c1 ip -br link
ip netns exec c1 ip -br -4 a
ip -br link show master docker0
ip -n c1 link set lo up
ip netns exec c1 ping -c 1 172.17.0.2
ip netns exec c1 ping -c 1 127.0.0.1
ip netns exec c2 ip a
ip -n c1 link set eth0 master docker0
ip link del eth0
ip -n c1 link del eth0
ip link show veth1
