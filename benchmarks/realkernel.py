"""The same measurements on this machine's real kernel, for the ratios.

Only with root and util-linux/iproute2/iputils present; everything runs in
fresh network and mount namespaces made by `unshare` (as the oracle does), so
the host's own links, addresses and sysctls are never touched, and all of it
vanishes when the shell exits. This is a benchmark tool, not the simulator:
the simulator itself never starts a process.
"""
from __future__ import annotations

import os
import shutil
import subprocess

from .stack import FLOOD_SETUP

SCRIPT = r"""
set -e
mkdir -p /run/netns && mount -t tmpfs tmpfs /run/netns
SETUP
sleep 0.2
t0=$(date +%s%N)
ip netns exec ns1 ping -f -c COUNT 10.0.0.2 > /dev/null
t1=$(date +%s%N)
echo "flood_ns $((t1 - t0))"
B=/run/netns/batch
i=0; : > $B.add; : > $B.del
while [ $i -lt PAIRS ]; do
  echo "link add va$i type veth peer name vb$i" >> $B.add
  echo "link del va$i" >> $B.del
  i=$((i + 1))
done
t0=$(date +%s%N); ip netns exec ns1 ip -batch $B.add; t1=$(date +%s%N)
echo "create_ns $((t1 - t0))"
t0=$(date +%s%N); ip netns exec ns1 ip link show > /dev/null; t1=$(date +%s%N)
echo "list_ns $((t1 - t0))"
t0=$(date +%s%N); ip netns exec ns1 ip -batch $B.del; t1=$(date +%s%N)
echo "delete_ns $((t1 - t0))"
"""


def available() -> str:
    """Empty when the real kernel can be measured, else why not."""
    if os.geteuid() != 0:
        return "not root"
    for tool in ("unshare", "ip", "ping"):
        if shutil.which(tool) is None:
            return f"{tool} not installed"
    return ""


def measure(count: int = 100_000, pairs: int = 1000) -> dict:
    why = available()
    if why:
        return {"skipped": why}
    # the very topology the simulated flood runs on (stack.FLOOD_SETUP)
    script = (SCRIPT.replace("SETUP", "\n".join(FLOOD_SETUP))
              .replace("COUNT", str(count)).replace("PAIRS", str(pairs)))
    proc = subprocess.run(["unshare", "--mount", "--net", "--propagation", "private",
                           "sh", "-c", script], capture_output=True, text=True, timeout=600)
    if proc.returncode != 0:
        return {"skipped": f"real kernel run failed: {proc.stderr.strip()[-200:]}"}
    got = {}
    for line in proc.stdout.splitlines():
        key, _, val = line.partition(" ")
        got[key] = int(val) / 1e9
    return {
        "flood_count": count,
        "flood_wall_s": round(got["flood_ns"], 3),
        "flood_us_per_round_trip": round(got["flood_ns"] / count * 1e6, 2),
        "pairs": pairs,
        "create_s": round(got["create_ns"], 3),
        "list_ms": round(got["list_ns"] * 1e3, 1),
        "delete_s": round(got["delete_ns"], 3),
    }
