"""A letter misread as a letter and a mark inside a word ("ar.d" for "and", "or.ly" for "only"; search.py
``_inner_mark_cands``, model.py ``inner_mark_lp``)."""

from __future__ import annotations

import pytest

from casekit import corrector_with

from reissue.correct import Corrector
from reissue.correct.tokens import inner_mark_word


@pytest.mark.parametrize("form, ok", [("ar.d", True), ("or.ly", True), ("tl.e", True), ("Ber.tinck", True),
                                      ("to,day", True),
                                      ("i.e", False), ("e.g", False), ("a.m", False),  # two single letters
                                      ("U.S", False), ("St.John", False), ("l.Élysée", False),  # a capital after it
                                      ("1,000", False), ("ar.d.x", False), ("ar..d", False), (".ard", False)])
def test_which_tokens_may_hide_a_letter_in_a_mark(form, ok):
    assert inner_mark_word(form) is ok


def test_the_words_of_its_letters_are_candidates():
    c = corrector_with(inner_mark_lp=-10.41)
    got = dict((w, lp) for w, lp, _rule in c.candidates("ar.d"))
    assert "and" in got and got["and"] < got["ard"]  # the confusion r -> n costs on top of the mark
    text = "He went to the Exchequer, ar.d therefore he was there or.ly eleven days, i.e. a week, in the U.S."
    assert c.correct_text(text) == \
        "He went to the Exchequer, and therefore he was there only eleven days, i.e. a week, in the U.S."


def test_off_without_the_parameter():
    c = corrector_with(inner_mark_lp=None)
    assert "and" not in [w for w, _lp, _rule in c.candidates("ar.d")]
    text = "He went to the Exchequer, ar.d therefore he was there."
    assert c.correct_text(text) == text
