"""iptables/iptables.c (xtables.c for iptables-nft): main, do_command and each
command's work on the kernel's tables (vethtui/kernel/netfilter.py), with nft's
error words and exit statuses. The command line is read by xshared.py, printed
back by listing.py.
"""
from __future__ import annotations

from ...kernel import netfilter as xt
from ..base import Proc
from .listing import list_chains, list_rules
from .nft_cache import View
from .xshared import Cmd, parse
from .xtables import KernelError, ParamError, VERSION, xtables_find_match, xtables_find_target

TRY = "Try `iptables -h' or 'iptables --help' for more information.\n"
NO_CHAIN = "iptables: No chain/target/match by that name."
BAD_RULE = "iptables: Bad rule (does a matching rule exist in that chain?)."
OPS = {"A": "RULE_APPEND", "I": "RULE_INSERT", "R": "RULE_REPLACE", "D": "RULE_DELETE",
       "C": "RULE_CHECK"}

USAGE_HEAD = "iptables v1.8.9 (nf_tables)\n\nUsage: iptables -[ACD] chain rule-specification [options]\n       iptables -I chain [rulenum] rule-specification [options]\n       iptables -R chain rulenum rule-specification [options]\n       iptables -D chain rulenum [options]\n       iptables -[LS] [chain [rulenum]] [options]\n       iptables -[FZ] [chain] [options]\n       iptables -[NX] chain\n       iptables -E old-chain-name new-chain-name\n       iptables -P chain target [options]\n       iptables -h (print this help information)\n\nCommands:\nEither long or short options are allowed.\n  --append  -A chain\t\tAppend to chain\n  --check   -C chain\t\tCheck for the existence of a rule\n  --delete  -D chain\t\tDelete matching rule from chain\n  --delete  -D chain rulenum\n\t\t\t\tDelete rule rulenum (1 = first) from chain\n  --insert  -I chain [rulenum]\n\t\t\t\tInsert in chain as rulenum (default 1=first)\n  --replace -R chain rulenum\n\t\t\t\tReplace rule rulenum (1 = first) in chain\n  --list    -L [chain [rulenum]]\n\t\t\t\tList the rules in a chain or all chains\n  --list-rules -S [chain [rulenum]]\n\t\t\t\tPrint the rules in a chain or all chains\n  --flush   -F [chain]\t\tDelete all rules in  chain or all chains\n  --zero    -Z [chain [rulenum]]\n\t\t\t\tZero counters in chain or all chains\n  --new     -N chain\t\tCreate a new user-defined chain\n  --delete-chain\n            -X [chain]\t\tDelete a user-defined chain\n  --policy  -P chain target\n\t\t\t\tChange policy on chain to target\n  --rename-chain\n            -E old-chain new-chain\n\t\t\t\tChange chain name, (moving any references)\n\nOptions:\n    --ipv4\t-4\t\tNothing (line is ignored by ip6tables-restore)\n    --ipv6\t-6\t\tError (line is ignored by iptables-restore)\n[!] --protocol\t-p proto\tprotocol: by number or name, eg. `tcp'\n[!] --source\t-s address[/mask][...]\n\t\t\t\tsource specification\n[!] --destination -d address[/mask][...]\n\t\t\t\tdestination specification\n[!] --in-interface -i input name[+]\n\t\t\t\tnetwork interface name ([+] for wildcard)\n --jump\t-j target\n\t\t\t\ttarget for rule (may load target extension)\n  --goto      -g chain\n\t\t\t       jump to chain with no return\n  --match\t-m match\n\t\t\t\textended match (may load extension)\n  --numeric\t-n\t\tnumeric output of addresses and ports\n[!] --out-interface -o output name[+]\n\t\t\t\tnetwork interface name ([+] for wildcard)\n  --table\t-t table\ttable to manipulate (default: `filter')\n  --verbose\t-v\t\tverbose mode\n  --wait\t-w [seconds]\tmaximum wait to acquire xtables lock before give up\n  --line-numbers\t\tprint line numbers when listing\n  --exact\t-x\t\texpand numbers (display exact values)\n[!] --fragment\t-f\t\tmatch second or further fragments only\n  --modprobe=<command>\t\ttry to insert modules using this command\n  --set-counters -c PKTS BYTES\tset the counter during insert/append\n[!] --version\t-V\t\tprint package version.\n"


