"""The one getopt: glibc getopt_long's rules and error texts."""
from __future__ import annotations

import pytest

from vethtui.tools.getopt import OPTIONAL, REQUIRED, Getopt, GetoptError, LongOpt

LONG = [LongOpt("interface", REQUIRED, "i"), LongOpt("version"), LongOpt("verbose", key="v"),
        LongOpt("load", OPTIONAL, "p")]


def run(argv, short="c:i:nqvp::", longopts=None):
    longopts = LONG if longopts is None and argv[0] != "ping" else longopts or ()
    g = Getopt(argv[0], argv, short, longopts)
    return list(g), g.operands


def test_bundles_attached_and_separate_values_in_order():
    assert run(["ping", "-nq", "-c5", "-i", "eth0", "host"]) == (
        [("n", None), ("q", None), ("c", "5"), ("i", "eth0")], ["host"])


def test_operands_are_permuted_unless_posixly_correct():
    assert run(["ping", "host", "-c", "2", "x"]) == ([("c", "2")], ["host", "x"])
    assert run(["ping", "host", "-c", "2"], short="+c:") == ([], ["host", "-c", "2"])


def test_double_dash_ends_options_and_a_lone_dash_is_an_operand():
    assert run(["t", "-n", "--", "-c", "-"]) == ([("n", None)], ["-c", "-"])
    assert run(["t", "-", "-n"]) == ([("n", None)], ["-"])


def test_long_options_exact_prefix_and_values():
    assert run(["t", "--interface=eth0", "--inter", "lo", "--version"])[0] == [
        ("i", "eth0"), ("i", "lo"), ("version", None)]
    assert run(["t", "--load", "--load=/f"])[0] == [("p", None), ("p", "/f")]
    assert run(["t", "-p", "-pfile"])[0] == [("p", None), ("p", "file")]


@pytest.mark.parametrize("argv, message", [
    (["ping", "-z"], "ping: invalid option -- 'z'"),
    (["ping", "-n:"], "ping: invalid option -- ':'"),
    (["ping", "-c"], "ping: option requires an argument -- 'c'"),
    (["ping", "--count"], "ping: invalid option -- '-'"),
    (["ping", "-nc"], "ping: option requires an argument -- 'c'"),
    (["tcpdump", "--foo=1"], "tcpdump: unrecognized option '--foo=1'"),
    (["tcpdump", "--ver"],
     "tcpdump: option '--ver' is ambiguous; possibilities: '--version' '--verbose'"),
    (["tcpdump", "--version=2"], "tcpdump: option '--version' doesn't allow an argument"),
    (["tcpdump", "--interface"], "tcpdump: option '--interface' requires an argument"),
])
def test_errors_are_glibcs_words(argv, message):
    with pytest.raises(GetoptError) as err:
        run(argv)
    assert str(err.value) == message


def test_an_error_comes_after_the_options_before_it():
    seen = []
    with pytest.raises(GetoptError):
        for opt, val in Getopt("ping", ["ping", "-c", "1", "-z", "-q"], "c:q"):
            seen.append(opt)
    assert seen == ["c"]
