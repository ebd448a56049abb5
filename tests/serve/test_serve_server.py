"""vethtui serve without a browser: the pages, a session over the websocket protocol the
browser speaks, the session cap, idle sessions, the memory limit, no host files."""
from __future__ import annotations

import asyncio
import json
import re
import time
import urllib.error
import urllib.request

import pytest

pytest.importorskip("textual_serve", reason="vethtui serve needs textual-serve")
import aiohttp  # noqa: E402  (textual-serve depends on it)

ANSI = re.compile(rb"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[()][0-9A-Za-z]|\x1b[=>]")


def screen_text(data: bytes) -> str:
    return ANSI.sub(b"", data).decode("utf-8", "replace")


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=20) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as err:
        return err.code, err.read().decode()


class Tab:
    """What textual.js does in a browser tab, over aiohttp."""

    def __init__(self, ws):
        self.ws = ws
        self.data = bytearray()
        self.closed = False

    async def pump(self, seconds: float, until: str | None = None) -> bool:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            if until is not None and until in screen_text(bytes(self.data)):
                return True
            try:
                m = await self.ws.receive(timeout=end - time.monotonic())
            except asyncio.TimeoutError:
                break
            if m.type == aiohttp.WSMsgType.BINARY:
                self.data.extend(m.data)
            elif m.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED,
                            aiohttp.WSMsgType.CLOSING, aiohttp.WSMsgType.ERROR):
                self.closed = True
                break
        return until is not None and until in screen_text(bytes(self.data))

    def tail(self, n: int = 3000) -> str:
        return screen_text(bytes(self.data))[-n:]

    async def ready(self) -> bool:
        """The prompt is drawn; focus the tab as a click on the page does."""
        if not await self.pump(60, until="root@vethtui"):
            return False
        await self.ws.send_str(json.dumps(["focus"]))
        await self.pump(1)
        return True

    async def type(self, text: str) -> None:
        await self.ws.send_str(json.dumps(["stdin", text]))


async def open_tab(session, url: str, lab: str, lang: str = "en") -> Tab:
    ws_url = url.replace("http://", "ws://") + f"ws/{lang}/{lab}?width=120&height=40"
    return Tab(await session.ws_connect(ws_url))


def test_landing_page_lists_the_shipped_labs_in_both_languages(serve):
    s = serve()
    status, html = get(s.url)
    assert status == 200
    for name in ("01-veth-one-address", "02-arp-accept-local", "03-veth-namespaces",
                 "04-bridge-namespaces", "default", "netns"):
        assert f'href="/lab/{name}?lang=en"' in html
    assert "A veth pair with one address" in html and "只有一端有地址的 veth pair" in html
    assert "Sessions: 0/30" in html
    status, page = get(s.url + "lab/01-veth-one-address?lang=zh")
    assert status == 200
    assert re.search(r'data-session-websocket-url="ws://127\.0\.0\.1:\d+/ws/zh/01-veth-one-address"',
                     page)
    assert "googleapis" not in page           # nothing from outside the classroom
    assert get(s.url + "lab/..%2F..%2Fetc%2Fpasswd")[0] == 404
    assert get(s.url + "lab/nosuchlab")[0] == 404


def test_startup_says_where_it_listens(tmp_path):
    from .conftest import start_server, stop_server
    s = start_server(tmp_path)
    out = stop_server(s)
    assert "bound to 127.0.0.1: only this machine can open it" in out


def test_lab_option_opens_that_lab(serve):
    s = serve("--lab", "02-arp-accept-local", "--lang", "zh")
    req = urllib.request.Request(s.url)
    opener = urllib.request.build_opener(NoRedirect)
    with pytest.raises(urllib.error.HTTPError) as err:
        opener.open(req, timeout=20)
    assert err.value.code == 302
    assert err.value.headers["Location"] == "/lab/02-arp-accept-local?lang=zh"


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *a, **k):
        return None


