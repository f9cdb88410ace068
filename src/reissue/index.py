"""The library: editions in one SQLite file with an FTS5 full-text index (``reissue index``).

Tables (one row per thing the edition.json holds; the edition itself is kept, compressed, so
``reissue export`` can rebuild its files with review decisions applied):

* ``editions``   id, title, volume, number, year, counts, when indexed, the source path;
* ``edition_data`` the edition.json (zlib) for export;
* ``pages``      one row per page: index, printed number, key used in URLs, raw text;
* ``texts``      paragraphs and footnotes in reading order, with their spans and page breaks;
* ``text_pages`` which page indexes each text touches (to render one page quickly);
* ``edits``      every recorded edit;
* ``fts``        FTS5 over ``texts.text`` (rowid = texts.rowid);
* ``decisions``  review decisions, keyed by edition id + edit id (accept/reject/rewrite) or by
  edition id + text id + span (manual corrections). Re-indexing an edition does NOT delete them:
  each decision also stores the text it was made on (``expect``), and a decision whose edit or span
  no longer shows that text after re-indexing is *stale*: kept, reported by ``reissue index`` and
  shown in the reader, but never applied.

Edition identity: ``slug(title)-v<volume>-n<number>-<year>`` when the edition has a title and at
least one of volume/number/year, else ``slug(title or "edition")-<hash of the raw page texts>``.
Re-indexing the same edition replaces it. ``reissue index`` checks every edition given first
(nothing changes when one is broken), then adds each in its own transaction, so a kill leaves the
library intact with the editions added so far.
"""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
import time
import unicodedata
import zlib
from pathlib import Path
from urllib.parse import quote

import click

from .accounts import SCHEMA as ACCOUNTS_SCHEMA, log_decision
from .decisions import decision_status, is_stale, overlay
from .edition import FORMAT, load_edition_file, page_keys, validate_edition  # noqa: F401  (the edition format)
from .errors import EditionError, ReissueError
from .textrows import article_of, iter_text_rows, note_row, paragraph_row, text_or_none, text_rows  # noqa: F401
from .search import HL_CLOSE, HL_OPEN, RANK_LIMIT, Hit, SearchResult, query_terms, run_search  # noqa: F401

SCHEMA_VERSION = 1

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS editions (
    id TEXT PRIMARY KEY, title TEXT, volume INTEGER, number INTEGER, year INTEGER,
    page_count INTEGER, n_paragraphs INTEGER, n_footnotes INTEGER, n_edits INTEGER,
    n_corrections INTEGER, n_words INTEGER, source TEXT, indexed_at TEXT, generator TEXT);
CREATE TABLE IF NOT EXISTS edition_data (edition TEXT PRIMARY KEY, json BLOB);
CREATE TABLE IF NOT EXISTS pages (
    edition TEXT, idx INTEGER, number INTEGER, key TEXT, source TEXT, raw TEXT,
    furniture TEXT, PRIMARY KEY (edition, idx));
CREATE UNIQUE INDEX IF NOT EXISTS pages_key ON pages (edition, key);
CREATE TABLE IF NOT EXISTS texts (
    rowid INTEGER PRIMARY KEY, edition TEXT, seq INTEGER, kind TEXT, item TEXT, text TEXT,
    spans TEXT, page_breaks TEXT, first_page INTEGER, marker TEXT, paragraph TEXT, callout INTEGER,
    lang TEXT, article TEXT);
