# rp_filter with accept_local=1 on veth1: strict (1) refuses the local source arriving on
# veth1, loose (2) lets it in; the value used is max(all, veth1); veth0's does not matter.
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
echo 1 > /proc/sys/net/ipv4/conf/veth1/rp_filter
ping -c 1 -W 4 -I veth0 192.168.2.12
ip neigh show dev veth0
ip neigh show dev veth1
ip neigh flush all
echo 2 > /proc/sys/net/ipv4/conf/veth1/rp_filter
ping -c 1 -W 4 -I veth0 192.168.2.12
ip neigh show dev veth0
ip neigh show dev veth1
ip neigh flush all
echo 0 > /proc/sys/net/ipv4/conf/veth1/rp_filter
echo 1 > /proc/sys/net/ipv4/conf/all/rp_filter
ping -c 1 -W 4 -I veth0 192.168.2.12
ip neigh flush all
echo 2 > /proc/sys/net/ipv4/conf/veth1/rp_filter
ping -c 1 -W 4 -I veth0 192.168.2.12
ip neigh flush all
echo 2 > /proc/sys/net/ipv4/conf/all/rp_filter
echo 1 > /proc/sys/net/ipv4/conf/veth1/rp_filter
ping -c 1 -W 4 -I veth0 192.168.2.12
ip neigh flush all
echo 0 > /proc/sys/net/ipv4/conf/all/rp_filter
echo 0 > /proc/sys/net/ipv4/conf/veth1/rp_filter
echo 1 > /proc/sys/net/ipv4/conf/veth0/rp_filter
ping -c 1 -W 4 -I veth0 192.168.2.12
ip neigh show dev veth0
ip neigh show dev veth1
ip neigh flush all
echo 0 > /proc/sys/net/ipv4/conf/veth1/accept_local
echo 2 > /proc/sys/net/ipv4/conf/veth1/rp_filter
ping -c 1 -W 4 -I veth0 192.168.2.12
ip neigh show dev veth0
ip neigh show dev veth1
