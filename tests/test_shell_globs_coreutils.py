"""The shell around the tools: pathname expansion, sort/uniq/cut/tr, bash's syntax errors.
(Recorded behaviour is in the goldens sh_01 and sh_02; these pin the rest.)"""
from __future__ import annotations

from vethtui.tools.glob import expand_pattern
from vethtui.tools.shell import ShellSyntaxError, parse, tokenize


def test_quoting_decides_what_globs():
    words = [w for _, w in tokenize("""echo a* 'b*' "c?" d\\* e[12] 'f'*""")][1:]
    assert [getattr(w, "pattern", None) for w in words] == ["a*", None, None, None, "e[12]", "f*"]
    assert words[5] == "f*" and words[5].pattern == "f*"
    assert [w for _, w in tokenize("echo 'x*'y*")][1].pattern == "x[*]y*"


def test_expansion_over_proc_sys_and_scratch(sh):
    sh("ip link add veth0 type veth peer name veth1")
    net = sh.net
    assert expand_pattern("/proc/sys/net/ipv4/conf/veth*/rp_filter", {}, net) == [
        "/proc/sys/net/ipv4/conf/veth0/rp_filter", "/proc/sys/net/ipv4/conf/veth1/rp_filter"]
    assert expand_pattern("/proc/sys/net/ipv4/conf/*/nosuch", {}, net) == []
    files = {"a.txt": "", "b.txt": "", ".hidden.txt": "", "/tmp/x.log": ""}
    assert expand_pattern("*.txt", files, net) == ["a.txt", "b.txt"]
    assert expand_pattern(".*.txt", files, net) == [".hidden.txt"]
    assert expand_pattern("/tmp/*", files, net) == ["/tmp/x.log"]
    assert expand_pattern("/proc/sys/net/ipv4/conf/*/", {}, net)[0].endswith("/all/")


def test_globs_in_commands_and_redirections(sh):
    sh("ip link add veth0 type veth peer name veth1")
    out = sh("cat /proc/sys/net/ipv4/conf/veth[01]/arp_ignore")
    assert out.output == "0\n0\n" and out.status == 0
    amb = sh("echo 1 > /proc/sys/net/ipv4/conf/veth*/arp_ignore")
    assert amb.status == 1 and "ambiguous redirect" in amb.output
    ok = sh("echo 2 > /proc/sys/net/ipv4/conf/veth0/arp_ign*",
            "cat /proc/sys/net/ipv4/conf/veth0/arp_ignore")[1]
    assert ok.output == "2\n"
    assert sh("echo nomatch*").output == "nomatch*\n"


def test_coreutils_in_pipes_and_on_files(sh):
    res = sh("echo -e 'b 2\\na 10\\nc 1\\na 10' > t.txt", "sort -k2 -n t.txt | uniq -c",
             "cut -d' ' -f2 < t.txt | sort -nr | tr '\\n' ,", "sort -u t.txt | tr a-c A-C",
             "sort -q t.txt")
    assert res[1].output == "      1 c 1\n      1 b 2\n      2 a 10\n"
    assert res[2].output == "10,10,2,1,"
    assert res[3].output == "A 10\nB 2\nC 1\n"
    assert res[4].status == 2 and res[4].output.startswith("sort: invalid option -- 'q'\n")


def test_syntax_errors_interactive_and_scripted():
    try:
        parse(")(*&^%$#@!")
    except ShellSyntaxError as err:
        assert err.lines(")(*&^%$#@!", script=False) == "bash: syntax error near unexpected token `)'\n"
        assert err.lines(")(*&^%$#@!", script=True) == (
            "bash: -c: line 1: syntax error near unexpected token `)'\n"
            "bash: -c: line 1: `)(*&^%$#@!'\n")
    else:
        raise AssertionError("no syntax error")
    try:
        parse("ip link |")
    except ShellSyntaxError as err:
        assert err.lines("ip link |", script=True) == "bash: -c: line 2: syntax error: unexpected end of file\n"


def test_the_background_job_is_gone(sh):
    res = sh(")(*&^%$#@!")
    assert res.status == 2 and "command not found" not in res.output
