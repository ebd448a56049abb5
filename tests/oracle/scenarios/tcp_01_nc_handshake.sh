# nc between the lab namespace and ns1 over a veth pair: the three-way handshake
# as Linux sends it (MSS 1460, SACK permitted, timestamps, window scale 7), one
# line of data with its ACK, then the close: the client's -N shuts its write side
# after stdin's end (FIN), the server prints what it got and exits (its FIN), the
# last ACK leaves the client in TIME_WAIT. Paced with htb so the capture keeps
# every frame and the FINs go in the same order every run.
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
#real tc qdisc add dev veth0 root handle 1: htb default 1 && tc class add dev veth0 parent 1: classid 1:1 htb rate 256kbit burst 1 cburst 1
#real ip netns exec ns1 tc qdisc add dev ceth0 root handle 1: htb default 1 && ip netns exec ns1 tc class add dev ceth0 parent 1: classid 1:1 htb rate 256kbit burst 1 cburst 1
sleep 1
ip netns exec ns1 nc -l -p 1234 & sleep 0.5; echo hello | nc -N 10.0.0.2 1234 && echo client done
sleep 0.5
