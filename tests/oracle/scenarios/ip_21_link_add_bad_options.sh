# A link type's options are parsed (its parse_opt) before RTM_NEWLINK is sent: any error
# there means no request, so nothing is created, no ifindex is used, nothing is changed.
ip link add br9 type bridge foo
ip link add br9 type bridge stp_state x
ip link add br9 type bridge stp_state
ip link add br9 type bridge forward_delay 1500 foo
ip link add br9 type bridge help
ip link add br9 type bridge ageing_time -1
ip link add br9 type bridge priority 70000
ip link add v0 type veth peer name
ip link add v0 type veth bogus
ip link add v0 type veth pe name v1
ip link add v0 type veth help
ip link add v0 type veth peer name v1 type veth
ip link add v0 type veth peer name v1 mtu
ip link add d0 type nosuchtype
ip -br link
ip link add br8 type bridge
ip link show br8
ip link set br8 mtu 1400 type bridge foo
ip link set br8 type bridge stp_state 0 ageing_time x
ip link set br8 type bridge ageing_time 1000 frob
ip -d link show br8
ip link add v0 type veth peer name v1
ip -br link
