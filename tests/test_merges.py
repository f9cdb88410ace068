"""Merges of printed tokens into one word (correct/merges.py): a letter printed as a space ("mini ter"),
a rare known half ("hoi nets"), a one-letter rest that is no word ("engli h"), and the golden cases of
split and merged words kept as data (tests/data/merge_cases.json)."""

from __future__ import annotations

import pytest

from casekit import check_case, corrector_with, golden_cases

from reissue.correct.engine import Corrector
from reissue.correct.tokens import stands_alone, tokenize


@pytest.fixture(scope="module")
def corrector():
    return Corrector()


def test_gap_letter_candidates():
    on = corrector_with(merge_gap_lp=-4.0)
    off = corrector_with(merge_gap_lp=None)
    for a, b, word in [("mini", "ter", "minister"), ("chesh", "re", "cheshire"), ("que", "nsland", "queensland")]:
        assert word in [c for c, _lp in on._merge_cands(a, b)], (a, b)
        assert word not in [c for c, _lp in off._merge_cands(a, b)], (a, b)
    # the letter goes where the space was, nowhere else
    assert all(c.startswith("mini") and c.endswith("ter") or lp != -4.0 for c, lp in on._merge_cands("mini", "ter"))


def test_which_pairs_may_be_merged_and_corrected():
    c = corrector_with(merge_correct_max_p=1e-5, merge_correct_letters=True)
    base = corrector_with(merge_correct_max_p=None, merge_correct_letters=False)
    text = "the hoi nets engli h recoived a"
    toks = tokenize(text, c.line_hyphens, c.elisions)
    lows = [t.form.lower() for t in toks]

    def ok(corr, i):
        return corr._merge_correctable(toks[i], toks[i + 1], lows[i], lows[i + 1])
    assert ok(c, 1) and not ok(base, 1)  # hoi, nets: both known, one rare
    assert ok(c, 3) and not ok(base, 3)  # engli h: a letter that is no word
    assert not ok(c, 5) and not ok(base, 5)  # recoived a: "a" is a word
    assert stands_alone("a") and stands_alone("i") and stands_alone("an") and not stands_alone("h")


@pytest.mark.parametrize("case", golden_cases("merge_cases.json"))
def test_merge_case(corrector, case):
    check_case(corrector, case)


def test_shipped_english_model_widens_the_merges(corrector):
    P = corrector.P
    assert P.merge_gap_lp is not None and P.merge_correct_max_p is not None and P.merge_correct_letters
