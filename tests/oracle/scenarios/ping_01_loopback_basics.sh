# ping on loopback only: the simplest outputs, numeric targets, -n, -q, -t, -W.
sysctl -w net.ipv6.conf.all.disable_ipv6=1
sysctl -w net.ipv6.conf.default.disable_ipv6=1
ip link set lo up
ping -c 1 127.0.0.1
ping -c 2 127.0.0.5
ping -c 2 -n 127.0.0.1
ping -c 3 -q 127.0.0.1
ping -q -c 1 127.0.0.1
ping -c 2 -t 1 127.0.0.1
ping -c 1 -W 1 127.0.0.1
ping -c 1 127.1
ping -c 1 0.0.0.0
ping -c 1 0
ping -c 1 localhost
ping -n -c 1 localhost
