"""A misread known stem with an English ending (correct/derived.py: "Mettemichean" -> "Metternichean"; issue 14:
a learned confusion applies wherever it explains an unknown word)."""

from __future__ import annotations

import pytest

from casekit import corrector_with

from reissue.correct.derived import RULE as DERIVED, SUFFIXES, derived_candidate
from reissue.correct.engine import Corrector


@pytest.fixture(scope="module")
def corrector():
    return Corrector()


def test_derived_candidate(corrector):
    # a learned confusion in the stem, a productive ending after it
    assert derived_candidate(corrector, "mettemichean")[0] == "metternichean"
    assert derived_candidate(corrector, "mettemich's")[0] == "metternich's"
    # a known printed stem is no misreading; a short stem is too ambiguous ("teelly" -> "feelly")
    assert derived_candidate(corrector, "metternichean") is None
    assert derived_candidate(corrector, "teelly") is None
    # a derived word the lexicon knows is the decoder's to weigh
    assert derived_candidate(corrector, "christianity") is None
    assert all(len(a) >= len(b) for a, b in zip(SUFFIXES, SUFFIXES[1:]))  # longest first


def test_derived_edits(corrector):
    text = "Stalin has been transformed overnight into a Mettemichean power politician."
    edits = corrector.corrections(text)
    assert [(e.before, e.after, e.rule) for e in edits] == [("m", "rn", DERIVED)]
    assert corrector.correct_text("the Metternichean power") == "the Metternichean power"
    off = corrector_with(derive_min_stem=None)
    assert off.correct_text(text) == text
