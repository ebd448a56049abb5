# curl against python3 -m http.server in ns1 (started before ns1 has any default
# route, so its start-up name lookup stays inside). HTTP/1.0 responses as Python
# 3.11's http.server sends them (Server: SimpleHTTP/0.6 Python/3.11.x), the access
# log on its standard error, curl's -s -S -o -w, send_error's 404 page, and the
# error for a refused connection (7). (No -I here: HEAD's answer is headers alone,
# and its FIN crosses curl's in a paced capture, a race the simulator does not model.)
# tcpdump names the HTTP request and status lines (port 80). The exchanges are
# paced (64 kbit/s) so that Python has written the body and shut the connection
# down before the headers' ACK comes back: Nagle holds the small body until then
# and the FIN rides on it (FP.), the same way every run; the refused connections
# at the end run unpaced, so curl's "after 0 ms" is what the real one says.
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
#real tc qdisc add dev veth0 root handle 1: htb default 1 && tc class add dev veth0 parent 1: classid 1:1 htb rate 64kbit burst 1 cburst 1
#real ip netns exec ns1 tc qdisc add dev ceth0 root handle 1: htb default 1 && ip netns exec ns1 tc class add dev ceth0 parent 1: classid 1:1 htb rate 64kbit burst 1 cburst 1
echo hello > /tmp/vethtui-index.html
ip netns exec ns1 python3 -m http.server 80 --directory /tmp > /dev/null 2> /tmp/vethtui-http.log &
sleep 2
curl -s http://10.0.0.2/vethtui-index.html
sleep 0.5
curl -s -o /dev/null -w '%{http_code}\n' http://10.0.0.2/vethtui-index.html
sleep 0.5
curl -s http://10.0.0.2/nothing-here
sleep 0.5
#real tc qdisc del dev veth0 root
#real ip netns exec ns1 tc qdisc del dev ceth0 root
curl -s http://10.0.0.2:81/
curl -sS http://10.0.0.2:81/
curl -s -o /dev/null -w '%{http_code}\n' http://10.0.0.2:81/
cat /tmp/vethtui-http.log
