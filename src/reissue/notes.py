"""Footnotes: note blocks at the page foot are taken out of the body and linked to their call-out.

Two functions, run around reflow:

* :func:`detect_notes` (before reflow) marks the note lines at the foot of each page, splits them
  into notes at their markers (``*``, ``†``, ``‡``, ``§``, digits, ``(1)``...), joins a note that
  continues on the next page, and records the marker removal as an edit;
* :func:`link_notes` (after reflow) finds each note's call-out in the reading text. The call-out
  stays in the text as printed; the footnote records its paragraph and offset.

Evidence used: a call-out in the body of the same page, a marker at the start of a line in the
lower part of the page, a separator rule or blank line, smaller type when the input format gives
font sizes (ALTO, hOCR), and for a marker the OCR garbled (``.-`` for ``*``) a call-out on the page
that has no note yet.
"""

from __future__ import annotations

import re
import statistics

from .model import Document, Footnote, Line
from .reflow import Lexicon, join_lines

STAGE = "notes"
SYMBOLS = "*†‡§¶"
SUPERSCRIPTS = "¹²³⁴⁵⁶⁷⁸⁹⁰"
CALLOUT = re.compile(r"(?<=[^\s\d])(\*{1,3}|†{1,2}|‡{1,2}|§|¶|[¹²³⁴⁵⁶⁷⁸⁹⁰]{1,2})"
                     r"|(?<=[.,;:!?\"”’)])(\d{1,2})(?=\s|$)")
NOTE_START = re.compile(r"^\s*(\*{1,3}|†{1,2}|‡{1,2}|§|¶|[¹²³⁴⁵⁶⁷⁸⁹⁰]{1,2}|\(\d{1,2}\)|\[\d{1,2}\]|\d{1,2}[.)]?(?=\s+\S))\s*(?=\S)")
GARBLED_START = re.compile(r"^\s*([.\-–—•·~^_,:;'`°»«]{1,3}|[.\-–—•·~^_,:;'`°»«]{1,2}[ \t])(?=[^\W\d_])")
SEPARATOR = re.compile(r"^\s*[_\-–—=*.·•~]{3,}\s*$")
SENT_END = re.compile(r"[.!?][\"'”’)\]]*\s*$")
FOOT_SHARE = 0.45  # notes live in the lower part of a page
FOOT_MAX = 30


def _norm_marker(m: str) -> str:
    m = m.strip()
    m = m.strip("()[].) ")
    trans = str.maketrans(SUPERSCRIPTS, "1234567890")
    return m.translate(trans)


def _callouts(lines: list[Line]) -> list[tuple[int, str]]:
    out = []
    for i, ln in enumerate(lines):
        for m in CALLOUT.finditer(ln.str):
            out.append((i, _norm_marker(m.group())))
    return out


def _font_foot(page, body: list[Line]) -> int | None:
    """Index in ``body`` where small-type lines at the foot begin (ALTO/hOCR font sizes)."""
    info = page.info.get("lines") if isinstance(page.info, dict) else None
    if not info:
        return None
    sizes = []
    for ln in body:
        if ln.no < len(info):
            fs = info[ln.no].get("font_size") or info[ln.no].get("h")
            sizes.append(fs)
        else:
            sizes.append(None)
    known = [s for s in sizes if s]
    if len(known) < 4:
        return None
    med = statistics.median(known)
    k = len(body)
    while k > 0 and sizes[k - 1] and sizes[k - 1] < 0.85 * med:
        k -= 1
    return k if k < len(body) else None


