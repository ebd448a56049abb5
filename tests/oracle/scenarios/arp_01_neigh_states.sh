# Neighbour states: REACHABLE after an answered exchange, STALE on the side that only
# saw the request, flush, PERMANENT entries that let packets go without any ARP.
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
ip neigh
ping -c 2 -I veth0 192.168.2.12
ip neigh show dev veth0
ip neigh show dev veth1
ip neigh show 192.168.2.12
arp -n -i veth0
arp -n 192.168.2.11
ip neigh flush dev veth1
ip neigh show dev veth1
ip neigh show dev veth0
ip neigh flush all
ip neigh
ip neigh add 192.168.2.12 lladdr 02:00:00:00:00:0b dev veth0
ip neigh
ping -c 2 -I veth0 192.168.2.12
ip neigh
ip neigh add 192.168.2.60 lladdr 02:00:00:00:00:60 dev veth0 nud permanent
ping -c 2 -W 1 -I veth0 192.168.2.60
ping -c 3 -i 0 -W 1 -I veth0 192.168.2.60
ip neigh flush all
ip neigh show 192.168.2.12
ip neigh show 192.168.2.60
arp -n 192.168.2.60
ip neigh del 192.168.2.12 dev veth0
ip neigh del 192.168.2.60 dev veth0
ip neigh
ip neigh del 192.168.2.60 dev veth0
ip neigh add 192.168.2.61 lladdr 02:00:00:00:00:61 dev veth0 nud stale
ip neigh show
ip neigh add 192.168.2.62 lladdr 02:00:00:00:00:62 dev veth0 nud noarp
ip neigh show 192.168.2.62
ip neigh show nud noarp dev veth0
ip neigh show nud noarp dev lo
ip neigh show nud all dev veth0 192.168.2.62
