# Publishing a container's port, as `docker run -p 8080:80` does: a DNAT rule in the
# nat table's PREROUTING (for packets from outside) and OUTPUT (for the host's own) sends
# port 8080 on the host to 172.18.0.2:80, where python3 -m http.server runs in container
# c1 (started before c1 has a default route, so its start-up name lookup stays inside).
# lan is a machine on the host's LAN (192.168.1.1). From lan, curl to 192.168.1.11:8080
# is refused until the rule exists, then answers 200; the host's own curl goes through
# the OUTPUT rule (rerouted to br0 after the rewrite; its segments' checksums are
# CHECKSUM_PARTIAL, and the NAT moves only their pseudo-header part). The server's
# access log names the real clients; conntrack -L (one flow each time, by its source:
# with more, the kernel's hash order decides) the reply tuple from 172.18.0.2:80;
# iptables -L -v counts one packet per connection.
# Recording aids (real kernel only): the client's link is paced (16 kbit/s: lan's eth0,
# then the host's veth-c1 for its own curl) so its ACKs come some 30 ms late and the
# server sends its headers and then FP. (Nagle holds the small body until shutdown adds
# the FIN) before they are back, the same way each run; the server's tail loss probe is
# off (tcp_early_retrans=0) since those late ACKs would otherwise race it.
sysctl -w net.ipv6.conf.all.disable_ipv6=1
sysctl -w net.ipv6.conf.default.disable_ipv6=1
ip link set lo up
ip netns add c1
ip netns add lan
ip netns exec c1 sysctl -qw net.ipv6.conf.all.disable_ipv6=1
ip netns exec lan sysctl -qw net.ipv6.conf.all.disable_ipv6=1
ip link add br0 type bridge
ip addr add 172.18.0.1/16 dev br0
ip link set br0 up
ip link add veth-c1 type veth peer name eth0 netns c1
ip link set veth-c1 master br0
ip link set veth-c1 up
ip -n c1 addr add 172.18.0.2/16 dev eth0
ip -n c1 link set eth0 up
ip -n c1 link set lo up
ip link add eth0 type veth peer name eth0 netns lan
ip addr add 192.168.1.11/24 dev eth0
ip link set eth0 up
ip -n lan addr add 192.168.1.1/24 dev eth0
ip -n lan link set eth0 up
ip -n lan link set lo up
#real ip netns exec lan tc qdisc add dev eth0 root handle 1: htb default 1 && ip netns exec lan tc class add dev eth0 parent 1: classid 1:1 htb rate 16kbit burst 1 cburst 1
#real ip netns exec c1 sysctl -qw net.ipv4.tcp_early_retrans=0
#real mkdir -p /tmp/vethtui-www
echo hello > /tmp/vethtui-www/index.html
ip netns exec c1 python3 -m http.server 80 --directory /tmp/vethtui-www > /dev/null 2> /tmp/vethtui-http.log &
sleep 2
ip -n c1 route add default via 172.18.0.1
ip netns exec lan curl -s -o /dev/null -w '%{http_code}\n' http://192.168.1.11:8080/
iptables -t nat -A PREROUTING -p tcp --dport 8080 -j DNAT --to-destination 172.18.0.2:80
iptables -t nat -A OUTPUT -p tcp --dport 8080 -j DNAT --to-destination 172.18.0.2:80
sysctl -w net.ipv4.ip_forward=1
ip netns exec lan curl -s http://192.168.1.11:8080/index.html
sleep 0.5
conntrack -L -p tcp
ip netns exec lan curl -s -o /dev/null -w '%{http_code}\n' http://192.168.1.11:8080/
sleep 0.5
#real ip netns exec lan tc qdisc del dev eth0 root
#real tc qdisc add dev veth-c1 root handle 1: htb default 1 && tc class add dev veth-c1 parent 1: classid 1:1 htb rate 16kbit burst 1 cburst 1
curl -s -o /dev/null -w '%{http_code}\n' http://192.168.1.11:8080/
sleep 0.5
conntrack -L -p tcp -s 192.168.1.11
iptables -t nat -L -v -n
cat /tmp/vethtui-http.log
