"""Compare the simulator's drop reasons with the kernel's, scenario by scenario.

The kernel's side is `NAME.drops.jsonl`, recorded with the skb:kfree_skb
tracepoint (tests/oracle/record_drops.py, /work notes: drop-reasons.md): one
line per freed packet, with the command it happened under, the reason and the
function that freed it. The simulator's side is `World.recent_drops`, which
every `core.drop` feeds.

A drop matches when reason and function agree and it falls under the same
command, or within a few commands for frees the kernel defers (a socket's
queue purged after RCU) or that kernel timers move (IGMP/MLD reports).

    python tests/dropcmp.py [-q] PATHS...   # scores and the differences
"""
from __future__ import annotations

import json
import sys
from collections import Counter, deque
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

# Frees that are not packets in the model: the dummy skb of a failed
# `ip route get` (inet_rtm_getroute), a fragment list's buffers after
# reassembly (skb_release_data).
NOT_PACKETS = {"inet_rtm_getroute", "skb_release_data"}
# (reason, function) the kernel frees late (RCU) or timers move between commands.
DRIFTING = {("QUEUE_PURGE", "inet_sock_destruct"), ("NOT_SPECIFIED", "ip_rcv_finish_core"),
            ("NO_TX_TARGET", "br_dev_xmit"), ("IPV6DISABLED", "ip6_output"),
            ("IPV6DISABLED", "ip6_rcv_core"), ("QDISC_DROP", "__dev_queue_xmit")}
DRIFT = 3


def kernel_drops(path: Path) -> tuple[list[tuple[int, str, str]], set[int]]:
    drops, unstable = [], set()
    for line in path.read_text().splitlines():
        ev = json.loads(line)
        if ev.get("type") == "summary":
            for u in ev.get("unstable", []) or []:
                if isinstance(u, dict) and "cmd_index" in u:
                    unstable.add(u["cmd_index"])
            continue
        if ev.get("type") != "drop" or ev.get("foreign"):
            continue
        if ev["function"] in NOT_PACKETS:
            continue
        drops.append((ev["cmd_index"], ev["reason"], ev["function"]))
    return drops, unstable


def sim_drops(script: Path, lab: str = "netns", seed: int = 0) -> list[tuple[int, str, str]]:
    from vethtui.labs.builtin import build
    from vethtui.runner import read_script, run_lines
    world = build(lab, seed)
    world.recent_drops = deque()
    res = run_lines(world, read_script(script))
    starts = [c.mark.started for c in res.commands]
    out = []
    for t, _net, _sid, reason, where, _cookie in world.recent_drops:
        idx = 0
        for i, s in enumerate(starts):
            if s <= t + 1e-12:
                idx = i
        out.append((idx, reason, where))
    return out


def compare(kernel: list, sim: list, unstable: set[int]) -> tuple[int, int, list[str]]:
    """(matched, total kernel drops considered, report lines)."""
    k = [d for d in kernel if d[0] not in unstable]
    s = [d for d in sim if d[0] not in unstable]
    left = list(s)
    matched = 0
    missing = []
    for d in k:
        window = DRIFT if (d[1], d[2]) in DRIFTING else 0
        hit = next((x for x in left if x[1:] == d[1:] and abs(x[0] - d[0]) <= window), None)
        if hit is not None:
            left.remove(hit)
            matched += 1
        else:
            missing.append(d)
    # a drop timers move, left over near a command the kernel was unstable on, is excused
    left = [d for d in left if not ((d[1], d[2]) in DRIFTING
                                    and any(abs(d[0] - u) <= DRIFT for u in unstable))]
    report = []
    for (idx, reason, fn), n in sorted(Counter(missing).items()):
        report.append(f"  kernel only: cmd {idx}: {reason} @ {fn} x{n}")
    for (idx, reason, fn), n in sorted(Counter(left).items()):
        report.append(f"  sim only:    cmd {idx}: {reason} @ {fn} x{n}")
    return matched, len(k), report


def main(argv: list[str]) -> int:
    quiet = "-q" in argv
    files: list[Path] = []
    for a in (x for x in argv if not x.startswith("-")):
        p = Path(a)
        files += sorted(p.glob("*.sh")) if p.is_dir() else [p]
    tot_m = tot_k = tot_extra = 0
    for script in files:
        dj = script.with_suffix(".drops.jsonl")
        if not dj.exists():
            continue
        kernel, unstable = kernel_drops(dj)
        sim = sim_drops(script)
        m, k, report = compare(kernel, sim, unstable)
        extra = sum(1 for r in report if "sim only" in r)
        tot_m, tot_k, tot_extra = tot_m + m, tot_k + k, tot_extra + extra
        if report or not quiet:
            print(f"{script.stem}: {m}/{k} kernel drops matched")
            if not quiet:
                print("\n".join(report))
    print(f"total: {tot_m}/{tot_k} matched; {tot_extra} kinds of sim-only drops")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
