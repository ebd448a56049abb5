# IPv6 errors on one link: an address nobody answers (three neighbor solicitations,
# one a second, then FAILED and "Address unreachable" from our own address), a
# destination with no route, and the neighbour table in between.
ip netns add a
ip netns add b
ip link add veth0 netns a address 02:00:00:00:00:01 type veth peer name veth1 netns b address 02:00:00:00:00:02
ip -n a link set lo up
ip -n a addr add 2001:db8::1/64 dev veth0
ip -n b addr add 2001:db8::2/64 dev veth1
ip -n a link set veth0 up
ip -n b link set veth1 up
sleep 3
ip netns exec a ping -c 4 -i 0.7 2001:db8::99
ip -n a -6 neigh
ip -n a neigh show 2001:db8::99
ip netns exec a ping -c 1 2001:db9::1
ip netns exec a ping -c 1 -I veth0 2001:db8::2
ip -n a -6 neigh
sleep 0.5 && ip netns exec a ping -c 1 -W 1 2001:db8::77 > /dev/null & ip netns exec a tcpdump -l -n -t -c 3 -i veth0 'icmp6 and ip6[40] == 135'
