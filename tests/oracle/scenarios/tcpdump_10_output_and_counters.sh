# Where tcpdump's lines land among other programs' output. Without -l, stdout is a
# pipe and block-buffered, so the packets appear when tcpdump exits (after a
# background ping's lines); with -l each packet line appears as soon as tcpdump
# gets it, a block of packets at a time (every 100 ms with -l, every 1 s
# without): so a -c 2 capture of a 4-packet burst stops after 2 and "received by
# filter" says 4. -q shortens the -e header; -# numbers the packets.
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
ping -c 1 192.168.2.12
sleep 6
sleep 0.5 && ping -c 2 -i 0.2 192.168.2.12 > /dev/null & tcpdump -n -t -c 2 -i veth0
tcpdump -n -t -c 4 -i veth0 & sleep 0.5 && ping -c 2 -i 0.3 192.168.2.12
tcpdump -l -n -t -c 4 -i veth0 & sleep 0.5 && ping -c 2 -i 0.3 192.168.2.12
sleep 0.5 && ping -c 1 192.168.2.12 > /dev/null & tcpdump -l -n -t -q -e -c 2 -i veth0
sleep 0.5 && ping -c 2 -i 0.3 192.168.2.12 > /dev/null & tcpdump -l -n -t -# -c 4 -i veth0
sleep 0.5 && ping -c 1 192.168.2.12 > /dev/null & tcpdump -l -t -c 2 -i veth0
sleep 0.5 && ping -c 1 127.0.0.1 > /dev/null & tcpdump -l -t -c 2 -i lo
