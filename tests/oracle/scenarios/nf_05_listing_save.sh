# How iptables shows rules: -L with names and with -n, -v counters (-x exact), line
# numbers, a single rule, -S and iptables-save; user chains with their references,
# renamed with -E, emptied with -F, removed with -X; -Z zeroes the counters.
ip link set lo up
iptables -A INPUT -s 10.0.0.1 -p icmp -j DROP
iptables -A INPUT -p tcp --dport 80 -m comment --comment "web in" -j ACCEPT
iptables -A INPUT -p udp -m multiport --dports 53,67:68 -j REJECT --reject-with icmp-host-prohibited
iptables -A INPUT ! -i lo -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
iptables -A INPUT -m state --state NEW -j ACCEPT
iptables -A INPUT ! -s 10.0.0.1 -d 10.1.0.0/255.255.0.0 -j DROP
iptables -A INPUT -p icmp --icmp-type echo-request -j ACCEPT
iptables -A INPUT -p tcp ! --dport 22 -j DROP
iptables -A INPUT -p udp -m multiport ! --dports 53,123 -j DROP
iptables -A FORWARD -i br0 -o eth0 -p tcp --sport 1024:2000 -j REJECT --reject-with tcp-reset
iptables -A FORWARD -j REJECT
iptables -N MYCHAIN
iptables -A MYCHAIN -d 192.168.0.0/16 -j RETURN
iptables -A MYCHAIN -d 127.0.0.1 -j ACCEPT
iptables -A OUTPUT -j MYCHAIN
iptables -t nat -A PREROUTING -p tcp --dport 8080 -j DNAT --to-destination 172.18.0.2:80
iptables -t nat -A PREROUTING -d 1.2.3.4 -j DNAT --to-destination 172.18.0.3
iptables -t nat -A POSTROUTING -s 172.18.0.0/16 ! -o br0 -j MASQUERADE
iptables -t nat -A POSTROUTING -s 10.0.0.0/8 -j SNAT --to-source 1.2.3.4
iptables -t nat -A OUTPUT -p tcp --dport 80 -j REDIRECT --to-ports 8080
ping -c 3 127.0.0.1
iptables -L
iptables -L -n -v
iptables -L -n --line-numbers
iptables -L INPUT -n -v -x
iptables -L INPUT 2
iptables -L OUTPUT -v -n
iptables -S
iptables -S INPUT 3
iptables -t nat -S
iptables -t nat -L -n
iptables-save
iptables -Z OUTPUT
iptables -L OUTPUT -v -n
iptables -E MYCHAIN OTHER
iptables -L OUTPUT -n
iptables -F OTHER
iptables -D OUTPUT -j OTHER
iptables -X OTHER
iptables -F
iptables -P FORWARD DROP
iptables -S
iptables -t mangle -L
iptables-save -t filter
