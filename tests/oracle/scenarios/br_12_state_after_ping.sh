# Lessons 04 and 08 (a bridge and two containers): after the first ping, the learner
# asks the bridge and the kernel what they now know. The bridge's forwarding database
# per bridge and per port, the ports' details, the neighbour tables in each namespace
# by state, per-namespace brief views, and the mistakes one makes asking for them.
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
ip netns exec c1 ping -c 2 -i 0.2 172.18.0.3
ip netns exec c2 ping -c 1 172.18.0.1
bridge fdb show br br0
bridge fdb show dev vethc1
bridge fdb show br br0 dynamic
bridge fdb show brport vethc2
bridge fdb show br nosuch
bridge link show dev vethc1
bridge link show master br0
bridge -d link show dev vethc2
bridge vlan show
ip -n c1 neigh show nud reachable
ip -n c1 neigh show nud stale
ip neigh show dev br0
ip neigh show nud permanent
ip -n c1 -br a
ip -n c2 -br link
ip -br -c link show master br0
ip -br addr show dev br0
ip link show master br0
ip link show type bridge
ip link show type veth
ip netns exec c1 ip -br a show eth0
ip -n c1 a show dev nosuch
ip link set vethc1 master nosuch
ip link set br0 master br0
