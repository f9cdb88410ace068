"""Golden cases of the English corrector, kept as data (tests/data/correction_cases.json): what it
must fix, what it must leave as printed, and what it must never write (issue 14, no confident damage).
Wrong edits seen on real pages only in their whole document (its vocabulary, the OCR engine's doubts)
are kept as ``never_made``: [printed word, candidate] pairs whose edit the corrector must refuse
(``Corrector._make`` returns None) whatever the decoder's scores."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from casekit import check_case

from reissue.correct.engine import Corrector

CASES = json.loads((Path(__file__).parent / "data" / "correction_cases.json").read_text(encoding="utf-8"))["cases"]


@pytest.fixture(scope="module")
def corrector():
    return Corrector()


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_correction_case(corrector, case, request):
    if case.get("open"):
        request.applymarker(pytest.mark.xfail(reason=case["open"], strict=True))
    check_case(corrector, case)

def test_name_edit_needs_more(corrector):
    """An edit-distance edit that changes the first letter of a name-like word needs name_edit_threshold
    (1832 Liverpool Standard: "of Oakes-ing" -> "of Passing" at 0.66); other edits the threshold."""
    from reissue.correct.tokens import Correction

    P = corrector.P
    assert P.name_edit_threshold is not None and P.name_edit_threshold > corrector.threshold
    text = "the north side of Oakesing out of the street"
    at = text.index("Oake")
    first = Correction(at, at + 4, "Oake", "Pass", 0.66, "edit-distance")
    inner = Correction(at + 1, at + 4, "ake", "ase", 0.66, "edit-distance")
    name, plain = {"name_like": 1.0, "log_p_ocr": -25.0}, {"name_like": 0.0, "log_p_ocr": -25.0}
    assert corrector._needed(first, name, text) == P.name_edit_threshold
    assert corrector._needed(inner, name, text) == corrector.threshold
    assert corrector._needed(first, plain, text) == corrector.threshold
    assert corrector._needed(Correction(at, at + 4, "Oake", "Pass", 0.66, "confusion"), name, text) == corrector.threshold


def test_line_fragment_guard():
    """A half of a word broken over a line end: hyphenated there and not joined ("Wai-\\nlace", the
    Tribune: "Wai" -> "Was"), or making a known word with the next line's first word; not a whole word."""
    from reissue.chars import line_end_hyphen_re
    from reissue.correct.guards import line_fragment

    known = {"thousand", "furniture"}.__contains__
    hyphen = line_end_hyphen_re()
    text = "sold by Wai-\nlace B. Hunter, nearly a thou^.\nsand acres, the man\nwent"
    for word, expected in (("Wai", True), ("lace", True), ("thou", True), ("sand", True), ("man", False),
                           ("went", False), ("Hunter", False)):
        at = text.index(word)
        assert line_fragment(text, at, at + len(word), known, hyphen) is expected, word
