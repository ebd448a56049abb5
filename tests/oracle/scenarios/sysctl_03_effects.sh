# Sysctls a lab can see act: icmp_echo_ignore_all, igmp_link_local_mcast_reports (a
# bridge's IGMP report for 224.0.0.106 is link-local), enhanced_dad (the DAD probe's nonce:
# an NS of 24 bytes without it, 32 with it).
sysctl -w net.ipv6.conf.all.disable_ipv6=1
sysctl -w net.ipv6.conf.default.disable_ipv6=1
ip link set lo up
sysctl -w net.ipv4.icmp_echo_ignore_all=1
ping -c 1 -W 1 127.0.0.1
sysctl -w net.ipv4.icmp_echo_ignore_all=0
ping -c 1 -W 1 127.0.0.1
sysctl -w net.ipv4.igmp_link_local_mcast_reports=0
ip link add br0 type bridge
ip link set br0 up
sleep 2
sysctl -w net.ipv4.igmp_link_local_mcast_reports=1
ip link add br1 type bridge
ip link set br1 up
sleep 2
ip netns add ns1
ip netns add ns2
ip link add veth0 address 02:00:00:00:00:0a netns ns2 type veth peer name veth1 address 02:00:00:00:00:0b netns ns1
ip netns exec ns2 sysctl -w net.ipv6.conf.veth0.enhanced_dad=0
ip netns exec ns2 sysctl -w net.ipv6.conf.all.enhanced_dad=0
ip netns exec ns1 sysctl -w net.ipv6.conf.veth1.disable_ipv6=1
ip -n ns1 link set veth1 up
ip netns exec ns1 tcpdump -i veth1 -t -n -l -c 1 'ip6[40] == 135' > ns.txt 2>/dev/null &
sleep 1
ip -n ns2 link set veth0 up
sleep 3
cat ns.txt
ip netns exec ns2 sysctl -w net.ipv6.conf.veth0.enhanced_dad=1
ip netns exec ns1 tcpdump -i veth1 -t -n -l -c 1 'ip6[40] == 135' > ns.txt 2>/dev/null &
sleep 1
ip -n ns2 addr add 2001:db8::1/64 dev veth0
sleep 3
cat ns.txt
