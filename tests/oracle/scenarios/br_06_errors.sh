# Bridge mistakes: exact texts and exit statuses. Note the quiet successes too:
# enslaving a port again, moving a port straight from one bridge to another,
# nomaster on a free device, listing by a master that is not a bridge.
sysctl -w net.ipv6.conf.all.disable_ipv6=1
sysctl -w net.ipv6.conf.default.disable_ipv6=1
ip link set lo up
ip link add veth1 type veth peer name veth2
ip link add br0 type bridge
ip link add br0 type bridge
ip link add br1 type bridge
ip link set veth1 master nosuch
ip link set veth1 master veth2
ip link set br1 master br0
ip link set br0 master br0
ip link set lo master br0
ip link set veth1 nomaster
ip link show master nosuch
ip link show master veth1
bridge link show dev nosuch
bridge fdb show dev nosuch
bridge fdb show br nosuch
bridge fdb show br veth1
bridge link show dev veth1
bridge fdb show dev veth1
bridge foo
bridge link frob
ip link set veth1 master br0
ip link set veth1 master br0
bridge link show dev veth1
ip link set veth1 master br1
ip link show master br0
ip link show master br1
bridge link
ip link del br1
ip link show veth1
ip link del br1
ip link del br0
ip link del br0
ip -br link
