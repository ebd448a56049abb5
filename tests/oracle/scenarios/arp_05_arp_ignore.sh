# arp_ignore on the answering device veth1 (accept_local=1 there so the local sender is
# accepted). 192.168.2.13 lives on lo, 10.1.1.1 on veth1 in another subnet.
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
ip addr add 192.168.2.13/32 dev lo
ip addr add 10.1.1.1/24 dev veth1
echo 1 > /proc/sys/net/ipv4/conf/veth1/accept_local
ip route get 192.168.2.13 oif veth0
ip route get 10.1.1.1 oif veth0
cat /proc/sys/net/ipv4/conf/veth1/arp_ignore
ping -c 1 -W 4 -I veth0 192.168.2.13
ip neigh show dev veth0
ip neigh flush all
echo 1 > /proc/sys/net/ipv4/conf/veth1/arp_ignore
ping -c 1 -W 4 -I veth0 192.168.2.13
ip neigh show dev veth0
ip neigh flush all
ping -c 1 -W 4 -I veth0 192.168.2.12
ip neigh flush all
ping -c 1 -W 4 -I veth0 10.1.1.1
ip neigh show dev veth0
ip neigh flush all
echo 2 > /proc/sys/net/ipv4/conf/veth1/arp_ignore
ping -c 1 -W 4 -I veth0 10.1.1.1
ip neigh show dev veth0
ip neigh flush all
ping -c 1 -W 4 -I veth0 192.168.2.12
ip neigh flush all
echo 8 > /proc/sys/net/ipv4/conf/veth1/arp_ignore
ping -c 1 -W 4 -I veth0 192.168.2.12
ip neigh flush all
echo 0 > /proc/sys/net/ipv4/conf/veth1/arp_ignore
echo 8 > /proc/sys/net/ipv4/conf/all/arp_ignore
ping -c 1 -W 4 -I veth0 192.168.2.12
ip neigh flush all
echo 0 > /proc/sys/net/ipv4/conf/all/arp_ignore
ping -c 1 -W 4 -I veth0 192.168.2.12
ip neigh show dev veth0