CREATE INDEX IF NOT EXISTS texts_edition ON texts (edition, item);
CREATE TABLE IF NOT EXISTS text_pages (edition TEXT, page INTEGER, text_rowid INTEGER,
    PRIMARY KEY (edition, page, text_rowid)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS edits (
    edition TEXT, id INTEGER, stage TEXT, rule TEXT, page INTEGER, start INTEGER, "end" INTEGER,
    before TEXT, after TEXT, confidence REAL, note TEXT, superseded_by INTEGER,
    PRIMARY KEY (edition, id)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS edits_page ON edits (edition, page);
CREATE VIRTUAL TABLE IF NOT EXISTS fts USING fts5(
    text, tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3');
CREATE TABLE IF NOT EXISTS articles (
    edition TEXT, id TEXT, seq INTEGER, title TEXT, byline TEXT, section TEXT, pages TEXT,
    paragraphs TEXT, PRIMARY KEY (edition, id)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS decisions (
    id INTEGER PRIMARY KEY, edition TEXT NOT NULL, edit INTEGER, item TEXT, start INTEGER,
    "end" INTEGER, action TEXT NOT NULL, text TEXT, expect TEXT, reviewer TEXT NOT NULL,
    at TEXT NOT NULL);
CREATE UNIQUE INDEX IF NOT EXISTS decisions_edit ON decisions (edition, edit) WHERE edit IS NOT NULL;
CREATE UNIQUE INDEX IF NOT EXISTS decisions_span ON decisions (edition, item, start, "end")
    WHERE edit IS NULL;
CREATE INDEX IF NOT EXISTS decisions_edition ON decisions (edition, id);
"""

# ----------------------------------------------------------------------------------------------
# edition identity and validation


def slugify(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    text = re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-").lower()
    return text[:60].strip("-")


def edition_id(edition: dict) -> str:
    md = edition.get("metadata") or {}
    title = md.get("title")
    base = slugify(title) if isinstance(title, str) else ""
    parts = []
    if md.get("volume") is not None:
        parts.append(f"v{md['volume']}")
    if md.get("number") is not None:
        parts.append(f"n{md['number']}")
    if md.get("year") is not None:
        parts.append(str(md["year"]))
    if base and parts:
        return "-".join([base] + parts)
    h = hashlib.sha1()
    for p in edition.get("pages", []):
        h.update(p.get("raw", "").encode("utf-8", "surrogatepass"))
        h.update(b"\x00")
    return f"{base or 'edition'}-{h.hexdigest()[:10]}"


# ----------------------------------------------------------------------------------------------
# the library


class Library:
    def __init__(self, path: str, *, readonly: bool = False, create: bool = True):
        self.path = str(path)
        if readonly:
            if not Path(self.path).exists():
                raise ReissueError("no such library", path=self.path,
                                   hint="create it with `reissue index EDITION_DIR --db LIBRARY`")
            uri = "file:" + quote(Path(self.path).resolve().as_posix()) + "?mode=ro"
        try:
            if readonly:
                self.db = sqlite3.connect(uri, uri=True, check_same_thread=False)
            else:
                self.db = sqlite3.connect(self.path, check_same_thread=False)
        except sqlite3.Error as exc:
            raise ReissueError(f"cannot open the library ({exc})", path=self.path,
                               hint="check that its folder exists and is writable") from exc
        self.db.row_factory = sqlite3.Row
        self.readonly = readonly
        try:
            # searching reads the full-text index's pages: map the file, keep more of it in each connection
            self.db.execute("PRAGMA mmap_size = 268435456")
            self.db.execute("PRAGMA cache_size = -16384")
            if not readonly and create:
                self.db.execute("PRAGMA journal_mode=WAL")
                self.db.executescript(SCHEMA + ACCOUNTS_SCHEMA)
                self.db.execute("INSERT OR IGNORE INTO meta VALUES ('schema', ?)", (str(SCHEMA_VERSION),))
                cols = {r[1] for r in self.db.execute("PRAGMA table_info(texts)")}
                for col in ("lang", "article"):  # libraries made before paragraphs had them
                    if col not in cols:
                        self.db.execute(f"ALTER TABLE texts ADD COLUMN {col} TEXT")
                self.db.commit()
            else:
                self.db.execute("SELECT 1 FROM editions LIMIT 1")
                self.db.execute("PRAGMA busy_timeout = 5000")
            cols = {r[1] for r in self.db.execute("PRAGMA table_info(texts)")}
            tables = {r[0] for r in self.db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            self.has_articles = "article" in cols and "articles" in tables
        except sqlite3.DatabaseError as exc:
            self.db.close()
            raise ReissueError(f"not a reissue library ({exc})", path=self.path,
                               hint="create one with `reissue index EDITION_DIR --db LIBRARY`") from exc

    def close(self):
        self.db.close()

    # -- writing
    def add_editions(self, editions: list[dict], sources: list[str] | None = None, *,
                     validated: bool = False) -> list[str]:
        """Validate (unless already done) then add/replace all editions in one transaction; returns their ids."""
        sources = sources or [""] * len(editions)
        if not validated:
            for ed, src in zip(editions, sources):
                validate_edition(ed, src or None)
        ids = []
        try:
            with self.db:
                for ed, src in zip(editions, sources):
                    ids.append(self._add(ed, src))
        except sqlite3.Error as exc:
            raise ReissueError(f"cannot write the library ({exc}); nothing was changed", path=self.path) from exc
        return ids

    def _delete(self, eid: str):
        db = self.db
        rowids = [r[0] for r in db.execute("SELECT rowid FROM texts WHERE edition=?", (eid,))]
        if rowids:
            db.executemany("DELETE FROM fts WHERE rowid=?", [(r,) for r in rowids])
        for table in ("texts", "text_pages", "pages", "edits", "edition_data", "articles"):
            db.execute(f"DELETE FROM {table} WHERE edition=?", (eid,))
        db.execute("DELETE FROM editions WHERE id=?", (eid,))

    def _add(self, ed: dict, source: str) -> str:
        db = self.db
        eid = edition_id(ed)
        self._delete(eid)
        md = ed["metadata"]
        pages = ed["pages"]
        numbers = [p.get("number") for p in pages]
        keys = page_keys(numbers)
        n_corr = sum(1 for e in ed["edits"] if e["stage"] == "correct")
        n_words = sum(len(p["text"].split()) for p in ed["paragraphs"])
        db.execute("INSERT INTO editions VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                   (eid, md.get("title"), md.get("volume"), md.get("number"), md.get("year"),
                    len(pages), len(ed["paragraphs"]), len(ed["footnotes"]), len(ed["edits"]), n_corr,
                    n_words, source, time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                    json.dumps(ed.get("generator", {}))))
        db.execute("INSERT INTO edition_data VALUES (?,?)",
                   (eid, zlib.compress(json.dumps(ed, ensure_ascii=False).encode("utf-8"), 1)))
        db.executemany("INSERT INTO pages VALUES (?,?,?,?,?,?,?)",
                       [(eid, i, p.get("number"), keys[i], p.get("source", ""), p["raw"],
                         json.dumps(p.get("furniture", []))) for i, p in enumerate(pages)])
        db.executemany('INSERT INTO edits VALUES (?,?,?,?,?,?,?,?,?,?,?,?)',
                       [(eid, e.get("id", i), e["stage"], e["rule"], e["page"], e["start"], e["end"],
                         e["before"], e["after"], e.get("confidence", 1.0), e.get("note", ""),
                         e.get("superseded_by")) for i, e in enumerate(ed["edits"])])
        arts = ed.get("articles") if isinstance(ed.get("articles"), list) else []
        rows = []
        for k, a in enumerate(arts):
            if not isinstance(a, dict) or not isinstance(a.get("id"), str):
                continue
            paras = [x for x in (a.get("paragraphs") or []) if isinstance(x, str)]
            rows.append((eid, a["id"], k, text_or_none(a.get("title")), text_or_none(a.get("byline")),
                         text_or_none(a.get("section")),
                         json.dumps([x for x in (a.get("pages") or []) if isinstance(x, int)]), json.dumps(paras)))
        db.executemany("INSERT OR IGNORE INTO articles VALUES (?,?,?,?,?,?,?,?)", rows)
        (next_rowid,) = db.execute("SELECT coalesce(max(rowid), 0) + 1 FROM texts").fetchone()
        texts, tpages, fts = [], [], []
        for t in text_rows(ed):
            rowid = next_rowid + t["seq"]
            texts.append((rowid, eid, t["seq"], t["kind"], t["item"], t["text"], json.dumps(t["spans"]),
                          json.dumps(t["page_breaks"]), t["first_page"], t["marker"], t["paragraph"], t["callout"],
                          t["lang"], t["article"]))
            tpages.extend((eid, p, rowid) for p in t["pages"])
            fts.append((rowid, t["text"]))
        db.executemany("INSERT INTO texts VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)", texts)
        db.executemany("INSERT OR IGNORE INTO text_pages VALUES (?,?,?)", tpages)
        db.executemany("INSERT INTO fts (rowid, text) VALUES (?,?)", fts)
        if db.execute("SELECT 1 FROM decisions WHERE edition=? LIMIT 1", (eid,)).fetchone():
            self.refresh_search_text(eid)  # review decisions kept across re-indexing
        return eid

    def optimize(self):
        with self.db:
            self.db.execute("INSERT INTO fts(fts) VALUES ('optimize')")

    # -- reading
    def editions(self) -> list[dict]:
        rows = self.db.execute(
            "SELECT e.*, (SELECT count(*) FROM decisions d WHERE d.edition = e.id) AS n_decisions "
            "FROM editions e ORDER BY title COLLATE NOCASE, year, volume, number, id").fetchall()
        return [dict(r) for r in rows]

    def edition(self, eid: str) -> dict | None:
        r = self.db.execute("SELECT * FROM editions WHERE id=?", (eid,)).fetchone()
        return dict(r) if r else None

    def edition_json(self, eid: str) -> dict | None:
        r = self.db.execute("SELECT json FROM edition_data WHERE edition=?", (eid,)).fetchone()
        return json.loads(zlib.decompress(r[0]).decode("utf-8")) if r else None

    def pages(self, eid: str) -> list[dict]:
        return [dict(r) for r in self.db.execute(
            "SELECT idx, number, key, source FROM pages WHERE edition=? ORDER BY idx", (eid,))]

    def page(self, eid: str, key: str) -> dict | None:
        r = self.db.execute("SELECT * FROM pages WHERE edition=? AND key=?", (eid, key)).fetchone()
        return dict(r) if r else None

    def texts_on_page(self, eid: str, idx: int) -> list[dict]:
        rows = self.db.execute(
            "SELECT t.* FROM text_pages tp JOIN texts t ON t.rowid = tp.text_rowid "
            "WHERE tp.edition=? AND tp.page=? ORDER BY t.seq", (eid, idx)).fetchall()
        out = []
        for r in rows:
            d = dict(r)
            d["spans"] = json.loads(d["spans"])
            d["page_breaks"] = json.loads(d["page_breaks"])
            out.append(d)
        return out

    def text_item(self, eid: str, item: str) -> dict | None:
        r = self.db.execute("SELECT * FROM texts WHERE edition=? AND item=?", (eid, item)).fetchone()
        if not r:
            return None
        d = dict(r)
        d["spans"] = json.loads(d["spans"])
        d["page_breaks"] = json.loads(d["page_breaks"])
        return d

    def edits(self, eid: str, ids: list[int] | None = None, page: int | None = None) -> dict[int, dict]:
        if ids is not None:
            ids = sorted(set(ids))
            if not ids:
                return {}
            rows = self.db.execute(f"SELECT * FROM edits WHERE edition=? AND id IN ({','.join('?' * len(ids))})",
                                   (eid, *ids)).fetchall()
        elif page is not None:
            rows = self.db.execute("SELECT * FROM edits WHERE edition=? AND page=? ORDER BY start, id",
                                   (eid, page)).fetchall()
        else:
            rows = self.db.execute("SELECT * FROM edits WHERE edition=? ORDER BY id", (eid,)).fetchall()
        return {r["id"]: dict(r) for r in rows}

    def titles(self) -> list[str]:
        return [r[0] for r in self.db.execute(
            "SELECT DISTINCT title FROM editions WHERE title IS NOT NULL ORDER BY title COLLATE NOCASE")]

    def years(self) -> list[int]:
        return [r[0] for r in self.db.execute(
            "SELECT DISTINCT year FROM editions WHERE year IS NOT NULL ORDER BY year")]

    def articles(self, eid: str) -> list[dict]:
        """The issue's articles (edition.json ``articles``), in order; [] when it has none."""
        if not self.has_articles:
            return []
        out = []
        for r in self.db.execute("SELECT * FROM articles WHERE edition=? ORDER BY seq", (eid,)):
            d = dict(r)
            d["pages"] = json.loads(d["pages"] or "[]")
            d["paragraphs"] = json.loads(d["paragraphs"] or "[]")
            out.append(d)
        return out

    def languages(self) -> list[str]:
        if not self.has_articles:
            return []
        return [r[0] for r in self.db.execute("SELECT DISTINCT lang FROM texts WHERE lang IS NOT NULL ORDER BY lang")]

    # -- search
    def search(self, q: str, **kw) -> SearchResult:
        """Search the library (see :func:`reissue.search.run_search` for the filters)."""
        return run_search(self, q, **kw)

    # -- review decisions
    def decisions(self, eid: str) -> list[dict]:
        return [dict(r) for r in self.db.execute(
            "SELECT * FROM decisions WHERE edition=? ORDER BY id", (eid,))]

    def decide(self, eid: str, *, action: str, reviewer: str, edit: int | None = None, item: str | None = None,
               start: int | None = None, end: int | None = None, text: str | None = None,
               expect: str | None = None) -> dict:
        at = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        with self.db:
            if edit is not None:
                self.db.execute("DELETE FROM decisions WHERE edition=? AND edit=?", (eid, edit))
            else:
                self.db.execute('DELETE FROM decisions WHERE edition=? AND edit IS NULL AND item=? AND start=? '
                                'AND "end"=?', (eid, item, start, end))
            if action != "undo":
                self.db.execute('INSERT INTO decisions (edition, edit, item, start, "end", action, text, expect, '
                                'reviewer, at) VALUES (?,?,?,?,?,?,?,?,?,?)',
                                (eid, edit, item, start, end, action, text, expect, reviewer, at))
            log_decision(self.db, {"edition": eid, "edit": edit, "item": item, "start": start, "end": end,
                                   "action": action, "text": text, "expect": expect, "reviewer": reviewer, "at": at})
            items = [item] if item is not None else self.items_with_edit(eid, edit)
            self.refresh_search_text(eid, items)
        return {"edition": eid, "edit": edit, "item": item, "start": start, "end": end, "action": action,
                "text": text, "reviewer": reviewer, "at": at}


    def items_with_edit(self, eid: str, edit: int | None) -> list[str]:
        if edit is None:
            return []
        row = self.db.execute("SELECT page FROM edits WHERE edition=? AND id=?", (eid, edit)).fetchone()
        if row is None:
            return []
        return [t["item"] for t in self.texts_on_page(eid, row[0]) if any(s[5] == edit for s in t["spans"])]

    def refresh_search_text(self, eid: str, items: list[str] | None = None) -> None:
        """Make the full-text index show the text with the live review decisions applied.

        ``items``: the paragraphs/notes to refresh (None: every one with a decision). Call inside a
        transaction. Offsets of hits (pages of a hit) still come from the indexed text's page breaks.
        """
        decisions = self.decisions(eid)
        live = [d for d in decisions if decision_status(self, eid, d) == "ok"]
        if items is None:
            items = sorted({d["item"] for d in live if d["item"]} |
                           {i for d in live if d["edit"] is not None for i in self.items_with_edit(eid, d["edit"])})
        for name in items:
            t = self.text_item(eid, name)
            if t is None:
                continue
            ids = [s[5] for s in t["spans"] if s[5] is not None]
            text = "".join(p["text"] for p in overlay(t, self.edits(eid, ids=ids), live))
            self.db.execute("UPDATE fts SET text=? WHERE rowid=?", (text, t["rowid"]))


def stale_decisions(lib: Library, eid: str) -> list[dict]:
    """Decisions that no longer match the indexed edition (kept, never applied)."""
    return [d for d in lib.decisions(eid) if is_stale(decision_status(lib, eid, d))]


# ----------------------------------------------------------------------------------------------
# CLI


@click.command("index")
@click.argument("edition_dirs", nargs=-1, required=True, type=click.Path(exists=True))
@click.option("--db", "-o", "--output", "db_path", default="library.sqlite", show_default=True,
              type=click.Path(dir_okay=False), help="SQLite library file to add to (created if missing).")
@click.option("--optimize/--no-optimize", default=True, help="Merge the full-text index after adding.")
def index_command(edition_dirs, db_path, optimize):
    """Add editions (folders written by `reissue build`, or their edition.json) to a library.

    Re-indexing an edition replaces it. If any edition is broken or foreign, nothing is changed.
    Each edition is added in its own transaction (read again after a first pass that checks them
    all, so memory does not grow with their number): a kill leaves the library intact, holding the
    editions added before it, and running the same command again completes it.
    """
    try:
        srcs, errors = [], []
        for d in edition_dirs:  # first pass: check every edition before changing anything
            try:
                _ed, src = load_edition_file(d)
                srcs.append(src)
            except EditionError as exc:
                errors.append(exc)
            _ed = None
        if errors:
            for e in errors:
                click.echo(f"reissue: error: {e}", err=True)
            click.echo(f"reissue: nothing was indexed; the library {db_path} is unchanged", err=True)
            raise SystemExit(EditionError.exit_code)
        t0 = time.perf_counter()
        lib = Library(db_path)
        try:
            npages = 0
            for src in srcs:  # one transaction per edition
                ed, _src = load_edition_file(src)
                (eid,) = lib.add_editions([ed], [src], validated=True)
                npages += len(ed["pages"])
                md = ed["metadata"]
                click.echo(f"indexed {eid}: {md.get('title') or '(untitled)'} — {len(ed['pages'])} pages, "
                           f"{len(ed['paragraphs'])} paragraphs, {len(ed['footnotes'])} notes")
                stale = stale_decisions(lib, eid)
                if stale:
                    click.echo(f"  warning: {len(stale)} review decision(s) no longer match this edition; "
                               "they are kept but not applied (see the reader)", err=True)
            if optimize:
                lib.optimize()
            dt = time.perf_counter() - t0
            click.echo(f"{len(srcs)} edition(s), {npages} pages in {dt:.2f}s -> {db_path}")
        finally:
            lib.close()
    except ReissueError as exc:
        click.echo(f"reissue: error: {exc}", err=True)
        raise SystemExit(exc.exit_code)
