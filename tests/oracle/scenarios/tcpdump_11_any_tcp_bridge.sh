# Lessons 04 and 09: watching TCP cross the bridge. A listener in c2 (nc -l), then from
# c1 `nc -z -v` to it and to a closed port, with `tcpdump -i any -n -c N tcp` on the
# host around each (the bridge's ports show every segment twice: In on the first port,
# Out on the second), and ss in both namespaces afterwards.
sysctl -w net.ipv6.conf.all.disable_ipv6=1
sysctl -w net.ipv6.conf.default.disable_ipv6=1
ip link set lo up
ip netns add c1
ip netns add c2
ip netns exec c1 sysctl -w net.ipv6.conf.all.disable_ipv6=1
ip netns exec c1 sysctl -w net.ipv6.conf.default.disable_ipv6=1
ip netns exec c2 sysctl -w net.ipv6.conf.all.disable_ipv6=1
ip netns exec c2 sysctl -w net.ipv6.conf.default.disable_ipv6=1
ip link add br0 type bridge
ip link set br0 address 02:42:ac:12:00:01
ip link add vethc1 type veth peer name eth0 netns c1
ip link add vethc2 type veth peer name eth0 netns c2
ip link set vethc1 address 02:00:00:00:01:01
ip link set vethc2 address 02:00:00:00:02:01
ip -n c1 link set eth0 address 02:00:00:00:01:02
ip -n c2 link set eth0 address 02:00:00:00:02:02
ip link set vethc1 master br0
ip link set vethc2 master br0
ip link set vethc1 up
ip link set vethc2 up
ip -n c1 link set eth0 up
ip -n c2 link set eth0 up
ip -n c1 addr add 172.18.0.2/16 dev eth0
ip -n c2 addr add 172.18.0.3/16 dev eth0
ip addr add 172.18.0.1/16 dev br0
ip link set br0 up
sleep 1
ip -n c1 link set lo up
ip -n c2 link set lo up
ip netns exec c1 ping -c 1 172.18.0.3
ip netns exec c2 nc -l 8000 > /dev/null 2>&1 &
sleep 0.5
ip netns exec c2 ss -tln
tcpdump -i any -n -c 6 -l tcp > /tmp/vethtui-fid3-tcp.txt 2> /tmp/vethtui-fid3-tcp.err & sleep 0.5 && ip netns exec c1 nc -z -v 172.18.0.3 8000; wait
cut -d ' ' -f 2- /tmp/vethtui-fid3-tcp.txt
cat /tmp/vethtui-fid3-tcp.err
sleep 0.5
ip netns exec c1 ss -tan
ip netns exec c2 ss -tan
tcpdump -i any -n -t -c 4 tcp port 8001 & sleep 0.5 && ip netns exec c1 nc -zv 172.18.0.3 8001; wait
ip netns exec c1 nc -z 172.18.0.3 8001
ip netns exec c1 nc -zv 172.18.0.3 7999-8001
ip netns exec c1 ss -tan state time-wait
