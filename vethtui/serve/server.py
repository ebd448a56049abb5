"""The classroom server: textual-serve's protocol, one vethtui process per browser tab.

textual-serve's `Server` runs one shell command per websocket; this subclass
runs `python -m vethtui --browser-session LAB` (an argv, no shell) for the lab
the tab opened, in a fresh scratch directory that is deleted when the session
ends, and adds what a class on one machine needs: a cap on sessions (a page
saying so when full), idle sessions ended, a memory limit per session
(RLIMIT_DATA, so a runaway session dies alone), the address to share printed
at start, and /status (JSON) for a proxy's health check.
"""
from __future__ import annotations

import asyncio
import json
import logging
import os
import re
import resource
import shutil
import signal
import socket
import sys
import tempfile
import time
from pathlib import Path
from typing import Optional

from aiohttp import WSMsgType, web
from textual_serve.app_service import AppService
from textual_serve.server import Server

from ..i18n import SUPPORTED
from . import pages
from .catalogue import LabEntry, find

log = logging.getLogger("vethtui.serve")

STUDENT_COOKIE = "vethtui_student"
_STUDENT_RE = re.compile(r"[0-9a-f]{32}")


class SessionService(AppService):
    """One browser tab's vethtui process: started from an argv, limited, timed."""

    def __init__(self, argv: list[str], *, env: dict[str, str], cwd: str,
                 memory_limit: Optional[int], **kwargs) -> None:
        super().__init__(" ".join(argv), **kwargs)
        self.argv = argv
        self.extra_env = env
        self.cwd = cwd
        self.memory_limit = memory_limit
        self.started = time.monotonic()
        # idle time counts from the app's first frame, not from the process's start: on a
        # busy server the launch can take seconds a learner could not type in
        self.last_input = self.started
        self.shown = False
        self.websocket: Optional[web.WebSocketResponse] = None
        self.lab = ""

    async def on_data(self, payload: bytes) -> None:
        if not self.shown:
            self.shown = True
            self.last_input = time.monotonic()
        await super().on_data(payload)

    @property
    def pid(self) -> Optional[int]:
        return self._process.pid if self._process is not None else None

    def _limit(self) -> None:        # runs in the child, before exec
        if self.memory_limit:
            resource.setrlimit(resource.RLIMIT_DATA, (self.memory_limit, self.memory_limit))

    async def _open_app_process(self, width: int = 80, height: int = 24):
        env = self._build_environment(width=width, height=height)
        env.update(self.extra_env)
        self._process = process = await asyncio.create_subprocess_exec(
            *self.argv, stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE, env=env, cwd=self.cwd, preexec_fn=self._limit)
        assert process.stdin is not None
        self._stdin = process.stdin
        return process

    async def stop(self) -> None:
        """Ask the app to quit; after 5 s (or if it is gone) end the process."""
        try:
            await asyncio.wait_for(super().stop(), 5)
        except (asyncio.TimeoutError, OSError, RuntimeError):
            pass
        p = self._process
        if p is not None and p.returncode is None:
            try:
                p.kill()
            except ProcessLookupError:
                pass
        if p is not None:
            try:
                await asyncio.wait_for(p.wait(), 5)
            except asyncio.TimeoutError:
                log.error("session process %s did not end", p.pid)
        if self._task is not None:
            self._task.cancel()
            self._task = None


