"""The edition format, ``reissue-edition/1`` (``edition.json``): one module owns it.

* :func:`document_to_dict` / :func:`document_from_dict` (also :func:`to_dict` / :func:`from_dict`): a
  :class:`~reissue.model.Document` to the edition dict and back; item by item: :func:`document_header`,
  :func:`page_to_dict`, :func:`paragraph_to_dict`, :func:`footnote_to_dict`, :func:`edit_to_dict`;
* :func:`validate`: is a dict a well-formed edition (what indexing and export read);
  :func:`load`: read and validate an ``edition.json``;
* :func:`rebuild_raw`: every page's raw OCR from paragraphs, notes and active edits alone, and
  :func:`check_rebuild`, which refuses an edition dict that does not rebuild its raw text exactly
  (``reissue.export.write_edition`` runs the same check on the Document, page by page, before
  anything is written, as black checks its output: :func:`reissue.export_stream.check_rebuild`);
* :func:`page_keys`: the URL key of every page;
* :func:`active_edits`, :func:`active_corrections`: the edits that make the reading text;
* :func:`apply_decisions`: review decisions applied to a Document as ``review`` edits.

Anchors are raw-text positions: a footnote's call-out is ``Footnote.anchor`` = (page index, raw
offset), which no edit moves; the text offset ``callout`` is computed only here, when the edition
dict is made, so a review decision before a call-out cannot leave it pointing into another word.
The JavaScript reader (``web/static/edition.js``) reads this same dict.

Fields may be added to the format, never renamed or dropped.
"""

from __future__ import annotations

import json
from array import array
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from .errors import EditionError
from .model import Document, Edit, Footnote, FurnitureLine, Metadata, Page, Paragraph, Piece, TrackedText
from .packed import EditRef

FORMAT = "reissue-edition/1"
CORRECTION_STAGES = ("correct",)  # stages whose edits a reviewer accepts, rejects or rewrites
# the rule of a correction that joins a word printed letter-spaced (German Sperrsatz, emphasis: ``E r f o l g``
# -> ``Erfolg``; reissue.correct.spaced): the exports mark its word as spaced print (TEI ``<hi rend>``, the reader)
LETTER_SPACED_RULE = "letter-spaced"
# A correction's confidence from which it counts as certain (TEI ``cert="high"``); the reader marks those below as
# uncertain. Of the English corrections read by hand on real newspaper pages (benchmarks/bench_real_edits.py), nine
# in ten of those at or above it were right, six in ten of those below.
CERTAIN = 0.9
PROBABLE = 0.7  # ... and from which a correction is TEI cert="medium" (below: "low")


def certainty(confidence: float) -> str:
    """The TEI ``cert`` of a correction's confidence: high, medium or low."""
    return "high" if confidence >= CERTAIN else "medium" if confidence >= PROBABLE else "low"


def uncertain(e: dict, decision: dict | None = None) -> bool:
    """Is the edit e a correction below CERTAIN that no reviewer has decided on (shown as uncertain)?"""
    return e["stage"] in CORRECTION_STAGES and decision is None and float(e.get("confidence") or 0.0) < CERTAIN


class RebuildError(EditionError, ValueError):
    """The edition does not rebuild its raw text (a gap or overlap of spans and edits)."""


# ----------------------------------------------------------------------------------------------
# rebuilding the raw text (the edition's promise that nothing is lost)


def rebuild_raw(edition: dict) -> list[str]:
    """Rebuild every page's raw text from paragraphs/footnotes spans and active edits only.

    ``pages[].raw`` is *not* read: this proves the edition records everything the input said.
    """
    npages = len(edition["pages"])
    segs: list[list[tuple[int, int, str]]] = [[] for _ in range(npages)]
    edits = edition["edits"]
    for coll in ("paragraphs", "footnotes"):
        for item in edition.get(coll, []):
            text = item["text"]
            for pg, rs, re_, ts, te, eid in item["spans"]:
                if eid is None:
                    segs[pg].append((rs, re_, text[ts:te]))
    for e in edits:
        if e.get("superseded_by") is None:
            segs[e["page"]].append((e["start"], e["end"], e["before"]))
    out = []
    for pg, lst in enumerate(segs):
        lst.sort(key=lambda t: (t[0], t[1]))
        pos = 0
        parts = []
        for s, e, txt in lst:
            if s == e and not txt:
                continue
            if s != pos:
                raise RebuildError(f"page {pg}: gap or overlap at raw offset {pos} (next span {s}:{e})")
            if len(txt) != e - s:
                raise RebuildError(f"page {pg}: span {s}:{e} holds {len(txt)} chars")
            parts.append(txt)
            pos = e
        out.append("".join(parts))
    return out


