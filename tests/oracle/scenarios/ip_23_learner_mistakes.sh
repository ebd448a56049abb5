# Mistakes a learner makes while wiring veths and bridges: the same address or route
# twice, deleting what is not there, MTUs out of range, a broadcast MAC, a bad lladdr,
# a bridge MTU set above its ports' (kept: the user set it), and one left to follow its
# ports (br_mtu_auto_adjust: the smallest port MTU, 1500 with none).
sysctl -w net.ipv6.conf.all.disable_ipv6=1
sysctl -w net.ipv6.conf.default.disable_ipv6=1
ip link set lo up
ip link add veth0 type veth peer name veth1
ip addr add 10.0.0.1/24 dev veth0
ip addr add 10.0.0.1/24 dev veth0
ip addr add 10.0.0.1 dev veth0
ip addr show dev veth0
ip link set veth0 up
ip link set veth1 up
ip route add 10.0.0.0/24 dev veth0
ip route add default via 10.0.0.254
ip route add default via 10.0.0.254
ip route del default
ip route del default
ip addr del 10.0.0.1/24 dev veth0
ip addr del 10.0.0.1/24 dev veth0
ip addr del 10.0.0.1/32 dev veth0
ip link set veth0 mtu 70000
ip link set veth0 mtu 50
ip link set veth0 address ff:ff:ff:ff:ff:ff
ip link set veth0 address 01:00:00:00:00:01
ip link set veth0 address 00:00:00:00:00:00
ip neigh add 10.0.0.2 lladdr zz dev veth0
ip neigh add 10.0.0.2 lladdr 02:00:00:00:00:02 dev veth0
ip neigh add 10.0.0.2 lladdr 02:00:00:00:00:02 dev veth0
ip link set nosuch up
ip link add br0 type bridge
ip link set veth0 master br0
ip link set br0 mtu 9000
ip link show br0
ip link set veth0 mtu 1400
ip link show br0
ip link set veth0 nomaster
ip link set veth1 mtu 1300
ip link set veth1 master br0
ip link show br0
ip link del veth0
ip link show br0
ip link add br1 type bridge
ip link add veth2 type veth peer name veth3
ip link add veth4 type veth peer name veth5
ip link set veth2 address 02:00:00:00:00:02
ip link set veth4 address 02:00:00:00:00:04
ip link set veth2 mtu 1400
ip link set veth2 master br1
ip link set veth4 master br1
ip link show br1
ip link set veth2 nomaster
ip link show br1
ip link set veth4 mtu 1280
ip link show br1
ip link set veth4 mtu 9000
ip link show br1
ip link set veth4 nomaster
ip link show br1
