"""A `vethtui serve` started for a test: bound to 127.0.0.1 on a free port, always stopped."""
from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


class Served:
    def __init__(self, proc: subprocess.Popen, url: str, cwd: Path):
        self.proc = proc
        self.url = url
        self.cwd = cwd


def start_server(tmp_path: Path, *args: str, timeout: float = 60.0) -> Served:
    pytest.importorskip("textual_serve", reason="vethtui serve needs textual-serve")
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    env.pop("VETHTUI_DATA_DIR", None)
    proc = subprocess.Popen([sys.executable, "-m", "vethtui", "serve", "--host", "127.0.0.1",
                             "--port", "0", *args], cwd=tmp_path, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    deadline = time.monotonic() + timeout
    first = ""
    while time.monotonic() < deadline:
        first = proc.stdout.readline()
        if first or proc.poll() is not None:
            break
    m = re.match(r"vethtui serve: (http://\S+)", first)
    if not m:
        stop_server(Served(proc, "", tmp_path))
        raise AssertionError(f"vethtui serve did not start: {first!r}")
    return Served(proc, m.group(1), tmp_path)


def stop_server(served: Served) -> str:
    """SIGINT (as Ctrl+C), then the rest of its output; killed if it hangs."""
    p = served.proc
    if p.poll() is None:
        p.send_signal(signal.SIGINT)
        try:
            p.wait(timeout=20)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait(timeout=10)
    return p.stdout.read() if p.stdout else ""


@pytest.fixture
def serve(tmp_path):
    """serve(*args) starts a server; every server started is stopped after the test."""
    started: list[Served] = []

    def start(*args: str) -> Served:
        s = start_server(tmp_path, *args)
        started.append(s)
        return s
    yield start
    for s in started:
        stop_server(s)