def detect_notes(doc: Document) -> Document:
    lex = None
    prev_open: Footnote | None = None  # a note that ran off the foot of the previous page
    prev_open_lines: list[Line] = []
    notes: list[tuple[Footnote, list[Line]]] = []
    for page in doc.pages:
        body = [ln for ln in page.lines if ln.kind == "body"]
        if not body:
            continue
        calls = _callouts(body)
        foot_from = max(1, int(len(body) * (1 - FOOT_SHARE)), len(body) - FOOT_MAX)
        start = None
        garbled = False
        fk = _font_foot(page, body)
        for i in range(foot_from, len(body)):
            m = NOTE_START.match(body[i].str)
            if not m:
                continue
            mk = _norm_marker(m.group(1))
            has_call = any(ci < i and cm == mk for ci, cm in calls)
            if mk and mk[0] in SYMBOLS and (has_call or i >= len(body) - 6 or fk is not None):
                start = i
                break
            if has_call:
                start = i
                break
        if start is None and fk is not None and NOTE_START.match(body[fk].str):
            start = fk
        if start is None:
            sym_calls = [(ci, cm) for ci, cm in calls if cm and cm[0] in SYMBOLS]
            if sym_calls:
                for i in range(max(foot_from, sym_calls[0][0] + 1), len(body)):
                    if GARBLED_START.match(body[i].str):
                        start, garbled = i, True
                        break
        # continuation of the previous page's note: lines at the foot after a separator or in small type
        cont_lines: list[Line] = []
        region_top = start if start is not None else len(body)
        if prev_open is not None:
            sep_at = None
            for ln in page.lines:
                if ln.kind == "body" and SEPARATOR.match(ln.str) and body.index(ln) >= foot_from:
                    sep_at = body.index(ln)
                    break
            cstart = sep_at + 1 if sep_at is not None else (fk if fk is not None and fk < region_top else None)
            if cstart is not None and cstart < region_top:
                cont_lines = body[cstart:region_top]
                if sep_at is not None:
                    sep = body[sep_at]
                    doc.remove_span(page.index, sep.start, sep.eol_end, stage=STAGE, rule="note-separator",
                                    note="rule above the footnotes")
                    sep.kind = "note"
                    sep.kind = "note-separator"
        elif start is not None and start > 0 and SEPARATOR.match(body[start - 1].str):
            sep = body[start - 1]
            doc.remove_span(page.index, sep.start, sep.eol_end, stage=STAGE, rule="note-separator",
                            note="rule above the footnotes")
            sep.kind = "note-separator"
        if cont_lines and prev_open is not None:
            prev_open_lines.extend(cont_lines)
            for ln in cont_lines:
                ln.kind = "note"
        prev_open = None
        if start is None:
            continue
        # split the foot block into notes at marker lines
        block = body[start:]
        current: list[Line] = []
        marker = None
        for j, ln in enumerate(block):
            m = NOTE_START.match(ln.str) if not (garbled and j == 0) else GARBLED_START.match(ln.str)
            if m and (j == 0 or (not garbled and _norm_marker(m.group(1))[:1] in SYMBOLS + "0123456789")):
                if current:
                    notes.append((Footnote(f"n{len(notes) + 1}", marker, None, page.index), current))
                mk = _norm_marker(m.group(1))
                if garbled and j == 0:
                    marker = next(cm for _, cm in calls if cm and cm[0] in SYMBOLS)
                    note = f"footnote marker, damaged in the OCR ({m.group(1).strip()!r}), read as {marker!r}"
                    conf = 0.6
                else:
                    marker = mk
                    note = "footnote marker (kept in footnotes[].marker)"
                    conf = 0.9
                ms, me = ln.start + m.start(1), ln.start + m.end(1)
                # the marker leaves the note text; an edit keeps it
                cut = ln.text.raw_pos(m.end())
                me = cut[1] if cut else me
                tt_off = m.end()
                eid = ln.text.replace(doc, 0, tt_off, "", stage=STAGE, rule="note-marker", confidence=conf,
                                      note=note)
                if eid is None:  # marker inside an edited piece: record without touching the text
                    doc.remove_span(page.index, ms, me, stage=STAGE, rule="note-marker", confidence=conf, note=note)
                current = [ln]
            else:
                current.append(ln)
            ln.kind = "note"
        if current:
            notes.append((Footnote(f"n{len(notes) + 1}", marker, None, page.index), current))
        last_fn, last_lines = notes[-1]
        if not SENT_END.search(last_lines[-1].str):
            prev_open, prev_open_lines = last_fn, last_lines
    # build note texts (after all lines are known, so continued notes are whole)
    lex = Lexicon([ln.str for p in doc.pages for ln in p.lines if ln.kind in ("body", "note")])
    for fn, lines in notes:
        fn.text = join_lines(doc, lines, lex, end_rule="note-end", stage=STAGE)
        doc.footnotes.append(fn)
    doc.stages.append(STAGE)
    return doc


def link_notes(doc: Document) -> Document:
    """Find each footnote's call-out in the reading text of its page (after reflow)."""
    used: set[tuple[str, int]] = set()
    for fn in doc.footnotes:
        best = None
        for para in doc.paragraphs:
            if fn.page not in para.text.pages():
                continue
            text = para.text.text
            for m in CALLOUT.finditer(text):
                if _norm_marker(m.group()) != fn.marker or (para.id, m.start()) in used:
                    continue
                if para.text.page_at(m.start()) == fn.page:
                    best = (para, m.start())
                    break
            if best:
                break
        if best:
            fn.paragraph, fn.callout = best[0].id, best[1]
            used.add((best[0].id, best[1]))
    return doc
