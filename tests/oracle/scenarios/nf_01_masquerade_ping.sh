# A container on a bridge reaches "the internet" through the host, as Docker does it.
# The scenario's namespace is the host: br0 (172.18.0.1/16) with container c1's veth,
# and eth0 (192.168.1.11/24) towards the LAN gateway gw (192.168.1.1), which forwards
# to inet, the namespace holding 8.8.8.8 and 1.1.1.1. Without ip_forward the host
# drops the ping; with forwarding but no NAT the request leaves eth0 from 172.18.0.2
# and no reply comes (gw has no route back); with MASQUERADE it leaves from
# 192.168.1.11 and the reply is translated back. conntrack -L shows the flow, and
# iptables -t nat -L -v counts only the first packet of it.
sysctl -w net.ipv6.conf.all.disable_ipv6=1
sysctl -w net.ipv6.conf.default.disable_ipv6=1
ip link set lo up
ip netns add c1
ip netns add gw
ip netns add inet
ip netns exec c1 sysctl -qw net.ipv6.conf.all.disable_ipv6=1
ip netns exec gw sysctl -qw net.ipv6.conf.all.disable_ipv6=1
ip netns exec inet sysctl -qw net.ipv6.conf.all.disable_ipv6=1
ip link add br0 type bridge
ip addr add 172.18.0.1/16 dev br0
ip link set br0 up
ip link add veth-c1 type veth peer name eth0 netns c1
ip link set veth-c1 master br0
ip link set veth-c1 up
ip -n c1 addr add 172.18.0.2/16 dev eth0
ip -n c1 link set eth0 up
ip -n c1 link set lo up
ip -n c1 route add default via 172.18.0.1
ip link add eth0 type veth peer name lan0 netns gw
ip addr add 192.168.1.11/24 dev eth0
ip link set eth0 up
ip route add default via 192.168.1.1
ip -n gw addr add 192.168.1.1/24 dev lan0
ip -n gw link set lan0 up
ip -n gw link set lo up
ip -n gw link add wan0 type veth peer name eth0 netns inet
ip -n gw addr add 203.0.113.1/24 dev wan0
ip -n gw link set wan0 up
ip -n inet addr add 203.0.113.2/24 dev eth0
ip -n inet addr add 8.8.8.8/32 dev eth0
ip -n inet addr add 1.1.1.1/32 dev eth0
ip -n inet link set eth0 up
ip -n inet link set lo up
ip -n inet route add default via 203.0.113.1
ip -n gw route add 8.8.8.8/32 via 203.0.113.2
ip -n gw route add 1.1.1.1/32 via 203.0.113.2
ip netns exec gw sysctl -qw net.ipv4.ip_forward=1
ping -c 1 8.8.8.8
ip netns exec c1 ping -c 1 -W 1 8.8.8.8
sysctl -w net.ipv4.ip_forward=1
ip netns exec c1 ping -c 1 -W 1 8.8.8.8
iptables -t nat -A POSTROUTING -s 172.18.0.0/16 ! -o br0 -j MASQUERADE
ip netns exec c1 ping -c 2 8.8.8.8
conntrack -L
iptables -t nat -L -v -n
iptables -t nat -S
ip netns exec c1 ping -c 1 1.1.1.1
conntrack -L -p icmp | sort
sleep 2
