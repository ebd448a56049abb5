# A router (net.ipv6.conf.all.forwarding=1) keeps the router solicitation's sender as a
# STALE neighbour (ndisc_recv_rs); the host sent it when its link-local address passed DAD.
ip netns add a
ip netns add r
ip link add veth0 netns a address 02:00:00:00:00:01 type veth peer name r0 netns r address 02:00:00:00:00:02
ip netns exec r sysctl -w net.ipv6.conf.all.forwarding=1
ip -n a link set veth0 up
ip -n r link set r0 up
sleep 3
ip -n r -6 neigh
ip -n a -6 neigh
