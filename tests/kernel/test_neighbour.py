"""The neighbour state machine on virtual time: INCOMPLETE, FAILED, REACHABLE, STALE, DELAY, PROBE."""
from __future__ import annotations

from vethtui.kernel import neighbour as N
from vethtui.kernel.inet import aton


def _pair(sh, both_addresses=True):
    sh("ip link set lo up", "ip link add veth0 address 02:00:00:00:00:0a type veth peer name veth1 "
       "address 02:00:00:00:00:0b", "ip addr add 192.168.2.11/24 dev veth0",
       "ip link set veth0 up", "ip link set veth1 up")
    if both_addresses:
        sh("ip addr add 192.168.2.12/24 dev veth1",
           "sysctl -w net.ipv4.conf.veth1.accept_local=1")


def _neigh(sh, ip, dev):
    return sh.net.arp_tbl.lookup(aton(ip), sh.net.dev_by_name(dev))


def test_unanswered_resolution_fails_after_three_probes(sh):
    _pair(sh, both_addresses=False)
    sh("ping -c 1 -W 1 192.168.2.50")     # returns after 1 s, resolution goes on
    n = _neigh(sh, "192.168.2.50", "veth0")
    assert n.nud_state == N.NUD_INCOMPLETE
    sched = sh.world.sched
    sched.run_due(sched.now + 2.5)
    assert n.nud_state == N.NUD_FAILED and n.probes == 6   # ucast 3 + mcast 3 counted


def test_answered_resolution_is_reachable_then_stale(sh):
    _pair(sh)
    sh("ping -c 1 -I veth0 192.168.2.12")
    n = _neigh(sh, "192.168.2.12", "veth0")
    assert n.nud_state == N.NUD_REACHABLE and n.ha == bytes.fromhex("02000000000b")
    asker = _neigh(sh, "192.168.2.11", "veth1")
    assert asker.nud_state == N.NUD_STALE      # learnt from the request, not confirmed
    sched = sh.world.sched
    sched.run_due(sched.now + 46)               # reachable_time is at most 1.5 * 30 s
    assert n.nud_state == N.NUD_STALE


def test_stale_entry_used_goes_delay_then_probe_then_reachable(sh):
    _pair(sh)
    sh("ping -c 1 -I veth0 192.168.2.12")
    sched = sh.world.sched
    sched.run_due(sched.now + 46)
    n = _neigh(sh, "192.168.2.12", "veth0")
    assert n.nud_state == N.NUD_STALE
    sh("ping -c 1 -W 1 -I veth0 192.168.2.12")
    assert n.nud_state == N.NUD_DELAY
    sched.run_due(sched.now + 5.5)              # delay_first_probe_time, then a unicast probe
    assert n.nud_state == N.NUD_REACHABLE


def test_permanent_entries_ignore_arp_and_survive_flush(sh):
    _pair(sh, both_addresses=False)
    sh("ip neigh add 192.168.2.60 lladdr 02:00:00:00:00:60 dev veth0", "ip neigh flush all")
    n = _neigh(sh, "192.168.2.60", "veth0")
    assert n.nud_state == N.NUD_PERMANENT
    assert not N.neigh_update(n, bytes(6), N.NUD_STALE, N.NEIGH_UPDATE_F_OVERRIDE)


def test_queued_packets_get_host_unreachable_on_failure(sh):
    _pair(sh, both_addresses=False)
    out = sh("ping -c 2 192.168.2.50").output
    assert out.count("Destination Host Unreachable") == 2
