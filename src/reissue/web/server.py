"""The library web app (`reissue serve`): library, reader, search, review, JSON API.

A plain WSGI application (standard library only), served by ``wsgiref`` with one thread per
request. Routes:

    GET  /                                   library: titles, issues by year, counts
    GET  /edition/<id>                       -> first page of the issue
    GET  /edition/<id>/corrections           every correction of the issue, least confident first
    GET  /edition/<id>/page/<key>            reader (?view=original, ?hl=terms); key = printed page
                                             number when unique in the issue, else s<sequence>
    POST /edition/<id>/review                review decision (only with --review)
    GET  /search?q=&title=&year=&page=       search across the library (FTS5 syntax)
    GET  /api/search?q=&title=&year=&limit=&offset=
    GET  /api/editions
    GET  /api/edition/<id>                   metadata, pages and review decisions of one edition
    GET  /healthz
    GET  /static/reader.css|reader.js        assets (a fixed table: no request path reaches the disk)

Safety: every text from the library is HTML-escaped; a strict Content-Security-Policy forbids
inline script; the Host header must name the loopback address the server is bound to (against DNS
rebinding); POST requests need --review, a per-server CSRF token and a same-origin Origin header.
"""

from __future__ import annotations

import hmac
import html
import json
import queue
import re
import secrets
import sys
import threading
import time
import traceback
from http.cookies import SimpleCookie
from importlib import resources
from urllib.parse import parse_qs, quote, urlencode

import click

from ..errors import QueryError, ReissueError
from ..export import issue_numbering
from ..index import Library
from ..review import ACTIONS, decision_status, edit_expect, is_stale, overlay

ASSETS = {
    "reader.css": "text/css; charset=utf-8",
    "reader.js": "text/javascript; charset=utf-8",
}

CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "form-action 'self'; base-uri 'none'; frame-ancestors 'none'; connect-src 'self'")

STAGE_LABELS = {
    "correct": "OCR correction", "review": "Reviewer's correction", "furniture": "Removed page furniture",
    "reflow": "Line/paragraph join", "notes": "Footnote layout",
}

MAX_BODY = 64 * 1024

PAST = {"accept": "accepted", "reject": "rejected", "rewrite": "rewritten", "manual": "corrected"}


def h(s) -> str:
    return html.escape("" if s is None else str(s), quote=True)


def load_asset(name: str) -> bytes:
    return resources.files("reissue.web").joinpath("static", name).read_bytes()


class HTTPError(Exception):
    def __init__(self, status: int, message: str):
        self.status = status
        self.message = message


STATUS = {200: "200 OK", 204: "204 No Content", 303: "303 See Other", 400: "400 Bad Request",
          403: "403 Forbidden", 404: "404 Not Found", 405: "405 Method Not Allowed",
          413: "413 Payload Too Large", 500: "500 Internal Server Error"}


class Response:
    def __init__(self, body: str | bytes = b"", status: int = 200, ctype: str = "text/html; charset=utf-8",
                 headers: list[tuple[str, str]] | None = None):
        self.body = body.encode("utf-8") if isinstance(body, str) else body
        self.status = status
        self.headers = [("Content-Type", ctype)] + (headers or [])


def json_response(obj, status: int = 200) -> Response:
    return Response(json.dumps(obj, ensure_ascii=False), status, "application/json; charset=utf-8")


def redirect(location: str, headers=None) -> Response:
    return Response(b"", 303, "text/plain; charset=utf-8", [("Location", location)] + (headers or []))


def issue_label(e: dict) -> str:
    return issue_numbering(e) or e["id"]


