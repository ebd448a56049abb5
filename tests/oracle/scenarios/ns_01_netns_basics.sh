# ip netns basics: add, list (newest first), the no-argument form, exec and -n,
# identify, del. A fresh namespace has only lo, DOWN, and no routes.
# Also: a second add of the same name, and the messages for missing names.
sysctl -w net.ipv6.conf.all.disable_ipv6=1
sysctl -w net.ipv6.conf.default.disable_ipv6=1
ip link set lo up
ip netns
ip netns list
ip netns add ns1
ip netns
ip netns add ns2
ip netns list
ip netns add ns1
ip netns exec ns1 ip link
ip -n ns1 link
ip -n ns1 addr
ip -n ns1 route
ip -n ns2 -br link
ip netns exec ns1 ip netns identify
ip netns identify
ip netns exec ns2 ip netns list
ip netns del ns2
ip netns list
ip netns del ns2
ip netns exec ns2 ip link
ip -n ns2 link
ip netns delete ns1
ip netns
ip link
