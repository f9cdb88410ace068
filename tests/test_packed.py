"""Document.compact() keeps a built Document's lines, pieces and edits as integer rows (reissue.packed):
everything read from the packed Document equals what the same build holds unpacked, the edition
written from it is the same, and an edit recorded after compact still supersedes and refuses overlaps."""

from __future__ import annotations

from pathlib import Path

import pytest

from reissue.edition import document_to_dict, rebuild_raw
from reissue.model import Document, Edit, TrackedText
from reissue.packed import EditRef, EditTable, PackedLines
from reissue.pipeline import build_document

SYNTH = Path(__file__).parent / "data" / "synth" / "issue-builtin-7"


def _line(ln) -> tuple:
    return (ln.page, ln.no, ln.start, ln.end, ln.eol_end, ln.kind, ln.str, ln.text.text,
            [(p.page, p.start, p.end, p.text, p.edit) for p in ln.text.pieces])


def _pieces(tt: TrackedText) -> list[tuple]:
    return [(p.page, p.start, p.end, p.text, p.edit) for p in tt.pieces]


@pytest.fixture(scope="module")
def pair():
    """The same build twice: packed by compact(), and with compact() doing nothing."""
    packed = build_document([str(SYNTH)], correct=True)
    real = Document.compact
    Document.compact = lambda self: None
    try:
        loose = build_document([str(SYNTH)], correct=True)
    finally:
        Document.compact = real
    return packed, loose


def test_compact_packs_lines_pieces_and_edits(pair):
    packed, loose = pair
    assert all(isinstance(p.lines, PackedLines) for p in packed.pages)
    assert isinstance(packed.edits, EditTable) and isinstance(loose.edits, EditTable)
    assert all(t._rows is not None for t in packed.texts())
    assert any(e.stage == "correct" for e in loose.edits)  # the build made corrections to compare


