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
    # -- serve/ (vethtui serve: the landing page, the terminal page, downloads) ---------------
    "Open": "打开",
    "Linux networking labs": "Linux 网络实验",
    "Each tab gets its own simulated machine: nothing you type runs on a real host.":
        "每个标签页都有自己的模拟机器：你输入的命令不会在真实主机上运行。",
    "Sessions": "会话",
    "Session ended (closed, quit, or idle too long). Your work in it is gone.":
        "会话已结束（已关闭、已退出或空闲太久），其中的操作没有保留。",
    "Restart": "重新开始",
    "All labs": "全部实验",
    "The class is full: {n} sessions are running, the most this server allows.":
        "人数已满：正在运行 {n} 个会话，已达到本服务器的上限。",
    "Try again in a minute: idle sessions are ended, and a closed tab frees its place.":
        "请过一分钟再试：空闲的会话会被结束，关闭的标签页会让出名额。",
    "Try again": "再试一次",
    "{n} packets sent to the browser as {name}": "{n} 个包已作为 {name} 发送到浏览器",
    "The article's host": "文章中的主机",
    "An empty network namespace": "一个空的网络命名空间",
    "The article's host: lo, eth0 on a LAN with a gateway, docker0.":
        "文章中的主机：lo、接入带网关局域网的 eth0、docker0。",
    "A fresh network namespace: only lo, down; kernel-default sysctls.":
        "一个全新的网络命名空间：只有 lo（未启用），sysctl 均为内核默认值。",
}
