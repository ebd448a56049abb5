# ss (iproute2 6.1) over the sockets of a namespace: listeners (TCP and UDP),
# an established connection seen from both ends, a connection in TIME-WAIT on
# the side that closed first, and the filters -t -u -l -a -n (one listener per
# namespace, and the connection in TIME-WAIT listed with a state filter: the kernel
# lists its hash tables in an order that changes with every namespace). Servers run
# in the background with their output to /dev/null so each line returns at once.
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
ip netns exec ns1 ss -tln
ip netns exec ns1 nc -lk -p 2000 > /dev/null 2>&1 &
nc -l -s 10.0.0.1 -p 2001 > /dev/null 2>&1 &
ip netns exec ns1 nc -u -l -p 5000 > /dev/null 2>&1 &
sleep 0.5
ip netns exec ns1 ss -tln
ip netns exec ns1 ss -uln
ip netns exec ns1 ss -tuln
ss -ln -t
nc 10.0.0.2 2000 > /dev/null 2>&1 &
sleep 0.5
ss -tn
ip netns exec ns1 ss -tn
ip netns exec ns1 ss -tan
ip netns exec ns1 nc -l -p 1234 & sleep 0.5; echo hello | nc -N 10.0.0.2 1234
ss -tan state time-wait
ss -tn
ss -t
ss -t state time-wait
ss -tn state established
ip netns exec ns1 ss -a -n -t -u
sleep 0.5
