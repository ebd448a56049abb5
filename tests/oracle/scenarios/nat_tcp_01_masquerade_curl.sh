# A container on a bridge fetches a page from a web server on "the internet" through
# the host's MASQUERADE, as Docker does it. The scenario's namespace is the host: br0
# (172.18.0.1/16) with container c1's veth, and eth0 (192.168.1.11/24) towards the LAN
# gateway gw (192.168.1.1), which forwards to inet, the namespace holding 8.8.8.8 and
# the web server 93.184.216.34 (python3 -m http.server, started before inet has a
# default route so its start-up name lookup stays inside). Without ip_forward curl's
# SYN is dropped by the host (curl -m 0.5 gives up: 28); with forwarding but no NAT it
# leaves eth0 from 172.18.0.2 and no answer comes back; with MASQUERADE it leaves from
# 192.168.1.11 (the server's access log names that address), the NAT rewrites ports
# and checksums both ways, and conntrack -L shows the flow in TIME_WAIT, ASSURED, with
# its reply tuple towards 192.168.1.11 (listed after one fetch: with two, the kernel's
# hash order would decide which comes first). The forwarded TCP segments carry their
# sender's dst_pending_confirm, so gw and the host confirm their neighbours and never
# probe them (as they do for forwarded pings).
# Recording aids (real kernel only): c1's link is paced (16 kbit/s, its ACKs some 30 ms
# late) so the server sends its headers and then, Nagle holding the small body until
# shutdown adds the FIN, FP. before curl's ACK is back, the same way each run; the
# server's tail loss probe is off (tcp_early_retrans=0) since those late ACKs would
# otherwise race it and resend the FIN now and then.
sysctl -w net.ipv6.conf.all.disable_ipv6=1
sysctl -w net.ipv6.conf.default.disable_ipv6=1
ip link set lo up
ip netns add c1
ip netns add gw
ip netns add inet
ip netns exec c1 sysctl -qw net.ipv6.conf.all.disable_ipv6=1
ip netns exec gw sysctl -qw net.ipv6.conf.all.disable_ipv6=1
ip netns exec inet sysctl -qw net.ipv6.conf.all.disable_ipv6=1
ip link add br0 type bridge
ip addr add 172.18.0.1/16 dev br0
ip link set br0 up
ip link add veth-c1 type veth peer name eth0 netns c1
ip link set veth-c1 master br0
ip link set veth-c1 up
ip -n c1 addr add 172.18.0.2/16 dev eth0
ip -n c1 link set eth0 up
ip -n c1 link set lo up
ip -n c1 route add default via 172.18.0.1
ip link add eth0 type veth peer name lan0 netns gw
ip addr add 192.168.1.11/24 dev eth0
ip link set eth0 up
ip route add default via 192.168.1.1
ip -n gw addr add 192.168.1.1/24 dev lan0
ip -n gw link set lan0 up
ip -n gw link set lo up
ip -n gw link add wan0 type veth peer name eth0 netns inet
ip -n gw addr add 203.0.113.1/24 dev wan0
ip -n gw link set wan0 up
ip -n inet addr add 203.0.113.2/24 dev eth0
ip -n inet addr add 8.8.8.8/32 dev eth0
ip -n inet addr add 93.184.216.34/32 dev eth0
ip -n inet link set eth0 up
ip -n inet link set lo up
#real ip netns exec c1 tc qdisc add dev eth0 root handle 1: htb default 1 && ip netns exec c1 tc class add dev eth0 parent 1: classid 1:1 htb rate 16kbit burst 1 cburst 1
#real ip netns exec inet sysctl -qw net.ipv4.tcp_early_retrans=0
echo hello > /tmp/vethtui-index.html
ip netns exec inet python3 -m http.server 80 --directory /tmp > /dev/null 2> /tmp/vethtui-http.log &
sleep 2
ip -n inet route add default via 203.0.113.1
ip -n gw route add 8.8.8.8/32 via 203.0.113.2
ip -n gw route add 93.184.216.34/32 via 203.0.113.2
ip netns exec gw sysctl -qw net.ipv4.ip_forward=1
ip netns exec c1 curl -s -m 0.5 http://93.184.216.34/vethtui-index.html
sysctl -w net.ipv4.ip_forward=1
ip netns exec c1 curl -s -m 0.5 http://93.184.216.34/vethtui-index.html
sleep 1.5
iptables -t nat -A POSTROUTING -s 172.18.0.0/16 ! -o br0 -j MASQUERADE
ip netns exec c1 curl -s http://93.184.216.34/vethtui-index.html
sleep 0.5
conntrack -L -p tcp
ip netns exec c1 curl -s -o /dev/null -w '%{http_code}\n' http://93.184.216.34/vethtui-index.html
sleep 0.5
iptables -t nat -L -v -n
cat /tmp/vethtui-http.log
sleep 2