def check_segments(raws: Sequence[str], segments: Iterable[tuple[int, int, int, str, int | None]]) -> None:
    """Raise :class:`RebuildError` unless ``segments`` rebuild every page's raw text ``raws[page]``
    exactly: each ``(page, raw start, raw end, text, edit id or None)`` (a verbatim span and its text,
    or an active edit and its ``before``) says what the raw text holds there, and together they cover
    each page once, without a gap or an overlap. The check of :func:`rebuild_raw` against
    ``pages[].raw``, holding two offsets per segment, for an edition dict and a Document alike."""
    bounds = [array("q") for _ in raws]  # per page: start, end, start, end, ...
    for pg, rs, re_, text, eid in segments:
        if not 0 <= pg < len(raws):
            raise RebuildError(f"{'edit %s' % eid if eid is not None else 'a span'} names page {pg}, "
                               "which the edition does not have")
        if eid is not None and rs == re_ and not text:
            continue  # an insertion: it covers no raw text
        raw = raws[pg]
        if len(text) != re_ - rs or text != raw[rs:re_]:
            at = rs + next((k for k, (a, b) in enumerate(zip(text, raw[rs:re_])) if a != b),
                           min(len(text), len(raw[rs:re_])))
            raise RebuildError(f"page {pg} differs at raw offset {at}"
                               + (f": edit {eid} does not record the raw text it replaces" if eid is not None else ""))
        bounds[pg].extend((rs, re_))
    for pg, b in enumerate(bounds):
        spans = sorted(zip(b[::2], b[1::2]))
        bounds[pg] = None  # noqa: the page is checked; its offsets are not needed any more
        pos = 0
        for s, e in spans:
            if s == e:
                continue
            if s != pos:
                raise RebuildError(f"page {pg}: gap or overlap at raw offset {pos} (next span {s}:{e})")
            pos = e
        if pos != len(raws[pg]):
            raise RebuildError(f"page {pg}: the edition ends at raw offset {pos} of {len(raws[pg])}")


def edition_segments(edition: dict) -> Iterator[tuple[int, int, int, str, int | None]]:
    """The segments of an edition dict for :func:`check_segments`."""
    for coll in ("paragraphs", "footnotes"):
        for item in edition.get(coll, []):
            text = item["text"]
            for pg, rs, re_, ts, te, eid in item["spans"]:
                if eid is None:
                    yield pg, rs, re_, text[ts:te], None
    for i, e in enumerate(edition["edits"]):
        if e.get("superseded_by") is None:
            yield e["page"], e["start"], e["end"], e["before"], e.get("id", i)


def check_rebuild(edition: dict, path: str | None = None) -> None:
    """Raise EditionError unless the edition dict ``edition`` rebuilds every page's raw text exactly
    (an edition read from disk; ``write_edition`` runs the same check, :func:`check_segments`, on the
    Document, :func:`reissue.export_stream.check_rebuild`, before it writes anything)."""
    try:
        check_segments([p["raw"] for p in edition["pages"]], edition_segments(edition))
    except RebuildError as exc:
        raise EditionError(f"the edition does not rebuild the raw OCR exactly ({exc.message}); nothing written",
                           path=path, hint="this is a bug: please report it with the input") from exc


# ----------------------------------------------------------------------------------------------
# Document <-> dict (edition.json). Fields may be added, never renamed or dropped.


def edit_to_dict(doc: "Document", e: Edit) -> dict:
    if type(e) is EditRef:  # a row of the Document's EditTable: its fields in one read
        stage, rule, page, start, end, before, after, conf, note, sup, eid = e.values()
    else:
        stage, rule, page, start, end, before, after, conf, note, sup, eid = (
            e.stage, e.rule, e.page, e.start, e.end, e.before, e.after, e.confidence, e.note, e.superseded_by, e.id)
    return {"id": eid, "stage": stage, "rule": rule, "page": page,
            "page_number": doc.pages[page].number, "start": start, "end": end,
            "before": before, "after": after, "confidence": round(float(conf), 4),
            "note": note, "superseded_by": sup}


