"""iptables/xshared.c's do_parse: the command line read left to right.

`!` inverts the option after it; a match's options exist only once it is loaded
(`-p tcp` loads tcp's implicitly, `-m NAME` the others), the target's only after
`-j`. getopt_long's table is LONG_OPTS; each option letter has its handler
(OPTION_HANDLERS), each command its own words after the chain (COMMAND_TAILS), and
an option iptables does not know is offered to the loaded extensions, found by
name in libxtables' registry (xtables.py).
"""
from __future__ import annotations

from typing import Optional

from ...kernel import netfilter as xt
from .xtables import (ParamError, extension_options, parse_addr, parse_protocol,
                      xtables_find_match, xtables_find_target)

LONG_OPTS = {  # getopt_long's table (iptables/xshared.c), long name -> short letter
    "append": "A", "delete": "D", "check": "C", "insert": "I", "replace": "R", "list": "L",
    "list-rules": "S", "flush": "F", "zero": "Z", "new-chain": "N", "delete-chain": "X",
    "rename-chain": "E", "policy": "P", "source": "s", "src": "s", "destination": "d",
    "dst": "d", "protocol": "p", "in-interface": "i", "jump": "j", "table": "t", "match": "m",
    "numeric": "n", "out-interface": "o", "verbose": "v", "wait": "w", "wait-interval": "W",
    "exact": "x", "fragments": "f", "version": "V", "help": "h", "line-numbers": "0",
    "modprobe": "M", "set-counters": "c", "goto": "g", "ipv4": "4", "ipv6": "6",
}
SHORT_OPTS = "ADCIRLSFZNXEPsdtpijmogcMwWnvxfVh046"
COMMANDS = "ADCIRLSFZNXEP"
WITH_ARG = set("ADCIRNEPsdtpijmogcMwW")
OPTIONAL_ARG = set("LSFZX")
CMD_BITS = "IDRALFZNXPESC"      # xshared.h's CMD_* in bit order (cmd2char picks the lowest)


class Cmd:
    def __init__(self):
        self.command = ""
        self.zero = False             # -Z along with -L or -S
        self.chain: Optional[str] = None
        self.rulenum = 0
        self.newname = ""
        self.policy = ""
        self.table = "filter"
        self.numeric = self.verbose = self.exact = self.linenum = False
        self.rule = xt.Rule()
        self.proto_name = ""
        self.has_rule_opts = False
        self.jump = ""
        self.target_opts: dict = {}
        self.loaded: list = []        # matches in order
        self.ports_match: Optional[xt.PortMatch] = None    # what -p tcp|udp loaded
        self.icmp_match: Optional[xt.IcmpMatch] = None     # what -p icmp loaded


class Words:
    """argv as getopt walks it: the next word to read, and the word each option came
    from (a cluster `-nvL` is split into `-n -v -L`, each remembering `-nvL`)."""

    def __init__(self, argv: list[str]):
        self.argv = list(argv)
        self.origins = list(argv)
        self.i = 1

    def more(self) -> bool:
        return self.i < len(self.argv)

    def take(self) -> str:
        self.i += 1
        return self.argv[self.i - 1]

    def unclump(self, rest: str) -> None:
        """getopt's clustered flags: the rest of `-nvL` is read next as `-vL`."""
        self.argv.insert(self.i, "-" + rest)
        self.origins.insert(self.i, self.origins[self.i - 1])

    def optional(self) -> Optional[str]:
        """An optional argument: the next word unless it starts an option or a `!`."""
        if self.i < len(self.argv) and self.argv[self.i] and self.argv[self.i][0] not in "-!":
            return self.take()
        return None

    def rulenum(self) -> Optional[int]:
        """A rule number after the chain, taken only if it is one."""
        if self.more() and self.argv[self.i].isdigit():
            return int(self.take())
        return None


class OptArg:
    """An extension option's argument: `--name=value`, else the next word, read only
    when the option takes one."""

    def __init__(self, name: str, val: str, words: Words):
        self.name = name
        self.val = val
        self.words = words

    def __call__(self) -> str:
        if self.val:
            return self.val
        if not self.words.more():
            raise ParamError(f'option "--{self.name}" requires an argument')
        return self.words.take()

    def extra(self) -> Optional[str]:
        """A second argument (--tcp-flags MASK COMP), or None at the end of the line."""
        return self.words.take() if self.words.more() else None


