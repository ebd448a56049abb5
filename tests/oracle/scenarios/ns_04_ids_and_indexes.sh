# Numbering across namespaces. nsids are per viewer and handed out on first
# need (0, 1, ...), not in creation order; ifindexes are per namespace: a moved
# device keeps its index when that index is free in the target, else it gets the
# target's next index. A pair can be created with its peer directly in a
# namespace (peer ... netns NS), or between two namespaces from outside.
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
ip link add veth2 type veth peer name eth0 netns ns2
ip link
ip netns list
ip link set ceth1 netns ns1
ip netns list
ip netns list-id
ip -br link
ip -n ns1 link
ip -n ns2 link
ip -n ns1 link add va type veth peer name vb
ip -n ns1 link add a12 type veth peer name a21 netns ns2
ip -n ns1 link
ip -n ns2 link show a21
ip link add veth3 type veth peer name ceth3
ip link show ceth3
ip link set ceth3 netns ns1
ip link show veth3
ip -n ns1 link show ceth3
ip netns exec ns1 ip netns list
ip netns exec ns2 ip netns list
ip netns exec ns2 ip netns list-id
ip netns list
