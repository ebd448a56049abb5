# arp_announce on veth0 picks the sender address of the ARP request when the packet's
# source is not veth0's own: 192.168.2.12 (veth1, same subnet), 198.51.100.1 (lo, other).
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
ip addr add 198.51.100.1/32 dev lo
cat /proc/sys/net/ipv4/conf/veth0/arp_announce
ping -c 1 -I 192.168.2.12 192.168.2.50
ping -c 1 -I 198.51.100.1 192.168.2.51
echo 1 > /proc/sys/net/ipv4/conf/veth0/arp_announce
ping -c 1 -I 192.168.2.12 192.168.2.52
ping -c 1 -I 198.51.100.1 192.168.2.53
echo 2 > /proc/sys/net/ipv4/conf/veth0/arp_announce
ping -c 1 -I 192.168.2.12 192.168.2.54
ping -c 1 -I 198.51.100.1 192.168.2.55
echo 0 > /proc/sys/net/ipv4/conf/veth0/arp_announce
echo 2 > /proc/sys/net/ipv4/conf/all/arp_announce
ping -c 1 -I 198.51.100.1 192.168.2.56
ping -c 1 -I 127.0.0.1 192.168.2.57
ip neigh show 192.168.2.57
