# Bridge ports and namespaces, as a learner wiring containers gets them wrong: deleting a
# port, enslaving a device that lives in another namespace, moving a port away (it leaves
# the bridge), moving the bridge itself (a bridge is netns-local), a bridge dying with its
# namespace, and routes through a gateway no subnet reaches.
sysctl -w net.ipv6.conf.all.disable_ipv6=1
sysctl -w net.ipv6.conf.default.disable_ipv6=1
ip link set lo up
ip netns add ns1
ip netns exec ns1 sysctl -w net.ipv6.conf.all.disable_ipv6=1
ip netns exec ns1 sysctl -w net.ipv6.conf.default.disable_ipv6=1
ip link add br0 type bridge
ip link add veth0 type veth peer name veth1
ip link set veth0 master br0
bridge link
ip link del veth0
bridge link
ip -br link
ip link add veth0 type veth peer name veth1
ip link set veth1 netns ns1
ip link set veth1 master br0
ip -n ns1 link set veth1 master br0
ip link set veth0 master br0
ip link show master br0
ip link set veth0 netns ns1
bridge link
ip link show br0
ip -n ns1 -br link
ip -n ns1 link show master br0
ip link set br0 netns ns1
ip -n ns1 link add br1 type bridge
ip link add veth4 type veth peer name veth5
ip link set veth5 address 02:00:00:00:00:05
ip link set veth5 master br1
ip link set veth5 netns ns1
ip -n ns1 link set veth5 master br1
ip -n ns1 link show master br1
ip -n ns1 -d link show veth5
ip link show veth4
ip netns del ns1
sleep 0.5
ip -br link
ip addr add 192.168.60.1/24 dev br0
ip route add 10.9.0.0/16 via 192.168.99.1
ip route add 10.9.0.0/16 via 192.168.60.5
ip route add 10.8.0.0/16 via 192.168.60.5 dev br0 onlink
ip route
ip link set br0 up
ip route add 10.9.0.0/16 via 192.168.60.5
ip route
ip link del br0
ip route
ip -br link
