"""TUI benchmark: launch to interactive, and keypress-to-screen latency under capture load.

The app runs as a person runs it: a child process on a pseudo-terminal
(120x36, TERM=xterm-256color), so the figures include Python's start, the
imports, Textual's first frame and the bytes reaching the terminal.

- launch_s: from spawning `vethtui` to the first frame holding the prompt
  (`root@vethtui:~#`): the console takes keys from then on.
- keypress_*_ms: from writing a key to the terminal to the terminal receiving
  the input line redrawn with it, while `tcpdump -i eth0 -n` shows a view
  and two background `ping -q -i ... 192.168.1.1` put about 1000 packets a
  second on eth0 (requests and replies), on the real-time clock; the rate the
  view really received is reported (capture_packets_per_s).
  The same is measured idle, for comparison.
- rss_mb: the app's resident memory at the end, after the capture.
- flood_*: a fresh app with three views open (`tcpdump -i eth0 -n`, `-i lo`,
  `-i any`) and `ping -f 192.168.1.1` in the foreground, unlimited: the
  simulator then runs as fast as it can, and the screen must still answer.
  flood_keypress_* as above while it floods; flood_stats_s from Ctrl+C to
  ping's statistics line on the terminal; flood_packets_per_s the rate the
  eth0 view received (its status line).

    python -m benchmarks.tui_bench            # full run
    python -m benchmarks.tui_bench --quick    # fewer keys
"""
from __future__ import annotations

import argparse
import fcntl
import json
import os
import re
import select
import signal
import statistics
import struct
import sys
import tempfile
import termios
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COLS, ROWS = 120, 36
PROMPT = b"root@vethtui"
KEY = b"z"            # in no tcpdump line, header or footer: its run is the input line


class Term:
    """The app on a pseudo-terminal; we play the terminal."""

    def __init__(self, argv: list[str], env: dict[str, str]):
        pid, fd = os.forkpty()
        if pid == 0:  # the child: the app
            try:
                os.execve(argv[0], argv, env)
            finally:
                os._exit(127)
        self.pid, self.fd = pid, fd
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLS, 0, 0))
        self.buf = bytearray()

    def read_until(self, needle: bytes, timeout: float, start: int = 0) -> float | None:
        """Read output until `needle` appears after offset `start`; the time it arrived."""
        deadline = time.perf_counter() + timeout
        while True:
            if self.buf.find(needle, start) >= 0:
                return time.perf_counter()
            left = deadline - time.perf_counter()
            if left <= 0:
                return None
            r, _, _ = select.select([self.fd], [], [], left)
            if r:
                try:
                    data = os.read(self.fd, 1 << 16)
                except OSError:
                    return None
                if not data:
                    return None
                self.buf += data

    def drain(self, seconds: float) -> None:
        self.read_until(b"\x00never\x00", seconds)

    def write(self, data: bytes) -> None:
        os.write(self.fd, data)

    def type_line(self, line: str) -> None:
        self.write(line.encode() + b"\r")
        self.drain(0.3)

    def captured(self) -> int:
        """The view's packet count, as its status line last showed it."""
        found = re.findall(rb"(\d+) packets? captured", bytes(self.buf[-200_000:]))
        return int(found[-1]) if found else 0

    def rss_mb(self) -> float:
        try:
            for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    return round(int(line.split()[1]) / 1024, 1)
        except OSError:
            pass
        return float("nan")

    def close(self) -> None:
        try:
            self.write(b"\x11")          # ctrl+q
            end = time.perf_counter() + 3
            while time.perf_counter() < end:
                done, _ = os.waitpid(self.pid, os.WNOHANG)
                if done:
                    break
                self.drain(0.05)
            else:
                os.kill(self.pid, signal.SIGKILL)
                os.waitpid(self.pid, 0)
        except (OSError, ChildProcessError):
            pass
        os.close(self.fd)


def _keypresses(term: Term, n: int) -> list[float]:
    """Latencies (ms) of `n` keys typed one by one into the console's input line."""
    out = []
    typed = 0
    for _ in range(n):
        if typed >= 40:                  # keep the line short: Ctrl+U empties it
            term.write(b"\x15")
            term.drain(0.1)
            typed = 0
        start = len(term.buf)
        t0 = time.perf_counter()
        term.write(KEY)
        typed += 1
        t1 = term.read_until(KEY * typed, 2.0, start)
        if t1 is not None:
            out.append((t1 - t0) * 1000)
        term.drain(0.03)                 # a person types ~10 keys a second at most
    term.write(b"\x15")
    term.drain(0.1)
    return out


