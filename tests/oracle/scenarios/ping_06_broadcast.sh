# Broadcast destinations: refused without -b, then icmp_echo_ignore_broadcasts decides.
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
ping -c 1 192.168.2.255
ping -c 1 255.255.255.255
cat /proc/sys/net/ipv4/icmp_echo_ignore_broadcasts
ping -b -c 2 -W 1 192.168.2.255
echo 0 > /proc/sys/net/ipv4/icmp_echo_ignore_broadcasts
ping -b -c 2 192.168.2.255
ping -b -c 1 -I veth1 192.168.2.255
