"""libipt_REJECT: `-j REJECT [--reject-with TYPE]` (the kernel's nf_reject answers)."""
from __future__ import annotations

from ....kernel.nf_reject import REJECT_CODES
from ..xtables import ParamError, XtTarget, xtables_register_target


def reject_parse(c, name: str, optarg) -> None:
    text = optarg()
    aliases = {"tcp-rst": "tcp-reset", "icmp-net-unreachable": "icmp-net-unreachable"}
    text = aliases.get(text, text)
    if text not in REJECT_CODES and text != "tcp-reset":
        raise ParamError(f'unknown reject type "{text}"')
    c.target_opts["with"] = text


def reject_print(t, numeric: bool) -> str:
    return f" reject-with {t.opts.get('with', 'icmp-port-unreachable')}"


def reject_save(t) -> str:
    return f" --reject-with {t.opts.get('with', 'icmp-port-unreachable')}"


xtables_register_target(XtTarget("REJECT", ("reject-with",), parse=reject_parse,
                                 print=reject_print, save=reject_save))
