"""Evaluating a step's checks, and saying in plain words what each wants and why it fails.

State checks read the kernel as it is now, read-only, through the same
accessors the tools use (a namespace's devices, in_dev addresses, FIB tables,
arp_tbl, the sysctl tree). Event checks look at what happened since the step
began: packets seen by the lab's capture taps (matched incrementally as they
arrive, see `PacketMatcher`) and the commands the learner ran.

Every result carries `text` (what the check wants, in the learner's language)
and `why` (what is wrong now, "" when it holds).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Callable, Optional

from ..explain import ns_label
from ..i18n import gettext_in
from ..kernel.inet import aton, ntoa
from . import models as m

HOST = "host"
OTHER_HOST = ns_label(HOST, False)
"""`ip netns add host` beside the lab's own: "netns host", a name no lab file can give a
namespace (lab names are ip's names), so what happens there never counts as the host's."""


def lab_netns(name: str, own: bool) -> str:
    """The lab's name for a namespace, from its display name and whether it is the lab's
    own (an event's net_cookie compared with the world's): "host" is only the own one."""
    return HOST if own else ns_label(name, False)


@dataclass(frozen=True)
class CheckResult:
    ok: bool
    text: str
    why: str = ""


# ---------------------------------------------------------------- what happened

@dataclass
class PacketSeen:
    """One captured frame, as the lab's taps saw it."""

    netns: str
    iface: str
    direction: str
    data: bytes
    time: float
    event: Any = None
    _summary: Optional[str] = None

    @property
    def summary(self) -> str:
        if self._summary is None:
            from ..tools.tcpdump.printer import summary
            self._summary = summary(self.data)
        return self._summary

    def line(self) -> str:
        return f"{self.iface} {self.direction} {self.summary}"


@dataclass
class CommandRun:
    """A command line the learner ran, its output and exit status."""

    line: str
    netns: str = HOST
    output: str = ""
    status: int = 0
    simple: list[tuple[str, list[str]]] = field(default_factory=list)  # (netns, words)

    def __post_init__(self) -> None:
        if not self.simple:
            self.simple = command_words(self.line, self.netns)


def command_words(line: str, netns: str = HOST) -> list[tuple[str, list[str]]]:
    """Each simple command of a line as (namespace it runs in, words without the prefixes).

    `sudo`, `ip netns exec NS` and `ip -n NS` are taken off, so that
    `ip netns exec ns1 ping 10.1.1.3` is `ping 10.1.1.3` run in ns1.
    """
    from ..tools.shell import ShellSyntaxError, parse
    try:
        lists = parse(line)
    except ShellSyntaxError:
        return [(netns, line.split())]
    out = []
    for ao in lists:
        for pipe in [ao.first] + [p for _, p in ao.rest]:
            for simple in pipe.cmds:
                out.append(_strip_prefixes(list(simple.words), netns))
    return out


def _named(name: str) -> str:
    """A namespace named on a command line (`ip netns exec NAME`, `ip -n NAME`): always an
    `ip netns` one, so "host" there is not the lab's own."""
    return OTHER_HOST if name == HOST else name


def _strip_prefixes(w: list[str], netns: str) -> tuple[str, list[str]]:
    while True:
        while w and w[0] == "sudo":
            w = w[1:]
        if len(w) >= 4 and w[0] == "ip" and w[1] in ("netns", "netn", "net", "ne") \
                and "exec".startswith(w[2]) and w[2]:
            netns, w = _named(w[3]), w[4:]
            continue
        if len(w) >= 3 and w[0] == "ip" and w[1] in ("-n", "-netns", "-net"):
            netns, w = _named(w[2]), [w[0]] + w[3:]
            continue
        return netns, w


# ---------------------------------------------------------------- the learner's language

# What checks say, by key: English templates, translated through the message catalogue
# (vethtui/i18n/zh.py, group "labs/checks.py"). A sentence that starts with a word starts
# with a capital here; one that starts with a name (veth0, 192.168.2.11, a sysctl) keeps
# the name as written: nothing is re-cased after formatting.
_EN = {
    'and': ' and ',
    'sep': '; ',
    'exists': 'exists',
    'absent': 'does not exist',
    'is_up': 'is up',
    'is_down': 'is down',
    'shows': 'shows {x}',
    'state': 'is in state {x}',
    'kind': 'is a {x} device',
    'port_of': 'is a port of {x}',
    'no_port': 'is not a bridge port',
    'paired': 'is paired with {x}',
    'mtu': 'has MTU {x}',
    'in_ns': ' (in {ns})',
    'no_ns': 'Namespace {ns} does not exist',
    'no_dev': '{dev} does not exist{where}',
    'still': '{dev} still exists{where}',
    'now_down': '{dev} is down',
    'now_up': '{dev} is up',
    'flags_now': '{dev} shows {flags}, without {missing}',
    'state_now': '{dev} is in state {x}',
    'kind_now': '{dev} is a {x} device',
    'master_now': '{dev} is not a port of {want} ({have})',
    'no_master': 'it has no master',
    'has_master': 'its master is {x}',
    'master_none': '{dev} is a port of {x}',
    'peer_now': '{dev} is paired with {x}',
    'mtu_now': '{dev} has MTU {x}',
    'addr_on': '{addr} is on {dev}',
    'addr_any': 'Some device has {addr}',
    'addr_off': '{addr} is not on {dev}',
    'addr_none': 'No device has {addr}',
    'addr_missing': '{dev} does not have {addr} (it has: {have})',
    'addr_nowhere': 'No device has {addr}',
    'addr_there': '{dev} still has {addr}',
    'nothing': 'nothing',
    'route': 'Table {table} has a route to {dst}{det}',
    'route_not': 'Table {table} has no route to {dst}{det}',
    'route_missing': 'No route to {dst}{det} in table {table}',
    'route_there': 'Table {table} still has a route to {dst}{det}',
    'neigh': 'The neighbour entry for {addr}{on} is {state}',
    'neigh_any': 'There is a neighbour entry for {addr}{on}',
    'neigh_not': 'There is no neighbour entry for {addr}{on}',
    'neigh_missing': 'No neighbour entry for {addr}{on}',
    'neigh_now': 'The entry for {addr}{on} is {state}',
    'neigh_there': 'The entry for {addr}{on} is still there ({state})',
    'on': ' on {dev}',
    'or': ' or ',
    'sysctl': '{name} = {value}',
    'sysctl_eff': 'The {key} in effect for {dev} is {value}',
    'sysctl_now': 'It is {value}',
    'sysctl_eff_now': '{value} is in effect (all = {all}, {dev} = {own}: {how})',
    'sysctl_missing': '{name} does not exist{where}',
    'how_max': 'the larger counts',
    'how_or': '1 if either is 1',
    'how_and': '1 only if both are 1',
    'how_own': "the device's own counts",
    'packet': '{count} captured{on}{dir}{what}',
    'packet_not': 'No packet captured{on}{dir}{what}',
    'a_packet': 'A packet',
    'n_packets': 'At least {n} packets',
    'on_iface': ' on {iface}',
    'in_ns2': ' in {ns}',
    'dir_in': ' (received)',
    'dir_out': ' (sent)',
    'dir_x': ' (direction {x})',
    'matching': ' matching “{text}”',
    'filter': ' that `{f}` selects',
    'none_yet': 'None seen yet',
    'some_yet': 'Seen {n} of {want}',
    'seen_one': 'One was: {line}',
    'cmd': 'You ran `{cmd}`{where}{status}{output}',
    'cmd_not': 'You did not run `{cmd}`{where}',
    'st_ok': ' and it succeeded',
    'st_fail': ' and it failed',
    'st_n': ' and it exited with {n}',
    'out_re': ', printing something that matches /{re}/',
    'not_run': 'Not run yet',
    'ran_status': '`{line}` exited with {n}',
    'ran_output': 'The output of `{line}` does not match /{re}/',
    'ran_it': '`{line}` was run',
    'all': 'All of: {x}',
    'any': 'One of: {x}',
    'not': 'Not: {x}',
    'none_hold': 'None holds yet',
    'link': '{link}{where} {preds}',
}


class Say:
    def __init__(self, lang: str):
        self.lang = lang

    def __call__(self, _key: str, **kw: Any) -> str:
        text = gettext_in(_EN[_key], self.lang).format(**kw)
        return text if self.lang == "en" else _tidy_cjk(text)


_FULLWIDTH_SPACES = re.compile(r" *([（）：，；。、“”]) *")


def _tidy_cjk(text: str) -> str:
    """No space beside full-width punctuation, where pieces of a Chinese sentence meet
    ("veth0（在 ns1 中） 是" -> "veth0（在 ns1 中）是")."""
    return _FULLWIDTH_SPACES.sub(r"\1", text)


# ---------------------------------------------------------------- packet matching

class PacketMatcher:
    """Counts, for each packet check of a step, the packets that match it."""

    def __init__(self, checks: list):
        self.leaves: list[m.PacketCheck] = []
        for c in checks:
            self._collect(c)
        self._preds: dict[int, Callable] = {}
        for leaf in self.leaves:
            self._preds[id(leaf)] = _packet_pred(leaf)
        self.counts: dict[int, int] = {id(leaf): 0 for leaf in self.leaves}
        self.last: dict[int, str] = {}

    def _collect(self, c: Any) -> None:
        if isinstance(c, m.PacketCheck):
            self.leaves.append(c)
        elif isinstance(c, m.AllCheck):
            for x in c.all:
                self._collect(x)
        elif isinstance(c, m.AnyCheck):
            for x in c.any:
                self._collect(x)
        elif isinstance(c, m.NotCheck):
            self._collect(c.not_)

    def see(self, p: PacketSeen) -> bool:
        """Count `p`; True when it matched some check."""
        hit = False
        for leaf in self.leaves:
            if self._preds[id(leaf)](p):
                self.counts[id(leaf)] += 1
                self.last[id(leaf)] = f"{p.netns + ':' if p.netns != HOST else ''}{p.line()}"
                hit = True
        return hit

    def reset(self) -> None:
        for k in self.counts:
            self.counts[k] = 0
        self.last.clear()


def _packet_pred(c: m.PacketCheck) -> Callable[[PacketSeen], bool]:
    ns = c.netns or HOST
    filt = None
    if c.filter:
        from ..tools.tcpdump.filter import compile_expr
        filt = compile_expr(c.filter.split())
    rx = re.compile(c.packet) if c.match == "regex" else None

    def pred(p: PacketSeen) -> bool:
        if p.netns != ns:
            return False
        if c.iface != "any" and p.iface != c.iface:
            return False
        d = c.direction
        if d == "in" and p.direction == "Out" or d == "out" and p.direction != "Out":
            return False
        if d not in (None, "in", "out") and p.direction != d:
            return False
        if filt is not None and not filt(p.event if p.event is not None else p):
            return False
        if rx is not None:
            return rx.search(p.summary) is not None
        return c.packet in p.summary if c.packet else True
    return pred


# ---------------------------------------------------------------- evaluation

class Context:
    """What checks look at: the world now, packets counted and commands run this step."""

    def __init__(self, world, matcher: Optional[PacketMatcher] = None,
                 commands: Optional[list[CommandRun]] = None, lang: str = "en"):
        self.world = world
        self.matcher = matcher or PacketMatcher([])
        self.commands = commands if commands is not None else []
        self.say = Say(lang)

    def net(self, name: Optional[str]):
        if name in (None, HOST):
            return self.world.init_net
        return self.world.netns.get(name)


def evaluate(check: Any, ctx: Context) -> CheckResult:
    """Evaluate one check; its text is `says` when the author gave one."""
    res = _EVAL[type(check)](check, ctx)
    if getattr(check, "says", None):
        res = CheckResult(res.ok, m.text_in(check.says, ctx.say.lang), res.why)
    return res


def describe(check: Any, lang: str = "en") -> str:
    """What a check wants, in plain words (without evaluating it)."""
    if getattr(check, "says", None):
        return m.text_in(check.says, lang)
    return _DESC[type(check)](check, Say(lang))


def _where(say: Say, ns: Optional[str]) -> str:
    return say("in_ns", ns=ns) if ns and ns != HOST else ""


# -- link --------------------------------------------------------------------------

def _link_desc(c: m.LinkCheck, say: Say) -> str:
    preds = []
    if not c.exists:
        preds.append(say("absent"))
    else:
        if c.up is not None and not ("UP" in c.flags and c.up):
            preds.append(say("is_up") if c.up else say("is_down"))
        if c.flags:
            preds.append(say("shows", x=", ".join(c.flags)))
        if c.operstate:
            preds.append(say("state", x=c.operstate))
        if c.type:
            preds.append(say("kind", x=c.type))
        if c.master is not None:
            preds.append(say("port_of", x=c.master) if c.master else say("no_port"))
        if c.peer:
            preds.append(say("paired", x=c.peer))
        if c.mtu:
            preds.append(say("mtu", x=c.mtu))
        if not preds:
            preds.append(say("exists"))
    return say("link", link=c.link, where=_where(say, c.netns), preds=say("and").join(preds))


def _dev_kind(dev) -> str:
    from ..kernel.netdev import IFF_LOOPBACK
    if dev.kind:
        return dev.kind
    return "loopback" if dev.flags & IFF_LOOPBACK else "ether"


def link_flag_names(dev, net) -> tuple[str, set[str]]:
    from ..tools.ip.common import flags_str, link_name
    _, mdown = link_name(dev, net)
    text = flags_str(dev.get_flags(), mdown)
    return text, set(text.strip("<>").split(","))


def _link_eval(c: m.LinkCheck, ctx: Context) -> CheckResult:
    say = ctx.say
    text = _link_desc(c, say)
    where = _where(say, c.netns)
    net = ctx.net(c.netns)
    if net is None:
        if not c.exists:
            return CheckResult(True, text)
        return CheckResult(False, text, say("no_ns", ns=c.netns))
    dev = net.dev_by_name(c.link)
    if not c.exists:
        return CheckResult(dev is None, text, "" if dev is None else
                           say("still", dev=c.link, where=where))
    if dev is None:
        return CheckResult(False, text, say("no_dev", dev=c.link, where=where))
    name = c.link
    if c.up is not None and dev.is_up != c.up:
        return CheckResult(False, text, say("now_down", dev=name) if c.up else
                           say("now_up", dev=name))
    if c.flags:
        ftext, names = link_flag_names(dev, net)
        missing = [f for f in c.flags if f not in names]
        if missing:
            return CheckResult(False, text, say("flags_now", dev=name, flags=ftext,
                                                missing=", ".join(missing)))
    if c.operstate and dev.operstate() != c.operstate:
        return CheckResult(False, text, say("state_now", dev=name, x=dev.operstate()))
    if c.type and _dev_kind(dev) != c.type:
        return CheckResult(False, text, say("kind_now", dev=name, x=_dev_kind(dev)))
    if c.master is not None:
        have = dev.master.name if dev.master is not None else ""
        if have != c.master:
            if c.master:
                why = say("master_now", dev=name, want=c.master,
                          have=say("has_master", x=have) if have else say("no_master"))
            else:
                why = say("master_none", dev=name, x=have)
            return CheckResult(False, text, why)
    if c.peer:
        peer = getattr(dev, "peer", None)
        if peer is None or peer.name != c.peer:
            return CheckResult(False, text, say("peer_now", dev=name,
                                                x=peer.name if peer is not None else "-"))
    if c.mtu and dev.mtu != c.mtu:
        return CheckResult(False, text, say("mtu_now", dev=name, x=dev.mtu))
    return CheckResult(True, text)


# -- address -----------------------------------------------------------------------

def _addr_key(text: str) -> tuple[int, Optional[int]]:
    a, _, p = text.partition("/")
    return aton(a), (int(p) if p else None)


def _addr_desc(c: m.AddressCheck, say: Say) -> str:
    dev = (c.dev or "") + _where(say, c.netns)
    if c.present:
        return say("addr_on", addr=c.address, dev=dev) if c.dev else \
            say("addr_any", addr=c.address) + _where(say, c.netns)
    return say("addr_off", addr=c.address, dev=dev) if c.dev else \
        say("addr_none", addr=c.address) + _where(say, c.netns)


def _addr_eval(c: m.AddressCheck, ctx: Context) -> CheckResult:
    say = ctx.say
    text = _addr_desc(c, say)
    net = ctx.net(c.netns)
    if net is None:
        return CheckResult(not c.present, text, "" if not c.present else
                           say("no_ns", ns=c.netns))
    addr, plen = _addr_key(c.address)
    devs = net.devices_in_order()
    if c.dev:
        d = net.dev_by_name(c.dev)
        if d is None:
            return CheckResult(not c.present, text, "" if not c.present else
                               say("no_dev", dev=c.dev, where=_where(say, c.netns)))
        devs = [d]
    found = None
    for d in devs:
        for ifa in (d.in_dev.ifa_list if d.in_dev is not None else []):
            if ifa.local == addr and (plen is None or ifa.prefixlen == plen):
                found = d
    if c.present:
        if found is not None:
            return CheckResult(True, text)
        if c.dev:
            d = devs[0]
            have = [f"{ntoa(i.local)}/{i.prefixlen}" for i in
                    (d.in_dev.ifa_list if d.in_dev is not None else [])]
            return CheckResult(False, text, say("addr_missing", dev=c.dev, addr=c.address,
                                                have=", ".join(have) or say("nothing")))
        return CheckResult(False, text, say("addr_nowhere", addr=c.address))
    if found is None:
        return CheckResult(True, text)
    return CheckResult(False, text, say("addr_there", dev=found.name, addr=c.address))


# -- route -------------------------------------------------------------------------

_TABLES = {"main": 254, "local": 255, "default": 253}


def _route_det(c: m.RouteCheck) -> str:
    det = []
    if c.type:
        det.append(c.type)
    if c.via:
        det.append(f"via {c.via}")
    if c.dev:
        det.append(f"dev {c.dev}")
    return f" ({' '.join(det)})" if det else ""


def _route_desc(c: m.RouteCheck, say: Say) -> str:
    key = "route" if c.present else "route_not"
    return say(key, table=c.table, dst=c.route, det=_route_det(c)) + _where(say, c.netns)


def _route_eval(c: m.RouteCheck, ctx: Context) -> CheckResult:
    from ..kernel.fib import RTN_NAMES
    say = ctx.say
    text = _route_desc(c, say)
    net = ctx.net(c.netns)
    if net is None:
        return CheckResult(not c.present, text, "" if not c.present else
                           say("no_ns", ns=c.netns))
    tb_id = _TABLES.get(c.table, c.table) if isinstance(c.table, str) else c.table
    tb = net.fib_tables.get(tb_id)
    if c.route == "default":
        dst, plen = 0, 0
    else:
        a, _, p = c.route.partition("/")
        dst, plen = aton(a), int(p or 32)
    gw = aton(c.via) if c.via else None
    found = False
    for fa in (tb.aliases() if tb is not None else []):
        if fa.dst != dst or fa.dst_len != plen:
            continue
        if c.type and RTN_NAMES.get(fa.type) != c.type:
            continue
        nhs = fa.info.nhs
        if c.dev and not any(nh.dev is not None and nh.dev.name == c.dev for nh in nhs):
            continue
        if gw is not None and not any(nh.gw == gw for nh in nhs):
            continue
        found = True
        break
    if found == c.present:
        return CheckResult(True, text)
    key = "route_missing" if c.present else "route_there"
    return CheckResult(False, text, say(key, table=c.table, dst=c.route, det=_route_det(c)))


# -- neighbour ---------------------------------------------------------------------

def _states(c: m.NeighbourCheck) -> list[str]:
    return [c.state] if isinstance(c.state, str) else list(c.state or [])


def _neigh_desc(c: m.NeighbourCheck, say: Say) -> str:
    on = say("on", dev=c.dev) if c.dev else ""
    on += _where(say, c.netns)
    if not c.present:
        return say("neigh_not", addr=c.neighbour, on=on)
    if c.state:
        return say("neigh", addr=c.neighbour, on=on, state=say("or").join(_states(c)))
    return say("neigh_any", addr=c.neighbour, on=on)


def _neigh_eval(c: m.NeighbourCheck, ctx: Context) -> CheckResult:
    from ..kernel.neighbour import nud_name
    say = ctx.say
    text = _neigh_desc(c, say)
    on = say("on", dev=c.dev) if c.dev else ""
    net = ctx.net(c.netns)
    if net is None:
        return CheckResult(not c.present, text, "" if not c.present else
                           say("no_ns", ns=c.netns))
    key = aton(c.neighbour)
    entries = [n for n in net.arp_tbl.in_order()
               if n.key == key and (c.dev is None or n.dev.name == c.dev)]
    if not c.present:
        if not entries:
            return CheckResult(True, text)
        return CheckResult(False, text, say("neigh_there", addr=c.neighbour, on=on,
                                            state=nud_name(entries[0].nud_state)))
    if not entries:
        return CheckResult(False, text, say("neigh_missing", addr=c.neighbour, on=on))
    want = _states(c)
    if not want:
        return CheckResult(True, text)
    for n in entries:
        if set(nud_name(n.nud_state).split()) & set(want):
            return CheckResult(True, text)
    return CheckResult(False, text, say("neigh_now", addr=c.neighbour, on=on,
                                        state=nud_name(entries[0].nud_state)))


# -- sysctl ------------------------------------------------------------------------

def _norm(v: Any) -> str:
    return " ".join(str(v).split())


def _values(c: m.SysctlCheck) -> list[str]:
    vals = c.value if isinstance(c.value, list) else [c.value]
    return [_norm(v) for v in vals]


def _sysctl_desc(c: m.SysctlCheck, say: Say) -> str:
    value = say("or").join(_values(c))
    if c.effective:
        parts = c.sysctl.split(".")
        return say("sysctl_eff", key=parts[4], dev=parts[3], value=value) + \
            _where(say, c.netns)
    return say("sysctl", name=c.sysctl, value=value) + _where(say, c.netns)


def read_sysctl(net, name: str) -> Optional[str]:
    from ..kernel.sysctl import File, SysctlError, dotted_to_parts
    try:
        node = net.sysctl.resolve(dotted_to_parts(name))
    except SysctlError:
        return None
    if not isinstance(node, File):
        return None
    return _norm(node.get())


def _sysctl_eval(c: m.SysctlCheck, ctx: Context) -> CheckResult:
    say = ctx.say
    text = _sysctl_desc(c, say)
    net = ctx.net(c.netns)
    if net is None:
        return CheckResult(False, text, say("no_ns", ns=c.netns))
    want = _values(c)
    if c.effective:
        from ..kernel.sysctl import _AND, _MAX, _OR, in_dev_conf
        parts = c.sysctl.split(".")
        dev = net.dev_by_name(parts[3])
        key = parts[4]
        if dev is None or dev.in_dev is None or key not in dev.in_dev.cnf.data:
            return CheckResult(False, text, say("sysctl_missing", name=c.sysctl,
                                                where=_where(say, c.netns)))
        cur = str(in_dev_conf(net, dev.in_dev.cnf, key))
        if cur in want:
            return CheckResult(True, text)
        how = "how_max" if key in _MAX else "how_or" if key in _OR else \
            "how_and" if key in _AND else "how_own"
        return CheckResult(False, text, say("sysctl_eff_now", value=cur,
                                            all=net.devconf_all.data[key], dev=parts[3],
                                            own=dev.in_dev.cnf.data[key], how=say(how)))
    cur = read_sysctl(net, c.sysctl)
    if cur is None:
        return CheckResult(False, text, say("sysctl_missing", name=c.sysctl,
                                            where=_where(say, c.netns)))
    if cur in want:
        return CheckResult(True, text)
    return CheckResult(False, text, say("sysctl_now", value=cur))


# -- packet ------------------------------------------------------------------------

def _packet_parts(c: m.PacketCheck, say: Say) -> dict[str, str]:
    on = say("on_iface", iface=c.iface) if c.iface != "any" else ""
    if c.netns and c.netns != HOST:
        on += say("in_ns2", ns=c.netns)
    d = c.direction
    dtext = "" if d is None else say("dir_in") if d == "in" else say("dir_out") \
        if d in ("out", "Out") else say("dir_x", x=d)
    what = ""
    if c.packet:
        what += say("matching", text=c.packet)
    if c.filter:
        what += say("filter", f=c.filter)
    count = say("a_packet") if c.count == 1 else say("n_packets", n=c.count)
    return {"on": on, "dir": dtext, "what": what, "count": count}


def _packet_desc(c: m.PacketCheck, say: Say) -> str:
    return say("packet", **_packet_parts(c, say))


def _packet_eval(c: m.PacketCheck, ctx: Context) -> CheckResult:
    say = ctx.say
    text = _packet_desc(c, say)
    n = ctx.matcher.counts.get(id(c), 0)
    if n >= c.count:
        return CheckResult(True, text)
    return CheckResult(False, text, say("none_yet") if n == 0 else
                       say("some_yet", n=n, want=c.count))


# -- command -----------------------------------------------------------------------

def command_matches(c: m.CommandCheck, run: CommandRun) -> bool:
    want = c.command.split()
    ns = c.netns or HOST
    for netns, words in run.simple:
        if netns != ns or not words or words[0] != want[0]:
            continue
        if all(w in words[1:] for w in want[1:]):
            return True
    return False


def _status_ok(c: m.CommandCheck, status: int) -> bool:
    if c.status is None:
        return True
    if c.status == "nonzero":
        return status != 0
    return status == c.status


def _cmd_desc(c: m.CommandCheck, say: Say) -> str:
    status = "" if c.status is None else say("st_fail") if c.status == "nonzero" else \
        say("st_ok") if c.status == 0 else say("st_n", n=c.status)
    output = say("out_re", re=c.output) if c.output else ""
    return say("cmd", cmd=c.command, where=_where(say, c.netns), status=status, output=output)


def _cmd_eval(c: m.CommandCheck, ctx: Context) -> CheckResult:
    say = ctx.say
    text = _cmd_desc(c, say)
    runs = [r for r in ctx.commands if command_matches(c, r)]
    if not runs:
        return CheckResult(False, text, say("not_run"))
    for r in runs:
        if _status_ok(c, r.status) and (c.output is None or
                                        re.search(c.output, r.output, re.M)):
            return CheckResult(True, text)
    r = runs[-1]
    if not _status_ok(c, r.status):
        return CheckResult(False, text, say("ran_status", line=r.line, n=r.status))
    return CheckResult(False, text, say("ran_output", line=r.line, re=c.output))


# -- combinations ------------------------------------------------------------------

def _all_desc(c: m.AllCheck, say: Say) -> str:
    return say("all", x=say("sep").join(describe(x, say.lang) for x in c.all))


def _any_desc(c: m.AnyCheck, say: Say) -> str:
    return say("any", x=say("sep").join(describe(x, say.lang) for x in c.any))


def _not_desc(c: m.NotCheck, say: Say) -> str:
    inner = c.not_
    if isinstance(inner, m.PacketCheck) and not inner.says:
        return say("packet_not", **_packet_parts(inner, say))
    if isinstance(inner, m.CommandCheck) and not inner.says and inner.status is None \
            and inner.output is None:
        return say("cmd_not", cmd=inner.command, where=_where(say, inner.netns))
    return say("not", x=describe(inner, say.lang))


def _all_eval(c: m.AllCheck, ctx: Context) -> CheckResult:
    text = _all_desc(c, ctx.say)
    for x in c.all:
        r = evaluate(x, ctx)
        if not r.ok:
            return CheckResult(False, text, r.why or r.text)
    return CheckResult(True, text)


def _any_eval(c: m.AnyCheck, ctx: Context) -> CheckResult:
    text = _any_desc(c, ctx.say)
    whys = []
    for x in c.any:
        r = evaluate(x, ctx)
        if r.ok:
            return CheckResult(True, text)
        whys.append(r.why)
    return CheckResult(False, text, ctx.say("none_hold"))


def _not_eval(c: m.NotCheck, ctx: Context) -> CheckResult:
    text = _not_desc(c, ctx.say)
    inner = c.not_
    r = evaluate(inner, ctx)
    if not r.ok:
        return CheckResult(True, text)
    if isinstance(inner, m.PacketCheck):
        last = ctx.matcher.last.get(id(inner))
        if last:
            return CheckResult(False, text, ctx.say("seen_one", line=last))
    if isinstance(inner, m.CommandCheck):
        runs = [x for x in ctx.commands if command_matches(inner, x)]
        if runs:
            return CheckResult(False, text, ctx.say("ran_it", line=runs[-1].line))
    return CheckResult(False, text, r.text)


_EVAL = {m.LinkCheck: _link_eval, m.AddressCheck: _addr_eval, m.RouteCheck: _route_eval,
         m.NeighbourCheck: _neigh_eval, m.SysctlCheck: _sysctl_eval,
         m.PacketCheck: _packet_eval, m.CommandCheck: _cmd_eval, m.AllCheck: _all_eval,
         m.AnyCheck: _any_eval, m.NotCheck: _not_eval}
_DESC = {m.LinkCheck: _link_desc, m.AddressCheck: _addr_desc, m.RouteCheck: _route_desc,
         m.NeighbourCheck: _neigh_desc, m.SysctlCheck: _sysctl_desc,
         m.PacketCheck: _packet_desc, m.CommandCheck: _cmd_desc, m.AllCheck: _all_desc,
         m.AnyCheck: _any_desc, m.NotCheck: _not_desc}