def test_packed_document_reads_the_same(pair):
    packed, loose = pair
    for pp, lp in zip(packed.pages, loose.pages, strict=True):
        assert len(pp.lines) == len(lp.lines)
        assert [_line(ln) for ln in pp.lines] == [_line(ln) for ln in lp.lines]
        assert _line(pp.lines[-1]) == _line(lp.lines[-1])
        for sl in (slice(1, 4), slice(2, None), slice(None, None, 2), slice(-3, None)):
            assert [_line(ln) for ln in pp.lines[sl]] == [_line(ln) for ln in lp.lines[sl]]
            assert len(pp.lines[sl]) == len(lp.lines[sl])
        assert [_line(ln) for ln in pp.lines[1:][::2]] == [_line(ln) for ln in lp.lines[1:][::2]]
        if len(lp.lines) > 2:
            assert _line(pp.lines[1:][-1]) == _line(lp.lines[-1])
        with pytest.raises(IndexError):
            pp.lines[len(lp.lines)]
    for pt, lt in zip(packed.texts(), loose.texts(), strict=True):
        assert pt.text == lt.text and len(pt) == len(lt)
        assert pt.spans() == lt.spans() and pt.pages() == lt.pages() and pt.page_breaks() == lt.page_breaks()
        for pg, rs, re_, _ts, _te, _eid in lt.spans():
            for raw in (rs, re_, (rs + re_) // 2):
                assert pt.offset_of(pg, raw) == lt.offset_of(pg, raw)
    assert len(packed.edits) == len(loose.edits)
    assert list(packed.edits) == loose.edits and loose.edits == list(packed.edits)
    assert packed.edits == loose.edits
    assert [repr(e) for e in packed.edits] == [repr(e) for e in loose.edits]
    assert [e.active for e in packed.edits] == [e.active for e in loose.edits]
    assert document_to_dict(packed) == document_to_dict(loose)
    # the pieces are made again, the same, when a stage asks for them
    for pt, lt in zip(packed.texts(), loose.texts()):
        assert _pieces(pt) == _pieces(lt) and pt._rows is None


def test_edits_recorded_after_compact(pair):
    packed, _ = pair
    doc = build_document([str(SYNTH)], correct=False)
    before = document_to_dict(doc)
    assert isinstance(doc.edits, EditTable)
    para = next(p for p in doc.paragraphs if len(p.text.text) > 40)
    a = para.text.text.index(" ") + 1
    b = para.text.text.index(" ", a)
    eid = para.text.replace(doc, a, b, "WORD", stage="review", rule="manual")
    assert eid == len(before["edits"]) and isinstance(doc.edits[eid], EditRef)
    assert doc.edits[eid].before == doc.pages[doc.edits[eid].page].raw[doc.edits[eid].start:doc.edits[eid].end]
    ed = document_to_dict(doc)
    assert rebuild_raw(ed) == [p["raw"] for p in ed["pages"]]
    # covering an edit of the table supersedes it there (the row is written)
    old = next(e for e in doc.edits if e.active and e.end > e.start + 1)
    new = doc.record_edit("review", "cover", old.page, old.start, old.end, "x")
    assert doc.edits[old.id].superseded_by == new and not old.active
    from reissue.errors import EditOverlapError

    active = [e.id for e in doc.edits if e.active]
    with pytest.raises(EditOverlapError):  # it would cover the edit after ``old`` and cut into ``old``
        doc.record_edit("review", "overlap", old.page, old.start + 1, old.end + 1, "y")
    assert [e.id for e in doc.edits if e.active] == active  # a refused edit supersedes nothing
    doc.compact()  # again: the edits recorded since stay
    assert len(doc.edits) == new + 1 and doc.edits[new].rule == "cover"
    ed = document_to_dict(doc)
    assert rebuild_raw(ed) == [p["raw"] for p in ed["pages"]]


def test_edit_row_fields_are_written():
    edits = [Edit("s", "r", 0, 0, 3, "abc", "x", 0.5, "n", id=0), Edit("s", "q", 0, 3, 4, "d", "", id=1)]
    t = EditTable.pack(edits)
    t[0].superseded_by = 1
    t[1].rule = "r"
    t[1].start = 2**40  # beyond 32 bits: the row widens
    t[1].note = "m"
    assert (t[0].superseded_by, t[0].active, t[1].rule, t[1].stage, t[1].start, t[1].note) == (1, False, "r", "s", 2**40, "m")
    assert t[0].confidence == 0.5 and t[1].confidence == 1.0
    assert EditTable.pack([Edit("s", "r", 0, 0, 1, "a", "b", id=5)]) is None  # ids must be places


def test_a_document_made_with_a_list_of_edits():
    from reissue.model import Page

    doc = Document(pages=[Page(0, "a.txt", "ab cd\nef")], edits=[])
    doc.pages[0].lines = doc.pages[0].split_lines()
    e1 = doc.record_edit("s", "r", 0, 0, 2, "AB")
    e2 = doc.record_edit("s", "r2", 0, 0, 5, "X")
    assert isinstance(doc.edits, list) and doc.edits[e1].superseded_by == e2
    doc.compact()
    assert isinstance(doc.edits, EditTable) and doc.edits[e1].superseded_by == e2 and doc.edits[e2].rule == "r2"
    assert isinstance(doc.pages[0].lines, PackedLines) and [ln.str for ln in doc.pages[0].lines] == ["ab cd", "ef"]


def test_active_segments_are_the_active_edits_fields():
    from reissue.model import Edit
    from reissue.packed import EditTable

    edits = [Edit("reflow", "line-join", i % 3, 10 * i, 10 * i + 2, f"b{i}", " ", 0.5, "", None, i) for i in range(9)]
    t = EditTable.pack(edits)
    t[2].superseded_by = 5
    t[7].superseded_by = 8
    want = [(e.page, e.start, e.end, e.before, e.id) for e in t if e.superseded_by is None]
    assert list(t.active_segments()) == want and len(want) == 7
