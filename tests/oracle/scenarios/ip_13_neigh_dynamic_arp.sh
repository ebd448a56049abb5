# Dynamic neighbour entries and arp(8): an answered ARP makes a REACHABLE entry and
# the answering side learns the asker as STALE; arp -s / -d add and delete entries;
# arp -n prints nothing at all on an empty table. An unanswered ARP leaves an
# INCOMPLETE entry ("(incomplete)" in arp -n) while the kernel retries 3 times, 1 s
# apart, then reports host unreachable (done last so the retries cannot interleave).
sysctl -w net.ipv6.conf.all.disable_ipv6=1
sysctl -w net.ipv6.conf.default.disable_ipv6=1
ip link set lo up
ip link add veth0 type veth peer name veth1
ip addr add 192.168.2.11/24 dev veth0
ip addr add 192.168.2.12/24 dev veth1
ip link set veth0 up
ip link set veth1 up
echo 1 > /proc/sys/net/ipv4/conf/veth1/accept_local
echo 1 > /proc/sys/net/ipv4/conf/veth0/accept_local
arp -n
ping -c 2 -i 0.2 -I veth0 192.168.2.12
ip neigh show dev veth1
ip neigh show 192.168.2.12
arp -n -i veth1
arp -n 192.168.2.12
arp -n 192.168.2.99
arp -n -i nope
ip neigh del 192.168.2.12 dev veth0
ip neigh show 192.168.2.12
arp -d 192.168.2.11 -i veth1
arp -d 192.168.2.11 -i veth1
arp -n -i veth1
arp -s 192.168.2.60 02:00:00:00:00:60 -i veth1
arp -n -i veth1
ip neigh show dev veth1
arp -s 192.168.2.61 02:00:00:00:00:zz
ping -c 1 -W 1 -I veth0 192.168.2.77
arp -n -i veth0
arp -an -i veth0
ip neigh show dev veth0
ip neigh show nud incomplete