def parse(argv: list[str]) -> Cmd:
    c = Cmd()
    words = Words(argv)
    invert = False
    while words.more():
        a = words.take()
        if a == "!":
            if invert:
                raise ParamError("multiple consecutive ! not allowed")
            invert = True
            continue
        opt, arg = _getopt(c, words, a, invert)
        if opt is None:
            pass                                # an extension's option, taken
        elif opt in COMMANDS:
            _command(c, words, opt, arg)
        elif opt in OPTION_HANDLERS:
            OPTION_HANDLERS[opt](c, arg, invert)
        invert = False
    if invert:
        raise ParamError("unexpected end of command line after !")  # pragma: no cover
    return c


def _getopt(c: Cmd, words: Words, a: str, invert: bool) -> tuple[Optional[str], Optional[str]]:
    """getopt_long's step over the word a: the option's letter and argument, or (None,
    None) when it was a loaded extension's long option (and that extension took it)."""
    if a.startswith("--"):
        name, eq, val = a[2:].partition("=")
        key = _long(name)
        if key is None:
            if not ext_option(c, name, OptArg(name, eq and val, words), invert):
                raise ParamError(f'unknown option "{a}"')
            return None, None
        opt, arg = key, (val if eq else None)
    elif a.startswith("-") and len(a) > 1:
        opt, arg = a[1], a[2:] or None
        if arg and opt not in WITH_ARG and opt not in OPTIONAL_ARG:
            words.unclump(arg)
            arg = None
        if opt not in SHORT_OPTS:
            raise ParamError(f"unknown option \"{words.origins[words.i - 1]}\"")
    else:
        raise ParamError(f"Bad argument `{a}'", blank=False) from None
    if opt in WITH_ARG and arg is None:
        if not words.more():
            raise ParamError(f'option "{a}" requires an argument')
        arg = words.take()
    return opt, arg


def _long(name: str) -> Optional[str]:
    """A long option by its name or a unique prefix of it (an extension's option name
    is never read as an abbreviation)."""
    if name in LONG_OPTS:
        return LONG_OPTS[name]
    hits = {v for k, v in LONG_OPTS.items() if k.startswith(name)} if name else set()
    if len(hits) == 1 and name not in extension_options():
        return hits.pop()
    return None


def ext_option(c: Cmd, name: str, optarg: OptArg, invert: bool) -> bool:
    """command_default: the protocol's match first, then the loaded matches, the last
    loaded first, then the target; whether one of them took the option."""
    owners = [m for m in (c.ports_match, c.icmp_match) if m is not None]
    owners += [m for m in reversed(c.loaded) if not xtables_find_match(m.name).implicit]
    for m in owners:
        ext = xtables_find_match(m.name)
        if name in ext.options:
            ext.parse(c, m, name, optarg, invert)
            return True
    target = xtables_find_target(c.jump) if c.jump else None
    if target is not None and name in target.options:
        target.parse(c, name, optarg)
        return True
    return False


# ---------------------------------------------------------------- the commands

def _command(c: Cmd, words: Words, opt: str, arg: Optional[str]) -> None:
    # add_command: -L and -S take -Z along (list, then zero: CMD_LIST|CMD_ZERO), and -Z
    # takes -L or -S; any other pair is refused
    if c.command and not c.zero and (opt == "Z" and c.command in "LS"
                                     or opt in "LS" and c.command == "Z"):
        c.zero = True
        if opt == "Z":
            if arg is None:
                arg = words.optional()
            if arg is not None:
                c.chain = arg
                _rulenum_tail(c, words)
            return
        c.command = ""
    if c.command:
        # cmd2char(*cmd & ~othercmds): the lowest command bit the new one may not join
        have = {c.command} | ({"Z"} if c.zero else set())
        have -= {"L", "S"} if opt == "Z" else {"Z"} if opt in "LS" else set()
        first = next(ch for ch in CMD_BITS if ch in have)
        raise ParamError("Cannot use -%s with -%s" % (opt, first))
    c.command = opt
    if opt in OPTIONAL_ARG:
        # -L, -S, -F, -Z, -X [chain]: a chain only if a word follows; -L after -Z CHAIN
        # keeps that chain (p->chain is set, never cleared)
        if arg is None:
            arg = words.optional()
        if arg is not None:
            c.chain = arg
        if opt in "LSZ" and arg is not None:
            _rulenum_tail(c, words)      # -Z CHAIN N: CMD_ZERO_NUM
        return
    c.chain = arg
    tail = COMMAND_TAILS.get(opt)
    if tail is not None:
        tail(c, words)


