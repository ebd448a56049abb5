#!/usr/bin/env python3
"""Record the real kernel's packet drop reasons for oracle scenarios.

vethtui must name, for every dropped packet, the reason the kernel gives
(`enum skb_drop_reason`, e.g. NEIGH_FAILED, IP_RPFILTER, IP_LOCAL_SOURCE).
This dev tool asks the kernel: it runs a scenario exactly as
/work/shared/oracle/oracle.py `record` does (private network and mount
namespaces made with `unshare`, every line through `nsenter ... bash -c`,
`tcpdump -i any` listening in the scenario's namespace for the whole run, the
same ORACLE_SETTLE_S seconds of settling at the end) while the tracepoint
`skb:kfree_skb` is recorded, and writes what it saw next to the scenario:

    tests/oracle/scenarios/NAME.sh  ->  tests/oracle/scenarios/NAME.drops.jsonl

Usage (as root, on a Linux whose tracefs can be mounted; bpftrace optional):

    python3 tests/oracle/record_drops.py --repeat 2 tests/oracle/scenarios/arp_01_*.sh
    python3 tests/oracle/record_drops.py -o - SCEN.sh        # to stdout
    python3 tests/oracle/record_drops.py --backend tracefs --consume arp_process SCEN.sh

Output, one JSON object a line:
  first  {"type": "summary", "kernel": "6.18...", "scenario": "NAME.sh",
          "commands": N, "backend": "bpftrace", "drops": total,
          "per_command": [{"cmd_index": i, "cmd": "...", "reasons": {"NEIGH_FAILED": 2}}],
          "runs": 2, "unstable": [...], "netns": ["main", "ns1"], ...}
  then   {"type": "drop", "cmd_index": i, "cmd": "...", "reason": "NEIGH_FAILED",
          "location": "neigh_invalidate+0x7e/0x140", "function": "neigh_invalidate",
          "protocol": 2048, "netns": "main", "dev": "veth0",
          "packet": "IP 192.168.2.11 > 192.168.2.12: ICMP echo request, ttl 64",
          "phase": "during", "t": 3.06, "comm": "swapper/0"}
`cmd_index` is 0-based over the scenario's commands (comment and blank lines
do not count), i.e. the index of the "command" event in the golden. A drop
belongs to the command that was running when it happened ("phase": "during")
or that had finished last before it ("phase": "after": between that command's
exit and the next command's start, or in the settle time after the last one).
`t` is seconds since that command started. `protocol` is skb->protocol in host
order (2048 IPv4, 2054 ARP, 34525 IPv6). `location` is where kfree_skb was
called (the return address into the caller of sk_skb_reason_drop), printed as
the tracepoint's %pS does; the offsets are this kernel build's, `function` is
the stable part (beware tail calls: arp_error_report's kfree_skb_reason shows
as neigh_invalidate). `netns` is "main" for the scenario's own namespace, else
the name `ip netns add` gave it; `dev` is skb->dev at the drop; `packet` is a
tcpdump-like summary of the network header skb->head+network_header points at.
Drops made when a socket is destroyed (inet_sock_destruct) are RCU-deferred,
can land one or more commands after the one whose socket it was, and carry
"deferred": true. `comm` is whatever task the CPU was running (softirq and
timer drops borrow it), not necessarily the sender.

--repeat N records N times and writes the first run; the summary gets
"runs": N and, if the reasons per command differed, "unstable": [{"cmd_index":
i, "reasons_per_run": [[...], [...]]}] (deferred drops are compared as a whole,
under "cmd_index": "deferred"). Timer-driven packets (IGMP/MLD reports with
random delays, neighbour timers racing a ping's next packet) make a few
commands unstable; that is the kernel, not the recorder.

Backends:
  bpftrace (default when the `bpftrace` binary exists; Debian: apt-get install
      bpftrace). It attaches to the same tracepoint and follows skb->dev
      (else skb->sk, else the current task) to the network namespace of the
      drop, so drops in other namespaces of the machine (another recorder, a
      developer's experiment, a container) are left out and only counted
      ("ignored_other_netns"); it also reads the packet's headers. bpftrace
      runs in a private mount namespace of its own where tracefs is mounted on
      /sys/kernel/tracing; the host's mount table never sees it. Its BPF
      program goes when it exits (SIGINT at the end).
  tracefs (fallback, or --backend tracefs): tracefs is mounted inside the
      scenario's private mount namespace (on an empty temporary directory,
      reached through /proc/PID/root; only if that fails on a host temporary
      directory, unmounted at the end); everything happens in a tracing
      instance of its own, instances/vethtui-drops-PID (own ring buffer,
      own event switches, clock `mono`). Only skb:kfree_skb is enabled there,
      filtered on `protocol != 0` (the host's vsock transport frees
      protocol-0 skbs all the time; --all-protocols keeps them). The
      top-level tracing state is never written. At the end the event is
      disabled, the filter cleared, tracing turned off, the instance removed
      (freeing its buffer) and tracefs unmounted. After a SIGKILL, remove a
      leftover with `rmdir .../tracing/instances/vethtui-drops-*`.
      The tracepoint has no network-namespace field: a drop elsewhere on the
      machine would be attributed to the scenario. The tool therefore reads,
      at every command boundary, the counters (/proc/PID/net/dev, net/snmp)
      of every network namespace that is neither the host's nor the
      scenario's; the summary names them ("foreign_netns") and lists the
      commands during which one moved ("foreign_active_commands"); those
      drops carry "foreign": true and deserve another recording.
      --wait-exclusive S waits up to S seconds for such namespaces to go.
      --consume F1,F2 also records consume_skb at those functions ("type":
      "consume"), e.g. arp_process, which consumes (frees without a drop
      reason) every ARP packet it handles, answered or not.

Neither backend touches this machine's own links, addresses or sysctls: every
scenario line runs inside the private namespaces, which vanish at the end.
"""
from __future__ import annotations

