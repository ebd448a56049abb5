# The LOG target (it lets the packet go on: the next rule still counts it), its printing
# by name and by number, and counters past 99999 as -v shortens them (K) and -x does not.
ip link set lo up
iptables -A INPUT -j LOG
iptables -A INPUT -p tcp -j LOG --log-prefix "IN: " --log-level 6
iptables -A INPUT -i lo -j LOG --log-level debug --log-tcp-sequence --log-uid
iptables -A INPUT -i lo -j ACCEPT
iptables -L
iptables -L -n
iptables -S
iptables -A INPUT -j LOG --log-level foo
ping -q -c 60 -i 0.01 -s 1000 127.0.0.1
iptables -L INPUT -v -n
iptables -L INPUT -v -n -x
iptables -Z INPUT
iptables -L INPUT -v
