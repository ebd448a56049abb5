# With lo down the local table loses its 127/8 entries; an address on an up veth still
# has a local route but the packet must go through lo.
sysctl -w net.ipv6.conf.all.disable_ipv6=1
sysctl -w net.ipv6.conf.default.disable_ipv6=1
ip link set lo up
ip link add veth0 type veth peer name veth1
ip addr add 192.168.2.11/24 dev veth0
ip link set veth0 up
ip link set veth1 up
ip link set lo down
ip route show table local
ip route get 127.0.0.1
ping -c 1 127.0.0.1
ping -c 1 -W 1 192.168.2.11
ping -c 1 0.0.0.0
ip link set lo up
ip route show table local
ping -c 1 127.0.0.1
