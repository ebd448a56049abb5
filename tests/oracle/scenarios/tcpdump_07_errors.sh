# What tcpdump says, and its exit status, when the filter, an option or the
# interface is wrong: libpcap's parser errors ("can't parse filter expression:
# syntax error", "syntax error in filter expression"), its semantic errors (a bad
# address, a mask with host bits, an ether address on -i any, a filter the
# optimizer proves can never match), getopt's complaints with the usage text,
# and the device errors. Nothing here captures anything. -D lists the devices.
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
ip link add veth5 type veth peer name veth6
tcpdump -n -i veth0 arp and
tcpdump -n -i veth0 foo
tcpdump -n -i veth0 host 300.1.1.1
tcpdump -n -i veth0 net 192.168.2.1/24
tcpdump -n -i veth0 host 192.168.2.0/24
tcpdump -n -i veth0 arp and icmp
tcpdump -n -i veth0 ip proto icmp
tcpdump -n -i veth0 ether host 02:00:00:00:00
tcpdump -n -i veth0 host 02:00:00:00:00:0b
tcpdump -n -i any ether host 02:00:00:00:00:0b
tcpdump -n -i veth0 host 192.168.2.12 or 1.2.3.4.5
tcpdump -n -i veth0 arp or 192.168.2.12
tcpdump -n -i veth0 port 99999
tcpdump -n -i veth0 icmp[08] = 1
tcpdump -n -i veth0 ip[0:3] = 1
tcpdump -n -i veth0 '(arp'
tcpdump -n -i veth9
tcpdump -n -i veth5
tcpdump -n -c 0 -i veth0
tcpdump -n -c x -i veth0
tcpdump -n -Q sideways -i veth0
tcpdump -k
tcpdump --foo
tcpdump -i
tcpdump -n -tttttt -i veth0
tcpdump -n -r /tmp/vethtui-no-such-file.pcap
tcpdump -n -i veth0 -w /tmp/vethtui-no-such-dir/x.pcap
tcpdump --version
tcpdump -D
