# IPv6 ENABLED with carrier and explicit MACs: the link-local address is EUI-64 from
# the MAC (02:00:00:00:00:01 -> fe80::ff:fe00:1). With DAD and router solicitation
# on, the startup packets (MLD reports, DAD NS, RS) come at random delays and in a
# random order, so this scenario makes them deterministic: veth1 has IPv6 disabled,
# veth0 has accept_dad=0 and router_solicitations=0; what remains is 4 identical
# MLDv2 reports from veth0 (seen as M, multicast, on veth1), and no "tentative" flag.
ip link set lo up
ip link add veth0 address 02:00:00:00:00:01 type veth peer name veth1 address 02:00:00:00:00:02
sysctl -w net.ipv6.conf.veth1.disable_ipv6=1
sysctl -w net.ipv6.conf.veth0.accept_dad=0
sysctl -w net.ipv6.conf.veth0.router_solicitations=0
ip link set veth1 up
ip link set veth0 up
ip addr
ip -6 addr show dev veth0
ip -br addr
ip -6 route
ip -6 route show table local
ip -6 route get fe80::ff:fe00:2
ip -6 route get fe80::ff:fe00:2 oif veth0
ip -6 route get fe80::ff:fe00:1
ip -6 neigh
ip addr add 192.168.2.11/24 dev veth0
ip -br addr show dev veth0
