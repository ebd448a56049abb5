# Rules in the sender's own OUTPUT chain (ns1's, so that the errors it makes for itself
# stay out of the capture). A dropped probe fails its sendmsg with EPERM, but ping stays
# silent (nothing on its error queue); a REJECTed one queues the ICMP error at once (the
# local error goes through lo before sendmsg returns), so ping prints the error and then
# "sendmsg: Operation not permitted". Packets to lo are filtered by -o lo.
sysctl -w net.ipv6.conf.all.disable_ipv6=1
sysctl -w net.ipv6.conf.default.disable_ipv6=1
ip link set lo up
ip netns add ns1
ip netns exec ns1 sysctl -qw net.ipv6.conf.all.disable_ipv6=1
ip link add veth0 type veth peer name eth0 netns ns1
ip addr add 10.0.0.1/24 dev veth0
ip link set veth0 up
ip -n ns1 addr add 10.0.0.2/24 dev eth0
ip -n ns1 link set eth0 up
ip -n ns1 link set lo up
ip netns exec ns1 ping -c 1 10.0.0.1
ip netns exec ns1 iptables -A OUTPUT -d 10.0.0.1 -j DROP
ip netns exec ns1 ping -c 2 -W 1 10.0.0.1
ip netns exec ns1 iptables -R OUTPUT 1 -d 10.0.0.1 -j REJECT
ip netns exec ns1 ping -c 2 10.0.0.1
ip netns exec ns1 iptables -R OUTPUT 1 -d 10.0.0.1 -p icmp -j REJECT --reject-with icmp-admin-prohibited
ip netns exec ns1 ping -c 1 10.0.0.1
ip netns exec ns1 iptables -A OUTPUT -o lo -j DROP
ip netns exec ns1 ping -c 2 -W 1 127.0.0.1
ip netns exec ns1 iptables -L OUTPUT -v -n
ip netns exec ns1 iptables -F OUTPUT
ip netns exec ns1 ping -c 1 10.0.0.1
