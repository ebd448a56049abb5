# IPv6 fragments only at the source: a 2048-byte echo request leaves veth0 (MTU 1500)
# as two fragments (a fragment header, offsets in 8-byte units), the reply comes back the
# same way; -M do refuses what exceeds the path MTU with a local error; a peer whose MTU
# is smaller drops the first fragment (__dev_forward_skb2) and sendmsg sees ENOBUFS.
ip netns add a
ip netns add b
ip link add veth0 netns a address 02:00:00:00:00:01 type veth peer name veth1 netns b address 02:00:00:00:00:02
ip -n a addr add 2001:db8::1/64 dev veth0
ip -n b addr add 2001:db8::2/64 dev veth1
ip -n a link set veth0 up
ip -n b link set veth1 up
sleep 3
ip netns exec a ping -c 1 2001:db8::2
sleep 0.5 && ip netns exec a ping -c 1 -s 2000 2001:db8::2 > /dev/null & ip netns exec a tcpdump -l -n -t -c 4 -i veth0 'ip6[6] == 44'
ip netns exec a ping -c 2 -i 0.3 -s 3000 2001:db8::2
ip netns exec a ping -c 1 -s 2000 -M do 2001:db8::2
ip -n b link set veth1 mtu 1280
ip netns exec a ping -c 1 -W 1 -s 1300 2001:db8::2
