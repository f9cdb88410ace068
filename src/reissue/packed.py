"""Compact storage for a built Document (issue 16: a whole volume saved as one issue).

Once the stages have run (:meth:`reissue.model.Document.compact`), what a page's lines and the
paragraphs' pieces hold is a few integers each; as Python objects every line and every piece cost
about a hundred bytes and a copy of its text. Here they are kept in :class:`array.array` rows instead
and made again on demand, as the same objects with the same values:

* :class:`PackedLines`: a page's lines (raw offsets and kind; the TrackedText of the few lines a
  stage edited), a read-only sequence of :class:`~reissue.model.Line`;
* :func:`pack_pieces` / :func:`iter_rows`: a TrackedText's pieces as rows ``page, raw start, raw end,
  text end, edit`` next to its text (a piece's text is the slice of it between two text ends).

This module imports nothing of reissue (the model passes its classes in), so it makes no import loop.
"""

from __future__ import annotations

from array import array
from collections.abc import Sequence
from typing import Iterator

_KINDS: list[str] = []  # line kinds seen, in order: a line's kind is one byte (its index here)
_KIND_CODE: dict[str, int] = {}


def _kind_code(kind: str) -> int | None:
    code = _KIND_CODE.get(kind)
    if code is None and isinstance(kind, str) and len(_KINDS) < 255:
        code = _KIND_CODE[kind] = len(_KINDS)
        _KINDS.append(kind)
    return code


def int_array(values: list[int]) -> array:
    """The smallest of 32/64-bit signed arrays that holds ``values``."""
    try:
        return array("i", values)
    except OverflowError:
        return array("q", values)


class PackedLines(Sequence):
    """A page's lines after :meth:`~reissue.model.Document.compact`: a read-only sequence of Line
    objects made on demand (equal in every field to the ones packed). A stage that changes lines
    runs before compact; a Line taken from here and changed does not change the page."""

    __slots__ = ("_make", "_page", "_raw", "_offsets", "_kinds", "_texts")

    def __init__(self, make, page: int, raw: str, offsets: array, kinds: bytes, texts: dict):
        self._make = make  # the Line class
        self._page = page
        self._raw = raw
        self._offsets = offsets  # start, end, eol_end per line
        self._kinds = kinds  # one byte per line: index into _KINDS
        self._texts = texts  # line number -> its TrackedText, for the lines that keep one

    @classmethod
    def pack(cls, make, page: int, raw: str, lines: list) -> "PackedLines | None":
        """The packed form of ``lines`` (Line objects of page ``page`` over ``raw``), or None when
        they are not the plain lines of that page (numbered 0, 1, ... over its raw text)."""
        offsets: list[int] = []
        kinds = bytearray()
        texts: dict = {}
        for i, ln in enumerate(lines):
            if ln.no != i or ln.page != page or ln._raw is not raw:
                return None
            code = _kind_code(ln.kind)
            if code is None:
                return None
            offsets += (ln.start, ln.end, ln.eol_end)
            kinds.append(code)
            if ln._text is not None:
                texts[i] = ln._text
        return cls(make, page, raw, int_array(offsets), bytes(kinds), texts)

    def __len__(self) -> int:
        return len(self._kinds)

    def _line(self, i: int):
        o = self._offsets
        return self._make(self._page, i, o[3 * i], o[3 * i + 1], o[3 * i + 2], text=self._texts.get(i),
                          kind=_KINDS[self._kinds[i]], raw=self._raw)

    def __getitem__(self, i):
        if isinstance(i, slice):  # a lazy view: `lines[no + 1:]` scanned for the next line makes only
            return _LineRange(self, range(*i.indices(len(self))))  # the lines it reaches
        n = len(self)
        if i < 0:
            i += n
        if not 0 <= i < n:
            raise IndexError("line index out of range")
        return self._line(i)

    def __iter__(self) -> Iterator:
        for i in range(len(self)):
            yield self._line(i)

    def __repr__(self) -> str:
        return f"PackedLines(page={self._page}, lines={len(self)})"


