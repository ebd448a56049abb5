"""Lab texts wrapped at cell width: Chinese without bad line starts or inserted spaces."""
from __future__ import annotations

import pytest
from rich.cells import cell_len

from vethtui.labs.files import load_lab_file
from vethtui.tui.lab_text import (NO_END, NO_START, join_soft_break, markdown_blocks,
                                  render_blocks)

from .conftest import LABS


def lines(md: str, width: int) -> list[str]:
    return [c.plain for c in render_blocks(markdown_blocks(md), width)]


def test_a_soft_break_joins_chinese_without_a_space():
    assert lines("帧，\n内核", 40) == ["帧，内核"]
    assert lines("的地址\nveth0 上", 40) == ["的地址 veth0 上"]
    assert lines("a cable:\ntwo ends", 40) == ["a cable: two ends"]
    assert join_soft_break("请求：", "who-has") == ""
    assert join_soft_break("地址", "veth0") == " "


def test_closing_punctuation_never_starts_a_line():
    text = "内核需要目的地址（ARP），于是它广播一个请求。"
    for width in range(6, 30):
        for line in lines(text, width):
            assert cell_len(line) <= width
            assert line[:1] not in NO_START, (width, line)
            assert line[-1:] not in NO_END, (width, line)
        assert "".join(lines(text, width)) == text      # nothing added, nothing lost


def test_english_wraps_at_spaces_and_keeps_names_as_written():
    got = lines("veth0 is `UP,LOWER_UP`, and the kernel added a route.", 21)
    assert got == ["veth0 is UP,LOWER_UP,", "and the kernel added", "a route."]


def test_code_blocks_wrap_at_spaces_with_an_indent():
    got = lines("```\nip link add veth0 type veth peer name veth1\n```", 24)
    assert got == ["ip link add veth0 type", "  veth peer name veth1"]


def test_lists_hang():
    got = lines("Two things:\n\n- first thing that is long\n- second", 16)
    assert got == ["Two things:", "", "• first thing", "  that is long", "• second"]


@pytest.mark.parametrize("name", sorted(p.name for p in LABS.glob("*.toml")))
def test_every_chinese_text_of_every_lab_wraps_cleanly(name):
    spec = load_lab_file(LABS / name)
    texts = [t.get("zh", "") for st in spec.steps for t in (st.text, st.success)
             if isinstance(t, dict)]
    assert texts
    for width in (28, 40, 56):
        for md in texts:
            for line in lines(md, width):
                assert cell_len(line) <= width
                body = line.lstrip()
                assert body[:1] not in NO_START, (name, width, line)
                assert "， " not in line and "。 " not in line and "： " not in line, line
