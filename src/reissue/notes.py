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

from .chars import after_stop_class, stop_class
from .contracts import stage
from .model import Document, Footnote, Line
from .ingest.common import line_layout
from .reflow import document_lexicon, join_lines

STAGE = "notes"
SYMBOLS = "*†‡§¶"
SUPERSCRIPTS = "¹²³⁴⁵⁶⁷⁸⁹⁰"
CALLOUT = re.compile(r"(?<=[^\s\d])(\*{1,3}|†{1,2}|‡{1,2}|§|¶|[¹²³⁴⁵⁶⁷⁸⁹⁰]{1,2})"
                     r"|(?<=[.,;:!?\"”’)])(\d{1,2})(?=\s|$)"
                     r"|(?<!\S)(\(\d{1,2}\)|\[\d{1,2}\])(?=[\s.,;:]|$)")
# every call-out has one of these (a note symbol, a superscript or a digit): a line without any has none
MAY_CALL = re.compile("[" + re.escape(SYMBOLS + SUPERSCRIPTS) + r"\d]")
NOTE_START = re.compile(r"^\s*(\*{1,3}\)?|†{1,2}|‡{1,2}|§|¶|[¹²³⁴⁵⁶⁷⁸⁹⁰]{1,2}|\(\d{1,2}\)|\[\d{1,2}\]|\d{1,2}[.)]?(?=\s+\S))\s*(?=\S)")
GARBLED_START = re.compile(r"^\s*([.\-–—•·~^_,:;'`°»«]{1,3}|[.\-–—•·~^_,:;'`°»«]{1,2}[ \t])(?=[^\W\d_])")
SEPARATOR = re.compile(r"^\s*[_\-–—=*.·•~]{3,}\s*$")
SENT_END = re.compile(stop_class() + after_stop_class() + r"*\s*$")  # a stop, closing marks (reissue.chars)
FOOT_SHARE = 0.45  # notes live in the lower part of a page
FOOT_MAX = 30
COLUMN_LINES = 60  # lines of one tall column of text
GARBLED_MAX = 12  # a note whose marker the OCR garbled starts in the last lines of a page
REST_MAX = 12  # lines of the rests of notes continued from the page before, after a blank line
REST_NEAR = 4  # with no blank line, a rest begins at most this many lines above the next marker


def _norm_marker(m: str) -> str:
    m = m.strip().strip("()[]. ")
    trans = str.maketrans(SUPERSCRIPTS, "1234567890")
    return m.translate(trans)


def _callouts(lines: list[Line]) -> list[tuple[int, str]]:
    out = []
    for i, ln in enumerate(lines):
        s = ln.str
        if MAY_CALL.search(s) is None:  # CALLOUT's lookbehinds at every position: much slower
            continue
        for m in CALLOUT.finditer(s):
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
    import statistics  # imported when used (input with font sizes)

    med = statistics.median(known)
    k = len(body)
    while k > 0 and sizes[k - 1] and sizes[k - 1] < 0.85 * med:
        k -= 1
    return k if k < len(body) else None


def _has_words(text: str) -> bool:
    """A note says something: at least two words of letters after its marker."""
    return len(re.findall(r"[^\W\d_]{2,}", text)) >= 2


def _sequence_ok(mk: str, last_number: int | None) -> bool:
    """Numbered notes start at 1 on a page, or go on from the last number seen before."""
    if not mk.isdigit():
        return True
    n = int(mk)
    return n <= 3 or (last_number is not None and last_number < n <= last_number + 3)


def _in_foot_geometry(page, lines: list[Line]) -> bool:
    """With line geometry (ALTO, hOCR, PAGE), a note block lies in the lower part of the page."""
    info = page.info.get("lines") if isinstance(page.info, dict) else None
    if not info:
        return True
    ys = [d.get("y") for d in info if isinstance(d, dict) and d.get("y") is not None]
    if len(ys) < 4:
        return True
    top, bottom = min(ys), max(ys)
    cut = top + 0.6 * (bottom - top)
    mine = [info[ln.no].get("y") for ln in lines if ln.no < len(info) and isinstance(info[ln.no], dict)]
    return all(y is None or y >= cut for y in mine)


