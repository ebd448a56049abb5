# ip link add for veth pairs: with and without peer names. The kernel registers the
# PEER first (it gets the lower ifindex, and is listed first); an unnamed peer or pair
# is named veth%d, so "ip link add veth0 type veth" collides with its own peer.
# Failed adds still burn ifindex numbers. Deleting either end deletes both.
sysctl -w net.ipv6.conf.all.disable_ipv6=1
sysctl -w net.ipv6.conf.default.disable_ipv6=1
ip link set lo up
ip link add veth0 type veth
ip link show
ip link add foo type veth
ip link show
ip link add name a1 type veth peer name b1
ip link add type veth
ip link add veth9 type veth peer veth10
ip -br link
ip link show type veth
ip link add a1 type veth peer name c1
ip link add c1 type veth peer name b1
ip link add x2 type veth peer name x2
ip link add averyveryverylongname type veth
ip link add veth20 type bogus
ip link add veth20
ip link add veth20 type veth peer name veth21
ip -br link
ip link del b1
ip link delete veth0
ip link del dev veth10
ip -br link
ip link del lo
ip link del nope
ip link del
ip -o link show
