"""The HTML a classroom server shows: the landing page, the terminal page, "full".

Plain strings with every value escaped; no external resources (a classroom may
have no internet): the terminal's font and script come from textual-serve's
static files, served by the same server.
"""
from __future__ import annotations

from html import escape

from ..i18n import SUPPORTED, gettext_in
from .catalogue import LabEntry

LANG_NAMES = {"en": "English", "zh": "中文"}

STYLE = """
@font-face { font-family: "Roboto Mono"; src: url("/static/fonts/RobotoMono-VariableFont_wght.ttf"); }
body { background: #0c181f; color: rgba(255,255,255,0.92); margin: 0;
       font-family: "Roboto Mono", menlo, monospace; }
main { max-width: 960px; margin: 0 auto; padding: 24px; }
h1 { font-size: 22px; } h2 { font-size: 17px; margin: 0 0 6px 0; }
.lab { background: #12232d; padding: 14px 18px; margin: 12px 0; border-left: 4px solid #5e0ba7; }
.lab p { margin: 4px 0; color: rgba(255,255,255,0.75); }
.lab .zh { color: rgba(255,255,255,0.65); }
a.open { display: inline-block; margin: 8px 12px 0 0; padding: 6px 16px; background: #5e0ba7;
         color: white; text-decoration: none; }
a.open:hover { background: #ac5af4; }
.note { color: rgba(255,255,255,0.6); font-size: 13px; }
"""


def _t(text: str, lang: str) -> str:
    return escape(gettext_in(text, lang))


def landing(catalogue: list[LabEntry], lang: str, sessions: int, max_sessions: int) -> str:
    items = []
    for e in catalogue:
        titles = "".join(
            f'<h2 class="{l}" lang="{l}">{escape(e.titles[l])}</h2>'
            for l in SUPPORTED if l == "en" or e.titles.get(l) != e.titles.get("en"))
        summaries = "".join(
            f'<p class="{l}" lang="{l}">{escape(e.summaries[l])}</p>'
            for l in SUPPORTED if e.summaries.get(l)
            and (l == "en" or e.summaries.get(l) != e.summaries.get("en")))
        links = "".join(
            f'<a class="open" href="/lab/{escape(e.name)}?lang={l}" '
            f'data-lab="{escape(e.name)}" data-lang="{l}">{_t("Open", l)} · {LANG_NAMES[l]}</a>'
            for l in ([lang] + [x for x in SUPPORTED if x != lang]) if l in e.languages)
        items.append(f'<section class="lab" id="lab-{escape(e.name)}">'
                     f'<div class="note">{escape(e.name)}</div>{titles}{summaries}{links}</section>')
    return f"""<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8"><title>vethtui</title>
<style>{STYLE}</style></head>
<body><main>
<h1>vethtui · {_t("Linux networking labs", lang)}</h1>
<p class="note">{_t("Each tab gets its own simulated machine: nothing you type runs on a real host.", lang)}
 {_t("Sessions", lang)}: {sessions}/{max_sessions}</p>
{''.join(items)}
</main></body></html>
"""


def terminal(title: str, websocket_url: str, lang: str, font_size: int = 16) -> str:
    """textual-serve's app page (its textual.js and xterm.css), without external fonts."""
    ended = _t("Session ended (closed, quit, or idle too long). Your work in it is gone.", lang)
    return f"""<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8"><title>{escape(title)}</title>
<link rel="stylesheet" href="/static/css/xterm.css" />
<script src="/static/js/textual.js"></script>
<style>
@font-face {{ font-family: "Roboto Mono"; src: url("/static/fonts/RobotoMono-VariableFont_wght.ttf"); }}
html, body {{ background: #0c181f; margin: 0; height: 100%; }}
#terminal {{ position: absolute; inset: 0; }}
.dialog {{ position: absolute; inset: 0; display: none; align-items: center;
          justify-content: center; z-index: 10; background: #0c181f; }}
.dialog .box {{ background: #12232d; color: rgba(255,255,255,0.95); padding: 32px;
               font-family: "Roboto Mono", monospace; text-align: center; max-width: 640px; }}
body.-closed .closed-dialog {{ display: flex; }}
.box a {{ color: #ac5af4; margin: 0 12px; }}
#start {{ display: none; }}
</style></head>
<body>
<div class="dialog closed-dialog"><div class="box">
  <p class="message">{ended}</p>
  <p><a href="" onclick="window.location.reload(); return false;">{_t("Restart", lang)}</a>
     <a href="/">{_t("All labs", lang)}</a></p>
</div></div>
<button id="start" type="button"></button>
<div id="terminal" class="textual-terminal" data-session-websocket-url="{escape(websocket_url)}"
     data-font-size="{int(font_size)}"></div>
</body></html>
"""


def full(lang: str, max_sessions: int) -> str:
    text = _t("The class is full: {n} sessions are running, the most this server allows.",
              lang).format(n=max_sessions)
    return f"""<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8"><title>vethtui: full</title>
<style>{STYLE}</style></head>
<body><main id="full"><h1>vethtui</h1><p>{text}</p>
<p>{_t("Try again in a minute: idle sessions are ended, and a closed tab frees its place.", lang)}</p>
<p><a class="open" href="">{_t("Try again", lang)}</a> <a class="open" href="/">{_t("All labs", lang)}</a></p>
</main></body></html>
"""
