# A port leaves the bridge when it is moved into another namespace (here next to
# its own peer): br0 re-picks its MAC from the remaining ports. When the last
# port goes (nomaster), br0 drops carrier - NO-CARRIER, state DOWN after the
# linkwatch delay - and its MAC becomes 00:00:00:00:00:00; re-adding a port
# brings both back.
sysctl -w net.ipv6.conf.all.disable_ipv6=1
sysctl -w net.ipv6.conf.default.disable_ipv6=1
ip link set lo up
ip netns add ns2
ip netns exec ns2 sysctl -w net.ipv6.conf.all.disable_ipv6=1
ip netns exec ns2 sysctl -w net.ipv6.conf.default.disable_ipv6=1
ip link add veth1 type veth peer name ceth1
ip link add veth2 type veth peer name ceth2
ip link set ceth2 netns ns2
ip link set veth1 address 02:00:00:00:00:02
ip link set veth2 address 02:00:00:00:00:01
ip link add br0 type bridge
ip link set veth1 master br0
ip link set veth2 master br0
ip link set ceth1 up
ip -n ns2 link set ceth2 up
ip link set veth1 up
ip link set veth2 up
sleep 0.3
ip link set br0 up
sleep 1.3
ip link show br0
bridge link
ip link set veth2 netns ns2
bridge link
ip link show br0
ip -n ns2 link
ip -br link
ip link set veth1 nomaster
sleep 1.2
ip link show br0
bridge link
bridge fdb show br br0
ip link set veth1 master br0
bridge link
sleep 1.1
ip link show br0
