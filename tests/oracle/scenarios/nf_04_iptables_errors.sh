# iptables' error texts and exit statuses: the kernel's refusals (status 1, "iptables: ..."),
# parameter problems (status 2, with the hint), batch failures (status 4) and unknown tables.
ip link set lo up
iptables -A FOO -j ACCEPT
iptables -A INPUT -j FOO
iptables -X FOO
iptables -N FOO
iptables -N FOO
iptables -A FOO -j ACCEPT
iptables -A INPUT -j FOO
iptables -X FOO
iptables -F FOO
iptables -D INPUT 5
iptables -D INPUT -s 1.2.3.4 -j DROP
iptables -R INPUT 3 -j DROP
iptables -I INPUT 5 -j DROP
iptables -P INPUT FOO
iptables -P FOO DROP
iptables -t foo -L
iptables -L FOO2
iptables -A INPUT -s 1.2.3.999 -j DROP
iptables -A INPUT -p foo -j DROP
iptables -A INPUT --dport 80 -j DROP
iptables -A INPUT -p tcp --dport 99999 -j DROP
iptables -A INPUT -j DNAT --to-destination 1.2.3.4
iptables -t nat -A POSTROUTING -j DNAT --to-destination 1.2.3.4
iptables -t nat -A PREROUTING -j DNAT
iptables -A INPUT -j REJECT --reject-with tcp-reset
iptables -A INPUT -j REJECT --reject-with foo
iptables -A INPUT -m conntrack --ctstate FOO -j ACCEPT
iptables -A INPUT -m foo -j ACCEPT
iptables --foo
iptables -A
iptables
iptables -A INPUT -j ACCEPT extra
iptables -t nat -A INPUT -j MASQUERADE
iptables -A INPUT -i eth0 -o eth1 -j ACCEPT
iptables -A OUTPUT -i eth0 -j ACCEPT
iptables -X INPUT
iptables -N DROP
iptables -A INPUT -s 10.0.0.0/33 -j DROP
iptables -S
iptables -V
