# Port states and taking a bridge apart. A port is "disabled" when its own link
# is down or when it has no carrier (peer down); a disabled port's learned MACs
# are flushed at once, and with no forwarding port left br0 loses carrier.
# Deleting a namespace destroys its veth pair, so that port just disappears from
# the bridge. `ip link set br0 down` disables all ports; `ip link del br0` frees
# its ports, which stay up and keep their own MACs.
sysctl -w net.ipv6.conf.all.disable_ipv6=1
sysctl -w net.ipv6.conf.default.disable_ipv6=1
ip link set lo up
ip netns add ns1
ip netns add ns2
ip netns exec ns1 sysctl -w net.ipv6.conf.all.disable_ipv6=1
ip netns exec ns1 sysctl -w net.ipv6.conf.default.disable_ipv6=1
ip netns exec ns2 sysctl -w net.ipv6.conf.all.disable_ipv6=1
ip netns exec ns2 sysctl -w net.ipv6.conf.default.disable_ipv6=1
ip link add veth1 type veth peer name ceth1
ip link add veth2 type veth peer name ceth2
ip link set ceth1 netns ns1
ip link set ceth2 netns ns2
ip link set veth1 address 02:00:00:00:00:01
ip link set veth2 address 02:00:00:00:00:02
ip link add br0 type bridge
ip link set veth1 master br0
ip link set veth2 master br0
ip -n ns1 addr add 192.168.70.11/24 dev ceth1
ip -n ns2 addr add 192.168.70.12/24 dev ceth2
ip -n ns1 link set ceth1 up
ip -n ns2 link set ceth2 up
ip link set veth1 up
ip link set veth2 up
sleep 0.3
ip link set br0 up
sleep 1.3
bridge link
ip netns exec ns2 sysctl -w net.ipv4.icmp_echo_ignore_all=1
ip netns exec ns1 ping -c 1 -W 1 192.168.70.12
bridge fdb show br br0
ip -n ns2 link set ceth2 down
ip link set veth1 down
sleep 1.2
bridge link
ip link show master br0
ip link show br0
bridge fdb show br br0
ip -n ns1 -br link
ip netns del ns2
sleep 0.5
bridge link
ip -br link
ip link set br0 down
bridge link
ip link show br0
ip link del br0
ip link show
bridge link
bridge fdb show
