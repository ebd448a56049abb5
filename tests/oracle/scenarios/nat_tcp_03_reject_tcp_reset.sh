# REJECT --reject-with tcp-reset as the clients see it: the filter table answers a SYN
# with a RST (nf_send_reset) instead of passing it on, so nc -z and curl report a refused
# connection at once, exactly as for a closed port, although a server is listening. In
# INPUT for the host's own port (nc listening on 172.18.0.1:8000 in the background), in
# FORWARD for a container's server (python3 -m http.server in c2, started before c2 has
# a default route). Without --reject-with, REJECT answers with ICMP port unreachable,
# which curl reports the same way; DROP lets curl time out (-m 0.5: 28). curl answers
# with -w '%{http_code}' and its status: its "after N ms" varies on a loaded machine. Once the rule
# is gone the page comes through. Recording aids (real kernel only) for that last fetch:
# c1's link is paced (16 kbit/s, its ACKs some 30 ms late) so the server sends headers,
# then FP. (Nagle holds the small body until shutdown adds the FIN) before they are back,
# and the server's tail loss probe is off (tcp_early_retrans=0) not to race them.
sysctl -w net.ipv6.conf.all.disable_ipv6=1
sysctl -w net.ipv6.conf.default.disable_ipv6=1
ip link set lo up
ip netns add c1
ip netns add c2
ip netns exec c1 sysctl -qw net.ipv6.conf.all.disable_ipv6=1
ip netns exec c2 sysctl -qw net.ipv6.conf.all.disable_ipv6=1
ip link add veth-c1 type veth peer name eth0 netns c1
ip link add veth-c2 type veth peer name eth0 netns c2
ip addr add 172.18.0.1/24 dev veth-c1
ip addr add 172.19.0.1/24 dev veth-c2
ip link set veth-c1 up
ip link set veth-c2 up
ip -n c1 addr add 172.18.0.2/24 dev eth0
ip -n c1 link set eth0 up
ip -n c1 link set lo up
ip -n c1 route add default via 172.18.0.1
ip -n c2 addr add 172.19.0.2/24 dev eth0
ip -n c2 link set eth0 up
ip -n c2 link set lo up
#real ip netns exec c2 sysctl -qw net.ipv4.tcp_early_retrans=0
#real mkdir -p /tmp/vethtui-www
echo hello > /tmp/vethtui-www/index.html
ip netns exec c2 python3 -m http.server 80 --directory /tmp/vethtui-www > /dev/null 2>&1 &
sleep 2
ip -n c2 route add default via 172.19.0.1
sysctl -w net.ipv4.ip_forward=1
nc -l -k 172.18.0.1 8000 > /dev/null 2>&1 &
sleep 0.5
iptables -A INPUT -p tcp --dport 8000 -j REJECT --reject-with tcp-reset
ip netns exec c1 nc -zv 172.18.0.1 8000
ip netns exec c1 nc -v -w 1 172.18.0.1 8000 < /dev/null
ip netns exec c1 curl -s -o /dev/null -w '%{http_code}\n' http://172.18.0.1:8000/
iptables -A FORWARD -p tcp --dport 80 -j REJECT --reject-with tcp-reset
ip netns exec c1 nc -zv 172.19.0.2 80
ip netns exec c1 curl -s -o /dev/null -w '%{http_code}\n' http://172.19.0.2/
iptables -R FORWARD 1 -p tcp --dport 80 -j REJECT
ip netns exec c1 curl -s -o /dev/null -w '%{http_code}\n' http://172.19.0.2/
iptables -R FORWARD 1 -p tcp --dport 80 -j DROP
ip netns exec c1 curl -s -m 0.5 -o /dev/null -w '%{http_code}\n' http://172.19.0.2/
iptables -D FORWARD 1
#real ip netns exec c1 tc qdisc add dev eth0 root handle 1: htb default 1 && ip netns exec c1 tc class add dev eth0 parent 1: classid 1:1 htb rate 16kbit burst 1 cburst 1
ip netns exec c1 curl -s -o /dev/null -w '%{http_code}\n' http://172.19.0.2/
iptables -L -v -n
