# INCOMPLETE -> FAILED: 3 broadcasts one second apart, then the queued packets are answered
# with ICMP host unreachable through lo. A ping -c 6 starts a second cycle. With -w the
# count no longer limits sending and the first error ends ping (-i 0.7 keeps the sends
# away from the moment the entry fails, which would otherwise be a race).
sysctl -w net.ipv6.conf.all.disable_ipv6=1
sysctl -w net.ipv6.conf.default.disable_ipv6=1
ip link set lo up
ip link add veth0 type veth peer name veth1
ip link set veth0 address 02:00:00:00:00:0a
ip link set veth1 address 02:00:00:00:00:0b
ip addr add 192.168.2.11/24 dev veth0
ip link set veth0 up
ip link set veth1 up
ping -c 6 192.168.2.50
ip neigh
ping -c 1 -W 1 -I veth0 192.168.2.51
ip neigh show 192.168.2.51
sleep 3
ip neigh show 192.168.2.51
ip neigh show 192.168.2.50
ping -c 1 192.168.2.51
ip neigh show 192.168.2.51
ping -c 2 -w 5 -i 0.7 192.168.2.52
ip neigh show 192.168.2.52
ip neigh flush dev veth0
ip neigh show dev veth0
