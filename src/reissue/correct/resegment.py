"""Re-segmentation proposals: an unknown word that is two words run together, one of them misread
(``tbeman`` -> ``the man``, ``ofthc`` -> ``of the``; a mixin of ``engine.Corrector``).

The plain split (``search.CandidateSearch.candidates``) needs both halves to be words. About two
thirds of the missing spaces inside unknown words of the English train data have a half that is no
word either: it was misread too. Here each cut of the token into a common word and a rest is
tried (a word at least ``split_correct_solid_p`` frequent: the lexicon knows ``tbe`` and ``thc``,
rarely), and the rest is corrected by one learned confusion (the light search of ``_search``). Each
candidate costs ``split_lp`` (a missing space), the confusion's log probability and
``split_correct_lp``; the vetter judges the edit like any other (rule ``split-confusion``).

Only unknown tokens (P < ``light_p``) get them, so clean text costs nothing; ``split_correct_lp``
None (French, German: the default) turns them off.

Needs of the Corrector: ``P``, ``lm``, ``_search``, ``_lexicon_above``, ``_p_form``.
"""

from __future__ import annotations

import math

from .tokens import stands_alone

RULE = "split-confusion"


class Resegmentation:
    # caches keyed by the model too: the search of words in capitals (``_caps``) is a copy of the
    # corrector with other confusions
    def resegmentations(self, w: str) -> tuple[tuple[str, float, str], ...]:
        """((two words, log channel probability, rule), ...) of a lower-cased unknown token, best first
        (at most ``split_correct_cands``); () for a known word or when switched off."""
        if not self._resegmentable(w):
            return ()
        P = self.P
        extra = P.split_correct_lp
        key = (w, id(self.rs))
        got = self._reseg_cache.get(key)
        if got is not None:
            return got
        p = self.lm.p
        got = ()
        if p(w) < P.light_p:
            base = P.split_lp + extra
            found: dict[str, float] = {}
            for a, b, ka in self._cuts(w):
                fixed = ([(a + " " + c, lp) for c, lp in self._half_fixes(b)] if ka
                         else [(c + " " + b, lp) for c, lp in self._half_fixes(a)])
                for c, lp in fixed:
                    if found.get(c, -1e9) < base + lp:
                        found[c] = base + lp
            ranked = sorted(found.items(), key=lambda t: -(t[1] + math.log(max(self._p_form(t[0]), 1e-300))))
            got = tuple([(c, lp, RULE) for c, lp in ranked[: P.split_correct_cands]])
        return self._reseg_cache.put(key, got)

    def _resegmentable(self, w: str) -> bool:
        """May the token w (lower-cased) be re-segmented, if it is unknown?"""
        P = self.P
        return P.split_correct_lp is not None and len(w) >= P.split_correct_min_len and w.isalpha()

    def _cuts(self, w: str) -> tuple[tuple[str, str, bool], ...]:
        """(a, b, is a the word kept) of each cut of w into a common word (split_correct_solid_p) and a
        rest that is none, in order (the cuts into two such words are the plain split's)."""
        got = self._cuts_cache.get(w)  # asked by the bulk search (search.py) and again here
        if got is None:
            got = self._cuts_cache.put(w, tuple(self._cuts_of(w)))
        return got

    def _cuts_of(self, w: str) -> list[tuple[str, str, bool]]:
        p = self.lm.p
        solid = self.P.split_correct_solid_p
        listed, one = self._listed(w, solid), self._one_letter  # (a half it lacks is no word of solid: not looked up)

        def word(x: str) -> bool:  # a half kept as it is: a common word
            return (listed is None or x in listed) and stands_alone(x, one) and p(x) >= solid
        out = []
        for i in range(1, len(w)):
            a, b = w[:i], w[i:]
            ka = word(a)
            if ka != word(b):
                out.append((a, b, ka))
        return out

    def _half_search(self, h: str) -> tuple[float, tuple] | None:
        """(floor, lexicon) of the search of ``_half_fixes(h)`` (words at least floor frequent, one
        learned confusion away), or None when h gets none."""
        if len(h) < 2:
            return None
        P = self.P
        floor = max(P.split_correct_min_p, P.light_ratio * self.lm.p(h))  # much more common than h
        return floor, self._lexicon_above(floor)

    def _half_fixes(self, h: str) -> tuple[tuple[str, float], ...]:
        """Words one learned confusion from the half h, at least split_correct_min_p and light_ratio
        times as frequent as h: [(word, log channel probability)]."""
        key = (h, id(self.rs))
        got = self._half_cache.get(key)
        if got is None:
            how = self._half_search(h)
            if how is None:
                got = ()
            else:
                p = self.lm.p
                floor, lex = how
                got = tuple([(c, lp) for c, lp in self._search(h, 1, False, self.P.light_min_path_lp, lex).items()
                             if c != h and " " not in c and stands_alone(c, self._one_letter) and p(c) >= floor])
            self._half_cache.put(key, got)
        return got
