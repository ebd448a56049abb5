# -v and -vv: the IPv4 header in parentheses, then the packet on a second line
# indented by 4 spaces; ARP names its hardware and protocol types. The IP id
# changes from run to run (the comparison masks "id N"). -vv prints nothing more
# for ARP and ICMP echo. -v with -e, and on -i any.
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
sleep 0.5 && ping -c 1 192.168.2.12 > /dev/null & tcpdump -l -n -t -v -c 4 -i veth0
sleep 0.5 && ping -c 1 192.168.2.12 > /dev/null & tcpdump -l -n -t -vv -c 2 -i veth0
ip neigh flush dev veth0
ip -n ns1 neigh flush dev veth1
sleep 0.5 && ping -c 1 192.168.2.12 > /dev/null & tcpdump -l -n -t -v -e -c 4 -i veth0
ip neigh flush dev veth0
ip -n ns1 neigh flush dev veth1
sleep 0.5 && ip netns exec ns1 ping -c 1 192.168.2.11 > /dev/null & tcpdump -l -n -t -vv -e -c 4 -i any
sleep 6