class _LineRange(Sequence):
    """A slice of :class:`PackedLines`, read-only, whose Line objects are made as they are read."""

    __slots__ = ("_lines", "_range")

    def __init__(self, lines: PackedLines, rng: range):
        self._lines = lines
        self._range = rng

    def __len__(self) -> int:
        return len(self._range)

    def __getitem__(self, i):
        if isinstance(i, slice):
            return _LineRange(self._lines, self._range[i])
        return self._lines._line(self._range[i])

    def __iter__(self) -> Iterator:
        for j in self._range:
            yield self._lines._line(j)


def pack_pieces(pieces: list) -> array:
    """Rows ``page, raw start, raw end, text end, edit (-1: verbatim)`` of ``pieces`` (Piece objects
    in order; the text of each is the text between the previous row's text end and its own)."""
    rows: list[int] = []
    pos = 0
    for p in pieces:
        pos += len(p.text)
        rows += (p.page, p.start, p.end, pos, -1 if p.edit is None else p.edit)
    return int_array(rows)


def iter_rows(rows: array) -> Iterator[tuple[int, int, int, int, int, int | None]]:
    """``(text start, text end, page, raw start, raw end, edit | None)`` of each packed piece."""
    s = 0
    it = iter(rows)
    for pg, rs, re_, e, eid in zip(it, it, it, it, it):
        yield s, e, pg, rs, re_, (None if eid < 0 else eid)
        s = e


# ----------------------------------------------------------------------------------------------
# edits

_EDIT_FIELDS = ("stage", "rule", "page", "start", "end", "before", "after", "confidence", "note",
                "superseded_by", "id")


class EditTable(Sequence):
    """A Document's edits (:attr:`reissue.model.Document.edits`): one row of four integers, a float,
    a (stage, rule) code and three string references per edit, instead of an Edit object with its own
    integers. :meth:`append` (what :meth:`~reissue.model.Document.record` calls) copies the Edit's
    fields into a row, whose place is the edit's id; items are :class:`EditRef` views that read and
    write the row, so ``doc.edits[i].superseded_by = j`` changes the table."""

    __slots__ = ("_ints", "_conf", "_strs", "_codes", "_pairs", "_pair_code")

    def __init__(self, edits=()):
        self._ints = array("i")  # page, start, end, superseded_by (-1: active) per edit
        self._conf = array("d")
        self._strs: list = []  # before, after, note per edit
        self._codes = array("i")  # index into _pairs per edit
        self._pairs: list = []  # (stage, rule)
        self._pair_code: dict = {}
        for e in edits:
            self.append(e)

    @classmethod
    def pack(cls, edits: list) -> "EditTable | None":
        """The table of ``edits`` (Edit objects whose ids are their places), or None when an id is not."""
        if any(e.id != i for i, e in enumerate(edits)):
            return None
        t = cls(edits)
        t.share_strings()
        return t

    def append(self, edit) -> None:
        """Add ``edit`` as the next row (its id is the row's place; the Edit object is not kept)."""
        key = (edit.stage, edit.rule)
        code = self._pair_code.get(key)
        if code is None:
            code = self._pair_code[key] = len(self._pairs)
            self._pairs.append(key)
        sup = edit.superseded_by
        row = (edit.page, edit.start, edit.end, -1 if sup is None else sup)
        try:
            self._ints.extend(row)
        except OverflowError:
            del self._ints[len(self._codes) * 4:]
            self._ints = array("q", self._ints)
            self._ints.extend(row)
        self._conf.append(edit.confidence)
        self._strs += (edit.before, edit.after, edit.note)
        self._codes.append(code)

    def share_strings(self) -> None:
        """One object for equal before/after/note strings (notes and short befores repeat)."""
        shared: dict = {}
        self._strs = [shared.setdefault(x, x) for x in self._strs]

    def span_key(self, i: int) -> tuple[int, int, int]:
        """(start, end, id) of edit ``i`` (the order of Document's index of active edits)."""
        return self._ints[4 * i + 1], self._ints[4 * i + 2], i

    def piece_fields(self, i: int) -> tuple[int, int, int, str]:
        """(page, start, end, after) of edit ``i`` (its piece of reading text)."""
        k = 4 * i
        ints = self._ints
        return ints[k], ints[k + 1], ints[k + 2], self._strs[3 * i + 1]

    def active_segments(self) -> Iterator[tuple[int, int, int, str, int]]:
        """(page, start, end, before, id) of each active edit, in id order (one read of each row)."""
        ints, strs = self._ints, self._strs
        for i in range(len(self._codes)):
            k = 4 * i
            if ints[k + 3] < 0:
                yield ints[k], ints[k + 1], ints[k + 2], strs[3 * i], i

    def row(self, i: int) -> tuple[int, int, int, int | None]:
        """(page, start, end, superseded_by) of edit ``i``."""
        k = 4 * i
        ints = self._ints
        sup = ints[k + 3]
        return ints[k], ints[k + 1], ints[k + 2], (None if sup < 0 else sup)

    def __len__(self) -> int:
        return len(self._codes)

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [EditRef(self, j) for j in range(*i.indices(len(self)))]
        n = len(self._codes)
        if i < 0:
            i += n
        if not 0 <= i < n:
            raise IndexError("edit index out of range")
        return EditRef(self, i)

    def __iter__(self) -> Iterator:
        for i in range(len(self._codes)):
            yield EditRef(self, i)

    def __eq__(self, other) -> bool:
        if isinstance(other, (list, EditTable)):
            return len(self) == len(other) and all(a == b for a, b in zip(self, other))
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"EditTable({len(self)} edits)"

    def _set_int(self, i: int, k: int, value: int) -> None:
        try:
            self._ints[4 * i + k] = value
        except OverflowError:
            self._ints = array("q", self._ints)
            self._ints[4 * i + k] = value


