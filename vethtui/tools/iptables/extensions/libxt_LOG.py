"""libxt_LOG: `-j LOG [--log-prefix P] [--log-level L] [--log-tcp-sequence ...]`."""
from __future__ import annotations

from ..xtables import ParamError, XtTarget, quote, xtables_register_target

LOG_LEVELS = {"emerg": 0, "panic": 0, "alert": 1, "crit": 2, "error": 3, "err": 3,
              "warning": 4, "warn": 4, "notice": 5, "info": 6, "debug": 7}
LOG_LEVEL_NAMES = ["emerg", "alert", "crit", "err", "warn", "notice", "info", "debug"]
LOG_OPTS = {"log-prefix": 0, "log-level": 0, "log-tcp-sequence": 0x01, "log-tcp-options": 0x02,
            "log-ip-options": 0x04, "log-uid": 0x08, "log-macdecode": 0x20}
LOG_FLAG_WORDS = [(0x01, "tcp-sequence"), (0x02, "tcp-options"), (0x04, "ip-options"),
                  (0x08, "uid"), (0x20, "macdecode")]


def log_parse(c, name: str, optarg) -> None:
    if name == "log-prefix":
        c.target_opts["prefix"] = optarg()
    elif name == "log-level":
        text = optarg()
        level = LOG_LEVELS.get(text.lower(), int(text) if text.isdigit() and
                               int(text) <= 7 else None)
        if level is None:
            raise ParamError(f'log level "{text}" unknown', blank=True)
        c.target_opts["level"] = level
    else:
        c.target_opts["flags"] = c.target_opts.get("flags", 0) | LOG_OPTS[name]


def log_print(t, numeric: bool) -> str:
    level, flags = t.opts.get("level", 4), t.opts.get("flags", 0)
    if numeric:
        out = f" LOG flags {flags} level {level}"
    else:
        out = f" LOG level {LOG_LEVEL_NAMES[level]}"
        out += "".join(f" {w}" for bit, w in LOG_FLAG_WORDS if flags & bit)
    if t.opts.get("prefix"):
        out += f' prefix "{t.opts["prefix"]}"'
    return out


def log_save(t) -> str:
    out = ""
    if t.opts.get("prefix"):
        out += " --log-prefix" + quote(t.opts["prefix"])
    if t.opts.get("level", 4) != 4:
        out += f" --log-level {t.opts['level']}"
    out += "".join(f" --log-{w}" for bit, w in LOG_FLAG_WORDS if t.opts.get("flags", 0) & bit)
    return out


xtables_register_target(XtTarget("LOG", LOG_OPTS, parse=log_parse, print=log_print,
                                 save=log_save))
