# A veth pair whose ends have different MTUs: veth0 (9000) sends what veth1 (1500)
# cannot take. veth_xmit hands the frame to __dev_forward_skb, whose is_skb_forwardable
# refuses it: rx dropped on veth1, tx dropped on veth0, and dev_queue_xmit's NET_XMIT_DROP
# reaches ping's sendmsg as ENOBUFS. iputils retries an ENOBUFS send each interval until
# the linger time (-W) is used up, then prints the error and counts the packet as sent.
# IPv6 is off in both namespaces so the capture holds only this traffic.
sysctl -w net.ipv6.conf.default.disable_ipv6=1
ip link set lo up
ip netns add b
ip netns exec b sysctl -w net.ipv6.conf.default.disable_ipv6=1
ip link add veth0 type veth peer name veth1 netns b
ip link set veth0 mtu 9000
ip addr add 10.0.0.1/24 dev veth0
ip link set veth0 up
ip -n b addr add 10.0.0.2/24 dev veth1
ip -n b link set veth1 up
ping -c 2 -i 0.2 10.0.0.2
ping -c 2 -W 2 -s 2000 10.0.0.2
ip -s link show veth0
ip -n b -s link show veth1
ping -c 1 -W 1 -s 1473 -M do 10.0.0.2
ping -c 1 -s 1472 -M do 10.0.0.2
ping -c 2 -i 0.4 -W 1 -s 1600 10.0.0.2
ip -s link show veth0
ip -n b -s link show veth1
