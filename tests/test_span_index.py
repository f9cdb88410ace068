"""Indexes of spans that find by bisection what a scan finds: the write-back's of a page's edits
(``back_common.PageEdits``, ``WriteEdits``) and of its lines (``_line_finder``), and the OCR confidences under a
paragraph's text (``OcrConfidence.reader``), asked about for each word of pages with thousands of words, edits and
line joins."""

from __future__ import annotations

import sys
from pathlib import Path
from types import SimpleNamespace

from hypothesis import given, settings
from hypothesis import strategies as st

from reissue.ingest.back_common import PageEdits, _Change, _line_finder, corrected_word, crossing, edits_near, regroup

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from bench_span_indexes import of_text_by_slice, scanning_line_finder  # noqa: E402  (the scans, as they were)

RAW = "abcd efgh ijkl\nmnop qrst uvwx\nyz"


@st.composite
def page_edits(draw):
    """Non-overlapping edits of RAW (some empty insertions, some over a line end), in any order."""
    cuts = sorted(draw(st.lists(st.integers(0, len(RAW)), min_size=0, max_size=16)))
    out = []
    for a, b in zip(cuts[::2], cuts[1::2]):
        out.append(_Change(a, b, draw(st.sampled_from(["", "x", "yz", " ", "w v"]))))
    return draw(st.permutations(out))


@settings(max_examples=200, deadline=None)
@given(page_edits(), st.integers(0, len(RAW)), st.integers(0, 8))
def test_indexed_edits_answer_as_the_scan(edits, s, n):
    e = min(len(RAW), s + n)
    plain = sorted(edits, key=lambda x: x.start)
    indexed = PageEdits(edits)
    assert corrected_word(RAW, s, e, indexed) == corrected_word(RAW, s, e, plain)
    assert crossing(indexed, s, e, e, min(len(RAW), e + 3)) == crossing(plain, s, e, e, min(len(RAW), e + 3))
    assert set(edits_near(indexed, s, e)) >= {x for x in plain if x.start <= e and x.end >= s}
    spans = [(0, 4), (5, 9), (10, 14)]
    assert regroup(RAW, spans, indexed) == regroup(RAW, spans, plain)


def test_a_plain_list_is_scanned_whole():
    edits = [_Change(0, 1, "x"), _Change(20, 21, "")]
    assert edits_near(edits, 5, 6) is edits
    assert edits_near(PageEdits(edits), 5, 6) == []
    assert edits_near(PageEdits(edits), 21, 30) == [edits[1]]  # it ends where the span starts: it touches it


def test_line_finder_answers_as_the_scan():
    lines = [SimpleNamespace(no=i, start=a, eol_end=b) for i, (a, b) in enumerate([(0, 5), (5, 9), (12, 20), (20, 20)])]
    page = SimpleNamespace(lines=lines)
    line_of, scan = _line_finder(page), scanning_line_finder(page)
    for pos in range(-1, 23):
        assert line_of(pos) == scan(pos), pos


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 60), st.integers(1, 8)), max_size=6), st.integers(0, 80), st.integers(0, 12))
def test_confidence_reader_answers_as_the_slice(replacements, a, n):
    """OcrConfidence.reader finds the pieces of a text by bisection, and again after the text changed."""
    from reissue.ingest import document_from_texts
    from reissue.ingest.confidence import OcrConfidence
    from reissue.tracked import TrackedText

    raw = "the quick brown fox\njumps over the\nlazy dog and the cat\n"
    doc = document_from_texts([("p1", raw)])
    page = doc.pages[0]
    conf = OcrConfidence(doc)
    conf.spans = {page.index: [(m, m + 3, 0.5 + (m % 7) / 10) for m in range(0, len(raw) - 3, 4)]}
    tt = TrackedText.verbatim(page.index, 0, len(raw), raw)
    of = conf.reader(tt)
    for s, k in [(0, 0)] + replacements:
        if k and s + k <= len(tt.text):
            tt.replace(doc, s, s + k, "X" * (k % 3), stage="correct", rule="test")
        lo = min(a, len(tt.text))
        b = min(len(tt.text), lo + n)
        assert of(lo, b) == of_text_by_slice(conf, tt, lo, b) == conf.of_text(tt, lo, b)


def test_joins_and_keeps_from_the_gathered_edits_as_found():
    """_joins and _keeps read a page's edits from the write-back's WriteEdits (gathered once per document) and
    find the same lines as when they look for them in the document's edits."""
    from reissue.ingest import document_from_texts
    from reissue.ingest.back_common import WriteEdits, _joins, _keeps
    from reissue.pipeline import process

    pages = [(f"p{k}", f"The commit-\ntee met in the {w} with the fellow-\ntravelers and the govern-\nment of the "
              f"day, page {k}.\n\nA second para-\ngraph of the well-\nknown kind about the {w}.\n")
             for k, w in enumerate(["morning", "evening", "winter"])]
    doc = process(document_from_texts(pages), correct=False)
    edits = WriteEdits(doc)
    found = [(_joins(doc, page), _keeps(doc, page)) for page in doc.pages]
    assert [(_joins(doc, page, edits), _keeps(doc, page, edits)) for page in doc.pages] == found
    assert all(joins for joins, _keeps_ in found) and any(keeps for _joins_, keeps in found)