def _int_field(k: int, none: bool = False):
    def get(self):
        v = self._t._ints[4 * self._i + k]
        return None if none and v < 0 else v

    def set_(self, value):
        self._t._set_int(self._i, k, -1 if none and value is None else value)

    return property(get, set_)


def _str_field(k: int):
    def get(self):
        return self._t._strs[3 * self._i + k]

    def set_(self, value):
        self._t._strs[3 * self._i + k] = value

    return property(get, set_)


def _pair_field(k: int):
    def get(self):
        return self._t._pairs[self._t._codes[self._i]][k]

    def set_(self, value):
        t = self._t
        pair = list(t._pairs[t._codes[self._i]])
        pair[k] = value
        pair = tuple(pair)
        if pair not in t._pair_code:
            t._pair_code[pair] = len(t._pairs)
            t._pairs.append(pair)
        t._codes[self._i] = t._pair_code[pair]

    return property(get, set_)


class EditRef:
    """One edit of an :class:`EditTable`: the fields of :class:`reissue.model.Edit`, read from and
    written to the table's row (equal to an Edit with the same fields)."""

    __slots__ = ("_t", "_i")

    def __init__(self, table: EditTable, i: int):
        self._t = table
        self._i = i

    stage = _pair_field(0)
    rule = _pair_field(1)
    page = _int_field(0)
    start = _int_field(1)
    end = _int_field(2)
    superseded_by = _int_field(3, none=True)
    before = _str_field(0)
    after = _str_field(1)
    note = _str_field(2)

    @property
    def confidence(self) -> float:
        return self._t._conf[self._i]

    @confidence.setter
    def confidence(self, value: float) -> None:
        self._t._conf[self._i] = value

    @property
    def id(self) -> int:
        return self._i

    @property
    def active(self) -> bool:
        return self.superseded_by is None

    def values(self) -> tuple:
        """The fields, in the order of :class:`reissue.model.Edit`'s (one read of the row)."""
        t, i = self._t, self._i
        k, j = 4 * i, 3 * i
        ints, strs = t._ints, t._strs
        stage, rule = t._pairs[t._codes[i]]
        sup = ints[k + 3]
        return (stage, rule, ints[k], ints[k + 1], ints[k + 2], strs[j], strs[j + 1], t._conf[i], strs[j + 2],
                None if sup < 0 else sup, i)

    def _fields(self) -> tuple:
        return self.values()

    def __eq__(self, other) -> bool:
        if isinstance(other, EditRef) or type(other).__name__ == "Edit":
            return self._fields() == tuple(getattr(other, f) for f in _EDIT_FIELDS)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return "Edit(" + ", ".join(f"{f}={getattr(self, f)!r}" for f in _EDIT_FIELDS) + ")"
