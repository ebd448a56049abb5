# ping's words for routes that refuse (prohibit: EACCES and iputils' hint; unreachable,
# blackhole) and for packet sizes out of range.
sysctl -w net.ipv6.conf.all.disable_ipv6=1
sysctl -w net.ipv6.conf.default.disable_ipv6=1
ip link set lo up
ip route add prohibit 203.0.113.0/24
ip route add unreachable 203.0.114.0/24
ip route add blackhole 203.0.115.0/24
ip route add throw 203.0.116.0/24
ping -c 1 -W 1 203.0.113.1
ping -c 1 -W 1 -b 203.0.113.1
ping -c 1 -W 1 203.0.114.1
ping -c 1 -W 1 203.0.115.1
ping -c 1 -W 1 203.0.116.1
ip route get 203.0.113.1
ip route get 203.0.116.1
ping -c 1 -s 65507 127.0.0.1
ping -c 1 -s 65508 127.0.0.1
ping -c 1 -s 70000 127.0.0.1
ping -c 1 -s 4294967295 127.0.0.1
ping -c 1 -s 4294967296 127.0.0.1
ping -c 1 -s -1 127.0.0.1
ping -c 1 -s 12abc 127.0.0.1
ping -c 1 -s "" 127.0.0.1
ping -c 1 -s 0 -q 127.0.0.1
ping -c 1 -l 70000 127.0.0.1
