"""What iptables prints: `-L` (iptables.c's list_entries and print_firewall, the
header and one line a rule, each match and target printing itself), and the rule
as `-S` and iptables-save write it (nft-ipv4.c's save_rule, each extension's save).
"""
from __future__ import annotations

from ...kernel import netfilter as xt
from ..base import Proc
from .nft_cache import View
from .xshared import Cmd
from .xtables import (PROTO_BY_NUM, VERSION, addr_text, bang, fmt_num, save_addr,
                      xtables_find_match, xtables_find_target)


# ---------------------------------------------------------------- the extensions' words

def match_print(m, numeric: bool, rule: xt.Rule) -> str:
    ext = xtables_find_match(m.name)
    return ext.print(m, numeric, rule) if ext is not None else ""


def target_print(t: xt.Target, numeric: bool = False) -> str:
    ext = xtables_find_target(t.name)
    return ext.print(t, numeric) if ext is not None else ""


def match_save(m, r: xt.Rule) -> str:
    ext = xtables_find_match(m.name)
    return ext.save(m, r) if ext is not None else ""


def target_save(t: xt.Target) -> str:
    ext = xtables_find_target(t.name)
    return ext.save(t) if ext is not None else ""


# ---------------------------------------------------------------- -S and iptables-save

def rule_save(chain: str, r: xt.Rule) -> str:
    out = f"-A {chain}"
    inv = r.invflags
    if r.smsk:
        out += bang(inv & xt.IPT_INV_SRCIP) + f" -s {save_addr(r.src, r.smsk)}"
    if r.dmsk:
        out += bang(inv & xt.IPT_INV_DSTIP) + f" -d {save_addr(r.dst, r.dmsk)}"
    if r.iniface:
        out += bang(inv & xt.IPT_INV_VIA_IN) + f" -i {r.iniface}"
    if r.outiface:
        out += bang(inv & xt.IPT_INV_VIA_OUT) + f" -o {r.outiface}"
    if r.proto:
        out += bang(inv & xt.IPT_INV_PROTO) + f" -p {PROTO_BY_NUM.get(r.proto, str(r.proto))}"
    if r.fragment:
        out += " -f"
    for m in r.matches:
        out += match_save(m, r)
    t = r.target
    if t.name:
        out += f" -{'g' if t.goto else 'j'} {t.name}" + target_save(t)
    return out


def list_rules(proc: Proc, view: View, c: Cmd) -> int:
    chains = view.ordered()
    if c.chain is not None:
        ch = view.chains.get(c.chain)
        if ch is None:
            return _incompatible(proc, c)
        if c.rulenum:
            if c.rulenum <= len(ch.rules):
                proc.outln(_counted(rule_save(ch.name, ch.rules[c.rulenum - 1]),
                                    ch.rules[c.rulenum - 1], c))
            return 0
        chains = [ch]
    for ch in chains:
        if ch.builtin:
            proc.outln(f"-P {ch.name} {ch.policy}" + (
                f" -c {ch.pcnt} {ch.bcnt}" if c.verbose else ""))
        else:
            proc.outln(f"-N {ch.name}")
    for ch in chains:
        for r in ch.rules:
            proc.outln(_counted(rule_save(ch.name, r), r, c))
    return 0


def _counted(line: str, r, c: Cmd) -> str:
    """-S -v: the counters go before the target (or at the end without one)."""
    if not c.verbose:
        return line
    counters = f" -c {r.pcnt} {r.bcnt}"
    t = r.target
    if t.name:
        tail = f" -{'g' if t.goto else 'j'} {t.name}" + target_save(t)
        if line.endswith(tail):
            return line[:-len(tail)] + counters + tail
    return line + counters


# ---------------------------------------------------------------- -L

def rule_line(r: xt.Rule, num: int, numeric: bool, verbose: bool, exact: bool,
              linenum: bool) -> str:
    out = ""
    if linenum:
        out += f"{num:<4d} "
    if verbose:
        out += fmt_num(r.pcnt, exact) + fmt_num(r.bcnt, exact)
    out += f"{r.target.name:<9s} "
    out += "!" if r.invflags & xt.IPT_INV_PROTO else " "
    if numeric:
        out += f"{r.proto:<5d}"
    else:
        pname = "all" if r.proto == 0 else PROTO_BY_NUM.get(r.proto)
        out += f"{pname:<5s}" if pname else f"{r.proto:<5d}"
    out += ("-f" if r.fragment else "--") + " "
    if verbose:
        anyif = "*" if numeric else "any"
        iface = ("!" if r.invflags & xt.IPT_INV_VIA_IN else "") + (r.iniface or anyif)
        out += f" {iface:<6s} "
        iface = ("!" if r.invflags & xt.IPT_INV_VIA_OUT else "") + (r.outiface or anyif)
        out += f"{iface:<6s} "
    out += "!" if r.invflags & xt.IPT_INV_SRCIP else " "
    out += f"{addr_text(r.src, r.smsk, numeric):<19s} "
    out += "!" if r.invflags & xt.IPT_INV_DSTIP else " "
    out += f"{addr_text(r.dst, r.dmsk, numeric):<19s} "
    if r.target.goto:
        out += "[goto] "
    for m in r.matches:
        out += match_print(m, numeric, r)
    out += target_print(r.target, numeric)
    return out


def header_line(numeric: bool, verbose: bool, exact: bool, linenum: bool) -> str:
    out = ""
    if linenum:
        out += "num  "
    if verbose:
        out += "    pkts      bytes " if exact else " pkts bytes "
    out += f"{'target':<9s} " + " prot " + "opt"
    if verbose:
        out += f" {'in':<6s} " + f"{'out':<6s} "
    out += f" {'source':<19s} " + f" {'destination':<19s} "
    return out


def list_chains(proc: Proc, view: View, c: Cmd) -> int:
    chains = view.ordered()
    if c.chain is not None:
        ch = view.chains.get(c.chain)
        if ch is None:
            return _incompatible(proc, c)
        chains = [ch]
        if c.rulenum:
            if c.rulenum <= len(ch.rules):
                proc.outln(rule_line(ch.rules[c.rulenum - 1], c.rulenum, c.numeric, c.verbose,
                                     c.exact, c.linenum).rstrip(" ") + _pad(
                    ch.rules[c.rulenum - 1], c))
            return 0
    first = True
    for ch in chains:
        if not first:
            proc.outln("")
        first = False
        proc.outln(_chain_head(view, ch, c))
        proc.outln(header_line(c.numeric, c.verbose, c.exact, c.linenum))
        for n, r in enumerate(ch.rules, 1):
            proc.outln(rule_line(r, n, c.numeric, c.verbose, c.exact, c.linenum))
    return 0


def _chain_head(view: View, ch, c: Cmd) -> str:
    if not ch.builtin:
        return f"Chain {ch.name} ({view.refs(ch.name)} references)"
    if c.verbose:
        return (f"Chain {ch.name} (policy {ch.policy} "
                f"{fmt_num(ch.pcnt, c.exact, True)}packets, "
                f"{fmt_num(ch.bcnt, c.exact, True)}bytes)")
    return f"Chain {ch.name} (policy {ch.policy})"


def _pad(r, c) -> str:
    line = rule_line(r, 0, c.numeric, c.verbose, c.exact, c.linenum)
    return line[len(line.rstrip(" ")):]


def _incompatible(proc: Proc, c: Cmd) -> int:
    proc.err(f"{VERSION}: chain `{c.chain}' in table `{c.table}' is incompatible, "
             f"use 'nft' tool.\n")
    return 1
