# IPv6 over lo: ::1 is on lo as soon as lo is up, with `local ::1 dev lo` in the local
# table and `::1 dev lo` in main; ping, ping -6 and ping6 (a link to ping) reach it;
# names resolve through /etc/hosts (localhost, ip6-localhost).
ip -6 addr
ip -6 route
ip link set lo up
ip -6 addr
ip -6 route
ip -6 route show table local
ip -6 route show table all
ip -6 route get ::1
ping -c 2 -i 0.2 ::1
ping6 -c 1 ::1
ping -6 -c 1 -s 100 ::1
ping -c 1 -n ::1
ping -c 1 ip6-localhost
ping -6 -c 1 localhost
ping -4 -c 1 ::1
ping -6 -c 1 127.0.0.1
ping -c 1 -s 70000 ::1
ping -c 1 -s 3000 ::1
ping -c 1 -t 1 ::1
ping -c 1 ::2
ping -c 1 -w 1 ::
ip -6 neigh
ip -s link show lo
