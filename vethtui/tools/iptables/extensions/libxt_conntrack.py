"""libxt_conntrack: `-m conntrack --ctstate` and `-m state --state` (xt_conntrack,
xt_state: the same state bits, words and checks)."""
from __future__ import annotations

from ....kernel import netfilter as xt
from ..xtables import ParamError, XtMatch, bang, xtables_register_match


def parse_states(text: str, opt: str) -> int:
    mask = 0
    names = dict(xt.CT_STATE_NAMES)
    for word in text.split(","):
        bit = names.get(word.upper()) if opt == "ctstate" else (
            names.get(word.upper()) if word.upper() in ("INVALID", "NEW", "RELATED",
                                                         "ESTABLISHED", "UNTRACKED") else None)
        if bit is None:
            raise ParamError(f'Bad {opt} "{word}"')
        mask |= bit
    return mask


def states(mask: int) -> str:
    return ",".join(n for n, b in xt.CT_STATE_NAMES if mask & b)


def state_load(c, name: str) -> None:
    c.loaded.append(xt.StateMatch(name, 0))


def state_parse(c, m, name: str, optarg, invert: bool) -> None:
    m.mask = parse_states(optarg(), name)
    m.inv = invert


def state_final_check(m) -> None:
    if not m.mask:
        raise ParamError("conntrack: At least one option is required" if m.name == "conntrack"
                         else "state: You must specify \"--state\"")


def state_print(m, numeric: bool, rule) -> str:
    word = "ctstate" if m.name == "conntrack" else "state"
    return (" !" if m.inv else "") + f" {word} {states(m.mask)}"


def state_save(m, rule) -> str:
    if m.name == "conntrack":
        return " -m conntrack" + bang(m.inv) + f" --ctstate {states(m.mask)}"
    return " -m state" + bang(m.inv) + f" --state {states(m.mask)}"


for _name, _opt in (("conntrack", "ctstate"), ("state", "state")):
    xtables_register_match(XtMatch(_name, (_opt,), load=state_load, parse=state_parse,
                                   print=state_print, save=state_save,
                                   final_check=state_final_check))
