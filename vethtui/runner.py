"""`vethtui run SCRIPT`: run a script's lines as a shell would, on virtual time.

Each line runs to completion (the clock jumps from timer to timer), then the
next starts; after the last one the timers settle for a few virtual seconds so
late ARP retries and errors appear, as they do while the oracle's tcpdump is
still listening. A command that can never finish (tcpdump with nothing left
to capture) gets SIGINT, as a person at the terminal would eventually do.

Output: a transcript (`$ cmd` and its output), or with --jsonl the events of
the oracle's contract: one "command" event per line, then one "packet" event
per frame tcpdump -i any would have printed in the lab's namespace.
"""
from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Optional, TextIO

from .explain import explain_command
from .kernel.capture import Tap
from .kernel.world import World
from .labs.loader import world_for_lab
from .tools.shell import Session
from .tools.tcpdump import printer
from .tools.tcpdump.pcap import PcapWriter

SETTLE_S = 4.0
COMMAND_COST_S = 0.002      # a command takes a little (virtual) time, as on a real host
MAX_COMMAND_S = 86400.0     # virtual seconds before a never-ending command gets SIGINT
BACKGROUND_WAIT_S = 60.0    # how long a line waits for its background jobs (the oracle's timeout)


@dataclass
class CommandResult:
    cmd: str
    output: str
    status: int
    time: float
    mark: object = None     # its explain.CommandMark: which packets were this command's


@dataclass
class RunResult:
    commands: list[CommandResult] = field(default_factory=list)
    packets: list[dict] = field(default_factory=list)
    world: Optional[World] = None


def read_script(path: Path) -> list[str]:
    lines = []
    for raw in path.read_text().splitlines():
        line = raw.strip()
        if line and not line.startswith("#"):
            lines.append(line)
    return lines


def run_lines(world: World, lines: list[str], on_command: Optional[Callable] = None,
              settle: float = SETTLE_S, capture: bool = True,
              explain: Optional[Callable] = None) -> RunResult:
    net = world.init_net
    session = Session(world, net, script=True, tty=False)
    result = RunResult(world=world)
    packets: list = []
    if capture:
        Tap(net, None, packets.append)
    sched = world.sched
    pending: Optional[CommandResult] = None   # explained once its late packets are in
    for line in lines:
        if pending is not None and explain is not None:
            explain(pending)
        out: list[str] = []
        session.output_holders = []
        job = session.start(line, lambda stream, text: out.append(text))
        start = sched.now
        sched.run_while(lambda: not job.done, limit=start + MAX_COMMAND_S)
        if not job.done:
            # blocked forever (nothing scheduled) or too long: Ctrl+C
            job.interrupt()
            sched.run_while(lambda: not job.done, limit=sched.now + 60)
            if not job.done and job.task is not None:
                job.task.kill()
        # Like `bash -c LINE` under the oracle's pipe: the line's output ends when
        # the background jobs it started that still hold stdout/stderr end too.
        bg = session.output_holders
        if bg:
            sched.run_while(lambda: not all(t.done for t in bg),
                            limit=sched.now + BACKGROUND_WAIT_S)
        sched.run_due(sched.now + COMMAND_COST_S)
        res = CommandResult(line, "".join(out), job.status if job.status is not None else 0,
                            sched.now, job.mark)
        result.commands.append(res)
        if on_command is not None:
            on_command(res)
        pending = res
    sched.run_due(sched.now + settle)
    if pending is not None and explain is not None:
        explain(pending)
    popts = printer.PrintOpts()
    popts.tcp_seq = {}          # one tcpdump for the whole run: relative TCP sequence numbers
    for ev in packets:
        result.packets.append({"type": "packet", "iface": ev.iface, "dir": ev.direction,
                               "line": printer.summary(ev.data, o=popts),
                               "time": round(ev.time, 6)})
    return result


def step_rows(world: World, lines: list[str], flt: str = "all") -> list[str]:
    """`vethtui run --steps`: the script's event list as simulation mode shows it
    (vethtui.stepper), one row per packet event, with each command where it started."""
    from .stepper import Follower
    follower = Follower(world)
    events: list = []
    run_lines(world, lines, lambda res: events.extend(follower.collect()), capture=False)
    events.extend(follower.collect())
    shown = [e for e in events if e.matches(flt)]
    width = max([14] + [len(e.where) for e in shown])
    return [e.row(width) for e in shown]


def main(script: Path, lab: str, jsonl: bool, seed: int, out: TextIO = sys.stdout,
         explain: bool = False, pcap: Optional[str] = None, steps: bool = False) -> int:
    try:
        lines = read_script(script)
    except OSError as err:
        sys.stderr.write(f"vethtui: {script}: {err.strerror}\n")
        return 2
    try:
        world = world_for_lab(lab, seed)
    except Exception as err:  # a broken lab file: one readable message
        sys.stderr.write(f"{err}\n")
        return 2

    if steps:
        for row in step_rows(world, lines):
            out.write(row + "\n")
        return 0

    def on_command(res: CommandResult) -> None:
        if jsonl:
            out.write(json.dumps({"type": "command", "cmd": res.cmd, "output": res.output,
                                  "status": res.status, "time": round(res.time, 6)},
                                 ensure_ascii=False) + "\n")
        else:
            out.write(f"$ {res.cmd}\n{res.output}")
            if res.status:
                out.write(f"[exit {res.status}]\n")
        out.flush()

    explainer = None
    if explain:

        def explainer(res: CommandResult) -> None:
            text = explain_command(world, res.mark) if res.mark is not None else ""
            if text:
                if jsonl:
                    out.write(json.dumps({"type": "explain", "cmd": res.cmd, "text": text}) + "\n")
                else:
                    out.write(text + "\n")

    writer = None
    if pcap is not None:
        try:
            writer = PcapWriter(pcap, any_iface=True, epoch=world.epoch)
        except OSError as err:
            sys.stderr.write(f"vethtui: {pcap}: {err.strerror}\n")
            return 2
        Tap(world.init_net, None, writer.write)
    result = run_lines(world, lines, on_command, explain=explainer)
    if writer is not None:
        writer.close()
    if jsonl:
        for p in result.packets:
            out.write(json.dumps(p, ensure_ascii=False) + "\n")
    else:
        if result.packets:
            out.write("# tcpdump -i any -n (the whole run)\n")
        for p in result.packets:
            out.write(f"{p['iface']} {p['dir']} {p['line']}\n")
    return 0
