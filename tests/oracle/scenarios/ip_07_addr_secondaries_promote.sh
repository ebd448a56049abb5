# Deleting a primary address: with promote_secondaries=0 (default) every secondary of
# that subnet is deleted too; with promote_secondaries=1 (all or per device) the next
# secondary becomes primary and routes are re-sourced from it.
sysctl -w net.ipv6.conf.all.disable_ipv6=1
sysctl -w net.ipv6.conf.default.disable_ipv6=1
ip link set lo up
ip link add veth0 type veth peer name veth1
ip link set veth0 up
ip link set veth1 up
ip addr add 192.168.2.11/24 dev veth0
ip addr add 192.168.2.12/24 dev veth0
ip addr add 192.168.2.13/24 dev veth0
ip addr add 10.0.0.1/8 dev veth0
ip addr del 192.168.2.11/24 dev veth0
ip addr show dev veth0
ip route
sysctl net.ipv4.conf.veth0.promote_secondaries
sysctl -w net.ipv4.conf.veth0.promote_secondaries=1
ip addr add 192.168.2.11/24 dev veth0
ip addr add 192.168.2.12/24 dev veth0
ip addr add 192.168.2.13/24 dev veth0
ip addr del 192.168.2.11/24 dev veth0
ip addr show dev veth0
ip route
ip route show table local
ip addr del 192.168.2.13/24 dev veth0
ip addr del 192.168.2.12 dev veth0
ip -br addr show dev veth0
ip addr add 192.168.3.1/24 dev veth1
ip addr add 192.168.3.2/24 dev veth1
sysctl -w net.ipv4.conf.all.promote_secondaries=1
sysctl net.ipv4.conf.veth1.promote_secondaries
ip addr del 192.168.3.1/24 dev veth1
ip addr show dev veth1
ip route
