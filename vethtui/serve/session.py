"""The browser session's side of `vethtui serve` (the process one tab talks to).

`seal(app)` makes the app keep to itself: the console's shell writes and reads
no host file (`tcpdump -w` goes to the scratch file system), and files leave
only as browser downloads through Textual's delivery API (`App.deliver_binary`,
which textual-serve turns into a single-use /download/KEY URL): Ctrl+S on a
capture view, and the `download FILE` command.
"""
from __future__ import annotations

import io
import time

PCAP_MIME = "application/vnd.tcpdump.pcap"


def seal(app) -> None:
    from ..engine import WorldReplaced
    from ..i18n import _
    from ..tools.tcpdump import api

    engine = app.engine

    def deliver(name: str, data: bytes) -> None:
        mime = PCAP_MIME if name.endswith((".pcap", ".cap")) else "application/octet-stream"
        app.deliver_binary(io.BytesIO(data), save_filename=name, mime_type=mime)

    def deliver_capture(cs) -> None:
        data, n = api.pcap_bytes(list(cs.events), iface="any" if cs.ifindex is None else cs.iface,
                                 epoch=engine.world.epoch)
        stamp = time.strftime("%H%M%S", time.gmtime(engine.world.epoch + engine.world.sched.now))
        name = f"vethtui-{cs.title.replace(':', '-')}-{stamp}.pcap"
        deliver(name, data)
        app.notify(_("{n} packets sent to the browser as {name}").format(n=n, name=name))

    def apply(session) -> None:
        session.host_files = False
        session.deliver = deliver

    apply(engine.session)
    # a lab reset gives the console a new shell session: seal that one too
    engine.subscribe(lambda ev: apply(engine.session) if isinstance(ev, WorldReplaced) else None)
    app.deliver_capture = deliver_capture
    # what redraws an idle screen costs every session the server holds: a ticking title
    # (a full layout each change) and a blinking cursor (two redraws a second)
    app.title_clock = False
    from ..tui.prompt import CommandInput
    CommandInput.BLINK = False     # this process holds this one app
