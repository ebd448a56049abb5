# Two namespaces on two subnets, each with a default route via the caller
# ("the host"). With ip_forward=0 the host drops the forwarded echo silently: no
# ICMP error comes back, the ping just times out (ip route get ... iif shows the
# reason). With ip_forward=1 it works and the TTL seen by ns1 is 63. Without a
# default route the namespace gets "Network is unreachable" at once.
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
ip addr add 192.168.1.1/24 dev veth1
ip addr add 192.168.2.1/24 dev veth2
ip link set veth1 up
ip link set veth2 up
ip -n ns1 addr add 192.168.1.2/24 dev eth0
ip -n ns2 addr add 192.168.2.2/24 dev eth0
ip -n ns1 link set eth0 up
ip -n ns2 link set eth0 up
ip netns exec ns1 ping -c 1 192.168.2.2
ip -n ns1 route add default via 192.168.1.1
ip -n ns2 route add default via 192.168.2.1
ip -n ns1 route
ip route
cat /proc/sys/net/ipv4/ip_forward
ip route get 192.168.2.2 from 192.168.1.2 iif veth1
ip netns exec ns1 ping -c 2 -W 1 192.168.2.2
ip -n ns1 neigh
ip neigh
sysctl -w net.ipv4.ip_forward=1
ip route get 192.168.2.2 from 192.168.1.2 iif veth1
ip netns exec ns1 ping -c 2 192.168.2.2
ip netns exec ns2 ping -c 1 192.168.1.2
ip neigh show dev veth2
ip -n ns2 neigh
ip netns exec ns1 ip route get 192.168.2.2
# The host and ns2 first used their STALE entries (made from ARP requests they
# answered) when the first reply went out; 5 s later each sends a unicast ARP
# probe. Wait so that both land well inside the capture.
sleep 1.5
ip neigh show dev veth1
