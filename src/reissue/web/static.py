"""The self-contained reader page of one edition (``edition.html``).

One HTML file with the CSS, the JavaScript and the edition data inline (the data in a
``<script type="application/json">`` with ``<``, ``>`` and ``&`` escaped), no network access (a
Content-Security-Policy forbids it), working from ``file://``. The JavaScript renders the reading
view, page navigation (printed page numbers, previous/next, arrow keys, URL hash ``#p=N``), the
original/clean toggle with every change highlighted, footnotes with call-outs and search within the
issue; it only ever inserts OCR text as text nodes.
"""

from __future__ import annotations

import html
import json
from importlib import resources

from ..labels import issue_numbering

CSP = ("default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:; "
       "base-uri 'none'; form-action 'none'")


def _asset(name: str) -> str:
    return resources.files("reissue.web").joinpath("static", name).read_text(encoding="utf-8")


def embed_json(obj) -> str:
    """JSON safe inside a <script> element: no '<', '>' or '&' and no JS line separators."""
    s = json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
    return (s.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def _inline(code: str, tag: str) -> str:
    # asset files are ours, but keep a closing tag inside them from ending the element
    return code.replace(f"</{tag}", f"<\\/{tag}")


issue_label = issue_numbering  # the numbering line under the title


def render_edition_html(edition: dict) -> str:
    head, tail = edition_html_parts(edition.get("metadata") or {})
    return head + embed_json(edition) + tail


def edition_html_parts(md: dict) -> tuple[str, str]:
    """The page before and after the edition's data (``embed_json`` of the edition goes between):
    ``reissue.export`` writes the data between them item by item."""
    title = md.get("title") or "Untitled"
    h = lambda s: html.escape(str(s), quote=True)  # noqa: E731
    css = _inline(_asset("reader.css"), "style")
    js = _inline(_asset("query.js") + "\n" + _asset("edition.js"), "script")
    page = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="{CSP}">
<meta name="referrer" content="no-referrer">
<meta name="generator" content="reissue">
<title>{h(title)} {h(issue_label(md))}</title>
<link rel="icon" href="data:,">
<style>{css}
#results[hidden] {{ display: none; }}
.results-head {{ display: flex; justify-content: space-between; align-items: center; gap: 1rem; }}
.results-head p {{ margin: 0; }}
#results {{ margin: 0 0 1rem; }}
#results ol {{ max-height: 22rem; overflow: auto; margin: .6rem 0 0; }}
</style>
</head><body>
<a class="skip" href="#reader">Skip to the text</a>
<header class="bar"><div class="bar-in"><span class="brand">reissue<small>edition</small></span></div></header>
<main id="main">
<h1><span id="title">{h(title)}</span> <span class="muted" id="issue">{h(issue_label(md))}</span></h1>
<details id="contents" hidden><summary>Contents</summary><ol class="toc" id="toc"></ol></details>
<noscript><p class="notice">This reader needs JavaScript. The same text is in edition.txt and edition.md next to this file.</p></noscript>
<div class="reader" id="reader">
<nav class="pagelist" aria-label="Pages"><h2>Pages</h2><ol id="pagelist"></ol></nav>
<div>
<div class="toolbar"><div class="nav">
<a class="btn" id="prev" rel="prev" href="#">← Previous</a>
<span class="pageno" id="pageno" aria-live="polite"></span>
<a class="btn" id="next" rel="next" href="#">Next →</a></div>
<div class="tools"><a class="btn" id="toggle-original" role="button" aria-pressed="false" href="#">Original OCR</a>
<form id="search-form" role="search"><label class="visually-hidden" for="q">Search this issue</label>
<input id="q" type="search" placeholder="Search this issue" maxlength="500"><button type="submit">Find</button></form></div></div>
<section id="results" class="pane" hidden aria-label="Search results"><div class="results-head"><p id="results-count" role="status"></p>
<button type="button" id="results-close">Close</button></div><ol class="hits" id="results-list"></ol></section>
<div class="views">
<section class="pane clean" aria-label="Reading text"><h2><span>Reading text</span><span id="clean-label"></span></h2><div class="text" id="text"></div></section>
<section class="pane original" aria-label="Original OCR"><h2><span>Original OCR</span><span id="raw-source"></span></h2>
<ul class="legend"><li><i class="e-correct"></i>corrected</li><li><i class="e-furniture"></i>removed page furniture</li><li><i class="e-reflow"></i>joined line/hyphen</li><li><i class="e-notes"></i>note layout</li></ul>
<pre class="raw" id="raw"></pre></section>
</div></div></div>
</main>
<footer class="foot">Text produced by reissue from OCR. Every change is recorded; “Original OCR” shows the page as scanned text with each change marked.</footer>
<script type="application/json" id="edition-data">\0</script>
<script>{js}</script>
</body></html>
"""
    head, _, tail = page.partition('id="edition-data">\0')
    return head + 'id="edition-data">', tail
