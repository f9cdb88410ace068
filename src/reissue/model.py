"""The central document model.

A :class:`Document` owns the raw text of every page, immutable. Everything a pipeline stage
produces is a view onto that raw text plus recorded :class:`Edit` objects:

* a :class:`TrackedText` is a sequence of :class:`Piece` objects; a piece is either a verbatim
  slice of one page's raw text (``edit is None``) or the ``after`` text of one edit;
* every character of every page's raw text is covered exactly once by a verbatim piece of some
  paragraph/footnote or by an active (non-superseded) edit, so the raw text can be rebuilt from the
  exported edition alone (:func:`reissue.edition.rebuild_raw`; the edition format is reissue.edition).

Stages are plain functions ``Document -> Document`` that add edits through
:meth:`Document.record` / :meth:`TrackedText.replace`; they never change ``Page.raw``.
"""

from __future__ import annotations

import re
from bisect import bisect_left, insort
from dataclasses import dataclass, field
from typing import Iterator

from .packed import EditTable, PackedLines
from .tracked import Edit, Piece, TrackedText  # noqa: F401  (the model's parts, defined there)

# ----------------------------------------------------------------------------------------------
# pages, lines and the document


class Line:
    """One line of a page's raw text: raw offsets, kind, and its reading text as a TrackedText.

    The text is made from the page's raw text when first asked for (``text``) and kept while a stage
    may edit it; :meth:`Document.compact` drops it again where it is still the raw line, so a built
    Document does not hold a second copy of every line. ``str`` reads the raw text directly then."""

    __slots__ = ("page", "no", "start", "end", "eol_end", "kind", "_text", "_raw")

    def __init__(self, page: int, no: int, start: int, end: int, eol_end: int,
                 text: TrackedText | None = None, kind: str = "body", raw: str | None = None):
        if text is None and raw is None:
            raise ValueError("a Line needs its text or the page's raw text")
        self.page = page
        self.no = no  # 0-based line number on the page
        self.start = start  # raw offsets of the line content (without terminator)
        self.end = end
        self.eol_end = eol_end  # raw offset after the line terminator (== end for the last line without one)
        self.kind = kind  # body | blank | furniture | note
        self._text = text
        self._raw = raw

    @property
    def text(self) -> TrackedText:
        t = self._text
        if t is None:
            t = self._text = TrackedText.verbatim(self.page, self.start, self.end, self._raw)
        return t

    @property
    def str(self) -> str:
        t = self._text
        return t.text if t is not None else self._raw[self.start:self.end]

    def eol(self, raw: str) -> str:
        return raw[self.end:self.eol_end]

    def edited_pieces(self) -> list[Piece]:
        """The pieces of the line's text when a stage has made it (an untouched line has no edits)."""
        return self._text.pieces if self._text is not None else []

    def release(self) -> None:
        """Forget the TrackedText when it is still the verbatim raw line (it is remade on demand)."""
        t = self._text
        if t is None or self._raw is None:
            return
        ps = t.pieces
        if (not ps and self.start == self.end) or (
                len(ps) == 1 and ps[0].edit is None and ps[0].start == self.start and ps[0].end == self.end):
            self._text = None

    def __repr__(self) -> str:
        return (f"Line(page={self.page}, no={self.no}, start={self.start}, end={self.end}, "
                f"eol_end={self.eol_end}, kind={self.kind!r}, str={self.str!r})")


@dataclass(slots=True)
class FurnitureLine:
    kind: str  # running-head | folio | viewer-title | viewer-nav | viewer-credit | ...
    text: str
    line: int
    start: int
    end: int
    edit: int


@dataclass(slots=True)
class Page:
    index: int
    source: str
    raw: str
    encoding: str = "utf-8"
    number: int | None = None  # printed page number
    number_source: str | None = None  # folio | viewer-title | sequence
    lines: list[Line] = field(default_factory=list)
    furniture: list[FurnitureLine] = field(default_factory=list)
    info: dict = field(default_factory=dict)  # format-specific facts (e.g. from ALTO)
    lang: str | None = None  # ISO 639-1 code of most of its identified letters (reissue.lang)

    def split_lines(self) -> list[Line]:
        """Lines of the raw text with their raw offsets; CRLF, CR and LF terminators."""
        out: list[Line] = []
        raw = self.raw
        pos = 0
        no = 0
        for m in re.finditer(r"\r\n|\r|\n", raw):
            eol = m.end()  # one int object for this line's eol_end and the next line's start
            out.append(Line(self.index, no, pos, m.start(), eol, raw=raw))
            pos = eol
            no += 1
        if pos < len(raw) or not out:
            out.append(Line(self.index, no, pos, len(raw), len(raw), raw=raw))
        for ln in out:
            if not ln.str.strip():
                ln.kind = "blank"
        return out


