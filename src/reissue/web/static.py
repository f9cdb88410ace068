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
from array import array
from collections.abc import Iterator, Mapping, Sequence
from importlib import resources

from markupsafe import Markup

from ..edition import page_keys
from ..export_stream import LazyList
from ..textrows import article_of, iter_text_rows, note_row, paragraph_row
from ..labels import issue_numbering
from .pages import count_lang, main_lang, page_blocks
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


class _Pages(Sequence):
    """The page dicts the template reads (idx, number, key, source; ``raw`` is read from the edition
    when a page's original is rendered), made when read: nothing per page is held but its key."""

    def __init__(self, raw_pages):
        self.numbers = [p.get("number") for p in raw_pages]
        self.sources = [p.get("source") or "" for p in raw_pages]
        self.keys = page_keys(self.numbers)

    def __len__(self) -> int:
        return len(self.numbers)

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        return {"idx": i, "number": self.numbers[i], "key": self.keys[i], "source": self.sources[i]}

    def get(self, i, default=None):  # by_idx of page_blocks: page index -> its dict
        return self[i] if isinstance(i, int) and 0 <= i < len(self) else default


class _EditsById(Mapping):
    """Edit dicts by id. An edition view's edits are made on access (their ids are their places);
    a plain edition's are looked up in a dict."""

    def __init__(self, edits):
        self._edits = edits
        self._by_id = None if isinstance(edits, LazyList) else {e.get("id", i): e for i, e in enumerate(edits)}

    def __getitem__(self, eid):
        if self._by_id is not None:
            return self._by_id[eid]
        if not isinstance(eid, int) or not 0 <= eid < len(self._edits):
            raise KeyError(eid)
        return self._edits[eid]

    def __iter__(self):
        return iter(self._by_id) if self._by_id is not None else iter(range(len(self._edits)))

    def __len__(self) -> int:
        return len(self._edits)


def _page_index(pairs) -> dict[int, array]:
    """page -> array of positions, from (page, position) pairs."""
    out: dict[int, array] = {}
    for page, pos in pairs:
        a = out.get(page)
        if a is None:
            a = out[page] = array("q")
        a.append(pos)
    return out


def _edit_pages(edits):
    src = getattr(edits, "source_items", None)  # an edition view: read the model's edits, make no dict
    if src is not None:
        return ((e.page, i) for i, e in enumerate(src))
    return ((e.get("page"), i) for i, e in enumerate(edits))


def iter_search_data(edition: dict, pages: Sequence, art_of: dict) -> Iterator[str]:
    """``embed_json(search_data(text_rows(edition), pages))`` in pieces, one text at a time."""
    yield '{"pages":['
    for i in range(len(pages)):
        p = pages[i]
        yield ("," if i else "") + embed_json({"key": p["key"], "label": page_label(p)})
    yield '],"texts":['
    n = 0
    for t in iter_text_rows(edition, art_of):
        for item in search_data([t], [])["texts"]:
            yield ("," if n else "") + embed_json(item)
            n += 1
    yield "]}"


def iter_edition_html(edition: dict) -> Iterator[str]:
    """edition.html in pieces (one or more per page), for writing page by page.

    Memory does not grow with the issue: a first pass over the texts notes the pages each is on (and
    the contents, the main language, the first heading); then each page is rendered from its own
    texts and edits, made when it is rendered (an edition view makes them from the Document), and the
    search data at the end of the file is written one text at a time."""
    md = edition.get("metadata") or {}
    pages = _Pages(edition.get("pages") or [])
    art_of = article_of(edition)
    firsts = {(a.get("paragraphs") or [None])[0] for a in edition.get("articles") or []}
    first_page: dict = {}
    langs: dict[str, int] = {}
    heading = None
    on_page: dict[int, array] = {}
    n_par = len(edition["paragraphs"])
    for t in iter_text_rows(edition, art_of):
        for i in t["pages"]:
            a = on_page.get(i)
            if a is None:
                a = on_page[i] = array("q")
            a.append(t["seq"])
        if t["item"] in firsts:
            first_page.setdefault(t["item"], t["first_page"])
        count_lang(langs, t)
        if heading is None and t["kind"] == "heading" and t["text"].strip():
            heading = heading_label(t["text"])
    edits = _EditsById(edition.get("edits") or [])
    edits_on = _page_index(_edit_pages(edition.get("edits") or []))
    toc = []
    for a in edition.get("articles") or []:
        first = (a.get("paragraphs") or [None])[0]
        if first_page.get(first) is not None:
            toc.append({"title": a.get("title"), "byline": a.get("byline"), "at": first,
                        "key": pages.keys[first_page[first]]})

    def row(seq: int) -> dict:
        if seq < n_par:
            return paragraph_row(edition["paragraphs"][seq], seq, art_of)
        return note_row(edition["footnotes"][seq - n_par], seq, art_of)

    def text_of(p):
        return page_blocks([row(seq) for seq in on_page.get(p["idx"], ())], p["idx"], pages, edits, [])

    def original_of(p):
        raw = edition["pages"][p["idx"]].get("raw") or ""
        return render_original(raw, {eid: edits[eid] for eid in edits_on.get(p["idx"], ())}, {})

    numbering = issue_label(md)
    if not numbering and not any(md.get(k) is not None for k in ("volume", "number", "year")):
        numbering = heading or ""  # as the library names it
    css = _inline(_asset("reader.css"), "style")
    js = _inline(_asset("query.js") + "\n" + _asset("edition.js"), "script")
    return _env().get_template("edition.html").generate(
        title=md.get("title") or "Untitled", numbering=numbering, csp=Markup(CSP), css=css, js=js,
        pages=pages, toc=toc, text_of=text_of, original_of=original_of, main_lang=main_lang(langs),
        href=lambda page, item: f"#p={page['key']}&at={item}",
        data=(Markup(c) for c in iter_search_data(edition, pages, art_of)))


# For export (streaming writers): write ``iter_edition_html(edition)``: its pieces come page by page
# (Jinja's generate()); it reads the edition's lists a few times each, item by item, so a lazy edition
# view (reissue.export_stream.edition_view) is never made whole.


def render_edition_html(edition: dict) -> str:
    return "".join(iter_edition_html(edition))
