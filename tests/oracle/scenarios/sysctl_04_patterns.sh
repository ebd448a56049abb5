# Lessons 05, 08 and 09 ask the learner to check forwarding and its companions on every
# interface: sysctl -a with a pattern (-r, --pattern: an extended regular expression,
# matched anywhere in the dotted name), with -N and -n, in a container, on one key, and
# with patterns that match nothing or do not compile.
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
sysctl -w net.ipv4.ip_forward=1
sysctl -a -r 'ipv4\.conf\..*\.forwarding'
sysctl -a -r 'conf\.br0\.(forwarding|rp_filter|proxy_arp)$'
sysctl -aN -r 'vethc1'
sysctl -a -n -r '^net\.ipv4\.ip_forward$'
sysctl --pattern 'ip_forward' -a
sysctl -a --pattern='ipv4\.conf\.all\.(accept|send)_redirects'
sysctl -a -r 'conf\.[[:alpha:]]+[[:digit:]]\.arp_ignore'
ip netns exec c1 sysctl -a -r 'conf\.eth0\.(forwarding|rp_filter)'
ip netns exec c1 sysctl -ar 'ipv4\.ip_(forward|default_ttl)$'
sysctl -r 'forwarding' net.ipv4.conf.br0
sysctl -r 'nomatch' net.ipv4.conf.br0.forwarding
sysctl -a -r 'no_such_key_anywhere'
sysctl -a -r '('
sysctl -a -r
sysctl -r 'forwarding'
