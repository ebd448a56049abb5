"""A small shell: the part of bash a learner uses around the network tools.

Lists (`;`, `&&`, `||`), background jobs (`&`), pipes into filters (`grep`,
`head`, `tail`, `wc`, and coreutils' `sort`, `uniq`, `cut`, `tr`), redirections
(`>`, `>>`, `2>`, `2>&1`, `&>`, `<`), quotes, pathname expansion (`*`, `?`,
`[...]` over /proc/sys and the scratch files), `#` comments and a `sudo` prefix;
bash's syntax errors word for word. `echo V > /proc/sys/...`
writes a sysctl the way bash opens and writes the file, with bash's errors.
Other files live in a scratch in-memory file system: the simulator never
writes to the host because of a redirection.

Two modes: `script` words errors as `bash -c` does ("bash: line 1: ...", what
the oracle records); interactive words them as an interactive bash does.
"""
from __future__ import annotations

import inspect
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable, Optional

from ..explain import begin_command
from ..kernel.clock import Event, Task
from .base import Exit, Proc

if TYPE_CHECKING:  # pragma: no cover
    from ..kernel.netns import Net
    from ..kernel.world import World

# Real Linux commands a learner may try that the lab does not simulate.
NOT_SIMULATED = {
    "nft", "iptables", "ip6tables", "iptables-save", "iptables-restore", "ebtables", "arptables",
    "ss", "netstat", "ethtool", "brctl", "tc", "traceroute", "tracepath", "mtr", "nc", "ncat",
    "netcat", "curl", "wget", "ssh", "telnet", "nmap", "dig", "nslookup", "host", "ifconfig",
    "ifup", "ifdown", "nmcli", "networkctl", "systemctl", "dhclient", "arping", "socat",
    "conntrack", "iw", "iwconfig", "ping6", "tshark", "wireshark", "docker", "unshare",
    "nsenter", "modprobe", "lsmod", "dmesg", "journalctl", "vi", "vim", "nano", "ls", "cd",
    "mkdir", "rm", "cp", "mv", "touch", "chmod", "ps", "kill", "top", "less", "more", "awk",
    "sed", "tee", "xargs", "find", "which", "whoami", "id",
    "uname", "apt", "apt-get", "pip", "python", "python3", "zsh", "export",
    "env", "history", "man", "watch", "time", "date", "bpftool", "ipcalc", "hping3", "iperf",
    "iperf3", "ovs-vsctl", "nstat", "lsof", "route6", "test", "[", "seq",
}

OPERATORS = ("&&", "||", ";", "&", "|")


def _scratch_path(path: str) -> bool:
    """A redirection target in the scratch file system (not /dev/null, /proc or /sys)."""
    return path != "/dev/null" and not path.startswith(("/proc/", "/sys/"))


class ShellSyntaxError(Exception):
    """What bash's parser says. `near` is the unexpected token (bash then echoes the line
    under `bash -c`), `eof` the end of input reached inside a list (reported on line 2: bash
    read on for the rest), else the message alone (an unmatched quote)."""

    def __init__(self, msg: str, near: Optional[str] = None, eof: bool = False):
        super().__init__(msg)
        self.near = near
        self.eof = eof

    @classmethod
    def token(cls, tok: str) -> "ShellSyntaxError":
        return cls(f"syntax error near unexpected token `{tok}'", near=tok)

    @classmethod
    def end_of_file(cls) -> "ShellSyntaxError":
        return cls("syntax error: unexpected end of file", eof=True)

    def lines(self, line: str, script: bool) -> str:
        """The error as `bash -c` (script) or an interactive bash prints it."""
        if not script:
            return f"bash: {self}\n"
        text = f"bash: -c: line {2 if self.eof else 1}: {self}\n"
        if self.near is not None:
            text += f"bash: -c: line 1: `{line}'\n"
        return text


class NotSimulatedSyntax(ShellSyntaxError):
    """Valid bash the small shell does not run (subshells, function definitions)."""

    def lines(self, line: str, script: bool) -> str:
        return f"vethtui: {self} not simulated\n"


@dataclass
class Redirect:
    fd: int          # 1 or 2 (or 3 for &> meaning both)
    target: str      # path, or "&1"/"&2"
    append: bool = False


@dataclass
class Simple:
    words: list[str]
    redirs: list[Redirect] = field(default_factory=list)
    text: str = ""


