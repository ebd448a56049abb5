# nc's listener: -v without -n asks getnameinfo for "Listening on" and "Connection
# received on", which nothing in a lab can answer for 0.0.0.0 or 10.0.0.1 (no DNS),
# so it says so and goes on; the client's -v says the connection succeeded. -k keeps
# the listener for the next connection (what it prints kept in a file), -u listens for
# datagrams. (-vn's "Connection received on 10.0.0.1 PORT" names the client's
# ephemeral port after a space, which the oracle's normaliser leaves alone: not here.)
# Paced with htb so each close happens the same way every run.
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
ip netns exec ns1 nc -ln -p 1234 & sleep 0.5; echo hello | nc -vN 10.0.0.2 1234
sleep 0.5
ip netns exec ns1 nc -lv 1235 & sleep 0.5; echo hi | nc -N 10.0.0.2 1235
sleep 0.5
ip netns exec ns1 nc -lk 1236 > /tmp/vethtui-nc-k.log 2>&1 &
sleep 0.5
echo one | nc -N 10.0.0.2 1236
sleep 0.5
echo two | nc -N 10.0.0.2 1236
sleep 0.5
cat /tmp/vethtui-nc-k.log
ip netns exec ns1 nc -ul -w 1 5000 & sleep 0.5; echo datagram | nc -u -w 1 10.0.0.2 5000
sleep 0.5
