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


@pytest.fixture(scope="module")
def french():
    from reissue.correct.model import model_path_for

    return Corrector(model_path_for("fr"))


def test_shipped_french_model_resegments_a_token_no_confusion_reads(french):
    assert french.P.split_correct_lp is not None and french.P.split_correct_alone
    assert "croyais utile" in [c for c, _lp, _rule in french._token_cands(french, "croyaisutite", False, None)]
    # a token a learned confusion turns into a word keeps to that word's rivals: no half-word split of it
    cands = french._token_cands(french, "hafoué", False, None)
    assert "bafoué" in [c for c, _lp, _rule in cands] and not any(rule == "split-confusion" for _c, _lp, rule in cands)
    assert any(rule == "split-confusion" for _c, _lp, rule in french.resegmentations("hafoué"))  # (it has some)


def test_a_french_half_is_a_french_word(french):
    # the halves a re-segmentation keeps as printed are words of the language (languages.py one_letter_words):
    # French à is one, the English pronoun i is none
    assert ("à", "presant", True) in french._cuts_of("àpresant")
    assert not any(a == "i" for a, _b, _kept in french._cuts_of("iarmèe"))


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
