"""Proposals that join two printed tokens into one word (a mixin of ``engine.Corrector``).

* a plain merge: two words one space apart that are one known word (``ap pear`` -> ``appear``);
* a merge with correction: two halves of one misread word (``con aulted`` -> ``consulted``), the
  joined form corrected by the learned confusions (see ``search.CandidateSearch._search``).

Needs of the Corrector: ``P``, ``lm``, ``_logcond``, ``_pair_context``, ``_doc_bonus``, ``_shape``,
``_caps``, ``_search``, ``_merge_single``, ``_floor``, ``_accept``, ``_features`` and ``_merge_cache``.
"""

from __future__ import annotations

import math

from .scoring import posterior
from .tokens import Correction, _apply_case, _Tok


class MergeProposals:
    def _mergeable(self, lo_a: str, lo_b: str) -> bool:
        """May two words one space apart (see _word_pair) be one word?"""
        fp = self.P.frequent_p
        if not self.P.merge_frequent and self.lm.p(lo_a) >= fp and self.lm.p(lo_b) >= fp:
            return False
        return self.lm.p(lo_a + lo_b) >= self.P.merge_min_p

    @staticmethod
    def _merge_case_ok(a: str, b: str) -> bool:
        """Would the printed forms a and b joined read as one word's case pattern? ``Si N`` -> ``SiN``
        and ``LON don`` -> ``LONdon`` would not (a capital inside a lower-case word, or the reverse)."""
        if a.isupper() and b.isupper():
            return True
        return not any(ch.isupper() for ch in b) and not (len(a) > 1 and a.isupper())

    def _merge_correctable(self, a: _Tok, b: _Tok, lo_a: str, lo_b: str) -> bool:
        """Two words one space apart (see _word_pair) that may be the halves of one misread word:
        not joined across a line break, at least one of them no known word, with one word's case
        pattern (_merge_case_ok)."""
        if a.joined or b.joined or not self._merge_case_ok(a.form, b.form):
            return False
        shortest = 1 if self._merge_single() else 2
        if len(lo_a) < shortest or len(lo_b) < shortest or self.lm.p(lo_b) >= self.P.frequent_p:
            return False  # "recoived a" is no "received"
        return min(self.lm.p(lo_a), self.lm.p(lo_b)) < self.P.light_p

    def _merge_cands(self, m: str) -> list[tuple[str, float]]:
        """Words up to merge_correct_edits learned confusions from a joined pair (the fallback is too
        loose for it), most likely first."""
        got = self._merge_cache.get(m)
        if got is None:
            lm = self.lm
            min_p = self.P.cand_min_p
            found = self._search(m, self.P.merge_correct_edits, False)
            got = sorted(((c, lp) for c, lp in found.items() if c != m and lm.p(c) >= min_p),
                         key=lambda t: -(t[1] + math.log(lm.p(t[0]))))[: self.P.max_cands]
            if len(self._merge_cache) > 200_000:
                self._merge_cache.clear()
            self._merge_cache[m] = got
        return got

    def _merge_correct(self, text, toks, lows, i, prev, clean, vocab, memo, hyphen: bool) -> Correction | None:
        """The correction of tokens i and i + 1 as one misread word, or None when it is not made.
        hyphen: the two are joined by a hyphen, not a space (see _hyphen_pair)."""
        P = self.P
        o, o2 = lows[i], lows[i + 1]
        caps = toks[i].form.isupper() and toks[i + 1].form.isupper() and len(toks[i].form) + len(toks[i + 1].form) > 2
        cands = (self._caps() if caps else self)._merge_cands(o + o2)
        if not cands:
            return None
        n = len(toks)
        nxt2 = lows[i + 2] if i + 2 < n and clean[i + 2] else None
        lc = self._logcond
        ck = self._pair_context(o, o2, prev, nxt2)
        keep = (ck[0] + ck[1] + self._shape(o) + self._shape(o2)
                + self._doc_bonus(o, o, vocab) + self._doc_bonus(o2, o2, vocab))
        scores = [(lc(c, prev) + (lc(nxt2, c) if nxt2 else 0.0) + lp + P.merge_correct_lp
                   + self._doc_bonus(c, o, vocab), c) for c, lp in cands]
        best, post = posterior(keep, scores)
        if best[0] <= keep or post < self._floor():
            return None
        s, e = toks[i].start, toks[i + 1].end
        c = best[1]
        if hyphen and self._compound(c, len(o)):
            return None  # "Sureeon-Dentist" is a compound whose halves are corrected apart
        corr = Correction(s, e, text[s:e], _apply_case(toks[i].form + toks[i + 1].form, c),
                          round(post, 4), "merge-confusion")

        def features():
            lp = next(x[1] for x in cands if x[0] == c) + P.merge_correct_lp
            cc = (lc(c, prev), lc(nxt2, c) if nxt2 else 0.0)
            return self._features("merge-confusion", post, keep, scores, c, o + " " + o2, lp, toks[i], prev, nxt2,
                                  ck, cc, lows, i, vocab)
        return corr if self._accept(corr, post, features, memo) else None

    def _compound(self, c: str, k: int) -> bool:
        """Is c two words, each more frequent than c, split within a letter of k (where the printed
        hyphen was)? ``surgeondentist``, ``chancerylane`` are; ``improvement`` is not."""
        p = self.lm.p
        pc = p(c)
        return any(p(c[:j]) > pc and p(c[j:]) > pc for j in range(max(2, k - 1), min(len(c) - 1, k + 2)))