import argparse
import collections
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SETTLE_S = float(os.environ.get("ORACLE_SETTLE_S", "4"))
# Drops made when a socket is finally destroyed: the ping process has long
# exited, and the destruction waits for an RCU grace period, so they may land in
# a later command. They carry "deferred": true and float in --repeat checks.
DEFERRED = {"inet_sock_destruct", "__sk_destruct", "sk_destruct"}
BUFFER_KB = 4096
TRACE_LINE = re.compile(
    r"^\s*(?P<comm>.*?)-(?P<pid>\d+)\s+\[(?P<cpu>\d+)\]\s+(?:(?P<flags>\S{4,6})\s+)?"
    r"(?P<ts>\d+\.\d+): (?P<event>kfree_skb|consume_skb): (?P<rest>.*)$")
KFREE = re.compile(r"protocol=(?P<proto>\d+) location=(?P<loc>\S+) reason: (?P<reason>\S+)")
CONSUME = re.compile(r"location=(?P<loc>\S+)")
LOST = re.compile(r"CPU:(\d+) \[LOST (\d+) EVENTS\]")


def read_scenario(path: Path) -> list[str]:
    """The same lines oracle.py runs: stripped, no blanks, no # comments."""
    lines = []
    for raw in path.read_text().splitlines():
        line = raw.strip()
        if line and not line.startswith("#"):
            lines.append(line)
    return lines


def _sigterm(signum, frame):
    raise SystemExit(128 + signum)


