# tcpdump -w writes a pcap file (EN10MB for a device, LINUX_SLL2 for -i any; no
# packet lines, and "tcpdump: listening on ..." since -w implies no "verbose
# output suppressed" line); tcpdump -r reads it back with any of the printing
# options and a filter ("reading from file ..., snapshot length 262144" first; for
# SLL2 "Warning: interface names might be incorrect": the names are looked up
# again in the reader's namespace). No counters when reading a file.
sysctl -w net.ipv6.conf.all.disable_ipv6=1
sysctl -w net.ipv6.conf.default.disable_ipv6=1
ip link set lo up
ip netns add ns1
ip netns add ns2
ip netns exec ns1 sysctl -w net.ipv6.conf.all.disable_ipv6=1
ip netns exec ns1 sysctl -w net.ipv6.conf.default.disable_ipv6=1
ip netns exec ns2 sysctl -w net.ipv6.conf.all.disable_ipv6=1
ip netns exec ns2 sysctl -w net.ipv6.conf.default.disable_ipv6=1
ip link add veth1 type veth peer name eth0 netns ns1
ip link add veth2 type veth peer name eth0 netns ns2
ip link set veth1 address 02:00:00:00:01:01
ip link set veth2 address 02:00:00:00:02:01
ip -n ns1 link set eth0 address 02:00:00:00:01:02
ip -n ns2 link set eth0 address 02:00:00:00:02:02
ip addr add 192.168.1.1/24 dev veth1
ip addr add 192.168.2.1/24 dev veth2
ip link set veth1 up
ip link set veth2 up
ip -n ns1 addr add 192.168.1.2/24 dev eth0
ip -n ns2 addr add 192.168.2.2/24 dev eth0
ip -n ns1 link set eth0 up
ip -n ns2 link set eth0 up
ip -n ns1 route add default via 192.168.1.1
ip -n ns2 route add default via 192.168.2.1
sysctl -w net.ipv4.ip_forward=1
# Warm up every neighbour entry, then let the 5 s DELAY probes happen, so that
# the captures below see only the traffic they ask for.
ip netns exec ns1 ping -c 1 192.168.2.2
sleep 6
sleep 0.5 && ip netns exec ns1 ping -c 1 192.168.2.2 > /dev/null & tcpdump -n -w /tmp/vethtui-tcpdump-09-veth1.pcap -c 2 -i veth1
tcpdump -n -t -r /tmp/vethtui-tcpdump-09-veth1.pcap
tcpdump -n -t -e -r /tmp/vethtui-tcpdump-09-veth1.pcap
tcpdump -n -t -v -r /tmp/vethtui-tcpdump-09-veth1.pcap
tcpdump -n -t -c 1 -r /tmp/vethtui-tcpdump-09-veth1.pcap
tcpdump -n -t -r /tmp/vethtui-tcpdump-09-veth1.pcap icmp[icmptype] == icmp-echoreply
tcpdump -n -r /tmp/vethtui-tcpdump-09-veth1.pcap --count
tcpdump -n -t -r /tmp/vethtui-tcpdump-09-veth1.pcap inbound
tcpdump -n -t -r /tmp/vethtui-tcpdump-09-veth1.pcap arp and
sleep 0.5 && ip netns exec ns1 ping -c 1 192.168.2.2 > /dev/null & tcpdump -n -w /tmp/vethtui-tcpdump-09-any.pcap -c 4 -i any
tcpdump -n -t -r /tmp/vethtui-tcpdump-09-any.pcap
tcpdump -n -t -e -r /tmp/vethtui-tcpdump-09-any.pcap
tcpdump -n -t -r /tmp/vethtui-tcpdump-09-any.pcap inbound
tcpdump -n -t -r /tmp/vethtui-tcpdump-09-any.pcap src host 192.168.1.2 and ifindex 3
tcpdump -n -t -r /tmp/vethtui-tcpdump-09-any.pcap -w /tmp/vethtui-tcpdump-09-copy.pcap icmp[icmptype] == icmp-echo
tcpdump -n -t -r /tmp/vethtui-tcpdump-09-copy.pcap
echo hello > /tmp/vethtui-tcpdump-09-not-a-pcap
tcpdump -n -r /tmp/vethtui-tcpdump-09-not-a-pcap
