"""A misread word made of a known stem and a productive ending (``Mettemichean`` -> ``Metternichean``).

The candidate search finds lexicon words only: a learned confusion that explains an unknown word
(``rn`` printed as ``m``: ``Comintem`` -> ``Comintern``) finds nothing when the word is a known stem
with an ending no lexicon lists (``Metternich`` + ``-ean``). After the decoder's pass, an unknown
token that is a printed stem and one of ``SUFFIXES`` is read as the known stem plus that ending when:

* the printed stem (at least ``derive_min_stem`` letters) is no known word, and exactly one known
  word at least ``derive_stem_min_p`` frequent is one learned confusion away from it, a confusion at
  least as likely as ``explained_min_lp`` (the bar of an edit made without the vetter: gate._explained);
* the derived word is no known word either (a known one was the decoder's to weigh), the token is
  eligible for correction, not joined over a line break, and no edit of the decoder touches it.

The edit's confidence is ``derive_confidence``; ``derive_min_stem`` None (French, German:
``languages.py``) turns it off.
"""

from __future__ import annotations

from .tokens import Correction, _Tok, in_order, touches

RULE = "derived-confusion"
# productive endings of English words derived from a name or a word (longest first)
SUFFIXES = ("ianism", "eanism", "ians", "eans", "ists", "isms", "ites", "ness", "ian", "ean", "ism", "ist", "ite",
            "'s", "ic", "ly")


def derived_candidate(corr, o: str) -> tuple[str, float] | None:
    """(known stem + ending, log channel probability of the stem's confusion) of the lower-cased unknown
    token o, or None (see the module doc)."""
    P = corr.P
    p = corr.lm.p
    for s in SUFFIXES:
        if not o.endswith(s):
            continue
        h = o[:-len(s)]
        if len(h) < P.derive_min_stem or not h.isalpha() or p(h) >= P.light_p:
            continue
        found = [(c, lp) for c, lp in corr._search(h, 1, False, P.explained_min_lp).items()
                 if c != h and p(c) >= P.derive_stem_min_p]
        if len(found) != 1:
            continue
        c, lp = found[0]
        if p(c + s) >= P.light_p:
            continue
        return c + s, lp
    return None


def with_derived(corr, text: str, toks: list[_Tok], lows: list[str], out: list[Correction]) -> list[Correction]:
    """The decoder's edits out plus the derived words of the tokens it left (see the module doc), in order."""
    P = corr.P
    if P.derive_min_stem is None:
        return out
    spans = [(c.start, c.end) for c in out]
    more = []
    for t, o in zip(toks, lows):
        if t.joined or len(o) < P.derive_min_stem + 2 or not corr._unknown(o):
            continue
        if touches(spans, t.start, t.end):
            continue
        got = derived_candidate(corr, o)
        if got is None or not corr._eligible(t, o):
            continue
        edit = corr._make(text, t, got[0], P.derive_confidence, RULE)
        if edit is not None:
            more.append(edit)
    return in_order(out, more)
