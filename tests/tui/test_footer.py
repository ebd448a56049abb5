"""The footer shows whole keys only, and the palette key whole, in both languages."""
from __future__ import annotations

import pytest
from textual.widgets._footer import FooterKey

from vethtui.i18n import set_language
from vethtui.tui.app import make_app
from vethtui.tui.localise import localise_bindings


@pytest.fixture
def english_after():
    yield
    set_language("en")
    localise_bindings()


@pytest.mark.parametrize("lang,size", [("zh", (80, 24)), ("zh", (100, 30)), ("en", (80, 24)),
                                       ("en", (140, 45))])
async def test_keys_shown_are_whole_and_the_palette_key_too(english_after, lang, size):
    app = make_app("04-bridge-namespaces", seed=0, speed="1", lang=lang,
                   drive_clock=False, highlight_seconds=0)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        await pilot.pause()
        keys = list(app.query(FooterKey))
        palette = [k for k in keys if k.has_class("-command-palette")]
        assert len(palette) == 1
        palette = palette[0]
        width = app.size.width
        # the palette key in full, inside the screen: its description's every cell
        assert palette.region.right <= width
        assert palette.region.width >= palette.get_content_width(app.size, app.size) + 1
        shown = [k for k in keys if k.display and k is not palette]
        assert shown and shown[0].key == "ctrl+c"
        for k in shown:      # each shown key whole, left of the palette key
            assert k.region.right <= palette.region.x, k.key
            assert k.region.width >= k.get_content_width(app.size, app.size), k.key
        left_out = [k for k in keys if not k.display]
        if size[0] >= 140 and lang == "en":
            assert len(left_out) <= 1
        else:
            assert left_out        # the narrow screens leave keys out rather than cut them
        # a wider screen shows them again
        await pilot.resize_terminal(200, size[1])
        await pilot.pause()
        await pilot.pause()
        assert all(k.display for k in app.query(FooterKey))


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_with_a_capture_open_its_stop_and_close_keys_are_shown(english_after, lang):
    from .conftest import run
    app = make_app("02-arp-accept-local", seed=0, speed="1", lang=lang, drive_clock=False,
                   highlight_seconds=0)
    async with app.run_test(size=(80, 24)) as pilot:
        await run(pilot, "ip link add veth0 type veth peer name veth1", "tcpdump -i veth1 -n")
        await pilot.pause()
        await pilot.pause()
        shown = [k.key for k in app.query(FooterKey)
                 if k.display and not k.has_class("-command-palette")]
        assert shown[:5] == ["ctrl+c", "f1", "f5", "f8", "ctrl+w"]
