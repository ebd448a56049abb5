# Fragments across an MTU mismatch: veth0 (1500) fragments a 3028-byte echo request to
# its own MTU; the first 1514-byte fragment is too big for veth1 (1280) and is dropped
# there, ip_do_fragment stops at that error and the rest are never sent (only the first
# fragment reaches the capture; one drop counted per attempt). Smaller fragments pass.
sysctl -w net.ipv6.conf.default.disable_ipv6=1
ip link set lo up
ip netns add b
ip netns exec b sysctl -w net.ipv6.conf.default.disable_ipv6=1
ip link add veth0 type veth peer name veth1 netns b
ip addr add 10.0.0.1/24 dev veth0
ip link set veth0 up
ip -n b addr add 10.0.0.2/24 dev veth1
ip -n b link set veth1 mtu 1280
ip -n b link set veth1 up
ping -c 1 10.0.0.2
ping -c 1 -W 1 -s 3000 10.0.0.2
ip -s link show veth0
ip -n b -s link show veth1
ip link set veth0 mtu 1280
ping -c 1 -s 3000 10.0.0.2
ip -s link show veth0
ip -n b -s link show veth1
ip -n b link set veth1 mtu 1200
ping -c 2 -W 1 -s 1000 -M dont 10.0.0.2
ip -s link show veth0
