"""`ip netns`: add, delete, list, exec, identify, set, list-id (iproute2 6.1 ip/ipnetns.c).

Names live in the simulated /run/netns (`World.netns`). `ip netns list`
reads that directory the way tmpfs returns it: newest first.
"""
from __future__ import annotations

import inspect

from ..base import Exit, Proc, matches
from .common import IpOpts

NETNS_USAGE = """Usage:	ip netns list
	ip netns add NAME
	ip netns attach NAME PID
	ip netns set NAME NETNSID
	ip [-all] netns delete [NAME]
	ip netns identify [PID]
	ip netns pids NAME
	ip [-all] netns exec [NAME] cmd ...
	ip netns monitor
	ip netns list-id [target-nsid POSITIVE-INT] [nsid POSITIVE-INT]
NETNSID := auto | POSITIVE-INT
"""


def _invalid_name(name: str) -> bool:
    return not name or len(name) > 255 or "/" in name or name in (".", "..")


def netns_list(proc: Proc, opts: IpOpts) -> int:
    world = proc.world
    viewer = opts.net
    if opts.json:
        from .jsonout import dumps
        objs = []
        for name in reversed(list(world.netns)):
            o: dict = {"name": name}
            nid = viewer.peer_ids.get(id(world.netns[name]))
            if nid is not None:
                o["id"] = nid
            objs.append(o)
        proc.out(dumps(objs, opts.pretty))
        return 0
    for name in reversed(list(world.netns)):
        net = world.netns[name]
        line = name
        nid = viewer.peer_ids.get(id(net))
        if nid is not None:
            line += f" (id: {nid})"
        proc.out(line + "\n")
    return 0


def _no_name(proc: Proc, argv: list[str]) -> bool:
    if len(argv) < 2:
        proc.err("No netns name specified\n")
        return True
    return False


def _list(proc: Proc, opts: IpOpts, argv: list[str]) -> int:
    return netns_list(proc, opts)


def _list_id(proc: Proc, opts: IpOpts, argv: list[str]) -> int:
    world = proc.world
    viewer = opts.net
    for net_id, nid in sorted(viewer.peer_ids.items(), key=lambda kv: kv[1]):
        other = getattr(viewer, "_peer_objs", {}).get(nid)
        name = next((n for n, v in world.netns.items() if v is other), None)
        proc.out(f"nsid {nid} " + (f"(iproute2 netns name: {name})" if name else "") + "\n")
    return 0


def _help(proc: Proc, opts: IpOpts, argv: list[str]) -> int:
    proc.err(NETNS_USAGE)
    raise Exit(255)


def _add(proc: Proc, opts: IpOpts, argv: list[str]) -> int:
    world = proc.world
    if _no_name(proc, argv):
        return 1
    name = argv[1]
    if name in world.netns:
        proc.err(f'Cannot create namespace file "/run/netns/{name}": File exists\n')
        return 1
    world.new_net(name, sysctl_profile=None)
    return 0


def _set(proc: Proc, opts: IpOpts, argv: list[str]) -> int:
    """`ip netns set NAME NETNSID`: RTM_NEWNSID in the namespace ip runs in."""
    world = proc.world
    if _no_name(proc, argv):
        return 1
    if len(argv) < 3:
        proc.err("No nsid specified\n")
        return 1
    name = argv[1]
    target = world.netns.get(name)
    if target is None:
        proc.err(f'Cannot open network namespace "{name}": No such file or directory\n')
        return 1
    viewer = opts.net
    want = argv[2]
    if want == "auto":
        viewer.peernet2id(target)
        return 0
    if not want.isdigit():
        proc.err('Invalid "netnsid" value\n')
        raise Exit(255)
    if id(target) in viewer.peer_ids:
        proc.err("RTNETLINK answers: File exists\n")
        return 2
    viewer.peer_ids[id(target)] = int(want)
    viewer._peer_objs = getattr(viewer, "_peer_objs", {})
    viewer._peer_objs[int(want)] = target
    return 0


def _foreach(proc: Proc) -> list[str]:
    """netns_foreach: the names in /run/netns, in readdir order (`ip netns list`'s)."""
    return list(reversed(list(proc.world.netns)))


