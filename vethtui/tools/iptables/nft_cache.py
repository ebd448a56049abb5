"""iptables/nft-cache.c: the tables as iptables-nft reads them from the kernel."""
from __future__ import annotations

from ...kernel import netfilter as xt


class View:
    """A table as iptables sees it: the kernel's, or its built-in chains if it is absent."""

    def __init__(self, net, name: str):
        self.table = xt.xt_find_table(net, name)
        self.name = name
        if self.table is not None:
            self.chains = self.table.chains
        else:
            self.chains = {cn: xt.Chain(cn, True) for cn, _p in xt.TABLES[name]}

    def ordered(self) -> list:
        builtin = [c for c in self.chains.values() if c.builtin]
        user = sorted((c for c in self.chains.values() if not c.builtin), key=lambda c: c.name)
        return builtin + user

    def refs(self, name: str) -> int:
        return sum(1 for c in self.chains.values() for r in c.rules if r.target.name == name)
