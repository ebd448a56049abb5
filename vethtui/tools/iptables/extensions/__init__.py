"""iptables' extensions (iptables/extensions/): one module per libxt_*/libipt_* shared
object, each registering its match or target with libxtables on import, as each
object's _init does when iptables loads it. init_extensions is initext.c's."""
from __future__ import annotations


def init_extensions() -> None:
    from . import (libipt_icmp, libipt_REJECT, libxt_comment, libxt_conntrack,  # noqa: F401
                   libxt_LOG, libxt_multiport, libxt_NAT, libxt_tcp, libxt_udp)
