# A namespace named "host" beside the lab's own one (which vethtui calls "host"):
# to the kernel and to ip they are two namespaces, whatever their names. The
# caller's namespace has no name under /run/netns, so the one called host sees
# its peer's side as link-netnsid 0 and `ip netns identify` there prints "host";
# in the caller it prints nothing. A ping crosses from one to the other, and each
# side's neighbour table learns the other's address. (Not shown after `ip netns
# del host`: the real kernel frees a namespace in a workqueue, so whether veth0
# is already gone races.)
sysctl -w net.ipv6.conf.all.disable_ipv6=1
sysctl -w net.ipv6.conf.default.disable_ipv6=1
ip link set lo up
ip netns add host
ip netns exec host sysctl -w net.ipv6.conf.all.disable_ipv6=1
ip netns exec host sysctl -w net.ipv6.conf.default.disable_ipv6=1
ip netns list
ip link add veth0 type veth peer name veth1 netns host
ip addr add 10.9.0.1/24 dev veth0
ip -n host addr add 10.9.0.2/24 dev veth1
ip link set veth0 up
ip -n host link set veth1 up
ip -n host link set lo up
ip netns list
ip link show veth0
ip -n host link show veth1
ip -br addr
ip -n host -br addr
ip netns identify
ip netns exec host ip netns identify
ip netns list-id
ip -n host netns list-id
ping -c 2 10.9.0.1
ping -c 2 10.9.0.2
ip netns exec host ping -c 1 10.9.0.1
ip neigh
ip -n host neigh
ip -n host route
ip netns del host
ip netns list