def _page_labels(p: "Page") -> dict:
    """What the input itself names the page: its label (METS ORDERLABEL) and, for a scan of two
    printed pages, both page numbers (PAGE XML page-number regions)."""
    out = {}
    info = p.info if isinstance(p.info, dict) else {}
    if info.get("mets_label"):
        out["label"] = info["mets_label"]
    if len(info.get("printed_numbers") or ()) > 1:
        out["printed_numbers"] = list(info["printed_numbers"])
    return out


def page_to_dict(doc: "Document", p: "Page") -> dict:
    return {
        "index": p.index, "source": p.source, "number": p.number,
        "number_source": p.number_source, "encoding": p.encoding, "lang": p.lang,
        "furniture": [{"kind": f.kind, "text": f.text, "line": f.line, "start": f.start,
                       "end": f.end, "edit": f.edit} for f in p.furniture],
        "raw": p.raw,
    } | _page_labels(p)


def paragraph_to_dict(doc: "Document", para: "Paragraph") -> dict:
    label = doc.page_label
    return {
        "id": para.id, "kind": para.kind, "lang": para.lang, "text": para.text.text,
        "pages": [label(i) for i in para.pages()],
        "page_breaks": [{"page": label(pg), "index": pg, "offset": off}
                        for pg, off in para.text.page_breaks()],
        "spans": para.text.spans(),
    }


def callout_offset(doc: "Document", f: "Footnote", paragraphs: dict | None = None) -> int | None:
    """Text offset of a footnote's call-out in its paragraph, from its raw anchor (None when unlinked).
    ``paragraphs``: id -> Paragraph, when the caller has one (else the paragraphs are searched)."""
    if f.anchor is None or f.paragraph is None:
        return None
    if paragraphs is not None:
        para = paragraphs.get(f.paragraph)
    else:
        para = next((p for p in doc.paragraphs if p.id == f.paragraph), None)
    return para.text.offset_of(*f.anchor) if para is not None else None


def footnote_to_dict(doc: "Document", f: "Footnote", paragraphs: dict | None = None) -> dict:
    return {
        "id": f.id, "marker": f.marker, "lang": f.lang, "text": f.text.text,
        "page": doc.page_label(f.page) if f.page is not None else None, "page_index": f.page,
        "paragraph": f.paragraph, "callout": callout_offset(doc, f, paragraphs),
        "anchor": list(f.anchor) if f.anchor is not None else None,
        "spans": f.text.spans(),
    }


def document_header(doc: "Document", generator: dict | None = None) -> dict:
    """The small fields of the edition that come before ``pages``."""
    from . import __version__

    return {
        "format": FORMAT,
        "generator": generator or {"name": "reissue", "version": __version__, "stages": doc.stages,
                                   "parameters": doc.parameters},
        "metadata": doc.metadata.to_dict(),
    }


def document_to_dict(doc: "Document", generator: dict | None = None) -> dict:
    """The whole edition dict. :func:`reissue.export_stream.edition_view` gives the same fields lazily
    (item by item, for writing an edition without holding a second copy of it)."""
    paras = {p.id: p for p in doc.paragraphs} if doc.footnotes else {}
    return document_header(doc, generator) | {
        "pages": [page_to_dict(doc, p) for p in doc.pages],
        "paragraphs": [paragraph_to_dict(doc, para) for para in doc.paragraphs],
        "footnotes": [footnote_to_dict(doc, f, paras) for f in doc.footnotes],
        "edits": [edit_to_dict(doc, e) for e in doc.edits],
        "problems": list(doc.problems),
        "articles": [dict(a, pages=list(a["pages"]), paragraphs=list(a["paragraphs"])) for a in doc.articles],
        "contents": [dict(c) for c in doc.contents],
    } | ({"structure": doc.structure} if doc.structure else {})


