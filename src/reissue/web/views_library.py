"""Library views: the list of titles and issues, the health check, static assets."""

from __future__ import annotations

from .core import HTTPError, Response, json_response, route, ASSETS
from .render import heading_label


def human_label(lib, e: dict) -> str | None:
    """A name for an issue without numbering: its first heading, else its source folder."""
    row = lib.db.execute("SELECT text FROM texts WHERE edition=? AND kind='heading' ORDER BY seq LIMIT 1",
                         (e["id"],)).fetchone()
    if row and row[0].strip():
        return heading_label(row[0])
    src = (e.get("source") or "").replace("\\", "/").rstrip("/").split("/")
    if src and src[-1] == "edition.json":
        src = src[:-1]
    folder = src[-1] if src and src[-1] else None
    when = (e.get("indexed_at") or "")[:10]
    return " ".join(x for x in (folder, f"(indexed {when})" if when else "") if x) or None


def with_labels(lib, eds: list[dict]) -> list[dict]:
    for e in eds:
        if e.get("volume") is None and e.get("number") is None and e.get("year") is None:
            e["label"] = human_label(lib, e)
    return eds


@route("GET", r"/")
def library_page(app, req):
    lib = app.lib
    eds = with_labels(lib, lib.editions())
    counts = {}
    if lib.has_articles:
        counts = dict(lib.db.execute("SELECT edition, count(*) FROM articles GROUP BY edition").fetchall())
    by_title: dict[str, dict] = {}
    for e in eds:
        e["n_articles"] = counts.get(e["id"], 0)
        by_title.setdefault(e["title"] or "Untitled", {}).setdefault(e["year"], []).append(e)
    groups = [(t, sorted(ys.items(), key=lambda kv: (kv[0] is None, kv[0] or 0))) for t, ys in by_title.items()]
    return app.page("library.html", "Library", editions=eds, by_title=groups,
                    npages=sum(e["page_count"] for e in eds), nwords=sum(e["n_words"] or 0 for e in eds))


@route("GET", r"/healthz")
def healthz(app, req):
    return json_response({"status": "ok", "editions": len(app.lib.editions()), "review": app.review})


@route("GET", r"/favicon\.ico")
def favicon(app, req):
    return Response(b"", 204, "image/x-icon")


@route("GET", r"/static/([a-z]+\.(?:css|js))")
def static_asset(app, req, name):
    if name not in app.assets:
        raise HTTPError(404, "no such file")
    return Response(app.assets[name], 200, ASSETS[name])