def plural(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"


def page_label(p: dict) -> str:
    return f"p. {p['number']}" if p.get("number") is not None else f"[{p['idx'] + 1}]"


def hit_regex(terms: list[str]):
    pats = []
    for t in terms:
        t = t.strip()
        if not t:
            continue
        if t.endswith("*"):
            w = t.rstrip("*")
            if w:
                pats.append(r"\b" + re.escape(w) + r"\w*")
        else:
            pats.append(r"\b" + re.escape(t) + r"\b")
    if not pats:
        return None
    return re.compile("|".join(pats[:20]), re.IGNORECASE)


# ----------------------------------------------------------------------------------------------
# HTML rendering


def edit_tip(e: dict, decision: dict | None = None) -> str:
    stage = e["stage"]
    label = STAGE_LABELS.get(stage, stage)
    before, after = e["before"], e["after"]
    if stage in ("correct", "review"):
        what = f"{label}: “{before}” → “{after}”"
    elif after == "":
        what = f"{label}: removed “{before.strip() or repr(before)}”" if before.strip() else f"{label}: removed a line break"
    else:
        what = f"{label}: “{before}” → “{after}”" if before.strip() or after.strip() else f"{label}: line break joined"
    lines = [what, f"rule: {e['rule']} · confidence {float(e.get('confidence') or 0):.2f}"]
    if e.get("note"):
        lines.append(e["note"])
    if decision:
        lines.append(decision_line(decision))
    return "\n".join(lines)


def decision_line(d: dict) -> str:
    act = {"accept": "Accepted", "reject": "Rejected", "rewrite": "Rewritten", "manual": "Corrected"}.get(d["action"], d["action"])
    return f"{act} by {d['reviewer']} on {d['at'].replace('T', ' ').replace('Z', ' UTC')}"


def render_slice(item: dict, pieces: list[dict], lo: int, hi: int, rx, callouts: dict[int, dict]) -> str:
    """HTML of text[lo:hi] of one paragraph, with changes, search hits and note call-outs."""
    text = item["text"]
    hits = [(m.start(), m.end()) for m in rx.finditer(text)] if rx else []
    out = []
    for p in pieces:
        a, b = p["a"], p["b"]
        if b <= lo or a >= hi:
            if not (a == b and lo <= a < hi and (p["edit"] or p["manual"])):
                continue
        if p["edit"] is not None or p["manual"]:
            d = p["decision"]
            cls = ["chg"]
            if p["manual"]:
                cls.append("manual")
                tip = f"Reviewer's correction: “{d.get('expect')}” → “{d.get('text')}”\n{decision_line(d)}"
            else:
                if d:
                    cls.append("d-" + d["action"])
                tip = edit_tip(p["edit"], d)
            inner = h(p["text"])
            if any(s < b and a < e for s, e in hits):
                inner = f'<mark class="hit">{inner}</mark>'
            attrs = f' data-edit="{p["edit"]["id"]}"' if p["edit"] else ""
            out.append(f'<span class="{" ".join(cls)}" tabindex="0" data-tip="{h(tip)}"{attrs}>{inner}</span>')
            continue
        s0, e0 = max(a, lo), min(b, hi)
        # cut points: hits and call-outs inside this verbatim piece
        cuts = {s0, e0}
        for s, e in hits:
            for x in (s, e):
                if s0 < x < e0:
                    cuts.add(x)
        for c, fn in callouts.items():
            for x in (c, c + len(fn["marker"] or "")):
                if s0 < x < e0:
                    cuts.add(x)
        pts = sorted(cuts)
        chunk = []
        for x, y in zip(pts, pts[1:]):
            seg = text[x:y]
            fn = callouts.get(x)
            if fn and text[x:x + len(fn["marker"] or "")] == fn["marker"] and y - x == len(fn["marker"]):
                chunk.append(f'<sup class="callout"><a href="#fn-{h(fn["item"])}" id="fnref-{h(fn["item"])}" '
                             f'aria-label="note {h(fn["marker"])}">{h(seg)}</a></sup>')
            elif any(s <= x and y <= e for s, e in hits):
                chunk.append(f'<mark class="hit">{h(seg)}</mark>')
            else:
                chunk.append(h(seg))
        out.append(f'<span class="t" data-a="{s0}">{"".join(chunk)}</span>')
    return "".join(out)


def render_original(raw: str, edits: dict[int, dict], decisions_by_edit: dict[int, dict]) -> str:
    active = sorted((e for e in edits.values() if e.get("superseded_by") is None),
                    key=lambda e: (e["start"], e["end"], e["id"]))
    out, pos = [], 0
    for e in active:
        s, t = e["start"], e["end"]
        if s < pos or t > len(raw):
            continue  # overlapping or out of range: show the raw text as is
        out.append(h(raw[pos:s]))
        tip = h(edit_tip(e, decisions_by_edit.get(e["id"])))
        cls = f"e e-{h(e['stage'])}"
        if s == t:
            out.append(f'<span class="{cls} e-ins" tabindex="0" data-tip="{tip}"></span>')
        else:
            out.append(f'<span class="{cls}" tabindex="0" data-tip="{tip}">{h(raw[s:t])}</span>')
        pos = t
    out.append(h(raw[pos:]))
    return "".join(out)


LEGEND = ('<ul class="legend"><li><i class="e-correct"></i>corrected</li><li><i class="e-furniture"></i>removed '
          'page furniture</li><li><i class="e-reflow"></i>joined line/hyphen</li><li><i class="e-notes"></i>'
          'note layout</li></ul>')


class App:
    def __init__(self, db_path: str, *, review: bool = False, allowed_hosts: set[str] | None = None,
                 reviewer: str | None = None):
        self.db_path = db_path
        self.review = review
        self.allowed_hosts = allowed_hosts
        self.default_reviewer = reviewer
        self.csrf = secrets.token_urlsafe(24)
        self._local = threading.local()
        self._pool: queue.SimpleQueue = queue.SimpleQueue()
        self._write_lock = threading.Lock()
        self.assets = {name: load_asset(name) for name in ASSETS}
        lib = Library(db_path, readonly=not review, create=review)  # fail early on a bad library
        lib.close()

    # -- plumbing
    @property
    def lib(self) -> Library:
        """The connection of the request being answered (from a small pool; one per thread)."""
        lib = getattr(self._local, "lib", None)
        if lib is None:
            try:
                lib = self._pool.get_nowait()
            except queue.Empty:
                lib = Library(self.db_path, readonly=not self.review, create=False)
            self._local.lib = lib
        return lib

    def _release(self):
        lib = getattr(self._local, "lib", None)
        if lib is not None:
            self._local.lib = None
            self._pool.put(lib)

    def __call__(self, environ, start_response):
        try:
            return self._answer(environ, start_response)
        finally:
            self._release()

    def _answer(self, environ, start_response):
        try:
            resp = self.dispatch(environ)
        except HTTPError as exc:
            if environ.get("PATH_INFO", "").startswith("/api/"):
                resp = json_response({"error": exc.message}, exc.status)
            else:
                resp = Response(self.page(STATUS[exc.status].split(" ", 1)[1],
                                          f'<h1>{h(STATUS[exc.status].split(" ", 1)[1])}</h1><p class="error">{h(exc.message)}</p>'
                                          '<p><a href="/">Back to the library</a></p>'), exc.status)
        except Exception:  # pragma: no cover - logged, never shown
            traceback.print_exc(file=sys.stderr)
            resp = Response(self.page("Error", '<h1>Something went wrong</h1><p class="error">The server could not '
                                      'answer this request.</p>'), 500)
        headers = resp.headers + [
            ("Content-Length", str(len(resp.body))),
            ("X-Content-Type-Options", "nosniff"), ("Referrer-Policy", "same-origin"),
            ("X-Frame-Options", "DENY"), ("Content-Security-Policy", CSP),
            ("Cache-Control", "no-store" if not environ.get("PATH_INFO", "").startswith("/static/") else "max-age=300"),
        ]
        start_response(STATUS.get(resp.status, f"{resp.status} Status"), headers)
        return [resp.body] if environ.get("REQUEST_METHOD") != "HEAD" else [b""]

    def dispatch(self, environ) -> Response:
        method = environ.get("REQUEST_METHOD", "GET")
        if self.allowed_hosts is not None:
            host = (environ.get("HTTP_HOST") or "").lower()
            if host not in self.allowed_hosts:
                raise HTTPError(403, "unexpected Host header")
        raw_path = environ.get("PATH_INFO", "/") or "/"
        try:  # wsgiref decodes the path as latin-1; get the UTF-8 text back
            path = raw_path.encode("latin-1").decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            raise HTTPError(404, "no such page")
        if len(path) > 512 or "\x00" in path:
            raise HTTPError(404, "no such page")
        qs = environ.get("QUERY_STRING", "")
        if len(qs) > 4096:
            raise HTTPError(400, "the query string is too long")
        try:
            q = {k: v[0] for k, v in parse_qs(qs, keep_blank_values=True, errors="strict").items()}
        except (UnicodeDecodeError, ValueError):
            raise HTTPError(400, "the query string is not valid UTF-8")
        if method == "POST":
            m = re.fullmatch(r"/edition/([a-z0-9-]{1,120})/review", path)
            if not m:
                raise HTTPError(405, "only GET here")
            return self.post_review(environ, m.group(1))
        if method not in ("GET", "HEAD"):
            raise HTTPError(405, "method not allowed")
        if path == "/":
            return self.library_page()
        if path == "/healthz":
            return json_response({"status": "ok", "editions": len(self.lib.editions()), "review": self.review})
        if path == "/favicon.ico":
            return Response(b"", 204, "image/x-icon")
        if path == "/search":
            return self.search_page(q)
        if path == "/api/search":
            return self.api_search(q)
        if path == "/api/editions":
            return json_response({"editions": [self.edition_json(e) for e in self.lib.editions()]})
        m = re.fullmatch(r"/static/([a-z]+\.(?:css|js))", path)
        if m:
            name = m.group(1)
            if name not in self.assets:
                raise HTTPError(404, "no such file")
            return Response(self.assets[name], 200, ASSETS[name])
        m = re.fullmatch(r"/api/edition/([a-z0-9-]{1,120})", path)
        if m:
            return self.api_edition(m.group(1))
        m = re.fullmatch(r"/edition/([a-z0-9-]{1,120})/?", path)
        if m:
            ed = self.get_edition(m.group(1))
            pages = self.lib.pages(ed["id"])
            return redirect(f"/edition/{ed['id']}/page/{quote(pages[0]['key'])}")
        m = re.fullmatch(r"/edition/([a-z0-9-]{1,120})/corrections", path)
        if m:
            return self.corrections_page(m.group(1), q, self.cookie_reviewer(environ))
        m = re.fullmatch(r"/edition/([a-z0-9-]{1,120})/page/(s?[0-9]{1,9})", path)
        if m:
            return self.reader_page(m.group(1), m.group(2), q, self.cookie_reviewer(environ))
        raise HTTPError(404, "no such page")

    @staticmethod
    def cookie_reviewer(environ) -> str:
        from urllib.parse import unquote

        try:
            c = SimpleCookie(environ.get("HTTP_COOKIE", ""))
        except Exception:
            return ""
        m = c.get("reissue_reviewer")
        return " ".join(unquote(m.value).split())[:60] if m else ""

    def get_edition(self, eid: str) -> dict:
        ed = self.lib.edition(eid)
        if ed is None:
            raise HTTPError(404, "no such edition in this library")
        return ed

    @staticmethod
    def edition_json(e: dict) -> dict:
        return {"id": e["id"], "title": e["title"], "volume": e["volume"], "number": e["number"],
                "year": e["year"], "pages": e["page_count"], "paragraphs": e["n_paragraphs"],
                "footnotes": e["n_footnotes"], "corrections": e["n_corrections"],
                "decisions": e.get("n_decisions", 0), "url": f"/edition/{e['id']}"}

    def page(self, title: str, body: str, *, body_class: str = "", q: str = "") -> str:
        return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{h(title)} · reissue library</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/static/reader.css">
<script src="/static/reader.js" defer></script>
</head><body class="{h(body_class)}">
<a class="skip" href="#main">Skip to the text</a>
<header class="bar"><div class="bar-in">
<a class="brand" href="/">reissue<small>library</small></a>
<form action="/search" method="get" role="search"><label class="visually-hidden" for="q-top">Search the library</label>
<input id="q-top" type="search" name="q" value="{h(q)}" placeholder="Search the library" maxlength="500">
<button type="submit">Search</button></form>
</div></header>
<main id="main">{body}</main>
<footer class="foot">Texts are OCR, corrected automatically{'; review is on' if self.review else ''}. Every change is recorded and can be seen with “Original OCR”.</footer>
</body></html>"""

    # -- pages
    def library_page(self) -> Response:
        eds = self.lib.editions()
        by_title: dict[str, list[dict]] = {}
        for e in eds:
            by_title.setdefault(e["title"] or "Untitled", []).append(e)
        npages = sum(e["page_count"] for e in eds)
        nwords = sum(e["n_words"] or 0 for e in eds)
        parts = [f"<h1>Library</h1><ul class=\"stats\"><li><b>{len(by_title)}</b>titles</li><li><b>{len(eds)}</b>issues</li>"
                 f"<li><b>{npages:,}</b>pages</li><li><b>{nwords:,}</b>words</li></ul>"]
        if not eds:
            parts.append('<p class="notice">The library is empty. Add editions with '
                         '<code>reissue index EDITION_DIR --db LIBRARY</code>.</p>')
        for title, items in by_title.items():
            parts.append(f'<section class="title-block"><h2>{h(title)}</h2>')
            years: dict = {}
            for e in items:
                years.setdefault(e["year"], []).append(e)
            for y, lst in sorted(years.items(), key=lambda kv: (kv[0] is None, kv[0] or 0)):
                parts.append(f'<div class="year"><span>{h(y if y is not None else "—")}</span><ul class="issues">')
                for e in lst:
                    extra = f" · {e['n_decisions']} reviewed" if e.get("n_decisions") else ""
                    parts.append(f'<li><a href="/edition/{h(e["id"])}"><b>{h(issue_label(e))}</b>'
                                 f'<small>{plural(e["page_count"], "page")} · {plural(e["n_footnotes"], "note")} · '
                                 f'{plural(e["n_corrections"], "correction")}{extra}</small></a></li>')
                parts.append("</ul></div>")
            parts.append("</section>")
        return Response(self.page("Library", "".join(parts)))

    def reader_page(self, eid: str, key: str, q: dict, reviewer: str = "") -> Response:
        lib = self.lib
        ed = self.get_edition(eid)
        pages = lib.pages(eid)
        pg = lib.page(eid, key)
        if pg is None:
            raise HTTPError(404, "no such page in this issue")
        idx = pg["idx"]
        keys = {p["idx"]: p for p in pages}
        view_original = q.get("view") == "original"
        hl = q.get("hl", "")[:300]
        rx = hit_regex(hl.split()) if hl else None
        texts = lib.texts_on_page(eid, idx)
        paragraphs = [t for t in texts if t["kind"] != "footnote"]
        notes = [t for t in texts if t["kind"] == "footnote"]
        decisions = lib.decisions(eid)
        ids = {s[5] for t in texts for s in t["spans"] if s[5] is not None}
        edits = lib.edits(eid, ids=list(ids))
        page_edits = lib.edits(eid, page=idx)
        status = {d["id"]: decision_status(lib, eid, d) for d in decisions}
        live = [d for d in decisions if status[d["id"]] == "ok"]
        dec_by_edit = {d["edit"]: d for d in live if d["edit"] is not None}
        # call-outs of the notes on this page, by paragraph
        callouts: dict[str, dict[int, dict]] = {}
        all_notes = notes
        for n in all_notes:
            if n["paragraph"] and n["callout"] is not None:
                callouts.setdefault(n["paragraph"], {})[n["callout"]] = n
        qs_view = "?view=original" if view_original else ""

        def plink(p):
            return f"/edition/{eid}/page/{quote(p['key'])}"

        body = []
        body.append(f'<p class="crumbs"><a href="/">Library</a> › {h(ed["title"] or "Untitled")} › '
                    f'<a href="/edition/{h(eid)}">{h(issue_label(ed))}</a></p>')
        body.append(f'<h1>{h(ed["title"] or "Untitled")} <span class="muted">{h(issue_label(ed))}</span></h1>')
        if ed["n_corrections"]:
            body.append(f'<p class="issue-links"><a href="/edition/{h(eid)}/corrections">'
                        f'{"Review" if self.review else "List"} all {plural(ed["n_corrections"], "correction")} '
                        'in this issue</a></p>')
        body.append('<div class="reader"><nav class="pagelist" aria-label="Pages"><h2>Pages</h2><ol>')
        for p in pages:
            cur = ' aria-current="page"' if p["idx"] == idx else ""
            body.append(f'<li><a href="{h(plink(p) + qs_view)}" data-keep-view{cur}>'
                        f'{h(p["number"] if p["number"] is not None else "[" + str(p["idx"] + 1) + "]")}</a></li>')
        body.append("</ol></nav><div>")
        prev = keys.get(idx - 1)
        nxt = keys.get(idx + 1)

        def navbtn(p, rel, label):
            if p is None:
                return f'<a class="btn" rel="{rel}" aria-disabled="true" href="#">{label}</a>'
            return f'<a class="btn" rel="{rel}" data-keep-view href="{h(plink(p) + qs_view)}">{label}</a>'

        orig_href = plink(pg) + ("" if view_original else "?view=original")
        body.append('<div class="toolbar"><div class="nav">' + navbtn(prev, "prev", "← Previous") +
                    f'<span class="pageno">{h(page_label(pg))} <span class="muted">· {idx + 1} of {len(pages)}</span></span>' +
                    navbtn(nxt, "next", "Next →") + '</div><div class="tools">' +
                    f'<a class="btn" id="toggle-original" role="button" aria-pressed="{"true" if view_original else "false"}" '
                    f'href="{h(orig_href)}">Original OCR</a>' +
                    f'<form action="/search" method="get" role="search"><input type="hidden" name="edition" value="{h(eid)}">'
                    f'<label class="visually-hidden" for="q-issue">Search this issue</label>'
                    f'<input id="q-issue" type="search" name="q" placeholder="Search this issue" value="{h(hl)}" maxlength="500">'
                    '<button type="submit">Find</button></form></div></div>')
        # clean text
        body.append('<div class="views"><section class="pane clean" aria-label="Reading text"><h2>'
                    f'<span>Reading text</span><span>{h(page_label(pg))}</span></h2><div class="text">')
        if not paragraphs:
            body.append('<p class="empty">No body text on this page.</p>')
        for t in paragraphs:
            pbs = t["page_breaks"] or [{"index": t["first_page"], "offset": 0}]
            mine = [i for i, b in enumerate(pbs) if b["index"] == idx]
            if mine:
                i = mine[0]
                lo = pbs[i]["offset"]
                hi = pbs[i + 1]["offset"] if i + 1 < len(pbs) else len(t["text"])
            else:
                i, lo, hi = 0, 0, len(t["text"])
            pieces = overlay(t, edits, [d for d in live if d["edit"] is not None or d["item"] == t["item"]])
            inner = render_slice(t, pieces, lo, hi, rx, callouts.get(t["item"], {}))
            runon = i > 0
            cont = i + 1 < len(pbs)
            if t["kind"] == "heading":
                body.append(f'<h3 id="{h(t["item"])}" data-item="{h(t["item"])}">{inner}</h3>')
                continue
            pre = ""
            if runon:
                fp = keys.get(pbs[i - 1]["index"])
                pre = (f'<a class="runon-from" href="{h(plink(fp) + "#" + t["item"])}">↪ continued from '
                       f'{h(page_label(fp))}</a>') if fp else '<span class="runon-from">↪ continued</span>'
            post = ""
            if cont:
                np_ = keys.get(pbs[i + 1]["index"])
                if np_:
                    post = f' <a class="runon-to" href="{h(plink(np_) + "#" + t["item"])}">continues on {h(page_label(np_))} →</a>'
            cls = ' class="runon"' if runon else ""
            body.append(f'<p id="{h(t["item"])}"{cls} data-item="{h(t["item"])}">{pre}{inner}{post}</p>')
        if notes:
            body.append('<aside class="notes" aria-label="Notes"><h3>Notes</h3><ol>')
            for n in notes:
                pieces = overlay(n, edits, [d for d in live if d["edit"] is not None or d["item"] == n["item"]])
                inner = render_slice(n, pieces, 0, len(n["text"]), rx, {})
                back = (f' <a href="#fnref-{h(n["item"])}" aria-label="back to the text">↩</a>'
                        if n["paragraph"] and n["callout"] is not None else "")
                body.append(f'<li id="fn-{h(n["item"])}"><span>{h(n["marker"] or "•")}</span>'
                            f'<span id="{h(n["item"])}" data-item="{h(n["item"])}">{inner}{back}</span></li>')
            body.append("</ol></aside>")
        body.append("</div></section>")
        # original OCR
        body.append('<section class="pane original" aria-label="Original OCR"><h2><span>Original OCR</span>'
                    f'<span>{h(pg["source"])}</span></h2>{LEGEND}<pre class="raw">'
                    f'{render_original(pg["raw"], page_edits, dec_by_edit)}</pre></section></div>')
        if self.review:
            body.append(self.review_panel(eid, pg, page_edits, edits, texts, decisions, status, view_original, reviewer))
        else:
            mine = [d for d in live if (d["edit"] is not None and d["edit"] in page_edits)
                    or (d["edit"] is None and any(t["item"] == d["item"] for t in texts))]
            if mine:
                body.append('<section class="pane review" aria-label="Review"><h2><span>Reviewed on this page</span></h2><ul>')
                for d in mine:
                    body.append(f'<li><span class="badge {h(d["action"])}">{h(PAST.get(d["action"], d["action"]))}</span> '
                                f'{h(self.decision_subject(d, page_edits))} — {h(decision_line(d))}</li>')
                body.append("</ul></section>")
        body.append("</div></div>")
        title = f"{ed['title'] or 'Untitled'} {issue_label(ed)}, {page_label(pg)}"
        return Response(self.page(title, "".join(body), body_class="show-original" if view_original else ""))

    @staticmethod
    def decision_subject(d: dict, edits: dict[int, dict]) -> str:
        if d["edit"] is not None and d["edit"] in edits:
            e = edits[d["edit"]]
            s = f"“{e['before']}” → “{e['after']}”"
            if d["action"] == "rewrite":
                s += f" → “{d['text']}”"
            return s
        return f"“{d.get('expect')}” → “{d.get('text')}”"

    def correction_row(self, eid: str, e: dict, d: dict | None, st: str | None, hidden: str, rv: str,
                       context: str = "", where: str = "") -> str:
        badge = ""
        if d:
            label = {"ok": PAST.get(d["action"], d["action"]), "applied": "in the edition"}.get(st or "", "stale")
            cls = d["action"] if st == "ok" else ("accept" if st == "applied" else "stale")
            badge = (f'<span class="badge {h(cls)}" title="{h(st)}">{h(label)}</span>'
                     f'<div class="who">{h(decision_line(d))}</div>')
        forms = []
        if rv:
            for act, label in (("accept", "Accept"), ("reject", "Reject")):
                forms.append(f'<form method="post" action="/edition/{h(eid)}/review">{hidden}'
                             f'<input type="hidden" name="edit" value="{e["id"]}"><input type="hidden" name="action" value="{act}">'
                             f'{rv}<button type="submit" data-action="{act}">{label}</button></form>')
            if d:
                forms.append(f'<form method="post" action="/edition/{h(eid)}/review">{hidden}'
                             f'<input type="hidden" name="edit" value="{e["id"]}"><input type="hidden" name="action" value="undo">'
                             f'{rv}<button type="submit" data-action="undo" title="Forget this decision">Undo</button></form>')
            forms.append(f'<form method="post" action="/edition/{h(eid)}/review">{hidden}'
                         f'<input type="hidden" name="edit" value="{e["id"]}"><input type="hidden" name="action" value="rewrite">{rv}'
                         f'<input type="text" name="text" value="{h(d["text"] if d and d["action"] == "rewrite" else e["after"])}" '
                         'required maxlength="200" aria-label="Rewrite as">'
                         f'<button type="submit" data-action="rewrite">Rewrite</button></form>')
        ctx = f'<div class="ctx">{context}</div>' if context else ""
        return (f'<tr id="edit-{e["id"]}">{where}<td><del>{h(e["before"])}</del></td><td><ins>{h(e["after"])}</ins>'
                f'<div class="who">{h(e["rule"])} · {h(e.get("note") or "")}</div>{ctx}</td>'
                f'<td class="conf">{float(e["confidence"] or 0):.2f}</td><td>{badge}</td>'
                + (f'<td>{"".join(forms)}</td>' if rv else "") + '</tr>')

    def corrections_page(self, eid: str, q: dict, reviewer: str) -> Response:
        """Every automatic correction of an issue, least confident first, to review them in one place."""
        lib = self.lib
        ed = self.get_edition(eid)
        per = 50
        try:
            page_no = max(1, min(int(q.get("page") or 1), 10000))
        except ValueError:
            page_no = 1
        only = q.get("show", "")
        decisions = lib.decisions(eid)
        by_edit = {d["edit"]: d for d in decisions if d["edit"] is not None}
        cond = "stage = 'correct' AND superseded_by IS NULL"
        args: list = [eid]
        if only == "open":
            cond += " AND id NOT IN (SELECT edit FROM decisions WHERE edition = ? AND edit IS NOT NULL)"
            args.append(eid)
        (total,) = lib.db.execute(f"SELECT count(*) FROM edits WHERE edition = ? AND {cond}", args).fetchone()
        rows = [dict(r) for r in lib.db.execute(
            f"SELECT * FROM edits WHERE edition = ? AND {cond} ORDER BY confidence, page, start LIMIT ? OFFSET ?",
            args + [per, (page_no - 1) * per])]
        pages = {p["idx"]: p for p in lib.pages(eid)}
        raws: dict[int, str] = {}
        body = [f'<p class="crumbs"><a href="/">Library</a> › {h(ed["title"] or "Untitled")} › '
                f'<a href="/edition/{h(eid)}">{h(issue_label(ed))}</a></p>',
                f'<h1>Corrections <span class="muted">{h(ed["title"] or "Untitled")} {h(issue_label(ed))}</span></h1>',
                f'<p class="muted">{plural(total, "correction")}{" without a decision" if only == "open" else ""}, '
                'least confident first. '
                + (f'<a href="/edition/{h(eid)}/corrections">show all</a>' if only == "open"
                   else f'<a href="/edition/{h(eid)}/corrections?show=open">show only those without a decision</a>')
                + '</p>']
        tok = h(self.csrf)
        rv = ""
        hidden = ""
        if self.review:
            who = h(reviewer or self.default_reviewer or "")
            body.append(f'<p class="who-form"><label for="reviewer">Reviewer</label> <input type="text" id="reviewer" '
                        f'value="{who}" placeholder="your name" maxlength="60" autocomplete="name"></p>')
            rv = f'<input type="hidden" name="reviewer" value="{who}">'
            back = f"corrections:{page_no}:{'open' if only == 'open' else ''}"
            hidden = f'<input type="hidden" name="csrf" value="{tok}"><input type="hidden" name="back" value="{h(back)}">'
        body.append('<section class="pane review"><table><thead><tr><th>Page</th><th>OCR</th><th>Correction</th>'
                    '<th>Confidence</th><th>Decision</th>' + ('<th>Review</th>' if self.review else '') + '</tr></thead><tbody>')
        for e in rows:
            pg = pages.get(e["page"])
            if pg is None:
                continue
            if e["page"] not in raws:
                raws[e["page"]] = lib.db.execute("SELECT raw FROM pages WHERE edition=? AND idx=?",
                                                 (eid, e["page"])).fetchone()[0]
            raw = raws[e["page"]]
            a, b = max(0, e["start"] - 50), min(len(raw), e["end"] + 50)
            context = (("…" if a else "") + h(" ".join(raw[a:e["start"]].split()[-6:])) + " <b>" + h(raw[e["start"]:e["end"]])
                       + "</b> " + h(" ".join(raw[e["end"]:b].split()[:6])) + ("…" if b < len(raw) else ""))
            link = f'/edition/{eid}/page/{quote(pg["key"])}?view=original'
            where = f'<td><a href="{h(link)}">{h(page_label(pg))}</a></td>'
            d = by_edit.get(e["id"])
            st = decision_status(lib, eid, d) if d else None
            body.append(self.correction_row(eid, e, d, st, hidden, rv, context, where))
        body.append("</tbody></table></section>")
        if total > per:
            base = {"show": only} if only else {}
            nav = ['<nav class="pager" aria-label="Pages of corrections">']
            if page_no > 1:
                nav.append(f'<a class="btn" rel="prev" href="?{h(urlencode(dict(base, page=page_no - 1)))}">← Previous</a>')
            nav.append(f'<span class="muted">page {page_no} of {(total + per - 1) // per}</span>')
            if page_no * per < total:
                nav.append(f'<a class="btn" rel="next" href="?{h(urlencode(dict(base, page=page_no + 1)))}">Next →</a>')
            nav.append("</nav>")
            body.append("".join(nav))
        return Response(self.page(f"Corrections: {ed['title'] or 'Untitled'} {issue_label(ed)}", "".join(body)))

    def review_panel(self, eid, pg, page_edits, edits, texts, decisions, status, view_original, reviewer) -> str:
        by_edit = {d["edit"]: d for d in decisions if d["edit"] is not None}
        where = {}
        for t in texts:
            for s in t["spans"]:
                if s[5] is not None:
                    where[s[5]] = t["item"]
        corr = [e for e in page_edits.values() if e["stage"] == "correct" and e.get("superseded_by") is None
                and e["id"] in where]
        back = pg["key"] + ("|original" if view_original else "")
        tok = h(self.csrf)
        out = ['<section class="pane review" aria-label="Review"><h2><span>Review corrections on this page</span>'
               f'<span>{len(corr)}</span></h2>']
        hidden = (f'<input type="hidden" name="csrf" value="{tok}"><input type="hidden" name="back" value="{h(back)}">')
        who = h(reviewer or self.default_reviewer or "")
        out.append(f'<p class="who-form"><label for="reviewer">Reviewer</label> <input type="text" id="reviewer" '
                   f'value="{who}" placeholder="your name" maxlength="60" autocomplete="name"> '
                   '<span class="muted">Decisions are saved with your name and the time.</span></p>')
        rv = f'<input type="hidden" name="reviewer" value="{who}">'
        if not corr:
            out.append('<p class="muted">No automatic corrections on this page.</p>')
        else:
            out.append('<table><thead><tr><th>OCR</th><th>Correction</th><th>Confidence</th><th>Decision</th><th>Review</th></tr></thead><tbody>')
            for e in corr:
                d = by_edit.get(e["id"])
                out.append(self.correction_row(eid, e, d, status.get(d["id"]) if d else None, hidden, rv))
            out.append("</tbody></table>")
        manual = [d for d in decisions if d["edit"] is None and any(t["item"] == d["item"] for t in texts)]
        if manual:
            out.append('<h3 class="sub">Words corrected by reviewers</h3><ul class="manual-list">')
            for d in manual:
                st = status.get(d["id"])
                badge = ("" if st == "ok" else '<span class="badge accept">in the edition</span> ' if st == "applied"
                         else '<span class="badge stale">stale</span> ')
                out.append(f'<li>{badge}<del>{h(d["expect"])}</del> → <ins>{h(d["text"])}</ins> '
                           f'<span class="who">in {h(d["item"])} · {h(decision_line(d))}</span> '
                           f'<form method="post" action="/edition/{h(eid)}/review">{hidden}{rv}'
                           '<input type="hidden" name="action" value="undo-manual">'
                           f'<input type="hidden" name="item" value="{h(d["item"])}">'
                           f'<input type="hidden" name="start" value="{d["start"]}"><input type="hidden" name="end" value="{d["end"]}">'
                           '<button type="submit" data-action="undo-manual">Undo</button></form></li>')
            out.append("</ul>")
        items = [t for t in texts]
        opts = "".join(f'<option value="{h(t["item"])}">{h(t["item"])}: {h(t["text"][:40])}</option>' for t in items)
        out.append(f'<form id="manual-form" class="manual-form" method="post" action="/edition/{h(eid)}/review">{hidden}'
                   '<input type="hidden" name="action" value="manual"><input type="hidden" name="start"><input type="hidden" name="end">'
                   '<p id="manual-hint" class="muted">Correct any word: select it in the reading text, or name it here.</p>'
                   f'<label>Paragraph <select name="item">{opts}</select></label> '
                   '<label>Word <input type="text" name="find" required maxlength="200"></label> '
                   '<label>becomes <input type="text" name="text" maxlength="200"></label> '
                   f'{rv}'
                   '<button type="submit" class="primary">Save correction</button></form>')
        stale = [d for d in decisions if is_stale(status.get(d["id"]) or "")]
        if stale:
            out.append(f'<p class="notice">{len(stale)} earlier decision(s) in this issue no longer match the '
                       're-indexed text; they are kept but not applied.</p>')
        out.append("</section>")
        return "".join(out)

    # -- review
    def post_review(self, environ, eid: str) -> Response:
        if not self.review:
            raise HTTPError(403, "review is off: start the server with --review")
        origin = environ.get("HTTP_ORIGIN")
        if origin and self.allowed_hosts is not None:
            host = re.sub(r"^https?://", "", origin.lower())
            if host not in self.allowed_hosts:
                raise HTTPError(403, "cross-site request refused")
        try:
            n = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            n = 0
        if n > MAX_BODY:
            raise HTTPError(413, "request too large")
        raw = environ["wsgi.input"].read(n) if n > 0 else b""
        try:
            form = {k: v[0] for k, v in parse_qs(raw.decode("utf-8"), keep_blank_values=True, errors="strict").items()}
        except (UnicodeDecodeError, ValueError):
            raise HTTPError(400, "the form is not valid UTF-8")
        if not hmac.compare_digest(form.get("csrf", ""), self.csrf):
            raise HTTPError(403, "the form has expired; reload the page and try again")
        self.get_edition(eid)
        reviewer = " ".join(form.get("reviewer", "").split())[:60]
        if not reviewer:
            raise HTTPError(400, "say who you are: the reviewer name is required")
        action = form.get("action", "")
        lib = self.lib
        anchor = ""
        with self._write_lock:
            if action in ACTIONS or action == "undo":
                try:
                    edit_id = int(form.get("edit", ""))
                except ValueError:
                    raise HTTPError(400, "which correction? (edit id missing)")
                e = lib.edits(eid, ids=[edit_id]).get(edit_id)
                if e is None or e["stage"] != "correct":
                    raise HTTPError(400, "no such correction")
                text = form.get("text")
                if action == "rewrite":
                    text = (text or "")[:200]
                    if not text.strip():
                        raise HTTPError(400, "a rewrite needs the new text")
                else:
                    text = None
                lib.decide(eid, action=action, reviewer=reviewer, edit=edit_id, text=text, expect=edit_expect(e))
                anchor = f"#edit-{edit_id}"
            elif action == "undo-manual":
                try:
                    s0, t0 = int(form.get("start", "")), int(form.get("end", ""))
                except ValueError:
                    raise HTTPError(400, "which correction? (start/end missing)")
                item = form.get("item", "")
                lib.decide(eid, action="undo", reviewer=reviewer, item=item, start=s0, end=t0)
                anchor = "#" + item if re.fullmatch(r"[\w.-]{1,80}", item) else ""
            elif action == "manual":
                item = lib.text_item(eid, form.get("item", ""))
                if item is None:
                    raise HTTPError(400, "no such paragraph")
                new = form.get("text", "")[:200]
                find = form.get("find", "")
                try:
                    s, t = int(form.get("start") or -1), int(form.get("end") or -1)
                except ValueError:
                    s = t = -1
                if not (0 <= s < t <= len(item["text"])) or (find and item["text"][s:t] != find):
                    if not find:
                        raise HTTPError(400, "which word? select it or type it")
                    m = re.search(r"(?<!\w)" + re.escape(find) + r"(?!\w)", item["text"]) or \
                        re.search(re.escape(find), item["text"])
                    if not m:
                        raise HTTPError(400, f"“{find}” is not in {item['item']}")
                    s, t = m.start(), m.end()
                # a manual correction must not cut into an automatic correction
                for sp in item["spans"]:
                    if sp[5] is not None and sp[3] < t and s < sp[4] and not (s <= sp[3] and sp[4] <= t):
                        raise HTTPError(400, "that span cuts into an automatic correction: review the correction instead")
                lib.decide(eid, action="manual", reviewer=reviewer, item=item["item"], start=s, end=t, text=new,
                           expect=item["text"][s:t])
                anchor = "#" + item["item"]
            else:
                raise HTTPError(400, "unknown review action")
        back = form.get("back", "")
        mb = re.fullmatch(r"corrections:([0-9]{1,5}):(open)?", back)
        if mb:
            params = {"page": mb.group(1)} | ({"show": "open"} if mb.group(2) else {})
            loc = f"/edition/{eid}/corrections?{urlencode(params)}" + (anchor if anchor.startswith("#edit-") else "")
            return redirect(loc, [("Set-Cookie", self.reviewer_cookie(reviewer))])
        key, _, view = back.partition("|")
        if not re.fullmatch(r"s?[0-9]{1,9}", key) or lib.page(eid, key) is None:
            key = lib.pages(eid)[0]["key"]
        loc = f"/edition/{eid}/page/{key}" + ("?view=original" if view == "original" else "") + anchor
        return redirect(loc, [("Set-Cookie", self.reviewer_cookie(reviewer))])

    @staticmethod
    def reviewer_cookie(reviewer: str) -> str:
        cookie = SimpleCookie()
        cookie["reissue_reviewer"] = quote(reviewer)
        cookie["reissue_reviewer"]["path"] = "/"
        cookie["reissue_reviewer"]["samesite"] = "Strict"
        return cookie["reissue_reviewer"].OutputString()

    # -- search
    def run_search(self, q: dict, limit: int, offset: int):
        query = q.get("q", "")
        title = q.get("title") or None
        year = q.get("year") or None
        edition = q.get("edition") or None
        if year is not None:
            try:
                year = int(year)
            except ValueError:
                raise QueryError(f"the year {year!r} is not a number")
        if edition is not None and not re.fullmatch(r"[a-z0-9-]{1,120}", edition):
            edition = None
        return self.lib.search(query, title=title, year=year, edition=edition, limit=limit, offset=offset)

    def api_search(self, q: dict) -> Response:
        try:
            limit = int(q.get("limit") or 20)
            offset = int(q.get("offset") or 0)
        except ValueError:
            return json_response({"error": "limit and offset must be integers"}, 400)
        if not q.get("q", "").strip():
            return json_response({"error": "give a query: /api/search?q=words"}, 400)
        try:
            res = self.run_search(q, limit, offset)
        except QueryError as exc:
            return json_response({"error": exc.message, "hint": exc.hint}, 400)
        return json_response({
            "total": res.total, "query": res.query, "ranked": res.ranked,
            "hits": [{"edition": x.edition, "title": x.title, "year": x.year, "page": x.page,
                      "page_index": x.page_index, "paragraph": x.paragraph, "kind": x.kind,
                      "snippet": x.snippet_plain(), "highlights": x.snippet_marks(),
                      "url": self.hit_url(x, res.terms)} for x in res.hits]})

    @staticmethod
    def hit_url(x, terms) -> str:
        return (f"/edition/{x.edition}/page/{quote(x.page_key)}?" + urlencode({"hl": " ".join(terms)}) +
                "#" + quote(x.paragraph))

    def search_page(self, q: dict) -> Response:
        query = q.get("q", "")[:500]
        try:
            page_no = max(1, min(int(q.get("page") or 1), 500))
        except ValueError:
            page_no = 1
        per = 20
        title_sel, year_sel, edition = q.get("title", ""), q.get("year", ""), q.get("edition", "")
        titles, years = self.lib.titles(), self.lib.years()
        opts_t = '<option value="">All titles</option>' + "".join(
            f'<option{" selected" if t == title_sel else ""}>{h(t)}</option>' for t in titles)
        opts_y = '<option value="">All years</option>' + "".join(
            f'<option{" selected" if str(y) == year_sel else ""}>{y}</option>' for y in years)
        ed = self.lib.edition(edition) if edition and re.fullmatch(r"[a-z0-9-]{1,120}", edition) else None
        scope = ""
        if ed:
            scope = (f'<input type="hidden" name="edition" value="{h(ed["id"])}"><span class="badge">in '
                     f'{h(ed["title"])} {h(issue_label(ed))}</span> <a href="/search?{h(urlencode({"q": query}))}">search everywhere</a>')
        parts = ['<h1>Search</h1>',
                 f'<form class="search-form" action="/search" method="get" role="search">'
                 f'<label class="visually-hidden" for="q-main">Query</label>'
                 f'<input id="q-main" type="search" name="q" value="{h(query)}" maxlength="500" autofocus>'
                 f'<label class="visually-hidden" for="f-title">Title</label><select id="f-title" name="title">{opts_t}</select>'
                 f'<label class="visually-hidden" for="f-year">Year</label><select id="f-year" name="year">{opts_y}</select>'
                 f'{scope}<button class="primary" type="submit">Search</button></form>',
                 '<p class="help">Words: <code>kremlin bureaucracy</code> · phrase: <code>"working class"</code> · prefix: '
                 '<code>imperial*</code> · boolean: <code>stalin NOT hitler</code>, <code>(league OR nations)</code></p>']
        if query.strip():
            try:
                res = self.run_search(q, per, (page_no - 1) * per)
            except QueryError as exc:
                parts.append(f'<p class="error" role="alert">That query could not be understood: {h(exc.message)}. '
                             'Try plain words, or put a phrase in double quotes.</p>')
                return Response(self.page(f"Search: {query}", "".join(parts), q=query), 200)
            n = res.total
            order = ("best matches first" if res.ranked else
                     "too many to rank by relevance, shown in library order: add words to narrow the search")
            parts.append(f'<p class="muted" role="status">{n:,} result{"s" if n != 1 else ""} for <b>{h(query)}</b>'
                         f'{" · " + order if n > 1 else ""}</p>')
            parts.append('<ol class="hits">')
            for x in res.hits:
                snip = h(x.snippet).replace(HL_OPEN_H, '<mark class="hit">').replace(HL_CLOSE_H, "</mark>")
                label = f"{x.title or 'Untitled'} {issue_label({'id': x.edition, 'volume': x.volume, 'number': x.number, 'year': x.year})}"
                where = f"p. {x.page}" if x.page_key and not x.page_key.startswith("s") else f"page [{x.page_index + 1}]"
                kind = '<div class="where">in a note</div>' if x.kind == "footnote" else ""
                parts.append(f'<li><a class="go" href="{h(self.hit_url(x, res.terms))}">{h(label)}, {h(where)}</a>'
                             f'{kind}<p class="snip">{snip}</p></li>')
            parts.append("</ol>")
            if n > per:
                base = {k: v for k, v in q.items() if k in ("q", "title", "year", "edition") and v}
                nav = ['<nav class="pager" aria-label="Result pages">']
                if page_no > 1:
                    nav.append(f'<a class="btn" rel="prev" href="/search?{h(urlencode(dict(base, page=page_no - 1)))}">← Previous</a>')
                nav.append(f'<span class="muted">page {page_no} of {min(500, (n + per - 1) // per)}</span>')
                if page_no * per < n and page_no < 500:
                    nav.append(f'<a class="btn" rel="next" href="/search?{h(urlencode(dict(base, page=page_no + 1)))}">Next →</a>')
                nav.append("</nav>")
                parts.append("".join(nav))
        return Response(self.page(f"Search: {query}" if query else "Search", "".join(parts), q=query))

    def api_edition(self, eid: str) -> Response:
        ed = self.get_edition(eid)
        pages = self.lib.pages(eid)
        decisions = self.lib.decisions(eid)
        return json_response(dict(self.edition_json(ed), page_list=[
            {"index": p["idx"], "number": p["number"], "key": p["key"], "url": f"/edition/{eid}/page/{quote(p['key'])}"}
            for p in pages], review_decisions=[
            {k: d[k] for k in ("edit", "item", "start", "end", "action", "text", "reviewer", "at")} |
            {"status": decision_status(self.lib, eid, d)} for d in decisions]))


from ..index import HL_CLOSE, HL_OPEN  # noqa: E402  (markers survive html.escape unchanged)

HL_OPEN_H, HL_CLOSE_H = HL_OPEN, HL_CLOSE


def make_app(db_path: str, *, review: bool = False, allowed_hosts: set[str] | None = None,
             reviewer: str | None = None) -> App:
    return App(db_path, review=review, allowed_hosts=allowed_hosts, reviewer=reviewer)


def loopback_hosts(host: str, port: int) -> set[str] | None:
    if host in ("127.0.0.1", "localhost", "::1"):
        return {f"127.0.0.1:{port}", f"localhost:{port}", f"[::1]:{port}"}
    return None  # bound to another interface on purpose: no Host check


def make_server(app: App, host: str, port: int):
    from socketserver import ThreadingMixIn
    from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server as _make

    class Server(ThreadingMixIn, WSGIServer):
        daemon_threads = True
        allow_reuse_address = True

    class Handler(WSGIRequestHandler):
        def log_message(self, fmt, *args):  # one short line per request
            sys.stderr.write(f"{time.strftime('%H:%M:%S')} {fmt % args}\n")

    return _make(host, port, app, server_class=Server, handler_class=Handler)


@click.command("serve")
@click.argument("library", type=click.Path(dir_okay=False))
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Interface to bind (loopback by default; anything else exposes the library).")
@click.option("--port", "-p", default=8000, show_default=True, type=click.IntRange(0, 65535))
@click.option("--review", is_flag=True, help="Allow review decisions (writes to the library).")
@click.option("--reviewer", default=None, help="Default reviewer name shown in review forms.")
def serve_command(library, host, port, review, reviewer):
    """Serve LIBRARY: library page, reader, search, review (with --review), JSON API."""
    import os

    if not os.path.exists(library):
        click.echo(f"reissue: error: {library}: no such library (create it with `reissue index EDITION_DIR --db {library}`)", err=True)
        raise SystemExit(2)
    try:
        app = make_app(library, review=review, reviewer=reviewer)
        srv = make_server(app, host, port)
    except ReissueError as exc:
        click.echo(f"reissue: error: {exc}", err=True)
        raise SystemExit(exc.exit_code)
    except OSError as exc:
        click.echo(f"reissue: error: cannot listen on {host}:{port} ({exc.strerror}); try another --port", err=True)
        raise SystemExit(2)
    real_port = srv.server_address[1]
    app.allowed_hosts = loopback_hosts(host, real_port)
    if app.allowed_hosts is None:
        click.echo(f"warning: listening on {host}, not loopback: anyone who can reach this machine can read"
                   + (" and write review decisions" if review else ""), err=True)
    shown = f"[{host}]" if ":" in host else host
    click.echo(f"Serving {library} on http://{shown}:{real_port}/ (review {'ON' if review else 'off'}); Ctrl-C stops")
    try:
        srv.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        srv.server_close()