def document_from_dict(d: dict) -> "Document":
    """Load an edition dict back into a Document (lines are not restored, only the results)."""
    if not isinstance(d, dict) or d.get("format") != FORMAT:
        raise EditionError(f"not a reissue edition (format is {d.get('format') if isinstance(d, dict) else type(d).__name__!r}, expected {FORMAT!r})",
                           hint="point at an edition.json written by `reissue build`")
    try:
        md = d["metadata"]
        doc = Document(metadata=Metadata(md.get("title"), md.get("volume"), md.get("number"),
                                         md.get("year"), md.get("page_count"), md.get("evidence", {}),
                                         md.get("date"), list(md.get("languages") or [])),
                       structure=list(d.get("structure") or []) or None)
        for i, p in enumerate(d["pages"]):
            page = Page(index=i, source=p["source"], raw=p["raw"], encoding=p.get("encoding", "utf-8"),
                        number=p.get("number"), number_source=p.get("number_source"), lang=p.get("lang"))
            page.furniture = [FurnitureLine(f["kind"], f["text"], f.get("line", -1), f.get("start", -1),
                                            f.get("end", -1), f.get("edit", -1)) for f in p["furniture"]]
            doc.pages.append(page)
        for e in d["edits"]:
            ed = Edit(e["stage"], e["rule"], e["page"], e["start"], e["end"], e["before"], e["after"],
                      e.get("confidence", 1.0), e.get("note", ""), e.get("superseded_by"))
            doc.record(ed)
        for p in d["paragraphs"]:
            doc.paragraphs.append(Paragraph(p["id"], TrackedText.from_spans(p["text"], p["spans"]),
                                            p.get("kind", "paragraph"), p.get("lang")))
        paras = {p.id: p for p in doc.paragraphs}
        for f in d["footnotes"]:
            anchor = f.get("anchor")
            if anchor is None and f.get("callout") is not None and f.get("paragraph") in paras:
                anchor = paras[f["paragraph"]].text.anchor_at(f["callout"])  # an edition made before anchors
            doc.footnotes.append(Footnote(f["id"], f["marker"], TrackedText.from_spans(f["text"], f["spans"]),
                                          f.get("page_index"), f.get("paragraph"),
                                          tuple(anchor) if anchor is not None else None, f.get("lang")))
        doc.problems = list(d.get("problems", []))
        doc.articles = [dict(a) for a in d.get("articles", [])]
        doc.contents = [dict(c) for c in d.get("contents", [])]
        doc.stages = list(d.get("generator", {}).get("stages", []))
        doc.parameters = dict(d.get("generator", {}).get("parameters") or {})
    except (KeyError, TypeError, ValueError, IndexError) as exc:
        raise EditionError(f"edition is incomplete or malformed ({type(exc).__name__}: {exc})",
                           hint="rebuild it with `reissue build`") from exc
    return doc


to_dict = document_to_dict
from_dict = document_from_dict


# ----------------------------------------------------------------------------------------------
# validation and loading


def _check(cond: bool, what: str, path: str | None):
    if not cond:
        raise EditionError(f"edition is malformed: {what}", path=path,
                           hint="rebuild it with `reissue build`")


