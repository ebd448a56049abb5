# ip_forward is conf.all.forwarding: writing either sets all, default and every
# device's forwarding, and turning it on flips conf.all.accept_redirects to 0.
# A per-device write changes only that device. A NEW device copies conf.default at
# creation time (later changes to default do not reach it). Forwarding also decides
# whether "ip route get ... iif" answers for a non-local destination.
sysctl -w net.ipv6.conf.all.disable_ipv6=1
sysctl -w net.ipv6.conf.default.disable_ipv6=1
ip link set lo up
sysctl -w net.ipv4.conf.default.rp_filter=2
sysctl -w net.ipv4.conf.default.arp_ignore=1
sysctl -w net.ipv4.conf.default.accept_local=1
ip link add veth0 type veth peer name veth1
sysctl net.ipv4.conf.veth0.rp_filter net.ipv4.conf.veth1.arp_ignore net.ipv4.conf.veth0.accept_local
sysctl net.ipv4.conf.lo.rp_filter net.ipv4.conf.all.rp_filter
sysctl -w net.ipv4.conf.default.rp_filter=0
sysctl net.ipv4.conf.veth0.rp_filter
sysctl -w net.ipv4.conf.default.forwarding=1
sysctl net.ipv4.ip_forward net.ipv4.conf.veth0.forwarding
sysctl -w net.ipv4.ip_forward=1
sysctl net.ipv4.conf.all.forwarding net.ipv4.conf.default.forwarding net.ipv4.conf.lo.forwarding net.ipv4.conf.veth0.forwarding
sysctl net.ipv4.conf.all.accept_redirects net.ipv4.conf.default.accept_redirects net.ipv4.conf.veth0.accept_redirects
sysctl -w net.ipv4.conf.veth0.forwarding=0
sysctl net.ipv4.ip_forward net.ipv4.conf.veth1.forwarding
sysctl -w net.ipv4.conf.all.forwarding=0
sysctl net.ipv4.ip_forward net.ipv4.conf.default.forwarding net.ipv4.conf.veth1.forwarding
sysctl net.ipv4.conf.all.accept_redirects
ip addr add 192.168.2.11/24 dev veth0
ip addr add 10.0.0.1/24 dev veth1
ip link set veth0 up
ip link set veth1 up
ip route get 10.0.0.5 from 192.168.2.50 iif veth0
sysctl -w net.ipv4.ip_forward=1
ip route get 10.0.0.5 from 192.168.2.50 iif veth0
sysctl -w net.ipv4.conf.veth0.forwarding=0
ip route get 10.0.0.5 from 192.168.2.50 iif veth0
ip link set veth0 down
ip link set veth0 name eth0
sysctl net.ipv4.conf.eth0.forwarding
sysctl net.ipv4.conf.veth0.forwarding
ip link del eth0
sysctl net.ipv4.conf.veth1.forwarding
