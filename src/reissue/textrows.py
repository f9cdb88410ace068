"""The rows of an edition's texts as the library stores them (table ``texts`` of :mod:`reissue.index`)
and the static reader renders its pages from (:mod:`reissue.web.static`): a module of its own, so
that writing edition.html does not import the library (sqlite3, accounts, search)."""

from __future__ import annotations

from collections.abc import Iterator


def text_or_none(v):
    return v if isinstance(v, str) else None


def article_of(ed: dict) -> dict[str, str]:
    """paragraph id -> id of the article it is in (the first that lists it)."""
    art_of: dict[str, str] = {}
    for a in ed.get("articles") if isinstance(ed.get("articles"), list) else []:
        if isinstance(a, dict) and isinstance(a.get("id"), str):
            for pid in a.get("paragraphs") or []:
                if isinstance(pid, str):
                    art_of.setdefault(pid, a["id"])
    return art_of


def paragraph_row(t: dict, seq: int, art_of: dict[str, str]) -> dict:
    """The library's row (table ``texts``) of one paragraph of an edition; ``seq``: its place."""
    pbs = t.get("page_breaks") or []
    pidx = sorted({b["index"] for b in pbs} | {s[0] for s in t["spans"] if s[3] < s[4]})
    first = pbs[0]["index"] if pbs else (pidx[0] if pidx else None)
    return {"seq": seq, "kind": t.get("kind", "paragraph"), "item": t["id"], "text": t["text"],
            "spans": t["spans"], "page_breaks": pbs, "first_page": first, "marker": None,
            "paragraph": None, "callout": None, "lang": text_or_none(t.get("lang")),
            "article": art_of.get(t["id"]), "pages": pidx}


def note_row(t: dict, seq: int, art_of: dict[str, str]) -> dict:
    """The library's row of one footnote (its article: its paragraph's)."""
    pi = t.get("page_index")
    pidx = [pi] if isinstance(pi, int) else sorted({s[0] for s in t["spans"]})
    first = pidx[0] if pidx else None
    return {"seq": seq, "kind": "footnote", "item": t["id"], "text": t["text"], "spans": t["spans"],
            "page_breaks": [{"page": None, "index": first, "offset": 0}] if first is not None else [],
            "first_page": first, "marker": t.get("marker"), "paragraph": t.get("paragraph"),
            "callout": t.get("callout"), "lang": text_or_none(t.get("lang")),
            "article": art_of.get(t.get("paragraph") or ""), "pages": pidx}


def iter_text_rows(ed: dict, art_of: dict[str, str] | None = None) -> Iterator[dict]:
    """:func:`text_rows` one row at a time (an edition view's items are made as they are read)."""
    art_of = article_of(ed) if art_of is None else art_of
    n = 0
    for t in ed["paragraphs"]:
        yield paragraph_row(t, n, art_of)
        n += 1
    for t in ed["footnotes"]:
        yield note_row(t, n, art_of)
        n += 1


def text_rows(ed: dict) -> list[dict]:
    """The edition's paragraphs, then its notes, as the library stores them (table ``texts``): the
    pages each is on (``pages``), its first page, its page breaks (a note gets one at its page) and its
    article. The static reader (``reissue.web.static``) renders pages from the same rows."""
    return list(iter_text_rows(ed))
