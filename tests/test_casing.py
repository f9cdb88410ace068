"""A capital read for a small letter in mid-sentence (correct/casing.py): what is counted in training, what is
written at correction, and the pass that writes it (passes.py ``lowered``)."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from hypothesis import given, strategies as st

from reissue.correct.casing import Lowered, count_lowered, lowered_table, mid_capitals
from reissue.correct.passes import Doc, lowered
from reissue.correct.tokens import Correction
from reissue.correct.train import fit, merge_models


@pytest.mark.parametrize("words, at", [
    ("the grains In the soil".split(), [2]),
    ("made, In truth it".split(), [1]),  # a comma before it: still mid-sentence
    ("the trial. It was".split(), []),  # a full stop before it: a sentence start
    ("the River Is wide".split(), []),  # a capitalised word before it: a name or a title
    ("the grains IN the".split(), []),  # all in capitals
    ("and I said".split(), []),  # one letter
    ("the grains In 1832".split(), []),  # no small word after it
    ("In the soil".split(), []),  # the first word
    ("sown In the spring, and Is good".split(), [1, 5]),
])
def test_mid_capitals(words, at):
    assert list(mid_capitals(words)) == at


def test_count_lowered_counts_each_word_seen_and_lowered():
    lowered, seen = Counter(), Counter()
    count_lowered("the grains In the soil and only Is it so the trial It was",
                  "the grains in the soil and only is it so the trial. It was", lowered, seen)
    assert seen == Counter({"in": 1, "is": 1, "it": 1})
    assert lowered == Counter({"in": 1, "is": 1})


def test_count_lowered_skips_words_not_aligned_one_to_one():
    lowered, seen = Counter(), Counter()
    count_lowered("the grains In the soil", "the grains within the soil", lowered, seen)
    assert seen == Counter({"in": 1}) and lowered == Counter()
    count_lowered("the grains In the soil", "the grains in a the soil", lowered, seen)  # (an insertion: not 1:1)
    assert lowered == Counter()


def test_table_and_forms():
    table = lowered_table(Counter({"in": 9, "it": 5, "its": 1}), Counter({"in": 10, "it": 10, "its": 1}), 2)
    assert table == {"in": [9, 10], "it": [5, 10]}  # (its: seen small once, fewer than 2 times)
    assert Lowered.of(table, 5, 0.8).forms == {"in": 0.9}
    assert Lowered.of(table, 10, 0.8).forms == {} and not Lowered.of(table, 10, 0.8)
    assert Lowered.of(table, 5, 0.5).forms == {"in": 0.9, "it": 0.5}


def test_words_found_in_a_text():
    text = "the grains In the soil.\nThe trial It was"
    assert Lowered({"in": 0.9, "it": 0.6}).words(text) == [(11, 13, 0.9), (34, 36, 0.6)]
    assert Lowered({}).words(text) == []
    # (only whole words, between small words; at the text's edges no word stands on that side)
    assert Lowered({"in": 0.9}).words("In the soil, Inn the, xIn the, the In, the In") == []


@pytest.mark.parametrize("text", [
    "the grains In the soil and only Is it so, the trial. It was",
    "  In   the soil\n\nmade In truth, In 1832 as\tIn\tthe way Into  the In",
    "x In y\nz Is, w",
])
def test_words_found_where_training_counts(text):
    """Correction finds the words training counts (mid_capitals over the blank-separated words), at their places."""
    assert Lowered(FORMS).words(text) == _as_training_counts(text)


FORMS = {"in": 0.9, "is": 0.8, "it": 0.5, "into": 1.0}


def _as_training_counts(text):
    spans = [m.span() for m in re.finditer(r"\S+", text)]
    words = [text[a:b] for a, b in spans]
    return [(*spans[i], FORMS[words[i].lower()]) for i in mid_capitals(words) if words[i].lower() in FORMS]


def test_fit_learns_the_table_and_merge_adds_it():
    pairs = [("the grains In the soil", "the grains in the soil")] * 3 + [("a trial It was", "a trial. It was")]
    data = fit(pairs)
    assert data["lowered"] == {"in": [3, 3]}  # ("it" was never small: not kept)
    merged = merge_models(data, fit(pairs[:2] + [("made In truth", "made In truth")]))
    assert merged["lowered"] == {"in": [5, 6]}


class _Model:
    def __init__(self, forms):
        self.lowered = Lowered(forms)


class _Corrector:
    def __init__(self, forms, threshold=0.5):
        self.model = _Model(forms)
        self.threshold = threshold


def _doc(text):
    return Doc(text, [], [], Counter(), None)


def test_pass_writes_the_first_letter_small():
    text = "the grains In the soil"
    out = lowered(_Corrector({"in": 0.82}), _doc(text), [])
    assert out == [Correction(11, 12, "I", "i", 0.82, "lowered")]


def test_pass_leaves_a_word_another_edit_touches_and_keeps_the_threshold():
    text = "the grains In tbe soil and only Is it"
    other = Correction(11, 13, "In", "On", 0.9, "confusion")
    out = lowered(_Corrector({"in": 0.82, "is": 0.9}), _doc(text), [other])
    assert [(c.before, c.after) for c in out] == [("In", "On"), ("I", "i")] and out[1].start == text.index("Is")
    assert lowered(_Corrector({"in": 0.82}, threshold=0.9), _doc(text), []) == []


def test_shipped_english_model_has_the_table_and_the_others_none():
    from reissue.correct.model import load_model, model_path_for

    en = load_model(model_path_for("en"))
    assert en.lowered and all(share >= en.params.lowered_min_share for share in en.lowered.forms.values())
    for lang in ("fr", "de"):
        assert not load_model(model_path_for(lang)).lowered


def test_a_language_that_turns_it_off_learns_no_table():
    pairs = [("le grain En la terre", "le grain en la terre")] * 3
    assert "lowered" not in fit(pairs, lang="fr")


@given(st.lists(st.tuples(st.sampled_from(["In", "in", "Is", "It", "Into", "the", "soil,", "it.", "x", "1832", "In,"]),
                          st.sampled_from([" ", "  ", "\n", "\t", " \n "])), max_size=12))
def test_words_found_where_training_counts_property(parts):
    text = "".join(w + sep for w, sep in parts)
    assert Lowered(FORMS).words(text) == _as_training_counts(text)
