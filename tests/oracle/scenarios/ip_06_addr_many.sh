# Many IPv4 addresses on one veth: a second address in an existing subnet becomes
# "secondary" (listed last); primaries are ordered by scope (host, link, then global
# in insertion order). brd + / broadcast + computes the broadcast; the label is not
# checked against the device name (eth0:bad is accepted). Local routes exist even
# while the link is down; prefix and broadcast routes only once it is up (and then
# both the brd given and the prefix's all-ones broadcast). /32 and /31 addresses get
# no broadcast route, /32 no prefix route; a peer address gets a host route to the peer.
sysctl -w net.ipv6.conf.all.disable_ipv6=1
sysctl -w net.ipv6.conf.default.disable_ipv6=1
ip link set lo up
ip link add veth0 type veth peer name veth1
ip addr add 192.168.2.11/24 dev veth0
ip addr add 192.168.2.12/24 dev veth0
ip addr add 192.168.2.13/24 brd + dev veth0
ip addr add 10.1.0.1/16 broadcast + dev veth0
ip addr add 10.2.0.1/16 brd 10.2.255.0 dev veth0 label veth0:1
ip addr add 172.16.0.1/12 dev veth0 label veth0:web
ip addr add 172.17.0.1/16 dev veth0 label eth0:bad
ip addr add 192.168.2.14/25 dev veth0
ip addr add 192.168.3.1/24 dev veth0 scope link
ip addr add 192.168.4.1/24 dev veth0 scope host
ip addr add 192.168.5.1/32 dev veth0
ip addr add 192.168.6.1 dev veth0
ip addr add 192.168.7.1 peer 192.168.7.2 dev veth0
ip addr add 192.168.9.1/31 dev veth0
ip addr show dev veth0
ip route
ip route show table local
ip link set veth0 up
ip route
ip route show table local
ip -br addr
ip -o addr show dev veth0
ip addr show label veth0:1
ip addr show dev veth0 scope link
ip addr show dev veth0 secondary
ip -4 addr show primary
route -n
