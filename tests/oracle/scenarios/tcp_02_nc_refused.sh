# A TCP connection to a port where nothing listens: the SYN is answered by a RST
# (tcp_v4_send_reset: seq 0, ack ISN+1, win 0), nc -zv says "Connection refused"
# and exits 1 (quietly without -v). With a listener on the port nc -v says it
# succeeded (port 80 is "http" in /etc/services), sends its line and closes.
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
nc -zv 10.0.0.2 80
nc -z 10.0.0.2 81
ip netns exec ns1 nc -l -p 80 & sleep 0.5; echo hi | nc -Nv 10.0.0.2 80
sleep 0.5
