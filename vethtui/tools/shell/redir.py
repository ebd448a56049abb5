"""Redirections (bash's redir.c): bash opens every target before the command runs, with
its errors (`ambiguous redirect`, `No such file or directory`, `Is a directory`,
`Permission denied` for a read-only sysctl), then the command's output goes where they
point. `echo V > /proc/sys/...` writes the sysctl when the command is done, as the file's
write would; other files live in the session's scratch file system, never on the host.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Callable, Optional

from ...kernel.sysctl import Dir, SysctlError
from .parse import Redirect

if TYPE_CHECKING:  # pragma: no cover
    from ...kernel.netns import Net
    from .execute import Session

Writer = Callable[[str, str], None]


def _scratch_path(path: str) -> bool:
    """A redirection target in the scratch file system (not /dev/null, /proc or /sys)."""
    return path != "/dev/null" and not path.startswith(("/proc/", "/sys/"))


class Redirections:
    """Where one simple command's streams go once do_redirections made its redirections:
    stdout and stderr each to nothing or a (path, append) target, stderr into stdout
    (`2>&1`), stdin from a file. A scratch file is opened (truncated) at once and written
    as the command writes, so a background server's log grows while it runs; what goes
    to /proc/sys is collected and written at the end."""

    def __init__(self) -> None:
        self.out: Optional[tuple[str, bool]] = None
        self.err: Optional[tuple[str, bool]] = None
        self.err_to_out = False
        self.stdin: Optional[str] = None
        self.streamed: set[str] = set()
        self.collected_out: list[str] = []
        self.collected_err: list[str] = []
        self.files: dict[str, str] = {}

    def open_scratch(self, files: dict[str, str]) -> None:
        self.files = files
        for target in (self.out, self.err):
            if target is not None and _scratch_path(target[0]):
                self.streamed.add(target[0])
                if not target[1]:
                    files[target[0]] = ""
                files.setdefault(target[0], "")

    def _emit(self, target: tuple[str, bool], collected: list[str], text: str) -> None:
        if target[0] in self.streamed:
            self.files[target[0]] = self.files.get(target[0], "") + text
        else:
            collected.append(text)

    def writer(self, write: Writer) -> Writer:
        """The command's write: through the redirections, else to `write` (itself when
        there are none: a flood ping writes twice a round trip, and a redirection is
        never added once the command runs)."""
        if self.out is None and self.err is None and not self.err_to_out:
            return write

        def tool_write(stream: str, text: str) -> None:
            if stream == "err" and self.err_to_out:
                stream = "out"
                if self.out is not None:
                    self._emit(self.out, self.collected_out, text)
                    return
            if stream == "out" and self.out is not None:
                self._emit(self.out, self.collected_out, text)
                return
            if stream == "err" and self.err is not None:
                self._emit(self.err, self.collected_err, text)
                return
            write(stream, text)
        return tool_write

    def finish(self, session: "Session", name: str, net: "Net", write: Writer,
               status: int) -> int:
        """The command is done: write what it wrote to /proc/sys (bash's `write error`
        makes the status 1) and to files not streamed; the status."""
        for target, sink in ((self.out, self.collected_out), (self.err, self.collected_err)):
            if target is None:
                continue
            path, append = target
            text = "".join(sink)
            if path == "/dev/null" or path in self.streamed:
                continue
            if path.startswith("/proc/sys/"):
                err = write_proc(path, text, net)
                if err:
                    write("err", f"{session.bash_prefix()}{name}: write error: {err}\n")
                    status = 1
            elif path.startswith("/proc/") or path.startswith("/sys/"):
                continue
            else:
                session.files[path] = (session.files.get(path, "") if append else "") + text
        return status


def do_redirections(session: "Session", redirs: list[Redirect], net: "Net",
                    write: Writer) -> Optional[Redirections]:
    """do_redirections: expand and open each target in order; None once one fails
    (bash's error written, the command does not run and its status is 1)."""
    rd = Redirections()
    for r in redirs:
        if getattr(r.target, "pattern", None):
            targets = session.expand([r.target], net)
            if len(targets) > 1:
                write("err", f"{session.bash_prefix()}{r.target}: ambiguous redirect\n")
                return None
            r = Redirect(r.fd, targets[0], r.append)
        if r.fd == 0:
            if r.target not in session.files and r.target != "/dev/null":
                write("err", f"{session.bash_prefix()}{r.target}: No such file or directory\n")
                return None
            rd.stdin = session.files.get(r.target, "")
            continue
        if r.target.startswith("&"):
            if r.fd == 2 and r.target == "&1":
                rd.err_to_out = True
            continue
        problem = check_open(session, r.target)
        if problem:
            write("err", f"{session.bash_prefix()}{r.target}: {problem}\n")
            return None
        if r.fd in (1, 3):
            rd.out = (r.target, r.append)
        if r.fd in (2, 3):
            rd.err = (r.target, r.append)
    rd.open_scratch(session.files)
    return rd


def check_open(session: "Session", path: str) -> str:
    """Whether bash could open `path` for writing (in the simulated /proc)."""
    if path == "/dev/null":
        return ""
    if path.startswith("/proc/sys/") or path == "/proc/sys":
        parts = [p for p in path[len("/proc/sys/"):].split("/") if p]
        try:
            node = session.net_for_proc().sysctl.resolve(parts)
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


def write_proc(path: str, text: str, net: "Net") -> str:
    """The write(2) of a sysctl file: its errno's words, or "" when it took the value."""
    parts = [p for p in path[len("/proc/sys/"):].split("/") if p]
    try:
        node = net.sysctl.resolve(parts)
        node.set(text)
    except SysctlError as err:
        return {"EINVAL": "Invalid argument", "EPERM": "Operation not permitted",
                "ENOENT": "No such file or directory"}.get(err.errno, err.errno)
    return ""
