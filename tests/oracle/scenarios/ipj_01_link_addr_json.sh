# ip -j / -p for link and address: iproute2 6.1's keys, order and types, from the
# state the commands made (veth pair, a bridge port, a peer in another namespace).
sysctl -w net.ipv6.conf.all.disable_ipv6=1
sysctl -w net.ipv6.conf.default.disable_ipv6=1
ip -j link show
ip -j -p link show
ip -j addr
ip link set lo up
ip link add veth0 type veth peer name veth1
ip link add br0 type bridge
ip link set veth1 master br0
ip addr add 192.168.2.11/24 dev veth0
ip addr add 192.168.2.12/24 dev veth0
ip addr add 10.0.0.1 peer 10.0.0.2/32 dev veth0
ip link set veth0 up
ip -j link show
ip -j -p link show veth0
ip -json -pretty link show type bridge
ip -j link show type veth
ip -j link show up
ip -j addr show up
ip -j -br link show up
ip -j addr show
ip -j -p addr show dev veth0
ip -j -4 addr
ip -j -br link
ip -j -br addr
ip -j -p -br addr show dev veth0
ping -c 2 -i 0.2 127.0.0.1
ip -j -s link show lo
ip -j -s -s link show lo
ip -j -p -s link show lo
ip link set veth1 nomaster
ip link set veth1 up
ip netns add ns1
ip link set veth1 netns ns1
ip -j link show veth0
ip -j -p addr show veth0
ip -n ns1 -j link
ip -j netns
ip -j link show dev nosuch
