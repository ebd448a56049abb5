# The usage texts of iproute2 6.1 (what `help` and `-h` print, and their exit statuses).
ip help
ip -h
ip link help
ip link show help
ip link add help
ip addr help
ip route help
ip neigh help
ip netns help
ip rule help
ip link set help
ip addr add help
ip route add help
ip neigh add help
ip -V
bridge help
bridge link help
bridge fdb help