@dataclass(slots=True)
class Metadata:
    title: str | None = None
    volume: int | None = None
    number: int | None = None
    year: int | None = None
    page_count: int | None = None
    evidence: dict = field(default_factory=dict)  # field -> where it was read
    date: str | None = None  # date of issue as the input's metadata gives it (METS/MODS)
    languages: list = field(default_factory=list)  # ISO 639-1 codes, most letters first (reissue.lang)

    def to_dict(self) -> dict:
        return {"title": self.title, "volume": self.volume, "number": self.number,
                "year": self.year, "page_count": self.page_count, "languages": list(self.languages),
                "evidence": self.evidence} | ({"date": self.date} if self.date else {})


@dataclass(slots=True)
class Paragraph:
    id: str
    text: TrackedText
    kind: str = "paragraph"  # paragraph | heading
    lang: str | None = None  # ISO 639-1, None when not identified with confidence (reissue.lang)
    lang_reason: str = ""  # why (not exported; --explain prints it)

    def pages(self) -> list[int]:
        return self.text.pages()


@dataclass(slots=True)
class Footnote:
    id: str
    marker: str
    text: TrackedText
    page: int | None  # page index
    paragraph: str | None = None  # id of the paragraph with the call-out
    # the call-out marker in that paragraph as a raw position (page index, raw offset), which no edit
    # moves; edition.json gets its text offset ("callout") only when the edition is written
    anchor: tuple[int, int] | None = None
    lang: str | None = None  # as Paragraph.lang
    lang_reason: str = ""


