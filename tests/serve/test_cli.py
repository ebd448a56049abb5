"""The command line (issue 11): --help names the commands and labs, unknown labs and
languages are refused in one line with exit 2, --save-dir reaches the app."""
from __future__ import annotations

import subprocess
import sys

import pytest

from vethtui import cli


def vethtui(*args: str, env=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "vethtui", *args], capture_output=True,
                          text=True, timeout=120, env=env)


def test_help_lists_commands_and_labs():
    out = vethtui("--help").stdout
    for word in ("vethtui run SCRIPT", "vethtui lab list|validate", "vethtui serve",
                 "built-in labs: netns, default", "01-veth-one-address",
                 "04-bridge-namespaces", "--save-dir DIR"):
        assert word in out, word


def test_unknown_lab_lists_the_labs():
    r = vethtui("nosuchlab")
    assert r.returncode == 2 and r.stdout == ""
    assert r.stderr.count("\n") == 1 and "Traceback" not in r.stderr
    assert r.stderr.startswith("vethtui: no such lab: nosuchlab (labs: netns, default, "
                               "01-veth-one-address, 02-arp-accept-local")


def test_missing_lab_file():
    r = vethtui("no/such/lab.toml")
    assert (r.returncode, r.stderr) == (2, "vethtui: no/such/lab.toml: No such file\n")


def test_unknown_language_is_refused():
    r = vethtui("--lang", "fr")
    assert (r.returncode, r.stderr) == (2, "vethtui: unknown language 'fr' (supported: en, zh)\n")
    r = vethtui("serve", "--lang", "fr")
    assert r.returncode == 2 and "unknown language 'fr'" in r.stderr


def test_serve_refuses_unknown_lab():
    r = vethtui("serve", "--lab", "nosuchlab")
    assert r.returncode == 2 and r.stderr.startswith("vethtui serve: no such lab: nosuchlab (labs: ")


def test_language_and_save_dir_reach_make_app(monkeypatch, tmp_path):
    seen = {}

    class FakeApp:
        def run(self):
            seen["ran"] = True

    def make_app(lab, **kw):
        seen.update(kw, lab=lab)
        from vethtui.i18n import language
        seen["process_language"] = language()
        return FakeApp()
    import vethtui.tui.app as appmod
    monkeypatch.setattr(appmod, "make_app", make_app)
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    try:
        assert cli.main(["netns", "--save-dir", str(tmp_path)]) == 0
        assert seen["lang"] == "zh" and seen["process_language"] == "zh"   # from LANG
        assert seen["save_dir"] == tmp_path and seen["ran"]
        assert cli.main(["netns", "--lang", "en"]) == 0
        assert seen["lang"] == "en" and seen["save_dir"] is None
    finally:
        from vethtui.i18n import set_language
        set_language("en")


def test_save_dir_must_exist(tmp_path, capsys):
    assert cli.main(["netns", "--save-dir", str(tmp_path / "nope")]) == 2
    assert "--save-dir" in capsys.readouterr().err


@pytest.mark.parametrize("args", [["--max-sessions", "0"], ["--idle-timeout", "-1"]])
def test_serve_limits_must_be_positive(args):
    r = vethtui("serve", *args)
    assert r.returncode == 2 and "must be more than 0" in r.stderr
