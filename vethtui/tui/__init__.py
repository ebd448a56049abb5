"""The Textual lab: console, link list, route and neighbour tables, live tcpdump views.

`make_app(lab, seed=..., speed=..., lang=...)` in `vethtui.tui.app` builds it.
Widgets read the simulated stack through engine events and read-only queries;
commands go through `Engine.run_command`.
"""
