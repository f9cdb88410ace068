"""A capital read for a small letter in mid-sentence: ``the grains In the soil``, ``only Is it``.

Some OCR engines read a small letter at the start of a word as its capital (most often ``i`` as ``I``). Such a
word is a dictionary word in its lower-case form, so the decoder, which weighs lower-cased words, never sees
it. But a capitalised word between two lower-case words is also a sentence start whose full stop the OCR lost
(``the trial It was``), or a name (``in Ireland``), so no rule of letters can tell the cases apart. What tells
them apart is learned: in the training pairs (``train.fit``), each such word printed in mid-sentence is counted,
and how often the ground truth has it in small letters (``count_lowered``). A word whose share reaches
``lowered_min_share`` (``lowered_min_count`` times at least) is written in small letters wherever it is printed
so, with its share as the edit's confidence (``Lowered.words``, the ``lowered`` pass of passes.py).

Mid-sentence (``mid_capitals``): the word is letters only, a capital and then small letters; the word before it
(after blanks) is small letters, with at most a comma after them; the word after it is small letters, with at
most one mark of punctuation after them. Training and correction read the text the same way, through the same
function.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator

from .tokens import one_to_one

_LETTERS = re.compile(r"[^\W\d_]+")
_BEFORE = re.compile(r"[^\W\d_]+,?")
_AFTER = re.compile(r"[^\W\d_]+[,.;:]?")


def _capitalised(w: str) -> bool:
    return len(w) > 1 and w[0].isupper() and w[1:].islower() and _LETTERS.fullmatch(w) is not None


def _small(w: str, pattern: re.Pattern) -> bool:
    return pattern.fullmatch(w) is not None and w.islower()


def _mid(before: str, word: str, after: str) -> bool:
    """Is ``word`` a capitalised word in mid-sentence between the blank-separated words ``before`` and ``after``?
    The one definition, for training (``mid_capitals``) and correction (``Lowered.words``)."""
    return _capitalised(word) and _small(before, _BEFORE) and _small(after, _AFTER)


def mid_capitals(words: list[str]) -> Iterator[int]:
    """The places of the capitalised words in mid-sentence among the blank-separated ``words``."""
    for i in range(1, len(words) - 1):
        if _mid(words[i - 1], words[i], words[i + 1]):
            yield i


def count_lowered(ocr: str, gt: str, lowered: Counter, seen: Counter) -> None:
    """For a training pair: count each capitalised word the OCR prints in mid-sentence (lower-cased, in
    ``seen``) and the times the ground truth aligned with it is the same word in small letters (``lowered``).
    Words are aligned one to one (tokens.one_to_one of the blank-separated words)."""
    oc, gc = ocr.split(), gt.split()
    at = set(mid_capitals(oc))
    if not at:
        return
    for i, j in one_to_one(oc, gc):
        if i in at:
            w = oc[i].lower()
            seen[w] += 1
            lowered[w] += gc[j] == w


def lowered_table(lowered: Counter, seen: Counter, min_count: int) -> dict[str, list[int]]:
    """The model's ``lowered`` entry: {word: [times in small letters, times seen]} of the words seen in
    small letters at least ``min_count`` times."""
    return {w: [n, seen[w]] for w, n in sorted(lowered.items()) if n >= min_count}


class Lowered:
    """The words a model writes small where they are printed capitalised in mid-sentence: {word: share} of its
    ``lowered`` table that were in small letters at least ``min_count`` times and at least ``min_share`` of the
    times seen (``of``), and where a text prints them so (``words``)."""

    def __init__(self, forms: dict[str, float]):
        self.forms = forms
        # (the capitalised forms as whole blank-separated words, found first: a text has few of them)
        self._find = re.compile("(?<!\\S)(?:" + "|".join(sorted(re.escape(w.capitalize()) for w in forms)) + ")(?!\\S)") \
            if forms else None

    @classmethod
    def of(cls, table: dict, min_count: int, min_share: float) -> Lowered:
        return cls({w: n / d for w, (n, d) in table.items() if n >= min_count and d and n / d >= min_share})

    def __bool__(self) -> bool:
        return bool(self.forms)

    def words(self, text: str) -> list[tuple[int, int, float]]:
        """(start, end, share) of each word of ``forms`` printed capitalised in mid-sentence in ``text``."""
        if self._find is None:
            return []
        out = []
        for m in self._find.finditer(text):
            a, b = m.span()
            after = _NEXT.match(text, b)
            if after is not None and _mid(_word_before(text, a), m.group(), after.group(1)):
                out.append((a, b, self.forms[m.group().lower()]))
        return out


_NEXT = re.compile(r"\s+(\S+)")  # the word after a place, blanks between


def _word_before(text: str, at: int) -> str:
    """The blank-separated word before ``at`` (blanks between), or "" at the text's start."""
    j = at
    while j > 0 and text[j - 1].isspace():
        j -= 1
    k = j
    while k > 0 and not text[k - 1].isspace():
        k -= 1
    return text[k:j] if j < at else ""