def main(proc: Proc, argv: list[str]) -> int:
    try:
        c = parse(argv)
        if c.command == "h":
            proc.out(USAGE_HEAD)
            return 0
        if c.command == "V":
            proc.outln(VERSION)
            return 0
        if not c.command:
            raise ParamError("no command specified")
        if c.command in "LSFZNXEP" and (c.has_rule_opts or c.loaded or c.jump) and \
                c.command not in "LS":
            raise ParamError(f"Illegal option `-{_first_rule_opt(c)}' with this command")
        return do_command(proc, c)
    except ParamError as e:
        proc.err(f"{VERSION}: {e.msg}\n" + ("\n" if e.blank else "") + TRY
                 if not e.msg.startswith("Bad argument") else f"{e.msg}\n{TRY}")
        return 2
    except KernelError as e:
        proc.err(e.msg + "\n")
        return e.status


def _first_rule_opt(c: Cmd) -> str:
    r = c.rule
    if r.smsk or r.invflags & xt.IPT_INV_SRCIP:
        return "s"
    if r.dmsk:
        return "d"
    return "j" if c.jump else "p"


def do_command(proc: Proc, c: Cmd) -> int:
    if c.table not in xt.TABLES:
        raise KernelError(f"{VERSION}: table '{c.table}' does not exist\n"
                          f"Perhaps iptables or your kernel needs to be upgraded.", 3)
    view = View(proc.net, c.table)
    if not c.zero:
        return COMMAND_FUNCS[c.command](proc, view, c)
    return _list_and_zero(proc, view, c)


def _list_and_zero(proc: Proc, view: View, c: Cmd) -> int:
    """CMD_LIST|CMD_ZERO: the listing, then the zeroing of what it listed. The listing
    puts the built-in chains the kernel lacks in the cache (nft_xt_fake_builtin_chains);
    zeroing one creates it, unless the table itself is missing: then the batch fails
    (CHAIN_ZERO, ENOENT), an error stderr shows before the buffered listing in a pipe."""
    out: list[str] = []
    real_write = proc._write

    def buffered(kind: str, text: str) -> None:     # stdout, buffered until the end
        if kind == "out":
            out.append(text)
        else:
            real_write(kind, text)

    proc._write = buffered
    try:
        status = COMMAND_FUNCS[c.command](proc, view, c)
        if status:
            return status
        chains = ([view.chains[c.chain]] if c.chain is not None and c.chain in view.chains
                  else view.ordered())
        if c.chain is not None and c.chain not in view.chains:
            raise KernelError(NO_CHAIN)
        failed = None
        for ch in chains:
            if c.verbose and not c.rulenum:
                proc.out(f"Zeroing chain `{ch.name}'\n")
            if view.table is None:
                failed = failed or ch.name
                continue
            if c.rulenum:
                if c.rulenum <= len(ch.rules):
                    ch.rules[c.rulenum - 1].pcnt = ch.rules[c.rulenum - 1].bcnt = 0
                continue
            if ch.builtin:
                view.table.use_chain(ch.name)
            _zero_chain(view, ch)
        if failed is not None:
            raise KernelError(f"{VERSION}:  CHAIN_ZERO failed (No such file or directory): "
                              f"chain {failed}", 4)
        return 0
    except KernelError as e:
        if proc.tty:                            # line-buffered: the listing came first
            for text in out:
                real_write("out", text)
            out.clear()
        proc.err(e.msg + "\n")
        return e.status
    finally:
        proc._write = real_write
        for text in out:
            real_write("out", text)


def _cmd_list(proc: Proc, view: View, c: Cmd) -> int:
    return list_chains(proc, view, c)


def _cmd_list_rules(proc: Proc, view: View, c: Cmd) -> int:
    if c.has_rule_opts:
        return 0                # -S with -s or -d: nothing printed, success
    return list_rules(proc, view, c)


def _zero_chain(view: View, ch) -> None:
    ch.pcnt = ch.bcnt = 0
    if ch.builtin and view.table is not None and ch.name in view.table.used:
        ch.stats = True
    for r in ch.rules:
        r.pcnt = r.bcnt = 0


def _in_kernel(view: View, ch) -> bool:
    """Whether nft has the chain: iptables-nft makes a built-in one only when a command
    touches it, and the table with its first chain."""
    return view.table is not None and (not ch.builtin or ch.name in view.table.used)


