"""Full-text search of a library (``Library.search``): people's queries, filters, sort, counts.

The query goes through :mod:`reissue.query` (one parser, also used by the static reader), so no
FTS5 syntax error can reach the user; ``raw=True`` passes expert FTS5 syntax through, and its errors
are reported as one friendly line too. Filters: title, year or a year range, paragraph language,
article, edition. Sort: relevance (bm25) or date. ``per_issue`` counts the matches of every issue.
"""

from __future__ import annotations

import json
import re
import sqlite3
from dataclasses import dataclass, field

from .errors import QueryError
from .query import MAX_QUERY, describe, parse_notes, positive_terms, to_fts

# more matches than this are not ranked by relevance (bm25 reads every match)
RANK_LIMIT = 10_000

# FTS5 highlight markers: private-use characters that cannot come from escaped OCR text
HL_OPEN, HL_CLOSE = "\ue000", "\ue001"

_MARKS = re.compile(f"([{HL_OPEN}{HL_CLOSE}])")

SORTS = ("relevance", "date")
# counts per issue read every match: past this many matches they are left out (narrow the search)
COUNT_LIMIT = 2_000


@dataclass
class Hit:
    edition: str
    title: str | None
    year: int | None
    volume: int | None
    number: int | None
    page: int  # printed page number, or page index when unknown (edition.json contract)
    page_index: int
    page_key: str
    paragraph: str
    kind: str
    snippet: str  # plain text; hits between HL_OPEN/HL_CLOSE
    score: float
    lang: str | None = None
    article: str | None = None
    article_title: str | None = None

    def snippet_plain(self) -> str:
        return self.snippet.replace(HL_OPEN, "").replace(HL_CLOSE, "")

    def snippet_marks(self) -> list[list[int]]:
        """[start, end] of each highlighted hit in :meth:`snippet_plain`."""
        out, pos, start = [], 0, None
        for part in _MARKS.split(self.snippet):
            if part == HL_OPEN:
                start = pos
            elif part == HL_CLOSE:
                if start is not None:
                    out.append([start, pos])
                start = None
            else:
                pos += len(part)
        return out


@dataclass
class SearchResult:
    query: str
    total: int
    hits: list[Hit] = field(default_factory=list)
    terms: list[str] = field(default_factory=list)
    ranked: bool = True  # False: too many matches to rank, hits in library order
    understood: str = ""  # how the query was read (plain mode)
    notes: list[str] = field(default_factory=list)
    per_issue: list[dict] = field(default_factory=list)  # [{"edition", "title", "label parts", "count"}]
    sort: str = "relevance"


def query_terms(q: str, node=None) -> list[str]:
    """Words worth highlighting (NOT terms left out; ``word*`` kept as a prefix)."""
    if node is None:
        node, _ = parse_notes(q)
    out = []
    for t in positive_terms(node):
        w = " ".join(t[1]) + ("*" if t[2] else "")
        if w not in out:
            out.append(w)
    return out[:20]


def fts_query(q: str, raw: bool = False) -> tuple[str, str, list[str]]:
    """(FTS5 MATCH string, how it was understood, notes) of what a person typed."""
    match, understood, notes, _node = _parsed(q, raw)
    return match, understood, notes


def _parsed(q: str, raw: bool):
    q = (q or "").strip()
    if len(q) > MAX_QUERY:
        raise QueryError(f"the query is too long (more than {MAX_QUERY} characters)",
                         hint="search for fewer words")
    if raw:
        return q, q, [], None
    node, notes = parse_notes(q)
    return to_fts(node), describe(node), notes, node