class ClassroomServer(Server):
    """`vethtui serve`: see the module docstring."""

    def __init__(self, catalogue: list[LabEntry], *, host: str = "127.0.0.1", port: int = 8000,
                 lab: Optional[str] = None, lang: str = "en", max_sessions: int = 30,
                 idle_timeout: Optional[float] = 30 * 60, data_dir: Optional[Path] = None,
                 memory_limit: Optional[int] = 768 * 2**20, seed: int = 0,
                 python: str = sys.executable) -> None:
        super().__init__("vethtui", host=host, port=port, title="vethtui")
        self.catalogue = catalogue
        self.lab = lab
        self.lang = lang
        self.max_sessions = max_sessions
        self.idle_timeout = idle_timeout
        self.data_dir = data_dir
        self.memory_limit = memory_limit
        self.seed = seed
        self.python = python
        self.sessions: dict[str, SessionService] = {}
        self.scratch_root = Path(tempfile.mkdtemp(prefix="vethtui-serve-"))
        self.url = ""                          # the address to share, once bound
        self.started = 0                       # sessions started since the server started
        self.stop_event: Optional[asyncio.Event] = None

    # -- routes -------------------------------------------------------------------
    async def _make_app(self) -> web.Application:
        app = web.Application()
        app.add_routes([
            web.get("/", self.handle_landing),
            web.get("/lab/{name}", self.handle_lab),
            web.get("/ws/{lang}/{name}", self.handle_websocket),
            web.get("/download/{key}", self.handle_download),
            web.get("/status", self.handle_status),
            web.static("/static", self.statics_path),
        ])
        return app

    def _lang(self, request: web.Request) -> str:
        lang = request.query.get("lang", "")
        return lang if lang in SUPPORTED else self.lang

    def full(self) -> bool:
        return len(self.sessions) >= self.max_sessions

    async def handle_landing(self, request: web.Request) -> web.StreamResponse:
        if self.lab:
            raise web.HTTPFound(f"/lab/{self.lab}?lang={self._lang(request)}")
        html = pages.landing(self.catalogue, self._lang(request), len(self.sessions),
                             self.max_sessions)
        resp = web.Response(text=html, content_type="text/html")
        self._student(request, resp)
        return resp

    async def handle_lab(self, request: web.Request) -> web.StreamResponse:
        entry = find(self.catalogue, request.match_info["name"])
        if entry is None:
            raise web.HTTPNotFound(text="vethtui: no such lab here")
        lang = self._lang(request)
        if self.full():
            return web.Response(text=pages.full(lang, self.max_sessions),
                                content_type="text/html", status=503)
        scheme = request.headers.get("X-Forwarded-Proto", request.scheme)
        ws = "wss" if scheme == "https" else "ws"
        url = f"{ws}://{request.host}/ws/{lang}/{entry.name}"
        resp = web.Response(text=pages.terminal(f"vethtui · {entry.name}", url, lang,
                                                font_size=_int(request.query.get("fontsize"), 16)),
                            content_type="text/html")
        self._student(request, resp)
        return resp

    async def handle_status(self, request: web.Request) -> web.StreamResponse:
        return web.json_response({
            "sessions": len(self.sessions), "max_sessions": self.max_sessions,
            "pids": [s.pid for s in self.sessions.values() if s.pid],
            "started": self.started})

    def _student(self, request: web.Request, resp: web.Response) -> None:
        """With --data-dir, a cookie names the browser so its progress comes back."""
        if self.data_dir is not None and not _STUDENT_RE.fullmatch(
                request.cookies.get(STUDENT_COOKIE, "")):
            resp.set_cookie(STUDENT_COOKIE, os.urandom(16).hex(), max_age=180 * 86400,
                            httponly=True, samesite="Lax")

    # -- sessions -----------------------------------------------------------------
    def session_argv(self, entry: LabEntry, lang: str) -> list[str]:
        return [self.python, "-m", "vethtui", "--browser-session", "--lang", lang,
                "--seed", str(self.seed), entry.target]

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        entry = find(self.catalogue, request.match_info["name"])
        lang = request.match_info["lang"]
        websocket = web.WebSocketResponse(heartbeat=15)
        await websocket.prepare(request)
        if entry is None or lang not in SUPPORTED or self.full():
            await websocket.close(message=b"full" if self.full() else b"no such lab")
            return websocket
        sid = os.urandom(8).hex()
        scratch = self.scratch_root / sid
        scratch.mkdir()
        student = request.cookies.get(STUDENT_COOKIE, "")
        if self.data_dir is not None and _STUDENT_RE.fullmatch(student):
            data = self.data_dir / student
            data.mkdir(parents=True, exist_ok=True)
        else:
            data = scratch / "data"          # kept for this session only
        service = SessionService(
            self.session_argv(entry, lang), env={"VETHTUI_DATA_DIR": str(data)},
            cwd=str(scratch), memory_limit=self.memory_limit,
            write_bytes=websocket.send_bytes, write_str=websocket.send_str,
            close=websocket.close, download_manager=self.download_manager)
        service.websocket = websocket
        service.lab = entry.name
        self.sessions[sid] = service
        self.started += 1
        log.info("session %s: %s (%s), %d running", sid, entry.name, lang, len(self.sessions))
        try:
            await service.start(_int(request.query.get("width"), 80),
                                _int(request.query.get("height"), 24))
            await self._process_messages(websocket, service)
        except asyncio.CancelledError:
            pass
        except Exception as error:   # a broken session must not take the server down
            log.exception(error)
        finally:
            await service.stop()
            if not websocket.closed:
                await websocket.close()
            self.sessions.pop(sid, None)
            shutil.rmtree(scratch, ignore_errors=True)
            log.info("session %s ended, %d running", sid, len(self.sessions))
        return websocket

    async def _process_messages(self, websocket: web.WebSocketResponse,
                                app_service: AppService) -> None:
        async for message in websocket:
            if message.type != WSMsgType.TEXT:
                continue
            try:
                envelope = json.loads(message.data)
                type_, data = envelope[0], envelope[1] if len(envelope) > 1 else None
            except (ValueError, IndexError, KeyError, TypeError):
                continue
            if type_ == "stdin" and isinstance(data, str):
                app_service.last_input = time.monotonic()
                await app_service.send_bytes(data.encode("utf-8"))
            elif type_ == "resize" and isinstance(data, dict):
                await app_service.set_terminal_size(_int(data.get("width"), 80),
                                                    _int(data.get("height"), 24))
            elif type_ == "ping":
                await websocket.send_json(["pong", data])
            elif type_ == "blur":
                await app_service.blur()
            elif type_ == "focus":
                await app_service.focus()

    async def reap_idle(self) -> None:
        """End sessions with no keystroke for idle_timeout seconds."""
        assert self.idle_timeout
        period = max(0.2, min(30.0, self.idle_timeout / 4))
        while True:
            await asyncio.sleep(period)
            now = time.monotonic()
            for sid, s in list(self.sessions.items()):
                if now - s.last_input > self.idle_timeout:
                    log.info("session %s idle for %.0f s: ended", sid, now - s.last_input)
                    await s.stop()
                    if s.websocket is not None and not s.websocket.closed:
                        await s.websocket.close()

    # -- running ------------------------------------------------------------------
    def serve(self, debug: bool = False) -> None:  # noqa: ARG002 - textual-serve's signature
        self.initialize_logging()
        try:
            asyncio.run(self.run())
        finally:
            shutil.rmtree(self.scratch_root, ignore_errors=True)

    async def run(self, ready=None) -> None:
        """Serve until SIGINT/SIGTERM (or stop_event). `ready(url)` is called once bound."""
        self.stop_event = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            try:
                loop.add_signal_handler(sig, self.stop_event.set)
            except (NotImplementedError, RuntimeError):
                pass
        runner = web.AppRunner(await self._make_app(), handle_signals=False, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, self.host, self.port)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.url = share_url(self.host, port)
        self.announce(port)
        if ready is not None:
            ready(self.url)
        reaper = asyncio.create_task(self.reap_idle()) if self.idle_timeout else None
        try:
            await self.stop_event.wait()
        finally:
            if reaper is not None:
                reaper.cancel()
            await asyncio.gather(*(s.stop() for s in list(self.sessions.values())),
                                 return_exceptions=True)
            for s in list(self.sessions.values()):
                if s.websocket is not None and not s.websocket.closed:
                    await s.websocket.close()
            await runner.cleanup()

    def announce(self, port: int) -> None:
        out = sys.stdout
        out.write(f"vethtui serve: {self.url}\n")
        if self.host in ("127.0.0.1", "localhost", "::1"):
            out.write(f"  bound to {self.host}: only this machine can open it "
                      "(--host 0.0.0.0 to share it with a class)\n")
        else:
            out.write(f"  bound to {self.host} port {port}: share the address above\n")
        idle = f"{self.idle_timeout / 60:g} min" if self.idle_timeout else "never"
        mem = f"{self.memory_limit // 2**20} MiB" if self.memory_limit else "unlimited"
        out.write(f"  at most {self.max_sessions} sessions; idle sessions end after {idle}; "
                  f"memory per session {mem}\n")
        where = self.data_dir if self.data_dir is not None else "kept per session, then deleted"
        out.write(f"  lab progress: {where}\n  Ctrl+C stops the server\n")
        out.flush()


def share_url(host: str, port: int) -> str:
    """The address students type: the machine's own address when bound to all."""
    if host in ("0.0.0.0", "", "::"):
        host = _outward_address() or socket.gethostname()
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}/"


def _outward_address() -> Optional[str]:
    """The address this machine's default route leaves from (a UDP connect sends nothing)."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.connect(("192.0.2.1", 9))     # TEST-NET-1: never contacted
            return s.getsockname()[0]
    except OSError:
        return None


def _int(value, default: int) -> int:
    try:
        return max(1, min(int(value), 1000))
    except (TypeError, ValueError):
        return default
