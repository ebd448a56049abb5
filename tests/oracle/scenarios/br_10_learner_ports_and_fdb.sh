# What a learner types after wiring two namespaces to a bridge: the port details
# (ip -d link, bridge -d link), port settings by bridge link set and by ip link set
# type bridge_slave, filters by type, static fdb entries, a ping across the bridge
# watched on the other port, and the bridge's ageing time.
sysctl -w net.ipv6.conf.all.disable_ipv6=1
sysctl -w net.ipv6.conf.default.disable_ipv6=1
ip link set lo up
ip netns add ns1
ip netns add ns2
ip -all netns exec sysctl -q -w net.ipv6.conf.all.disable_ipv6=1
ip -all netns exec sysctl -q -w net.ipv6.conf.default.disable_ipv6=1
ip link add br0 type bridge
ip link add veth1 type veth peer name ceth1 netns ns1
ip link add veth2 type veth peer name ceth2 netns ns2
ip link set veth1 address 02:00:00:00:00:01
ip link set veth2 address 02:00:00:00:00:02
ip -n ns1 link set ceth1 address 02:00:00:00:00:11
ip -n ns2 link set ceth2 address 02:00:00:00:00:12
ip link set veth1 master br0
ip link set veth2 master br0
ip link show type bridge
ip link show type bridge_slave
ip -br link show type veth
ip -br link show master br0
bridge link set dev veth1 cost 10
bridge link set dev veth1 priority 40
ip link set veth2 type bridge_slave cost 20 learning off
bridge link
bridge -d link show dev veth2
ip -d link show veth1
bridge link set dev veth9 cost 5
bridge link set dev veth1 cost
bridge link set dev veth1 state 9
ip link set veth1 type bridge_slave frob 1
bridge link set dev veth1 priority 70
bridge link set dev veth1 learning maybe
bridge link set dev veth1 frob
bridge link set dev veth1 state forwarding
bridge link set dev veth1 state bogus
bridge link set dev lo cost 5
bridge link set dev br0 cost 5
bridge link set cost 5
ip link set veth1 type bridge_slave cost 0
ip link set veth1 type bridge_slave learning maybe
ip link set veth1 type bridge_slave cost x
ip link set lo type bridge_slave cost 5
ip link set veth1 type bridge_slave help
bridge link show dev veth1
ip -n ns1 addr add 192.168.80.11/24 dev ceth1
ip -n ns2 addr add 192.168.80.12/24 dev ceth2
ip -n ns1 link set ceth1 up
ip -n ns2 link set ceth2 up
ip link set veth1 up
ip link set veth2 up
ip link set br0 up
sleep 1.3
bridge link
sleep 0.5 && ip netns exec ns1 ping -c 1 192.168.80.12 > /dev/null & tcpdump -l -n -t -e -c 4 -i veth2
bridge fdb show br br0
bridge fdb add 02:00:00:00:00:aa dev veth1 master static
bridge fdb add 02:00:00:00:00:aa dev veth1 master static
bridge fdb show br br0 | grep -v permanent
bridge fdb del 02:00:00:00:00:aa dev veth1 master
bridge fdb del 02:00:00:00:00:aa dev veth1 master
ip link set br0 type bridge ageing_time 500
ip -d link show br0 | grep -o 'ageing_time [0-9]*'
ip link set veth2 type bridge_slave learning on
bridge -d link show dev veth2
