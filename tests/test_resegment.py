"""Re-segmentation proposals (correct/resegment.py) and the one-character guards (correct/singles.py)."""

from __future__ import annotations

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
    assert corrector.resegmentations("there") == []  # a known word
    assert corrector.resegmentations("tbe") == []  # shorter than split_correct_min_len


def test_switched_off_when_the_parameter_is_none():
    model = load_model()
    model.params = model.params.replace(split_correct_lp=None)
    assert Corrector(model).resegmentations("tbeman") == []


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
