# -i (interval), -w (deadline), -W (linger) on loopback.
sysctl -w net.ipv6.conf.all.disable_ipv6=1
sysctl -w net.ipv6.conf.default.disable_ipv6=1
ip link set lo up
ping -c 3 -i 0.2 127.0.0.1
ping -c 2 -i 0.5 127.0.0.1
ping -c 5 -i 0.001 127.0.0.1
ping -c 5 -i 0.001 -q 127.0.0.1
ping -w 1 -i 0.3 127.0.0.1
ping -w 2 -c 2 127.0.0.1
ping -w 3 -c 4 -i 0.4 127.0.0.1
ping -c 1 -w 1 127.0.0.1
