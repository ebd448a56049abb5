# Zeroing counters the way a learner tries it after lesson 09's NAT: -Z before any rule
# exists (iptables-nft has no table yet, and no built-in chain until a command touches
# it), -Z with -L (the listing fakes the missing chains, which zeroing then creates or,
# without a table, fails to find), -Z CHAIN N for one rule, -v naming each chain, and
# commands that cannot be combined.
sysctl -w net.ipv6.conf.all.disable_ipv6=1
sysctl -w net.ipv6.conf.default.disable_ipv6=1
ip link set lo up
iptables -Z INPUT
iptables -v -Z INPUT
iptables -Z
iptables -t nat -Z -v
iptables -L -Z -Z
iptables -Z -F
iptables -Z -L -v
iptables -Z INPUT -L -v -n
iptables -S -Z
iptables -v -Z
iptables -A INPUT -i lo -j ACCEPT
ping -c 2 -i 0.2 127.0.0.1
iptables -v -Z
iptables -Z FORWARD
iptables -L INPUT -v -n
iptables -v -Z INPUT
iptables -L -Z INPUT
iptables -A INPUT -i lo -j ACCEPT
ping -c 1 127.0.0.1
iptables -L -Z -v -n
iptables -L FORWARD -v -n
iptables -N MINE
iptables -v -Z
iptables -L -v -n -Z MINE
ping -c 1 127.0.0.1
iptables -L INPUT -v -n --line-numbers
iptables -Z INPUT 1
iptables -Z INPUT 9
iptables -v -Z INPUT 2
iptables -L INPUT -v -n --line-numbers
iptables -Z INPUT 1 -L
iptables -S -Z INPUT
iptables -t nat -L -Z -v -n
iptables -t nat -v -Z
