"""`ip rule`: list, add, del (iproute2 6.1 ip/iprule.c) over kernel/fib_rules.py."""
from __future__ import annotations

from typing import Optional

from ...kernel import fib_rules as FR
from ...kernel.inet import ntoa
from ..base import Exit, Proc, matches
from . import common as c
from .common import AF_INET6, Args, IpOpts
from .rt_names import TABLE_NAMES

RULE_USAGE = """Usage: ip rule { add | del } SELECTOR ACTION
       ip rule { flush | save | restore }
       ip rule [ list [ SELECTOR ]]
SELECTOR := [ not ] [ from PREFIX ] [ to PREFIX ] [ tos TOS ]
            [ fwmark FWMARK[/MASK] ]
            [ iif STRING ] [ oif STRING ] [ pref NUMBER ] [ l3mdev ]
            [ uidrange NUMBER-NUMBER ]
            [ ipproto PROTOCOL ]
            [ sport [ NUMBER | NUMBER-NUMBER ]
            [ dport [ NUMBER | NUMBER-NUMBER ] ]
ACTION := [ table TABLE_ID ]
          [ protocol PROTO ]
          [ nat ADDRESS ]
          [ realms [SRCREALM/]DSTREALM ]
          [ goto NUMBER ]
          SUPPRESSOR
SUPPRESSOR := [ suppress_prefixlength NUMBER ]
              [ suppress_ifgroup DEVGROUP ]
TABLE_ID := [ local | main | default | NUMBER ]
"""

# rtnl_rtntype_a2n: rule types are route types by number (unicast is FR_ACT_TO_TBL)
RULE_TYPES = {"unicast": 1, "local": 2, "broadcast": 3, "brd": 3, "anycast": 4,
              "multicast": 5, "blackhole": 6, "unreachable": 7, "prohibit": 8, "throw": 9,
              "nat": 10, "xresolve": 11}
ACTION_NAMES = {6: "blackhole", 7: "unreachable", 8: "prohibit", 9: "throw", 10: "nat",
                11: "xresolve"}


def usage(proc: Proc) -> None:
    proc.err(RULE_USAGE)
    raise Exit(255)


def _table(proc: Proc, v: str, msg: str) -> int:
    names = {"local": 255, "main": 254, "default": 253, "unspec": 0}
    if v in names:
        return names[v]
    n = c.get_unsigned(v)
    if n is None or n > 0xFFFFFFFF:
        c.invarg(proc, msg, v)
    return n


def _u32(proc: Proc, v: str, msg: str) -> int:
    n = c.get_unsigned(v)
    if n is None or n > 0xFFFFFFFF:
        c.invarg(proc, msg, v)
    return n


def _prefix(proc: Proc, v: str, family: str = "any valid") -> c.Prefix:
    """get_prefix: exits with its own words ("inet" when listing: the dump's family)."""
    p = c.get_prefix(v)
    if p is None:
        proc.err(f'Error: {family} prefix is expected rather than "{v}".\n')
        raise Exit(1)
    return p


