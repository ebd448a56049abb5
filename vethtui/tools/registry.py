"""Which command names the shell knows, and the function behind each."""
from __future__ import annotations

from . import (arp, bridge, conntrack, coreutils, curl, explain, http_server, iptables, jobs,
               misc, nc, ping, procfs, route, ss, subshell, sysctl, traceroute)
from .download import main as download_main
from .ip import main as ip_main
from .tcpdump.main import main as tcpdump_main

TOOLS = {
    "ip": ip_main,
    "route": route.main,
    "arp": arp.main,
    "bridge": bridge.main,
    "ping": ping.main,
    "ping6": ping.main6,
    "nc": nc.main,
    "curl": curl.main,
    "ss": ss.main,
    "traceroute": traceroute.main,
    "jobs": jobs.jobs,
    "kill": jobs.kill,
    "wait": jobs.wait,
    "python3": http_server.main,
    "tcpdump": tcpdump_main,
    "sysctl": sysctl.main,
    "iptables": iptables.main,
    "iptables-save": iptables.save_main,
    "iptables-restore": iptables.restore_main,
    "conntrack": conntrack.main,
    "cat": procfs.cat,
    "echo": procfs.echo,
    "sleep": misc.sleep,
    "clear": misc.clear,
    "true": misc.true,
    "false": misc.false,
    "hostname": misc.hostname,
    "help": misc.help_,
    "explain": explain.main,
    "bash": subshell.bash,
    "sh": subshell.bash,
    "exit": subshell.exit_,
    "sort": coreutils.sort,
    "uniq": coreutils.uniq,
    "cut": coreutils.cut,
    "tr": coreutils.tr,
    "download": download_main,     # vethtui serve: a scratch file to the browser
}
# Tools that read standard input when a pipe feeds them (the others go through filters.run).
STDIN_TOOLS = {"sort", "uniq", "cut", "tr", "iptables-restore", "nc"}
