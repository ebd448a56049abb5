"""The oracle's comparison, so the goldens can be checked without ../shared.

Same normalisation as ../shared/oracle/oracle.py (its docstring is the
contract): MAC addresses, TCP initial sequence numbers and ephemeral ports
numbered by first appearance; ping and traceroute times, rtt, ICMP ids, pipe
counts, TCP timestamps, conntrack's expiry seconds, HTTP and iptables-save dates
masked; trailing blanks ignored; neighbour dumps (`ip neigh`, `arp -n`) compared
as sets of lines; commands compared in order, capture lines per interface as
sequences. `#real CMD` lines are comments to vethtui (the real kernel alone runs them).
"""
from __future__ import annotations

import difflib
import json
import re
import sys
from pathlib import Path

MAC = re.compile(r"(?<![0-9a-f:])(?:[0-9a-f]{2}:){5}[0-9a-f]{2}(?![0-9a-f:])")  # also right after a colour escape
FIXED_MACS = {"00:00:00:00:00:00", "ff:ff:ff:ff:ff:ff"}
SUBS = [
    (re.compile(r"time=\d+(?:\.\d+)? ms"), "time=<t> ms"),
    (re.compile(r"time \d+ms"), "time <t>ms"),
    (re.compile(r"rtt min/avg/max/mdev = [\d./]+ ms"), "rtt min/avg/max/mdev = <rtt> ms"),
    (re.compile(r"\bid \d+\b"), "id <id>"),
    (re.compile(r"\bpipe \d+\b"), "pipe <n>"),  # how many probes were in flight: a race
    # TCP: timestamps start at a random per-connection offset (0 stays 0: a SYN's ecr)
    (re.compile(r"\bTS val \d+ ecr [1-9]\d*"), "TS val <ts> ecr <ts>"),
    (re.compile(r"\bTS val \d+ ecr 0\b"), "TS val <ts> ecr 0"),
    # conntrack -L: the seconds left before an entry expires
    (re.compile(r"^(tcp|udp|icmp|icmpv6)(\s+)(\d+)(\s+)\d+ ", re.M), r"\1\2\3\4<ttl> "),
    # HTTP dates (curl -v/-I) and the access log of python3 -m http.server
    (re.compile(r"^(< )?Date: .*GMT\r?$", re.M), r"\1Date: <date>"),
    (re.compile(r"\[\d\d/\w{3}/\d{4} \d\d:\d\d:\d\d\]"), "[<date>]"),
    (re.compile(r"\bPython/3\.\d+\.\d+"), "Python/3.<v>"),
    (re.compile(r"\bid=\d+"), "id=<id>"),                        # conntrack's ICMP id (ping's pid)
    (re.compile(r" on \w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d \d{4}$", re.M), " on <date>"),  # iptables-save
    # traceroute's probe times
    (re.compile(r"\b\d+\.\d{3} ms\b"), "<t> ms"),
]
# Numbers the kernel draws at random, numbered by first appearance like MACs: TCP initial
# sequence numbers and ephemeral ports (32768-60999) after an address or in conntrack's sport=/dport=.
_PORT = r"(3276[89]|327[7-9]\d|32[89]\d\d|3[3-9]\d{3}|[45]\d{4}|60\d{3})\b"
RANDOM_NUMBERS = [  # (kind, pattern): group 1 is kept, group 2 is the number
    ("isn", re.compile(r"\b((?:seq|ack) )(\d{6,})")),
    ("port", re.compile(r"(\d\.\d{1,3}[.:])" + _PORT)),       # 10.0.0.1.45678, 10.0.0.1:45678
    ("port", re.compile(r"(:[0-9a-f]{0,4}\.)" + _PORT)),        # 2001:db8::1.45678
    ("port", re.compile(r"(\]:)" + _PORT)),                      # [2001:db8::1]:45678
    ("port", re.compile(r"(port=)" + _PORT)),                    # conntrack sport=/dport=
]


class Normaliser:
    def __init__(self) -> None:
        self.macs: dict[str, str] = {}
        self.numbers: dict[str, dict[str, str]] = {}

    def _mac(self, m: re.Match) -> str:
        mac = m.group(0)
        if mac in FIXED_MACS:
            return mac
        return self.macs.setdefault(mac, f"<mac{len(self.macs) + 1}>")

    def _numbered(self, kind: str):
        def sub(m: re.Match) -> str:
            table = self.numbers.setdefault(kind, {})
            return m.group(1) + table.setdefault(m.group(2), f"<{kind}{len(table) + 1}>")
        return sub

    def __call__(self, text: str) -> str:
        text = MAC.sub(self._mac, text)
        for kind, pat in RANDOM_NUMBERS:
            text = pat.sub(self._numbered(kind), text)
        for pat, rep in SUBS:
            text = pat.sub(rep, text)
        lines = [ln.rstrip() for ln in text.splitlines()]
        while lines and not lines[-1]:
            lines.pop()
        return "\n".join(lines)


