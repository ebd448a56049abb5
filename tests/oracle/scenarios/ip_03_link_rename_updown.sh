# Renaming, up/down and lo: on this kernel a veth can be renamed while UP (no EBUSY);
# the peer's "@name" follows. Taking lo down removes its local-table routes, so
# 127.0.0.1 becomes unreachable; bringing it back restores them.
sysctl -w net.ipv6.conf.all.disable_ipv6=1
sysctl -w net.ipv6.conf.default.disable_ipv6=1
ip link set lo up
ip link add veth0 type veth peer name veth1
ip link set veth0 name eth5
ip link show
ip link set eth5 up
ip link set eth5 name eth6
ip link show up
ip link set eth6 name veth1
ip link set eth6 name lo
ip link set eth6 name averyveryverylongname
ip link set eth6 name eth/6
ip link set eth6 down
ip link set eth6 name veth0
ip link show dev veth0
ip link show eth6
ip link set veth0 up
ip link set veth1 up
ip link show up
ip link set veth0 down
ip link show
ip link set dev lo down
ip link show up
ip route show table local
ip route get 127.0.0.1
ping -c 1 -W 1 127.0.0.1
ip link set dev lo up
ip route show table local
ping -c 1 127.0.0.1
ip link set veth0 up down
ip link set dev veth0 up
ip -br link
