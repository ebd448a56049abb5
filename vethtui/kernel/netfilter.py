"""The iptables tables in the kernel (net/ipv4/netfilter/ip_tables.c, iptable_*.c, xt_*.c).

What `iptables` (nf_tables backend) loads into a namespace: tables of chains of
rules. A table registers its base chains on the hook points at its priority
when it is first created, so a namespace without tables has empty hook lists:
filter at 0; mangle at -150; nat at -100 for PREROUTING and OUTPUT, 100 for
INPUT and POSTROUTING (include/uapi/linux/netfilter_ipv4.h). A rule is the
ipt_entry's IP part (addresses with masks, interfaces with `+` wildcards,
protocol, each invertible), its matches (tcp/udp ports, icmp type, multiport,
conntrack and state, comment) and a target; `ipt_do_table` walks a chain,
jumps into user chains and back (RETURN), counts packets and bytes per rule and
per base-chain policy, and names the rule that decided in the packet's trace.
The nat table's chains run only for a connection's first packet (nf_nat.py).
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Optional

from . import core, nf_conntrack, nf_nat, nf_reject, route
from .core import (NF_ACCEPT, NF_DROP, NF_STOLEN, NF_INET_FORWARD, NF_INET_LOCAL_IN, NF_INET_LOCAL_OUT,
                   NF_INET_POST_ROUTING, NF_INET_PRE_ROUTING, NfHookOps)
from .devinet import inet_select_addr
from .inet import RT_SCOPE_UNIVERSE, ntoa
from .nf_conntrack import (IP_CT_ESTABLISHED, IP_CT_ESTABLISHED_REPLY, IP_CT_NEW,
                           IP_CT_RELATED, IP_CT_RELATED_REPLY, IPS_DST_NAT, IPS_SRC_NAT)
from .nf_nat import NatRange, nf_nat_setup_info
from .wire import IPPROTO_ICMP, IPPROTO_TCP, IPPROTO_UDP

if TYPE_CHECKING:  # pragma: no cover
    from .netns import Net
    from .skb import SkBuff

HOOK_CHAINS = {NF_INET_PRE_ROUTING: "PREROUTING", NF_INET_LOCAL_IN: "INPUT",
               NF_INET_FORWARD: "FORWARD", NF_INET_LOCAL_OUT: "OUTPUT",
               NF_INET_POST_ROUTING: "POSTROUTING"}
CHAIN_HOOKS = {v: k for k, v in HOOK_CHAINS.items()}

# the tables: their base chains in iptables' order and each one's priority
TABLES = {
    "filter": [("INPUT", 0), ("FORWARD", 0), ("OUTPUT", 0)],
    "mangle": [("PREROUTING", -150), ("INPUT", -150), ("FORWARD", -150), ("OUTPUT", -150),
               ("POSTROUTING", -150)],
    "nat": [("PREROUTING", -100), ("INPUT", 100), ("OUTPUT", -100), ("POSTROUTING", 100)],
    "raw": [("PREROUTING", -300), ("OUTPUT", -300)],
}
# the order iptables-save lists the tables in (enum nft_table_type)
TABLE_ORDER = ["mangle", "raw", "filter", "nat"]

# invflags (struct ipt_ip)
IPT_INV_VIA_IN = 0x01
IPT_INV_VIA_OUT = 0x02
IPT_INV_SRCIP = 0x08
IPT_INV_DSTIP = 0x10
IPT_INV_PROTO = 0x40

# conntrack states as xt_conntrack/xt_state see them
CT_STATE_INVALID = 1
CT_STATE_NEW = 2
CT_STATE_ESTABLISHED = 4
CT_STATE_RELATED = 8
CT_STATE_UNTRACKED = 16
CT_STATE_SNAT = 32
CT_STATE_DNAT = 64
CT_STATE_NAMES = [("INVALID", CT_STATE_INVALID), ("NEW", CT_STATE_NEW),
                  ("RELATED", CT_STATE_RELATED), ("ESTABLISHED", CT_STATE_ESTABLISHED),
                  ("UNTRACKED", CT_STATE_UNTRACKED), ("SNAT", CT_STATE_SNAT),
                  ("DNAT", CT_STATE_DNAT)]


class Pkt:
    """What the matches read, parsed once per table walk (struct xt_action_param's view)."""

    __slots__ = ("saddr", "daddr", "proto", "length", "fragoff", "sport", "dport",
                 "icmp_type", "icmp_code", "tcp_flags", "ihl")

    def __init__(self, d: bytes):
        self.ihl = ihl = (d[14] & 0xF) * 4
        self.saddr = int.from_bytes(d[26:30], "big")
        self.daddr = int.from_bytes(d[30:34], "big")
        self.proto = d[23]
        self.length = (d[16] << 8) | d[17]
        self.fragoff = ((d[20] << 8) | d[21]) & 0x1FFF
        self.sport = self.dport = -1
        self.icmp_type = self.icmp_code = -1
        self.tcp_flags = 0
        l4 = 14 + ihl
        if not self.fragoff:
            if self.proto in (IPPROTO_TCP, IPPROTO_UDP) and len(d) >= l4 + 4:
                self.sport = (d[l4] << 8) | d[l4 + 1]
                self.dport = (d[l4 + 2] << 8) | d[l4 + 3]
                if self.proto == IPPROTO_TCP and len(d) > l4 + 13:
                    self.tcp_flags = d[l4 + 13]
            elif self.proto == IPPROTO_ICMP and len(d) >= l4 + 2:
                self.icmp_type = d[l4]
                self.icmp_code = d[l4 + 1]


# ---------------------------------------------------------------- matches

class PortMatch:
    """xt_tcpudp: `-p tcp|udp --sport/--dport [!] a[:b]` (iptables loads -m tcp/udp)."""

    def __init__(self, proto: str):
        self.name = proto
        self.spts: Optional[tuple[int, int]] = None
        self.dpts: Optional[tuple[int, int]] = None
        self.sinv = self.dinv = False
        self.flg_mask = self.flg_cmp = 0      # --tcp-flags MASK COMP, --syn
        self.flg_inv = False
        self.needs_ct = False

    def match(self, skb, pkt: Pkt, indev, outdev) -> bool:
        if pkt.fragoff or pkt.sport < 0:
            return False
        if (self.flg_mask or self.flg_inv) and (
                (pkt.tcp_flags & self.flg_mask) == self.flg_cmp) == self.flg_inv:
            return False
        if self.spts is not None and (self.spts[0] <= pkt.sport <= self.spts[1]) == self.sinv:
            return False
        if self.dpts is not None and (self.dpts[0] <= pkt.dport <= self.dpts[1]) == self.dinv:
            return False
        return True


class IcmpMatch:
    """xt_icmp (ipt_icmp): `-p icmp --icmp-type T[/C]`; type 255 is any."""

    def __init__(self):
        self.name = "icmp"
        self.type = 255
        self.code_min = 0
        self.code_max = 255
        self.inv = False
        self.needs_ct = False

    def match(self, skb, pkt: Pkt, indev, outdev) -> bool:
        if pkt.fragoff or pkt.icmp_type < 0:
            return False
        ok = self.type == 255 or (pkt.icmp_type == self.type
                                  and self.code_min <= pkt.icmp_code <= self.code_max)
        return ok != self.inv


class MultiportMatch:
    """xt_multiport: up to 15 ports or ranges, --sports/--dports/--ports."""

    def __init__(self, flags: str, ports: list[tuple[int, int]], inv: bool = False):
        self.name = "multiport"
        self.flags = flags          # "sports", "dports" or "ports"
        self.ports = ports
        self.inv = inv
        self.needs_ct = False

    def match(self, skb, pkt: Pkt, indev, outdev) -> bool:
        if pkt.fragoff or pkt.sport < 0:
            return False
        hit = False
        for lo, hi in self.ports:
            if self.flags in ("sports", "ports") and lo <= pkt.sport <= hi:
                hit = True
            if self.flags in ("dports", "ports") and lo <= pkt.dport <= hi:
                hit = True
        return hit != self.inv


def ct_state_of(skb) -> int:
    nfct = skb.nfct
    if nfct is None:
        return CT_STATE_INVALID
    ctinfo = nfct[1]
    if ctinfo == IP_CT_NEW:
        return CT_STATE_NEW
    if ctinfo in (IP_CT_ESTABLISHED, IP_CT_ESTABLISHED_REPLY):
        return CT_STATE_ESTABLISHED
    if ctinfo in (IP_CT_RELATED, IP_CT_RELATED_REPLY):
        return CT_STATE_RELATED
    return CT_STATE_INVALID


class StateMatch:
    """xt_conntrack's --ctstate and xt_state's --state (they share the bits)."""

    def __init__(self, name: str, mask: int, inv: bool = False):
        self.name = name            # "conntrack" or "state"
        self.mask = mask
        self.inv = inv
        self.needs_ct = True

    def match(self, skb, pkt: Pkt, indev, outdev) -> bool:
        st = ct_state_of(skb)
        if self.name == "conntrack" and skb.nfct is not None:
            ct = skb.nfct[0]
            if ct.status & IPS_SRC_NAT:
                st |= CT_STATE_SNAT
            if ct.status & IPS_DST_NAT:
                st |= CT_STATE_DNAT
        return bool(st & self.mask) != self.inv


class CommentMatch:
    def __init__(self, text: str):
        self.name = "comment"
        self.text = text
        self.needs_ct = False

    def match(self, skb, pkt, indev, outdev) -> bool:
        return True


# ---------------------------------------------------------------- targets

XT_CONTINUE = -1
XT_RETURN = -2


class Target:
    """A rule's target: a verdict (ACCEPT, DROP, RETURN), a jump to a user chain, or an
    extension (REJECT, DNAT, SNAT, MASQUERADE, REDIRECT)."""

    def __init__(self, name: str, **opts):
        self.name = name
        self.opts = opts
        self.goto = opts.pop("goto", False)

    @property
    def is_jump(self) -> bool:
        return self.name not in BUILTIN_TARGETS

    def fire(self, net: "Net", skb: "SkBuff", pkt: Pkt, hooknum: int, indev, outdev) -> int:
        n = self.name
        if n == "ACCEPT":
            return NF_ACCEPT
        if n == "DROP":
            return NF_DROP
        if n == "RETURN":
            return XT_RETURN
        if n == "LOG":
            # nf_log_packet: a line for the kernel log (no dmesg here), then on
            core.trace(skb, net, "nf_log_packet", "logged", prefix=self.opts.get("prefix", ""))
            return XT_CONTINUE
        if n == "REJECT":
            nf_reject.reject(net, skb, pkt, hooknum, self.opts.get("with", "icmp-port-unreachable"))
            return NF_DROP
        ct = skb.nfct[0] if skb.nfct is not None else None
        if ct is None:
            return NF_ACCEPT
        if n in ("SNAT", "DNAT"):
            rng: NatRange = self.opts["range"]
            manip = nf_nat.NF_NAT_MANIP_SRC if n == "SNAT" else nf_nat.NF_NAT_MANIP_DST
            return nf_nat_setup_info(net, ct, rng, manip)
        if n == "MASQUERADE":
            rt = skb.dst
            if outdev is None or rt is None:
                return NF_DROP
            nh = rt.nexthop(pkt.daddr)
            newsrc = inet_select_addr(outdev, nh, RT_SCOPE_UNIVERSE)
            if not newsrc:
                core.trace(skb, net, "nf_nat_masquerade", "no address",
                           why=f"{outdev.name} has no IPv4 address to masquerade behind")
                return NF_DROP
            ct.nat_ifindex = outdev.ifindex
            rng0: Optional[NatRange] = self.opts.get("range")
            rng = NatRange(newsrc, newsrc)
            if rng0 is not None and rng0.has_proto:
                rng.min_proto, rng.max_proto, rng.has_proto = rng0.min_proto, rng0.max_proto, True
            return nf_nat_setup_info(net, ct, rng, nf_nat.NF_NAT_MANIP_SRC)
        if n == "REDIRECT":
            if hooknum == NF_INET_LOCAL_OUT:
                newdst = 0x7F000001
            else:
                in_dev = indev.in_dev if indev is not None else None
                if in_dev is None or not in_dev.ifa_list:
                    return NF_DROP
                newdst = in_dev.ifa_list[0].local
            rng0 = self.opts.get("range")
            rng = NatRange(newdst, newdst)
            if rng0 is not None and rng0.has_proto:
                rng.min_proto, rng.max_proto, rng.has_proto = rng0.min_proto, rng0.max_proto, True
            return nf_nat_setup_info(net, ct, rng, nf_nat.NF_NAT_MANIP_DST)
        return NF_ACCEPT


BUILTIN_TARGETS = {"ACCEPT", "DROP", "RETURN", "REJECT", "SNAT", "DNAT", "MASQUERADE",
                   "REDIRECT", "LOG"}


# ---------------------------------------------------------------- rules, chains, tables

class Rule:
    """struct ipt_entry: the IP part, the matches, the target, the counters."""

    def __init__(self):
        self.src = 0
        self.smsk = 0
        self.dst = 0
        self.dmsk = 0
        self.iniface = ""
        self.outiface = ""
        self.proto = 0
        self.invflags = 0
        self.fragment = False
        self.matches: list = []
        self.target: Target = Target("")     # an empty target: counts and goes on
        self.pcnt = 0
        self.bcnt = 0

    @property
    def needs_ct(self) -> bool:
        return any(m.needs_ct for m in self.matches)

    def ip_packet_match(self, pkt: Pkt, indev, outdev) -> bool:
        inv = self.invflags
        if ((pkt.saddr & self.smsk) != self.src) != bool(inv & IPT_INV_SRCIP):
            return False
        if ((pkt.daddr & self.dmsk) != self.dst) != bool(inv & IPT_INV_DSTIP):
            return False
        if self.iniface and (not _iface_match(self.iniface, indev)) != bool(inv & IPT_INV_VIA_IN):
            return False
        if self.outiface and (not _iface_match(self.outiface, outdev)) != bool(
                inv & IPT_INV_VIA_OUT):
            return False
        if self.proto and (pkt.proto != self.proto) != bool(inv & IPT_INV_PROTO):
            return False
        return True

    def same(self, other: "Rule") -> bool:
        """What `iptables -D` compares: everything but the counters."""
        return self.key() == other.key()

    def key(self) -> tuple:
        ms = tuple((type(m).__name__, tuple(sorted((k, repr(v)) for k, v in vars(m).items())))
                   for m in self.matches)
        t = self.target
        return (self.src, self.smsk, self.dst, self.dmsk, self.iniface, self.outiface,
                self.proto, self.invflags, self.fragment, ms, t.name, t.goto,
                tuple(sorted((k, repr(v) if not isinstance(v, NatRange) else
                              (v.min_ip, v.max_ip, v.min_proto, v.max_proto, v.has_proto))
                             for k, v in t.opts.items())))


def _iface_match(pattern: str, dev) -> bool:
    if dev is None:
        return False
    if pattern.endswith("+"):
        return dev.name.startswith(pattern[:-1])
    return dev.name == pattern


class Chain:
    def __init__(self, name: str, builtin: bool, policy: str = "ACCEPT"):
        self.name = name
        self.builtin = builtin
        self.policy = policy if builtin else ""
        self.rules: list[Rule] = []
        self.pcnt = 0
        self.bcnt = 0
        # nft base chain stats: allocated only when iptables sends counters for the chain
        # (-P, -Z, iptables-restore's [p:b]); until then the policy counts nothing
        self.stats = False


class Table:
    def __init__(self, net: "Net", name: str):
        self.net = net
        self.name = name
        self.chains: dict[str, Chain] = {}
        for cname, _prio in TABLES[name]:
            self.chains[cname] = Chain(cname, True)
        self.ops: dict[str, NfHookOps] = {}
        self.used: set[str] = set()

    def use_chain(self, cname: str) -> None:
        """iptables-nft 1.8.9 creates a base chain, and so its hook, only when a command
        touches it (-A, -I, -R, -P); listings show the others with zero counters."""
        if cname in self.used or cname not in CHAIN_HOOKS or not self.chains[cname].builtin:
            return
        self.used.add(cname)
        if self.name == "nat" and not self.ops:
            # nf_nat_register_fn: with the first nat base chain the NAT core's hooks go on
            # all four points (replies are translated everywhere) and conntrack is needed;
            # a chain's rules are looked up only once that chain exists
            nf_conntrack.nf_ct_netns_get(self.net)
            for name, prio in TABLES["nat"]:
                hooknum = CHAIN_HOOKS[name]
                ops = NfHookOps(self._hook_fn(hooknum), hooknum, prio)
                self.ops[name] = ops
                core.nf_register_net_hook(self.net, ops)
        if cname in self.ops:
            return
        hooknum = CHAIN_HOOKS[cname]
        prio = dict(TABLES[self.name])[cname]
        ops = NfHookOps(self._hook_fn(hooknum), hooknum, prio)
        self.ops[cname] = ops
        core.nf_register_net_hook(self.net, ops)

    def _hook_fn(self, hooknum: int):
        if self.name == "nat":
            def nat_hook(skb, indev, outdev):
                net = (indev or outdev).net
                daddr = skb.data[30:34]
                v = nf_nat.nf_nat_ipv4_fn(
                    skb, net, hooknum,
                    lambda s, ct: (ipt_do_table(self, hooknum, s, indev, outdev)
                                   if HOOK_CHAINS[hooknum] in self.used else NF_ACCEPT))
                if v == NF_ACCEPT and hooknum == NF_INET_LOCAL_OUT and skb.data[30:34] != daddr:
                    return _route_me_harder(net, skb)
                if v == NF_DROP:
                    return _nft_drop(skb, indev or outdev)
                return v
            return nat_hook

        def hook(skb, indev, outdev):
            v = ipt_do_table(self, hooknum, skb, indev, outdev)
            if v == NF_DROP:
                return _nft_drop(skb, indev or outdev)
            return v
        return hook

    def user_chains(self) -> list[Chain]:
        return [c for c in self.chains.values() if not c.builtin]

    def references(self, name: str) -> int:
        return sum(1 for c in self.chains.values() for r in c.rules if r.target.name == name)

    def rule_added(self, rule: Rule) -> None:
        if rule.needs_ct:
            nf_conntrack.nf_ct_netns_get(self.net)

    def rule_removed(self, rule: Rule) -> None:
        if rule.needs_ct:
            nf_conntrack.nf_ct_netns_put(self.net)


def xt_tables(net: "Net") -> dict[str, Table]:
    t = getattr(net, "xt_tables", None)
    if t is None:
        t = {}
        net.xt_tables = t
    return t


def xt_find_table(net: "Net", name: str, create: bool = False) -> Optional[Table]:
    tables = xt_tables(net)
    t = tables.get(name)
    if t is None and create:
        t = tables[name] = Table(net, name)
    return t


# ---------------------------------------------------------------- the walk

def ipt_do_table(table: Table, hooknum: int, skb: "SkBuff", indev, outdev) -> int:
    pkt = Pkt(skb.data)
    chain = table.chains[HOOK_CHAINS[hooknum]]
    base = chain
    rules = chain.rules
    i = 0
    stack: list[tuple[Chain, int]] = []
    net = (indev or outdev).net
    length = pkt.length
    while True:
        if i >= len(rules):
            if stack and not chain.builtin:
                chain, i = stack.pop()
                rules = chain.rules
                continue
            return _policy(table, base, skb, net, hooknum, length)
        rule = rules[i]
        i += 1
        if not rule.ip_packet_match(pkt, indev, outdev):
            continue
        if rule.fragment and not pkt.fragoff:
            continue
        ok = True
        for m in rule.matches:
            if not m.match(skb, pkt, indev, outdev):
                ok = False
                break
        if not ok:
            continue
        rule.pcnt += 1
        rule.bcnt += length
        t = rule.target
        if not t.name:
            continue
        if t.is_jump:
            target_chain = table.chains.get(t.name)
            if target_chain is None:
                continue
            if not t.goto:
                stack.append((chain, i))
            chain = target_chain
            rules = chain.rules
            i = 0
            continue
        v = t.fire(net, skb, pkt, hooknum, indev, outdev)
        if v == XT_CONTINUE:
            continue
        if v == XT_RETURN:
            if stack:
                chain, i = stack.pop()
                rules = chain.rules
                continue
            return _policy(table, base, skb, net, hooknum, length)
        if skb.trace is not None:
            _trace_decision(skb, net, table, chain, rules.index(rule) + 1, t, v, hooknum)
        return v


def _policy(table: Table, base: Chain, skb, net, hooknum: int, length: int) -> int:
    if base.stats:
        base.pcnt += 1
        base.bcnt += length
    v = NF_DROP if base.policy == "DROP" else NF_ACCEPT
    if v == NF_DROP or (skb.trace is not None and table.name != "nat" and base.rules):
        core.trace(skb, net, "nf_hook", "policy " + base.policy, table=table.name,
                   chain=base.name, point=HOOK_CHAINS[hooknum],
                   why=f"iptables -t {table.name}: chain {base.name}'s policy is {base.policy}"
                   if v == NF_DROP else "")
    return v


def _trace_decision(skb, net, table: Table, chain: Chain, num: int, t: Target, v: int,
                    hooknum: int) -> None:
    text = t.name
    if t.name == "REJECT":
        text += f" --reject-with {t.opts.get('with', 'icmp-port-unreachable')}"
    elif t.name in ("DNAT", "SNAT"):
        rng = t.opts["range"]
        text += f" to {ntoa(rng.min_ip)}" + (f":{rng.min_proto}" if rng.has_proto else "")
    verdict = "ACCEPT" if v == NF_ACCEPT else "DROP"
    why = (f"iptables -t {table.name}: chain {chain.name}, rule {num} (-j {text})"
           if v == NF_DROP else "")
    core.trace(skb, net, "nf_hook", verdict, table=table.name, chain=chain.name, rule=num,
               target=text, point=HOOK_CHAINS[hooknum], why=why)


def _nft_drop(skb: "SkBuff", dev) -> int:
    """NF_DROP_REASON in nft_do_chain: iptables-nft's chains free the packet themselves
    (NETFILTER_DROP) and tell nf_hook_slow it was stolen, with -EPERM for the sender."""
    core.drop(skb, "NETFILTER_DROP", "nft_do_chain", dev)
    return NF_STOLEN


def _route_me_harder(net: "Net", skb: "SkBuff") -> int:
    """ip_route_me_harder: the destination changed at LOCAL_OUT; route the packet again."""
    d = skb.data
    daddr = int.from_bytes(d[30:34], "big")
    saddr = int.from_bytes(d[26:30], "big")
    try:
        rt = route.ip_route_output(net, daddr, saddr, 0, 0, anysrc=True)
    except route.RouteError:
        core.drop(skb, "IP_OUTNOROUTES", "ip_route_me_harder", skb.dev)
        return NF_STOLEN
    skb.dst = rt
    skb.dev = rt.dev
    return NF_ACCEPT