@dataclass(slots=True)
class Document:
    pages: list[Page] = field(default_factory=list)
    # the edits, as integer rows (reissue.packed.EditTable: ``edits[i]`` reads and writes edit i's row);
    # a list of Edit objects works as well (a Document made with one)
    edits: EditTable = field(default_factory=EditTable)
    metadata: Metadata = field(default_factory=Metadata)
    paragraphs: list[Paragraph] = field(default_factory=list)
    footnotes: list[Footnote] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # one-line messages about skipped input
    stages: list[str] = field(default_factory=list)  # stages that have run, in order
    articles: list[dict] = field(default_factory=list)  # reissue.articles: id, title, byline, section, pages, paragraphs
    contents: list[dict] = field(default_factory=list)  # a printed table of contents: title, author, page
    # what the input's own metadata says (METS/MODS: title, date, year, volume, number, source)
    source_metadata: dict = field(default_factory=dict)
    # logical structure the input declares (METS structMap LOGICAL), used as given by reissue.articles:
    # [{"id","type","label","title","parent","pages":[page index],"spans":[[page, raw start, raw end]]}]
    structure: list[dict] | None = None
    parameters: dict = field(default_factory=dict)  # stage -> its frozen parameters (exported)
    skipped: list = field(default_factory=list)  # (unit id, lang, reason) left uncorrected by the guard
    # (unit id, before, after, rule, p, OCR conf): corrections not made, the OCR engine was sure of the word
    ocr_kept: list = field(default_factory=list)
    # (unit id, lang, start, end): sentences of another language inside a paragraph or note, left as printed
    # (correct/foreign.py)
    foreign_kept: list = field(default_factory=list)

    # page -> ids of its active edits in (start, end, id) order, while stages record edits; None after
    # compact() (remade from the edits when an edit is recorded again)
    _active: dict | None = field(default_factory=dict, repr=False, compare=False)
    # the texts of the body and note lines and the Lexicon counts made of them (reflow.document_lexicon),
    # while the stages run; None after compact()
    _lexicon: tuple | None = field(default=None, repr=False, compare=False)

    def compact(self) -> None:
        """Drop what only the stages needed, once they have run: each line's TrackedText that is
        still its raw line (remade on demand) and the index of active edits (remade when an edit is
        recorded); then each page's lines and each text's pieces are kept as integer rows
        (reissue.packed: the lines a read-only sequence, the pieces made again when a text is edited).
        Nothing of the edition changes; a built Document holds a fraction of what the stages used."""
        for page in self.pages:
            lines = page.lines
            if isinstance(lines, PackedLines):
                continue
            for ln in lines:
                ln.release()
                if ln._text is not None:
                    ln._text.pack()
            packed = PackedLines.pack(Line, page.index, page.raw, lines)
            if packed is not None:
                page.lines = packed
        for tt in self.texts():
            tt.pack()
        if isinstance(self.edits, EditTable):
            self.edits.share_strings()
        else:
            self.edits = EditTable.pack(self.edits) or self.edits
        self._active = None
        self._lexicon = None

    def _active_index(self) -> dict:
        if self._active is None:
            index: dict = {}
            for e in self.edits:
                if e.superseded_by is None:
                    index.setdefault(e.page, []).append(e.id)
            for ids in index.values():
                ids.sort(key=self._key())
            self._active = index
        return self._active

    def record(self, edit: Edit) -> int:
        """Record ``edit``; active edits it covers are superseded by it, a partial overlap is refused.

        This is what makes overlapping edits impossible by construction: on every page the active
        edits are disjoint raw spans, so each raw character is covered by at most one of them.
        The edit's fields are copied into ``edits`` (a row of an EditTable: change a recorded edit
        through ``doc.edits[id]``, not through the object given).
        """
        edit.id = len(self.edits)
        if edit.superseded_by is None:
            self._check_overlap(edit)
        self.edits.append(edit)
        if edit.superseded_by is None:
            insort(self._active_index().setdefault(edit.page, []), edit.id, key=self._key())
        return edit.id

    def _key(self):
        """The sort key of the index of active edits: (start, end, id) of an edit id."""
        edits = self.edits
        return edits.span_key if type(edits) is EditTable else self._span_key

    def _span_key(self, eid: int) -> tuple[int, int, int]:
        e = self.edits[eid]
        return e.start, e.end, eid

    def _check_overlap(self, edit: Edit) -> None:
        spans = self._active_index().get(edit.page)  # edit ids, in (start, end, id) order
        if not spans:
            return
        s, e = edit.start, edit.end
        i = bisect_left(spans, (e, e + 1, -1), key=self._key())  # spans[:i] start before e (or are empty at e)
        drop: list[int] = []
        covered: list[int] = []  # superseded only once no partial overlap refuses the edit
        edits = self.edits
        table = type(edits) is EditTable
        while i > 0:
            i -= 1
            oid = spans[i]
            if table:
                _pg, os_, oe, sup = edits.row(oid)
            else:
                old = edits[oid]
                os_, oe, sup = old.start, old.end, old.superseded_by
            if sup is not None:
                drop.append(i)  # superseded by a stage since: drop it from the index
                continue
            if oe <= s:
                break  # active spans are disjoint and sorted: nothing earlier can overlap
            if s == e:
                hit = os_ < s < oe
            elif os_ == oe:
                hit = s < os_ < e
            else:
                hit = True  # os_ < e and oe > s
            if not hit:
                continue
            if s <= os_ and oe <= e:
                covered.append(oid)  # the new edit covers it: it replaces it
                drop.append(i)
                continue
            from .errors import EditOverlapError

            old = edits[oid]
            raise EditOverlapError(
                f"edit {edit.stage}/{edit.rule} on raw {s}:{e} overlaps active edit #{oid} "
                f"{old.stage}/{old.rule} on raw {os_}:{oe} without covering it",
                page=edit.page, hint="this is a bug in that stage: please report it with the input")
        for oid in covered:
            edits[oid].superseded_by = edit.id
        for j in drop:  # descending indexes: deleting keeps the others valid
            del spans[j]

    def record_edit(self, stage: str, rule: str, page: int, start: int, end: int, after: str,
                    confidence: float = 1.0, note: str = "") -> int:
        """Record that raw[start:end] of ``page`` became ``after``; returns the edit id."""
        raw = self.pages[page].raw
        return self.record(Edit(stage, rule, page, start, end, raw[start:end], after, confidence, note))

    def remove_span(self, page: int, start: int, end: int, *, stage: str, rule: str,
                    confidence: float = 1.0, note: str = "") -> int:
        return self.record_edit(stage, rule, page, start, end, "", confidence, note)

    def remove_line(self, line: "Line", *, stage: str, rule: str, confidence: float = 1.0,
                    note: str = "") -> int:
        """Remove a whole line with its terminator; earlier edits inside it are superseded."""
        eid = self.remove_span(line.page, line.start, line.eol_end, stage=stage, rule=rule,
                               confidence=confidence, note=note)
        for p in line.edited_pieces():
            if p.edit is not None and self.edits[p.edit].superseded_by is None:
                self.edits[p.edit].superseded_by = eid
        return eid

    def piece_for(self, eid: int) -> Piece:
        """The piece of reading text an edit produced (to append to a TrackedText)."""
        edits = self.edits
        if type(edits) is EditTable:
            return Piece(*edits.piece_fields(eid), eid)
        e = edits[eid]
        return Piece(e.page, e.start, e.end, e.after, eid)

    def page_label(self, index: int) -> int:
        """Printed page number if known, else the page index (as the JSON contract says)."""
        n = self.pages[index].number
        return n if n is not None else index

    def texts(self) -> Iterator[TrackedText]:
        for p in self.paragraphs:
            yield p.text
        for f in self.footnotes:
            yield f.text
