# UDP with nc -u: a datagram to a port with no socket draws an ICMP port
# unreachable (icmp_send from __udp4_lib_rcv); a datagram to a listener is printed
# by it. A connected UDP socket learns of the ICMP error on its next send
# (ECONNREFUSED), which nc -u reports only when it writes again.
sysctl -w net.ipv6.conf.all.disable_ipv6=1
sysctl -w net.ipv6.conf.default.disable_ipv6=1
ip link set lo up
ip netns add ns1
ip netns exec ns1 sysctl -w net.ipv6.conf.all.disable_ipv6=1
ip netns exec ns1 sysctl -w net.ipv6.conf.default.disable_ipv6=1
ip link add veth0 type veth peer name ceth0
ip link set ceth0 netns ns1
ip addr add 10.0.0.1/24 dev veth0
ip -n ns1 addr add 10.0.0.2/24 dev ceth0
ip link set veth0 up
ip -n ns1 link set lo up
ip -n ns1 link set ceth0 up
sleep 1
echo ping | nc -u -w 1 10.0.0.2 5000 && echo sent
nc -zuv 10.0.0.2 5000
ip netns exec ns1 nc -u -l -p 5000 -w 2 & sleep 0.5; echo hello | nc -u -w 1 10.0.0.2 5000 && echo sent
sleep 0.5
