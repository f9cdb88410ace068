"""Lone letters that are no word of the language, deleted between two words (correct/singles.py)."""

from __future__ import annotations

import pytest

from reissue.correct.singles import JUNK_RULE, junk_letter_edits
from reissue.correct.tokens import Correction, tokenize


def _deleted(text: str, taken=(), word_here=None) -> list[str]:
    toks = tokenize(text, ("-",), ())
    edits = junk_letter_edits(text, toks, "ij", list(taken), word_here)
    assert all(e.after == "" and e.rule == JUNK_RULE and text[e.start:e.end] == e.before for e in edits)
    return [text[e.start - 8:e.start] + "[" + e.before + "]" for e in edits]


@pytest.mark.parametrize("text,n", [
    ("the annals j of the society", 1),
    ("in the market, j brought by the ship", 1),  # a comma may end the word before
    ("the annals\nj of the society", 1),  # a line break
    ("the annals j\nof the society", 1),
    ("the annals x of the society", 0),  # not one of the letters
    ("the annals J of the society", 0),  # a capital (an initial)
    ("price 3 j 4 shillings", 0),  # beside figures
    ("the manu- i facturers", 0),  # after a word split by a hyphen
    ("items a i b", 0),  # beside a single letter
    ("j of the society", 0),  # first
    ("of the society j", 0),  # last
    ("the (j) of it", 0),  # in brackets
    ("48 Ash Trees and i Cypher", 0),  # before a capital: as often a misread figure or word
])
def test_which_lone_letters_go(text, n):
    assert len(_deleted(text)) == n, text


def test_the_deletion_takes_the_space_after_it():
    text = "the annals j of"
    (e,) = junk_letter_edits(text, tokenize(text, ("-",), ()), "ij", [])
    assert text[:e.start] + e.after + text[e.end:] == "the annals of"


def test_a_letter_the_decoder_edited_or_a_word_there_stays():
    text = "he said i have it"
    at = text.index(" i ") + 1
    assert _deleted(text) != []
    assert _deleted(text, taken=[Correction(at, at + 1, "i", "I", 0.9, "real-word")]) == []
    assert _deleted(text, word_here=lambda i: True) == []