def _cmd_zero(proc: Proc, view: View, c: Cmd) -> int:
    """nft_chain_zero_counters (only the chains the kernel has; with -v,
    __nft_chain_zero_counters names each one), or with a rule number
    nft_rule_zero_counters (a rule that is not there: nothing, and success)."""
    if c.chain is None:
        for ch in view.ordered():
            if not _in_kernel(view, ch):
                continue
            if c.verbose:
                proc.out(f"Zeroing chain `{ch.name}'\n")
            _zero_chain(view, ch)
        return 0
    ch = view.chains.get(c.chain)
    if ch is None or not _in_kernel(view, ch):
        raise KernelError(NO_CHAIN)
    if c.rulenum:
        if c.rulenum <= len(ch.rules):
            ch.rules[c.rulenum - 1].pcnt = ch.rules[c.rulenum - 1].bcnt = 0
        return 0
    if c.verbose:
        proc.out(f"Zeroing chain `{ch.name}'\n")
    _zero_chain(view, ch)
    return 0


# ---------------------------------------------------------------- -A -I -D -R -C

def build_rule(c: Cmd) -> xt.Rule:
    r = c.rule
    r.matches = list(c.loaded)
    for m in r.matches:
        xtables_find_match(m.name).final_check(m)
    opts = dict(c.target_opts)
    opts.pop("goto", None)
    target = xtables_find_target(c.jump) if c.jump else None
    if target is not None:
        target.final_check(opts)
    if c.jump:
        r.target = xt.Target(c.jump, goto=bool(c.target_opts.get("goto")), **opts)
    return r


def kernel_check(view: View, c: Cmd, r: xt.Rule, chain: str, op: str) -> None:
    """What the kernel refuses with EINVAL (xt_check_target: wrong table or hook)."""
    t = r.target.name
    table = view.name
    ok = True
    if t in ("DNAT", "REDIRECT"):
        ok = table == "nat" and chain in ("PREROUTING", "OUTPUT") or (
            table == "nat" and not view.chains[chain].builtin)
    elif t in ("SNAT",):
        ok = table == "nat" and (chain in ("POSTROUTING", "INPUT")
                                 or not view.chains[chain].builtin)
    elif t == "MASQUERADE":
        ok = table == "nat" and (chain == "POSTROUTING" or not view.chains[chain].builtin)
    elif t == "REJECT":
        ok = chain in ("INPUT", "FORWARD", "OUTPUT") or not view.chains[chain].builtin
        if r.target.opts.get("with") == "tcp-reset" and (
                r.proto != 6 or r.invflags & xt.IPT_INV_PROTO):
            ok = False
    if not ok:
        raise KernelError(f"{VERSION}:  {op} failed (Invalid argument): rule in chain {chain}", 4)


def check_ifaces(c: Cmd, chain: str) -> None:
    r = c.rule
    if r.outiface and chain in ("INPUT", "PREROUTING"):
        raise ParamError(f"Can't use -o with {chain}", blank=True)
    if r.iniface and chain in ("OUTPUT", "POSTROUTING"):
        raise ParamError(f"Can't use -i with {chain}", blank=True)


def _cmd_rule(proc: Proc, view: View, c: Cmd) -> int:
    cmd, chain = c.command, c.chain
    ch = view.chains.get(chain)
    if cmd == "D" and c.rulenum:
        return _delete_num(proc, ch, c)
    check_ifaces(c, chain)
    r = build_rule(c)
    if r.target.name and r.target.name not in xt.BUILTIN_TARGETS:
        if r.target.name not in view.chains:
            raise ParamError(f"Chain '{r.target.name}' does not exist")
    if ch is None:
        raise KernelError(BAD_RULE if cmd == "C" else NO_CHAIN)
    if cmd == "C":
        if any(old.same(r) for old in ch.rules):
            return 0
        raise KernelError(BAD_RULE)
    if cmd == "I" and c.rulenum > len(ch.rules) + 1:
        raise KernelError("iptables: Index of insertion too big.")
    if cmd == "R" and c.rulenum > len(ch.rules):
        raise KernelError("iptables: Index of replacement too big.")
    if cmd == "D":
        return _delete_rule(proc, ch, c, r)
    kernel_check(view, c, r, chain, OPS[cmd])
    _add_rule(proc, c, r)
    return 0


def _delete_num(proc: Proc, ch, c: Cmd) -> int:
    """-D chain rulenum."""
    if ch is None:
        raise KernelError(NO_CHAIN)
    if c.rulenum > len(ch.rules):
        raise KernelError("iptables: Index of deletion too big.")
    table = xt.xt_find_table(proc.net, c.table, create=True)
    r = table.chains[c.chain].rules.pop(c.rulenum - 1)
    table.rule_removed(r)
    return 0


