"""`vethtui serve`: the lab in a browser, one vethtui process per browser tab.

A classroom server built on textual-serve (the Textual authors' package): each
websocket gets its own `python -m vethtui --browser-session LAB` process (its own
simulated world, lab progress and scratch files) speaking Textual's web driver
protocol. The modules:

    catalogue.py  which labs the landing page offers (built-in and shipped lab files)
    pages.py      the landing page, the terminal page, the "class is full" page
    server.py     the aiohttp server: sessions, the cap, idle sessions, memory limits
    session.py    the browser session's side: no host files, downloads to the browser
"""
