# Per-device keys for lo, a veth pair and a bridge (ipv4/ipv6 conf and neigh), their
# inheritance from default, validation, and the effects a lab can see.
ip link add veth0 address 02:00:00:00:00:0a type veth peer name veth1 address 02:00:00:00:00:0b
ip link add br0 address 02:00:00:00:00:0c type bridge
sysctl -a 2>/dev/null | grep -E '^net\.ipv[46]\.(conf|neigh)\.'
sysctl net.ipv6.conf.veth0.mtu net.ipv6.conf.lo.mtu net.ipv6.conf.lo.accept_dad net.ipv6.conf.lo.use_tempaddr
ip link set veth0 mtu 1400
sysctl net.ipv6.conf.veth0.mtu
sysctl -w net.ipv6.conf.veth0.mtu=1300
sysctl -w net.ipv6.conf.veth0.mtu=1200
sysctl -w net.ipv6.conf.veth0.mtu=9000
sysctl -w net.ipv6.conf.default.max_addresses=8
ip link add veth2 type veth peer name veth3
sysctl net.ipv6.conf.veth2.max_addresses net.ipv6.conf.veth0.max_addresses
sysctl -w net.ipv6.conf.veth0.accept_redirects=abc
sysctl -w net.ipv6.conf.veth0.use_tempaddr=2
sysctl -w net.ipv6.conf.veth0.ndisc_notify=1
sysctl -w net.ipv6.neigh.veth0.retrans_time_ms=500
sysctl net.ipv6.neigh.veth0.retrans_time_ms net.ipv6.neigh.veth0.locktime
echo 50 > /proc/sys/net/ipv4/neigh/veth0/unres_qlen
cat /proc/sys/net/ipv4/neigh/veth0/unres_qlen_bytes
sysctl -w net.ipv4.icmp_echo_ignore_all=2
sysctl -w net.ipv4.icmp_echo_ignore_broadcasts=7
sysctl -w net.ipv4.igmp_link_local_mcast_reports=0
sysctl -w net.ipv4.tcp_syn_retries=3
sysctl net.ipv4.tcp_syn_retries
sysctl -w net.ipv4.tcp_ecn=junk
sysctl -w net.core.somaxconn=1024
sysctl net.core.somaxconn
sysctl -w net.ipv4.tcp_available_congestion_control=reno
