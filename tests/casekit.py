"""The check of a golden correction case kept as data (tests/data/correction_cases*.json), shared by
the English and French case tests: ``fixed`` [printed, fixed] pairs, ``kept`` words, ``never``
strings, ``fixed_or_kept`` pairs, and ``never_made`` / ``made`` [printed, candidate] edits that
``Corrector._make`` must refuse / allow."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from reissue.correct.engine import Corrector
from reissue.correct.model import load_model
from reissue.correct.tokens import tokenize


def corrector_with(model_path: str | None = None, /, **params) -> Corrector:
    """A corrector with the parameters of the model (default: the shipped English one) but params (a copy of
    the model: the loaded one is cached and shared by other tests)."""
    model = copy.copy(load_model(model_path))
    model.params = model.params.replace(**params)
    return Corrector(model)


def golden_cases(name: str) -> list:
    """The cases of tests/data/<name> as pytest parameters, named by their id; a case marked "open" (a
    known miss, with the reason) is a strict xfail: it fails the run once it passes."""
    cases = json.loads((Path(__file__).parent / "data" / name).read_text(encoding="utf-8"))["cases"]
    return [pytest.param(c, id=c["id"], marks=pytest.mark.xfail(reason=c["open"], strict=True) if c.get("open") else ())
            for c in cases]


def check_case(corrector, case: dict) -> None:
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
    for printed, cand in case.get("never_made", ()):
        # the guards' own question, of the token as the tokenizer of a language that keeps the marks of the words
        # between dashes makes it ("army:" of "army:—the"; languages.py dash_words_stripped: French, German)
        toks = [t for t in tokenize(text, corrector.line_hyphens, corrector.elisions, dash_words_stripped=False)
                if t.form == printed]
        assert toks, (printed, text)
        assert corrector._make(text, toks[0], cand, 0.99, "confusion") is None, (printed, cand)
    for printed, cand in case.get("made", ()):  # the guards leave such an edit alone
        toks = [t for t in tokenize(text, corrector.line_hyphens, corrector.elisions) if t.form == printed]
        assert toks and corrector._make(text, toks[0], cand, 0.99, "confusion") is not None, (printed, cand)

