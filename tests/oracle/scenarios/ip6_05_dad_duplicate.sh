# Duplicate address detection: a holds 2001:db8::1 already; when b adds the same
# address its DAD neighbor solicitation (from ::) is answered by a's advertisement to
# all-nodes, and b's address stays "tentative dadfailed"; b cannot ping from it.
ip netns add a
ip netns add b
ip link add veth0 netns a address 02:00:00:00:00:01 type veth peer name veth1 netns b address 02:00:00:00:00:02
ip -n a addr add 2001:db8::1/64 dev veth0
ip -n a link set veth0 up
ip -n b link set veth1 up
sleep 3
ip -n b addr add 2001:db8::1/64 dev veth1
ip -n b -6 addr show dev veth1
sleep 3
ip -n b -6 addr show dev veth1
ip -n b -6 route
ip -n b -6 route show table local
ip netns exec b ping -c 1 -W 1 2001:db8::1
ip -n b addr add 2001:db8::5/64 dev veth1
ip -n b -6 addr show dev veth1 tentative
sleep 3
ip -n b -6 addr show dev veth1
ip -n b addr del 2001:db8::1/64 dev veth1
ip -n b -6 addr show dev veth1
ip netns exec b ping -c 1 2001:db8::1
