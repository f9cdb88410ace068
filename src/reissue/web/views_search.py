"""Search views: the search page (grouped by issue and article, counts per issue) and /api/search."""

from __future__ import annotations

from urllib.parse import quote, urlencode

from markupsafe import Markup, escape

from ..errors import QueryError
from ..search import HL_CLOSE, HL_OPEN, SORTS
from .core import HTTPError, json_response, route
from .render import issue_label
from .views_library import with_labels

YEAR = (0, 9999)
FILTERS = ("q", "title", "year", "from", "to", "lang", "article", "edition", "sort", "advanced")


def search_args(req) -> dict:
    """The validated search parameters (HTTPError 400 with a message for a bad one)."""
    p = req.params
    kw = {
        "title": p.get("title", maxlen=300) or None,
        "year": p.int("year", None, *YEAR),
        "year_from": p.int("from", None, *YEAR),
        "year_to": p.int("to", None, *YEAR),
        "lang": p.ident("lang", r"[a-z]{2,3}"),
        "article": p.ident("article", r"[^\x00-\x1f]{1,120}"),
        "edition": p.ident("edition"),
        "sort": p.choice("sort", SORTS, "relevance"),
        "raw": p.choice("advanced", ("", "0", "1", "on"), "") in ("1", "on"),
    }
    if kw["year_from"] is not None and kw["year_to"] is not None and kw["year_from"] > kw["year_to"]:
        raise HTTPError(400, "the year range is empty: 'from' is after 'to'")
    return kw


def issue_names(lib, eids: set[str]) -> dict[str, str | None]:
    """The human name of each issue without numbering (first heading, else source folder), by id."""
    if not eids:
        return {}
    ids = sorted(eids)
    rows = [dict(r) for r in lib.db.execute(
        f"SELECT * FROM editions WHERE id IN ({','.join('?' * len(ids))}) AND volume IS NULL AND number IS NULL "
        "AND year IS NULL", ids)]
    return {e["id"]: e.get("label") for e in with_labels(lib, rows)}


def hit_url(app, x, q: str) -> str:
    return (f"{app.base_url}/edition/{x.edition}/page/{quote(x.page_key)}?" + urlencode({"hl": q}) +
            "#" + quote(x.paragraph))


def snippet_html(x) -> Markup:
    return Markup(str(escape(x.snippet)).replace(HL_OPEN, '<mark class="hit">').replace(HL_CLOSE, "</mark>"))


def _hl(res) -> str:
    return res.understood if res.understood else res.query


@route("GET", r"/api/search")
def api_search(app, req):
    q = req.params.get("q")
    if not q.strip():
        raise HTTPError(400, "give a query: /api/search?q=words")
    limit = req.params.int("limit", 20, 1, 100)
    offset = req.params.int("offset", 0, 0, 10000)
    kw = search_args(req)
    try:
        res = app.lib.search(q, limit=limit, offset=offset, **kw)
    except QueryError as exc:
        return json_response({"error": exc.message, "hint": exc.hint}, 400)
    return json_response({
        "total": res.total, "query": res.query, "understood": res.understood, "notes": res.notes,
        "ranked": res.ranked, "sort": res.sort,
        "per_issue": [{"edition": c["edition"], "title": c["title"], "count": c["count"]} for c in res.per_issue],
        "hits": [{"edition": x.edition, "title": x.title, "year": x.year, "page": x.page,
                  "page_index": x.page_index, "paragraph": x.paragraph, "kind": x.kind, "lang": x.lang,
                  "article": {"id": x.article, "title": x.article_title} if x.article else None,
                  "snippet": x.snippet_plain(), "highlights": x.snippet_marks(),
                  "url": hit_url(app, x, _hl(res))} for x in res.hits]}, cache=True)


@route("GET", r"/search")
def search_page(app, req):
    q = req.params.get("q")
    page_no = req.params.int("page", 1, 1, 500)
    kw = search_args(req)
    per = 20
    lib = app.lib
    ed = lib.edition(kw["edition"]) if kw["edition"] else None
    ctx = dict(query=q, kw=kw, titles=lib.titles(), langs=lib.languages(), scope=ed, res=None, error=None,
               groups=[], pager=None, page_no=page_no,
               raw_sel={k: req.params.get(k, maxlen=500) for k in FILTERS})
    if q.strip():
        try:
            res = lib.search(q, limit=per, offset=(page_no - 1) * per, **kw)
        except QueryError as exc:
            ctx["error"] = exc.message + (f" ({exc.hint})" if exc.hint else "")
            return app.page("search.html", f"Search: {q}", q=q, **ctx)
        ctx["res"] = res
        names = issue_names(lib, {x.edition for x in res.hits} | {c["edition"] for c in res.per_issue})
        for c in res.per_issue:
            c["label"] = names.get(c["edition"])
        groups: list[dict] = []
        for x in res.hits:  # consecutive hits of one issue, then of one article, share a heading
            label = f"{x.title or 'Untitled'} {issue_label({'id': x.edition, 'volume': x.volume, 'number': x.number, 'year': x.year, 'label': names.get(x.edition)})}"
            if not groups or groups[-1]["edition"] != x.edition:
                groups.append({"edition": x.edition, "label": label, "articles": []})
            arts = groups[-1]["articles"]
            if not arts or arts[-1]["id"] != x.article:
                arts.append({"id": x.article, "title": x.article_title, "hits": []})
            where = f"p. {x.page}" if x.page_key and not x.page_key.startswith("s") else f"page [{x.page_index + 1}]"
            arts[-1]["hits"].append({"url": hit_url(app, x, _hl(res)), "where": where, "kind": x.kind,
                                     "lang": x.lang, "snippet": snippet_html(x)})
        ctx["groups"] = groups
        if res.total > per:
            base = {k: v for k, v in ctx["raw_sel"].items() if v}
            last = min(500, (res.total + per - 1) // per)
            ctx["pager"] = {
                "prev": f"{app.base_url}/search?" + urlencode(dict(base, page=page_no - 1)) if page_no > 1 else None,
                "next": f"{app.base_url}/search?" + urlencode(dict(base, page=page_no + 1)) if page_no < last else None,
                "last": last}
        ctx["count_url"] = lambda eid: f"{app.base_url}/search?" + urlencode(
            dict({k: v for k, v in ctx["raw_sel"].items() if v}, edition=eid))
    return app.page("search.html", f"Search: {q}" if q else "Search", q=q, **ctx)
