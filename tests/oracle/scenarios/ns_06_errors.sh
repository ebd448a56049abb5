# ip netns and netns-move mistakes: exact texts and exit statuses.
# Exit codes differ: netns add/del file errors 1, "Cannot open network
# namespace" 255, exec of a missing program 1 (not 127), move errors 1/2/255.
sysctl -w net.ipv6.conf.all.disable_ipv6=1
sysctl -w net.ipv6.conf.default.disable_ipv6=1
ip link set lo up
ip netns add ns1
ip netns exec ns1 sysctl -w net.ipv6.conf.all.disable_ipv6=1
ip netns exec ns1 sysctl -w net.ipv6.conf.default.disable_ipv6=1
ip netns add ns1
ip netns add
ip netns del
ip netns del nosuch
ip netns exec nosuch ip link
ip -n nosuch link
ip -n nosuch addr
ip netns exec ns1
ip netns exec ns1 nosuchcmd
ip netns exec ns1 false
ip netns exec ns1 ping -c 1 192.168.9.9
ip link set veth9 netns ns1
ip link add veth0 type veth peer name veth1
ip link set veth0 netns nosuch
ip link set lo netns ns1
ip -n ns1 link add veth1 type veth peer name x1
ip link set veth1 netns ns1
ip link set veth1 name veth7
ip link set veth7 netns ns1
ip -n ns1 -br link
ip -br link
ip -n ns1 link set veth7 netns ns1
ip -n ns1 link del veth7
ip -br link
ip netns del ns1
ip netns del ns1
