"""F1's help and the `help` command in the learner's language, whole at 80 columns."""
from __future__ import annotations

import pytest

from vethtui.i18n import set_language
from vethtui.tools.misc import help_text
from vethtui.tui.app import make_app
from vethtui.tui.help import HelpScreen
from vethtui.tui.localise import localise_bindings


@pytest.fixture
def english_after():
    yield
    set_language("en")
    localise_bindings()


def test_help_command_speaks_the_learners_language(english_after):
    set_language("zh")
    out = help_text()
    assert out.startswith("vethtui 模拟以下命令")
    assert f"  {'conntrack -L|-D|-F|-E':<38}  连接跟踪表\n" in out
    assert "  tcpdump [-i IF|any]" in out            # the synopses stay the tools' own
    set_language("en")
    assert help_text().startswith("vethtui simulates these commands")


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_f1_at_80_columns_keeps_every_word(english_after, lang):
    app = make_app("default", seed=0, speed="1", lang=lang, drive_clock=False,
                   highlight_seconds=0)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f1")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, HelpScreen)
        box = screen.query_one("#help")
        lines = []
        for child in box.children:
            for y in range(child.size.height):
                lines.append("".join(s.text for s in child.render_line(y)))
        text = "\n".join(lines)
        from vethtui.i18n import _
        from vethtui.tui.help import KEYS
        said = sum(_(what).count("…") for _k, what in KEYS)   # the "…" the texts hold
        assert text.count("…") == said              # none added: nothing cut short
        assert "conntrack -L|-D|-F|-E" in text
        if lang == "zh":
            assert "连接跟踪表" in text and "vethtui 模拟以下命令" in text
            # wrapped as the lab pane wraps: no line starts with closing punctuation
            assert not [ln for ln in lines if ln.strip()[:1] in tuple("），。：；、")]
        # each synopsis starts a line: none runs into the descriptions' column
        for start in ("ping [-c N]", "tcpdump [-i IF|any]", "iptables [-t T]", "traceroute"):
            assert any(line.lstrip().startswith(start) for line in lines), start
