# Two namespaces joined by a veth pair, each end with a global IPv6 address. After DAD
# (sleep 3), ping -6 resolves the peer with a neighbor solicitation to its solicited-node
# group, the peer answers with a neighbor advertisement (solicited, override) and keeps
# the asker as STALE; the echo request and reply follow. Link-local targets need the
# zone (%veth0). The captures are tcpdump's inside the namespaces, filtered to neighbor
# discovery and echo so the MLD reports and router solicitations stay out.
ip netns add a
ip netns add b
ip link add veth0 netns a address 02:00:00:00:00:01 type veth peer name veth1 netns b address 02:00:00:00:00:02
ip -n a link set lo up
ip -n b link set lo up
ip -n a addr add 2001:db8::1/64 dev veth0
ip -n b addr add 2001:db8::2/64 dev veth1
ip -n a link set veth0 up
ip -n b link set veth1 up
sleep 3
ip -n a -6 addr
ip -n a -6 route
ip -n a -6 route show table local
ip -n a -6 neigh
sleep 0.5 && ip netns exec a ping -6 -c 1 2001:db8::2 > /dev/null & ip netns exec a tcpdump -l -n -t -c 4 -i veth0 'icmp6 and (ip6[40] == 128 or ip6[40] == 129 or ip6[40] == 135 or ip6[40] == 136)'
ip -n a -6 neigh
ip -n b -6 neigh
ip -n a neigh show 2001:db8::2
ip -n b neigh show dev veth1
ip netns exec a ping -6 -c 2 -i 0.3 2001:db8::2
ip netns exec a ping6 -c 1 2001:db8::2
ip netns exec a ping -c 1 2001:db8::2
ip netns exec a ping -c 1 -s 1200 2001:db8::2
sleep 0.5 && ip netns exec b ping -c 1 fe80::ff:fe00:1%veth1 > /dev/null & ip netns exec b tcpdump -l -n -t -v -c 2 -i veth1 'icmp6 and (ip6[40] == 135 or ip6[40] == 136)'
ip netns exec b ping -c 1 fe80::ff:fe00:1%veth1
ip netns exec b ping -c 1 -I veth1 fe80::ff:fe00:1
ip netns exec b ping -c 1 fe80::ff:fe00:1
ip -n b -6 neigh
ip -n b -6 route get 2001:db8::1
ip -n b -6 route get fe80::ff:fe00:1