def _sized(page) -> bool:
    """Does the format give font sizes (ALTO styles, hOCR x_size, line heights) for this page?"""
    info = page.info.get("lines") if isinstance(page.info, dict) else None
    return bool(info) and sum(1 for d in info if isinstance(d, dict) and d.get("font_size")) >= 4


def _find_start(body: list[Line], calls, foot_from: int, fk: int | None,
                last_number: int | None = None, sized: bool = False) -> tuple[int | None, bool]:
    """Index of the first note line in ``body`` and whether its marker is OCR-garbled.

    A block is a note only on real evidence: its marker matches a call-out above it on the page,
    or it is set in smaller type (font sizes from the format) and begins with a marker. A marker
    alone, a rule alone or small type alone (a catch-word) is no evidence. A marker the OCR
    garbled needs a symbol call-out on the page and, where the format gives font sizes
    (``sized``), small type as well.
    """
    for i in range(foot_from, len(body)):
        m = NOTE_START.match(body[i].str)
        if not m or not _has_words(body[i].str[m.end():]):
            continue
        mk = _norm_marker(m.group(1))
        if not _sequence_ok(mk, last_number):
            continue
        has_call = any(ci < i and cm == mk for ci, cm in calls)
        small = fk is not None and i >= fk
        if has_call or small:
            return i, False
    sym_calls = [ci for ci, cm in calls if cm[:1] in SYMBOLS]
    if sym_calls:
        lo = max(foot_from, len(body) - GARBLED_MAX)
        # the call-out stands in the same column of text: at most a column's height above
        sym_calls = [ci for ci in sym_calls if lo - COLUMN_LINES <= ci < len(body)]
    if sym_calls:
        for i in range(max(lo, sym_calls[0] + 1), len(body)):
            if GARBLED_START.match(body[i].str) and _has_words(body[i].str) and (not sized or (fk is not None and i >= fk)):
                return i, True
    return None, False


def _rule_opens_notes(body: list[Line], sep_at: int, calls, fk: int | None, continuing: bool,
                      last_number: int | None) -> bool:
    """A rule is a note separator only when what follows it is a note by other evidence too: a
    marker matching a call-out above the rule, small type, or the rest of a note from the page
    before. Newspapers put rules between articles and advertisements."""
    first = body[sep_at + 1].str
    m = NOTE_START.match(first)
    if m and _has_words(first[m.end():]):
        mk = _norm_marker(m.group(1))
        if _sequence_ok(mk, last_number) and (any(ci < sep_at and cm == mk for ci, cm in calls)
                                              or (fk is not None and fk <= sep_at + 1)):
            return True
    return continuing and not m and first.lstrip()[:1].islower() and len(body) - sep_at <= FOOT_MAX


def _continues(line: Line) -> bool:
    """A line that goes on with a sentence begun elsewhere: it starts in lower case, not with a marker."""
    t = line.str.lstrip()
    return t[:1].islower() and not NOTE_START.match(line.str)


def _continuation(page, body: list[Line], foot_from: int, start: int | None,
                  n_open: int) -> tuple[int | None, int]:
    """Where the rests of notes left open at the foot of the page before begin on this page, and how
    many of those notes go on here: ``(body index, count)`` or ``(None, 0)``.

    The note area at the foot of a page begins with the rests of the notes the page before broke
    off, in their order, before any note with a marker (``start``, else the page's last line). With
    a blank line above the note area, the rests are what follows the last blank line above it, when
    that begins mid-sentence or the text above the blank broke off mid-sentence. With no blank line
    or rule (the rests follow the body directly), each rest is taken back from the next note's
    marker (or the page's end), where the line above ends a sentence, up to the nearest line that
    begins mid-sentence: the shortest rest the evidence allows, so that body text is not taken
    for a note."""
    end = len(body) if start is None else start
    pos = {ln.no: i for i, ln in enumerate(body)}
    lines = page.lines
    for k in range(len(lines) - 1, -1, -1):  # the last blank line above the note area
        ln = lines[k]
        if ln.kind == "body" and pos[ln.no] < foot_from:
            break
        if ln.kind != "blank":
            continue
        nxt = next((x for x in lines[k + 1:] if x.kind == "body"), None)
        if nxt is None or pos[nxt.no] >= end:
            continue
        i = pos[nxt.no]
        # the block goes on with a sentence, or the text above the blank broke off mid-sentence (its
        # next paragraph cannot follow it on this page), and the block has no note marker
        broken = i > 0 and not SENT_END.search(body[i - 1].str)
        if i >= foot_from and end - i <= REST_MAX and (_continues(nxt) or (broken and not NOTE_START.match(nxt.str))):
            return i, n_open
        break
    found, at = 0, end
    while found < n_open and at > foot_from and SENT_END.search(body[at - 1].str):
        c = next((k for k in range(at - 1, max(foot_from, at - REST_NEAR) - 1, -1) if _continues(body[k])), None)
        if c is None:
            break
        found, at = found + 1, c
    return (at, found) if found else (None, 0)


