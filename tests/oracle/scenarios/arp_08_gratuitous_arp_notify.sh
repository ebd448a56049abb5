# arp_notify=1 makes veth1 broadcast gratuitous ARP on link up and on a MAC change.
# Its sender address is local to this namespace, so arp_accept=1 on veth0 creates nothing;
# with accept_local=1 on veth0 the request is processed and veth0 answers it.
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
echo 1 > /proc/sys/net/ipv4/conf/veth1/arp_notify
ip link set veth1 down
ip link set veth1 up
ip neigh show dev veth0
echo 1 > /proc/sys/net/ipv4/conf/veth0/arp_accept
ip link set veth1 address 02:00:00:00:00:0c
ip neigh show dev veth0
echo 1 > /proc/sys/net/ipv4/conf/veth0/accept_local
ip link set veth1 address 02:00:00:00:00:0d
ip neigh show dev veth0
ip neigh show dev veth1