@dataclass
class Pipeline:
    cmds: list[Simple]


@dataclass
class AndOr:
    first: Pipeline
    rest: list[tuple[str, Pipeline]] = field(default_factory=list)
    background: bool = False
    text: str = ""


_TOKEN = re.compile(r"""\s*(?:(?P<op>&&|\|\||;;|&>>|&>|[0-9]?>>|[0-9]?>&[0-9]|[0-9]?>|<|;|&|\||\(|\))|(?P<word>(?:[^\s'"\\;&|<>()]|\\.|'[^']*'|"(?:[^"\\]|\\.)*")+))""", re.S)


def tokenize(line: str) -> list[tuple[str, str]]:
    """Split a command line into ('op', x) and ('word', x) tokens, bash-style quoting."""
    toks: list[tuple[str, str]] = []
    pos = 0
    n = len(line)
    while pos < n:
        if line[pos].isspace():
            pos += 1
            continue
        if line[pos] == "#" and (pos == 0 or line[pos - 1].isspace()):
            break
        m = _TOKEN.match(line, pos)
        if not m or m.end() == pos:
            ch = line[pos]
            if ch in "'\"":
                raise ShellSyntaxError(f"unexpected EOF while looking for matching `{ch}'")
            raise ShellSyntaxError.token(ch)
        if m.group("op"):
            toks.append(("op", m.group("op")))
        else:
            toks.append(("word", _unquote(m.group("word"))))
        pos = m.end()
    return toks


class Word(str):
    """A word after quote removal. `pattern` is set when an unquoted `*`, `?` or `[` makes
    it a glob pattern: the word in fnmatch's syntax, its quoted characters escaped."""

    pattern: Optional[str] = None


_GLOB_ESCAPE = {"*": "[*]", "?": "[?]", "[": "[[]"}


def _unquote(word: str) -> Word:
    out = []
    pat = []       # the same text for fnmatch: quoted metacharacters escaped
    globbing = False
    i = 0
    while i < len(word):
        c = word[i]
        if c == "\\" and i + 1 < len(word):
            out.append(word[i + 1])
            pat.append(_GLOB_ESCAPE.get(word[i + 1], word[i + 1]))
            i += 2
        elif c == "'":
            j = word.index("'", i + 1)
            out.append(word[i + 1:j])
            pat.extend(_GLOB_ESCAPE.get(ch, ch) for ch in word[i + 1:j])
            i = j + 1
        elif c == '"':
            j = i + 1
            buf = []
            while word[j] != '"':
                if word[j] == "\\" and word[j + 1] in '"\\$`':
                    buf.append(word[j + 1])
                    j += 2
                else:
                    buf.append(word[j])
                    j += 1
            out.append("".join(buf))
            pat.extend(_GLOB_ESCAPE.get(ch, ch) for ch in buf)
            i = j + 1
        else:
            out.append(c)
            pat.append(c)
            globbing |= c in "*?["
            i += 1
    w = Word("".join(out))
    if globbing:
        w.pattern = "".join(pat)
    return w


