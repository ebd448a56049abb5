# Each namespace has its own sysctls and its own lo. A new namespace starts with
# IPv6 enabled again and ip_forward copied from the machine's initial namespace
# (0 here), not from the creator (which set 1),
# lo DOWN (ping 127.0.0.1 fails until lo is up). sysctl -w inside one namespace
# leaves the others alone. Gotcha: in `ip netns exec ns1 echo 1 > /proc/...` the
# redirection is done by the calling shell, so it writes the CALLER's file.
sysctl -w net.ipv6.conf.all.disable_ipv6=1
sysctl -w net.ipv6.conf.default.disable_ipv6=1
ip link set lo up
sysctl -w net.ipv4.ip_forward=1
ip netns add ns1
ip netns exec ns1 sysctl net.ipv6.conf.all.disable_ipv6
ip netns exec ns1 sysctl -w net.ipv6.conf.all.disable_ipv6=1
ip netns exec ns1 sysctl -w net.ipv6.conf.default.disable_ipv6=1
ip netns exec ns1 cat /proc/sys/net/ipv4/ip_forward
ip netns exec ns1 sysctl net.ipv4.ip_forward
cat /proc/sys/net/ipv4/ip_forward
ip netns exec ns1 ping -c 1 127.0.0.1
ip netns exec ns1 ip link set lo up
ip netns exec ns1 ping -c 2 127.0.0.1
ip netns exec ns1 ip route show table local
ip netns exec ns1 sysctl -w net.ipv4.ip_forward=1
ip netns exec ns1 cat /proc/sys/net/ipv4/ip_forward
sysctl -w net.ipv4.ip_forward=0
ip netns exec ns1 cat /proc/sys/net/ipv4/ip_forward
ip netns exec ns1 sysctl -w net.ipv4.ip_forward=0
ip netns exec ns1 echo 1 > /proc/sys/net/ipv4/ip_forward
ip netns exec ns1 cat /proc/sys/net/ipv4/ip_forward
cat /proc/sys/net/ipv4/ip_forward
echo 0 > /proc/sys/net/ipv4/ip_forward
ip netns exec ns1 sysctl net.ipv4.conf.all.forwarding
ip netns exec ns1 sysctl net.ipv4.icmp_echo_ignore_all
ip netns exec ns1 sysctl -w net.ipv4.icmp_echo_ignore_all=1
ip netns exec ns1 ping -c 1 -W 1 127.0.0.1
ip netns exec ns1 ip addr
ip netns exec ns1 ip netns identify
ip netns exec ns1 sysctl -w net.ipv4.no_such_key=1
ip netns exec ns1 cat /proc/sys/net/ipv4/no_such_key
