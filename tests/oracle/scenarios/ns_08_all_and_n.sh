# Working in several namespaces at once: `ip -n NAME` and `ip netns exec NAME` for one,
# `ip -all netns exec` for every one (a "netns: NAME" header each, in `ip netns list`
# order), `ip -all netns delete`. A pair created straight into two namespaces.
sysctl -w net.ipv6.conf.all.disable_ipv6=1
sysctl -w net.ipv6.conf.default.disable_ipv6=1
ip link set lo up
ip netns add red
ip netns add blue
ip netns list
ip -all netns exec sysctl -w net.ipv6.conf.all.disable_ipv6=1
ip -all netns exec sysctl -w net.ipv6.conf.default.disable_ipv6=1
ip link add vred netns red type veth peer name vblue netns blue
ip -br link
ip -all netns exec ip -br link
ip -n red addr add 10.7.0.1/24 dev vred
ip -n blue addr add 10.7.0.2/24 dev vblue
ip -all netns exec ip link set lo up
ip -n red link set vred up
ip -n blue link set vblue up
sleep 1.2
ip -all netns exec ip -br addr
ip netns exec red ping -c 2 10.7.0.2
ip -n blue neigh
ip -all netns exec ip route
ip -all netns exec false
ip -all netns exec
ip -all netns exec nosuchcmd
ip -n red -n blue link
ip -all netns list
ip netns exec red ip -all netns exec ip -br link
ip -all netns delete
sleep 0.5
ip netns list
ip -br link
ip -all netns exec ip link
