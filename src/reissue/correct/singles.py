"""Candidates of a one-character token (a mixin of ``engine.Corrector``): the learned real-word
confusions of that character (``1`` -> ``I``, ``f`` -> ``of``), with two guards found on real pages:

* a figure becomes a word, never another number (``6`` -> ``5``: no word model can tell which number
  was printed) nor a lone letter (``1`` -> ``f``, ``l``, ``e``), except the pronoun;
* the pronoun is written ``I`` (a lower-case ``i`` is no English word), and proposed only where the
  next word follows "I" far more often than it follows other words (``1 have`` -> ``I have``, lift
  at least ``pronoun_min_lift``), right after the token (no mark between) and in lower case; never
  beside a number, nor before a capitalised word: ``and 1 Cypher``, ``1 to 9``, ``1 qr pipe``,
  ``AY 1, 1903`` stay as printed.

Needs of the Corrector: ``P``, ``lm``, ``model``, ``_logcond``.
"""

from __future__ import annotations

import math

from .tokens import renumbered

PRONOUN = "i"


def written(c: str) -> str:
    """A one-character token's candidate as written: the pronoun is I, whatever the printed
    character's case."""
    return "I" if c == PRONOUN else c


class SingleCharacters:
    def _single_cands(self, text: str, toks: list, lows: list, i: int) -> list[tuple[str, float, str]]:
        """[(candidate, log channel probability, rule)] of the one-character token i."""
        P = self.P
        o = lows[i]
        figure = o.isdigit()
        out = []
        for g, lp in self.model.realword.get(o, ()):
            if renumbered(o, g) or (figure and len(g) == 1 and g != PRONOUN):
                continue
            if g == PRONOUN and not self._pronoun_context(text, toks, lows, i):
                continue
            out.append((g, lp * P.realword_scale, "real-word"))
        return out

    def _pronoun_context(self, text: str, toks: list, lows: list, i: int) -> bool:
        """May token i be the pronoun I? (see the module doc)"""
        t = toks[i]
        if i + 1 >= len(toks):
            return False
        nt = toks[i + 1]
        nf = nt.form
        if not (nf.isalpha() and nf.islower()) or text[t.end:nt.start].strip():
            return False
        if i > 0 and any(ch.isdigit() for ch in toks[i - 1].form) and not text[toks[i - 1].end:t.start].strip(" "):
            return False  # "31 1 ..." beside a number
        nxt = lows[i + 1]
        pn = self.lm.p(nxt)
        if pn <= 0:
            return False
        return self._logcond(nxt, PRONOUN) - math.log(pn) >= self.P.pronoun_min_lift
