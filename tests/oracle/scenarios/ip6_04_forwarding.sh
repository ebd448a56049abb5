# IPv6 forwarding between namespaces: a - r - b, r forwards once
# net.ipv6.conf.all.forwarding=1. Before that r drops what is not for it (no error);
# after it, the hop limit is decremented, -t 1 gets "Time exceeded: Hop limit", and a
# smaller MTU on r's far link gets "Packet too big" back to the sender. The captures of
# the errors are without -v: the kernel's automatic flow label (a hash seeded at boot)
# would be in them.
ip netns add a
ip netns add r
ip netns add b
ip link add veth0 netns a type veth peer name r0 netns r
ip link add veth1 netns b type veth peer name r1 netns r
ip -n a addr add 2001:db8:1::2/64 dev veth0
ip -n r addr add 2001:db8:1::1/64 dev r0
ip -n r addr add 2001:db8:2::1/64 dev r1
ip -n b addr add 2001:db8:2::2/64 dev veth1
ip -n a link set veth0 up
ip -n r link set r0 up
ip -n r link set r1 up
ip -n b link set veth1 up
ip -n a -6 route add default via 2001:db8:1::1
ip -n b -6 route add default via 2001:db8:2::1
sleep 3
ip netns exec a ping -c 1 -W 1 2001:db8:2::2
ip netns exec r sysctl -w net.ipv6.conf.all.forwarding=1
ip netns exec a ping -c 2 -i 0.3 2001:db8:2::2
ip netns exec a ping -c 1 -t 1 2001:db8:2::2
ip netns exec a ping -c 1 -t 2 2001:db8:2::2
ip netns exec a ping -c 1 2001:db8:2::1
ip netns exec a ping -c 1 -W 1 2001:db8:3::1
ip -n r link set r1 mtu 1280
ip netns exec a ping -c 2 -i 0.3 -s 1400 2001:db8:2::2
ip netns exec a ping -c 1 -s 1400 -M do 2001:db8:2::2
ip netns exec a ping -c 1 -s 1400 2001:db8:2::2
sleep 0.5 && ip netns exec a ping -c 1 -t 1 2001:db8:2::2 > /dev/null & ip netns exec a tcpdump -l -n -t -c 1 -i veth0 'icmp6 and ip6[40] == 3'
sleep 0.5 && ip netns exec a ping -c 1 -W 1 2001:db8:3::1 > /dev/null & ip netns exec a tcpdump -l -n -t -c 1 -i veth0 'icmp6 and ip6[40] == 1'
sleep 0.5 && ip netns exec a ping -c 1 -W 1 -s 1400 2001:db8:2::3 > /dev/null & ip netns exec a tcpdump -l -n -t -c 1 -i veth0 'icmp6 and ip6[40] == 2'