def _typed_notes(doc: Document, page, body: list[Line], open_note, notes: list) -> list[Line] | None:
    """Notes of a page whose OCR file types its regions: one note per footnote region, a
    ``footnote-continued`` region continues the previous page's note; no other line is a note."""
    current: list[Line] | None = None
    block = object()
    for ln in body:
        lay = line_layout(page, ln.no)
        kind = lay.get("note")
        if not kind:
            continue
        ln.kind = "note"
        if lay.get("block") == block and current is not None:
            current.append(ln)
            continue
        block = lay.get("block")
        m = NOTE_START.match(ln.str)
        if kind == "footnote-continued" and open_note is not None:
            current = open_note
        else:
            marker = ""
            if m:
                marker = _norm_marker(m.group(1))
                ln.text.replace(doc, 0, m.end(), "", stage=STAGE, rule="note-marker", confidence=0.9,
                                note="footnote marker (kept in footnotes[].marker)")
            current = []
            notes.append((Footnote(f"n{len(notes) + 1}", marker, None, page.index), current))
        current.append(ln)
    return current if current and not SENT_END.search(current[-1].str) else None


@stage("notes", requires=("page.furniture",), assigns=("doc.footnotes",))
def detect_notes(doc: Document) -> Document:
    """Stage (before reflow): mark note lines at page feet and make Footnote objects."""
    # lines of the notes that ran off the previous page's foot (not ending a sentence), in order;
    # their rest on this page comes in the same order, one note's rest ending a sentence
    open_notes: list[list[Line]] = []
    notes: list[tuple[Footnote, list[Line]]] = []
    last_number: int | None = None  # the last numbered note seen (numbering may run on across pages)
    for page in doc.pages:
        body = [ln for ln in page.lines if ln.kind == "body"]
        if not body:
            continue
        calls = _callouts(body)
        if page.info.get("typed_regions"):
            # the OCR file types its regions (PAGE XML footnote, ALTO tags): its notes are those
            cur = _typed_notes(doc, page, body, open_notes[-1] if open_notes else None, notes)
            open_notes = [cur] if cur else []
            continue
        foot_from = max(1, int(len(body) * (1 - FOOT_SHARE)), len(body) - FOOT_MAX)
        fk = _font_foot(page, body)
        sep_at = next((i for i in range(foot_from, len(body)) if SEPARATOR.match(body[i].str)), None)
        garbled = False
        start, garbled = None, False
        if sep_at is not None and sep_at + 1 < len(body) and _rule_opens_notes(
                body, sep_at, calls, fk, bool(open_notes), last_number):
            start = sep_at + 1
        else:
            sep_at = None
            start, garbled = _find_start(body, calls, foot_from, fk, last_number, _sized(page))
            cont, going_on = _continuation(page, body, foot_from, start, len(open_notes)) if open_notes else (None, 0)
            if cont is not None and (start is None or cont < start):
                start, garbled = cont, False
                open_notes = open_notes[len(open_notes) - going_on:]  # the notes whose rests are here
        if start is not None and not _in_foot_geometry(page, body[start:]):
            start, sep_at = None, None
        if start is None:
            open_notes = []
            continue
        if sep_at is not None:
            sep = body[sep_at]
            doc.remove_line(sep, stage=STAGE, rule="note-separator", note="rule above the footnotes")
            sep.kind = "note-separator"
        current: list[Line] | None = None
        marker = None
        pending = list(open_notes)  # notes from the page before whose rest comes first
        continuing = False
        mine: list[list[Line]] = []  # the notes begun on this page
        for j, ln in enumerate(body[start:]):
            ln.kind = "note"
            m = GARBLED_START.match(ln.str) if (garbled and j == 0) else NOTE_START.match(ln.str)
            if m and (j == 0 or _norm_marker(m.group(1))[:1] in SYMBOLS + "0123456789"):
                if garbled and j == 0:
                    marker = next(cm for _, cm in calls if cm[:1] in SYMBOLS)
                    note, conf = f"footnote marker, damaged in the OCR ({m.group(1).strip()!r}), read as {marker!r}", 0.6
                else:
                    marker, note, conf = _norm_marker(m.group(1)), "footnote marker (kept in footnotes[].marker)", 0.9
                    if marker.isdigit():
                        last_number = int(marker)
                # the marker leaves the note text (kept in footnotes[].marker); if it lies inside an
                # earlier edit, replace() declines and the marker simply stays in the text
                ln.text.replace(doc, 0, m.end(), "", stage=STAGE, rule="note-marker", confidence=conf, note=note)
                current, continuing = [], False
                mine.append(current)
                notes.append((Footnote(f"n{len(notes) + 1}", marker, None, page.index), current))
                current.append(ln)
            elif current is None:
                if pending:
                    current, continuing = pending.pop(0), True  # the rest of the previous page's note
                else:
                    current = []
                    mine.append(current)
                    notes.append((Footnote(f"n{len(notes) + 1}", "", None, page.index), current))
                current.append(ln)
            else:
                if continuing and pending and SENT_END.search(current[-1].str):
                    current = pending.pop(0)  # one rest ended its sentence: the next note's rest
                current.append(ln)
        open_notes = [n for n in mine if n and not SENT_END.search(n[-1].str)]
        if continuing and current and not SENT_END.search(current[-1].str) and current not in open_notes:
            open_notes.append(current)  # a note running over three pages
    lex = document_lexicon(doc)
    for fn, lines in notes:
        fn.text = join_lines(doc, lines, lex, end_rule="note-end", stage=STAGE)
        doc.footnotes.append(fn)
    doc.stages.append(STAGE)
    return doc


