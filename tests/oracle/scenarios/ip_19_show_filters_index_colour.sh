# ip link add ... index N, show filters (up, type, scope), ip -n NS -6 addr, ip -c colours.
sysctl -w net.ipv6.conf.default.disable_ipv6=1
ip link set lo up
ip link add veth0 index 10 type veth peer name veth1 index 11
ip link add br0 index 10 type bridge
ip link add br0 index 20 type bridge
ip link add dummyname index 0 type bridge
ip link add br1 index abc type bridge
ip link show
ip link add vethA type veth peer name vethB
ip link add vethC index 3 type veth peer name vethD index 11
ip link add vethC index 3 type veth peer name vethD index 12
ip -br link
ip link del vethA
ip link del vethC
ip link set veth1 master br0
ip link set veth0 address 02:00:00:00:00:0a
ip link set veth1 address 02:00:00:00:00:0b
ip addr add 192.168.2.11/24 dev veth0
ip addr add 169.254.1.1/16 scope link dev veth0
ip link set veth0 up
ip link show up
ip link show type veth
ip link show type bridge
ip link show type bridge_slave
ip addr show type veth
ip addr show type bridge
ip addr show scope link
ip addr show scope global
ip addr show scope host
ip -4 addr show scope link
ip -br addr show type veth
ip -c link show
ip -c addr show
ip -c -br link
ip -c -br addr
ip -c route
ip -c neigh
ip netns add ns1
ip netns add ns2
ip link set veth1 nomaster
ip link set veth1 netns ns1
ip link set veth0 netns ns2
ip -4 addr
ip -n ns2 -4 addr
ip -n ns2 link set veth0 up
ip -n ns1 link set veth1 up
sleep 3
ip -n ns1 -6 addr
ip -n ns2 -6 addr
ip -n ns1 addr
ip -n ns2 -j -6 addr
ip -n ns1 -6 -br addr
ip -c -n ns1 link
ip -c -n ns2 -6 addr
ip -c route get 127.0.0.1 from 127.0.0.1
ip -6 addr
