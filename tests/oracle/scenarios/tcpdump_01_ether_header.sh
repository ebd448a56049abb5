# tcpdump -e on a veth: each line starts with the Ethernet header (source MAC >
# destination MAC, ethertype, frame length) and the protocol name moves into it
# ("ethertype ARP (0x0806), length 42: Request who-has ..."). The traffic runs in
# the background after a short sleep, so tcpdump is listening first; -c makes
# it stop; -t drops the timestamps; -l makes stdout line-buffered (the order in
# the merged output is the same either way: packets, then the three counters).
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
sleep 0.5 && ping -c 1 192.168.2.12 > /dev/null & tcpdump -l -n -t -e -c 4 -i veth0
# Without -l (stdout is a pipe, so block-buffered): the same text, the same order.
sleep 0.5 && ip netns exec ns1 ping -c 1 192.168.2.11 > /dev/null & tcpdump -n -t -e -c 2 -i veth0
# A filter and -e together; ARP from the other side, after the cache is emptied.
ip neigh flush dev veth0
ip -n ns1 neigh flush dev veth1
sleep 0.5 && ip netns exec ns1 ping -c 1 192.168.2.11 > /dev/null & tcpdump -l -n -t -e -c 2 -i veth0 arp
tcpdump -n -t -e -c 1 -i veth0 arp and ether src 02:00:00:00:00:0b & sleep 0.5 && ip -n ns1 neigh flush dev veth1 && ip netns exec ns1 ping -c 1 192.168.2.11
# The replies above went out on STALE entries: 5 s later each side sends a unicast
# ARP probe. Wait for them, so that the run does not end in the middle.
sleep 6
