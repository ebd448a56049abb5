# iptables-restore from a pipe (flushing the tables it names, or -n to append), its
# errors; more match and target printing (-g, -f, inverted conntrack states, ICMP codes,
# port ranges, REDIRECT and MASQUERADE ports); conntrack -C. SNAT to an address range
# picks the address by a hash of the source seeded with the destination (jhash2).
ip link set lo up
iptables -N LOGDROP
iptables -A LOGDROP -j DROP
iptables -A INPUT -p icmp --icmp-type 3/4 -j ACCEPT
iptables -A INPUT -p icmp ! --icmp-type 8 -j ACCEPT
iptables -A INPUT -m conntrack ! --ctstate INVALID,UNTRACKED -j ACCEPT
iptables -A INPUT -m conntrack --ctstate DNAT,SNAT -j ACCEPT
iptables -A INPUT -f -j DROP
iptables -A INPUT -p udp --sport 1000: --dport :2000 -j LOGDROP
iptables -A INPUT -i veth+ -g LOGDROP
iptables -A INPUT -p tcp -m multiport --ports 22,80,443 -j ACCEPT
iptables -A INPUT -m comment --comment 'it'"'"'s "quoted"' -j ACCEPT
iptables -t nat -A PREROUTING -p tcp -j REDIRECT --to-ports 8080-8090
iptables -t nat -A POSTROUTING -p tcp -j MASQUERADE --to-ports 1000-2000
iptables -t nat -A POSTROUTING -j SNAT --to-source 1.2.3.4-1.2.3.10
iptables -t nat -A PREROUTING -p tcp -j DNAT --to-destination 10.0.0.1:80-90
iptables -L -n
iptables -L
iptables -S
iptables -t nat -L -n
iptables-save -t nat | iptables-restore
iptables -S | head -3
iptables -t nat -S
iptables-save | iptables-restore -n
iptables -t nat -S POSTROUTING
echo "*filter" | iptables-restore
echo "*foo" | iptables-restore
echo "-A INPUT -j ACCEPT" | iptables-restore
conntrack -C
ping -c 1 127.0.0.1
conntrack -C
ip addr add 10.9.9.9/32 dev lo
ip addr add 192.0.2.77/32 dev lo
ping -c 1 10.9.9.9
ping -c 1 192.0.2.77
ping -c 1 -I 192.0.2.77 10.9.9.9
conntrack -L -p udp
