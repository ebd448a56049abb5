# ICMPv6 errors are rate limited per peer (icmpv6_xrlim_allow, inet_peer_xrlim_allow): with
# net.ipv6.icmp.ratelimit at 1000 ms, r answers hop-limit-1 pings sent every 300 ms with
# "time exceeded" while its bucket of six lasts, then one a second. (The default, 100 ms,
# limits only pings faster than the machine's scheduling keeps steady.)
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
ip netns exec r sysctl -w net.ipv6.conf.all.forwarding=1
ip netns exec r sysctl -w net.ipv6.icmp.ratelimit=1000
sleep 3
ip netns exec a ping -c 1 2001:db8:2::2
ip netns exec a ping -c 12 -i 0.3 -t 1 2001:db8:2::2
