# ip -6 neigh on nd_tbl: static entries (add, replace, change, del), get, flush, and the
# filters (dev, nud, a prefix), next to an entry neighbour discovery made.
ip netns add a
ip netns add b
ip link add veth0 netns a address 02:00:00:00:00:01 type veth peer name veth1 netns b address 02:00:00:00:00:02
ip -n a addr add 2001:db8::1/64 dev veth0
ip -n b addr add 2001:db8::2/64 dev veth1
ip -n a link set veth0 up
ip -n b link set veth1 up
sleep 3
ip netns exec a ping -c 1 2001:db8::2
ip -n a neigh add 2001:db8::5 lladdr 02:00:00:00:00:05 dev veth0
ip -n a neigh add 2001:db8::5 lladdr 02:00:00:00:00:05 dev veth0
ip -n a -6 neigh add 2001:db8::6 lladdr 02:00:00:00:00:06 dev veth0 nud reachable
ip -n a neigh add fe80::7 lladdr 02:00:00:00:00:07 dev veth0 nud stale
ip -n a -6 neigh
ip -n a neigh show dev veth0 nud permanent
ip -n a neigh show 2001:db8::4/127
ip -n a neigh replace 2001:db8::5 lladdr 02:00:00:00:00:55 dev veth0
ip -n a neigh change 2001:db8::6 lladdr 02:00:00:00:00:66 dev veth0
ip -n a -6 neigh show 2001:db8::5
ip -n a neigh get 2001:db8::2 dev veth0
ip -n a neigh get 2001:db8::9 dev veth0
ip -n a neigh del 2001:db8::5 dev veth0
ip -n a neigh del 2001:db8::5 dev veth0
ip -n a -4 neigh
ip -n a neigh flush dev veth0 nud permanent
ip -n a -6 neigh
ip -n a -6 neigh flush all
ip -n a -6 neigh
ip -n a neigh add 2001:db8::8 dev veth0
ip -n a neigh add 2001:db8::8 lladdr 02:00:00:00:00:08
ip -n a -6 neigh
