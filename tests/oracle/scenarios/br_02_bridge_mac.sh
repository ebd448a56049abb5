# Which MAC a bridge uses. Unless you set one, br0 takes the numerically lowest
# MAC among its ports (not the first port's): adding a lower one switches it,
# removing that port switches back, and removing the last port leaves
# 00:00:00:00:00:00. `ip link set br0 address` pins it for good: ports no longer
# change it. The port MACs are set by hand so "lowest" is the same every run.
# br0 stays DOWN here, so no carrier or IGMP timing is involved.
sysctl -w net.ipv6.conf.all.disable_ipv6=1
sysctl -w net.ipv6.conf.default.disable_ipv6=1
ip link set lo up
ip link add br0 type bridge
ip link add veth1 type veth peer name ceth1
ip link add veth2 type veth peer name ceth2
ip link set veth1 address 02:00:00:00:00:22
ip link set veth2 address 02:00:00:00:00:11
ip link show br0
ip link set veth1 master br0
ip link show br0
ip link set veth2 master br0
ip link show br0
bridge link
ip -d link show veth1
ip link set veth2 nomaster
ip link show br0
ip link set veth1 nomaster
ip link show br0
ip -br link show br0
bridge fdb show br br0
ip link set veth2 master br0
ip link show br0
ip link set veth2 address 02:00:00:00:00:33
ip link show br0
ip link set br0 address 02:00:00:00:00:99
ip link show br0
ip link set veth1 master br0
ip link show br0
ip link set veth2 nomaster
ip link set veth1 nomaster
ip link show br0
bridge fdb show br br0
ip -d link show br0
