"""Synthetic OCR noise for training the edit vetter: clean text misread by the learned confusions.

The vetter learns from the corrector's proposals on held-out OCR (``vet_train.collect_proposals``),
and there are only as many of those as the training OCR has errors. ``misread`` makes more: it
applies the model's own learned character confusions (``char_rules``: ``[ocr, truth, count, times
the truth's letters occur]``) to a ground-truth text, so each synthetic error is one the OCR engines
of the training data make, in the proportions they make it, in a text whose truth is known.

Each word (letters only) is misread with probability ``rate`` (a document's own share of misread
words, so noisy documents stay noisy): one place of the word where some rule's truth side matches is
picked in proportion to the rule's probability (count / times), and its OCR side is written there
(in capitals in a word printed in capitals, with a capital first letter where the word has one). A
misread word gets a second confusion with probability ``rate`` again. Reproducible: the same text,
rules, rate and seed give the same output. Used at training time only.
"""

from __future__ import annotations

import random
import re
import zlib
from bisect import bisect
from itertools import accumulate

from .tokens import char_rules
from .train import MAX_SUB as MAX_TRUTH  # the longest truth side of a learned rule

WORD_RE = re.compile(r"[^\W\d_]+")


class Misreader:
    """The learned confusions of a model, indexed by their truth side, ready to misread words."""

    def __init__(self, rules: list):
        self.by_truth: dict[str, list[tuple[str, float]]] = {}
        for osub, gsub, count, times in rules:
            if gsub and len(gsub) <= MAX_TRUTH and osub != gsub:
                self.by_truth.setdefault(gsub, []).append((osub, count / max(times, count)))

    def _places(self, low: str) -> list[tuple[int, int, str, float]]:
        out = []
        for i in range(len(low)):
            for n in range(1, MAX_TRUTH + 1):
                for osub, p in self.by_truth.get(low[i:i + n], ()):
                    out.append((i, n, osub, p))
        return out

    def word(self, w: str, rng: random.Random) -> str:
        """w with one learned confusion applied (w itself where none applies)."""
        low = w.lower()
        places = self._places(low)
        if not places:
            return w
        cum = list(accumulate(p for *_x, p in places))
        i, n, osub, _p = places[min(bisect(cum, rng.random() * cum[-1]), len(places) - 1)]
        if w.isupper() and len(w) > 1:
            osub = osub.upper()
        elif i == 0 and w[:1].isupper():
            osub = osub[:1].upper() + osub[1:]
        return w[:i] + osub + w[i + n:]

    def text(self, text: str, rate: float, seed: int = 0) -> str:
        """text with each word misread with probability rate (see the module)."""
        rng = random.Random(zlib.crc32(text.encode("utf-8")) ^ seed)

        def one(m: re.Match) -> str:
            w = m.group(0)
            if rng.random() >= rate:
                return w
            w = self.word(w, rng)
            return self.word(w, rng) if rng.random() < rate else w

        return WORD_RE.sub(one, text)


def misread_share(ocr: str, gt: str) -> float:
    """The share of the ground truth's words that the OCR prints as another single word (the errors
    a learned confusion stands for; garbled stretches and split or joined words left out)."""
    ow, gw = WORD_RE.findall(ocr.lower()), WORD_RE.findall(gt.lower())
    if not gw:
        return 0.0
    wrong = sum(len(o) for o, g in char_rules(ow, gw) if len(o) == len(g))  # (runs of unequal words)
    return wrong / len(gw)
