"""JSON API: editions, one edition (pages, articles, review decisions)."""

from __future__ import annotations

from urllib.parse import quote

from ..decisions import decision_status
from .core import EID_RE, json_response, route
from .views_library import with_labels


def edition_json(app, e: dict) -> dict:
    return {"id": e["id"], "title": e["title"], "label": e.get("label"), "volume": e["volume"],
            "number": e["number"], "year": e["year"], "pages": e["page_count"], "paragraphs": e["n_paragraphs"],
            "footnotes": e["n_footnotes"], "corrections": e["n_corrections"],
            "decisions": e.get("n_decisions", 0), "url": f"{app.base_url}/edition/{e['id']}"}


@route("GET", r"/api/editions")
def api_editions(app, req):
    return json_response({"editions": [edition_json(app, e) for e in with_labels(app.lib, app.lib.editions())]},
                         cache=True)


@route("GET", rf"/api/edition/({EID_RE})")
def api_edition(app, req, eid):
    lib = app.lib
    ed = app.get_edition(eid)
    pages = lib.pages(eid)
    decisions = lib.decisions(eid)
    ed = with_labels(lib, [dict(ed, n_decisions=len(decisions))])[0]
    base = f"{app.base_url}/edition/{eid}"
    return json_response(dict(
        edition_json(app, ed),
        page_list=[{"index": p["idx"], "number": p["number"], "key": p["key"],
                    "url": f"{base}/page/{quote(p['key'])}"} for p in pages],
        articles=[{"id": a["id"], "title": a["title"], "byline": a["byline"], "section": a["section"],
                   "pages": a["pages"], "paragraphs": a["paragraphs"],
                   "url": f"{base}/article/{quote(a['id'], safe='')}"} for a in lib.articles(eid)],
        review_decisions=[
            {k: d[k] for k in ("edit", "item", "start", "end", "action", "text", "reviewer", "at")} |
            {"status": decision_status(lib, eid, d)} for d in decisions]), cache=True)