def _figures(name: str, ms: list[float]) -> dict:
    if not ms:
        return {f"{name}_p95_ms": float("nan")}
    ms = sorted(ms)
    p95 = ms[min(len(ms) - 1, int(round(0.95 * (len(ms) - 1))))]
    return {f"{name}_p50_ms": round(statistics.median(ms), 1), f"{name}_p95_ms": round(p95, 1),
            f"{name}_max_ms": round(ms[-1], 1), f"{name}_keys": len(ms)}


def measure(quick: bool = False) -> dict:
    keys = 40 if quick else 150
    with tempfile.TemporaryDirectory() as data:
        env = dict(os.environ, TERM="xterm-256color", COLUMNS=str(COLS), LINES=str(ROWS),
                   VETHTUI_DATA_DIR=data, PYTHONDONTWRITEBYTECODE="1")
        env.pop("TEXTUAL", None)
        argv = [sys.executable, "-m", "vethtui", "default"]
        results: dict = {}
        # launch: best of three (the first pays for a cold disk cache)
        launches = []
        for i in range(3):
            t0 = time.perf_counter()
            term = Term(argv, env)
            t1 = term.read_until(PROMPT, 20)
            launches.append(round(t1 - t0, 3) if t1 else float("nan"))
            if i < 2:
                term.drain(0.5)
                term.close()
        results["launch_s"] = min(launches)
        results["launch_runs_s"] = launches
        term.drain(1.0)
        results.update(_figures("keypress_idle", _keypresses(term, keys // 3)))
        term.type_line("tcpdump -i eth0 -n")
        # two pings every 4 ms: 2 x 250 requests and 250 replies a second,
        # ~1000 frames a second together on eth0
        term.type_line("ping -q -i 0.004 192.168.1.1 > /dev/null &")
        term.type_line("ping -q -i 0.004 192.168.1.1 > /dev/null &")
        term.drain(2.0)                 # let the view fill and the rate settle
        n0, t0 = term.captured(), time.perf_counter()
        lat = _keypresses(term, keys)
        term.drain(0.2)
        n1, t1 = term.captured(), time.perf_counter()
        results.update(_figures("keypress", lat))
        # the rate the view really received while we typed, from its status line
        results["capture_packets_per_s"] = round((n1 - n0) / (t1 - t0))
        results["capture_seconds"] = round(t1 - t0, 1)
        results["rss_mb"] = term.rss_mb()
        term.close()
        results.update(_flood(argv, env, keys // 2))
    return results


def _flood(argv: list[str], env: dict[str, str], keys: int) -> dict:
    """Keys and Ctrl+C against an unlimited `ping -f` watched by three views."""
    term = Term(argv, env)
    if term.read_until(PROMPT, 20) is None:
        term.close()
        return {"flood_error": "no prompt"}
    term.drain(1.0)
    for line in ("tcpdump -i eth0 -n", "tcpdump -i lo -n", "tcpdump -i any -n"):
        term.type_line(line)
    term.type_line("ping -f 192.168.1.1")
    term.drain(2.0)
    n0, t0 = term.captured(), time.perf_counter()
    lat = _keypresses(term, keys)
    n1, t1 = term.captured(), time.perf_counter()
    out = {k.replace("keypress", "flood_keypress"): v for k, v in _figures("keypress", lat).items()}
    out["flood_packets_per_s"] = round((n1 - n0) / (t1 - t0)) if n1 >= n0 else None
    start = len(term.buf)
    t0 = time.perf_counter()
    term.write(b"\x03")                  # Ctrl+C: SIGINT to ping
    t1 = term.read_until(b"packets transmitted", 5.0, start)
    out["flood_stats_s"] = round(t1 - t0, 3) if t1 is not None else float("nan")
    out["flood_rss_mb"] = term.rss_mb()
    term.close()
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.tui_bench")
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = ap.parse_args(argv)
    res = measure(quick=args.quick)
    if args.json:
        print(json.dumps(res, indent=2))
    else:
        for k, v in res.items():
            print(f"{k}: {v}")
        print("aims: launch_s < 0.6, keypress_p95_ms < 50 (1000 packets/s), "
              "flood_keypress_p95_ms < 100, flood_stats_s < 0.5")
    return 0


if __name__ == "__main__":
    sys.exit(main())
