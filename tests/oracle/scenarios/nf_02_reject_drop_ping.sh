# Filter rules in ns1's INPUT chain as ping from the host sees them (the default,
# port unreachable, is tried on ns1's lo: tcpdump would print the quoted echo's
# checksum as a port, which changes from run to run): REJECT answers with
# the ICMP destination unreachable its --reject-with names (ping prints the kind), DROP
# answers nothing (100% loss). iptables -L -v -n counts the packets each rule decided,
# and -D, -I and -R edit the chain by number. With a DROP policy, ESTABLISHED/RELATED
# lets the replies to ns1's own pings in while new pings to it are dropped, until a
# state NEW rule accepts them.
sysctl -w net.ipv6.conf.all.disable_ipv6=1
sysctl -w net.ipv6.conf.default.disable_ipv6=1
ip link set lo up
ip netns add ns1
ip netns exec ns1 sysctl -qw net.ipv6.conf.all.disable_ipv6=1
ip link add veth0 type veth peer name eth0 netns ns1
ip addr add 10.0.0.1/24 dev veth0
ip link set veth0 up
ip -n ns1 addr add 10.0.0.2/24 dev eth0
ip -n ns1 link set eth0 up
ip -n ns1 link set lo up
ip netns exec ns1 iptables -A INPUT -i lo -j REJECT
ip netns exec ns1 ping -c 1 -W 1 127.0.0.1
ip netns exec ns1 iptables -R INPUT 1 -p icmp -j REJECT --reject-with icmp-host-prohibited
ping -c 1 -W 1 10.0.0.2
ip netns exec ns1 iptables -R INPUT 1 -s 10.0.0.1 -j REJECT --reject-with icmp-net-unreachable
ping -c 1 -W 1 10.0.0.2
ip netns exec ns1 iptables -R INPUT 1 -j REJECT --reject-with icmp-admin-prohibited
ping -c 1 -W 1 10.0.0.2
ip netns exec ns1 iptables -R INPUT 1 -j REJECT --reject-with icmp-host-unreachable
ping -c 1 -W 1 10.0.0.2
ip netns exec ns1 iptables -I INPUT 1 -p icmp --icmp-type echo-request -j DROP
ping -c 2 -W 1 10.0.0.2
ip netns exec ns1 iptables -L INPUT -v -n --line-numbers
ip netns exec ns1 iptables -D INPUT 1
ip netns exec ns1 iptables -D INPUT -j REJECT --reject-with icmp-host-unreachable
ping -c 1 10.0.0.2
ip netns exec ns1 iptables -P INPUT DROP
ping -c 1 -W 1 10.0.0.2
ip netns exec ns1 ping -c 1 -W 1 10.0.0.1
ip netns exec ns1 iptables -A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT
ip netns exec ns1 ping -c 1 10.0.0.1
ping -c 1 -W 1 10.0.0.2
ip netns exec ns1 iptables -A INPUT -p icmp -m state --state NEW -j ACCEPT
ping -c 1 10.0.0.2
ip netns exec ns1 iptables -L -v -n
ip netns exec ns1 iptables -S