def parse(line: str) -> list[AndOr]:
    toks = tokenize(line)
    lists: list[AndOr] = []
    cur_simple = Simple([])
    cur_pipe: list[Simple] = []
    cur_andor: Optional[AndOr] = None
    pending_op: Optional[str] = None
    i = 0

    def finish_simple() -> Simple:
        nonlocal cur_simple
        s = cur_simple
        cur_simple = Simple([])
        return s

    def finish_pipeline(tok: str) -> Pipeline:
        nonlocal cur_pipe
        s = finish_simple()
        if not s.words and not s.redirs:
            raise ShellSyntaxError.token(tok)
        cur_pipe.append(s)
        p = Pipeline(cur_pipe)
        cur_pipe = []
        return p

    while i < len(toks):
        kind, val = toks[i]
        if kind == "word":
            cur_simple.words.append(val)
            i += 1
            continue
        if val in (">", ">>", "1>", "1>>", "2>", "2>>", "&>", "&>>", "<") or re.fullmatch(r"[0-9]>>?", val):
            if i + 1 >= len(toks) or toks[i + 1][0] != "word":
                raise ShellSyntaxError.token(toks[i + 1][1] if i + 1 < len(toks) else "newline")
            target = toks[i + 1][1]
            fd = 3 if val.startswith("&") else (2 if val.startswith("2") else 1)
            if val == "<":
                fd = 0
            cur_simple.redirs.append(Redirect(fd, target, val.endswith(">>")))
            i += 2
            continue
        if re.fullmatch(r"[0-9]?>&[0-9]", val):
            fd = int(val[0]) if val[0].isdigit() else 1
            cur_simple.redirs.append(Redirect(fd, "&" + val[-1]))
            i += 1
            continue
        if val == ")" or val == ";;":
            raise ShellSyntaxError.token(val)
        if val == "(":
            if not cur_simple.words and not cur_simple.redirs:
                raise NotSimulatedSyntax("subshells ( ... ) are")
            if len(cur_simple.words) > 1 or cur_simple.redirs:
                raise ShellSyntaxError.token("(")
            # `name (`: a function definition, which wants `)` next
            if i + 1 >= len(toks) or toks[i + 1][1] != ")":
                raise ShellSyntaxError.token(toks[i + 1][1] if i + 1 < len(toks) else "newline")
            raise NotSimulatedSyntax("function definitions are")
        if val == "|":
            s = finish_simple()
            if not s.words:
                raise ShellSyntaxError.token("|")
            cur_pipe.append(s)
            i += 1
            continue
        if val in ("&&", "||"):
            p = finish_pipeline(val)
            if cur_andor is None:
                cur_andor = AndOr(p)
            else:
                cur_andor.rest.append((pending_op, p))
            pending_op = val
            i += 1
            continue
        if val in (";", "&"):
            p = finish_pipeline(val)
            if cur_andor is None:
                cur_andor = AndOr(p)
            else:
                cur_andor.rest.append((pending_op, p))
            cur_andor.background = val == "&"
            lists.append(cur_andor)
            cur_andor = None
            pending_op = None
            i += 1
            continue
        raise ShellSyntaxError.token(val)
    if cur_pipe and not cur_simple.words and not cur_simple.redirs:
        raise ShellSyntaxError.end_of_file()          # `a |`: bash reads on for the rest
    if cur_simple.words or cur_simple.redirs or cur_pipe:
        p = finish_pipeline("newline")
        if cur_andor is None:
            cur_andor = AndOr(p)
        else:
            cur_andor.rest.append((pending_op, p))
    elif cur_andor is not None:
        raise ShellSyntaxError.end_of_file()
    if cur_andor is not None:
        lists.append(cur_andor)
    return lists


def holds_output(ao: AndOr) -> bool:
    """Whether a background job keeps the shell's stdout or stderr open until it ends.

    bash runs `a && b &` or `a | b &` in a subshell that holds both; a simple
    command `cmd > /dev/null 2>&1 &` holds neither once its redirections are made."""
    if ao.rest or len(ao.first.cmds) != 1:
        return True
    out = err = True
    for r in ao.first.cmds[0].redirs:
        if r.fd in (1, 3) and not r.target.startswith("&"):
            out = False
        if r.fd in (2, 3) and not r.target.startswith("&"):
            err = False
        if r.fd == 2 and r.target == "&1":
            err = out
        if r.fd == 1 and r.target == "&2":
            out = err
    return out or err


# ---------------------------------------------------------------- the session

Writer = Callable[[str, str], None]


class Job:
    """One command line being run: a task on the virtual clock."""

    def __init__(self, line: str):
        self.line = line
        self.task: Optional[Task] = None
        self.status: Optional[int] = None
        self.done = False
        self._on_done: list[Callable[["Job"], None]] = []
        self.foreground_task: Optional[Task] = None
        self.mark = None      # the world's CommandMark: which packets are this line's

    def add_done_callback(self, fn: Callable[["Job"], None]) -> None:
        if self.done:
            fn(self)
        else:
            self._on_done.append(fn)

    def _finish(self, status: int) -> None:
        self.status = status
        self.done = True
        for fn in self._on_done:
            fn(self)
        self._on_done.clear()

    def interrupt(self) -> None:
        """Ctrl+C: SIGINT to the foreground process."""
        t = self.foreground_task or self.task
        if t is not None and not t.done:
            t.interrupt()