def validate(ed, path: str | None = None) -> None:
    """Raise EditionError unless ``ed`` is a well-formed reissue-edition/1 dict (what indexing reads)."""
    if not isinstance(ed, dict) or ed.get("format") != FORMAT:
        fmt = ed.get("format") if isinstance(ed, dict) else type(ed).__name__
        raise EditionError(f"not a reissue edition (format is {fmt!r}, expected {FORMAT!r})", path=path,
                           hint="point at an edition.json written by `reissue build`")
    for key, typ in (("metadata", dict), ("pages", list), ("paragraphs", list), ("footnotes", list),
                     ("edits", list)):
        _check(isinstance(ed.get(key), typ), f"'{key}' missing or not a {typ.__name__}", path)
    md = ed["metadata"]
    _check(md.get("title") is None or isinstance(md["title"], str), "metadata.title is not text", path)
    for k in ("volume", "number", "year"):
        _check(md.get(k) is None or (isinstance(md[k], int) and not isinstance(md[k], bool)),
               f"metadata.{k} is not an integer", path)
    npages = len(ed["pages"])
    _check(npages > 0, "no pages", path)
    for i, p in enumerate(ed["pages"]):
        _check(isinstance(p, dict) and isinstance(p.get("raw"), str), f"page {i} has no raw text", path)
        n = p.get("number")
        _check(n is None or (isinstance(n, int) and not isinstance(n, bool)), f"page {i} number is not an integer", path)
    nedits = len(ed["edits"])
    for i, e in enumerate(ed["edits"]):  # hot loop: messages are only formatted on failure
        if not isinstance(e, dict):
            _check(False, f"edit {i} is not an object", path)
        if e.get("id", i) != i:
            _check(False, f"edit {i} has id {e.get('id')!r}", path)
        pg = e.get("page")
        if not (type(pg) is int and 0 <= pg < npages):
            _check(False, f"edit {i} points at no page", path)
        for k in ("stage", "rule", "before", "after"):
            if type(e.get(k)) is not str:
                _check(False, f"edit {i} field {k!r} is not text", path)
        if type(e.get("start")) is not int or type(e.get("end")) is not int:
            _check(False, f"edit {i} start/end are not integers", path)
    for coll in ("paragraphs", "footnotes"):
        seen = set()
        for i, t in enumerate(ed[coll]):
            _check(isinstance(t, dict) and isinstance(t.get("text"), str) and isinstance(t.get("id"), str),
                   f"{coll}[{i}] has no id or text", path)
            if t["id"] in seen:
                _check(False, f"{coll}[{i}] repeats id {t['id']!r}", path)
            seen.add(t["id"])
            spans = t.get("spans")
            if not isinstance(spans, list):
                _check(False, f"{coll}[{i}] has no spans", path)
            pos = 0
            for sp in spans:
                if type(sp) is not list or len(sp) != 6:
                    _check(False, f"{coll}[{i}] has a malformed span", path)
                pg, _rs, _re, ts, te, eid = sp
                if not (type(pg) is int and 0 <= pg < npages):
                    _check(False, f"{coll}[{i}] span points at no page", path)
                if ts != pos or not (type(te) is int and te >= ts):
                    _check(False, f"{coll}[{i}] spans do not tile its text", path)
                if eid is not None and not (type(eid) is int and 0 <= eid < nedits):
                    _check(False, f"{coll}[{i}] span points at no edit", path)
                pos = te
            _check(pos == len(t["text"]), f"{coll}[{i}] spans do not cover its text", path)
            if coll == "paragraphs":
                pbs = t.get("page_breaks", [])
                _check(isinstance(pbs, list) and all(isinstance(b, dict) and isinstance(b.get("index"), int)
                                                     and 0 <= b["index"] < npages
                                                     and isinstance(b.get("offset"), int) for b in pbs),
                       f"{coll}[{i}] has malformed page_breaks", path)
            else:
                anchor = t.get("anchor")
                _check(anchor is None or (isinstance(anchor, list) and len(anchor) == 2
                                          and all(type(x) is int for x in anchor) and 0 <= anchor[0] < npages),
                       f"{coll}[{i}] has a malformed anchor", path)


validate_edition = validate


