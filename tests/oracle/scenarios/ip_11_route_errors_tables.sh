# ip route errors (duplicates, bad prefixes, unknown devices, deleting what is not
# there) and tables: main vs local, ip route flush (also removes kernel routes),
# ip route list/show/-4 synonyms and route -n on an empty table.
sysctl -w net.ipv6.conf.all.disable_ipv6=1
sysctl -w net.ipv6.conf.default.disable_ipv6=1
ip link set lo up
ip link add veth0 type veth peer name veth1
ip addr add 192.168.2.11/24 dev veth0
ip link set veth0 up
ip link set veth1 up
ip route add 10.0.0.0/8 via 192.168.2.1
ip route add 10.0.0.0/8 via 192.168.2.1
ip route add 10.0.0.0/8 via 192.168.2.9
ip route add 10.0.0.0/8 dev veth0
ip route add 10.1.2.3/8 via 192.168.2.1
ip route add 10.0.0.0/33 via 192.168.2.1
ip route add 10.0.0.0/8 via 192.168.2.1 dev nope
ip route add 10.0.0.0/8 via 300.1.1.1
ip route add 10.0.0.0/8
ip route add 192.168.2.0/24 dev veth0
ip route add default dev veth0 metric abc
ip route add default via 192.168.2.1 dev veth1
ip route del 172.16.0.0/12
ip route del default
ip route show
ip r s
ip -4 route
ip route list table main
ip route show table local
ip route show table nope
ip route flush
ip route flush table main
ip route
route -n
ip route show table local
ip route get 192.168.2.55
ip link set veth0 down
ip link set veth0 up
ip route