def _insert_tail(c: Cmd, words: Words) -> None:
    num = words.rulenum()
    c.rulenum = 1 if num is None else num


def _rulenum_tail(c: Cmd, words: Words) -> None:
    """-L, -S, -D: a rule number if one follows the chain."""
    num = words.rulenum()
    if num is not None:
        c.rulenum = num


def _replace_tail(c: Cmd, words: Words) -> None:
    num = words.rulenum()
    if num is None:
        raise ParamError("-R requires a rule number")
    c.rulenum = num


def _rename_tail(c: Cmd, words: Words) -> None:
    if not words.more() or words.argv[words.i].startswith("-"):
        raise ParamError("-E requires old-chain-name and new-chain-name")
    c.newname = words.take()


def _policy_tail(c: Cmd, words: Words) -> None:
    if not words.more():
        raise ParamError("-P requires a chain and a policy")
    c.policy = words.take()


COMMAND_TAILS = {"I": _insert_tail, "D": _rulenum_tail, "R": _replace_tail, "E": _rename_tail,
                 "P": _policy_tail}


# ---------------------------------------------------------------- the rule's options

def _opt_table(c: Cmd, arg: str, invert: bool) -> None:
    if invert:
        raise ParamError("unexpected ! flag before --table")
    c.table = arg


def _opt_source(c: Cmd, arg: str, invert: bool) -> None:
    c.rule.src, c.rule.smsk = parse_addr(arg)
    if invert:
        c.rule.invflags |= xt.IPT_INV_SRCIP
    c.has_rule_opts = True


def _opt_destination(c: Cmd, arg: str, invert: bool) -> None:
    c.rule.dst, c.rule.dmsk = parse_addr(arg)
    if invert:
        c.rule.invflags |= xt.IPT_INV_DSTIP
    c.has_rule_opts = True


def _opt_protocol(c: Cmd, arg: str, invert: bool) -> None:
    num = parse_protocol(arg)
    c.rule.proto = num
    c.proto_name = {6: "tcp", 17: "udp", 1: "icmp"}.get(num, "")
    if invert:
        c.rule.invflags |= xt.IPT_INV_PROTO
    ext = xtables_find_match(c.proto_name) if c.proto_name else None
    if ext is not None and ext.implicit:
        ext.proto_load(c, c.proto_name)


def _opt_in_interface(c: Cmd, arg: str, invert: bool) -> None:
    c.rule.iniface = arg
    if invert:
        c.rule.invflags |= xt.IPT_INV_VIA_IN


def _opt_out_interface(c: Cmd, arg: str, invert: bool) -> None:
    c.rule.outiface = arg
    if invert:
        c.rule.invflags |= xt.IPT_INV_VIA_OUT


def _opt_fragment(c: Cmd, arg, invert: bool) -> None:
    c.rule.fragment = True


def _opt_jump(c: Cmd, arg: str, invert: bool) -> None:
    c.jump = arg


def _opt_goto(c: Cmd, arg: str, invert: bool) -> None:
    c.jump = arg
    c.target_opts["goto"] = True


def _opt_match(c: Cmd, arg: str, invert: bool) -> None:
    ext = xtables_find_match(arg)
    if ext is None:
        raise ParamError(f"Couldn't load match `{arg}':No such file or directory", blank=True)
    ext.load(c, arg)


def _flag(attr: str):
    def handler(c: Cmd, arg, invert: bool) -> None:
        setattr(c, attr, True)
    return handler


def _opt_version(c: Cmd, arg, invert: bool) -> None:
    c.command = c.command or "V"


def _opt_help(c: Cmd, arg, invert: bool) -> None:
    c.command = "h"


OPTION_HANDLERS = {  # the letters iptables reads and ignores (-c -M -w -W -4 -6) are absent
    "t": _opt_table, "s": _opt_source, "d": _opt_destination, "p": _opt_protocol,
    "i": _opt_in_interface, "o": _opt_out_interface, "f": _opt_fragment, "j": _opt_jump,
    "g": _opt_goto, "m": _opt_match, "n": _flag("numeric"), "v": _flag("verbose"),
    "x": _flag("exact"), "0": _flag("linenum"), "V": _opt_version, "h": _opt_help,
}