def run_search(lib, q: str, *, title: str | None = None, year: int | None = None,
               year_from: int | None = None, year_to: int | None = None, lang: str | None = None,
               article: str | None = None, edition: str | None = None, sort: str = "relevance",
               raw: bool = False, limit: int = 20, offset: int = 0, counts: bool = True) -> SearchResult:
    match, understood, notes, node = _parsed(q, raw)
    if not match:
        res = SearchResult(q, 0, understood=understood, notes=notes or (
            ["nothing to search for: type words (letters or digits)"] if (q or "").strip() else []))
        return res
    if sort not in SORTS:
        raise QueryError(f"unknown sort {sort!r}", hint="use sort=relevance or sort=date")
    has = lib.has_articles
    where, args = ["fts MATCH ?"], [match]
    if title:
        where.append("e.title = ?")
        args.append(title)
    if year is not None:
        where.append("e.year = ?")
        args.append(year)
    if year_from is not None:
        where.append("e.year >= ?")
        args.append(year_from)
    if year_to is not None:
        where.append("e.year <= ?")
        args.append(year_to)
    if edition:
        where.append("e.id = ?")
        args.append(edition)
    if lang and has:
        where.append("t.lang = ?")
        args.append(lang)
    if article and has:
        where.append("t.article = ?")
        args.append(article)
    base = ("FROM fts JOIN texts t ON t.rowid = fts.rowid JOIN editions e ON e.id = t.edition WHERE "
            + " AND ".join(where))
    limit = max(1, min(int(limit), 100))
    offset = max(0, min(int(offset), 10000))
    art_cols = "t.lang AS lang, t.article AS article" if has else "NULL AS lang, NULL AS article"
    try:
        if len(where) == 1:  # no filter: count in the full-text index alone (no row lookups)
            (total,) = lib.db.execute("SELECT count(*) FROM fts WHERE fts MATCH ?", args).fetchone()
        else:
            (total,) = lib.db.execute(f"SELECT count(*) {base}", args).fetchone()
        ranked = total <= RANK_LIMIT
        if sort == "date":
            order = ("e.year IS NULL, e.year, e.volume, e.number, e.id, t.seq" if ranked else "fts.rowid")
        else:
            order = "rank" if ranked else "fts.rowid"
        rows = lib.db.execute(
            f"SELECT fts.rowid AS rowid, snippet(fts, 0, '{HL_OPEN}', '{HL_CLOSE}', '…', 24) AS snip, "
            # the first hit's offset picks the page: only needed for a text over more than one page
            f"CASE WHEN instr(t.page_breaks, '}},') > 0 THEN highlight(fts, 0, '{HL_OPEN}', '{HL_CLOSE}') END AS hl, "
            f"{'rank' if ranked and sort != 'date' else '0'} AS rank, "
            "t.edition AS edition, t.item AS item, t.kind AS kind, t.page_breaks AS page_breaks, "
            f"t.first_page AS first_page, {art_cols}, e.title AS title, e.year AS year, e.volume AS volume, "
            f"e.number AS number {base} ORDER BY {order} LIMIT ? OFFSET ?", args + [limit, offset]).fetchall()
        per_issue = []
        if counts and 0 < total <= COUNT_LIMIT:
            per_issue = [dict(r) for r in lib.db.execute(
                f"SELECT t.edition AS edition, e.title AS title, e.volume AS volume, e.number AS number, "
                f"e.year AS year, count(*) AS count {base} GROUP BY t.edition ORDER BY count(*) DESC, t.edition "
                "LIMIT 100", args)]
    except sqlite3.OperationalError as exc:
        if raw:
            raise QueryError("that advanced (FTS5) query is not valid syntax",
                             hint='turn advanced mode off to search as typed, or check quotes, '
                                  'parentheses and operators (a NOT b, "a phrase", prefix*)') from exc
        raise QueryError("that query could not be searched",
                         hint='use words, "a phrase", prefix*, AND, OR, NOT') from exc
    res = SearchResult(q, total, terms=query_terms(q, node) if node is not None else query_terms(q), ranked=ranked,
                       understood=understood, notes=notes, per_issue=per_issue, sort=sort)
    where_hit = []
    for r in rows:
        hl = r["hl"] or ""
        first = hl.find(HL_OPEN)
        pidx = r["first_page"] if r["first_page"] is not None else 0
        if first >= 0:
            # offset of the first hit in the plain text (markers before it are pairs)
            plain_off = first - 2 * hl.count(HL_OPEN, 0, first)
            for b in json.loads(r["page_breaks"]):
                if b["offset"] <= plain_off and b.get("index") is not None:
                    pidx = b["index"]
        where_hit.append(pidx)
    # the pages and article titles of all hits in two queries
    pages = _lookup(lib, "SELECT x.column1, x.column2, p.number, p.key FROM {v} JOIN pages p "
                    "ON p.edition = x.column1 AND p.idx = x.column2",
                    {(r["edition"], p) for r, p in zip(rows, where_hit)})
    titles = _lookup(lib, "SELECT x.column1, x.column2, a.title FROM {v} JOIN articles a "
                     "ON a.edition = x.column1 AND a.id = x.column2",
                     {(r["edition"], r["article"]) for r in rows if r["article"]})
    for r, pidx in zip(rows, where_hit):
        pg = pages.get((r["edition"], pidx))
        number = pg["number"] if pg and pg["number"] is not None else pidx
        atitle = titles[(r["edition"], r["article"])]["title"] if (r["edition"], r["article"]) in titles else None
        res.hits.append(Hit(r["edition"], r["title"], r["year"], r["volume"], r["number"], number, pidx,
                            pg["key"] if pg else "s1", r["item"], r["kind"], r["snip"] or "", r["rank"],
                            r["lang"], r["article"], atitle))
    return res


def _lookup(lib, select: str, wanted: set) -> dict:
    """Rows of ``select`` (``{v}``: the ``wanted`` pairs as a table ``x``) by pair; one indexed query."""
    if not wanted:
        return {}
    pairs = sorted(wanted, key=repr)
    v = f"(VALUES {','.join(['(?,?)'] * len(pairs))}) AS x"
    rows = lib.db.execute(select.format(v=v), [x for p in pairs for x in p]).fetchall()
    return {(r[0], r[1]): r for r in rows}
