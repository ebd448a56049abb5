# arp_filter=1 on veth1 refuses to answer because the route back to the (local) sender
# does not leave through veth1; proxy_arp on veth1 answers only once forwarding is on.
sysctl -w net.ipv6.conf.all.disable_ipv6=1
sysctl -w net.ipv6.conf.default.disable_ipv6=1
ip link set lo up
ip link add veth0 type veth peer name veth1
ip link set veth0 address 02:00:00:00:00:0a
ip link set veth1 address 02:00:00:00:00:0b
ip addr add 192.168.2.11/24 dev veth0
ip addr add 192.168.2.12/24 dev veth1
ip link set veth0 up
ip link set veth1 up
echo 1 > /proc/sys/net/ipv4/conf/veth1/accept_local
echo 1 > /proc/sys/net/ipv4/conf/veth1/arp_filter
ping -c 1 -W 4 -I veth0 192.168.2.12
ip neigh show dev veth0
ip neigh flush all
echo 0 > /proc/sys/net/ipv4/conf/veth1/arp_filter
echo 1 > /proc/sys/net/ipv4/conf/veth0/arp_filter
ping -c 1 -W 4 -I veth0 192.168.2.12
ip neigh show dev veth0
ip neigh flush all
echo 0 > /proc/sys/net/ipv4/conf/veth0/arp_filter
ip route add 198.51.100.0/24 dev veth0
ip route get 198.51.100.7
ping -c 1 198.51.100.7
echo 1 > /proc/sys/net/ipv4/conf/veth1/proxy_arp
ping -c 1 198.51.100.8
cat /proc/sys/net/ipv4/conf/veth1/forwarding
echo 1 > /proc/sys/net/ipv4/ip_forward
cat /proc/sys/net/ipv4/conf/veth1/forwarding
ping -c 1 -t 3 198.51.100.9
ip neigh show 198.51.100.9
