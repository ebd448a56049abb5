# Two namespaces on one bridge, br0 carrying the host's address 192.168.50.1.
# The namespaces first ignore pings (icmp_echo_ignore_all): those pings fail, yet
# ARP resolves and the bridge learns every MAC - layer 2 works regardless. Then
# pings are turned back on and everyone reaches everyone. The captures on br0 and
# on the host-side ports show the flooded ARP requests (B on the ingress port,
# Out on every other port, B on br0) and the unicast that follows. Direction P
# marks a frame received on a port but addressed to another MAC; br0's MAC is
# veth1's (the lower), so frames for br0 arrive as In on veth1 and P on veth2.
# (Why the ignore step: the oracle's capture ring holds 8 frames, and a first
# ARP+ping through this bridge makes 9 capture lines in one burst.)
# Each responder first uses the STALE entry made from an ARP request when the
# real pings start; 5 s later it sends a unicast ARP probe (end of the captures).
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
ip addr add 192.168.50.1/24 dev br0
ip -n ns1 addr add 192.168.50.11/24 dev ceth1
ip -n ns2 addr add 192.168.50.12/24 dev ceth2
ip -n ns1 link set ceth1 up
ip -n ns2 link set ceth2 up
ip link set veth1 up
ip link set veth2 up
sleep 0.3
bridge link
ip link set br0 up
sleep 1.3
ip link
ip -n ns1 link
bridge link show
ip link show master br0
ip -br addr
bridge fdb show br br0
ip netns exec ns1 sysctl -w net.ipv4.icmp_echo_ignore_all=1
ip netns exec ns2 sysctl -w net.ipv4.icmp_echo_ignore_all=1
ip netns exec ns1 ping -c 1 -W 1 192.168.50.12
ping -c 1 -W 1 192.168.50.11
ping -c 1 -W 1 192.168.50.12
ip -n ns1 neigh show 192.168.50.12
ip -n ns1 neigh show 192.168.50.1
ip neigh show 192.168.50.11
bridge fdb show br br0
ip netns exec ns1 sysctl -w net.ipv4.icmp_echo_ignore_all=0
ip netns exec ns2 sysctl -w net.ipv4.icmp_echo_ignore_all=0
ip netns exec ns1 ping -c 2 192.168.50.12
ip netns exec ns2 ping -c 2 192.168.50.1
ip netns exec ns1 ping -c 2 192.168.50.1
ping -c 1 192.168.50.11
bridge fdb show
bridge fdb show dev veth2
ip -n ns2 neigh show 192.168.50.11
ip -n ns2 neigh show 192.168.50.1
ip -n ns1 neigh show 192.168.50.1
ip netns list
# wait: the last ARP probe leaves 5 s after ns1's first reply-less use of its
# STALE entry for 192.168.50.1; keep it well inside the capture window
sleep 1.5
