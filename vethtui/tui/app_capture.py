"""The app's capture views: opening one (from the link list, its details, or the
console), the F5-F8 / Ctrl+W / Ctrl+S / Ctrl+T actions on the one in front, a closed
view's counters in the console, and a picked packet's explanation.

A mixin of VethApp (kept apart so the app module stays the layout and the event
pump); it uses the app's `net`, `console_net`, `engine`, `deliver_capture` and
`save_dir`. Textual finds the message handlers by name (`on_capture_area_closed`),
which works from a mixin where `@on` would not.
"""
from __future__ import annotations

import os
import time
from typing import Iterable, Optional

from textual.app import SystemCommand

from .. import netview
from ..i18n import _
from .ask import Ask
from .captures import CaptureArea
from .console import Console
from .explain_screen import ExplainScreen
from .links import LinkList
from .packet_log import PacketLog
from .topology import TopologyPane


class CaptureActions:
    """What the app does with capture views."""

    def on_link_list_capture_requested(self, message: LinkList.CaptureRequested) -> None:
        self.capture_on(message.name)

    def on_packet_log_explain_requested(self, message: PacketLog.ExplainRequested) -> None:
        self._explain_packet(message.skb_id)

    def on_topology_pane_packet_picked(self, message: TopologyPane.PacketPicked) -> None:
        self._explain_packet(message.skb_id)

    def _explain_packet(self, skb_id: int) -> None:
        if isinstance(self.screen, ExplainScreen):
            return
        self.query_one(TopologyPane).highlight_packet(skb_id)
        try:
            text = self.engine.explain_packet(skb_id)
        except Exception as err:   # the explainer's bug must not end the lab
            text = f"explain: internal error: {type(err).__name__}: {err}"
        self.push_screen(ExplainScreen(text, skb_id))

    def on_capture_area_closed(self, message: CaptureArea.Closed) -> None:
        console = self.query_one(Console)
        last = [line for line in message.lines
                if line.endswith(("captured", "received by filter", "dropped by kernel"))]
        console.write(_("tcpdump on {view}: view closed").format(view=message.title) + "\n"
                      + "".join(line + "\n" for line in last))

    def capture_on(self, name: str, net=None) -> None:
        """Ask for a filter, then open the capture (`capture_with`)."""
        from ..tools.tcpdump import api
        net = net if net is not None else self.net

        def done(flt: Optional[str]) -> None:
            if flt is not None:
                self.capture_with(name, net, flt)
        self.push_screen(Ask(_("Capture on {name}").format(name=name),
                             _("tcpdump filter (arp, icmp, host 192.168.2.12, ...; empty: all):"),
                             "", lambda text: api.check_filter(text, name)), done)

    def capture_with(self, name: str, net=None, flt: str = "") -> None:
        """Open a live view on device `name` of `net` (the panes' namespace): typed in
        the console when it is free, with `ip netns exec NS` when the console is
        elsewhere; opened directly when no command line can reach it."""
        net = net if net is not None else self.net
        console = self.query_one(Console)
        line: Optional[str] = f"tcpdump -i {name} -n" + (f" {flt}" if flt else "")
        if net is not self.console_net:
            line = f"ip netns exec {net.name} {line}" if net.name in self.engine.world.netns \
                else None
        if line is not None and not console.busy:
            console.submit(line)
            return
        link = netview.link_up(net, name)
        if link is None:
            return
        ifindex, up = link
        if not up:
            self.notify(f"tcpdump: {name}: That device is not up", severity="error")
            return
        match = None
        if flt:
            from ..tools.tcpdump import api
            match = api.view_filter(flt, name)
        self.engine.open_capture(net, name, ifindex, match=match)

    async def action_close_capture(self) -> None:
        area = self.query_one(CaptureArea)
        view = area.active_view
        if view is not None:
            await area.close_view(view)
            self.refresh_bindings()

    def action_stop_capture(self) -> None:
        area = self.query_one(CaptureArea)
        if area.active_view is not None:
            area.stop_view(area.active_view)
            self.refresh_bindings()

    def action_pause_capture(self) -> None:
        area = self.query_one(CaptureArea)
        if area.active_view is not None:
            area.toggle_pause(area.active_view)

    def action_clear_capture(self) -> None:
        view = self.query_one(CaptureArea).active_view
        if view is not None:
            view.clear()
            view.session.clear()      # what the view holds, and so what it would export

    def action_export_capture(self) -> None:
        """Ctrl+S: write what the view holds to a pcap file the user names
        (Ethernet, or Linux cooked v2 for a view on any), as tcpdump -w would."""
        view = self.query_one(CaptureArea).active_view
        if view is None:
            return
        if self.deliver_capture is not None:
            self.deliver_capture(view.session)
            return
        cs = view.session
        stamp = time.strftime("%H%M%S", time.gmtime(self.engine.world.epoch
                                                     + self.engine.world.sched.now))
        default = f"vethtui-{cs.title.replace(':', '-')}-{stamp}.pcap"
        if self.save_dir is not None:
            default = os.path.join(self.save_dir, default)

        def done(path: Optional[str]) -> None:
            if not path:
                return
            full = os.path.abspath(os.path.expanduser(path))
            try:
                n = cs.export(full)
            except OSError as err:
                self.notify(f"{full}: {err.strerror or err}", severity="error")
                return
            # the absolute path: where the file landed, whatever the current directory
            self.notify((_("{n} packet written to {path}") if n == 1 else
                         _("{n} packets written to {path}")).format(n=n, path=full))
        self.push_screen(Ask(_("Save {view} as pcap").format(view=cs.title),
                             _("{n} packets in this view; file to write "
                               "(tcpdump -r and Wireshark read it):").format(n=len(cs.events)),
                             default), done)

    def action_next_capture(self) -> None:
        self.query_one(CaptureArea).next_view()

    def action_toggle_tiles(self) -> None:
        """Ctrl+T: every capture view side by side, or one at a time under tabs."""
        tiled = self.query_one(CaptureArea).toggle_tiled()
        self.notify(_("Capture views: side by side") if tiled else
                    _("Capture views: one tab each"),
                    timeout=2)

    def _capture_selected(self) -> None:
        name = self.query_one(LinkList).selected_name()
        if name:
            self.capture_on(name)

    def _capture_system_commands(self) -> Iterable[SystemCommand]:
        """The palette's capture entries (while a view is open)."""
        if self.query_one(CaptureArea).active_view is not None:
            yield SystemCommand(_("Capture: pause or resume the view"), "F5",
                                self.action_pause_capture)
            yield SystemCommand(_("Capture: clear the view"), "F6", self.action_clear_capture)
            yield SystemCommand(_("Capture: next view"), "F7", self.action_next_capture)
            yield SystemCommand(_("Capture: views side by side or as tabs"), "Ctrl+T",
                                self.action_toggle_tiles)
            yield SystemCommand(_("Capture: stop (print tcpdump's counters)"), "F8",
                                self.action_stop_capture)
            yield SystemCommand(_("Capture: close the view"), "Ctrl+W", self.action_close_capture)
            yield SystemCommand(_("Capture: save the view as a pcap file"), "Ctrl+S",
                                self.action_export_capture)
