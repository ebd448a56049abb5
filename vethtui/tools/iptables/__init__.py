"""iptables 1.8.9 (nf_tables), Debian 12: -t -A -I -D -R -F -Z -N -X -E -P -L -S and the
rule options, with its words, spacing and exit statuses; iptables-save, iptables-restore.

Laid out as iptables' own source is:
  xtables.py          libxtables: errors, protocol/address/port parsers, the number and
                      string printers, the extension registry (xtables_register_match)
  extensions/         libxt_tcp, libxt_udp, libipt_icmp, libxt_multiport, libxt_conntrack
                      (and state), libxt_comment; libxt_LOG, libipt_REJECT, libxt_NAT
                      (DNAT, SNAT, MASQUERADE, REDIRECT): each registers itself
  xshared.py          do_parse: the command line, left to right
  iptables.py         main and do_command: each command on the kernel's tables
  nft_cache.py        the tables as iptables sees them (View)
  listing.py          -L, -S and the rule as iptables-save writes it
  xtables_save.py     iptables-save
  xtables_restore.py  iptables-restore

The rule lands in the kernel's tables (vethtui/kernel/netfilter.py); listing and -S
print it back the way the libxt_* extensions print themselves.
"""
from __future__ import annotations

from .extensions import init_extensions
from .iptables import main
from .listing import rule_save
from .nft_cache import View
from .xtables_restore import restore_main
from .xtables_save import save_main

init_extensions()     # iptables' init_extensions(): every libxt_* registers itself

__all__ = ["View", "main", "restore_main", "rule_save", "save_main"]
