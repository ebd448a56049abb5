# Flooding vs learning on a 3-port bridge (br0 has no address: a plain switch).
# A broadcast (ARP request) is flooded to every other port and to br0 itself.
# The bridge learns each SOURCE MAC on the port it came in by; a frame to a
# learned MAC then goes out of that one port only (veth3 sees none of the
# ns1<->ns2 unicast). A unicast frame to a MAC nobody has sent from (here a
# static neighbour entry in ns1) is "unknown unicast": flooded to all other
# ports, every time, and never learned. br0 does not see flooded unicast.
# ns2 ignores pings for the first contact only to keep that burst within the
# oracle's 8-frame capture ring (ARP still answers, so learning happens).
# lo is up in the namespaces: with lo down the locally made "Destination Host
# Unreachable" never reaches ping, which then waits its full 10 s.
sysctl -w net.ipv6.conf.all.disable_ipv6=1
sysctl -w net.ipv6.conf.default.disable_ipv6=1
ip link set lo up
ip netns add ns1
ip netns add ns2
ip netns add ns3
ip netns exec ns1 sysctl -w net.ipv6.conf.all.disable_ipv6=1
ip netns exec ns1 sysctl -w net.ipv6.conf.default.disable_ipv6=1
ip netns exec ns2 sysctl -w net.ipv6.conf.all.disable_ipv6=1
ip netns exec ns2 sysctl -w net.ipv6.conf.default.disable_ipv6=1
ip netns exec ns3 sysctl -w net.ipv6.conf.all.disable_ipv6=1
ip netns exec ns3 sysctl -w net.ipv6.conf.default.disable_ipv6=1
ip link add veth1 type veth peer name ceth1
ip link add veth2 type veth peer name ceth2
ip link add veth3 type veth peer name ceth3
ip link set ceth1 netns ns1
ip link set ceth2 netns ns2
ip link set ceth3 netns ns3
ip link set veth1 address 02:00:00:00:00:01
ip link set veth2 address 02:00:00:00:00:02
ip link set veth3 address 02:00:00:00:00:03
ip link add br0 type bridge
ip link set veth1 master br0
ip link set veth2 master br0
ip link set veth3 master br0
ip -n ns1 addr add 192.168.60.11/24 dev ceth1
ip -n ns2 addr add 192.168.60.12/24 dev ceth2
ip -n ns3 addr add 192.168.60.13/24 dev ceth3
ip -n ns1 link set lo up
ip -n ns2 link set lo up
ip -n ns3 link set lo up
ip -n ns1 link set ceth1 up
ip -n ns2 link set ceth2 up
ip -n ns3 link set ceth3 up
ip link set veth1 up
ip link set veth2 up
ip link set veth3 up
sleep 0.3
ip link set br0 up
sleep 1.3
bridge link
bridge fdb show br br0
ip netns exec ns1 ping -c 1 192.168.60.99
bridge fdb show br br0
ip -n ns1 neigh
ip netns exec ns2 sysctl -w net.ipv4.icmp_echo_ignore_all=1
ip netns exec ns1 ping -c 1 -W 1 192.168.60.12
ip netns exec ns2 sysctl -w net.ipv4.icmp_echo_ignore_all=0
bridge fdb show br br0
ip netns exec ns1 ping -c 2 192.168.60.12
ip -n ns1 neigh add 192.168.60.77 lladdr 02:00:00:00:77:77 dev ceth1
ip -n ns1 neigh show 192.168.60.77
ip netns exec ns1 ping -c 2 -W 1 192.168.60.77
bridge fdb show br br0
bridge fdb show dev veth3
