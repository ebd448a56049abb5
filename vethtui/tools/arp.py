"""arp(8) from net-tools 2.10: the ARP cache as /proc/net/arp shows it, -a/-n/-i/-d/-s."""
from __future__ import annotations

from ..kernel import neighbour as N
from ..kernel import route
from ..kernel.inet import aton, ntoa
from .base import Proc
from .getopt import REQUIRED, Getopt, GetoptError, LongOpt

USAGE = """Usage:
  arp [-vn]  [<HW>] [-i <if>] [-a] [<hostname>]             <-Display ARP cache
  arp [-v]          [-i <if>] -d  <host> [pub]               <-Delete ARP entry
  arp [-vnD] [<HW>] [-i <if>] -f  [<filename>]            <-Add entry from file
  arp [-v]   [<HW>] [-i <if>] -s  <host> <hwaddr> [temp]            <-Add entry
  arp [-v]   [<HW>] [-i <if>] -Ds <host> <if> [netmask <nm>] pub          <-''-

        -a                       display (all) hosts in alternative (BSD) style
        -e                       display (all) hosts in default (Linux) style
        -s, --set                set a new ARP entry
        -d, --delete             delete a specified entry
        -v, --verbose            be verbose
        -n, --numeric            don't resolve names
        -i, --device             specify network interface (e.g. eth0)
        -D, --use-device         read <hwaddr> from given device
        -A, -p, --protocol       specify protocol family
        -f, --file               read new entries from file or from /etc/ethers

  <HW>=Use '-H <hw>' to specify hardware address type. Default: ether
  List of possible hardware types (which support ARP):
    ash (Ash) ether (Ethernet) ax25 (AMPR AX.25) 
    netrom (AMPR NET/ROM) rose (AMPR ROSE) arcnet (ARCnet) 
    dlci (Frame Relay DLCI) fddi (Fiber Distributed Data Interface) hippi (HIPPI) 
    irda (IrLAP) x25 (generic X.25) eui64 (Generic EUI-64) 
"""


def _entries(net):
    """/proc/net/arp: every entry but the NOARP-only ones."""
    return [n for n in net.arp_tbl.in_order() if n.nud_state & ~N.NUD_NOARP]


# net-tools 2.10's "A:H:adfp:nsei:t:vh?DNV" less what is not simulated (address families,
# hardware types, ether files, -N): those stay invalid options here
SHORTOPTS = "adnsei:vhDV"
LONGOPTS = [LongOpt("verbose", key="v"), LongOpt("version", key="V"), LongOpt("all", key="a"),
            LongOpt("delete", key="d"), LongOpt("numeric", key="n"), LongOpt("set", key="s"),
            LongOpt("device", REQUIRED, "i"), LongOpt("help", key="h"),
            LongOpt("use-device", key="D")]


def main(proc: Proc, argv: list[str]) -> int:
    mode = "show"
    bsd = False
    iface = None
    g = Getopt("arp", argv, SHORTOPTS, LONGOPTS)
    try:
        for ch, val in g:
            if ch == "a":
                bsd = True
            elif ch == "e":
                bsd = False
            elif ch == "d":
                mode = "del"
            elif ch == "s":
                mode = "set"
            elif ch == "i":
                iface = val
            elif ch in "hV":
                proc.out(USAGE if ch == "h" else "net-tools 2.10\n")
                return 0
    except GetoptError as err:
        proc.err(f"{err}\n{USAGE}")
        return 255
    args = g.operands
    net = proc.net
    if mode == "del":
        return _delete(proc, net, args, iface)
    if mode == "set":
        return _set(proc, net, args, iface)
    host = args[0] if args else None
    want = None
    if host is not None:
        try:
            want = aton(host)
        except ValueError:
            proc.err(f"{host}: Unknown host\n")
            return 255
    dev = None
    entries = _entries(net)
    shown = []
    for n in entries:
        if iface is not None and n.dev.name != iface:
            continue
        if want is not None and n.key != want:
            continue
        shown.append(n)
    if not shown:
        if want is not None:
            proc.out(f"{host} ({ntoa(want)}) -- no entry\n")
        elif iface is not None:
            proc.out(f"arp: in {len(entries)} entries no match found.\n")
        return 0
    if not bsd:
        proc.out("Address                  HWtype  HWaddress           Flags Mask            Iface\n")
    for n in shown:
        complete = bool(n.nud_state & N.NUD_VALID)
        perm = bool(n.nud_state & N.NUD_PERMANENT)
        mac = ":".join(f"{b:02x}" for b in n.ha) if complete and n.ha else ""
        if bsd:
            if complete:
                proc.out(f"? ({ntoa(n.key)}) at {mac} [ether] {'PERM ' if perm else ''}on {n.dev.name}\n")
            else:
                proc.out(f"? ({ntoa(n.key)}) at <incomplete> on {n.dev.name}\n")
            continue
        if complete:
            flags = "CM" if perm else "C"
            proc.out(f"{ntoa(n.key):<23.23}  {'ether':<8.8}{mac:<20.20}{flags:<6.6}{'':<15.15} {n.dev.name}\n")
        else:
            proc.out(f"{ntoa(n.key):<23.23}  {'':<8.8}{'(incomplete)':<20.20}{'':<6.6}{'':<15.15} {n.dev.name}\n")
    return 0


def _delete(proc: Proc, net, args, iface) -> int:
    if not args:
        proc.err("arp: need host name\n")
        return 255
    try:
        key = aton(args[0])
    except ValueError:
        proc.err(f"{args[0]}: Unknown host\n")
        return 255
    found = False
    for n in list(net.arp_tbl.entries.values()):
        if n.key == key and (iface is None or n.dev.name == iface) and n.nud_state & ~N.NUD_NOARP:
            net.arp_tbl.remove(n)
            found = True
    if not found:
        proc.err(f"No ARP entry for {args[0]}\n")
        return 255
    return 0


def _set(proc: Proc, net, args, iface) -> int:
    if len(args) < 2:
        proc.err("arp: need host name\n")
        return 255
    try:
        key = aton(args[0])
    except ValueError:
        proc.err(f"{args[0]}: Unknown host\n")
        return 255
    parts = args[1].split(":")
    try:
        if len(parts) != 6 or any(not p or len(p) > 2 for p in parts):
            raise ValueError
        mac = bytes(int(p, 16) for p in parts)
    except ValueError:
        proc.err("arp: invalid hardware address\n")
        return 255
    dev = net.dev_by_name(iface) if iface else None
    if iface and dev is None:
        proc.err("SIOCSARP: No such device\n")
        return 255
    if dev is None:
        try:
            rt = route.ip_route_output(net, key)
            dev = rt.dev
        except route.RouteError:
            proc.err("SIOCSARP: Network is unreachable\n")
            return 255
    temp = "temp" in args[2:]
    n = net.arp_tbl.lookup_or_create(key, dev)
    N.neigh_update(n, mac, N.NUD_REACHABLE if temp else N.NUD_PERMANENT,
                   N.NEIGH_UPDATE_F_OVERRIDE | N.NEIGH_UPDATE_F_ADMIN)
    return 0
