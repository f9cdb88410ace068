"""The document model: tracked text, edits and rebuilding the raw text."""

import pytest

from reissue.model import Document, Page, TrackedText
from reissue.edition import document_from_dict, document_to_dict, rebuild_raw
from reissue.errors import EditionError


def one_page(raw: str) -> tuple[Document, TrackedText]:
    doc = Document(pages=[Page(0, "p.txt", raw)])
    return doc, TrackedText.verbatim(0, 0, len(raw), raw)


def test_replace_records_edit_on_raw_span():
    doc, tt = one_page("the Comintem was here")
    eid = tt.replace(doc, 4, 12, "Comintern", stage="correct", rule="t", confidence=0.9)
    assert tt.text == "the Comintern was here"
    e = doc.edits[eid]
    assert (e.start, e.end, e.before, e.after) == (4, 12, "Comintem", "Comintern")
    assert [p.edit for p in tt.pieces] == [None, eid, None]


def test_replace_over_an_edit_supersedes_it():
    raw = "phil·\nanthropist"
    doc, tt = one_page(raw)
    first = tt.replace(doc, 4, 6, "", stage="reflow", rule="hyphen-join")
    assert tt.text == "philanthropist"
    second = tt.replace(doc, 0, len(tt.text), "PHILANTHROPIST", stage="review", rule="manual")
    assert doc.edits[first].superseded_by == second
    assert doc.edits[second].before == raw


def test_replace_refuses_span_across_pages():
    doc = Document(pages=[Page(0, "a", "ab"), Page(1, "b", "cd")])
    tt = TrackedText.verbatim(0, 0, 2, "ab").append(TrackedText.verbatim(1, 0, 2, "cd"))
    assert tt.replace(doc, 1, 3, "X", stage="s", rule="r") is None
    assert tt.text == "abcd" and not doc.edits


def test_slice_and_raw_pos():
    doc, tt = one_page("  word  ")
    s = tt.slice(2, 6)
    assert s.text == "word"
    assert s.pieces[0].start == 2
    assert tt.raw_pos(6) == (0, 6)


def test_rebuild_raw_detects_gaps():
    doc, tt = one_page("abc\ndef")
    assert rebuild_raw(document_to_dict(doc)) == [""]  # nothing covers the raw text yet
    doc.remove_span(0, 4, 7, stage="s", rule="r")
    with pytest.raises(ValueError):
        rebuild_raw(document_to_dict(doc))  # raw[0:4] is not accounted for


def test_round_trip_through_dict():
    doc, tt = one_page("hello world")
    tt.replace(doc, 0, 5, "Hello", stage="correct", rule="case")
    from reissue.model import Paragraph
    doc.paragraphs.append(Paragraph("p1", tt))
    ed = document_to_dict(doc)
    assert rebuild_raw(ed) == ["hello world"]
    again = document_to_dict(document_from_dict(ed))
    assert again["paragraphs"] == ed["paragraphs"] and again["edits"] == ed["edits"]


def test_foreign_json_refused():
    with pytest.raises(EditionError):
        document_from_dict({"format": "something-else"})
    with pytest.raises(EditionError):
        document_from_dict({"format": "reissue-edition/1", "pages": []})
