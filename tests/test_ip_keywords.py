"""ip's keyword tables (tools/ip/common.Keywords) answer as iproute2's if/else chains do:
the first branch in the chain's order that takes a word, by strcmp, matches() or strncmp."""
from __future__ import annotations

import random

from vethtui.tools.base import matches
from vethtui.tools.ip import common as c
from vethtui.tools.ip import _OPTIONS
from vethtui.tools.ip.link import _KEYWORDS as LINK_KEYWORDS
from vethtui.tools.ip.route import _KEYWORDS as ROUTE_KEYWORDS


def _chain(rows, word):
    """The C chain, literally: each row's test in turn."""
    for exact, prefixes, starts, handler in rows:
        if word in exact or any(matches(word, p) for p in prefixes) or \
                (starts and word.startswith(starts)):
            return handler
    return None


def _table(rows) -> c.Keywords:
    kw = c.Keywords()
    for exact, prefixes, starts, handler in rows:
        kw.on(*exact, prefix=prefixes, starts=starts)(handler)
    return kw


def test_an_earlier_prefix_row_takes_a_later_exact_word():
    kw = c.Keywords()
    metric = kw.on(prefix=("metric", "priority", "preference"))(lambda *a: None)
    kw.on("pref", "advmss")(lambda *a: None)
    assert kw.find("pref") is metric          # ip route: `pref` is a metric, as in iproute.c
    assert kw.find("p") is metric
    assert kw.find("preferences") is None     # longer than the keyword: no match
    assert kw.find("") is None                # matches() wants a non-empty word


def test_starts_rows_keep_their_place_in_the_chain():
    kw = c.Keywords()
    early = kw.on(prefix=("-colorful",))(lambda *a: None)
    color = kw.on("-c", starts=("-color=",))(lambda *a: None)
    late = kw.on(prefix=("-color=always-and-more",))(lambda *a: None)
    assert kw.find("-color") is early
    assert kw.find("-color=never") is color
    assert kw.find("-color=always") is color  # before the later row that also takes it
    assert kw.find("-c") is early             # an abbreviation of the earlier -colorful
    assert late is not None


def test_the_index_answers_as_the_chain_for_any_word():
    rng = random.Random(7)
    vocab = ["up", "down", "name", "mtu", "metric", "priority", "preference", "pref", "table",
             "to", "tos", "type", "txqlen", "txqueuelen", "dev", "-color=", "-c", "-color"]
    handlers = [object() for _ in range(12)]
    rows = []
    for h in handlers:
        exact = tuple(rng.sample(vocab, rng.randint(0, 2)))
        prefixes = tuple(rng.sample(vocab, rng.randint(0, 2)))
        starts = tuple(rng.sample(vocab, 1)) if rng.random() < 0.2 else ()
        rows.append((frozenset(exact), prefixes, starts, h))
    kw = _table(rows)
    words = {w[:n] for w in vocab for n in range(0, len(w) + 2)} | {w + "x" for w in vocab}
    for word in sorted(words):
        assert kw.find(word) is _chain(rows, word), word


def test_the_shipped_tables_take_iproute2s_abbreviations():
    assert ROUTE_KEYWORDS.find("pref").__name__ == "_metric"
    assert ROUTE_KEYWORDS.find("t").__name__ == "_table"     # `tos` is strcmp, `table` matches()
    assert ROUTE_KEYWORDS.find("ds").__name__ == "_tos"
    assert LINK_KEYWORDS.find("n").__name__ == "_nomaster"   # `name`, `netns` are strcmp
    assert LINK_KEYWORDS.find("t").__name__ == "_txqlen"
    assert LINK_KEYWORDS.find("veth0") is None                # the device: the chain's else
    assert _OPTIONS.find("-").__name__ == "_skip_value"      # -loops, first in ip.c
    assert _OPTIONS.find("-h").__name__ == "_human"          # before -help
    assert _OPTIONS.find("-color=auto").__name__ == "_color"
