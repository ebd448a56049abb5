# How `bridge link` names a port's peer when the peer lives in another namespace.
# `ip link` says veth1@if2 ... link-netns ns1; `bridge link` looks the peer's
# ifindex up in ITS OWN namespace instead: when that index is free it prints
# @ifN, when a local device has it, it prints that device's name (wrong), and
# when it is the port's own index it prints no @ part at all. Here the peers are
# made directly inside the namespaces (peer name eth0 netns ...), so each eth0
# gets index 2 there. Everything stays down: port state "disabled".
sysctl -w net.ipv6.conf.all.disable_ipv6=1
sysctl -w net.ipv6.conf.default.disable_ipv6=1
ip link set lo up
ip netns add ns1
ip netns add ns2
ip netns exec ns1 sysctl -w net.ipv6.conf.all.disable_ipv6=1
ip netns exec ns1 sysctl -w net.ipv6.conf.default.disable_ipv6=1
ip netns exec ns2 sysctl -w net.ipv6.conf.all.disable_ipv6=1
ip netns exec ns2 sysctl -w net.ipv6.conf.default.disable_ipv6=1
ip link add veth1 type veth peer name eth0 netns ns1
ip link add veth2 type veth peer name eth0 netns ns2
ip link add br0 type bridge
ip link set veth1 master br0
ip link set veth2 master br0
ip link show master br0
bridge link
ip -n ns1 link show eth0
ip -n ns2 link show eth0
ip link add veth3 type veth peer name ceth3
ip link set ceth3 netns ns1
ip link set veth3 master br0
ip -br link show master br0
bridge link show
