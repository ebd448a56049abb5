# iptables' options as people type them: clustered short flags (-nvL, -vnxL), a chain
# glued to -L, long options and their abbreviations, and the errors for unknown ones.
ip link set lo up
iptables -t nat -A POSTROUTING -o eth0 -j MASQUERADE
iptables --append INPUT --protocol icmp --source 10.0.0.0/8 --jump ACCEPT
iptables --insert INPUT 1 --in-interface lo --jump ACCEPT
iptables -nvL
iptables -t nat -nvL POSTROUTING
iptables -t nat -vnxL --line-numbers
iptables -t nat -LPOSTROUTING -n
iptables -t nat -nL POSTROUTING 1
iptables --list INPUT --numeric --verbose
iptables --line -nL INPUT
iptables --list-rules
iptables -nz
iptables -Lz
iptables --bogus
iptables -L -x
iptables -vS INPUT
iptables --delete INPUT 1
iptables --flush
iptables --table nat --list-rules POSTROUTING
