# What the option parser says to bad input: exact texts and exit statuses.
sysctl -w net.ipv6.conf.all.disable_ipv6=1
sysctl -w net.ipv6.conf.default.disable_ipv6=1
ip link set lo up
ping -c 0 127.0.0.1
ping -c abc 127.0.0.1
ping -c -1 127.0.0.1
ping -c 1x 127.0.0.1
ping -s -1 127.0.0.1
ping -s abc 127.0.0.1
ping -c 1 -i abc 127.0.0.1
ping -W -1 127.0.0.1
ping -c 1 -W abc 127.0.0.1
ping -w abc 127.0.0.1
ping -w -1 127.0.0.1
ping -t 256 127.0.0.1
ping -t abc 127.0.0.1
ping -c 1 -t 0 127.0.0.1
ping -l 0 127.0.0.1
ping
ping -c 1
ping -Z 127.0.0.1
ping -c
ping -h
ping -V
ping -I nosuchdev 1.2.3.4
ping -c 1 -I nosuchdev 127.0.0.1
ping -c 1 nosuchhost.invalid
ping -c 1 1.2.3.4.5
ping -c 1 203.0.113.5
ping -c 1 -I 192.0.2.1 127.0.0.1
