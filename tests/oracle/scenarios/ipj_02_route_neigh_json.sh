# ip -j for routes (main, local, -6) and neighbours.
sysctl -w net.ipv6.conf.default.disable_ipv6=1
ip link set lo up
ip link add veth0 type veth peer name veth1
ip link set veth0 address 02:00:00:00:00:0a
ip link set veth1 address 02:00:00:00:00:0b
ip addr add 192.168.2.11/24 dev veth0
ip addr add 192.168.2.12/24 dev veth1
ip -6 addr add 2001:db8::1/64 dev veth0 nodad
ip -j route
ip -j -p route
ip link set veth0 up
ip link set veth1 up
ip route add 198.51.100.0/24 via 192.168.2.12 metric 20
ip route add blackhole 203.0.113.0/24
ip -j route
ip -j route show table local
ip -j -p route show table local
ip -j -6 route
ip -j -6 -p route
ip neigh add 192.168.2.99 lladdr 02:00:00:00:00:99 dev veth0
ip neigh add 192.168.2.98 lladdr 02:00:00:00:00:98 dev veth0 nud stale
ip neigh add 192.168.2.97 lladdr 02:00:00:00:00:97 dev veth0 nud reachable router
# one entry per JSON dump: the kernel lists several in hash order (the oracle sorts lines)
ip -j neigh show 192.168.2.97
ip -j neigh show nud stale
ip -j neigh show nud permanent
ip -j -p neigh show 192.168.2.97 dev veth0
ip -j -s neigh show 192.168.2.99
ping -c 1 -W 1 192.168.2.12
ip -j route get 192.168.2.12
ip -j neigh show dev veth1