def format_rule(r: FR.FibRule, net) -> str:
    s = f"{r.pref}:\t"
    if r.flags & FR.FIB_RULE_INVERT:
        s += "not "
    if r.src_len:
        s += f"from {ntoa(r.src)}" + (f"/{r.src_len}" if r.src_len != 32 else "")
    else:
        s += "from all"
    if r.dst_len:
        s += f" to {ntoa(r.dst)}" + (f"/{r.dst_len}" if r.dst_len != 32 else "")
    if r.tos:
        s += f" tos 0x{r.tos:02x}"
    if r.fwmark is not None or r.fwmask is not None:
        s += f" fwmark {_hex(r.fwmark or 0)}"
        if r.fwmask is not None and r.fwmask != 0xFFFFFFFF:
            s += f"/{_hex(r.fwmask)}"
    if r.iifname is not None:
        s += f" iif {r.iifname}" + (" [detached]" if net.dev_by_name(r.iifname) is None else "")
    if r.oifname is not None:
        s += f" oif {r.oifname}" + (" [detached]" if net.dev_by_name(r.oifname) is None else "")
    if r.table:
        s += f" lookup {TABLE_NAMES.get(r.table, str(r.table))}"
        if r.suppress_prefixlen != -1:
            s += f" suppress_prefixlength {r.suppress_prefixlen}"
    if r.action == FR.FR_ACT_GOTO:
        s += f" goto {r.goto}"
        if not any(x.pref == r.goto for x in FR.rules_of(net)):
            s += " [unresolved]"
    elif r.action == FR.FR_ACT_NOP:
        s += " nop"
    elif r.action != FR.FR_ACT_TO_TBL:
        s += f" {ACTION_NAMES.get(r.action, str(r.action))}"
    return s


def _hex(n: int) -> str:
    return "0" if n == 0 else f"{n:#x}"


def do_iprule(proc: Proc, opts: IpOpts, argv: list[str]) -> int:
    if not argv:
        return show(proc, opts, Args(proc, []))
    cmd = argv[0]
    rest = Args(proc, argv[1:])
    if matches(cmd, "list") or matches(cmd, "lst") or matches(cmd, "show"):
        return show(proc, opts, rest)
    if matches(cmd, "add"):
        return modify(proc, opts, True, rest)
    if matches(cmd, "delete"):
        return modify(proc, opts, False, rest)
    if matches(cmd, "help"):
        usage(proc)
    if matches(cmd, "save") or matches(cmd, "restore") or matches(cmd, "flush"):
        proc.err(f"vethtui: ip rule {cmd}: not simulated\n")
        return 127
    proc.err(f'Command "{cmd}" is unknown, try "ip rule help".\n')
    raise Exit(255)


def show(proc: Proc, opts: IpOpts, args: Args) -> int:
    net = opts.net
    want: dict = {}
    src: Optional[c.Prefix] = None
    dst: Optional[c.Prefix] = None
    while args:
        a = args.cur
        if matches(a, "preference") or matches(a, "order") or matches(a, "priority"):
            want["pref"] = _u32(proc, args.next(), "preference value is invalid\n")
        elif a == "not":
            want["not"] = True
        elif a in ("dev", "iif"):
            want["iifname"] = args.next()
        elif a == "oif":
            want["oifname"] = args.next()
        elif matches(a, "lookup") or matches(a, "table"):
            want["table"] = _table(proc, args.next(), "table id value is invalid\n")
        elif matches(a, "from") or matches(a, "src"):
            src = _prefix(proc, args.next(), "inet")
        else:                                   # anything else is the "to" prefix
            if matches(a, "dst") or matches(a, "to"):
                a = args.next()
            dst = _prefix(proc, a, "inet")
        args.advance()
    if opts.family == AF_INET6:
        rules = [FR.FibRule(0, table=255, protocol=2), FR.FibRule(0x7FFE, table=254, protocol=2)]
    else:
        rules = FR.rules_of(net)
    objs = []
    for r in rules:
        if "pref" in want and r.pref != want["pref"]:
            continue
        if want.get("not") and not r.flags & FR.FIB_RULE_INVERT:
            continue
        if "iifname" in want and r.iifname != want["iifname"]:
            continue
        if "oifname" in want and r.oifname != want["oifname"]:
            continue
        if "table" in want and want["table"] and r.table != want["table"]:
            continue
        if src is not None and (src.plen > r.src_len or (src.addr ^ r.src) & c.prefix_mask(src.plen)):
            continue
        if dst is not None and (dst.plen > r.dst_len or (dst.addr ^ r.dst) & c.prefix_mask(dst.plen)):
            continue
        if opts.json:
            objs.append(rule_json(r, net))
        else:
            proc.out(format_rule(r, net) + "\n")
    if opts.json:
        from .jsonout import dumps
        proc.out(dumps(objs, opts.pretty))
    return 0


