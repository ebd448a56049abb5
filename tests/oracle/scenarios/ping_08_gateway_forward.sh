# A route via a gateway address that lives on the peer veth: ARP for the gateway, then
# ip_forward decides. With forwarding on, the packet loops veth0->veth1->veth0 until its TTL
# runs out (kept small: the capture ring cannot hold a 63-hop burst).
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
ip route add 198.51.100.0/24 via 192.168.2.12 dev veth0
ip route
ip route get 198.51.100.7
ping -c 1 198.51.100.7
ip neigh show dev veth0
ip neigh flush all
echo 1 > /proc/sys/net/ipv4/conf/veth1/accept_local
ping -O -c 3 -W 1 198.51.100.7
ip neigh show dev veth0
cat /proc/sys/net/ipv4/ip_forward
echo 1 > /proc/sys/net/ipv4/ip_forward
ping -c 1 -t 1 198.51.100.7
ping -c 1 -t 3 198.51.100.7
ping -c 2 -t 2 198.51.100.7
ping -c 1 -t 1 -I veth0 192.168.2.12
