"""A space printed as a hyphen between two common words (``those of-the Kremlin`` -> ``of the``).

A hyphen in mid-line between two words of letters is kept by the decoder (a compound: ``fellow-
travelers``, ``to-day``), or merged when one half is no word (``merges.py``: ``inclu-sive``). Between
two of the most common words, which follow each other often as two words, it is mostly a space the
OCR read as a hyphen (``to-be``, ``by-the``, ``that-the``, ``is-the`` on the English train data).
Such a hyphen is read as a space when:

* both words are at least ``hyphen_space_min_p`` frequent (the function words of the language:
  ``to-day``, ``well-known``, ``to-night``, ``half-past`` have a rarer half and stay);
* the second follows the first as a word at least ``hyphen_space_min_cond`` of the time
  (P(b | a) of the word bigram model);
* the two stand alone (no chain of hyphens: ``by-the-by`` stays), neither joined over a line
  break, the second in lower case (``a-Right``, ``by-Mr``: maybe a dash before a name), and no
  edit of the decoder touches them.

The edit's confidence is ``hyphen_space_confidence``. ``hyphen_space_min_p`` None (French, German:
``languages.py``) turns it off.
"""

from __future__ import annotations

from .tokens import Correction, _Tok, in_order, stands_alone, touches

RULE = "hyphen-space"
HYPHEN = "-"


def hyphen_space_edits(text: str, toks: list[_Tok], lows: list[str], p, cond, min_p: float, min_cond: float,
                       confidence: float, taken: list[Correction]) -> list[Correction]:
    """The hyphens between tokens i and i + 1 of text that are read as spaces (see the module doc):
    p(w) and cond(w, prev) are the word model's; taken: the decoder's edits (their tokens stay)."""
    out = []
    spans = sorted((c.start, c.end) for c in taken)
    for i in range(len(toks) - 1):
        a, b = toks[i], toks[i + 1]
        if text[a.end:b.start] != HYPHEN or a.joined or b.joined:
            continue
        lo_a, lo_b = lows[i], lows[i + 1]
        if not (lo_a.isalpha() and lo_b.isalpha() and stands_alone(lo_a) and stands_alone(lo_b)):
            continue
        if not b.form.islower() or (a.start > 0 and text[a.start - 1] == HYPHEN) or text[b.end:b.end + 1] == HYPHEN:
            continue
        if p(lo_a) < min_p or p(lo_b) < min_p or cond(lo_b, lo_a) < min_cond:
            continue
        if touches(spans, a.start, b.end):
            continue
        out.append(Correction(a.end, b.start, HYPHEN, " ", confidence, RULE))
    return out


def with_hyphen_spaces(corr, text: str, toks: list[_Tok], lows: list[str], out: list[Correction]) -> list[Correction]:
    """The decoder's edits out plus the hyphens read as spaces (the corrector's params and word model), in order."""
    P = corr.P
    if P.hyphen_space_min_p is None:
        return out
    more = hyphen_space_edits(text, toks, lows, corr.lm.p, corr.lm.cond, P.hyphen_space_min_p,
                              P.hyphen_space_min_cond, P.hyphen_space_confidence, out)
    return in_order(out, more)
