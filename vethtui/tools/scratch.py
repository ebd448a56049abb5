"""Files of the shell's scratch file system (`Session.files`) for tools that write bytes.

In a browser session (`vethtui serve`) a session has `host_files = False`: nothing a
user types reads or writes a file of the serving machine. `tcpdump -w FILE` then
writes into the scratch file system (where `tcpdump -r FILE` and `download FILE`
find it). Contents are kept as text the way redirections keep them; bytes go
through UTF-8 with surrogateescape, which gives back every byte unchanged.
"""
from __future__ import annotations

import io
from typing import Optional


def host_files(session) -> bool:
    """Whether this session's tools may use the host's files (the terminal app, scripts)."""
    return session is None or getattr(session, "host_files", True)


def read_bytes(session, path: str) -> Optional[bytes]:
    """A scratch file's bytes, or None if there is no such file."""
    files = getattr(session, "files", None) or {}
    if path not in files:
        return None
    return files[path].encode("utf-8", "surrogateescape")


class ScratchWriter(io.RawIOBase):
    """A binary file (`open(path, "wb")`) whose bytes land in `session.files[path]`
    on each flush, as a real file's contents appear once stdio flushes them."""

    def __init__(self, session, path: str):
        super().__init__()
        self.session = session
        self.path = path
        self._data = bytearray()
        session.files[path] = ""          # open(..., "wb") truncates

    def writable(self) -> bool:
        return True

    def write(self, b) -> int:
        self._data += b
        return len(b)

    def flush(self) -> None:
        if not self.closed:
            self.session.files[self.path] = self._data.decode("utf-8", "surrogateescape")

    def close(self) -> None:
        if not self.closed:
            self.flush()
        super().close()


def writer(session, path: str) -> Optional[ScratchWriter]:
    """A scratch file to write `path` into when the session has no host files, else
    None (the caller opens the host file, as the real tool does)."""
    if host_files(session):
        return None
    return ScratchWriter(session, path)
