"""Words printed letter-spaced, joined: ``F r e i w i l l i g`` -> ``Freiwillig``.

German print sets emphasis and names letter-spaced (Sperrsatz), and the OCR reads each letter as a word of its
own; transcriptions, the HIPE-OCRepair NZZ ground truth among them, write the word whole. The decoder weighs two
tokens at a time, so it cannot join ten.

A run is ``min_run`` or more tokens in a row, one space apart, each a single letter or one of the language's
ligature groups that Fraktur prints as one sort (``pieces``: ``ch``, ``sch``, ``ck``, ``st``, ``tz``:
``ö st e r r e i ch i s ch e n``). A capital may only begin a run (``WMe r Z e i t u n g``: the run is
``Zeitung``), and nothing but a space, a line start or a mark that is no letter, digit or hyphen may stand on
either side (``K a - binet`` is a word broken at a line end: left). The run becomes one edit that deletes its
spaces, at ``confidence``; the decoder's edits inside it are dropped (single letters it read one by one).
A joined word that no lexicon knows is then read by the decoder once whole (``passes.letter_spaced``: ``L n s t w
a f s e`` -> ``Luftwaffe``).

The setting is per language (``languages.py``: ``letter_spaced``, None: off).
"""

from __future__ import annotations

from ..chars import WORD_HYPHENS
from ..edition import LETTER_SPACED_RULE as RULE
from .tokens import Correction, _Tok, in_order, touches


def _piece(t: _Tok, pieces) -> bool:
    f = t.form
    return not t.joined and f.isalpha() and (len(f) == 1 or f.lower() in pieces)


def _free(ch: str) -> bool:
    """May ``ch`` stand beside a run (not a letter, digit or hyphen of the same word)?"""
    return not (ch.isalnum() or ch in WORD_HYPHENS)


def runs(text: str, toks: list[_Tok], pieces, min_run: int) -> list[tuple[int, int]]:
    """The (start, end) text spans of the letter-spaced runs among ``toks``."""
    out = []
    n = len(toks)
    i = 0
    while i < n:
        if not _piece(toks[i], pieces):
            i += 1
            continue
        j = i + 1
        while j < n and _piece(toks[j], pieces) and text[toks[j - 1].end:toks[j].start] == " " \
                and not toks[j].form[0].isupper():
            j += 1
        start, end = toks[i].start, toks[j - 1].end
        if j - i >= min_run and (start == 0 or _free(text[start - 1])) and (end >= len(text) or _free(text[end])):
            out.append((start, end))
        i = j
    return out


def letter_spaced_edits(text: str, toks: list[_Tok], out: list[Correction], setting: dict | None) -> list[Correction]:
    """``out`` (the edits so far) with each letter-spaced run joined (sorted); its edits inside a run are dropped."""
    if not setting:
        return out
    spans = runs(text, toks, frozenset(setting["pieces"]), setting["min_run"])
    if not spans:
        return out
    kept = [c for c in out if not any(touches(((c.start, c.end),), s, e) for s, e in spans)]
    conf = setting["confidence"]
    return in_order(kept, [Correction(s, e, text[s:e], text[s:e].replace(" ", ""), conf, RULE) for s, e in spans])
