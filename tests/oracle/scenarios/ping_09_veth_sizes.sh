# Packet sizes across a veth (mtu 1500): 1472 fits, 1473 fragments, -M do refuses;
# replies come back through lo and are never fragmented.
sysctl -w net.ipv6.conf.all.disable_ipv6=1
sysctl -w net.ipv6.conf.default.disable_ipv6=1
ip link set lo up
ip link add veth0 type veth peer name veth1
ip link set veth0 address 02:00:00:00:00:0a
ip link set veth1 address 02:00:00:00:00:0b
ip addr add 192.168.2.11/24 dev veth0
ip addr add 192.168.2.12/24 dev veth1
ip link set veth0 up
ip link set veth1 up
echo 1 > /proc/sys/net/ipv4/conf/veth1/accept_local
ping -c 1 -s 1472 -I veth0 192.168.2.12
ping -c 1 -s 1473 -I veth0 192.168.2.12
ping -c 1 -s 4000 -I veth0 192.168.2.12
ping -c 1 -M do -s 1473 -I veth0 192.168.2.12
ping -c 1 -M do -s 1472 -I veth0 192.168.2.12
ping -c 1 -M dont -s 1473 -I veth0 192.168.2.12
ping -c 1 -M foo 192.168.2.12
ip link set veth0 mtu 1000
ping -c 1 -s 1000 -I veth0 192.168.2.12
ping -c 1 -s 1000 -M do -I veth0 192.168.2.12
ping -c 2 -s 0 -I veth0 192.168.2.12
