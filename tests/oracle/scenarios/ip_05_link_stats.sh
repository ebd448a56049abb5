# ip -s / -s -s counters after a known amount of traffic (accept_local setup of the
# public 03 so ping -I veth0 flows): veth0 TX counts ARP request + echo requests,
# the replies come back through lo (lo RX==TX), veth1 RX counts them, and
# "transns" (carrier transitions) is 2 for an end that got carrier once.
sysctl -w net.ipv6.conf.all.disable_ipv6=1
sysctl -w net.ipv6.conf.default.disable_ipv6=1
ip link set lo up
ip link add veth0 type veth peer name veth1
ip -s link show veth0
ip addr add 192.168.2.11/24 dev veth0
ip addr add 192.168.2.12/24 dev veth1
ip link set veth0 up
ip link set veth1 up
echo 1 > /proc/sys/net/ipv4/conf/veth1/accept_local
echo 1 > /proc/sys/net/ipv4/conf/veth0/accept_local
echo 0 > /proc/sys/net/ipv4/conf/all/rp_filter
echo 0 > /proc/sys/net/ipv4/conf/veth0/rp_filter
echo 0 > /proc/sys/net/ipv4/conf/veth1/rp_filter
ping -c 3 -i 0.2 -I veth0 192.168.2.12
ip -s link
ip -s -s link show veth0
ip -s -s link show veth1
ip -s -s link show lo
ping -c 2 -i 0.2 192.168.2.12
ip -s link show lo
ip -s link show veth0
ip link set veth1 down
ip link set veth1 up
ip -s -s link show veth0
ip -s -br link
ip -s -o link show veth1