def load(path: str | Path) -> tuple[dict, str]:
    """Read EDITION_DIR/edition.json (or the file itself), validated; returns (edition dict, path read)."""
    p = Path(path)
    f = p / "edition.json" if p.is_dir() else p
    if not f.exists():
        raise EditionError("no edition.json here", path=str(f),
                           hint="give a folder written by `reissue build` or its edition.json")
    try:
        with open(f, "rb") as fh:
            data = json.loads(fh.read().decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise EditionError(f"not valid JSON ({exc})", path=str(f),
                           hint="rebuild it with `reissue build`") from exc
    except OSError as exc:
        raise EditionError(f"cannot read it ({exc.strerror})", path=str(f)) from exc
    validate(data, str(f))
    return data, str(f)


load_edition_file = load


# ----------------------------------------------------------------------------------------------
# pages and edits as the readers show them


def page_keys(numbers: list[int | None]) -> list[str]:
    """URL key of each page: its printed number when that is unique in the issue, else ``s<seq>``."""
    counts: dict[int, int] = {}
    for n in numbers:
        if n is not None:
            counts[n] = counts.get(n, 0) + 1
    return [str(n) if n is not None and counts[n] == 1 and n >= 0 else f"s{i + 1}"
            for i, n in enumerate(numbers)]


def active_edits(edits: Iterable[dict], page: int | None = None, *, raw_order: bool = True) -> list[dict]:
    """Edit dicts not superseded by a later one (of one page when given): in raw order (page, start,
    end, id), or as given when ``raw_order`` is false."""
    out = [e for e in edits if e.get("superseded_by") is None and (page is None or e["page"] == page)]
    return sorted(out, key=lambda e: (e["page"], e["start"], e["end"], e["id"])) if raw_order else out


def active_corrections(edits: Iterable[dict], page: int | None = None, *, raw_order: bool = True) -> list[dict]:
    """The active edits a reviewer decides on (stages in CORRECTION_STAGES)."""
    return [e for e in active_edits(edits, page, raw_order=raw_order) if e["stage"] in CORRECTION_STAGES]


# ----------------------------------------------------------------------------------------------
# review decisions


def edit_expect(edit: dict) -> str:
    """What a decision on an edit was made on (its ``expect``): before and after of the edit."""
    return f"{edit['before']}\x00{edit['after']}"


def apply_decisions(doc: Document, decisions: list[dict]) -> tuple[int, list[str]]:
    """Apply review decisions (rows of the library's ``decisions`` table, see ``reissue.review``) on
    ``doc`` as edits of stage ``review``; returns (applied count, problems). A decision whose text
    changed since it was made is stale: reported, never applied. Anchors are raw positions, so the
    call-outs stay where they were printed."""
    texts = {}
    for p in doc.paragraphs:
        texts[p.id] = p.text
    for f in doc.footnotes:
        texts.setdefault(f.id, f.text)
    # where each active correction sits: edit id -> (text id, a, b)
    where: dict[int, tuple[str, int, int]] = {}
    for tid, tt in texts.items():
        for s, e, piece in tt.offsets():
            if piece.edit is not None:
                where[piece.edit] = (tid, s, e)
    plans: dict[str, list[tuple[int, int, str, str, dict]]] = {}
    problems: list[str] = []
    for d in decisions:
        if d.get("edit") is not None:
            eid = d["edit"]
            if not (0 <= eid < len(doc.edits)):
                problems.append(f"decision on edit {eid}: no such edit (stale, not applied)")
                continue
            ed = doc.edits[eid]
            if edit_expect({"before": ed.before, "after": ed.after}) != d.get("expect"):
                problems.append(f"decision on edit {eid}: the correction changed since review (stale, not applied)")
                continue
            if eid not in where:
                problems.append(f"decision on edit {eid}: the correction is not in the text (not applied)")
                continue
            tid, a, b = where[eid]
            new = ed.before if d["action"] == "reject" else (d.get("text") or "")
            rule = d["action"] if d["action"] in ("accept", "reject") else "rewrite"
            plans.setdefault(tid, []).append((a, b, new, rule, d))
        else:
            tid = d.get("item")
            tt = texts.get(tid)
            s, e = d.get("start"), d.get("end")
            if tt is None or s is None or e is None or not (0 <= s <= e <= len(tt.text)) \
                    or tt.text[s:e] != d.get("expect"):
                problems.append(f"manual correction in {tid} at {s}:{e}: the text changed since review (stale, not applied)")
                continue
            plans.setdefault(tid, []).append((s, e, d.get("text") or "", "manual", d))
    applied = 0
    for tid, plan in plans.items():
        tt = texts[tid]
        plan.sort(key=lambda t: (t[0], t[1]), reverse=True)
        floor = None  # start of the leftmost range applied so far (ranges must not overlap)
        for a, b, new, rule, d in plan:
            if floor is not None and b > floor:
                problems.append(f"{rule} in {tid} at {a}:{b} overlaps another decision (not applied)")
                continue
            if rule == "accept":
                eid = _accept(doc, tt, a, b, d)
                applied += eid is not None
                floor = a
                continue
            if tt.text[a:b] == new:
                floor = a
                continue
            eid = tt.replace(doc, a, b, new, stage="review", rule=rule, confidence=1.0,
                             note=f"{d['reviewer']} {d['at']}")
            if eid is None:
                problems.append(f"{rule} in {tid} at {a}:{b} cannot be mapped to the page text (not applied)")
                continue
            applied += 1
            floor = a
    if "review" not in doc.stages:
        doc.stages.append("review")
    return applied, problems


def _accept(doc, tt, a: int, b: int, d: dict) -> int | None:
    """Record an accepted correction as a review edit over the same raw span, with the same text.

    The automatic correction is superseded by it (never lost), the text does not change, and the
    reviewer is credited like any other decision (``note`` = ``"<reviewer> <time>"``): TEI names them
    in ``resp`` beside the program, txt/md list it among the reviewed corrections.
    """
    for i, p in enumerate(tt.pieces):
        if p.edit is None or p.edit != d["edit"]:
            continue
        old = doc.edits[p.edit]
        new_id = doc.record(Edit(stage="review", rule="accept", page=old.page, start=old.start, end=old.end,
                                 before=old.before, after=old.after, confidence=1.0,
                                 note=f"{d['reviewer']} {d['at']}"))
        old.superseded_by = new_id
        tt.pieces[i] = Piece(p.page, p.start, p.end, p.text, new_id)
        return new_id
    return None
