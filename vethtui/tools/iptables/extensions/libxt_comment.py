"""libxt_comment: `-m comment --comment TEXT`, printed as /* TEXT */ (xt_comment)."""
from __future__ import annotations

from ....kernel import netfilter as xt
from ..xtables import XtMatch, quote, xtables_register_match


def comment_load(c, name: str) -> None:
    c.loaded.append(xt.CommentMatch(""))


def comment_parse(c, m, name: str, optarg, invert: bool) -> None:
    m.text = optarg()


def comment_print(m, numeric: bool, rule) -> str:
    return f" /* {m.text} */"


def comment_save(m, rule) -> str:
    return " -m comment --comment" + quote(m.text)


xtables_register_match(XtMatch("comment", ("comment",), load=comment_load, parse=comment_parse,
                               print=comment_print, save=comment_save))
