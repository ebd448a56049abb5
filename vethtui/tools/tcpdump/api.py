"""What a capture view needs from tcpdump, without the UI: filters and pcap export.

    from vethtui.tools.tcpdump import api

    flt = api.view_filter("icmp and host 192.168.2.12", iface="veth0")   # or FilterError
    if flt(ev): ...                       # ev: a kernel CaptureEvent
    api.check_filter("arp and", iface="any")
        -> "tcpdump: can't parse filter expression: syntax error"  (None if fine)
    api.export_pcap("/tmp/view.pcap", events, iface="any", epoch=world.epoch)
        -> number of packets written (OSError if the file cannot be written)
    fmt = api.formatter(iface="veth0", epoch=world.epoch, opts="-n -e -v")
    fmt.line(ev) -> "02:00:... > ...: ..." (the -v continuation, -x dump lines included)

A view on "any" captures Linux cooked v2, so its filter is compiled for that
link type (`ether host` is refused there, exactly as tcpdump refuses it) and its
export is a LINUX_SLL2 file, as `tcpdump -i any -w` writes; a view on one device
uses Ethernet. `epoch` is World.epoch (the wall-clock time of virtual time 0).
"""
from __future__ import annotations

import shlex
from typing import Iterable, Optional

from .filter import (DLT_EN10MB, DLT_LINUX_SLL2, Filter, FilterError,  # noqa: F401
                     compile_filter)
from .main import LineFormatter, TcpdumpOpts, TcpdumpUsage, parse_args
from .pcap import PcapWriter, open_pcap, write_events  # noqa: F401


def _linktype(iface: Optional[str]) -> int:
    return DLT_LINUX_SLL2 if iface is not None and iface.startswith("any") else DLT_EN10MB


def view_filter(text: str, iface: Optional[str] = None, netmask: int = 0) -> Filter:
    """Compile a filter typed when opening a view on `iface`; raises FilterError
    (its .message is tcpdump's text after "tcpdump: ")."""
    return compile_filter(text or "", _linktype(iface), netmask=netmask)


def check_filter(text: str, iface: Optional[str] = None) -> Optional[str]:
    """None if tcpdump would accept the filter on `iface`, else its error line."""
    try:
        view_filter(text, iface)
    except FilterError as err:
        return f"tcpdump: {err.message}"
    return None


def export_pcap(path: str, events: Iterable, iface: Optional[str] = None,
                epoch: float = 0.0) -> int:
    """Write a view's CaptureEvents to `path` as `tcpdump -i IFACE -w PATH` would."""
    return write_events(path, events, any_iface=_linktype(iface) == DLT_LINUX_SLL2,
                        epoch=epoch)


def pcap_bytes(events: Iterable, iface: Optional[str] = None,
               epoch: float = 0.0) -> tuple[bytes, int]:
    """What `export_pcap` would write, as bytes (a browser download), and how many packets."""
    import io
    buf = io.BytesIO()
    w = PcapWriter("", any_iface=_linktype(iface) == DLT_LINUX_SLL2, epoch=epoch, file=buf)
    for ev in events:
        w.write(ev)
    w.flush()
    return buf.getvalue(), w.count


def formatter(iface: Optional[str] = None, epoch: float = 0.0,
              opts: str = "-n") -> LineFormatter:
    """A LineFormatter for tcpdump options given as a string ("-n -e -v -x")."""
    try:
        o = parse_args(["tcpdump"] + shlex.split(opts))
    except TcpdumpUsage as u:
        raise ValueError(u.message.splitlines()[0]) from None
    return LineFormatter(o, _linktype(iface) == DLT_LINUX_SLL2, epoch)


__all__ = ["view_filter", "check_filter", "export_pcap", "formatter", "compile_filter",
           "write_events", "open_pcap", "Filter", "FilterError", "LineFormatter",
           "TcpdumpOpts", "PcapWriter"]