def _delete_rule(proc: Proc, ch, c: Cmd, r: xt.Rule) -> int:
    """-D chain rule-specification: the first rule the same but for its counters."""
    for idx, old in enumerate(ch.rules):
        if old.same(r):
            table = xt.xt_find_table(proc.net, c.table, create=True)
            table.chains[c.chain].rules.pop(idx)
            table.rule_removed(old)
            return 0
    raise KernelError(BAD_RULE)


def _add_rule(proc: Proc, c: Cmd, r: xt.Rule) -> None:
    """-A, -I, -R: the rule goes in; the chain is in use from then on."""
    table = xt.xt_find_table(proc.net, c.table, create=True)
    table.use_chain(c.chain)
    rules = table.chains[c.chain].rules
    if c.command == "A":
        rules.append(r)
    elif c.command == "I":
        rules.insert(c.rulenum - 1, r)
    else:
        old = rules[c.rulenum - 1]
        rules[c.rulenum - 1] = r
        table.rule_removed(old)
    table.rule_added(r)


# ---------------------------------------------------------------- the chains

def _cmd_flush(proc: Proc, view: View, c: Cmd) -> int:
    table = view.table
    if c.chain is not None and c.chain not in view.chains:
        raise KernelError(NO_CHAIN)
    if table is None:
        return 0
    for ch in table.chains.values():
        if c.chain is None or ch.name == c.chain:
            for r in ch.rules:
                table.rule_removed(r)
            ch.rules = []
    return 0


def _cmd_new_chain(proc: Proc, view: View, c: Cmd) -> int:
    name = c.chain
    if name in xt.BUILTIN_TARGETS or name in ("ACCEPT", "DROP", "QUEUE", "RETURN"):
        raise ParamError("chain name may not clash with target name")
    if name.startswith("-") or name.startswith("!"):
        raise ParamError(f"chain name not allowed to start with `{name[0]}'")
    if len(name) > 28:
        raise ParamError(f"chain name `{name}' too long (must be under 29 chars)")
    if name in view.chains:
        raise KernelError("iptables: Chain already exists.")
    table = xt.xt_find_table(proc.net, c.table, create=True)
    table.chains[name] = xt.Chain(name, False)
    return 0


def _busy(ch) -> KernelError:
    return KernelError(f"{VERSION}:  CHAIN_DEL failed (Device or resource busy): "
                       f"chain {ch.name}", 4)


def _cmd_delete_chain(proc: Proc, view: View, c: Cmd) -> int:
    table = view.table
    if c.chain is None:
        if table is None:
            return 0
        for ch in list(table.user_chains()):
            if table.references(ch.name) or ch.rules:
                raise _busy(ch)
            del table.chains[ch.name]
        return 0
    ch = view.chains.get(c.chain)
    if ch is None:
        raise KernelError(NO_CHAIN)
    if ch.builtin and not ch.rules:
        return 0            # an empty base chain: nft deletes it, iptables lists it anyway
    if ch.builtin or table.references(ch.name) or ch.rules:
        raise _busy(ch)
    del table.chains[ch.name]
    return 0


def _cmd_rename_chain(proc: Proc, view: View, c: Cmd) -> int:
    ch = view.chains.get(c.chain)
    if ch is None or ch.builtin:
        raise KernelError(NO_CHAIN)
    if c.newname in view.chains:
        raise KernelError("iptables: File exists.")
    table = view.table
    new = {}
    for name, chn in table.chains.items():
        if name == c.chain:
            chn.name = c.newname
            new[c.newname] = chn
        else:
            new[name] = chn
    table.chains.clear()
    table.chains.update(new)
    for chn in table.chains.values():
        for r in chn.rules:
            if r.target.name == c.chain:
                r.target.name = c.newname
    return 0


def _cmd_policy(proc: Proc, view: View, c: Cmd) -> int:
    ch = view.chains.get(c.chain)
    if ch is None or not ch.builtin:
        raise KernelError("iptables: Bad built-in chain name.")
    if c.policy not in ("ACCEPT", "DROP"):
        raise KernelError("iptables: Bad policy name. Run `dmesg' for more information.")
    table = xt.xt_find_table(proc.net, c.table, create=True)
    table.use_chain(c.chain)
    table.chains[c.chain].policy = c.policy
    table.chains[c.chain].stats = True
    return 0


COMMAND_FUNCS = {
    "L": _cmd_list, "S": _cmd_list_rules, "Z": _cmd_zero, "F": _cmd_flush,
    "A": _cmd_rule, "I": _cmd_rule, "D": _cmd_rule, "R": _cmd_rule, "C": _cmd_rule,
    "N": _cmd_new_chain, "X": _cmd_delete_chain, "E": _cmd_rename_chain, "P": _cmd_policy,
}