class Session:
    """A shell session in one namespace of a world (the console, or a script)."""

    def __init__(self, world: "World", net: "Net", script: bool = False, tty: bool = True,
                 on_clear: Optional[Callable[[], None]] = None):
        self.world = world
        self.net = net
        self.script = script
        self.tty = tty
        self.last_status = 0
        # the scratch file system, starting with the lab's own files (/etc/hosts)
        self.files: dict[str, str] = dict(getattr(world, "etc_files", None) or {})
        # vethtui serve (vethtui.serve.session): no host file at all (tcpdump -w and -r
        # use `files` too) and `download FILE` hands a file to the browser via `deliver`
        self.host_files = True
        self.deliver: Optional[Callable[[str, bytes], None]] = None
        self.line_no = 1
        self.on_clear = on_clear
        self.jobs: list[tuple[int, str, Task]] = []
        # when a list (the script runner sets one per line): the background jobs
        # started that keep the line's stdout/stderr open (a `bash -c` under a
        # pipe ends only when they exit), see holds_output()
        self.output_holders: Optional[list[Task]] = None
        self._next_job = 1
        self.capture_hook: Optional[Callable] = None   # TUI: tcpdump opens a view
        self.pid = 4000 + world.rng.randrange(1000)
        self.current_mark = None   # the CommandMark of the line started last
        self.net_stack: list = []  # namespaces the console entered (ip netns exec NS bash)
        self.on_net_change: Optional[Callable[["Net"], None]] = None
        self.exit_requested = False

    # -- entering namespaces (interactive console) ---------------------------------
    def enter_net(self, net: "Net") -> None:
        self.net_stack.append(self.net)
        self.net = net
        if self.on_net_change is not None:
            self.on_net_change(net)

    def leave_net(self) -> None:
        if self.net_stack:
            self.net = self.net_stack.pop()
            if self.on_net_change is not None:
                self.on_net_change(self.net)

    def prompt(self) -> str:
        """`root@vethtui:~# `, with the namespace when the console entered one."""
        where = f"({self.net.name})" if self.net_stack and self.net.name else ""
        return f"root@{self.world.hostname}{where}:~# "

    async def run_line_in(self, line: str, write: Writer, net: "Net", job: Job) -> int:
        """`bash -c LINE`: parse and run a line as a child shell would (same session)."""
        try:
            lists = parse(line)
        except ShellSyntaxError as err:
            write("err", err.lines(line, script=True))
            return 2
        saved = self.exit_requested
        status = await self._run_lists(lists, write, net, job)
        self.exit_requested = saved
        return status

    # -- errors worded as bash words them ------------------------------------
    def bash_prefix(self) -> str:
        return "bash: line 1: " if self.script else "bash: "

    def start(self, line: str, write: Writer, net: Optional["Net"] = None) -> Job:
        job = Job(line)
        mark = begin_command(self.world, line, (net or self.net).display_name)
        self.current_mark = mark
        job.mark = mark
        job.add_done_callback(lambda j: setattr(mark, "status", j.status))
        chunks = mark.output_chunks
        user_write = write

        def write(stream: str, text: str) -> None:
            chunks.append(text)
            user_write(stream, text)
        try:
            lists = parse(line)
        except ShellSyntaxError as err:
            write("err", err.lines(line, self.script))
            self.last_status = 2
            job._finish(2)
            return job
        if not lists:
            job._finish(self.last_status)
            return job
        coro = self._run_lists(lists, write, net or self.net, job)
        job.task = Task(self.world.sched, coro, name=line,
                        on_done=lambda t: job._finish(self._status_of(t, write)))
        return job

    def _status_of(self, task: Task, write: Writer) -> int:
        if task.error is not None:
            write("err", f"vethtui: internal error: {type(task.error).__name__}: {task.error}\n")
            self.last_status = 70
            return 70
        status = task.result if isinstance(task.result, int) else 0
        self.last_status = status
        return status

    async def _run_lists(self, lists: list[AndOr], write: Writer, net: "Net", job: Job) -> int:
        status = self.last_status
        self.exit_requested = False
        for ao in lists:
            if self.exit_requested:
                break
            if ao.background:
                self._spawn_background(ao, write, net)
                status = 0
                continue
            status = await self._run_andor(ao, write, net, job)
            self.last_status = status
        return status

    def _spawn_background(self, ao: AndOr, write: Writer, net: "Net") -> None:
        num = self._next_job
        self._next_job += 1
        self.pid += 1
        if not self.script:
            write("err", f"[{num}] {self.pid}\n")
        dummy = Job("")
        coro = self._run_andor(ao, write, net, dummy, background=True)
        text = " ".join(" ".join(s.words) for s in ao.first.cmds)
        task = Task(self.world.sched, coro, name=text)
        task.pid = self.pid            # what `kill PID` names (tools/jobs.py)
        self.jobs.append((num, text, task))
        if self.output_holders is not None and holds_output(ao):
            self.output_holders.append(task)

        def done(t: Task, num=num, text=text) -> None:
            self.jobs = [j for j in self.jobs if j[0] != num]
            if not self.script:
                status = t.result if isinstance(t.result, int) else 0
                word = {0: "Done", 130: "Interrupt", 137: "Killed", 143: "Terminated"}.get(
                    status, f"Exit {status}")
                write("err", f"[{num}]+  {word:<24}{text}\n")
        task.add_done_callback(done)

    async def _run_andor(self, ao: AndOr, write: Writer, net: "Net", job: Job,
                         background: bool = False) -> int:
        status = await self._run_pipeline(ao.first, write, net, job, background)
        for op, pipe in ao.rest:
            if self.exit_requested:
                break
            if (op == "&&" and status == 0) or (op == "||" and status != 0):
                status = await self._run_pipeline(pipe, write, net, job, background)
        return status

    async def _run_pipeline(self, pipe: Pipeline, write: Writer, net: "Net", job: Job,
                            background: bool) -> int:
        if len(pipe.cmds) == 1:
            return await self.run_simple(pipe.cmds[0], write, net, job, background)
        from . import filters
        # Run the producer into a buffer, then feed the filters in order.
        buf: list[tuple[str, str]] = []

        def capture(stream: str, text: str) -> None:
            if stream == "out":
                buf.append((stream, text))
            else:
                write(stream, text)
        from .registry import STDIN_TOOLS
        status = await self.run_simple(pipe.cmds[0], capture, net, job, background)
        data = "".join(t for _, t in buf)
        for simple in pipe.cmds[1:]:
            out: list[str] = []
            words = self.expand(simple.words, net)

            def stage_write(s: str, t: str, out=out) -> None:
                if s == "out":
                    out.append(t)
                else:
                    write(s, t)
            if words and words[0] in STDIN_TOOLS:
                status = await self.exec_argv(words, stage_write, net, job, background, stdin=data)
            else:
                status = filters.run(words, data, stage_write, self)
            data = "".join(out)
        write("out", data)
        return status

    def expand(self, words: list[str], net: "Net") -> list[str]:
        """Pathname expansion (tools/glob.py) over this namespace's files."""
        if not any(getattr(w, "pattern", None) for w in words):
            return list(words)
        from .glob import expand_words
        return expand_words(words, self.files, net)

    async def run_simple(self, simple: Simple, write: Writer, net: "Net", job: Job,
                         background: bool = False) -> int:
        words = self.expand(simple.words, net)
        while words and words[0] == "sudo":
            words.pop(0)
            while words and words[0].startswith("-") and words[0] != "--":
                opt = words.pop(0)
                if opt in ("-u", "-g") and words:
                    words.pop(0)
            if words and words[0] == "--":
                words.pop(0)
        if not words:
            return 0
        # Redirections: bash opens the targets before running the command.
        out_target: Optional[tuple[str, bool]] = None
        err_target: Optional[tuple[str, bool]] = None
        err_to_out = False
        stdin: Optional[str] = None
        for r in simple.redirs:
            if getattr(r.target, "pattern", None):
                targets = self.expand([r.target], net)
                if len(targets) > 1:
                    write("err", f"{self.bash_prefix()}{r.target}: ambiguous redirect\n")
                    return 1
                r = Redirect(r.fd, targets[0], r.append)
            if r.fd == 0:
                if r.target not in self.files and r.target != "/dev/null":
                    write("err", f"{self.bash_prefix()}{r.target}: No such file or directory\n")
                    return 1
                stdin = self.files.get(r.target, "")
                continue
            if r.target.startswith("&"):
                if r.fd == 2 and r.target == "&1":
                    err_to_out = True
                continue
            problem = self._check_open(r.target)
            if problem:
                write("err", f"{self.bash_prefix()}{r.target}: {problem}\n")
                return 1
            if r.fd in (1, 3):
                out_target = (r.target, r.append)
            if r.fd in (2, 3):
                err_target = (r.target, r.append)
        collected_out: list[str] = []
        collected_err: list[str] = []

        # A file in the scratch file system is opened (truncated) now and written as the
        # command writes, so a background server's log grows while it runs.
        files = self.files
        streamed = set()
        for target in (out_target, err_target):
            if target is not None and _scratch_path(target[0]):
                streamed.add(target[0])
                if not target[1]:
                    files[target[0]] = ""
                files.setdefault(target[0], "")

        def emit(target, collected: list[str], text: str) -> None:
            if target[0] in streamed:
                files[target[0]] = files.get(target[0], "") + text
            else:
                collected.append(text)

        def tool_write(stream: str, text: str) -> None:
            if stream == "err" and err_to_out:
                stream = "out"
                if out_target is not None:
                    emit(out_target, collected_out, text)
                    return
            if stream == "out" and out_target is not None:
                emit(out_target, collected_out, text)
                return
            if stream == "err" and err_target is not None:
                emit(err_target, collected_err, text)
                return
            write(stream, text)

        name = words[0]
        status = await self.exec_argv(words, tool_write, net, job, background,
                                      stdout_redirected=out_target is not None, stdin=stdin)
        for target, sink, stream in ((out_target, collected_out, "out"),
                                     (err_target, collected_err, "err")):
            if target is None:
                continue
            path, append = target
            text = "".join(sink)
            if path == "/dev/null" or path in streamed:
                continue
            if path.startswith("/proc/sys/"):
                err = self._write_proc(path, text, net)
                if err:
                    write("err", f"{self.bash_prefix()}{name}: write error: {err}\n")
                    status = 1
            elif path.startswith("/proc/") or path.startswith("/sys/"):
                continue
            else:
                self.files[path] = (self.files.get(path, "") if append else "") + text
        return status

    def _check_open(self, path: str) -> str:
        """Whether bash could open `path` for writing (in the simulated /proc)."""
        if path == "/dev/null":
            return ""
        if path.startswith("/proc/sys/") or path == "/proc/sys":
            from ..kernel.sysctl import Dir, SysctlError
            parts = [p for p in path[len("/proc/sys/"):].split("/") if p]
            try:
                node = self.net_for_proc().sysctl.resolve(parts)
            except SysctlError as err:
                return "No such file or directory" if err.errno == "ENOENT" else "Not a directory"
            if isinstance(node, Dir):
                return "Is a directory"
            if node.set is None:
                return "Permission denied"
            return ""
        if path.startswith("/proc/") or path.startswith("/sys/"):
            return "No such file or directory"
        return ""

    def net_for_proc(self) -> "Net":
        return self._proc_net if getattr(self, "_proc_net", None) is not None else self.net

    def _write_proc(self, path: str, text: str, net: "Net") -> str:
        from ..kernel.sysctl import SysctlError
        parts = [p for p in path[len("/proc/sys/"):].split("/") if p]
        try:
            node = net.sysctl.resolve(parts)
            node.set(text)
        except SysctlError as err:
            return {"EINVAL": "Invalid argument", "EPERM": "Operation not permitted",
                    "ENOENT": "No such file or directory"}.get(err.errno, err.errno)
        return ""

    async def exec_argv(self, words: list[str], write: Writer, net: "Net", job: Job,
                        background: bool = False, stdout_redirected: bool = False,
                        stdin: Optional[str] = None) -> int:
        """Run one program by name in namespace `net` (also used by `ip netns exec`)."""
        from .registry import TOOLS
        name = words[0]
        tool = TOOLS.get(name)
        if tool is None:
            if name in NOT_SIMULATED:
                write("err", f"vethtui: {name}: command not simulated\n")
            elif "/" in name:
                write("err", f"{self.bash_prefix()}{name}: No such file or directory\n")
            else:
                write("err", f"{self.bash_prefix()}{name}: command not found\n")
            return 127
        proc = Proc(self.world, net, write, tty=self.tty and not stdout_redirected,
                    session=self, argv0=name)
        self.pid += 1 + self.world.rng.randrange(3)   # every process gets its own pid
        proc.pid = self.pid
        proc.background = background
        proc.job = job
        if stdin is not None:
            proc.stdin_lines = stdin.splitlines(keepends=True)
        self._proc_net = net
        try:
            result = tool(proc, words)
            if inspect.iscoroutine(result):
                result = await result
        except Exit as e:
            return e.status
        finally:
            self._proc_net = None
        return int(result or 0) & 0xFF