def callout_end(text: str, offset: int, marker: str) -> int:
    """Text offset just after the call-out printed at ``offset`` ('(1)' ends after its ')')."""
    m = CALLOUT.match(text, offset)
    return m.end() if m else offset + len(marker or "")


def printed_callout(text: str, offset: int, marker: str) -> int | None:
    """End offset of the call-out of note ``marker`` printed at ``offset`` ('*', '¹', '(1)', '[1]'),
    or None when the text there is not that call-out (say, after a reviewer changed it)."""
    if not marker:
        return None
    m = CALLOUT.match(text, offset)
    if m and _norm_marker(m.group()) == marker:
        return m.end()
    return offset + len(marker) if text[offset:offset + len(marker)] == marker else None


@stage("link-notes", requires=("doc.paragraphs", "doc.footnotes"), assigns=("footnote.anchor",))
def link_notes(doc: Document) -> Document:
    """Find each footnote's call-out in the reading text of its page (after reflow)."""
    used: set[tuple[str, int]] = set()
    on_page: dict[int, list] = {}  # page -> the paragraphs on it, in order (once, not once per note)
    for para in doc.paragraphs if doc.footnotes else ():
        for pg in para.text.pages():
            on_page.setdefault(pg, []).append(para)
    for fn in doc.footnotes:
        best = None
        for para in on_page.get(fn.page, ()):
            text = para.text.text
            if MAY_CALL.search(text) is None:
                continue  # no call-out in it
            for m in CALLOUT.finditer(text):
                if _norm_marker(m.group()) != fn.marker or (para.id, m.start()) in used:
                    continue
                if para.text.page_at(m.start()) == fn.page:
                    best = (para, m.start())
                    break
            if best:
                break
        if best:
            fn.paragraph, fn.anchor = best[0].id, best[0].text.anchor_at(best[1])  # a raw position
            used.add((best[0].id, best[1]))
    return doc
