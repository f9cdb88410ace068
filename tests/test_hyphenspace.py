"""A space printed as a hyphen between two function words (correct/hyphenspace.py: "those of-the Kremlin" ->
"of the"; issue 14); compounds and chains stay."""

from __future__ import annotations

import pytest

from casekit import corrector_with

from reissue.correct.engine import Corrector
from reissue.correct.hyphenspace import RULE as HYPHEN_SPACE


@pytest.fixture(scope="module")
def corrector():
    return Corrector()


def test_hyphen_space(corrector):
    fix = {"those of-the Kremlin": "those of the Kremlin", "said that-the man": "said that the man"}
    for printed, fixed in fix.items():
        edits = corrector.corrections(printed)
        assert corrector.correct_text(printed) == fixed
        assert [e.rule for e in edits] == [HYPHEN_SPACE]
    # compounds with a rarer half, a chain of hyphens, a capitalised second word, a line-end hyphen stay
    for kept in ("it is to-day and to-morrow", "the well-known man", "by-the-by it was", "a-Right to it",
                 "those of-\nthe Kremlin"):
        assert not any(e.rule == HYPHEN_SPACE for e in corrector.corrections(kept)), kept
    off = corrector_with(hyphen_space_min_p=None)
    assert off.correct_text("those of-the Kremlin") == "those of-the Kremlin"


def test_hyphen_space_not_over_an_edit(corrector):
    """A hyphen between two tokens one of which the decoder edits stays (the spans would overlap)."""
    from reissue.correct.hyphenspace import hyphen_space_edits
    from reissue.correct.tokens import Correction, tokenize

    text = "those of-the Kremlin"
    toks = tokenize(text)
    lows = [t.form.lower() for t in toks]
    args = (corrector.lm.p, corrector.lm.cond, 2e-3, 0.01, 0.9)
    assert len(hyphen_space_edits(text, toks, lows, *args, [])) == 1
    taken = [Correction(9, 12, "the", "she", 0.9, "confusion")]
    assert hyphen_space_edits(text, toks, lows, *args, taken) == []
