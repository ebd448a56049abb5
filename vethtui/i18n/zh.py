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
    # -- tui/topology.py and tui/app.py: the picture and simulation mode (issue 15) ---------
    "Topology": "拓扑",
    "Packet #{id} ({what}): {hops}: {end}": "数据包 #{id}（{what}）：{hops}：{end}",
    "Packet #{id} was not traced": "数据包 #{id} 没有被跟踪",
    "F10 hides the picture · F11 pauses the clock (simulation mode)":
        "F10 隐藏拓扑图 · F11 暂停时钟（模拟模式）",
    "No packet event in the next 10 virtual seconds": "接下来 10 个虚拟秒内没有数据包事件",
    "Paused at {t:.6f} · event {n} of {m} · filter {f} · →/n step ←/p back f filter space run":
        "暂停于 {t:.6f} · 第 {n}/{m} 个事件 · 过滤 {f} · →/n 单步 ←/p 后退 f 过滤 空格 继续",
    "No event yet: → steps (commands typed now start when stepping reaches them)":
        "还没有事件：→ 单步（现在输入的命令在单步执行到它们时才开始）",
    "Clock paused: → or F12 steps, ← goes back, space runs":
        "时钟已暂停：→ 或 F12 单步，← 后退，空格继续",
    "Clock running": "时钟运行中",
    "queued: {line} (the clock is paused: it starts when stepping reaches it; F12 or → steps, "
    "F11 runs)": "已排队：{line}（时钟已暂停：单步执行到它时才开始；F12 或 → 单步，F11 继续）",
    "Picture: show or hide the topology": "拓扑图：显示或隐藏",
    "Simulation: pause or run the virtual clock": "模拟：暂停或继续虚拟时钟",
    "Simulation: step to the next packet event": "模拟：单步到下一个数据包事件",
    "Simulation: back one event": "模拟：后退一个事件",
    "Simulation: filter the events (all, ARP, ICMP, timers)": "模拟：过滤事件（全部、ARP、ICMP、定时器）",
}
