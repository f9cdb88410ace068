"""Scores of the noisy-channel decoder (a mixin of ``engine.Corrector``): the word bigram context
of a candidate, the document's evidence for a word, and the posterior of the best candidate against
keeping the printed word.

Needs of the Corrector: ``P``, ``lm``, ``_lc_cache`` and ``_dk_cache``.
"""

from __future__ import annotations

import math
from collections import Counter

from .tokens import _diff_key


def posterior(keep: float, scores: list[tuple]) -> tuple[tuple, float]:
    """The best of the (score, candidate, ...) tuples and its posterior against them and keeping."""
    best = max(scores)
    mx = max(best[0], keep)
    z = math.exp(keep - mx) + sum(math.exp(sc[0] - mx) for sc in scores)
    return best, math.exp(best[0] - mx) / z


class Scoring:
    def _logcond(self, w: str, prev: str | None) -> float:
        key = (w, prev)
        v = self._lc_cache.get(key)
        if v is None:
            if len(self._lc_cache) > 500_000:
                self._lc_cache.clear()
            v = self._lc_cache[key] = math.log(self.lm.cond(w, prev))
        return v

    def _ctx(self, c: str, prev: str | None, nxt: str | None) -> float:
        lc = self._logcond
        if " " in c:  # a split: each word after the one before it
            parts = c.split(" ")
            s = lc(parts[0], prev)
            for a, b in zip(parts, parts[1:]):
                s += lc(b, a)
            last = parts[-1]
        else:
            s = lc(c, prev)
            last = c
        if nxt:
            s += lc(nxt, last)
        return s

    def _pair_context(self, o: str, o2: str, prev: str | None, nxt: str | None) -> tuple[float, float]:
        """(log P(o | prev) + log P(o2 | o), log P(nxt | o2)): two tokens kept as printed."""
        lc = self._logcond
        return lc(o, prev) + lc(o2, o), lc(nxt, o2) if nxt else 0.0

    def _diff_key(self, a: str, b: str) -> tuple[str, str]:
        key = (a, b)
        v = self._dk_cache.get(key)
        if v is None:
            if len(self._dk_cache) > 200_000:
                self._dk_cache.clear()
            v = self._dk_cache[key] = _diff_key(a, b)
        return v

    def _doc_bonus(self, c: str, o: str, vocab: Counter | None) -> float:
        if not vocab:
            return 0.0
        if " " in c:
            return 0.0
        n = vocab.get(c, 0) - (1 if c == o else 0)
        if n <= 0:
            return 0.0
        if c == o and self.lm.p(c) >= self.P.doc_max_p:
            return 0.0  # a common word printed elsewhere in the document is no evidence
        return self.P.doc_weight * math.log1p(n)