class Instance:
    """A private ftrace instance with skb:kfree_skb (and optionally consume_skb) on."""

    def __init__(self, holder_pid: int, all_protocols: bool, consume: list[str]):
        self.holder_pid = holder_pid
        self.mountpoint = tempfile.mkdtemp(prefix="vethtui-tracefs-")
        self.host_mount = False
        self.dir: str | None = None
        self.fd: int | None = None
        self.pending = b""
        self.lost = 0
        self.all_protocols = all_protocols
        self.consume = consume
        # mount tracefs inside the scenario's private mount namespace
        r = subprocess.run(["nsenter", "-t", str(holder_pid), "-m",
                            "mount", "-t", "tracefs", "nodev", self.mountpoint],
                           capture_output=True, text=True)
        if r.returncode == 0:
            self.root = f"/proc/{holder_pid}/root{self.mountpoint}"
        else:
            subprocess.run(["mount", "-t", "tracefs", "nodev", self.mountpoint], check=True)
            self.host_mount = True
            self.root = self.mountpoint
        try:
            self._setup()
        except BaseException:
            self.close()
            raise

    def _setup(self):
        if not os.path.isdir(os.path.join(self.root, "instances")):
            raise RuntimeError("tracefs has no instances/ directory")
        self.dir = os.path.join(self.root, "instances", f"vethtui-drops-{os.getpid()}")
        os.mkdir(self.dir)
        self.write("tracing_on", "0")
        self.write("trace_clock", "mono")
        self.write("buffer_size_kb", str(BUFFER_KB))
        self.write("events/skb/kfree_skb/filter", "0" if self.all_protocols else "protocol != 0")
        self.write("events/skb/kfree_skb/enable", "1")
        if self.consume:
            try:
                self.write("events/skb/consume_skb/filter",
                           " || ".join(f"location.function == {f}" for f in self.consume))
            except OSError:
                raise RuntimeError(f"consume_skb filter refused: are {self.consume} "
                                   "all functions of this kernel (/proc/kallsyms)?")
            self.write("events/skb/consume_skb/enable", "1")
        self.write("trace", "")                     # clear the instance's buffer
        self.fd = os.open(os.path.join(self.dir, "trace_pipe"), os.O_RDONLY | os.O_NONBLOCK)
        self.write("tracing_on", "1")

    @property
    def filter(self) -> str:
        return "none" if self.all_protocols else "protocol != 0"

    def write(self, name: str, value: str):
        with open(os.path.join(self.dir, name), "w") as f:
            f.write(value + "\n")

    def read(self) -> list[dict]:
        """Everything the instance recorded since the last read, parsed."""
        chunks = []
        while True:
            try:
                data = os.read(self.fd, 65536)
            except BlockingIOError:
                break
            if not data:
                break
            chunks.append(data)
        text = self.pending + b"".join(chunks)
        lines = text.split(b"\n")
        self.pending = lines.pop()                  # an unfinished last line waits
        out = []
        for raw in lines:
            line = raw.decode(errors="replace")
            m = LOST.search(line)
            if m:
                self.lost += int(m.group(2))
                continue
            m = TRACE_LINE.match(line)
            if not m:
                continue
            ev = {"event": m.group("event"), "ts": float(m.group("ts")),
                  "comm": m.group("comm").strip(), "flags": m.group("flags") or ""}
            if ev["event"] == "kfree_skb":
                k = KFREE.search(m.group("rest"))
                if not k:
                    continue
                ev.update(protocol=int(k.group("proto")), location=k.group("loc"),
                          reason=k.group("reason"))
            else:
                k = CONSUME.search(m.group("rest"))
                if not k:
                    continue
                ev.update(location=k.group("loc"))
            out.append(ev)
        return out

    def close(self):
        """Undo everything, whatever state setup reached."""
        if self.dir and os.path.isdir(self.dir):
            for name, value in (("events/skb/kfree_skb/enable", "0"),
                                ("events/skb/consume_skb/enable", "0"),
                                ("events/skb/kfree_skb/filter", "0"),
                                ("events/skb/consume_skb/filter", "0"),
                                ("tracing_on", "0"), ("trace", "")):
                try:
                    self.write(name, value)
                except OSError:
                    pass
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None
        if self.dir:
            for _ in range(50):                     # busy while a reader lingers
                try:
                    os.rmdir(self.dir)
                    break
                except FileNotFoundError:
                    break
                except OSError:
                    time.sleep(0.1)
            else:
                print(f"record_drops: could not remove {self.dir}", file=sys.stderr)
            self.dir = None
        if self.host_mount:
            subprocess.run(["umount", self.mountpoint])
        else:
            subprocess.run(["nsenter", "-t", str(self.holder_pid), "-m", "umount", self.mountpoint],
                           capture_output=True)
        try:
            os.rmdir(self.mountpoint)
        except OSError:
            pass


