# ping to the all-nodes group on a link: every node answers from its link-local address,
# this host too (its own copy loops back; the peer's answer to the same request is a
# duplicate that ping counts without "DUP!" for a group); without a zone the first
# device with a multicast route is used. icmp echo_ignore_multicast silences a node.
ip netns add a
ip netns add b
ip link add veth0 netns a address 02:00:00:00:00:01 type veth peer name veth1 netns b address 02:00:00:00:00:02
ip -n a link set lo up
ip -n a link set veth0 up
ip -n b link set veth1 up
sleep 3
ip netns exec a ping -c 2 -i 0.5 ff02::1%veth0
ip netns exec a ping -c 1 -I veth0 ff02::1
ip netns exec a ping -c 1 -W 1 ff02::1
sleep 0.5 && ip netns exec a ping -c 1 ff02::1%veth0 > /dev/null & ip netns exec a tcpdump -l -n -t -c 2 -i veth0 'icmp6 and (ip6[40] == 128 or ip6[40] == 129)'
ip netns exec b sysctl -w net.ipv6.icmp.echo_ignore_multicast=1
ip netns exec a ping -c 2 -i 0.5 ff02::1%veth0
sleep 6
ip -n a -6 neigh
