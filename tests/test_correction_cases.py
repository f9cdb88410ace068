"""Golden cases of the English corrector, kept as data (tests/data/correction_cases.json): what it
must fix, what it must leave as printed, and what it must never write (issue 14, no confident damage)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reissue.correct.engine import Corrector

CASES = json.loads((Path(__file__).parent / "data" / "correction_cases.json").read_text(encoding="utf-8"))["cases"]


@pytest.fixture(scope="module")
def corrector():
    return Corrector()


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_correction_case(corrector, case, request):
    if case.get("open"):
        request.applymarker(pytest.mark.xfail(reason=case["open"], strict=True))
    text = case["text"]
    out = corrector.correct_text(text)
    for printed, fixed in case.get("fixed", ()):
        assert printed in text and fixed in out, (printed, fixed, out)
    for kept in case.get("kept", ()):
        assert out.count(kept) == text.count(kept) > 0, (kept, out)
    for never in case.get("never", ()):
        assert never not in out, (never, out)
    for printed, fixed in case.get("fixed_or_kept", ()):
        # the word's place in the output: between the unchanged text before and after it
        i = text.index(printed)
        before, after = text[:i], text[i + len(printed):]
        head = out[:len(before)] if out.startswith(before) else None
        tail = out[len(out) - len(after):] if after and out.endswith(after) else ("" if not after else None)
        if head is not None and tail is not None:
            assert out[len(before):len(out) - len(after)] in (printed, fixed), (printed, out)
        else:  # other edits around it: the word itself is still one of the two
            assert printed in out or fixed in out, (printed, fixed, out)
