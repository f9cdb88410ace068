"""The self-contained reader page of one edition (``edition.html``).

Rendered at export time from the same Jinja macros as the library server's reader
(``templates/_page.html``, fed by :func:`reissue.web.pages.page_blocks` and
:func:`reissue.web.render.render_original`): every page of the issue is in the file, as HTML, with its
original OCR. ``edition.js`` only adds behaviour: showing one page at a time (printed page numbers,
previous/next, arrow keys, URL hash ``#p=KEY``), the original/clean toggle, the contents and the
search within the issue (``query.js``, the library's query parser), which marks hits in the rendered
text. Without JavaScript every page shows, one after the other.

One HTML file with the CSS and JavaScript inline and the search texts in a
``<script type="application/json">`` (``<``, ``>`` and ``&`` escaped); no network access (a
Content-Security-Policy forbids it); works from ``file://``.
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Iterator

from markupsafe import Markup

from ..edition import page_keys
from ..index import text_rows
from ..labels import issue_numbering
from .pages import main_lang_of, page_blocks
from .render import heading_label, jinja_env, page_label, render_original

CSP = ("default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:; "
       "base-uri 'none'; form-action 'none'")

_ENV = None


def _env():
    global _ENV
    if _ENV is None:
        _ENV = jinja_env()
    return _ENV


def _asset(name: str) -> str:
    return resources.files("reissue.web").joinpath("static", name).read_text(encoding="utf-8")


def embed_json(obj) -> str:
    """JSON safe inside a <script> element: no '<', '>' or '&' and no JS line separators."""
    s = json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
    return (s.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def _inline(code: str, tag: str) -> Markup:
    # asset files are ours, but keep a closing tag inside them from ending the element
    return Markup(code.replace(f"</{tag}", f"<\\/{tag}"))


issue_label = issue_numbering  # the numbering line under the title


def search_data(rows: list[dict], pages: list[dict]) -> dict:
    """What the in-issue search needs: every text with the pages its parts are on."""
    texts = []
    for t in rows:
        parts = [[b["index"], b["offset"]] for b in t["page_breaks"] if b.get("index") is not None]
        if not parts and t["first_page"] is not None:
            parts = [[t["first_page"], 0]]
        if parts:
            texts.append({"id": t["item"], "kind": t["kind"], "text": t["text"], "parts": parts})
    return {"pages": [{"key": p["key"], "label": page_label(p)} for p in pages], "texts": texts}


def iter_edition_html(edition: dict) -> Iterator[str]:
    """edition.html in pieces (one or more per page), for writing page by page."""
    md = edition.get("metadata") or {}
    raw_pages = edition.get("pages") or []
    keys = page_keys([p.get("number") for p in raw_pages])
    pages = [{"idx": i, "number": p.get("number"), "key": keys[i], "source": p.get("source") or "",
              "raw": p.get("raw") or ""} for i, p in enumerate(raw_pages)]
    by_idx = {p["idx"]: p for p in pages}
    rows = text_rows(edition)
    on_page: dict[int, list[dict]] = {}
    for t in rows:
        for i in t["pages"]:
            on_page.setdefault(i, []).append(t)
    edits = {e.get("id", i): e for i, e in enumerate(edition.get("edits") or [])}
    edits_on: dict[int, dict[int, dict]] = {}
    for eid, e in edits.items():
        edits_on.setdefault(e["page"], {})[eid] = e
    first_page = {t["item"]: t["first_page"] for t in rows}
    toc = []
    for a in edition.get("articles") or []:
        first = (a.get("paragraphs") or [None])[0]
        if first_page.get(first) is not None:
            toc.append({"title": a.get("title"), "byline": a.get("byline"), "at": first,
                        "key": pages[first_page[first]]["key"]})

    def text_of(p):
        return page_blocks(on_page.get(p["idx"], []), p["idx"], by_idx, edits, [])

    def original_of(p):
        return render_original(p["raw"], edits_on.get(p["idx"], {}), {})

    numbering = issue_label(md)
    if not numbering and not any(md.get(k) is not None for k in ("volume", "number", "year")):
        numbering = next((heading_label(t["text"]) for t in rows if t["kind"] == "heading" and t["text"].strip()),
                         "")  # as the library names it
    css = _inline(_asset("reader.css"), "style")
    js = _inline(_asset("query.js") + "\n" + _asset("edition.js"), "script")
    return _env().get_template("edition.html").generate(
        title=md.get("title") or "Untitled", numbering=numbering, csp=Markup(CSP), css=css, js=js,
        pages=pages, toc=toc, text_of=text_of, original_of=original_of, main_lang=main_lang_of(rows),
        href=lambda page, item: f"#p={page['key']}&at={item}",
        data=Markup(embed_json(search_data(rows, pages))))


# For export (streaming writers): edition.html no longer embeds the edition's JSON, so there is no
# "page around the data" any more (edition_html_parts is gone). Write ``iter_edition_html(edition)``:
# its pieces come page by page (Jinja's generate()); it reads the edition's lists once each, so a
# lazy edition view (reissue.export_stream.edition_view) works too.


def render_edition_html(edition: dict) -> str:
    return "".join(iter_edition_html(edition))
