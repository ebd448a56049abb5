"""The stack, the tools and the lab format never import the UI, and never touch the host.

Like harlequin's import contract: import the core in a fresh interpreter and
look at sys.modules. And a run of many commands with the host's process and
file APIs booby-trapped proves the simulator does not reach for them.
"""
from __future__ import annotations

import builtins
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest


ROOT = Path(__file__).resolve().parent.parent


def test_core_does_not_import_textual_or_rich():
    code = ("import sys; import vethtui.kernel.world, vethtui.tools.registry, vethtui.runner, "
            "vethtui.labs.builtin, vethtui.engine; "
            "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich')); "
            "print(','.join(bad))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                         check=True)
    assert out.stdout.strip() == ""


def _lint_imports(root: Path) -> subprocess.CompletedProcess:
    """`lint-imports` on the package under `root`, with the contracts in its pyproject.toml."""
    env = dict(os.environ, PYTHONPATH=str(root))
    code = ("import sys; from importlinter.cli import lint_imports; "
            "sys.exit(lint_imports(no_cache=True, no_logo=True))")
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=root, env=env)


def test_import_contracts_are_kept():
    pytest.importorskip("importlinter")
    out = _lint_imports(ROOT)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "0 broken" in out.stdout


@pytest.mark.parametrize("module, line", [
    ("kernel/core.py", "from ..tools import base"),             # the kernel reaching up
    ("kernel/wire.py", "from . import core"),                   # inside the kernel, upwards
    ("engine.py", "from .labs import loader"),                  # the engine -> labs cycle
])
def test_an_import_against_the_layers_breaks_the_contracts(tmp_path, module, line):
    """The contracts are not vacuous: one upward import in a copy of the package fails them."""
    pytest.importorskip("importlinter")
    shutil.copytree(ROOT / "vethtui", tmp_path / "vethtui",
                    ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    target = tmp_path / "vethtui" / module
    target.write_text(target.read_text() + f"\n{line}  # noqa: E402,F401\n")
    out = _lint_imports(tmp_path)
    assert out.returncode != 0, out.stdout
    assert "BROKEN" in out.stdout, out.stdout


def test_no_process_or_shell_in_the_simulator_source():
    forbidden = ("import subprocess", "os.system", "os.popen", "os.exec", "os.spawn", "pty.")
    for path in (ROOT / "vethtui").rglob("*.py"):
        if "tui" in path.parts:
            continue
        text = path.read_text()
        for word in forbidden:
            assert word not in text, f"{path}: {word}"


SCRIPT = """ip link set lo up
ip link add veth0 type veth peer name veth1
ip addr add 192.168.2.11/24 dev veth0
ip addr add 192.168.2.12/24 dev veth1
ip link set veth0 up
ip link set veth1 up
echo 1 > /proc/sys/net/ipv4/conf/veth1/accept_local
sysctl -w net.ipv4.conf.all.rp_filter=0
cat /proc/sys/net/ipv4/conf/veth1/accept_local
ping -c 2 -I veth0 192.168.2.12
ip netns add ns1
ip link set veth1 netns ns1
ip -n ns1 link
tcpdump -i any -n -c 2
echo hello > /tmp/vethtui-should-not-exist
cat /tmp/vethtui-should-not-exist
route -n
arp -n
ip neigh
""".splitlines()


def test_a_whole_session_touches_no_host_file_or_process(monkeypatch):
    from vethtui.labs.builtin import build
    from vethtui.runner import run_lines

    def refuse(*a, **k):
        raise AssertionError(f"host access: {a!r}")
    real_open = builtins.open

    def guarded_open(file, mode="r", *a, **k):
        if any(m in mode for m in "wax+"):
            raise AssertionError(f"write to host file {file!r}")
        return real_open(file, mode, *a, **k)
    monkeypatch.setattr(subprocess, "Popen", refuse)
    monkeypatch.setattr(os, "system", refuse)
    monkeypatch.setattr(builtins, "open", guarded_open)
    world = build("default", 0)
    res = run_lines(world, SCRIPT)
    assert all("internal error" not in c.output for c in res.commands)
    assert res.commands[15].output == "hello\n"      # the shell's scratch file system
    assert not Path("/tmp/vethtui-should-not-exist").exists()
