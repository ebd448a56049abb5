# ip addr error texts and exit statuses (parser errors exit 1 or 255, kernel
# refusals exit 2), an address on a DOWN link, /32, deleting what is not there, and
# ip addr flush (which also removes the connected and local routes).
sysctl -w net.ipv6.conf.all.disable_ipv6=1
sysctl -w net.ipv6.conf.default.disable_ipv6=1
ip link set lo up
ip link add veth0 type veth peer name veth1
ip addr add 192.168.2.11/33 dev veth0
ip addr add 192.168.2.11/-1 dev veth0
ip addr add 192.168.2.11/24
ip addr add dev veth0
ip addr add 192.168.2 dev veth0
ip addr add 192.168.2.11/24 dev veth0 scope galaxy
ip addr add 192.168.2.11/24 dev veth0 brd 300.1.1.1
ip addr add 192.168.2.11/24 dev nope
ip addr add 192.168.2.11/24 dev veth0
ip addr add 192.168.2.11/16 dev veth0
ip addr add 192.168.2.21/32 dev veth0
ip addr show dev veth0
ip addr del 192.168.2.99/24 dev veth0
ip addr del 192.168.2.11/16 dev veth0
ip addr del 192.168.2.21/24 dev veth0
ip addr del 192.168.2.11/24
ip addr del dev veth0
ip addr show dev veth1
ip addr flush dev veth1
ip link set veth0 up
ip link set veth1 up
ip addr add 10.9.0.1/16 dev veth0
ip route
ip addr flush dev veth0
ip addr show dev veth0
ip route
ip route show table local
ip addr flush dev nope
ip addr flush
