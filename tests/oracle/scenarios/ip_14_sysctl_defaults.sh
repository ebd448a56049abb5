# Default values in a fresh network namespace, read with sysctl (key = value),
# sysctl -n (value only), sysctl -N (name only), slash-separated keys, several keys
# at once, and cat of /proc/sys. Per-device trees appear when the device does;
# net.ipv4.neigh.default holds no per-table gc_* knobs outside the initial namespace.
sysctl -w net.ipv6.conf.all.disable_ipv6=1
sysctl -w net.ipv6.conf.default.disable_ipv6=1
ip link set lo up
sysctl net.ipv4.ip_forward
sysctl net.ipv4.conf.all.forwarding
sysctl net.ipv4.conf.all.rp_filter net.ipv4.conf.default.rp_filter
sysctl net.ipv4.conf.default.arp_ignore
sysctl net.ipv4.conf.all.arp_announce
sysctl net.ipv4.conf.all.accept_local
sysctl net.ipv4.conf.all.promote_secondaries
sysctl net.ipv4.conf.all.send_redirects
sysctl net.ipv4.conf.all.accept_redirects
sysctl net.ipv4.conf.lo.forwarding
sysctl net.ipv4.ip_default_ttl
sysctl net.ipv4.icmp_echo_ignore_all
sysctl net.ipv4.icmp_echo_ignore_broadcasts
sysctl net.ipv4.ip_local_port_range
sysctl net.ipv4.ping_group_range
sysctl net.ipv4.conf.veth0.rp_filter
ip link add veth0 type veth peer name veth1
sysctl net.ipv4.conf.veth0.rp_filter
sysctl net.ipv4.conf.veth0.arp_ignore
sysctl net.ipv4.conf.veth0.accept_local
sysctl net.ipv4.neigh.veth0.base_reachable_time_ms
sysctl net.ipv4.neigh.veth0.retrans_time_ms
sysctl net.ipv4.neigh.veth0.mcast_solicit
sysctl net.ipv4.neigh.veth0.gc_stale_time
sysctl net.ipv4.neigh.default.base_reachable_time_ms
sysctl net.ipv4.neigh.default.gc_thresh1
sysctl -n net.ipv4.ip_forward
sysctl -N net.ipv4.ip_forward
sysctl net/ipv4/conf/veth1/forwarding
cat /proc/sys/net/ipv4/ip_forward
cat /proc/sys/net/ipv4/ip_local_port_range
cat /proc/sys/net/ipv4/conf/veth1/rp_filter
cat /proc/sys/net/ipv6/conf/veth0/disable_ipv6
sysctl net.ipv6.conf.lo.disable_ipv6
