# -I with a device name (SO_BINDTODEVICE) against -I with an address (bind only):
# the headers differ, and only the unbound socket hears the ICMP error sent through lo.
sysctl -w net.ipv6.conf.all.disable_ipv6=1
sysctl -w net.ipv6.conf.default.disable_ipv6=1
ip link set lo up
ip link add veth0 type veth peer name veth1
ip link set veth0 address 02:00:00:00:00:0a
ip link set veth1 address 02:00:00:00:00:0b
ip addr add 192.168.2.11/24 dev veth0
ip link set veth0 up
ip link set veth1 up
ping -c 1 -I veth0 192.168.2.11
ping -c 1 -I 192.168.2.11 192.168.2.11
ping -c 1 -W 1 -I lo 192.168.2.11
ping -c 1 -I 127.0.0.1 192.168.2.11
ping -c 1 -I 192.168.2.11 127.0.0.1
ping -c 1 -I lo 127.0.0.1
ping -c 1 -W 4 -I veth1 127.0.0.1
ip neigh show dev veth1
ping -c 1 -I 192.168.2.11 192.168.2.50
ip neigh show 192.168.2.50
ping -q -c 2 -I 192.168.2.11 192.168.2.53
ping -c 1 -W 1 -I veth0 192.168.2.51
ip neigh show 192.168.2.51
sleep 3
ip neigh show 192.168.2.51
ping -c 1 -W 4 -I veth1 192.168.2.52
ip neigh show 192.168.2.52
