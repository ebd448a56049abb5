"""`explain`: the walk-through of the last command's packets, or of one packet.

    explain            the most recent command that sent or caused packets
    explain 12         packet #12 (ids appear in explanations and capture views)
    explain '#12'      the same (quoted: to the shell, # starts a comment)

Not a Linux tool: vethtui's own window onto the traces the simulated stack
keeps (see vethtui/explain.py).
"""
from __future__ import annotations

from .. import explain as ex
from .base import Proc

USAGE = "usage: explain [PACKET-ID]\n"


def main(proc: Proc, argv: list[str]) -> int:
    args = argv[1:]
    world = proc.world
    if args and args[0] in ("-h", "--help"):
        proc.out(USAGE)
        return 0
    if len(args) > 1:
        proc.err(USAGE)
        return 2
    if args:
        text = args[0].lstrip("#")
        if not text.isdigit():
            proc.err(f"explain: {args[0]}: not a packet id\n{USAGE}")
            return 2
        sid = int(text)
        if sid < 1 or sid > world.last_packet_id:
            proc.err(f"explain: no packet #{sid}\n")
            return 1
        proc.out(ex.explain_packet(world, sid) + "\n")
        return 0
    own = getattr(proc.session, "current_mark", None)
    mark = ex.last_command_with_packets(world, skip=own)
    if mark is None:
        proc.out("explain: nothing to explain yet: run a command that sends packets "
                 "(ping, for one)\n")
        return 0
    marks = [m for m in world.commands
             if m is not own and m.line.split()[:1] != ["explain"]]
    if marks and marks[-1] is not mark:
        proc.out(f"(`{marks[-1].line}` sent no packets; explaining `{mark.line}`)\n")
    proc.out(ex.explain_command(world, mark) + "\n")
    return 0