def rule_json(r: FR.FibRule, net) -> dict:
    o: dict = {"priority": r.pref}
    if r.flags & FR.FIB_RULE_INVERT:
        o["not"] = None
    o["src"] = ntoa(r.src) if r.src_len else "all"
    if r.src_len and r.src_len != 32:
        o["srclen"] = r.src_len
    if r.dst_len:
        o["dst"] = ntoa(r.dst)
        if r.dst_len != 32:
            o["dstlen"] = r.dst_len
    if r.tos:
        o["tos"] = f"0x{r.tos:02x}"
    if r.iifname is not None:
        o["iif"] = r.iifname
        if net.dev_by_name(r.iifname) is None:
            o["iif_detached"] = None
    if r.oifname is not None:
        o["oif"] = r.oifname
        if net.dev_by_name(r.oifname) is None:
            o["oif_detached"] = None
    if r.table:
        o["table"] = TABLE_NAMES.get(r.table, str(r.table))
        if r.suppress_prefixlen != -1:
            o["suppress_prefixlen"] = r.suppress_prefixlen
    if r.action == FR.FR_ACT_GOTO:
        o["goto"] = r.goto
        if not any(x.pref == r.goto for x in FR.rules_of(net)):
            o["unresolved"] = None
    elif r.action == FR.FR_ACT_NOP:
        o["nop"] = None
    elif r.action != FR.FR_ACT_TO_TBL:
        o["action"] = ACTION_NAMES.get(r.action, str(r.action))
    return o


class RuleReq:
    """What iprule_modify's parse loop gathers: the rule, and (for del) what was said."""

    def __init__(self, add: bool) -> None:
        self.rule = FR.FibRule(pref=0, action=FR.FR_ACT_TO_TBL if add else FR.FR_ACT_UNSPEC)
        self.given: dict = {}
        self.pref_given = False
        self.table_ok = False


# iprule_modify's keywords, in the order of its chain (see common.Keywords)
_KEYWORDS = c.Keywords()


@_KEYWORDS.on("not")
def _not(proc: Proc, args: Args, q: RuleReq) -> None:
    q.rule.flags |= FR.FIB_RULE_INVERT


@_KEYWORDS.on("from")
def _from(proc: Proc, args: Args, q: RuleReq) -> None:
    r = q.rule
    p = _prefix(proc, args.next())
    r.src, r.src_len = p.addr, p.plen
    q.given.update(src=r.src, src_len=r.src_len)


@_KEYWORDS.on("to")
def _to(proc: Proc, args: Args, q: RuleReq) -> None:
    r = q.rule
    p = _prefix(proc, args.next())
    r.dst, r.dst_len = p.addr, p.plen
    q.given.update(dst=r.dst, dst_len=r.dst_len)


@_KEYWORDS.on(prefix=("preference", "order", "priority"))
def _pref(proc: Proc, args: Args, q: RuleReq) -> None:
    q.rule.pref = _u32(proc, args.next(), "preference value is invalid\n")
    q.pref_given = True
    q.given["pref"] = q.rule.pref


@_KEYWORDS.on("tos", prefix=("dsfield",))
def _tos(proc: Proc, args: Args, q: RuleReq) -> None:
    v = args.next()
    n = c.get_unsigned(v)
    if n is None or n > 255:
        c.invarg(proc, "TOS value is invalid\n", v)
    q.rule.tos = n
    q.given["tos"] = n


@_KEYWORDS.on("fwmark")
def _fwmark(proc: Proc, args: Args, q: RuleReq) -> None:
    mark, slash, mask = args.next().partition("/")
    q.rule.fwmark = _u32(proc, mark, "fwmark value is invalid\n")
    if slash:
        q.rule.fwmask = _u32(proc, mask, "fwmask value is invalid\n")


