# Hex dumps of ARP frames (deterministic bytes: the MACs are pinned): -x and -X
# start at the network layer, -xx and -XX include the link-level header; -X adds
# the ASCII column (only printable characters other than space). Each line is
# "<tab>0x0010:  " and 16 bytes in groups of 2. On -i any the link-level header is
# the 20-byte SLL2 header (ethertype, ifindex, ARPHRD type, packet type, address).
sysctl -w net.ipv6.conf.all.disable_ipv6=1
sysctl -w net.ipv6.conf.default.disable_ipv6=1
ip link set lo up
ip netns add ns1
ip netns exec ns1 sysctl -w net.ipv6.conf.all.disable_ipv6=1
ip netns exec ns1 sysctl -w net.ipv6.conf.default.disable_ipv6=1
ip link add veth0 type veth peer name veth1 netns ns1
ip link set veth0 address 02:00:00:00:00:0a
ip -n ns1 link set veth1 address 02:00:00:00:00:0b
ip addr add 192.168.2.11/24 dev veth0
ip -n ns1 addr add 192.168.2.12/24 dev veth1
ip link set veth0 up
ip -n ns1 link set veth1 up
ip -n ns1 link set lo up
sleep 0.5 && ping -c 1 192.168.2.12 > /dev/null & tcpdump -l -n -t -x -c 2 -i veth0 arp
ip neigh flush dev veth0
ip -n ns1 neigh flush dev veth1
sleep 0.5 && ping -c 1 192.168.2.12 > /dev/null & tcpdump -l -n -t -xx -c 2 -i veth0 arp
ip neigh flush dev veth0
ip -n ns1 neigh flush dev veth1
sleep 0.5 && ping -c 1 192.168.2.12 > /dev/null & tcpdump -l -n -t -X -c 2 -i veth0 arp
ip neigh flush dev veth0
ip -n ns1 neigh flush dev veth1
sleep 0.5 && ip netns exec ns1 ping -c 1 192.168.2.11 > /dev/null & tcpdump -l -n -t -XX -c 2 -i veth0 arp
ip neigh flush dev veth0
ip -n ns1 neigh flush dev veth1
sleep 0.5 && ping -c 1 192.168.2.12 > /dev/null & tcpdump -l -n -t -e -XX -c 2 -i any arp
ip neigh flush dev veth0
ip -n ns1 neigh flush dev veth1
sleep 0.5 && ping -c 1 192.168.2.12 > /dev/null & tcpdump -l -n -t -X -c 2 -i any arp
ip neigh flush dev veth0
ip -n ns1 neigh flush dev veth1
