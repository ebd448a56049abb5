# Moving one end of a veth pair into a namespace. The moved device keeps its
# ifindex (free in ns1), loses its addresses and goes DOWN. Each side now names
# its peer by index only: veth0@if2 ... link-netns ns1 in the caller, veth1@if3
# ... link-netnsid 0 in ns1 (the caller has no name there). ip netns list now
# shows (id: 0). Then both ends are configured and ping each other.
sysctl -w net.ipv6.conf.all.disable_ipv6=1
sysctl -w net.ipv6.conf.default.disable_ipv6=1
ip link set lo up
ip netns add ns1
ip netns exec ns1 sysctl -w net.ipv6.conf.all.disable_ipv6=1
ip netns exec ns1 sysctl -w net.ipv6.conf.default.disable_ipv6=1
ip netns list
ip link add veth0 type veth peer name veth1
ip addr add 192.168.3.2/24 dev veth1
ip link set veth1 up
ip link set veth0 up
ip link show
ip link set veth1 netns ns1
ip link show
ip -br link
ip netns list
ip netns list-id
ip -n ns1 link
ip -n ns1 -br link
ip -n ns1 addr
ip netns exec ns1 ip netns list-id
ip addr add 192.168.3.1/24 dev veth0
ip -n ns1 addr add 192.168.3.2/24 dev veth1
ip -n ns1 link set veth1 up
ip -n ns1 link set lo up
ip link show veth0
ip -n ns1 addr show veth1
ip -n ns1 route
ip route
ping -c 2 192.168.3.2
ip netns exec ns1 ping -c 2 192.168.3.1
ip neigh
ip -n ns1 neigh
ip netns exec ns1 ip route get 192.168.3.1