BPFTRACE_PROG = r"""
BEGIN { printf("READY\n"); }
tracepoint:skb:kfree_skb
{
  $skb = (struct sk_buff *)args->skbaddr;
  $devns = (uint32)0;
  $skns = (uint32)0;
  if ($skb->dev != 0) { $devns = $skb->dev->nd_net.net->ns.inum; }
  if ($skb->sk != 0) { $skns = $skb->sk->__sk_common.skc_net.net->ns.inum; }
  $taskns = curtask->nsproxy->net_ns->ns.inum;
  if ($skb->dev != 0) {
    printf("D %llu %u %u %u %u %d %llx %s %s %rx\n", nsecs, $devns, $skns, $taskns,
           args->protocol, args->reason, args->location, comm, $skb->dev->name,
           buf($skb->head + $skb->network_header, 48));
  } else {
    printf("D %llu %u %u %u %u %d %llx %s - %rx\n", nsecs, $devns, $skns, $taskns,
           args->protocol, args->reason, args->location, comm,
           buf($skb->head + $skb->network_header, 48));
  }
}
"""


class Kallsyms:
    """Addresses to `function+0xoff/0xsize`, as the tracepoint's %pS prints them."""

    def __init__(self):
        import bisect
        self._bisect = bisect.bisect_right
        rows = []
        for line in Path("/proc/kallsyms").read_text().splitlines():
            parts = line.split()
            if len(parts) >= 3 and parts[1] in "tTwW":
                rows.append((int(parts[0], 16), parts[2]))
        rows.sort()
        self.addrs = [a for a, _ in rows]
        self.names = [n for _, n in rows]

    def __call__(self, addr: int) -> str:
        k = self._bisect(self.addrs, addr) - 1
        if k < 0 or not self.addrs[k]:
            return hex(addr)
        size = (self.addrs[k + 1] - self.addrs[k]) if k + 1 < len(self.addrs) else 0
        return f"{self.names[k]}+{addr - self.addrs[k]:#x}/{size:#x}"


def drop_reason_names(fmt: str) -> dict[int, str]:
    """The __print_symbolic table of skb:kfree_skb's format: number -> name."""
    return {int(n): name for n, name in re.findall(r'\{ (\d+), "(\w+)" \}', fmt)}


def decode_packet(protocol: int, data: bytes) -> str | None:
    """A tcpdump-like one-liner for the network header the skb points at."""
    try:
        if protocol == 0x0800 and data and data[0] >> 4 == 4:
            ihl = (data[0] & 15) * 4
            src = ".".join(map(str, data[12:16]))
            dst = ".".join(map(str, data[16:20]))
            proto, ttl = data[9], data[8]
            head = f"IP {src} > {dst}: "
            if proto == 1 and len(data) >= ihl + 2:
                t, c = data[ihl], data[ihl + 1]
                names = {0: "echo reply", 8: "echo request", 11: "time exceeded"}
                if t == 3:
                    what = {0: "net unreachable", 1: "host unreachable", 3: "port unreachable",
                            4: "need to frag"}.get(c, f"unreachable code {c}")
                    inner = ""
                    if len(data) >= ihl + 8 + 20:
                        o = ihl + 8
                        inner = (f" (about {'.'.join(map(str, data[o + 12:o + 16]))} > "
                                 f"{'.'.join(map(str, data[o + 16:o + 20]))})")
                    return head + f"ICMP {what}{inner}, ttl {ttl}"
                return head + f"ICMP {names.get(t, f'type {t} code {c}')}, ttl {ttl}"
            return head + {6: "TCP", 17: "UDP"}.get(proto, f"ip-proto-{proto}") + f", ttl {ttl}"
        if protocol == 0x0806 and len(data) >= 28:
            op = int.from_bytes(data[6:8], "big")
            sha = ":".join(f"{b:02x}" for b in data[8:14])
            spa = ".".join(map(str, data[14:18]))
            tha = ":".join(f"{b:02x}" for b in data[18:24])
            tpa = ".".join(map(str, data[24:28]))
            if op == 1:
                return f"ARP, Request who-has {tpa} tell {spa} ({sha} -> {tha})"
            if op == 2:
                return f"ARP, Reply {spa} is-at {sha} (to {tpa} {tha})"
            return f"ARP, op {op} {spa} -> {tpa}"
        if protocol == 0x86DD and len(data) >= 40 and data[0] >> 4 == 6:
            import ipaddress
            src = ipaddress.IPv6Address(bytes(data[8:24]))
            dst = ipaddress.IPv6Address(bytes(data[24:40]))
            return f"IP6 {src} > {dst}: next-header {data[6]}"
    except (IndexError, ValueError):
        pass
    return None


