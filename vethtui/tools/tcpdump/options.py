"""tcpdump 4.99.3's command line: its options (getopt_long, as tcpdump.c's), usage
and version texts, and TcpdumpOpts, what a capture is asked to do."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from ..getopt import NO_ARGUMENT, REQUIRED, Getopt, GetoptError, LongOpt

VERSION = """tcpdump version 4.99.3
libpcap version 1.10.3 (with TPACKET_V3)
OpenSSL 3.0.19 27 Jan 2026
"""

USAGE = VERSION + """Usage: tcpdump [-AbdDefhHIJKlLnNOpqStuUvxX#] [ -B size ] [ -c count ] [--count]
\t\t[ -C file_size ] [ -E algo:secret ] [ -F file ] [ -G seconds ]
\t\t[ -i interface ] [ --immediate-mode ] [ -j tstamptype ]
\t\t[ -M secret ] [ --number ] [ --print ] [ -Q in|out|inout ]
\t\t[ -r file ] [ -s snaplen ] [ -T type ] [ --version ]
\t\t[ -V file ] [ -w file ] [ -W filecount ] [ -y datalinktype ]
\t\t[ --time-stamp-precision precision ] [ --micro ] [ --nano ]
\t\t[ -z postrotate-command ] [ -Z user ] [ expression ]
"""

# getopt's SHORTOPTS of tcpdump 4.99 on Linux
WITH_ARG = set("BcCEFGiIjMQrsTVwWyzZm")
NO_ARG = set("aAbdDefhHJKlLnNOpqStuUvxXY#")
LONG_OPTS = {  # name: takes an argument
    "buffer-size": True, "list-interfaces": False, "help": False, "interface": True,
    "monitor-mode": False, "time-stamp-type": True, "list-time-stamp-types": False,
    "micro": False, "nano": False, "time-stamp-precision": True,
    "dont-verify-checksums": False, "list-data-link-types": False, "no-optimize": False,
    "no-promiscuous-mode": False, "direction": True, "snapshot-length": True,
    "absolute-tcp-sequence-numbers": False, "packet-buffered": False, "linktype": True,
    "immediate-mode": False, "debug-filter-parser": False, "relinquish-privileges": True,
    "count": False, "fp-type": False, "number": False, "print": False, "version": False,
}
LONG_AS_SHORT = {"buffer-size": "B", "list-interfaces": "D", "help": "h", "interface": "i",
                 "monitor-mode": "I", "time-stamp-type": "j", "list-time-stamp-types": "J",
                 "dont-verify-checksums": "K", "list-data-link-types": "L",
                 "no-optimize": "O", "no-promiscuous-mode": "p", "direction": "Q",
                 "snapshot-length": "s", "absolute-tcp-sequence-numbers": "S",
                 "packet-buffered": "U", "linktype": "y", "debug-filter-parser": "Y",
                 "relinquish-privileges": "Z", "number": "#"}
MAXIMUM_SNAPLEN = 262144
STDIO_BUFSIZ = 4096


@dataclass
class TcpdumpOpts:
    iface: Optional[str] = None
    count: int = 0
    numeric: int = 0
    linebuf: bool = False
    ether: bool = False
    verbose: int = 0
    quiet: bool = False
    tstamp: int = 0          # number of -t given
    direction: str = "inout"
    write: Optional[str] = None
    read: Optional[str] = None
    xflag: int = 0           # -x / -xx
    Xflag: int = 0           # -X / -XX
    Aflag: int = 0           # -A / -AA
    number: bool = False
    expr: list[str] = field(default_factory=list)
    list_ifaces: bool = False
    snaplen: int = MAXIMUM_SNAPLEN
    immediate: bool = False
    print_with_w: bool = False
    count_mode: bool = False
    packet_buffered: bool = False
    nano: bool = False
    Sflag: bool = False      # -S: absolute TCP sequence numbers

    @property
    def hex(self) -> int:
        """Old name: nonzero when -x/-X was given."""
        return self.xflag + 10 * self.Xflag


class TcpdumpUsage(Exception):
    def __init__(self, message: str, status: int = 1, stdout: bool = False):
        self.message = message
        self.status = status
        self.stdout = stdout


def _atoi(s: str) -> int:
    """C's atoi: leading blanks, a sign, digits; 0 if none."""
    s = s.lstrip(" \t\n\r\f\v")
    sign = 1
    if s[:1] in "+-" and s:
        sign = -1 if s[0] == "-" else 1
        s = s[1:]
    n = 0
    for ch in s:
        if not ch.isdigit():
            break
        n = n * 10 + int(ch)
    return sign * n


SHORTOPTS = "".join(ch + ":" for ch in sorted(WITH_ARG)) + "".join(sorted(NO_ARG))
LONGOPTS = [LongOpt(name, REQUIRED if takes else NO_ARGUMENT, LONG_AS_SHORT.get(name, ""))
            for name, takes in LONG_OPTS.items()]


def parse_args(argv: list[str]) -> TcpdumpOpts:
    """getopt_long as glibc does it for tcpdump's options (it permutes: options may
    follow the expression words)."""
    o = TcpdumpOpts()
    g = Getopt("tcpdump", argv, SHORTOPTS, LONGOPTS)
    try:
        for opt, val in g:
            if len(opt) == 1:
                _opt(o, opt, val or "")
            else:
                _long_only(o, opt, val)
    except GetoptError as err:
        raise TcpdumpUsage(f"{err}\n" + USAGE)
    o.expr = g.operands
    return o


def _long_only(o: TcpdumpOpts, name: str, val: Optional[str]) -> None:
    """The long options with no short letter."""
    if name == "version":
        raise TcpdumpUsage(VERSION, 0, stdout=True)
    elif name == "immediate-mode":
        o.immediate = True
    elif name == "print":
        o.print_with_w = True
    elif name == "count":
        o.count_mode = True
    elif name == "nano":
        o.nano = True
    elif name == "micro":
        o.nano = False
    elif name == "time-stamp-precision":
        if val not in ("micro", "nano"):
            raise TcpdumpUsage("tcpdump: unsupported time stamp precision\n")
        o.nano = val == "nano"


def _opt(o: TcpdumpOpts, ch: str, val: str) -> None:
    if ch == "i":
        o.iface = val
    elif ch == "c":
        n = _atoi(val)
        if n <= 0:
            raise TcpdumpUsage(f"tcpdump: invalid packet count {val}\n")
        o.count = n
    elif ch == "w":
        o.write = val
    elif ch == "r":
        o.read = val
    elif ch == "Q":
        v = val.lower()
        if v not in ("in", "out", "inout"):
            raise TcpdumpUsage(f"tcpdump: unknown capture direction `{val}'\n")
        o.direction = v
    elif ch == "s":
        try:
            n = int(val, 0)
        except ValueError:
            n = -1
        if n < 0 or n > MAXIMUM_SNAPLEN:
            raise TcpdumpUsage(f"tcpdump: invalid snaplen {val} (must be >= 0 and <= "
                               f"{MAXIMUM_SNAPLEN})\n")
        o.snaplen = n or MAXIMUM_SNAPLEN
    elif ch == "n":
        o.numeric += 1
    elif ch == "l":
        o.linebuf = True
    elif ch == "e":
        o.ether = True
    elif ch == "v":
        o.verbose += 1
    elif ch == "S":
        o.Sflag = True
    elif ch == "q":
        o.quiet = True
    elif ch == "t":
        o.tstamp += 1
    elif ch == "x":
        o.xflag += 1
    elif ch == "X":
        o.Xflag += 1
    elif ch == "A":
        o.Aflag += 1
    elif ch == "D":
        o.list_ifaces = True
    elif ch == "#":
        o.number = True
    elif ch == "U":
        o.packet_buffered = True
    elif ch == "h":
        raise TcpdumpUsage(USAGE, 0)
