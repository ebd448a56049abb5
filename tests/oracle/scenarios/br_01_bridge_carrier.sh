# A bridge's own link state through its life. Fresh and up with no ports it is
# UP,LOWER_UP state UNKNOWN (carrier was never turned off). Once it has ports,
# carrier is on only while at least one port is forwarding: NO-CARRIER/DOWN with
# only a port whose link is down, UP once the port's peer comes up (STP is off, so
# the port goes disabled -> forwarding at once). br0 takes its first port's MAC.
# br0's operstate follows carrier through the kernel's linkwatch, which may lag
# up to 1 s for a bridge, hence the sleeps before looking. Going up makes br0
# join 224.0.0.106 (multicast snooping): two IGMPv3 reports from 0.0.0.0 within
# a second (the first sleep lets both go out before br0 loses carrier; with no
# carrier br0's queue is a noop qdisc and nothing is sent or captured).
sysctl -w net.ipv6.conf.all.disable_ipv6=1
sysctl -w net.ipv6.conf.default.disable_ipv6=1
ip link set lo up
ip link add br0 type bridge
ip link show br0
bridge link
ip link set br0 up
ip link show br0
ip -br link show br0
bridge fdb show
sleep 1.1
ip link add veth1 type veth peer name ceth1
ip link show veth1
ip link set veth1 master br0
bridge link
ip link set veth1 up
bridge link
ip link show master br0
sleep 1.2
ip link show br0
bridge fdb show br br0
ip link set ceth1 up
sleep 1.2
bridge link
ip link show br0
ip -br link
bridge fdb show br br0
ip link set veth1 nomaster
bridge link
ip link show master br0
bridge fdb show br br0
bridge fdb show dev veth1
