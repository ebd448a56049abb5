# net.ipv6.conf.all.forwarding=1 makes a router: every usable address's subnet-router
# anycast address (the prefix, host part zero) gets an anycast route in the local table,
# default's forwarding follows all's, and they go again when forwarding is turned off.
# A device's routes appear when it is ready (up, with carrier), not before.
ip netns add r
ip link add r0 netns r address 02:00:00:00:00:01 type veth peer name r1 netns r address 02:00:00:00:00:02
ip -n r addr add 2001:db8:1::1/64 dev r0
ip -n r -6 route show table local
ip -n r link set r0 up
ip -n r -6 route show table local
ip -n r link set r1 up
sleep 2
ip -n r -6 route show table local
ip netns exec r sysctl -w net.ipv6.conf.all.forwarding=1
ip netns exec r sysctl net.ipv6.conf.default.forwarding net.ipv6.conf.r0.forwarding
ip -n r -6 route show table local
ip -n r -6 route
ip -n r addr add 2001:db8:2::1/64 dev r1
sleep 2
ip -n r -6 route show table local
ip -n r addr del 2001:db8:1::1/64 dev r0
ip -n r -6 route show table local
ip netns exec r sysctl -w net.ipv6.conf.all.forwarding=0
ip netns exec r sysctl net.ipv6.conf.default.forwarding
ip -n r -6 route show table local
