"""Candidates of a one-character token (a mixin of ``engine.Corrector``): the learned real-word
confusions of that character (``1`` -> ``I``, ``f`` -> ``of``), with two guards found on real pages:

* a figure becomes a word, never another number (``6`` -> ``5``: no word model can tell which number
  was printed) nor a lone letter (``1`` -> ``f``, ``l``, ``e``), except the pronoun;
* the pronoun is written ``I`` (a lower-case ``i`` is no English word), and proposed only where the
  next word follows "I" far more often than it follows other words (``1 have`` -> ``I have``, lift
  at least ``pronoun_min_lift``), right after the token (no mark between) and in lower case; never
  beside a number, nor before a capitalised word: ``and 1 Cypher``, ``1 to 9``, ``1 qr pipe``,
  ``AY 1, 1903`` stay as printed.

A lone letter that is no word of the language (``junk_letters`` of ``languages.py``: ``i`` and ``j`` in
English and French; none in German, which prints emphasis letter-spaced) printed between two words is a speck
the OCR read as a letter (``the annals j of``, ``une i facultative``): it is deleted with the space after it
(``junk_letter_edits``) when the word before it is all letters (a full stop, comma or colon may end it; no
hyphen: ``manoeu- i vie`` is a word split), the word after it begins with two small letters (before a capital it
is as often a misread ``1``, ``à`` or ``l'``: ``and i Cypher``, ``en résidence i Bergerac``), only spaces or a
line break stand between them, no decoder edit touches it (``1 have`` -> ``I have``), and the next word does
not follow the pronoun (``said i have``). Held-out train (``bench_correct_cv.py --context --damage [--lang
fr]``): see ``languages.py``.

Needs of the Corrector: ``P``, ``lm``, ``model``, ``_logcond``.
"""

from __future__ import annotations

import math
import re

from .tokens import Correction, in_order, renumbered, touches

PRONOUN = "i"
JUNK_RULE = "junk-letter"
JUNK_CONFIDENCE = 0.9  # (as the fixes of stray marks, marks.py)
_BEFORE_JUNK = re.compile(r"[.,;:]?[ \t]*\n?[ \t]*")  # between the word before and the lone letter
_AFTER_JUNK = re.compile(r"[ \t]*\n?[ \t]*")


def junk_letter_edits(text: str, toks: list, letters: str, taken: list[Correction], word_here=None) -> list[Correction]:
    """The lone letters of ``letters`` between two words that are deleted (see the module doc); taken: the
    decoder's edits (their tokens stay); ``word_here(i)``: may token i be a word there after all (it stays)?"""
    out = []
    spans = [(c.start, c.end) for c in taken]
    for i in range(1, len(toks) - 1):
        t = toks[i]
        if len(t.form) != 1 or t.form not in letters:
            continue
        a, b = toks[i - 1], toks[i + 1]
        if not (len(a.form) > 1 and a.form.isalpha() and b.form[:2].isalpha() and b.form[0].islower()):
            continue
        gap_a, gap_b = text[a.end:t.start], text[t.end:b.start]
        if not (gap_a and gap_b and _BEFORE_JUNK.fullmatch(gap_a) and _AFTER_JUNK.fullmatch(gap_b)) \
                or not gap_a[-1:].isspace():
            continue
        if touches(spans, t.start, t.end) or (word_here is not None and word_here(i)):
            continue
        out.append(Correction(t.start, b.start, text[t.start:b.start], "", JUNK_CONFIDENCE, JUNK_RULE))
    return out


def written(c: str) -> str:
    """A one-character token's candidate as written: the pronoun is I, whatever the printed
    character's case."""
    return "I" if c == PRONOUN else c


class SingleCharacters:
    def _with_junk_letters(self, text: str, toks: list, lows: list, out: list[Correction]) -> list[Correction]:
        """The decoder's edits out plus the deletions of lone letters that are no word (``junk_letter_edits``):
        an ``i`` stays where the next word follows the pronoun (``said i have``: the decoder left it)."""
        letters = self.model.language["junk_letters"]
        more = junk_letter_edits(text, toks, letters, out, lambda i: lows[i] == PRONOUN and
                                 self._pronoun_context(text, toks, lows, i)) if letters else []
        return in_order(out, more)

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
