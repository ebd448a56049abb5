# Lesson 04's bridge, asked the questions of the bridge tool's man page: fdb entries by
# state and kind (permanent, static, dynamic, a number), by VLAN, with a bad state, and
# VLANs (none: this kernel's bridges report no VLAN table), with the usual slips.
sysctl -w net.ipv6.conf.all.disable_ipv6=1
sysctl -w net.ipv6.conf.default.disable_ipv6=1
ip link add br0 type bridge
ip link set br0 address 02:42:ac:12:00:01
ip link add v1 type veth peer name v2
ip link set v1 address 02:00:00:00:00:01
ip link set v1 master br0
bridge fdb add 02:00:00:00:00:99 dev v1 master static
bridge fdb show br br0
bridge fdb show state permanent br br0
bridge fdb show state static
bridge fdb show state perm
bridge fdb show state 128 dev v1
bridge fdb show state reachable
bridge fdb show state bogus
bridge fdb show dynamic
bridge fdb show br br0 dynamic state static
bridge fdb show vlan 1
bridge fdb show vlan
bridge fdb show br br0 vlan 1 vlan 2
bridge fdb show state
bridge vlan show dev nosuch
bridge vlan show dev v1
bridge vlan
bridge vlan show vid 5
bridge vlan list
bridge vlan show dev v1 dev v2
