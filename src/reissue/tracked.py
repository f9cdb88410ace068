"""Edits, pieces and tracked text: how every character of an edition is tied to the raw text.

An :class:`Edit` records one change (``before`` = a page's raw[start:end] became ``after``); a
:class:`TrackedText` is a sequence of :class:`Piece` objects, each a verbatim slice of one page's raw
text or the ``after`` text of one edit (see reissue.model for the Document that owns them).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Iterator

from .packed import iter_rows, pack_pieces

# ----------------------------------------------------------------------------------------------
# edits and pieces


@dataclass(slots=True)
class Edit:
    """One recorded change: ``before`` (= page raw[start:end]) became ``after``."""

    stage: str
    rule: str
    page: int  # index into Document.pages (0-based)
    start: int  # offsets in that page's raw text
    end: int
    before: str
    after: str
    confidence: float = 1.0
    note: str = ""  # human-readable reason
    superseded_by: int | None = None  # id of a later edit that replaced this one
    id: int = -1

    @property
    def active(self) -> bool:
        return self.superseded_by is None


@dataclass(frozen=True, slots=True)
class Piece:
    page: int
    start: int
    end: int
    text: str
    edit: int | None = None  # None: verbatim raw[start:end]; else the edit whose ``after`` this is


class TrackedText:
    """Text whose every character is traceable to page raw text or to an edit (spaCy-like view)."""

    # ``_rows``: after :meth:`pack` the pieces are integer rows next to the text (reissue.packed) and
    # ``_pieces`` is None; the first use of ``pieces`` makes them again (the same values)
    __slots__ = ("_pieces", "_text", "_rows")

    def __init__(self, pieces: Iterable[Piece] = ()):
        self._pieces: list[Piece] | None = [p for p in pieces if p.text or p.edit is not None]
        self._text: str | None = None
        self._rows = None

    @property
    def pieces(self) -> list[Piece]:
        if self._rows is not None:
            text = self._text
            self._pieces = [Piece(pg, rs, re_, text[s:e], eid) for s, e, pg, rs, re_, eid in iter_rows(self._rows)]
            self._rows = None
        return self._pieces

    @pieces.setter
    def pieces(self, value: list[Piece]) -> None:
        self._pieces = value
        self._rows = None

    def pack(self) -> None:
        """Keep the pieces as integer rows beside the text (about a fifth of the memory of Piece
        objects with their own texts); they are made again when ``pieces`` is next used. The
        methods an edition is written with (text, spans, pages, page_breaks, offset_of) read the rows."""
        if self._rows is None:
            self.text  # noqa: B018 - the text the rows point into
            self._rows = pack_pieces(self._pieces)
            self._pieces = None

    def _iter_spans(self) -> Iterator[tuple[int, int, int, int, int, int | None]]:
        """(text start, text end, page, raw start, raw end, edit | None) of each piece."""
        if self._rows is not None:
            yield from iter_rows(self._rows)
            return
        pos = 0
        for p in self._pieces:
            end = pos + len(p.text)
            yield pos, end, p.page, p.start, p.end, p.edit
            pos = end

    # -- construction
    @classmethod
    def verbatim(cls, page: int, start: int, end: int, raw: str) -> "TrackedText":
        return cls([Piece(page, start, end, raw[start:end])])

    def copy(self) -> "TrackedText":
        return TrackedText(self.pieces)

    def append(self, other: "TrackedText | Piece") -> "TrackedText":
        if isinstance(other, Piece):
            self.pieces.append(other)
        else:
            self.pieces.extend(other.pieces)
        self._text = None
        return self

    # -- views
    @property
    def text(self) -> str:
        if self._text is None:
            self._text = "".join(p.text for p in self.pieces)
        return self._text

    def __str__(self) -> str:
        return self.text

    def __len__(self) -> int:
        return len(self.text)

    def offsets(self) -> Iterator[tuple[int, int, Piece]]:
        pos = 0
        for p in self.pieces:
            yield pos, pos + len(p.text), p
            pos += len(p.text)

    def pages(self) -> list[int]:
        seen: list[int] = []
        if self._rows is not None:  # the rows read in place (as iter_rows gives them, without its calls)
            text, s, it = self._text, 0, iter(self._rows)
            for pg, _rs, _re, e, _eid in zip(it, it, it, it, it):
                if pg not in seen and text[s:e].strip():
                    seen.append(pg)
                s = e
            return seen
        for p in self._pieces:
            if p.text.strip() and p.page not in seen:
                seen.append(p.page)
        return seen

    def page_at(self, offset: int) -> int | None:
        for s, e, p in self.offsets():
            if s <= offset < e:
                return p.page
        return self.pieces[-1].page if self.pieces else None

    def page_breaks(self) -> list[tuple[int, int]]:
        """[(page, text offset where that page's text starts)] in reading order."""
        out: list[tuple[int, int]] = []
        if self._rows is not None:  # the rows read in place (as iter_rows gives them, without its calls)
            text, s, it = self._text, 0, iter(self._rows)
            for pg, _rs, _re, e, _eid in zip(it, it, it, it, it):
                if (not out or out[-1][0] != pg) and text[s:e].strip():
                    out.append((pg, s))
                s = e
            return out
        for s, _e, p in self.offsets():
            if not p.text.strip():
                continue
            if not out or out[-1][0] != p.page:
                out.append((p.page, s))
        return out

    def raw_span(self, a: int, b: int) -> tuple[int, int, int] | None:
        """(page, raw_start, raw_end) covered by text[a:b] when it lies in verbatim text of one page."""
        hits = [(s, e, p) for s, e, p in self.offsets() if e > a and s < b]
        if not hits or any(p.edit is not None for _, _, p in hits):
            return None
        if len({p.page for _, _, p in hits}) != 1:
            return None
        s0, _, p0 = hits[0]
        s1, _, p1 = hits[-1]
        return p0.page, p0.start + (a - s0), p1.start + (b - s1)

    def slice(self, a: int, b: int) -> "TrackedText":
        """View of text[a:b]; verbatim pieces are cut, edit pieces are kept whole (atomic)."""
        out: list[Piece] = []
        for s, e, p in self.offsets():
            if p.edit is not None:
                if (s < b and e > a) or (s == e and a <= s < b):
                    out.append(p)
                continue
            lo, hi = max(a, s), min(b, e)
            if lo < hi:
                out.append(Piece(p.page, p.start + lo - s, p.start + hi - s, p.text[lo - s:hi - s]))
        return TrackedText(out)

    def anchor_at(self, offset: int) -> tuple[int, int] | None:
        """(page, raw offset) of the character at text ``offset``: an anchor no later edit moves.

        Inside an edit's text it is the raw start of that edit; at the end of the text, the raw end
        of the last piece."""
        last = None
        for s, e, p in self.offsets():
            if s <= offset < e:
                return (p.page, p.start + offset - s if p.edit is None else p.start)
            last = p
        return (last.page, last.end) if last is not None and offset == len(self.text) else None

    def offset_of(self, page: int, raw: int) -> int | None:
        """Text offset of the raw position ``(page, raw)`` (inverse of :meth:`anchor_at`): inside a
        verbatim piece, that character; inside an edit's raw span, the start of its text; None when
        this text does not hold that raw position."""
        end = None
        for s, e, pg, rs, re_, eid in self._iter_spans():
            if pg != page:
                continue
            if rs <= raw < re_ or (eid is not None and raw == rs):
                return s + raw - rs if eid is None else s
            if raw == re_:
                end = e
        return end

    def raw_pos(self, offset: int) -> tuple[int, int] | None:
        """(page, raw offset) of a text offset inside or at the end of a verbatim piece."""
        found = None
        for s, e, p in self.offsets():
            if p.edit is None and s <= offset <= e:
                found = (p.page, p.start + offset - s)
                if offset < e:
                    return found
        return found

    # -- editing
    def replace(self, doc: "Document", a: int, b: int, new: str, *, stage: str, rule: str,
                confidence: float = 1.0, note: str = "") -> int | None:
        """Replace text[a:b] by ``new``, recording one edit on the page's raw span.

        Returns the edit id, or ``None`` when the span cannot be mapped to one contiguous raw span
        of one page (e.g. it crosses a page break); the text is then left unchanged.
        """
        text = self.text
        if not (0 <= a <= b <= len(text)):
            raise ValueError(f"span {a}:{b} outside text of length {len(text)}")
        if text[a:b] == new:
            return None
        spans = list(self.offsets())
        # pieces touched: overlap [a, b), or for an insertion the piece containing a
        if a == b:
            idx = [i for i, (s, e, _p) in enumerate(spans) if s <= a < e or (a == e == len(text))]
            idx = idx[:1]
        else:
            idx = [i for i, (s, e, _p) in enumerate(spans) if e > a and s < b]
        if not idx:
            return None
        first, last = idx[0], idx[-1]
        sub = [spans[i] for i in idx]
        pages = {p.page for _, _, p in sub}
        if len(pages) != 1:
            return None
        for (_, _, p), (_, _, p2) in zip(sub, sub[1:]):
            if p.end != p2.start:
                return None  # not contiguous in raw
        # partially covered pieces must be verbatim (so they can be split)
        s_first, e_first, p_first = sub[0]
        s_last, e_last, p_last = sub[-1]
        if p_first.edit is not None and a != s_first:
            return None
        if p_last.edit is not None and b != e_last and not (a == b):
            return None
        page = p_first.page
        raw_start = p_first.start + (a - s_first) if p_first.edit is None else p_first.start
        if p_last.edit is None:
            raw_end = p_last.start + (b - s_last)
        else:
            raw_end = p_last.end
        raw = doc.pages[page].raw
        edit = Edit(stage=stage, rule=rule, page=page, start=raw_start, end=raw_end,
                    before=raw[raw_start:raw_end], after=new, confidence=confidence, note=note)
        eid = doc.record(edit)
        for _, _, p in sub:
            if p.edit is not None:
                doc.edits[p.edit].superseded_by = eid
        new_pieces: list[Piece] = []
        if p_first.edit is None and a > s_first:
            new_pieces.append(Piece(page, p_first.start, raw_start, p_first.text[: a - s_first]))
        new_pieces.append(Piece(page, raw_start, raw_end, new, eid))
        if p_last.edit is None and b < e_last:
            new_pieces.append(Piece(page, raw_end, p_last.end, p_last.text[b - s_last:]))
        self.pieces[first: last + 1] = new_pieces
        self._text = None
        return eid

    # -- serialisation
    def spans(self) -> list[list]:
        """[[page, raw_start, raw_end, text_start, text_end, edit_id|None], ...]"""
        if self._rows is None:
            return [[pg, rs, re_, s, e, eid] for s, e, pg, rs, re_, eid in self._iter_spans()]
        out, s, it = [], 0, iter(self._rows)  # the rows read in place (as iter_rows gives them)
        for pg, rs, re_, e, eid in zip(it, it, it, it, it):
            out.append([pg, rs, re_, s, e, None if eid < 0 else eid])
            s = e
        return out

    @classmethod
    def from_spans(cls, text: str, spans: list[list]) -> "TrackedText":
        return cls(Piece(pg, rs, re_, text[ts:te], eid) for pg, rs, re_, ts, te, eid in spans)
