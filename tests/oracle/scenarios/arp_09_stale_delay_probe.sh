# REACHABLE -> STALE -> DELAY -> PROBE -> REACHABLE with short timers. The replies come
# back through lo, so nothing confirms the entry; the PROBE is a unicast ARP request.
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
cat /proc/sys/net/ipv4/neigh/veth0/base_reachable_time_ms
cat /proc/sys/net/ipv4/neigh/veth0/delay_first_probe_time
cat /proc/sys/net/ipv4/neigh/veth0/retrans_time_ms
cat /proc/sys/net/ipv4/neigh/veth0/mcast_solicit
cat /proc/sys/net/ipv4/neigh/veth0/ucast_solicit
echo 4000 > /proc/sys/net/ipv4/neigh/veth0/base_reachable_time_ms
echo 1 > /proc/sys/net/ipv4/neigh/veth0/delay_first_probe_time
ping -c 1 -I veth0 192.168.2.12
ip neigh show dev veth0
sleep 7
ip neigh show dev veth0
ping -c 1 -I veth0 192.168.2.12
ip neigh show dev veth0
sleep 2
ip neigh show dev veth0
