"""IPv6's interface to the rest of vethtui (as include/net/ipv6.h, addrconf.h and
ip6_route.h declare it for the kernel): the names the tools (`ip -6`, ping) and
the tests call, from the modules that implement them as net/ipv6 splits them:

addrconf_core.py  the address (inet6_ifaddr) and its flags, nd_tbl, the lookups of a
                  device's addresses (ipv6_chk_addr, ipv6_get_ifaddr, ipv6_get_lladdr)
mcast.py          MLD: joined groups, the reports a join and DAD's end send
ip6_route.py      routes, ip6_route_output, hop limit, path MTU
addrconf.py       adding and removing addresses, link events, forwarding, DAD, router
                  solicitations, source selection
reassembly.py     ipv6_frag_rcv

Inside the kernel each module imports the one it needs, never this one.
"""
from __future__ import annotations

from .addrconf import (AddrconfNdisc, add_address, addrconf_dad_failure, addrconf_join_anycast,
                       addrconf_leave_anycast, addrconf_ndisc, addrs, del_address,
                       dev_forward_change, flush_device, ipv6_dev_get_saddr, ipv6_link_dev_addr,
                       link_state, select_source)
from .addrconf_core import (ALL_ROUTERS, IFA_F_DADFAILED, IFA_F_NODAD, IFA_F_NOPREFIXROUTE,
                            IFA_F_TENTATIVE, MLDV2_ROUTERS, Addr6, enabled, eui64, ipv6_chk_addr,
                            ipv6_eth_mc_map, ipv6_get_ifaddr, ipv6_get_lladdr, nd_tbl,
                            solicited_node)
from .ip6_route import (PMTU_EXPIRES, Route6, hop_limit, ip6_mtu, ip6_route_output, lookup,
                        path_mtu, rt6_pmtu_discovery)
from .mcast import joined_groups
from .reassembly import IPV6_FRAG_TIMEOUT, ipv6_frag_rcv

__all__ = [
    "AddrconfNdisc", "add_address", "addrconf_dad_failure", "addrconf_join_anycast",
    "addrconf_leave_anycast", "addrconf_ndisc", "addrs", "del_address", "dev_forward_change",
    "flush_device", "ipv6_dev_get_saddr", "ipv6_link_dev_addr", "link_state", "select_source",
    "ALL_ROUTERS", "IFA_F_DADFAILED", "IFA_F_NODAD", "IFA_F_NOPREFIXROUTE", "IFA_F_TENTATIVE",
    "MLDV2_ROUTERS", "Addr6", "enabled", "eui64", "ipv6_chk_addr", "ipv6_eth_mc_map",
    "ipv6_get_ifaddr", "ipv6_get_lladdr", "nd_tbl", "solicited_node",
    "PMTU_EXPIRES", "Route6", "hop_limit", "ip6_mtu", "ip6_route_output", "lookup", "path_mtu",
    "rt6_pmtu_discovery", "joined_groups", "IPV6_FRAG_TIMEOUT", "ipv6_frag_rcv",
]