def test_a_session_runs_commands_and_keeps_host_files_out(serve):
    s = serve("--memory-limit", "700")

    async def go():
        async with aiohttp.ClientSession() as http:
            tab = await open_tab(http, s.url, "01-veth-one-address")
            assert await tab.ready()
            async with http.get(s.url + "status") as r:
                status = await r.json()
            assert status["sessions"] == 1
            pid = status["pids"][0]
            limits = open(f"/proc/{pid}/limits").read()
            assert re.search(r"Max data size\s+734003200\s+734003200", limits)
            for line in ("ip link add veth0 type veth peer name veth1",
                         "ip addr add 192.168.2.11/24 dev veth0",
                         "ip link set veth0 up", "ip link set veth1 up",
                         "tcpdump -i veth1 -n -c 1 -w /tmp/arp.pcap &",
                         "ping -c 1 -W 1 192.168.2.12"):
                await tab.type(line + "\r")
                await tab.pump(1.5)
            await tab.type("tcpdump -r /tmp/arp.pcap\r")
            assert await tab.pump(20, until="ARP, Request who-has 192.168.2.12"), tab.tail()
            await tab.type("download /etc/passwd\r")
            assert await tab.pump(20, until="download: /etc/passwd: No such file or directory")
            await tab.type("tcpdump -r /etc/passwd\r")
            assert await tab.pump(20, until="tcpdump: /etc/passwd: No such file or directory")
            await tab.ws.close()
    asyncio.run(go())
    assert not (s.cwd / "tmp").exists()
    import os
    assert not os.path.exists("/tmp/arp.pcap")


def test_the_cap_gives_a_clear_page_and_idle_sessions_end(serve):
    s = serve("--max-sessions", "1", "--idle-timeout", "0.1")    # 6 s

    async def go():
        async with aiohttp.ClientSession() as http:
            tab = await open_tab(http, s.url, "netns")
            assert await tab.ready()
            async with http.get(s.url + "lab/netns") as r:
                assert r.status == 503
                assert "The class is full: 1 sessions are running" in await r.text()
            second = await open_tab(http, s.url, "netns")
            await second.pump(10)
            assert second.closed                      # refused: full
            await tab.type("x")                       # a keystroke: idle from now
            t0 = time.monotonic()
            await tab.pump(40)                        # no keystroke: ended after 6 s
            assert tab.closed and 5 < time.monotonic() - t0 < 40
            for _ in range(100):
                async with http.get(s.url + "status") as r:
                    if (await r.json())["sessions"] == 0:
                        break
                await asyncio.sleep(0.1)
            async with http.get(s.url + "lab/netns") as r:
                assert r.status == 200
    asyncio.run(go())


def test_landing_page_in_chinese(serve):
    s = serve("--lang", "zh")
    status, html = get(s.url)
    assert status == 200 and '<html lang="zh">' in html
    assert "Linux 网络实验" in html and "打开 · 中文" in html and "文章中的主机" in html
    # the Chinese link comes first, English is still offered
    lab01 = html[html.index('id="lab-01-veth-one-address"'):]
    assert lab01.index("?lang=zh") < lab01.index("?lang=en")


def test_idle_time_counts_from_the_first_frame():
    """A launch slowed by a busy server does not eat the learner's idle allowance: the
    idle clock starts when the app sends its first frame (then at each keystroke)."""
    from vethtui.serve.server import SessionService

    async def go():
        sent = []

        async def write(data):
            sent.append(data)

        async def close():
            pass

        svc = SessionService(["vethtui"], env={}, cwd=".", memory_limit=None, write_bytes=write,
                             write_str=write, close=close, download_manager=None)
        svc.started = svc.last_input = time.monotonic() - 100    # a launch 100 s long
        await svc.on_data(b"first frame")
        assert time.monotonic() - svc.last_input < 5 and sent == [b"first frame"]
        svc.last_input -= 50                                      # 50 s without a key
        await svc.on_data(b"a clock redraw")                      # output is not input
        assert time.monotonic() - svc.last_input > 49
    asyncio.run(go())
