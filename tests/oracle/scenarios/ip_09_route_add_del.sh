# Static routes: via a gateway (must be on a connected subnet, else "Nexthop has
# invalid gateway"), dev routes (scope link), default, metrics; two routes for one
# prefix with different metrics coexist. ip route del without metric removes the
# first match; "via" must match. route -n flags: U, UG, UH, UGH; Metric column.
sysctl -w net.ipv6.conf.all.disable_ipv6=1
sysctl -w net.ipv6.conf.default.disable_ipv6=1
ip link set lo up
ip link add veth0 type veth peer name veth1
ip addr add 192.168.2.11/24 dev veth0
ip link set veth0 up
ip link set veth1 up
ip route add 10.0.0.0/8 via 192.168.2.1
ip route add 10.0.0.0/8 via 192.168.3.1
ip route add 10.0.0.0/8 via 192.168.2.2 metric 100
ip route add 172.16.0.0/12 dev veth0
ip route add 203.0.113.0/24 dev veth0 metric 5
ip route add default via 192.168.2.1
ip route add default via 192.168.2.254 metric 200
ip route add 198.51.100.7 via 192.168.2.1
ip route add 198.51.100.8/32 dev veth0
ip route add 198.51.100.0/24 via 192.168.2.11
ip route add 100.64.0.0/10 via 192.168.2.1 dev veth1
ip route add 100.64.0.0/10 dev veth1 src 192.168.2.11
ip route
route -n
ip route del 10.0.0.0/8
ip route del 10.0.0.0/8 via 192.168.2.1
ip route del 10.0.0.0/8 via 192.168.2.2
ip route del default metric 200
ip route del 172.16.0.0/12 dev veth1
ip route del 172.16.0.0/12 dev veth0
ip route
route -n
ip link set veth0 down
ip route
ip link set veth0 up
ip route
