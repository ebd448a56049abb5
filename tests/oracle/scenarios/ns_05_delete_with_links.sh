# Deleting a namespace that still holds one end of a veth pair destroys the pair:
# the end left in the caller vanishes too, with its address and route. This is
# asynchronous in the kernel (cleanup_net runs in a workqueue): right after
# `ip netns del` the caller's end can still be listed for a few ms, shown as
# "link-netnsid 0" since the name is gone, hence the sleep. Deleting the caller's
# end instead removes the peer inside the namespace at once.
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
ip addr add 192.168.4.1/24 dev veth1
ip addr add 192.168.5.1/24 dev veth2
ip link set veth1 up
ip link set veth2 up
ip -n ns1 link set ceth1 up
ip -n ns2 link set ceth2 up
ip -br link
ip route
ip netns list
ip netns del ns1
sleep 1
ip netns list
ip netns list-id
ip -br link
ip -br addr
ip route
ip -n ns2 -br link
ip link del veth2
ip -n ns2 -br link
ip netns list
ip netns exec ns2 ip link
ip netns del ns2
sleep 1
ip netns list
ip netns list-id
ip link