@_KEYWORDS.on("lookup", prefix=("table",))
def _lookup(proc: Proc, args: Args, q: RuleReq) -> None:
    q.rule.table = _table(proc, args.next(), "invalid table ID\n")
    q.given["table"] = q.rule.table
    q.table_ok = True


@_KEYWORDS.on("sup_pl", prefix=("suppress_prefixlength",))
def _suppress_prefixlength(proc: Proc, args: Args, q: RuleReq) -> None:
    v = args.next()
    n = c.get_integer(v)
    if n is None or n < 0:
        c.invarg(proc, "suppress_prefixlength value is invalid\n", v)
    q.rule.suppress_prefixlen = n


@_KEYWORDS.on("dev", "iif")
def _iif(proc: Proc, args: Args, q: RuleReq) -> None:
    v = args.next()
    if c.check_ifname(v):
        c.invarg(proc, '"iif"/"dev" not a valid ifname', v)
    q.rule.iifname = v
    q.given["iifname"] = v


@_KEYWORDS.on("oif")
def _oif(proc: Proc, args: Args, q: RuleReq) -> None:
    v = args.next()
    if c.check_ifname(v):
        c.invarg(proc, '"oif" not a valid ifname', v)
    q.rule.oifname = v
    q.given["oifname"] = v


@_KEYWORDS.on(prefix=("protocol",))
def _protocol(proc: Proc, args: Args, q: RuleReq) -> None:
    args.next()


def _action(proc: Proc, args: Args, q: RuleReq) -> None:
    """The chain's last else: `[type] TYPE`, `goto N`, `nop`, or `help`."""
    r = q.rule
    a = args.cur
    if a == "type":
        a = args.next()
    if matches(a, "help"):
        usage(proc)
    elif matches(a, "goto"):
        r.action = FR.FR_ACT_GOTO
        r.goto = _u32(proc, args.next(), "invalid target\n")
    elif matches(a, "nop"):
        r.action = FR.FR_ACT_NOP
    elif a in RULE_TYPES or c.get_unsigned(a) is not None:
        r.action = RULE_TYPES.get(a, c.get_unsigned(a))
    else:
        c.invarg(proc, "Failed to parse rule type", a)
    q.given["action"] = r.action
    q.table_ok = True


def modify(proc: Proc, opts: IpOpts, add: bool, args: Args) -> int:
    """iprule_modify: parse the rule, then RTM_NEWRULE / RTM_DELRULE (fib_nl_newrule)."""
    net = opts.net
    if not args:
        proc.err(f'"ip rule {"add" if add else "del"}" requires arguments.\n')
        return 1                                # do_cmd returns -(-1)
    if opts.family == AF_INET6:
        proc.err("vethtui: ip -6 rule: IPv6 policy routing not simulated\n")
        return 127
    q = RuleReq(add)
    _KEYWORDS.parse(proc, args, q, _action)
    if add:
        return _add(proc, net, q)
    given = q.given
    if given.get("table") == 0:
        del given["table"]
    if given.get("action") == 0:
        del given["action"]
    try:
        FR.del_rule(net, given)
    except FR.RuleError as err:
        return c.rtnl_error(proc, err.errno, err.msg)
    return 0


def _add(proc: Proc, net, q: RuleReq) -> int:
    """fib_nl_newrule: main's table and the next free preference unless given."""
    r = q.rule
    if not q.table_ok:
        r.table = 254
    if not q.pref_given:
        r.pref = FR.default_pref(net)
    if r.action not in (FR.FR_ACT_TO_TBL, FR.FR_ACT_GOTO, FR.FR_ACT_NOP) and \
            r.action not in FR.ACTION_ERRNO:
        return c.rtnl_error(proc, "EINVAL")
    try:
        FR.add_rule(net, r)
    except FR.RuleError as err:
        return c.rtnl_error(proc, err.errno, err.msg)
    return 0
