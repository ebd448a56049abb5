# Which accept_local matters for ping -I veth0 to the peer's address: the receiving side
# (veth1, or all) validates the local source of both the ARP request and the echo.
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
ping -c 1 -W 4 -I veth0 192.168.2.12
ip neigh show dev veth0
ip neigh show dev veth1
ip neigh flush all
echo 1 > /proc/sys/net/ipv4/conf/veth0/accept_local
ping -c 1 -W 4 -I veth0 192.168.2.12
ip neigh show dev veth0
ip neigh show dev veth1
ip neigh flush all
echo 0 > /proc/sys/net/ipv4/conf/veth0/accept_local
echo 1 > /proc/sys/net/ipv4/conf/veth1/accept_local
ping -c 1 -W 4 -I veth0 192.168.2.12
ip neigh show dev veth0
ip neigh show dev veth1
ip neigh flush all
echo 0 > /proc/sys/net/ipv4/conf/veth1/accept_local
echo 1 > /proc/sys/net/ipv4/conf/all/accept_local
sysctl net.ipv4.conf.veth1.accept_local
ping -c 1 -W 4 -I veth0 192.168.2.12
ip neigh show dev veth0
ip neigh show dev veth1
ip neigh flush all
echo 0 > /proc/sys/net/ipv4/conf/all/accept_local
echo 1 > /proc/sys/net/ipv4/conf/default/accept_local
ping -c 1 -W 4 -I veth0 192.168.2.12
ip neigh show dev veth0
ip neigh show dev veth1
