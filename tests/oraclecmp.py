"""The oracle's comparison, so the goldens can be checked without ../shared.

Same normalisation as ../shared/oracle/oracle.py (its docstring is the
contract): MAC addresses numbered by first appearance, ping times, rtt, ids
and pipe counts masked, trailing blanks ignored; commands compared in order,
capture lines per interface as sequences.
"""
from __future__ import annotations

import difflib
import json
import re
import sys
from pathlib import Path

MAC = re.compile(r"\b(?:[0-9a-f]{2}:){5}[0-9a-f]{2}\b")
FIXED_MACS = {"00:00:00:00:00:00", "ff:ff:ff:ff:ff:ff"}
SUBS = [
    (re.compile(r"time=\d+(?:\.\d+)? ms"), "time=<t> ms"),
    (re.compile(r"time \d+ms"), "time <t>ms"),
    (re.compile(r"rtt min/avg/max/mdev = [\d./]+ ms"), "rtt min/avg/max/mdev = <rtt> ms"),
    (re.compile(r"\bid \d+\b"), "id <id>"),
    (re.compile(r"\bpipe \d+\b"), "pipe <n>"),
]


class Normaliser:
    def __init__(self) -> None:
        self.macs: dict[str, str] = {}

    def _mac(self, m: re.Match) -> str:
        mac = m.group(0)
        if mac in FIXED_MACS:
            return mac
        return self.macs.setdefault(mac, f"<mac{len(self.macs) + 1}>")

    def __call__(self, text: str) -> str:
        text = MAC.sub(self._mac, text)
        for pat, rep in SUBS:
            text = pat.sub(rep, text)
        lines = [ln.rstrip() for ln in text.splitlines()]
        while lines and not lines[-1]:
            lines.pop()
        return "\n".join(lines)


def split(events: list[dict]):
    norm = Normaliser()
    cmds = [(e["cmd"], norm(e.get("output", "")), e.get("status"))
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
