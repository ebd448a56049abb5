# The shell around the tools: globs over /proc/sys and scratch files, sort/uniq/cut/tr.
sysctl -w net.ipv6.conf.all.disable_ipv6=1
sysctl -w net.ipv6.conf.default.disable_ipv6=1
ip link add veth0 address 02:00:00:00:00:0a type veth peer name veth1 address 02:00:00:00:00:0b
cat /proc/sys/net/ipv4/neigh/veth0/*
cat /proc/sys/net/ipv4/neigh/veth0/*_ms
cat /proc/sys/net/ipv4/conf/*/rp_filter
cat /proc/sys/net/ipv4/conf/veth?/forwarding
cat /proc/sys/net/ipv4/conf/veth[01]/arp_ignore
echo /proc/sys/net/ipv4/conf/*
echo /proc/sys/net/ipv4/neigh/*/unres_qlen
echo /proc/sys/net/ipv4/conf/nomatch*
echo "/proc/sys/net/ipv4/conf/*"
echo '/proc/sys/net/ipv4/conf/*'
echo /proc/sys/net/ipv4/conf/\*
echo 1 > /proc/sys/net/ipv4/conf/*/arp_ignore
echo 2 > /proc/sys/net/ipv4/conf/veth0/arp_ign*
cat /proc/sys/net/ipv4/conf/veth0/arp_ignore
echo b > f1.txt; echo a > f2.txt; echo c > g1.txt
echo f*.txt
cat f*.txt
cat *.txt | sort -r
echo [fg]1.txt
echo ?1.txt
sysctl -a 2>/dev/null | grep 'ipv4.conf.veth0' | sort | head -5
sysctl -a 2>/dev/null | grep 'ipv4.conf.veth0' | cut -d' ' -f1 | cut -d. -f5 | sort -r | head -4
sysctl -a 2>/dev/null | grep 'ipv4.conf' | cut -d. -f4 | sort | uniq -c
sysctl -a 2>/dev/null | grep 'ipv4.conf' | cut -d. -f4 | sort -u
sysctl -a 2>/dev/null | grep 'ipv4.conf.all' | sort -t= -k2 -n -r | head -3
sysctl -n net.ipv4.conf.veth0.rp_filter net.ipv4.conf.all.rp_filter | uniq -c
ip -br link | tr -s ' ' | cut -d' ' -f1,2
ip -br link | tr a-z A-Z
ip -br link | tr -d '@'
echo hello world | tr '[:lower:]' '[:upper:]'
echo 'a  b   c' | tr -s ' '
echo abc | tr -d
echo abc | tr
echo -e 'y\nx' | sort
echo -e '3\n10\n2\n10' | sort -n
echo -e '3\n10\n2\n10' | sort
echo -e '3\n10\n2\n10' | sort -nu
echo -e 'b 2\na 10\nc 1' | sort -k2 -n
echo -e 'b 2\na 10\nc 1' | sort -k2
echo -e 'a\na\nb\na' | uniq
echo -e 'a\na\nb\na' | uniq -c
echo -e 'a\na\nb\na' | uniq -d
echo -e 'a\na\nb\na' | uniq -u
echo 'a:b:c:d' | cut -d: -f2-
echo 'a:b:c:d' | cut -d: -f1,3
echo 'a:b:c:d' | cut -d: -f-2
echo 'abcdef' | cut -c2-4
echo 'a:b' | cut -f1
echo 'a:b' | cut -d: -f0
echo 'a:b' | cut -d:: -f1
echo 'a:b' | cut
sort -z 2>&1 < /dev/null
sort -k 0 f1.txt
sort -k 1.0 f1.txt
sort -k 1x f1.txt
sort -k a f1.txt
sort -k 1,0 f1.txt
sort -t ab f1.txt
uniq -f x f1.txt
cut -c 0 f1.txt
cut -f 1x f1.txt
tr a
tr -d a b
tr '[:foo:]' x
tr z-a x
sort nosuch.txt
cut -f1 nosuch.txt
uniq f1.txt f2.txt
cat f2.txt
sort f1.txt f2.txt g1.txt
sort < f1.txt
tr a-z A-Z < g1.txt
