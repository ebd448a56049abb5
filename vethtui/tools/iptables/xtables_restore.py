"""iptables-restore (iptables/xtables-restore.c): `*table`, `:chain policy [p:b]`, rules
as iptables' own arguments, COMMIT; each table's lines are applied at its COMMIT,
flushing it first unless -n."""
from __future__ import annotations

import shlex

from ...kernel import netfilter as xt
from ..base import Proc
from .iptables import main


def restore_main(proc: Proc, argv: list[str]) -> int:
    noflush = False
    counters = False
    for a in argv[1:]:
        if a in ("-n", "--noflush"):
            noflush = True
        elif a in ("-c", "--counters"):
            counters = True
        elif a in ("-V", "--version"):
            proc.outln("iptables-restore v1.8.9 (nf_tables)")
            return 0
        elif not a.startswith("-"):
            proc.err(f"iptables-restore v1.8.9 (nf_tables): Can't open {a}: "
                     f"No such file or directory\n")
            return 1
    lines = list(proc.stdin_lines)
    table = None
    pending: list = []
    for lineno, raw in enumerate(lines, 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("*"):
            table = line[1:]
            pending = []
            if table not in xt.TABLES:
                proc.err(f"iptables-restore v1.8.9 (nf_tables): iptables-restore: line {lineno} "
                         f"table name '{table}' invalid\n"
                         f"Error occurred at line: {lineno}\n"
                         f"Try `iptables-restore -h' or 'iptables-restore --help' for more "
                         f"information.\n")
                return 2
            continue
        if table is None:
            proc.err(f"iptables-restore: line {lineno} failed\n")
            return 1
        if line == "COMMIT":
            if not _restore_commit(proc, table, pending, noflush):
                proc.err(f"iptables-restore: line {lineno} failed\n")
                return 1
            table = None
            continue
        pending.append((lineno, line))
    if table is not None:
        proc.err(f"iptables-restore: COMMIT expected at line {len(lines) + 1}\n")
        return 1
    del counters
    return 0


def _restore_commit(proc: Proc, table_name: str, pending, noflush: bool) -> bool:
    net = proc.net
    table = xt.xt_find_table(net, table_name, create=True)
    if not noflush:
        for ch in list(table.chains.values()):
            for r in ch.rules:
                table.rule_removed(r)
            ch.rules = []
            if not ch.builtin:
                del table.chains[ch.name]
    for _n, line in pending:
        if line.startswith(":"):
            parts = line[1:].split()
            name, pol = parts[0], parts[1] if len(parts) > 1 else "-"
            if name in table.chains and table.chains[name].builtin:
                if pol in ("ACCEPT", "DROP"):
                    table.use_chain(name)
                    table.chains[name].policy = pol
                    table.chains[name].stats = True
            elif name not in table.chains:
                table.chains[name] = xt.Chain(name, False)
    for _n, line in pending:
        if line.startswith(":"):
            continue
        try:
            words = shlex.split(line)
        except ValueError:
            return False
        if words and words[0].startswith("[") and words[0].endswith("]"):
            words = words[1:]
        sink: list = []
        sub = Proc(proc.world, net, lambda k, t: sink.append(t))
        if main(sub, ["iptables", "-t", table_name] + words) != 0:
            proc.err("".join(sink))
            return False
    return True
