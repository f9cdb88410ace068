"""Scores of the noisy-channel decoder (a mixin of ``engine.Corrector``): the word bigram context
of a candidate, the document's evidence for a word, and the posterior of the best candidate against
keeping the printed word.

Needs of the Corrector: ``P``, ``lm``, ``_lc_cache`` and ``_dk_cache`` (and for
``_prefetch_context``, its candidate search, ``_make``, ``_floor`` and the context model).
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
    def _charlm(self):
        """The character context model, loaded at the first question (clean text never loads it)."""
        if self.context_lm is None:
            from .context import model_for  # (numpy: only where a proposal is scored in context)

            self.context_lm = model_for(self.model)
        return self.context_lm

    def _without_hapaxes(self, cands: list, o: str, vocab: Counter | None) -> list:
        """cands less the words whose only evidence is one occurrence in the training text, where the
        printed word ``o`` stands elsewhere in the document too (a name repeated in the document is no
        misprint of a training hapax: Guisbrough -> Guiserough) or always with ``hapax_cands`` off
        (partieutar -> partieular, a typo of the ground truth)."""
        if (vocab and vocab.get(o, 0) >= 2) or not self.P.hapax_cands:
            solid = self._solid_cache
            if solid is None:
                solid = self._solid_cache = {}
            get = solid.get
            return [x for x in cands if (v := get(x[0])) or (v is None and self._solid(x[0]))]
        return cands

    _solid_cache: dict | None = None  # candidate -> known beyond one occurrence in the training text?

    def _solid(self, c: str) -> bool:
        """Is the candidate c (two words, or) known beyond one occurrence in the training text?
        Remembered: each candidate is asked about for every token it is a candidate of."""
        lm = self.lm
        v = " " in c or c in lm.wf or lm.tr_uni.get(c, 0) > 1
        solid = self._solid_cache
        if len(solid) > 200_000:
            solid.clear()
        solid[c] = v
        return v

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

    def _prefetch_context(self, memo: dict, text: str, toks: list, lows: list, vocab: Counter | None,
                          flags: tuple) -> None:
        """Before the first pass over a text, with a vetter that weighs the context model: find the
        edits the pass will most likely propose (each token's best candidate, scored as the decoder
        scores it after the printed previous word) and have the context model score them all at once
        (``CharLM.prefetch``), so that the pass finds their scores instead of asking one by one.
        Only a speed-up: a proposal not foreseen is scored when it comes, with the same numbers."""
        P = self.P
        lm = self.lm
        clean, eligible, _pairs, caps = flags
        floor = self._floor()
        ctx_raw = self._ctx

        def ctx(c, prev, nxt):  # the decoder's memo of context scores (engine._corrections)
            key = (c, prev, nxt)
            v = memo.get(key)
            if v is None:
                v = memo[key] = ctx_raw(c, prev, nxt)
            return v
        questions = []
        n = len(toks)
        for i, (t, o) in enumerate(zip(toks, lows)):
            if not eligible[i] or len(o) == 1:
                continue
            prev = lows[i - 1] if i and (eligible[i - 1] or lows[i - 1].isalpha()) else None
            nxt = lows[i + 1] if i + 1 < n and clean[i + 1] else None
            cands = (self._caps() if caps[i] else self).candidates(o)
            cands = self._without_hapaxes(cands, o, vocab)
            if not cands:
                continue
            keep = ctx(o, prev, nxt) + self._doc_bonus(o, o, vocab) + self._shape(o)
            if self._name_like(t):
                keep += P.name_bonus
            if lm.p(o) >= P.light_p:
                keep += P.known_bonus
            best, post = posterior(keep, [(ctx(c, prev, nxt) + lp + self._doc_bonus(c, o, vocab), c, rule)
                                          for c, lp, rule in cands])
            if post >= floor and best[0] > keep:
                corr = self._make(text, t, best[1], post, best[2])
                if corr is not None:
                    questions.append((corr.start, corr.end, (corr.after,)))
        if questions:
            self._charlm().prefetch(text, questions)
