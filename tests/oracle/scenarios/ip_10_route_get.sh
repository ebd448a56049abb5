# ip route get: the kernel's answer for local, connected, via-gateway, broadcast,
# loopback-range, 0.0.0.0 and limited-broadcast destinations, and the from/oif/iif
# variants (iif without a valid from, or a non-forwarding host, gives an error).
sysctl -w net.ipv6.conf.all.disable_ipv6=1
sysctl -w net.ipv6.conf.default.disable_ipv6=1
ip link set lo up
ip link add veth0 type veth peer name veth1
ip addr add 192.168.2.11/24 dev veth0
ip addr add 192.168.2.12/24 dev veth1
ip link set veth0 up
ip link set veth1 up
ip route get 10.1.2.3
ip route add 10.0.0.0/8 via 192.168.2.1
ip route add 198.51.100.8/32 dev veth0
ip route get 10.1.2.3
ip route get 192.168.2.11
ip route get 192.168.2.12
ip route get 192.168.2.55
ip route get 192.168.2.255
ip route get 192.168.2.0
ip route get 127.0.0.5
ip route get 0.0.0.0
ip route get 255.255.255.255
ip route get 224.0.0.1
ip route get 198.51.100.8
ip route get 203.0.113.9
ip route get 10.1.2.3 from 192.168.2.11
ip route get 10.1.2.3 from 192.168.2.12
ip route get 10.1.2.3 from 192.168.2.99
ip route get 192.168.2.55 oif veth1
ip route get 192.168.2.55 oif nope
ip route get 192.168.2.11 iif veth1
ip route get 192.168.2.11 from 192.168.2.12 iif veth1
ip route get 192.168.2.55 from 192.168.2.12 iif veth0
ip route get 192.168.2.55 from 192.168.2.77 iif veth0
ip route get 10.1.2.3/8
ip route get 300.1.1.1
ip route get
ip route add default via 192.168.2.1
ip route get 203.0.113.9
ip route get 255.255.255.255
ip route get 224.0.0.1
ip route get 192.168.2.11 from 192.168.2.99 iif veth1
