"""Running what the parser read (bash's execute_cmd.c, with jobs.c's background jobs):
lists, and-or lists, pipelines into the filters, simple commands through their
redirections (redir.py) to the registry's tools, each a process in a namespace.
"""
from __future__ import annotations

import inspect
from typing import TYPE_CHECKING, Callable, Optional

from ...explain import begin_command
from ...kernel.clock import Task
from ..base import Exit, Proc
from .parse import AndOr, Pipeline, ShellSyntaxError, Simple, parse
from .redir import Writer, do_redirections

if TYPE_CHECKING:  # pragma: no cover
    from ...kernel.netns import Net
    from ...kernel.world import World

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


def _strip_sudo(words: list[str]) -> list[str]:
    """`sudo [-u USER] [-g GROUP] [--] CMD`: the lab runs everything as root already."""
    while words and words[0] == "sudo":
        words.pop(0)
        while words and words[0].startswith("-") and words[0] != "--":
            opt = words.pop(0)
            if opt in ("-u", "-g") and words:
                words.pop(0)
        if words and words[0] == "--":
            words.pop(0)
    return words


# ---------------------------------------------------------------- the session


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
        where = net or self.net
        mark = begin_command(self.world, line, where.display_name, where.net_cookie)
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
        from .. import filters
        # Run the producer into a buffer, then feed the filters in order.
        buf: list[tuple[str, str]] = []

        def capture(stream: str, text: str) -> None:
            if stream == "out":
                buf.append((stream, text))
            else:
                write(stream, text)
        from ..registry import STDIN_TOOLS
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
        from ..glob import expand_words
        return expand_words(words, self.files, net)

    async def run_simple(self, simple: Simple, write: Writer, net: "Net", job: Job,
                         background: bool = False) -> int:
        words = _strip_sudo(self.expand(simple.words, net))
        if not words:
            return 0
        # Redirections: bash opens the targets before running the command.
        rd = do_redirections(self, simple.redirs, net, write)
        if rd is None:
            return 1
        status = await self.exec_argv(words, rd.writer(write), net, job, background,
                                      stdout_redirected=rd.out is not None, stdin=rd.stdin)
        return rd.finish(self, words[0], net, write, status)

    def net_for_proc(self) -> "Net":
        return self._proc_net if getattr(self, "_proc_net", None) is not None else self.net

    async def exec_argv(self, words: list[str], write: Writer, net: "Net", job: Job,
                        background: bool = False, stdout_redirected: bool = False,
                        stdin: Optional[str] = None) -> int:
        """Run one program by name in namespace `net` (also used by `ip netns exec`)."""
        from ..registry import TOOLS
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
