# ip link set mtu / address: veth accepts MTU 68..65535; the errors come from the
# kernel's extack ("Error: mtu ...") or from ip's own parser (exit 255 / 1).
# The MAC must be unicast and non-zero; MTU is per end (the peer keeps 1500).
sysctl -w net.ipv6.conf.all.disable_ipv6=1
sysctl -w net.ipv6.conf.default.disable_ipv6=1
ip link set lo up
ip link add veth0 type veth peer name veth1
ip link set veth0 mtu 65536
ip link set veth0 mtu 65535
ip link set veth0 mtu 67
ip link set veth0 mtu 68
ip link set veth0 mtu abc
ip link set veth0 mtu -1
ip link set veth0 mtu 9000
ip link show
ip link set lo mtu 1400
ip link show lo
ip link set veth0 address 02:00:00:00:00:01
ip link set veth1 address 02:00:00:00:00:02
ip link set veth0 address 02:00:00:00:00:zz
ip link set veth0 address 01:00:00:00:00:01
ip link set veth0 address 00:00:00:00:00:00
ip link set veth0 address 02:00:00:00:01
ip link set veth0 address 02:00:00:00:00:01:02
ip link set veth0 address 2:0:0:0:0:3
ip link set veth9 mtu 1500
ip link show
ip link set veth0 up
ip link set veth0 mtu 1400 address 02:00:00:00:00:11
ip -br link
ip -d link show veth0
ip link set veth0 mtu
ip link set veth0 address
ip link set veth0
ip link set
