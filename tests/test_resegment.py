"""Re-segmentation proposals (correct/resegment.py) and the one-character guards (correct/singles.py)."""

from __future__ import annotations

import copy

import pytest

from reissue.correct.engine import Corrector
from reissue.correct.model import load_model


@pytest.fixture(scope="module")
def corrector():
    return Corrector()


def test_shipped_english_model_tries_resegmentations(corrector):
    assert corrector.P.split_correct_lp is not None
    got = [c for c, _lp, rule in corrector.resegmentations("tbeman")]
    assert "the man" in got
    assert all(rule == "split-confusion" for _c, _lp, rule in corrector.resegmentations("wbichis"))
    assert "which is" in [c for c, _lp, _rule in corrector.resegmentations("wbichis")]
    assert "has been" in [c for c, _lp, _rule in corrector.resegmentations("hasbcen")]


def test_known_words_and_short_tokens_get_none(corrector):
    assert corrector.resegmentations("there") == ()  # a known word
    assert corrector.resegmentations("tbe") == ()  # shorter than split_correct_min_len


def test_switched_off_when_the_parameter_is_none():
    model = copy.copy(load_model())  # a copy: the loaded model is cached and shared by other tests
    model.params = model.params.replace(split_correct_lp=None)
    assert Corrector(model).resegmentations("tbeman") == ()
    assert load_model().params.split_correct_lp is not None  # the shared model is left as it was


@pytest.mark.parametrize("a, b, ok", [("Si", "N", False), ("LON", "don", False), ("ap", "pear", True),
                                      ("W", "ith", True), ("SI", "N", True), ("Lon", "don", True)])
def test_merge_case_pattern(a, b, ok):
    assert Corrector._merge_case_ok(a, b) is ok


def test_figure_candidates_are_words_or_the_pronoun(corrector):
    from reissue.correct.tokens import tokenize

    text = "Sir, 1 have seen it."
    toks = tokenize(text, corrector.line_hyphens, corrector.elisions)
    lows = [t.form.lower() for t in toks]
    i = lows.index("1")
    cands = [c for c, _lp, _rule in corrector._single_cands(text, toks, lows, i)]
    assert "i" in cands
    assert all(len(c) > 1 or c == "i" for c in cands)
    assert not any(ch.isdigit() for c in cands for ch in c)
    text = "and 1 Cypher"
    toks = tokenize(text, corrector.line_hyphens, corrector.elisions)
    lows = [t.form.lower() for t in toks]
    assert "i" not in [c for c, _lp, _rule in corrector._single_cands(text, toks, lows, lows.index("1"))]


def test_nearly_clean_answer_is_per_document():
    # _clean_document remembers its last answer; a different Counter (even one made where a freed
    # one lived, with the same size) must get its own answer
    from collections import Counter

    model = copy.copy(load_model())
    model.params = model.params.replace(clean_oov=0.5)
    c = Corrector(model)
    assert c._clean_document(Counter({"the": 3, "house": 1})) is True  # freed at once: its id is free
    assert c._clean_document(Counter({"tbx": 3, "hqxse": 1})) is False  # same size, often the same id
    clean = Counter({"the": 3, "house": 1})
    assert c._clean_document(clean) is True
