"""The Chinese catalogue: English source text -> 简体中文.

Kernel and tool output is never translated. Device names, sysctl names, commands
and key names (F1, Ctrl+C) stay as they are inside a translation. Keep entries
grouped by the module that says them; add new ones to your module's group.
"""
from __future__ import annotations

MESSAGES: dict[str, str] = {
    # -- tui/app.py, the chrome ---------------------------------------------------------
    "Console": "控制台",
    "Links": "链路",
    "Routes": "路由",
    "Neighbours": "邻居",
    "Captures": "抓包",
    "Help": "帮助",
    "Quit": "退出",
}