def _delete(proc: Proc, opts: IpOpts, argv: list[str]) -> int:
    world = proc.world
    if opts.do_all:                 # netns_foreach(on_netns_del): every one, status 0
        for name in _foreach(proc):
            net = world.netns.get(name)
            if net is not None:
                world.delete_net(net)
        return 0
    if _no_name(proc, argv):
        return 1
    name = argv[1]
    net = world.netns.get(name)
    if net is None:
        proc.err(f'Cannot remove namespace file "/run/netns/{name}": No such file or directory\n')
        return 1
    world.delete_net(net)
    return 0


def _identify(proc: Proc, opts: IpOpts, argv: list[str]) -> int:
    me = opts.net
    for name, n in proc.world.netns.items():
        if n is me:
            proc.out(name + "\n")
    return 0


def _pids(proc: Proc, opts: IpOpts, argv: list[str]) -> int:
    if _no_name(proc, argv):
        return 1
    if argv[1] not in proc.world.netns:
        proc.err("Cannot open network namespace: No such file or directory\n")
        return 1
    return 0


async def _exec(proc: Proc, opts: IpOpts, argv: list[str]) -> int:
    """`ip netns exec NAME CMD...`: the command run by the shell inside NAME.
    `ip -all netns exec CMD...` (on_netns_exec): CMD in every namespace, each after a
    "netns: NAME" header; its status is not kept (ip exits 0)."""
    if opts.do_all:
        if len(argv) < 2:
            proc.err("No command specified\n")
            return 1
        for name in _foreach(proc):
            target = proc.world.netns.get(name)
            if target is None:
                continue
            proc.out(f"\nnetns: {name}\n")
            await _exec_in(proc, target, argv[1:])
        return 0
    if _no_name(proc, argv):
        return 1
    if len(argv) < 3:
        proc.err("No command specified\n")
        return 1
    name = argv[1]
    target = proc.world.netns.get(name)
    if target is None:
        proc.err(f'Cannot open network namespace "{name}": No such file or directory\n')
        return 255
    return await _exec_in(proc, target, argv[2:])


async def _exec_in(proc: Proc, target, cmd: list[str]) -> int:
    """cmd_exec: fork, switch to the namespace, execvp (or say why it could not)."""
    if cmd[0] not in _known_tools():
        from ..shell import NOT_SIMULATED
        if cmd[0] in NOT_SIMULATED:
            proc.err(f"vethtui: {cmd[0]}: command not simulated\n")
            return 127
        proc.err(f'exec of "{cmd[0]}" failed: No such file or directory\n')
        return 1
    session = proc.session
    return await session.exec_argv(cmd, proc._write, target, proc.job, proc.background)


def _not_simulated(proc: Proc, opts: IpOpts, argv: list[str]) -> int:
    proc.err(f"vethtui: ip netns {'monitor' if matches(argv[0], 'monitor') else 'attach'}: "
             "not simulated\n")
    return 1


# do_netns's commands, in the order of its chain (the first a prefix matches wins)
_COMMANDS = ((("list", "show", "lst"), _list), (("list-id",), _list_id), (("help",), _help),
             (("add",), _add), (("set",), _set), (("delete",), _delete),
             (("identify",), _identify), (("pids",), _pids), (("exec",), _exec),
             (("monitor", "attach"), _not_simulated))


async def do_netns(proc: Proc, opts: IpOpts, argv: list[str]) -> int:
    if not argv:
        return netns_list(proc, opts)
    if not opts.do_all and len(argv) > 1 and _invalid_name(argv[1]):
        proc.err(f'Invalid netns name "{argv[1]}"\n')
        raise Exit(255)
    cmd = argv[0]
    for words, handler in _COMMANDS:
        if any(matches(cmd, w) for w in words):
            rc = handler(proc, opts, argv)
            return await rc if inspect.isawaitable(rc) else rc
    proc.err(f'Command "{cmd}" is unknown, try "ip netns help".\n')
    raise Exit(255)


def _known_tools() -> set[str]:
    from ..registry import TOOLS
    return set(TOOLS)
