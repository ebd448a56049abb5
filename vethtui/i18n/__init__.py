"""One message catalogue for everything vethtui itself says (not what the simulated
tools print: those stay exactly Linux's, in English).

Source strings are the English text (gettext's convention): `_("Console")`. Each
language other than English is a module beside this one holding `MESSAGES`, a dict
from the English text to the translation; a string missing there falls back to
English. Strings with fields are formatted after translation:
`_("{n} packets not shown").format(n=n)`, so a translation may move the fields.

The language is chosen once per process (`set_language`) from `--lang`, else from
LC_ALL / LC_MESSAGES / LANG (`zh_CN.UTF-8` gives zh), else English.
"""
from __future__ import annotations

import importlib
import os
from typing import Mapping, Optional

SUPPORTED: tuple[str, ...] = ("en", "zh")
"""The languages vethtui speaks; `--lang` refuses any other."""

_language = "en"
_messages: Mapping[str, str] = {}


class UnknownLanguage(ValueError):
    """`--lang xx` for a language vethtui has no catalogue for."""

    def __init__(self, lang: str) -> None:
        super().__init__(f"vethtui: unknown language '{lang}' "
                         f"(supported: {', '.join(SUPPORTED)})")
        self.lang = lang


def normalise(lang: str) -> Optional[str]:
    """`zh_CN.UTF-8`, `zh-Hans`, `ZH` -> `zh`; `C`/`POSIX` -> `en`; unknown -> None."""
    base = lang.strip().split(".", 1)[0].split("@", 1)[0].replace("-", "_").split("_", 1)[0]
    base = base.lower()
    if base in ("c", "posix"):
        return "en"
    return base if base in SUPPORTED else None


def language_from_environment(environ: Optional[Mapping[str, str]] = None) -> str:
    """The language the locale asks for, as gettext reads it (LC_ALL, then
    LC_MESSAGES, then LANG; the first one set decides), English if unsupported."""
    env = os.environ if environ is None else environ
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(var, "")
        if value:
            return normalise(value) or "en"
    return "en"


def resolve_language(flag: Optional[str], environ: Optional[Mapping[str, str]] = None) -> str:
    """`--lang` if given (raising UnknownLanguage when unsupported), else the locale's."""
    if flag:
        lang = normalise(flag)
        if lang is None:
            raise UnknownLanguage(flag)
        return lang
    return language_from_environment(environ)


def set_language(lang: str) -> None:
    """Make `lang` the language of every later `_()` call in this process."""
    global _language, _messages
    if lang not in SUPPORTED:
        raise UnknownLanguage(lang)
    _language = lang
    _messages = {} if lang == "en" else importlib.import_module(f"{__name__}.{lang}").MESSAGES


def language() -> str:
    """The language in force."""
    return _language


def _(text: str) -> str:
    """`text` (English) in the language in force."""
    return _messages.get(text, text)


def gettext_in(text: str, lang: str) -> str:
    """`text` in `lang`, whatever the process's language (lab tests check both)."""
    if lang == "en" or lang not in SUPPORTED:
        return text
    return importlib.import_module(f"{__name__}.{lang}").MESSAGES.get(text, text)
