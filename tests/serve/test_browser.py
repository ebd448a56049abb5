"""vethtui serve in a real browser: headless Chromium (Debian's package) driven by playwright.

Opens the landing page, starts lab 01, types the article's first commands, sees
the ARP request in a capture view, saves the view's pcap with Ctrl+S and gets it
as a download, then writes one with `tcpdump -w` and gets it with `download`.
A screenshot of the page is kept in artifacts/ (VETHTUI_ARTIFACTS overrides).

Skips, saying why, when chromium or playwright is missing (README: Running, serve).
"""
from __future__ import annotations

import os
import re
import shutil
import struct
import time
from pathlib import Path

import pytest

from .conftest import ROOT

CHROMIUM = os.environ.get("VETHTUI_CHROMIUM") or shutil.which("chromium") \
    or shutil.which("chromium-browser")
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ANSI = re.compile(rb"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[()][0-9A-Za-z]|\x1b[=>]")

if CHROMIUM is None:
    pytest.skip("no chromium: `apt-get install chromium` (Debian) to run the browser test",
                allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api",
                               reason="no playwright: pip install -e '.[test]'")


def artifacts() -> Path:
    d = Path(os.environ.get("VETHTUI_ARTIFACTS") or ROOT / "artifacts")
    d.mkdir(parents=True, exist_ok=True)
    return d


class Screen:
    """What the page's terminal received (textual.js draws on a canvas; the text is in
    the websocket's frames, as the browser got them)."""

    def __init__(self, page):
        self.page = page
        self.data = bytearray()
        page.on("websocket", lambda ws: ws.on("framereceived", self._frame))

    def _frame(self, payload) -> None:
        if isinstance(payload, (bytes, bytearray)):
            self.data.extend(payload)

    def text(self) -> str:
        return ANSI.sub(b"", bytes(self.data)).decode("utf-8", "replace")

    def wait_for(self, needle: str, seconds: float = 60) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            if needle in self.text():
                return
            self.page.wait_for_timeout(200)
        raise AssertionError(f"{needle!r} not on screen after {seconds} s:\n{self.text()[-3000:]}")


def pcap_frames(data: bytes) -> list[bytes]:
    assert struct.unpack("<I", data[:4])[0] in (0xA1B2C3D4, 0xA1B23C4D), data[:24]
    frames, off = [], 24
    while off + 16 <= len(data):
        incl = struct.unpack("<I", data[off + 8:off + 12])[0]
        frames.append(data[off + 16:off + 16 + incl])
        off += 16 + incl
    return frames


def test_lab01_in_chromium(serve, tmp_path):
    s = serve("--max-sessions", "4")
    downloads: list = []
    with sync_api.sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            str(tmp_path / "profile"), executable_path=CHROMIUM, headless=True, args=FLAGS,
            accept_downloads=True, viewport={"width": 1400, "height": 900})
        try:
            context.on("page", lambda p: p.on("download", lambda d: downloads.append(d)))
            page = context.pages[0] if context.pages else context.new_page()
            page.on("download", lambda d: downloads.append(d))
            screen = Screen(page)
            page.goto(s.url, timeout=60_000)
            lab = page.locator('a[data-lab="01-veth-one-address"][data-lang="en"]')
            assert "A veth pair with one address" in page.content()
            lab.click()
            page.wait_for_url(re.compile(r"/lab/01-veth-one-address"), timeout=60_000)
            screen.wait_for("root@vethtui")
            # focus the terminal (as Tab into the page does; a click would also pick the
            # widget under the pointer)
            page.locator(".xterm-helper-textarea").focus()
            page.wait_for_timeout(500)
            for line in ("ip link add veth0 type veth peer name veth1",
                         "ip addr add 192.168.2.11/24 dev veth0",
                         "ip link set veth0 up", "ip link set veth1 up",
                         "tcpdump -i veth1 -n"):
                page.keyboard.type(line, delay=5)
                page.keyboard.press("Enter")
                page.wait_for_timeout(700)
            screen.wait_for("listening on veth1")
            page.keyboard.type("ping -c 2 192.168.2.12", delay=5)
            page.keyboard.press("Enter")
            screen.wait_for("ARP, Request who-has 192.168.2.12 tell 192.168.2.11")
            page.wait_for_timeout(500)
            page.screenshot(path=str(artifacts() / "serve-lab01.png"))

            page.keyboard.press("Control+s")            # the capture view's pcap
            _wait(page, lambda: len(downloads) >= 1, "Ctrl+S gave no download")
            first = downloads[0]
            assert re.fullmatch(r"vethtui-veth1-\d{6}\.pcap", first.suggested_filename)
            frames = pcap_frames(Path(first.path()).read_bytes())
            assert any(f[12:14] == b"\x08\x06" and f[20:22] == b"\x00\x01" for f in frames)

            page.keyboard.press("Escape")
            # Textual's parser holds a lone ESC until its input reader's next tick; a
            # key right behind it reads as ESC+key (reissued as `^` and the key)
            page.wait_for_timeout(400)
            for line in ("tcpdump -i veth0 -n -c 1 -w arp.pcap arp &",
                         "ping -c 1 192.168.2.12", "download arp.pcap"):
                page.keyboard.type(line, delay=5)
                page.keyboard.press("Enter")
                page.wait_for_timeout(1500)
            _wait(page, lambda: len(downloads) >= 2, "`download arp.pcap` gave no download")
            second = downloads[1]
            assert second.suggested_filename == "arp.pcap"
            frames = pcap_frames(Path(second.path()).read_bytes())
            assert len(frames) == 1 and frames[0][12:14] == b"\x08\x06"
            page.screenshot(path=str(artifacts() / "serve-lab01-download.png"))
        finally:
            context.close()
    assert not list(s.cwd.glob("*.pcap"))            # nothing landed on the server


def _wait(page, cond, message: str, seconds: float = 30) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if cond():
            return
        page.wait_for_timeout(200)
    raise AssertionError(message)
