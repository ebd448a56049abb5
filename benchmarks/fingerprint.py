"""A fingerprint of the simulation's behaviour, to show a speed change changes nothing.

    cd TREE && python -m benchmarks.fingerprint [--dump FILE]

Runs a few scenarios through the hot paths (floods plain, through a capture, through
netfilter, with fragments; the article's ping to the peer's own address, its replies on
lo), then walks every object of vethtui's own classes reachable from each world (devices
and their counters, neighbours and their timestamps, the packets explain remembers with
their traces, drops, timers, sockets, the clock) and prints one hash of the commands'
outputs and that walk. Two trees with the same hash behaved the same; --dump writes the
walk to diff when they did not. Python's string hashing is fixed (PYTHONHASHSEED=0,
re-executing if needed) so that set orders do not differ between runs.
"""
import collections
import hashlib
import os
import sys
import types

sys.path.insert(0, ".")   # the tree being fingerprinted, not the installed one

if os.environ.get("PYTHONHASHSEED") != "0":
    os.environ["PYTHONHASHSEED"] = "0"
    os.execv(sys.executable, [sys.executable, "-m", "benchmarks.fingerprint"] + sys.argv[1:])

from benchmarks import stack
from vethtui.labs.builtin import build
from vethtui.runner import run_lines

SCENARIOS = {
    "flood": stack.FLOOD_SETUP + [
        "ip netns exec ns1 ping -f -c 6000 10.0.0.2",
        "ip netns exec ns2 ping -c 3 -i 0.2 10.0.0.1",
        "ip netns exec ns1 ping -f -c 3000 -s 2000 10.0.0.2",
        "sleep 40", "ip netns exec ns1 ping -f -c 500 10.0.0.2"],
    "capture": stack.FLOOD_SETUP + [
        "ip netns exec ns2 tcpdump -i veth2 -n -c 600 &",
        "ip netns exec ns1 ping -f -c 2000 10.0.0.2", "wait"],
    "netfilter": stack.FLOOD_SETUP + list(stack.NETFILTER_SETUP) + [
        "ip netns exec ns1 ping -f -c 2000 10.0.0.2",
        "ip netns exec ns2 iptables -I INPUT -p icmp -j DROP",
        "ip netns exec ns1 ping -c 2 -W 1 10.0.0.2"],
    "local": [
        "ip link set lo up", "ip link add veth0 type veth peer name veth1",
        "ip addr add 192.168.2.11/24 dev veth0", "ip addr add 192.168.2.12/24 dev veth1",
        "ip link set veth0 up", "ip link set veth1 up",
        "ping -c 2 -W 1 -I veth0 192.168.2.12",
        "echo 1 > /proc/sys/net/ipv4/conf/veth1/accept_local",
        "echo 0 > /proc/sys/net/ipv4/conf/all/rp_filter",
        "echo 0 > /proc/sys/net/ipv4/conf/veth1/rp_filter",
        "echo 1 > /proc/sys/net/ipv4/conf/veth0/accept_local",
        "echo 0 > /proc/sys/net/ipv4/conf/veth0/rp_filter",
        "ping -c 3 -I veth0 192.168.2.12", "ip neigh", "ip -s link"],
}


def _atom(v) -> str | None:
    """A value written as itself (None for an object or container to walk)."""
    if v is None or isinstance(v, (bool, int, float, str, bytes)):
        return repr(v)
    if isinstance(v, (types.FunctionType, types.BuiltinFunctionType)):
        return "fn:" + getattr(v, "__qualname__", "?")
    if isinstance(v, types.MethodType):
        return "meth:" + v.__func__.__qualname__
    return None


def _attrs(o) -> dict:
    attrs = {}
    for cls in type(o).__mro__:
        for name in getattr(cls, "__slots__", ()):
            if hasattr(o, name):
                attrs[name] = getattr(o, name)
    attrs.update(getattr(o, "__dict__", {}))
    return attrs


def walk(root, out: list[str]) -> None:
    """Breadth-first over vethtui's objects and the containers they hold; an object is
    named by the order it was met in (never by its address), a dict's items sorted."""
    seen = {id(root): 0}
    todo = collections.deque([("world", root)])

    def ref(v) -> str:
        a = _atom(v)
        if a is not None:
            return a
        if id(v) in seen:
            return f"ref#{seen[id(v)]}"
        seen[id(v)] = n = len(seen)
        todo.append((f"#{n}", v))
        return f"obj#{n}:{type(v).__name__}"

    while todo:
        name, o = todo.popleft()
        kind = type(o).__name__
        if isinstance(o, dict):
            items = sorted(o.items(), key=lambda kv: repr(kv[0]))
            # a key that is an object's address (id()) differs from run to run
            out.append(f"{name} dict " + " ".join(
                f"{'id' if type(k) is int and k > 1 << 40 else ref(k)}={ref(v)}"
                for k, v in items))
        elif isinstance(o, (list, tuple, collections.deque)):
            out.append(f"{name} {kind} " + " ".join(ref(v) for v in o))
        elif isinstance(o, (set, frozenset)):
            out.append(f"{name} set " + " ".join(sorted(ref(v) for v in o)))
        elif (type(o).__module__ or "").startswith("vethtui"):
            out.append(f"{name} {kind} " + " ".join(
                f"{k}={ref(v)}" for k, v in sorted(_attrs(o).items())))
        else:
            out.append(f"{name} {kind}")   # coroutines, Textual-free foreign objects


def main() -> None:
    lines = []
    for name, cmds in SCENARIOS.items():
        world = build("netns", 0)
        res = run_lines(world, cmds, settle=0, capture=False)
        for c in res.commands:
            lines.append(f"== {name} {c.cmd!r} status={c.status}\n{c.output}")
        lines.append(f"now={world.sched.now!r}")
        walk(world, lines)
    text = "\n".join(lines)
    if "--dump" in sys.argv:
        with open(sys.argv[sys.argv.index("--dump") + 1], "w") as f:
            f.write(text)
    print(hashlib.sha256(text.encode()).hexdigest(), len(text))


if __name__ == "__main__":
    main()
