"""Reader views: one page of an issue, the issue's contents (articles) and one article."""

from __future__ import annotations

from urllib.parse import quote

from ..decisions import decision_status
from ..query import parse
from .core import EID_RE, HTTPError, redirect, route
from .pages import block_html, page_blocks
from .render import render_original
from .views_auth import current_user
from .views_review import cookie_reviewer, panel_data, reviewed_items


def display_title(ed: dict) -> str:
    return ed.get("title") or "Untitled"


def _live(lib, eid):
    decisions = lib.decisions(eid)
    status = {d["id"]: decision_status(lib, eid, d) for d in decisions}
    return decisions, status, [d for d in decisions if status[d["id"]] == "ok"]


def main_lang(lib, eid: str) -> str | None:
    """The language of most of the issue's paragraphs (others show their language)."""
    if not lib.has_articles:
        return None
    row = lib.db.execute("SELECT lang FROM texts WHERE edition=? AND lang IS NOT NULL GROUP BY lang "
                         "ORDER BY count(*) DESC, lang LIMIT 1", (eid,)).fetchone()
    return row[0] if row else None


@route("GET", rf"/edition/({EID_RE})/?")
def edition_start(app, req, eid):
    ed = app.get_edition(eid)
    pages = app.lib.pages(ed["id"])
    return redirect(f"{app.base_url}/edition/{ed['id']}/page/{quote(pages[0]['key'])}")


@route("GET", rf"/edition/({EID_RE})/page/(s?[0-9]{{1,9}})")
def reader_page(app, req, eid, key):
    lib = app.lib
    ed = app.get_edition(eid)
    pages = lib.pages(eid)
    pg = lib.page(eid, key)
    if pg is None:
        raise HTTPError(404, "no such page in this issue")
    idx = pg["idx"]
    by_idx = {p["idx"]: p for p in pages}
    view_original = req.params.get("view", maxlen=20) == "original"
    hl = req.params.get("hl", maxlen=500)
    query = parse(hl) if hl.strip() else None
    texts = lib.texts_on_page(eid, idx)
    decisions, status, live = _live(lib, eid)
    ids = {s[5] for t in texts for s in t["spans"] if s[5] is not None}
    edits = lib.edits(eid, ids=list(ids))
    page_edits = lib.edits(eid, page=idx)
    dec_by_edit = {d["edit"]: d for d in live if d["edit"] is not None}
    blocks, notes = page_blocks(texts, idx, by_idx, edits, live, query)
    base = f"{app.base_url}/edition/{eid}/page/"
    account = current_user(app, req.environ)
    can = app.review or account is not None
    reviewer = account["name"] if account else cookie_reviewer(req.environ) if app.review else ""
    panel = panel_data(app, eid, pg, page_edits, texts, decisions, status, view_original, reviewer,
                       account) if can else None
    reviewed = [] if can else reviewed_items(live, page_edits, texts)
    articles = lib.articles(eid)
    on_page = {t["article"] for t in texts if t.get("article")}
    here = [a for a in articles if a["id"] in on_page]
    title = f"{display_title(ed)} {app.env.globals['issue_label'](ed)}, " + \
        (f"p. {pg['number']}" if pg["number"] is not None else f"[{idx + 1}]")
    return app.page("reader.html", title, body_class="show-original" if view_original else "",
                    ed=ed, ed_title=display_title(ed), pages=pages, pg=pg, prev=by_idx.get(idx - 1),
                    nxt=by_idx.get(idx + 1), qs_view="?view=original" if view_original else "",
                    view_original=view_original, hl=hl, blocks=blocks, notes=notes,
                    original=render_original(pg["raw"], page_edits, dec_by_edit), panel=panel, reviewed=reviewed,
                    articles=articles, here=here, main_lang=main_lang(lib, eid), cache=not can, review=can,
                    href=lambda page, item: f"{base}{quote(page['key'])}#{item}")


@route("GET", rf"/edition/({EID_RE})/contents")
def contents_page(app, req, eid):
    ed = app.get_edition(eid)
    return app.page("contents.html", f"Contents: {display_title(ed)}", ed=ed, ed_title=display_title(ed),
                    articles=app.lib.articles(eid))


@route("GET", rf"/edition/({EID_RE})/article/([^/]{{1,120}})")
def article_page(app, req, eid, aid):
    lib = app.lib
    ed = app.get_edition(eid)
    art = next((a for a in lib.articles(eid) if a["id"] == aid), None)
    if art is None:
        raise HTTPError(404, "no such article in this issue")
    decisions, status, live = _live(lib, eid)
    texts = [t for t in (lib.text_item(eid, pid) for pid in art["paragraphs"]) if t is not None]
    ids = {s[5] for t in texts for s in t["spans"] if s[5] is not None}
    edits = lib.edits(eid, ids=list(ids))
    blocks = [{"item": t["item"], "heading": t["kind"] == "heading", "lang": t.get("lang"),
               "html": block_html(t, edits, live, 0, len(t["text"]), None, {})} for t in texts]
    first_page = None
    if texts and texts[0]["first_page"] is not None:
        first_page = next((p for p in lib.pages(eid) if p["idx"] == texts[0]["first_page"]), None)
    return app.page("article.html", f"{art['title'] or 'Article'} · {display_title(ed)}", ed=ed,
                    ed_title=display_title(ed), art=art, blocks=blocks, first_page=first_page,
                    main_lang=main_lang(lib, eid), cache=not app.review)
