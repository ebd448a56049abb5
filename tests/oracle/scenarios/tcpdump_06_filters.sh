# pcap filters a learner types: protocols, host/src/dst host, net, ether
# host/src/dst, and/or/not (same precedence, left to right), parentheses, a host
# list that inherits its qualifier ("host A or B"), and loads such as
# icmp[icmptype]. The filter runs in the kernel, so "packets received by filter"
# counts only what matched.
sysctl -w net.ipv6.conf.all.disable_ipv6=1
sysctl -w net.ipv6.conf.default.disable_ipv6=1
ip link set lo up
ip netns add ns1
ip netns exec ns1 sysctl -w net.ipv6.conf.all.disable_ipv6=1
ip netns exec ns1 sysctl -w net.ipv6.conf.default.disable_ipv6=1
ip link add veth0 type veth peer name veth1 netns ns1
ip link set veth0 address 02:00:00:00:00:0a
ip -n ns1 link set veth1 address 02:00:00:00:00:0b
ip addr add 192.168.2.11/24 dev veth0
ip -n ns1 addr add 192.168.2.12/24 dev veth1
ip link set veth0 up
ip -n ns1 link set veth1 up
ip -n ns1 link set lo up
sleep 0.5 && ip netns exec ns1 ping -c 1 192.168.2.11 > /dev/null & tcpdump -l -n -t -c 2 -i veth0 arp
sleep 6
sleep 0.5 && ping -c 1 192.168.2.12 > /dev/null & tcpdump -l -n -t -c 2 -i veth0 icmp
sleep 0.5 && ping -c 2 -i 0.3 192.168.2.12 > /dev/null & tcpdump -l -n -t -c 2 -i veth0 src host 192.168.2.12
sleep 0.5 && ping -c 2 -i 0.3 192.168.2.12 > /dev/null & tcpdump -l -n -t -c 2 -i veth0 dst host 192.168.2.12 and icmp
sleep 0.5 && ping -c 1 192.168.2.12 > /dev/null & tcpdump -l -n -t -c 2 -i veth0 net 192.168.2.0/24
sleep 0.5 && ping -c 2 -i 0.3 192.168.2.12 > /dev/null & tcpdump -l -n -t -c 2 -i veth0 'icmp[icmptype] == icmp-echo'
sleep 0.5 && ping -c 2 -i 0.3 192.168.2.12 > /dev/null & tcpdump -l -n -t -c 2 -i veth0 icmp[icmptype] = icmp-echoreply
ip neigh flush dev veth0
ip -n ns1 neigh flush dev veth1
sleep 0.5 && ping -c 1 192.168.2.12 > /dev/null & tcpdump -l -n -t -e -c 3 -i veth0 ether src 02:00:00:00:00:0a
ip neigh flush dev veth0
ip -n ns1 neigh flush dev veth1
sleep 0.5 && ping -c 1 192.168.2.12 > /dev/null & tcpdump -l -n -t -e -c 1 -i veth0 ether dst ff:ff:ff:ff:ff:ff
ip neigh flush dev veth0
ip -n ns1 neigh flush dev veth1
sleep 0.5 && ping -c 1 192.168.2.12 > /dev/null & tcpdump -l -n -t -c 2 -i veth0 not icmp
ip neigh flush dev veth0
ip -n ns1 neigh flush dev veth1
sleep 0.5 && ip netns exec ns1 ping -c 1 192.168.2.11 > /dev/null & tcpdump -l -n -t -c 2 -i veth0 '(arp or icmp) and src host 192.168.2.12'
ip neigh flush dev veth0
ip -n ns1 neigh flush dev veth1
sleep 0.5 && ip netns exec ns1 ping -c 1 192.168.2.11 > /dev/null & tcpdump -l -n -t -c 3 -i veth0 arp or icmp and src host 192.168.2.12
sleep 0.5 && ping -c 1 192.168.2.12 > /dev/null & tcpdump -l -n -t -c 2 -i veth0 host 192.168.2.99 or 192.168.2.12
sleep 0.5 && ping -c 1 -s 200 192.168.2.12 > /dev/null & tcpdump -l -n -t -e -c 2 -i veth0 ether host 02:00:00:00:00:0b and greater 200
sleep 0.5 && ping -c 1 192.168.2.12 > /dev/null & tcpdump -l -n -t -c 2 -i any icmp and not ether[0] = 0xff
sleep 6