# Neighbour dumps come in the kernel's hash order, which hashes the device's address
# in memory: it changes from run to run, so these outputs are compared as sets of lines.
NEIGH_DUMP = re.compile(
    r"^(?:sudo )?(?:ip netns exec \S+ )?(?:ip(?: -\S+| -n \S+)* n(?:e(?:i(?:g(?:h(?:bour)?)?)?)?)?"
    r"(?: (?:show|list|ls))?(?: dev \S+| nud \S+)*|arp(?: -[anev]+)*(?: -i \S+)?)\s*$")


def unordered(cmd: str, output: str) -> str:
    if not NEIGH_DUMP.match(cmd):
        return output
    lines = output.splitlines()
    head = [ln for ln in lines if ln.startswith("Address ")]
    rest = [ln for ln in lines if not ln.startswith("Address ")]
    return "\n".join(head + sorted(rest, key=lambda ln: MAC.sub("<mac>", ln))) + "\n"


def split(events: list[dict]):
    norm = Normaliser()
    cmds = [(e["cmd"], norm(unordered(e["cmd"], e.get("output", ""))), e.get("status"))
            for e in events if e.get("type") == "command"]
    per_iface: dict[str, list[str]] = {}
    for e in events:
        if e.get("type") == "packet":
            per_iface.setdefault(e["iface"], []).append(f'{e["dir"]} {norm(e["line"])}')
    return cmds, per_iface


def compare(golden: list[dict], got: list[dict]):
    """(ok_cmds, total_cmds, matched_lines, total_lines, report lines)."""
    gc, gp = split(golden)
    sc, sp = split(got)
    report: list[str] = []
    ok = 0
    for i, (cmd, out, status) in enumerate(gc):
        if i < len(sc) and sc[i] == (cmd, out, status):
            ok += 1
            continue
        got_out, got_status = (sc[i][1], sc[i][2]) if i < len(sc) else ("<missing>", None)
        report.append(f"--- command {i + 1}: {cmd}  (status real={status} sim={got_status})")
        report.extend(difflib.unified_diff(out.splitlines(), got_out.splitlines(),
                                           "real", "vethtui", lineterm="", n=1))
    total = matched = 0
    for iface in sorted(set(gp) | set(sp)):
        g, s = gp.get(iface, []), sp.get(iface, [])
        sm = difflib.SequenceMatcher(a=g, b=s, autojunk=False)
        matched += sum(b.size for b in sm.get_matching_blocks())
        total += max(len(g), len(s))
        if g != s:
            report.append(f"--- capture on {iface}: real {len(g)} lines, vethtui {len(s)}")
            report.extend(difflib.unified_diff(g, s, "real", "vethtui", lineterm="", n=1))
    return ok, len(gc), matched, total, report


def load(path: Path) -> list[dict]:
    return [json.loads(ln) for ln in path.read_text().splitlines() if ln.strip()]


def simulate(script: Path, lab: str = "netns", seed: int = 0) -> list[dict]:
    from vethtui.labs.builtin import build
    from vethtui.runner import read_script, run_lines
    world = build(lab, seed)
    res = run_lines(world, read_script(script))
    events = [{"type": "command", "cmd": c.cmd, "output": c.output, "status": c.status}
              for c in res.commands]
    return events + res.packets


def scenarios(folder: Path) -> list[Path]:
    return sorted(p for p in folder.glob("*.sh") if p.with_suffix(".golden.jsonl").exists())


def main(argv: list[str]) -> int:
    quiet = "-q" in argv
    paths = [Path(a) for a in argv if not a.startswith("-")]
    files: list[Path] = []
    for p in paths:
        files.extend(scenarios(p) if p.is_dir() else [p])
    sums = [0, 0, 0, 0]
    for scen in files:
        golden = load(scen.with_suffix(".golden.jsonl"))
        try:
            got = simulate(scen)
        except Exception as err:  # report, keep going
            import traceback
            traceback.print_exc()
            got = []
        ok, tot, m, t, report = compare(golden, got)
        sums = [a + b for a, b in zip(sums, (ok, tot, m, t))]
        if not quiet and report:
            print(f"===== {scen.name}")
            print("\n".join(report))
        print(f"{scen.name}: commands {ok}/{tot}  capture lines {m}/{t}")
    print(f"TOTAL: commands {sums[0]}/{sums[1]}  capture lines {sums[2]}/{sums[3]}")
    return 0 if sums[0] == sums[1] and sums[2] == sums[3] else 1


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    sys.exit(main(sys.argv[1:]))
