# ip rule: the three default rules, add/del with priorities, from/to/iif/oif/table and the
# error actions, and route lookups (ip route get, ping) that follow them.
sysctl -w net.ipv6.conf.all.disable_ipv6=1
sysctl -w net.ipv6.conf.default.disable_ipv6=1
ip rule
ip rule list
ip -j rule
ip route get 127.0.0.1
ip link set lo up
ip link add veth0 type veth peer name veth1
ip link set veth0 address 02:00:00:00:00:0a
ip link set veth1 address 02:00:00:00:00:0b
ip addr add 192.168.2.11/24 dev veth0
ip addr add 10.9.0.1/24 dev veth1
ip link set veth0 up
ip link set veth1 up
ip route add 198.51.100.0/24 via 192.168.2.1 table 100
ip route add default via 10.9.0.254 table 200
ip route show table 100
ip route get 198.51.100.7
ip rule add to 198.51.100.0/24 table 100
ip rule
ip route get 198.51.100.7
ip route get 192.168.2.11
ip route get 127.0.0.1
ip rule add from 192.168.2.11 lookup 200 pref 500
ip rule add iif veth1 table 200
ip rule add oif veth0 prohibit
ip rule add to 203.0.113.0/24 unreachable pref 600
ip rule add to 203.0.114.0/24 blackhole
ip rule add not from 10.0.0.0/8 to 203.0.115.0/24 table 100 pref 700
ip rule add iif nosuchdev table 100
ip rule add to 198.51.100.0/24 table 100
ip rule add table 300 pref 800
ip rule
ip route get 8.8.8.8 from 192.168.2.11
ip route get 203.0.113.5
ip route get 203.0.114.5
ip route get 203.0.115.5
ip route get 8.8.8.8 oif veth0
ip route get 8.8.8.8 from 10.0.0.5 iif veth1
ping -c 1 -W 1 203.0.113.5
ping -c 1 -W 1 203.0.114.5
ping -c 1 -W 1 -I veth0 8.8.8.8
ip rule del pref 500
ip rule del table 100
ip rule del iif veth1 table 200
ip rule del to 203.0.113.0/24
ip rule del pref 4242
ip rule del
ip rule add
ip rule add from 1.2.3.300 table 100
ip rule add table foo
ip rule add pref abc table 100
ip rule add goto 10 pref 20
ip rule add xyzzy
ip rule list table 100
ip rule show pref 0
ip rule show from all
ip rule
ip -6 rule
ip rule del pref 0
ip route get 192.168.2.11
ip rule
