# iptables -h; TCP flag matches (--syn, --tcp-flags) with names and in hex; -C checks that
# a rule exists; -S -v and -L -v without -n (interfaces "any"); a rule's counters
# and the chain's after -P, through a ping.
ip link set lo up
iptables -h
iptables -A INPUT -p tcp --syn -j DROP
iptables -A INPUT -p tcp --tcp-flags SYN,ACK SYN -j DROP
iptables -A INPUT -p tcp ! --syn -j ACCEPT
iptables -A INPUT -p tcp --tcp-flags ALL NONE -j DROP
iptables -A INPUT -p tcp --tcp-flags FOO SYN -j DROP
iptables -A INPUT -i lo -p icmp -j ACCEPT
iptables -P OUTPUT ACCEPT
iptables -L -n
iptables -L
iptables -S
iptables -C INPUT -p tcp --syn -j DROP
iptables -C INPUT -p udp -j DROP
iptables -C FOO -j DROP
ping -c 2 127.0.0.1
iptables -S -v
iptables -L -v --line-numbers -x
iptables -L -v
iptables -L OUTPUT -v -n
