# sysctl -a in a fresh namespace: every net.* name and default of Linux 6.18 (procps 4.0.2
# leaves out the deprecated neigh base_reachable_time and retrans_time).
sysctl -a 2>/dev/null | grep '^net\.'
sysctl -aN 2>/dev/null | grep -c '^net\.'
