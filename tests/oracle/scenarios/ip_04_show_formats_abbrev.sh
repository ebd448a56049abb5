# Output formats (-br, -o, -4) and keyword abbreviations: ip accepts any prefix of
# an object or verb ("ip l s", "ip ad sh", "ip ro get"); unknown ones get fixed texts.
sysctl -w net.ipv6.conf.all.disable_ipv6=1
sysctl -w net.ipv6.conf.default.disable_ipv6=1
ip link set lo up
ip link add veth0 type veth peer name veth1
ip a add 192.168.2.11/24 dev veth0
ip l s veth0 up
ip li se dev veth1 up
ip l
ip l sh veth1
ip -o l
ip -br l
ip -br -o link
ip a
ip ad sh
ip a s dev veth0
ip -4 a
ip -br a
ip -br -4 a show veth0
ip -o a
ip -o -4 addr show dev lo
ip r
ip ro
ip ro get 192.168.2.12
ip n
ip neighbour
ip link shw
ip link show nope
ip link show veth0 extra
ip -x link
ip -br link show up
ip addr lst
ip address list dev veth1
