"""The message catalogue: language from --lang or the locale, English fallback."""
import pytest

from vethtui import i18n


def test_locale_picks_chinese():
    assert i18n.resolve_language(None, {"LANG": "zh_CN.UTF-8"}) == "zh"
    assert i18n.resolve_language(None, {"LC_ALL": "C", "LANG": "zh_CN.UTF-8"}) == "en"
    assert i18n.resolve_language(None, {}) == "en"
    assert i18n.resolve_language(None, {"LANG": "fr_FR.UTF-8"}) == "en"


def test_unknown_flag_is_refused_with_the_list():
    with pytest.raises(i18n.UnknownLanguage, match=r"supported: en, zh"):
        i18n.resolve_language("fr")


def test_translation_and_fallback():
    try:
        i18n.set_language("zh")
        assert i18n._("Console") == "控制台"
        assert i18n._("no such text") == "no such text"
    finally:
        i18n.set_language("en")
    assert i18n._("Console") == "Console"
    assert i18n.gettext_in("Console", "zh") == "控制台"


def test_every_text_vethtui_says_has_its_chinese():
    """Each literal passed to `_()` anywhere in vethtui has an entry in the Chinese
    catalogue: a string added without one would show in English in a Chinese UI."""
    import ast
    from pathlib import Path

    root = Path(i18n.__file__).resolve().parents[1]
    missing = []
    for path in sorted(root.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) \
                    and node.func.id == "_" and node.args \
                    and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str):
                text = node.args[0].value
                if i18n.gettext_in(text, "zh") == text:
                    missing.append(f"{path.relative_to(root)}:{node.lineno}: {text!r}")
    assert not missing, "\n".join(missing)