class Bpftrace:
    """skb:kfree_skb through bpftrace, which can follow skb->dev (or skb->sk) to
    the network namespace the packet was dropped in, and read its headers."""

    LINE = re.compile(r"^D (\d+) (\d+) (\d+) (\d+) (\d+) (-?\d+) ([0-9a-f]+) (.*) (\S+) ((?:\\x[0-9a-f]{2})*)$")

    def __init__(self):
        import threading
        self.ksym = Kallsyms()
        self.lines: list[str] = []
        self.proc = subprocess.Popen(
            ["unshare", "--mount", "--propagation", "private", "sh", "-c",
             "mount -t tracefs nodev /sys/kernel/tracing && exec bpftrace -B line -e \"$0\"",
             BPFTRACE_PROG],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 60
        ready = False
        while time.monotonic() < deadline:
            line = self.proc.stdout.readline()
            if not line:
                break
            if line.startswith("READY"):
                ready = True
                break
        if not ready:
            self.proc.kill()
            err = self.proc.stderr.read()
            raise RuntimeError(f"bpftrace did not start: {err[-1000:]}")
        fmt = Path(f"/proc/{self.proc.pid}/root/sys/kernel/tracing/events/skb/kfree_skb/format")
        self.reasons = drop_reason_names(fmt.read_text())
        self.thread = threading.Thread(target=self._pump, daemon=True)
        self.thread.start()
        threading.Thread(target=self.proc.stderr.read, daemon=True).start()

    @staticmethod
    def clock() -> float:
        return time.clock_gettime(time.CLOCK_BOOTTIME)   # bpftrace's nsecs

    def _pump(self):
        for line in self.proc.stdout:
            self.lines.append(line)

    def read(self) -> list[dict]:
        lines, self.lines = self.lines, []
        out = []
        for line in lines:
            m = self.LINE.match(line.rstrip("\n"))
            if not m:
                continue
            ts, devns, skns, taskns, proto, reason, loc, comm, dev, hexbuf = m.groups()
            data = bytes(int(h, 16) for h in hexbuf.split("\\x")[1:])
            out.append({"event": "kfree_skb", "ts": int(ts) / 1e9, "devns": int(devns),
                        "skns": int(skns), "taskns": int(taskns), "protocol": int(proto),
                        "reason": self.reasons.get(int(reason), str(reason)),
                        "location": self.ksym(int(loc, 16)), "comm": comm,
                        "dev": None if dev == "-" else dev,
                        "packet": decode_packet(int(proto), data)})
        return out

    def close(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.thread.join(timeout=5)


def netns_ino(path: str) -> int | None:
    try:
        return os.stat(path).st_ino
    except OSError:
        return None


class NetnsWatch:
    """Network namespaces that are neither the host's nor the scenario's, and
    whether anything moved in them: a namespace whose interface counters
    (/proc/PID/net/dev) and IP/ICMP counters (/proc/PID/net/snmp) did not
    change cannot have dropped a packet in between."""

    def __init__(self, holder_pid: int):
        self.holder_pid = holder_pid
        self.host = netns_ino("/proc/self/ns/net")
        self.main = netns_ino(f"/proc/{holder_pid}/ns/net")
        self.ours = {self.host, self.main}
        self.names: dict[int, str] = {self.main: "main"}   # the scenario's namespaces
        self.seen: dict[int, set] = {}          # foreign netns inode -> process names

    def refresh_ours(self):
        d = f"/proc/{self.holder_pid}/root/run/netns"
        try:
            for name in os.listdir(d):
                ino = netns_ino(os.path.join(d, name))
                if ino:
                    self.ours.add(ino)
                    self.names[ino] = name
        except OSError:
            pass

    def snapshot(self) -> dict[int, str]:
        """{foreign netns inode: its counters} as of now."""
        self.refresh_ours()
        found: dict[int, str] = {}
        for pid in os.listdir("/proc"):
            if not pid.isdigit():
                continue
            ino = netns_ino(f"/proc/{pid}/ns/net")
            if ino is None or ino in self.ours:
                continue
            try:
                comm = Path(f"/proc/{pid}/comm").read_text().strip()
            except OSError:
                comm = "?"
            self.seen.setdefault(ino, set()).add(comm)
            if ino in found:
                continue
            try:
                found[ino] = (Path(f"/proc/{pid}/net/dev").read_text()
                              + Path(f"/proc/{pid}/net/snmp").read_text())
            except OSError:
                found[ino] = "?"
        return found

    @staticmethod
    def active(before: dict[int, str], after: dict[int, str]) -> bool:
        """Did any foreign namespace appear, vanish or move between the two snapshots?"""
        return any(before.get(k) != after.get(k) or v == "?" for k, v in after.items()) \
            or any(k not in after for k in before)


def record(scenario: Path, backend="auto", all_protocols=False, consume=(), tcpdump=True,
           wait_exclusive=0.0) -> list[dict]:
    """Run the scenario as oracle.py does and return the summary and drop events."""
    cmds = read_scenario(scenario)
    if backend == "auto":
        backend = "bpftrace" if shutil.which("bpftrace") and not consume else "tracefs"
    holder = subprocess.Popen(
        ["unshare", "--mount", "--net", "--propagation", "private", "sh", "-c",
         "mkdir -p /run/netns && mount -t tmpfs tmpfs /run/netns && echo ready && exec sleep 3600"],
        stdout=subprocess.PIPE, text=True)
    if holder.stdout.readline().strip() != "ready":
        holder.kill()
        sys.exit("record_drops: could not make private namespaces (unshare, mount)")
    enter = ["nsenter", "-t", str(holder.pid), "-n", "-m"]
    tracer = dump = None
    events: list[dict] = []
    starts: list[float] = []
    ends: list[float] = []
    snaps: list[dict] = []             # tracefs: foreign netns counters at the start of window i
    watch = NetnsWatch(holder.pid)
    lost = 0
    try:
        deadline = time.monotonic() + wait_exclusive
        while watch.snapshot() and time.monotonic() < deadline:
            time.sleep(1)
        watch.seen.clear()
        if backend == "bpftrace":
            tracer = Bpftrace()
            clock = tracer.clock
            flt = "netns of skb->dev (else skb->sk, else the task) is the scenario's"
        else:
            tracer = Instance(holder.pid, all_protocols, list(consume))
            clock = time.monotonic
            flt = tracer.filter
        if tcpdump:
            dump = subprocess.Popen(enter + ["tcpdump", "--immediate-mode", "-i", "any", "-n", "-l"],
                                    stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
            until = time.time() + 10
            while time.time() < until:            # until tcpdump says it is listening
                err = dump.stderr.readline()
                if "listening on" in err or not err:
                    break
        events += tracer.read()                   # before the first command: dropped below
        for cmd in cmds:
            snaps.append(watch.snapshot() if backend == "tracefs" else {})
            watch.refresh_ours()
            starts.append(clock())
            subprocess.run(enter + ["bash", "-c", cmd], stdin=subprocess.DEVNULL,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=60)
            ends.append(clock())
            watch.refresh_ours()
            events += tracer.read()
        time.sleep(SETTLE_S)
        if dump:
            dump.send_signal(signal.SIGINT)
            try:
                dump.communicate(timeout=10)
            except subprocess.TimeoutExpired:
                dump.kill()
            dump = None
        time.sleep(0.3)
        watch.refresh_ours()
        snaps.append(watch.snapshot() if backend == "tracefs" else {})
        if backend == "bpftrace":
            tracer.close()
        events += tracer.read()
        lost = getattr(tracer, "lost", 0)
    finally:
        if dump:
            dump.kill()
        if tracer:
            tracer.close()
        holder.kill()
        holder.wait()

    drops = []
    foreign = collections.Counter()
    for ev in events:
        i = max((k for k, s in enumerate(starts) if s <= ev["ts"]), default=None)
        if i is None:
            continue                               # before the first command
        netns = by = None
        if backend == "bpftrace":
            ns, by = (ev["devns"], "dev") if ev["devns"] else (ev["skns"], "sk")
            if not ns and ev["taskns"] in watch.names:
                ns, by = ev["taskns"], "task"
            if ns not in watch.names:
                foreign["host" if ns == watch.host else "other" if ns else "unknown"] += 1
                continue
            netns = watch.names[ns]
        d = {"type": "drop" if ev["event"] == "kfree_skb" else "consume",
             "cmd_index": i, "cmd": cmds[i]}
        if ev["event"] == "kfree_skb":
            d["reason"] = ev["reason"]
        d["location"] = ev["location"]
        d["function"] = ev["location"].split("+")[0]
        if "protocol" in ev:
            d["protocol"] = ev["protocol"]
        if netns:
            d["netns"] = netns
            if by != "dev":
                d["netns_by"] = by
            d["dev"] = ev["dev"]
            if ev["packet"]:
                d["packet"] = ev["packet"]
        if d["function"] in DEFERRED:
            d["deferred"] = True
        d["phase"] = "during" if ev["ts"] <= ends[i] else "after"
        d["t"] = round(ev["ts"] - starts[i], 3)
        d["comm"] = ev["comm"]
        if backend == "tracefs" and NetnsWatch.active(snaps[i], snaps[i + 1]):
            d["foreign"] = True
        drops.append(d)

    per_cmd: dict[int, collections.Counter] = collections.defaultdict(collections.Counter)
    for d in drops:
        if d["type"] == "drop":
            per_cmd[d["cmd_index"]][d["reason"]] += 1
    summary = {
        "type": "summary", "kernel": os.uname().release, "scenario": scenario.name,
        "commands": len(cmds), "settle_s": SETTLE_S, "tracepoint": "skb:kfree_skb",
        "backend": backend, "filter": flt, "tcpdump": tcpdump,
        "drops": sum(1 for d in drops if d["type"] == "drop"),
        "per_command": [{"cmd_index": i, "cmd": cmds[i], "reasons": dict(sorted(c.items()))}
                        for i, c in sorted(per_cmd.items())],
    }
    if consume:
        summary["consume_functions"] = list(consume)
    if lost:
        summary["lost_events"] = lost
    if backend == "bpftrace":
        summary["netns"] = sorted(set(watch.names.values()))
        if foreign:
            summary["ignored_other_netns"] = dict(foreign)
    elif watch.seen:
        summary["foreign_netns"] = sorted(set().union(*watch.seen.values()))
        summary["foreign_active_commands"] = [
            i for i in range(len(cmds)) if NetnsWatch.active(snaps[i], snaps[i + 1])]
    return [summary] + drops


def signature(events: list[dict]) -> list[tuple]:
    """What must be the same from run to run: per command, the sorted reasons and
    functions; deferred drops (socket destruction) only as a whole, at index -1."""
    per = collections.defaultdict(list)
    for e in events:
        if e["type"] == "drop":
            per[-1 if e.get("deferred") else e["cmd_index"]].append((e["reason"], e["function"]))
    return [(i, tuple(sorted(v))) for i, v in sorted(per.items())]


def output_path(scenario: Path) -> Path:
    name = scenario.name[:-3] if scenario.name.endswith(".sh") else scenario.name
    return scenario.with_name(name + ".drops.jsonl")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("scenario", type=Path, nargs="+")
    ap.add_argument("-o", "--out", help="output file, '-' for stdout (one scenario only); "
                                        "default NAME.drops.jsonl beside NAME.sh")
    ap.add_argument("--repeat", type=int, default=1,
                    help="record N times and report whether the drops per command are stable")
    ap.add_argument("--backend", choices=("auto", "bpftrace", "tracefs"), default="auto",
                    help="bpftrace (netns-exact, packet headers) if installed, else tracefs")
    ap.add_argument("--all-protocols", action="store_true",
                    help="do not filter out protocol-0 skbs (host vsock, netlink)")
    ap.add_argument("--consume", default="",
                    help="comma-separated functions whose consume_skb calls to record too")
    ap.add_argument("--no-tcpdump", action="store_true",
                    help="do not run tcpdump in the namespace (oracle.py does)")
    ap.add_argument("--wait-exclusive", type=float, default=0.0, metavar="S",
                    help="wait up to S seconds until no other process is in a foreign netns")
    args = ap.parse_args(argv)
    if os.geteuid() != 0:
        sys.exit("record_drops: needs root (namespaces, tracefs)")
    if args.out and len(args.scenario) > 1:
        sys.exit("record_drops: -o takes one scenario")
    signal.signal(signal.SIGTERM, _sigterm)
    consume = [f for f in args.consume.split(",") if f]
    status = 0
    for scen in args.scenario:
        runs = []
        for _ in range(max(1, args.repeat)):
            runs.append(record(scen, args.backend, args.all_protocols, consume,
                               not args.no_tcpdump, args.wait_exclusive))
        events = runs[0]
        if len(runs) > 1:
            sigs = [dict(signature(r)) for r in runs]
            events[0]["runs"] = len(runs)
            diff = [{"cmd_index": i if i >= 0 else "deferred",
                     "reasons_per_run": [sorted(r for r, _ in sig.get(i, ())) for sig in sigs]}
                    for i in sorted(set().union(*sigs))
                    if any(sig.get(i) != sigs[0].get(i) for sig in sigs[1:])]
            if diff:
                events[0]["unstable"] = diff
        text = "".join(json.dumps(e, ensure_ascii=False) + "\n" for e in events)
        out = args.out or str(output_path(scen))
        if out == "-":
            sys.stdout.write(text)
        else:
            Path(out).write_text(text)
        s = events[0]
        msg = f"{scen.name}: {s['drops']} drops in {len(s['per_command'])} commands"
        if len(runs) > 1:
            sigs = [signature(r) for r in runs]
            stable = all(x == sigs[0] for x in sigs[1:])
            msg += "; stable over %d runs" % len(runs) if stable else "; UNSTABLE"
            if not stable:
                status = 1
                for k, sig in enumerate(sigs[1:], 2):
                    a, b = dict(sigs[0]), dict(sig)
                    for i in sorted(set(a) | set(b)):
                        if a.get(i) != b.get(i):
                            msg += f"\n  cmd {i}: run1 {a.get(i)} run{k} {b.get(i)}"
        if s.get("foreign_active_commands"):
            msg += (f"; WARNING other netns {s['foreign_netns']} moved during commands "
                    f"{s['foreign_active_commands']}")
        if s.get("lost_events"):
            msg += f"; WARNING lost {s['lost_events']} trace events"
        print(msg, file=sys.stderr)
    return status


if __name__ == "__main__":
    sys.exit(main())
