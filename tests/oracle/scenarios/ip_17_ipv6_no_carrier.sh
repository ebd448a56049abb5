# IPv6 left ENABLED, explicit MACs, but only one end up (no carrier): the kernel
# does not create the fe80:: link-local address until carrier comes, so there is no
# IPv6 traffic at all. Manually added addresses stay "tentative" (DAD cannot run)
# unless nodad; IPv6 addresses list NEWEST first (IPv4 lists oldest first); routes are
# "linkdown". disable_ipv6=1 on the device wipes its IPv6 addresses for good.
ip link set lo up
ip link add veth0 address 02:00:00:00:00:01 type veth peer name veth1 address 02:00:00:00:00:02
ip addr
ip link set veth0 up
ip addr show dev veth0
ip -6 addr add 2001:db8::1/64 dev veth0
ip -6 addr add 2001:db8::2/64 dev veth0 nodad
ip addr add 2001:db8:1::1/64 dev veth0
ip addr add 192.168.2.11/24 dev veth0
ip addr add 2001:db8::1/129 dev veth0
ip addr add 2001:db8::1/64 dev veth0
ip addr show dev veth0
ip -6 addr show dev veth0
ip -4 addr show dev veth0
ip -br addr
ip -6 route
ip -6 route show table local
ip -6 route get 2001:db8::99
ip -6 route get 2001:db8::2
ip route get 2001:db8::5
ip -6 route get 2001:db9::1
ip -6 route add default via 2001:db8::fe
ip -6 route
sysctl net.ipv6.conf.veth0.disable_ipv6 net.ipv6.conf.veth0.accept_dad net.ipv6.conf.all.forwarding
sysctl -w net.ipv6.conf.veth0.disable_ipv6=1
ip addr show dev veth0
ip -6 route
sysctl -w net.ipv6.conf.veth0.disable_ipv6=0
ip -6 addr show dev veth0
