"""Short real words decided by their sentence: ``il`` printed for ``à``, ``a`` for ``à``, ``11`` for ``il``.

The word model cannot tell the French preposition ``à`` from the verb ``a`` (``il a`` / ``à Paris``),
nor ``à`` from an ``il`` the OCR made of it (``condamné il mort``): both are words, and the bigram
counts of the training text are too few. The character context model (``context.py``) reads the
characters around the word, punctuation and case included, and knows ``condamné à mort``.

After the decoder, each short token it left alone (``max_len`` characters at most, standing alone:
no apostrophe, hyphen or letter glued to it) that has learned real-word confusions in the model
(``CorrectionModel.realword``: the OCR form -> [(word, log P(form | word))]) is weighed once more:
for each such word ``c`` the score is the context model's gain of ``c`` in the corrected sentence plus
the log channel probability; the best ``c`` replaces the token when its score exceeds ``margin``.
``targets``: only these words are restored (None: any learned real-word confusion); and only words at
least as frequent as the printed one (the word model's unigrams): a rarer word needs the decoder's evidence,
and the pass weighs far fewer tokens (``de``, the most frequent word, never).

The setting is per language (``languages.py``: ``context_words``, None = off); the margin and length
were chosen on held-out train (bench_correct_cv.py --context).
"""

from __future__ import annotations

import math
from bisect import bisect_right

from .context import window_query
from .tokens import Correction, _apply_case, _Tok, apply_corrections

# a character glued to a token that makes it part of a longer word (l'a, qu'il, peut-il, 11e)
_GLUED = "'’-‐¬"


def _standalone(text: str, t: _Tok) -> bool:
    before = text[t.start - 1] if t.start > 0 else " "
    after = text[t.end] if t.end < len(text) else " "
    return not (before.isalnum() or before in _GLUED or after.isalnum() or after in _GLUED)


def _candidates(o: str, realword: dict, targets, freq) -> list[tuple[str, float]]:
    """The learned real-word confusions of ``o`` the pass weighs: targets only, and no rarer word than
    ``o`` (the common word hidden behind a rarer form: ``il`` -> ``à``, never ``de`` -> ``dé``)."""
    f = freq(o) if freq is not None else 0.0
    return [(c, lp) for c, lp in realword.get(o, ()) if c != o and (targets is None or c in targets)
            and (freq is None or freq(c) >= f)]


def context_word_edits(text: str, toks: list[_Tok], lows: list[str], out: list[Correction], realword: dict,
                       context_lm, setting: dict, protect=None, freq=None) -> list[Correction]:
    """``out`` plus the context model's corrections of the short tokens ``out`` leaves alone (sorted).
    ``freq(word)``: its unigram probability; only words at least as frequent as the printed one are
    candidates (None: all)."""
    margin, max_len = setting["margin"], setting["max_len"]
    targets = setting.get("targets")
    todo = []
    seen: dict[str, list] = {}  # printed form -> its candidates
    spans = sorted((c.start, c.end) for c in out)
    starts = [s for s, _e in spans]
    for t, o in zip(toks, lows):
        if len(o) > max_len or t.joined or o not in realword:
            continue
        cands = seen.get(o)
        if cands is None:
            cands = seen[o] = _candidates(o, realword, targets, freq)
        if not cands:
            continue
        f = t.form
        if len(f) > 1 and f.isupper() and f.isalpha():
            continue  # a word in capitals (languages.py: their accents are dropped)
        if protect is not None and protect.search(o):
            continue
        k = bisect_right(starts, t.end) - 1  # the last correction starting before the token ends
        if k >= 0 and spans[k][1] > t.start or k + 1 < len(spans) and spans[k + 1][0] < t.end:
            continue  # the decoder changed it
        if _standalone(text, t):
            todo.append((t, cands))
    if not todo:
        return out
    # the context model reads the sentence as corrected so far: offsets shift by the edits before
    fixed = apply_corrections(text, out)
    shifts = []
    total = 0
    for c in sorted(out, key=lambda c: (c.start, c.end)):
        total += len(c.after) - (c.end - c.start)
        shifts.append((c.end, total))
    ends = [e for e, _s in shifts]
    found = []
    queries = []
    for t, cands in todo:
        k = bisect_right(ends, t.start) - 1
        d = shifts[k][1] if k >= 0 else 0
        afters = [_apply_case(t.form, c) for c, _lp in cands]
        s, e = t.start + d, t.end + d
        # the window context.CharLM.deltas reads, for all tokens in one call (score_many: much faster)
        queries.append(window_query(fixed, s, e, afters))
        found.append((t, cands, afters))
    made = []
    for (t, cands, afters), got in zip(found, context_lm.score_many(queries) if queries else ()):
        score, after = max((g - got[0] + lp, a) for g, (_c, lp), a in zip(got[1:], cands, afters))
        if score > margin and after != t.form:
            conf = round(1.0 / (1.0 + math.exp(-(score - margin))), 4)
            made.append(Correction(t.start, t.end, t.form, after, max(0.5, conf), "context-word"))
    if not made:
        return out
    return sorted(out + made, key=lambda c: (c.start, c.end))
