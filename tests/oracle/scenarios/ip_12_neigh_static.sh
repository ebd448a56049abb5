# Static neighbour entries: ip neigh add (PERMANENT by default), nud reachable/stale/
# noarp (noarp is hidden unless asked for), replace vs add, arp -n flags CM
# (permanent) vs C, flush sparing PERMANENT and NOARP, and the error texts.
# The kernel lists neighbours in hash order, random per namespace: every listing
# here is filtered down to at most one entry so the golden is stable.
sysctl -w net.ipv6.conf.all.disable_ipv6=1
sysctl -w net.ipv6.conf.default.disable_ipv6=1
ip link set lo up
ip link add veth0 type veth peer name veth1
ip addr add 192.168.2.11/24 dev veth0
ip link set veth0 up
ip link set veth1 up
arp -n
ip neigh add 192.168.2.50 lladdr 02:00:00:00:00:50 dev veth0
ip neigh
arp -n
arp -an
ip -s neigh
ip neigh add 192.168.2.51 lladdr 02:00:00:00:00:51 dev veth0 nud reachable
ip -s neigh show nud reachable
ip neigh add 192.168.2.52 lladdr 02:00:00:00:00:52 dev veth0 nud stale
ip -s neigh show 192.168.2.52
arp -n 192.168.2.52
ip neigh add 192.168.2.53 dev veth0 nud noarp lladdr 02:00:00:00:00:53
ip neigh show 192.168.2.53
ip neigh show nud noarp
arp -n 192.168.2.53
ip neigh add 10.9.9.9 lladdr 02:00:00:00:00:99 dev veth1
ip neigh show dev veth1
ip neigh add 192.168.2.54 dev veth0
ip neigh add 192.168.2.50 lladdr 02:00:00:00:00:60 dev veth0
ip neigh replace 192.168.2.50 lladdr 02:00:00:00:00:60 dev veth0
ip neigh show 192.168.2.50
ip neigh add 192.168.2.55 lladdr 02:00:00:00:00 dev veth0
ip neigh add 192.168.2.56 lladdr 02:00:00:00:00:56
ip neigh add 192.168.2.57 lladdr 02:00:00:00:00:57 dev nope
ip neigh del 192.168.2.52 dev veth0
ip neigh del 192.168.2.52 dev veth0
ip neigh del 192.168.2.52
ip neigh flush dev veth0
ip neigh show dev veth0 nud reachable
ip neigh del 192.168.2.50 dev veth0
ip neigh del 10.9.9.9 dev veth1
ip neigh show nud all
