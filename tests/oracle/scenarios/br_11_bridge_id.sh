# A bridge's identity (bridge_id, in ip -d link) against its MAC: zero until a port
# lends it a MAC, or a MAC is given (at creation: br_dev_newlink; later: `ip link set
# br1 address`), both through br_stp_change_bridge_id. tso_max_size follows the ports once
# there have been any (br_set_gso_limits).
sysctl -w net.ipv6.conf.all.disable_ipv6=1
sysctl -w net.ipv6.conf.default.disable_ipv6=1
ip link set lo up
ip link add br0 address 02:00:00:00:00:b0 type bridge
ip -d link show br0
ip link add br1 type bridge
ip link set br1 address 02:00:00:00:00:b1
ip -d link show br1
ip link set br1 address 02:00:00:00:00:b1
ip link add veth1 type veth peer name veth2
ip link set veth1 address 02:00:00:00:00:01
ip link set veth1 master br0
ip -d link show br0
ip link set veth1 master br1
ip -d link show br0
ip -d link show br1
ip -d link show veth1
ip link add br2 type bridge
ip link set veth2 address 02:00:00:00:00:02
ip link set veth2 master br2
ip -d link show br2
ip link set veth2 nomaster
ip -d link show br2
