"""Policy routing: the IPv4 rule list (net/core/fib_rules.c, net/ipv4/fib_rules.c).

A namespace starts with three rules, 0 `lookup local`, 32766 `lookup main` and 32767
`lookup default`; while nobody has touched them the lookup is fib.fib_lookup's fixed walk
(the kernel's fast path when fib_has_custom_rules is false). The first `ip rule add` or
`ip rule del` gives the namespace its own list (`net.fib_rules`), and from then on every
route lookup, output, input and the reverse one of fib_validate_source, goes through
fib_rules_lookup: rules in priority order, each matching on source and destination
prefixes, tos, iif/oif (by name, as the kernel re-resolves them when devices come and
go: an output lookup's iif is lo), and acting: look a table up (a miss, a throw route or a
missing table go on to the next rule), unreachable, prohibit, blackhole, goto, nop.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Optional

from . import fib
from .inet import prefix_mask

if TYPE_CHECKING:  # pragma: no cover
    from .netns import Net

# enum fr_act (include/uapi/linux/fib_rules.h)
FR_ACT_UNSPEC, FR_ACT_TO_TBL, FR_ACT_GOTO, FR_ACT_NOP = 0, 1, 2, 3
FR_ACT_BLACKHOLE, FR_ACT_UNREACHABLE, FR_ACT_PROHIBIT = 6, 7, 8
FIB_RULE_INVERT = 0x2
LOOPBACK_IFINDEX = 1

# fib4_rule_action: what the error actions answer
ACTION_ERRNO = {FR_ACT_UNREACHABLE: "ENETUNREACH", FR_ACT_PROHIBIT: "EACCES",
                FR_ACT_BLACKHOLE: "EINVAL"}


@dataclass
class FibRule:
    pref: int
    action: int = FR_ACT_TO_TBL
    table: int = 0
    src: int = 0
    src_len: int = 0
    dst: int = 0
    dst_len: int = 0
    tos: int = 0
    iifname: Optional[str] = None
    oifname: Optional[str] = None
    flags: int = 0
    goto: int = 0
    suppress_prefixlen: int = -1
    protocol: int = 0          # RTPROT_UNSPEC for a user's rule, kernel (2) for the defaults
    fwmark: Optional[int] = None
    fwmask: Optional[int] = None

    def key(self) -> tuple:
        return (self.pref, self.action, self.table, self.src, self.src_len, self.dst,
                self.dst_len, self.tos, self.iifname, self.oifname, self.flags, self.goto,
                self.suppress_prefixlen, self.fwmark, self.fwmask)


def default_rules() -> list[FibRule]:
    """fib_default_rules_init."""
    return [FibRule(0, table=fib.RT_TABLE_LOCAL, protocol=2),
            FibRule(0x7FFE, table=fib.RT_TABLE_MAIN, protocol=2),
            FibRule(0x7FFF, table=fib.RT_TABLE_DEFAULT, protocol=2)]


def rules_of(net: "Net") -> list[FibRule]:
    """The namespace's rules (the defaults until someone changes them)."""
    rules = getattr(net, "fib_rules", None)
    return rules if rules is not None else default_rules()


def _own_list(net: "Net") -> list[FibRule]:
    rules = getattr(net, "fib_rules", None)
    if rules is None:
        rules = net.fib_rules = default_rules()   # fib_has_custom_rules = true, for good
    return rules


def default_pref(net: "Net") -> int:
    """fib_default_rule_pref: one below the second rule's priority (0 if that is 0)."""
    rules = rules_of(net)
    if len(rules) >= 2 and rules[1].pref:
        return rules[1].pref - 1
    return 0


class RuleError(Exception):
    def __init__(self, errno: str, msg: str = ""):
        super().__init__(errno)
        self.errno = errno
        self.msg = msg


def add_rule(net: "Net", rule: FibRule) -> None:
    """fib_nl_newrule with NLM_F_EXCL: after the rules of the same or lower priority."""
    if rule.action == FR_ACT_TO_TBL and not rule.table:
        raise RuleError("EINVAL", "Invalid table")
    if rule.action == FR_ACT_GOTO:
        if rule.goto <= rule.pref:
            raise RuleError("EINVAL", "Backward goto not supported")
    rules = _own_list(net)
    if any(r.key() == rule.key() for r in rules):
        raise RuleError("EEXIST")
    i = 0
    while i < len(rules) and rules[i].pref <= rule.pref:
        i += 1
    rules.insert(i, rule)
    net.rt_cache_flush()


def del_rule(net: "Net", want: dict) -> None:
    """fib_nl_delrule: the first rule every given attribute matches."""
    rules = _own_list(net)
    for r in rules:
        if all(getattr(r, k) == v for k, v in want.items()):
            rules.remove(r)
            net.rt_cache_flush()
            return
    raise RuleError("ENOENT")


def _ifindex(net: "Net", name: Optional[str]) -> int:
    """The rule's iif/oif index: 0 for none, -1 when detached (no such device)."""
    if name is None:
        return 0
    dev = net.dev_by_name(name)
    return dev.ifindex if dev is not None else -1


def rule_match(net: "Net", r: FibRule, fl: "fib.Flow") -> bool:
    """fib_rule_match + fib4_rule_match."""
    ok = True
    iif = _ifindex(net, r.iifname)
    oif = _ifindex(net, r.oifname)
    if iif and iif != (fl.iif or LOOPBACK_IFINDEX):
        ok = False
    elif oif and oif != fl.oif:
        ok = False
    elif r.fwmark is not None and (r.fwmark ^ fl.mark) & (0xFFFFFFFF if r.fwmask is None else r.fwmask):
        ok = False
    elif (fl.saddr ^ r.src) & prefix_mask(r.src_len) or (fl.daddr ^ r.dst) & prefix_mask(r.dst_len):
        ok = False
    elif r.tos and r.tos != fl.tos:
        ok = False
    return not ok if r.flags & FIB_RULE_INVERT else ok


def fib_rules_lookup(net: "Net", fl: "fib.Flow", fib_flags: int = 0):
    """__fib_lookup through the rules: a FibResult, or FibError (ENETUNREACH when no rule
    gave an answer: -ESRCH becomes -ENETUNREACH)."""
    rules = rules_of(net)
    i = 0
    while i < len(rules):
        r = rules[i]
        i += 1
        if not rule_match(net, r, fl):
            continue
        if r.action == FR_ACT_GOTO:
            target = next((j for j, x in enumerate(rules) if x.pref == r.goto), None)
            if target is not None:
                i = target
            continue
        if r.action == FR_ACT_NOP:
            continue
        if r.action in ACTION_ERRNO:
            raise fib.FibError(ACTION_ERRNO[r.action])
        tb = net.fib_tables.get(r.table)
        if tb is None:
            continue
        res = fib.fib_table_lookup(tb, fl, fib_flags)
        if res is None or res == "EAGAIN":
            continue
        if isinstance(res, str):
            raise fib.FibError(res)
        if 0 <= r.suppress_prefixlen and res.prefixlen <= r.suppress_prefixlen:
            continue                      # fib4_rule_suppress
        return res
    raise fib.FibError("ENETUNREACH")


fib.register_rules_lookup(fib_rules_lookup)
