# Writing sysctls and what goes wrong: unknown keys ("cannot stat"), bad values
# ("setting key ...: Invalid argument"), missing "=", spaces around "=", -q (quiet
# write), -e (ignore unknown keys), several writes at once, -p on a missing file,
# and the same through /proc/sys with echo (bash's own error texts). Many integer
# knobs have no range check: ip_forward=2 and rp_filter=5 are accepted as is.
sysctl -w net.ipv6.conf.all.disable_ipv6=1
sysctl -w net.ipv6.conf.default.disable_ipv6=1
ip link set lo up
ip link add veth0 type veth peer name veth1
sysctl -w net.ipv4.conf.nope.rp_filter=1
sysctl net.ipv4.conf.nope.rp_filter
sysctl -w net.ipv4.nope=1
sysctl -w net.ipv4.ip_forward=abc
sysctl -w net.ipv4.ip_forward=
sysctl -w net.ipv4.ip_forward
sysctl -w net.ipv4.ip_forward = 1
sysctl -w net.ipv4.ip_forward=2
sysctl net.ipv4.ip_forward
sysctl -w net.ipv4.ip_forward=0
sysctl -w net.ipv4.conf.all.rp_filter=5
sysctl -w net.ipv4.conf.veth0.rp_filter=1
sysctl -q -w net.ipv4.conf.veth0.accept_local=1
sysctl net.ipv4.conf.veth0.accept_local
sysctl -q net.ipv4.nope
sysctl -n net.ipv4.nope
sysctl -e net.ipv4.nope
sysctl -e -w net.ipv4.nope=1
sysctl -w net.ipv4.conf.veth0.arp_ignore=1 net.ipv4.conf.veth1.arp_ignore=2
sysctl net.ipv4.conf.veth0.arp_ignore net.ipv4.conf.veth1.arp_ignore net.ipv4.nope
sysctl -p /nonexistent
sysctl net.ipv4.conf.veth0.rp_filter=1
echo 1 > /proc/sys/net/ipv4/conf/nope/rp_filter
cat /proc/sys/net/ipv4/conf/nope/rp_filter
echo abc > /proc/sys/net/ipv4/ip_forward
echo 2 > /proc/sys/net/ipv4/conf/veth1/rp_filter
cat /proc/sys/net/ipv4/conf/veth1/rp_filter
sysctl -w net.ipv4.ip_local_port_range="40000 50000"
sysctl net.ipv4.ip_local_port_range
sysctl -w net.ipv4.ip_local_port_range=50000
sysctl net.ipv4.ip_local_port_range
