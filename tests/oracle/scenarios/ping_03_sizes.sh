# -s: payload sizes on loopback, timing needs 16 bytes, the 65507 ceiling.
sysctl -w net.ipv6.conf.all.disable_ipv6=1
sysctl -w net.ipv6.conf.default.disable_ipv6=1
ip link set lo up
ping -c 1 -s 0 127.0.0.1
ping -c 1 -s 8 127.0.0.1
ping -c 1 -s 15 127.0.0.1
ping -c 1 -s 16 127.0.0.1
ping -c 2 -s 100 127.0.0.1
ping -c 1 -s 1472 127.0.0.1
ping -c 1 -s 1500 127.0.0.1
ping -c 1 -s 65507 127.0.0.1
ping -c 1 -s 65508 127.0.0.1
ping -c 1 -s 70000 127.0.0.1
ping -c 1 -s 0 -q 127.0.0.1
