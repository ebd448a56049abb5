"""The two built-in labs: `netns` (a fresh namespace) and `default` (the article's host).

`netns` is what the oracle records in: lo only, down, kernel-default sysctls,
IPv6 enabled. `default` is a host as the veth article found it: lo up, eth0 on
a LAN (192.168.1.11/24) whose gateway 192.168.1.1 answers ARP and ping, a
default route through it, docker0 (a bridge with no ports, so NO-CARRIER),
and Ubuntu's sysctl defaults (rp_filter=2).
"""
from __future__ import annotations

from ..kernel.bridge import BridgeDevice
from ..kernel.devinet import InIfaddr
from ..kernel.fib import RTPROT_STATIC, FibConfig, fib_new_table, fib_table_insert
from ..kernel.inet import aton
from ..kernel.drivers import EthernetNic, Lan
from ..kernel.world import World

UBUNTU_SYSCTLS = {
    "net.ipv4.conf.default.rp_filter": "2",
    "net.ipv4.conf.all.rp_filter": "2",
    "net.ipv4.conf.default.accept_source_route": "0",
    "net.ipv4.conf.all.accept_source_route": "0",
    "net.ipv4.conf.default.promote_secondaries": "1",
    "net.ipv4.conf.all.promote_secondaries": "1",
    "net.ipv4.ping_group_range": "0 2147483647",
}

PROFILES = {
    "netns": {},
    "debian": {"net.ipv4.conf.default.rp_filter": "2", "net.ipv4.conf.all.rp_filter": "2",
               "net.ipv4.conf.default.promote_secondaries": "1",
               "net.ipv4.conf.all.promote_secondaries": "1"},
    "ubuntu": UBUNTU_SYSCTLS,
    "centos": {"net.ipv4.conf.default.rp_filter": "1", "net.ipv4.conf.all.rp_filter": "1",
               "net.ipv4.conf.default.accept_source_route": "0",
               "net.ipv4.conf.all.accept_source_route": "0",
               "net.ipv4.conf.default.promote_secondaries": "1",
               "net.ipv4.conf.all.promote_secondaries": "1"},
}

BUILTIN_LABS = {
    "netns": "A fresh network namespace: only lo, down; kernel-default sysctls.",
    "default": "The article's host: lo, eth0 on a LAN with a gateway, docker0.",
}


def build_netns(seed: int = 0) -> World:
    world = World(seed=seed)
    world.new_net("")
    world.init_net.is_init = False
    return world


def add_address(net, dev, cidr: str, brd: bool = True) -> None:
    addr, _, plen = cidr.partition("/")
    p = int(plen)
    a = aton(addr)
    bcast = (a | (0xFFFFFFFF >> p)) if brd and p < 31 else 0
    net.add_address(dev, InIfaddr(a, p, bcast, 0, dev.name))


def build_default(seed: int = 0) -> World:
    world = World(seed=seed)
    host = world.new_net("", sysctl_profile=UBUNTU_SYSCTLS)
    host.is_init = True
    host.dev_open(host.loopback_dev)
    lan = Lan("lan0")
    mac = bytes([0x52, 0x54, 0x00]) + bytes(world.rng.getrandbits(8) for _ in range(3))
    eth0 = EthernetNic("eth0", mac)
    host.register(eth0)
    lan.attach(eth0)
    add_address(host, eth0, "192.168.1.11/24")
    host.dev_open(eth0)
    docker0 = BridgeDevice("docker0", bytes([0x02, 0x42]) + bytes(
        world.rng.getrandbits(8) for _ in range(4)))
    docker0.mac_set_by_user = True
    host.register(docker0)
    add_address(host, docker0, "172.17.0.1/16")
    host.dev_open(docker0)
    # as Docker leaves it after its containers have gone: no ports, no carrier
    from ..kernel import core
    docker0.had_ports = True
    docker0.bridge_id = docker0.mac       # Docker sets the MAC on the live bridge
    core.netif_carrier_off(docker0)
    tb = fib_new_table(host, 254)
    fib_table_insert(host, tb, FibConfig(dst=0, dst_len=0, gw=aton("192.168.1.1"),
                                         oif=eth0.ifindex, protocol=RTPROT_STATIC))
    # the gateway: a router on the LAN, in a namespace of its own that no tool lists
    gw = world.new_net("gateway", hidden=True)
    gw.dev_open(gw.loopback_dev)
    gmac = bytes([0x52, 0x54, 0x00, 0x12, 0x35, 0x02])
    gnic = EthernetNic("eth0", gmac)
    gw.register(gnic)
    lan.attach(gnic)
    add_address(gw, gnic, "192.168.1.1/24")
    gw.dev_open(gnic)
    gw.write_sysctl("net.ipv4.ip_forward", "1")
    # beyond the gateway: an ISP and the internet's servers (8.8.8.8, 1.1.1.1, ...)
    from .internet import build_internet
    build_internet(world, gw)
    # settle: nothing is in flight yet, but keep the clock at zero for the lab's start
    return world


def build(name: str, seed: int = 0) -> World:
    if name == "netns":
        return build_netns(seed)
    if name == "default":
        return build_default(seed)
    raise KeyError(name)
