"""The write-back's index of a page's edits (``back_common.PageEdits``) and of its lines (``_line_finder``): they find
what a scan of every edit or line finds, only faster (a word of a page with thousands of words and edits)."""

from __future__ import annotations

from types import SimpleNamespace

from hypothesis import given, settings
from hypothesis import strategies as st

from reissue.ingest.back_common import PageEdits, _Change, _line_finder, corrected_word, crossing, edits_near, regroup

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
    spans = [(a, b) for a, b in ((0, 4), (5, 9), (10, 14))]
    assert regroup(RAW, spans, indexed) == regroup(RAW, spans, plain)


def test_a_plain_list_is_scanned_whole():
    edits = [_Change(0, 1, "x"), _Change(20, 21, "")]
    assert edits_near(edits, 5, 6) is edits
    assert edits_near(PageEdits(edits), 5, 6) == []
    assert edits_near(PageEdits(edits), 21, 30) == [edits[1]]  # it ends where the span starts: it touches it


def test_line_finder_answers_as_the_scan():
    lines = [SimpleNamespace(no=i, start=a, eol_end=b) for i, (a, b) in enumerate([(0, 5), (5, 9), (12, 20), (20, 20)])]
    page = SimpleNamespace(lines=lines)
    line_of = _line_finder(page)
    for pos in range(-1, 23):
        first = next((ln.no for ln in lines if ln.start <= pos <= ln.eol_end), None)
        assert line_of(pos) == first, pos
