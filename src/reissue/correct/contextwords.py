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

Two passes for elisions follow (``glued_elision_edits``: an elided word glued to the next, ``lorateur`` ->
``l'orateur``; ``apart_elision_edits``: an elided letter whose apostrophe was read as a space, ``de 1 arsenal``
-> ``de l'arsenal``), each weighed by the context model the same way.

The setting is per language (``languages.py``: ``context_words``, None = off); the margin and length
were chosen on held-out train (bench_correct_cv.py --context).
"""

from __future__ import annotations

import math
from bisect import bisect_right

from ..chars import APOSTROPHES, ELISION_INITIALS, WORD_HYPHENS
from .context import window_query
from .lm import FLOOR
from .tokens import Correction, _apply_case, _Tok, apply_corrections, in_order, renumbered

# a character glued to a token that makes it part of a longer word (l'a, qu'il, peut-il, 11e)
_GLUED = APOSTROPHES + WORD_HYPHENS


def _standalone(text: str, t: _Tok) -> bool:
    before = text[t.start - 1] if t.start > 0 else " "
    after = text[t.end] if t.end < len(text) else " "
    return not (before.isalnum() or before in _GLUED or after.isalnum() or after in _GLUED)


def _candidates(o: str, realword: dict, targets, freq) -> list[tuple[str, float]]:
    """The learned real-word confusions of ``o`` the pass weighs: targets only, no rarer word than
    ``o`` (the common word hidden behind a rarer form: ``il`` -> ``à``, never ``de`` -> ``dé``), and a
    figure never becomes another number (``arr. 0 h. 4`` -> ``9 h.``: no model of text can tell which
    number was printed; the decoder's guard for one-character tokens, singles.py)."""
    f = freq(o) if freq is not None else 0.0
    return [(c, lp) for c, lp in realword.get(o, ()) if c != o and (targets is None or c in targets)
            and (freq is None or freq(c) >= f) and not renumbered(o, c)]


def context_word_edits(text: str, toks: list[_Tok], lows: list[str], out: list[Correction], realword: dict,
                       context_lm, setting: dict, protect=None, freq=None, fix=None, cond=None) -> list[Correction]:
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
        if _touched(spans, starts, t):
            continue  # the decoder changed it
        if _standalone(text, t):
            todo.append((t, cands))
    made = []
    if todo:
        scores = _sentence_scores(text, out, [(t, [_apply_case(t.form, c) for c, _lp in cands]) for t, cands in todo],
                                  context_lm)
        for (t, cands), got in zip(todo, scores):
            score, after = max((g - got[0] + lp, _apply_case(t.form, c)) for g, (c, lp) in zip(got[1:], cands))
            if score > margin and after != t.form:
                made.append(_edit(t, after, score - margin, "context-word"))
    glued = setting.get("glued")
    if glued is not None and freq is not None:
        elided, dropped = glued_elision_edits(text, toks, lows, in_order(out, made), context_lm, glued, protect, freq,
                                              fix)
        if dropped:
            out, made = [c for c in out if c not in dropped], [c for c in made if c not in dropped]
        made += elided
    apart = setting.get("apart")
    if apart is not None:
        made += apart_elision_edits(text, toks, lows, in_order(out, made), realword, context_lm, apart, freq, cond)
    return in_order(out, made)


def _dropped_glue(out: list[Correction], spans: list[tuple[int, int]], starts: list[int], t: _Tok,
                  fixed: bool = False) -> Correction | None:
    """The decoder's edit of token ``t`` that only deletes its first letter (``VAcadémie`` ->
    ``Académie``), which an elision glued to the word explains better: None when another edit touches it.
    ``fixed``: also an edit that deletes it and corrects the word after it, whose next three letters it keeps
    (``rempîisonnement`` -> ``emprisonnement``)."""
    k = bisect_right(starts, t.start) - 1
    alone = k + 1 >= len(spans) or spans[k + 1][0] >= t.end  # no other edit in the token
    if k < 0 or spans[k][0] != t.start or spans[k][1] > t.end or not alone:
        return None  # (an edit inside the token is narrowed to the letters it changes: 'V' -> '')
    c = out[k]
    word = _read_as(c, t)
    return c if word == t.form[1:] or fixed and len(word) > 3 and word[:3] == t.form[1:4] else None


def _read_as(c: Correction, t: _Tok) -> str:
    """The token t as the decoder's edit c, which begins at its start, reads it."""
    return c.after + t.form[c.end - t.start:]


def _edit(t: _Tok, after: str, over: float, rule: str) -> Correction:
    """The correction of token ``t`` to ``after``, its confidence from the score ``over`` its margin."""
    return Correction(t.start, t.end, t.form, after, max(0.5, round(1.0 / (1.0 + math.exp(-over)), 4)), rule)


def _touched(spans: list[tuple[int, int]], starts: list[int], t: _Tok) -> bool:
    """Does a correction of ``spans`` (sorted; ``starts`` their starts) overlap token ``t``?"""
    k = bisect_right(starts, t.end) - 1  # the last correction starting before the token ends
    return k >= 0 and spans[k][1] > t.start or k + 1 < len(spans) and spans[k + 1][0] < t.end


def _sentence_scores(text: str, out: list[Correction], items, context_lm) -> list[list[float]]:
    """The context model's scores of each (token, replacements) of ``items`` in the sentence as ``out``
    corrects it: [printed, *replacements] per item (offsets shift by the edits before the token)."""
    fixed = apply_corrections(text, out)
    shifts = []
    total = 0
    for c in sorted(out, key=lambda c: (c.start, c.end)):
        total += len(c.after) - (c.end - c.start)
        shifts.append((c.end, total))
    ends = [e for e, _s in shifts]
    queries = []
    for t, afters in items:
        k = bisect_right(ends, t.start) - 1
        d = shifts[k][1] if k >= 0 else 0
        # the window context.CharLM.deltas reads, for all tokens in one call (score_many: much faster)
        queries.append(window_query(fixed, t.start + d, t.end + d, afters))
    return context_lm.score_many(queries) if queries else []


def _elided_forms(t: _Tok, o: str, glued: dict) -> list[str]:
    """The forms of token ``t`` (lower case ``o``) with an elided word split off by an apostrophe:
    ``dune`` -> ``d'une``, ``sest`` -> ``s'est`` (the apostrophe dropped), ``rARGUS`` -> ``l'ARGUS`` (the
    ``l'`` read as one letter: ``glued["l_misreads"]``)."""
    got = []
    for e in glued["elisions"]:
        if o.startswith(e) and o != e:
            got.append(t.form[:len(e)] + "'" + t.form[len(e):])
    if o[0] in glued["l_misreads"]:
        got.append(("L'" if t.sent_start else "l'") + t.form[1:])
    return got


def _misread_l(text: str, t: _Tok) -> bool:
    """Is token ``t`` an elided word ('t' of "t'argent") before a word of ``ELISION_INITIALS``, glued to
    nothing else?"""
    before = text[t.start - 1] if t.start > 0 else " "
    return text[t.end:t.end + 1] in APOSTROPHES and text[t.end + 1:t.end + 2].lower() in tuple(ELISION_INITIALS) \
        and not (before.isalnum() or before in _GLUED)


def _glued_capital(t: _Tok, o: str, glued: dict) -> bool:
    """Do the capitals of a capitalised token show an elision glued to a word: a capital second letter
    ('VAcadémie', 'rARGUS', 'TAurore'), or an elided letter before lower case at the start of a sentence
    ('Lémotion'; in mid-sentence a name: 'Latti')?"""
    f = t.form
    return f[1].isupper() and (f[0].islower() or f[2:].islower()) or \
        t.sent_start and f[1:].islower() and o[:1] in glued["elisions"]


def _fixed_rests(elided: list[str], fix, freq, glued: dict) -> list[tuple[str, float]]:
    """The elided forms whose word after the apostrophe, unknown itself, the decoder's candidate search reads
    as a known word (``rinstructiort`` -> ``l'instruction``): its ``fix_rest`` best candidates by channel and
    unigram probability, each at least ``min_p``."""
    got = []
    for f in elided:
        head, rest = f.split("'", 1)
        if len(rest) < glued["min_rest"] or freq(rest.lower()) > FLOOR:
            continue
        for cand, lp, _rule in fix(rest.lower()):
            p = freq(cand)
            if " " not in cand and "'" not in cand and p >= glued["min_p"]:
                got.append((lp + math.log(p), head + "'" + _apply_case(rest, cand), lp))
    got.sort(reverse=True)
    return [(f, lp) for _s, f, lp in got[:glued["fix_rest"]]]


def glued_elision_edits(text: str, toks: list[_Tok], lows: list[str], out: list[Correction], context_lm,
                        glued: dict, protect=None, freq=None, fix=None) -> tuple[list[Correction], list[Correction]]:
    """The corrections of an elided ``l'`` misread as one of ``l_elided`` (``t'argent`` -> ``l'argent``) and of
    unknown words that are an elided article or pronoun glued to a known word (``lorateur`` -> ``l'orateur``,
    ``VAcadémie`` -> ``l'Académie``, ``sécouler`` -> ``s'écouler``) that ``out`` (sorted, not overlapping) leaves
    alone or only deletes the first letter of (``VAcadémie`` -> ``Académie``: ``_dropped_glue``); for the glued
    ones the word after the elision begins with a letter of ``chars.ELISION_INITIALS``, has ``min_rest`` letters
    at least and a unigram probability ``freq`` of ``min_p`` at least, no full stop follows (an abbreviation:
    ``lél.``), and the context model prefers the split form by more than ``margin``. A lower-case token whose
    word after the elision is unknown too is weighed with that word corrected by ``fix`` (the decoder's candidate
    search: ``rinstructiort`` -> ``l'instruction``; ``_fixed_rests``), the context gain plus the correction's
    channel log probability over ``fix_margin``. Returns the corrections and the edits of ``out`` they replace."""
    spans = [(c.start, c.end) for c in out]
    starts = [s for s, _e in spans]
    todo = []
    replaced = {}  # token start -> the edit of out an elision of the token replaces
    fixes = {}  # token start -> [(elided form whose word was corrected, its channel log probability)]
    for t, o in zip(toks, lows):
        if o in glued["l_elided"] and _misread_l(text, t) and not _touched(spans, starts, t):
            todo.append((t, ["L" if t.form.isupper() and t.sent_start else "l"]))
            continue
        rest = o[1:]
        if len(rest) < glued["min_rest"] or t.joined or not t.form.isalpha() or rest[0] not in ELISION_INITIALS:
            continue
        if freq(o) > FLOOR or (protect is not None and protect.search(o)):
            continue  # a known word
        touched = _touched(spans, starts, t)
        glue = _dropped_glue(out, spans, starts, t, bool(glued.get("fix_rest"))) if touched else None
        if touched and glue is None:
            continue  # the decoder changed it
        if not (o[0] == t.form[0] or _glued_capital(t, o, glued)):
            continue  # a capitalised word: a name ('Latti'), unless its capitals show the glue
        after = text[t.end:t.end + 1]
        if not _standalone(text, t) or after == ".":
            continue
        elided = _elided_forms(t, o, glued)
        if glue is not None and (word := _read_as(glue, t)) != t.form[1:]:
            # the decoder corrected the word after the glued letter too: the elision reads its word
            elided = [f[:f.index("'") + 1] + word for f in elided if f.index("'") == 1]
        forms = [f for f in elided if freq(f.split("'", 1)[1].lower()) >= glued["min_p"]]
        fixed = None
        if not forms and fix is not None and glued.get("fix_rest") and o == t.form:
            fixed = _fixed_rests(elided, fix, freq, glued)
            forms = [f for f, _lp in fixed]
        if forms:
            todo.append((t, forms))
            if fixed:
                fixes[t.start] = fixed
            if glue is not None:
                replaced[t.start] = glue
    made = []
    kept = [c for c in out if c not in replaced.values()] if replaced else out  # the sentence the context model reads
    dropped = []
    for (t, forms), got in zip(todo, _sentence_scores(text, kept, todo, context_lm)):
        fixed = fixes.get(t.start)
        if fixed:  # the word after the apostrophe corrected too: its channel cost counts, with a margin of its own
            score, after = max((g + lp, f) for g, (f, lp) in zip(got[1:], fixed))
            margin = glued["fix_margin"]
        else:
            score, after = max(zip(got[1:], forms))
            margin = glued["margin"]
        if score - got[0] > margin:
            made.append(_edit(t, after, score - got[0] - margin, "elision"))
            if t.start in replaced:
                dropped.append(replaced[t.start])
    return made, dropped


def apart_elision_edits(text: str, toks: list[_Tok], lows: list[str], out: list[Correction], realword: dict,
                        context_lm, apart: dict, freq, cond) -> list[Correction]:
    """The corrections of an elided letter of ``apart["letters"]`` whose apostrophe the OCR read as a space,
    standing alone before a known word (``freq``: its unigram probability at least ``apart["min_p"]``) of
    ``chars.ELISION_INITIALS``: ``l armée`` -> ``l'armée``, and the letter misread too (a learned real-word
    confusion of ``realword``: ``1 Imprimerie`` -> ``l'Imprimerie``), unless the word model (``cond(word, prev)``)
    knows the printed pair (``France 1 an``: P(an | 1) above P(an)). Neither token may be touched by ``out``
    (sorted); the context model must prefer the elision, with the confusion's log probability, by more than
    ``apart["margin"]``."""
    if freq is None:
        return []
    ones = set(apart["letters"])
    spans = [(c.start, c.end) for c in out]
    starts = [s for s, _e in spans]
    todo = []
    for i in range(len(toks) - 1):
        t, n, o = toks[i], toks[i + 1], lows[i]
        if len(o) != 1 or t.joined or n.joined or text[t.end:n.start] != " " or n.form[:1].lower() not in ELISION_INITIALS:
            continue
        p_next = freq(lows[i + 1]) if len(n.form) >= 2 and n.form.isalpha() else 0.0
        if p_next < apart["min_p"]:
            continue
        if n.form[0].isupper() and (t.sent_start or n.form.isupper() and not t.form.isupper()):
            continue  # the capital is the elided letter's ('i Ont été élus', 'i AURORE')
        cands = [(o, 0.0)] if o in ones else []
        if cond is None or cond(lows[i + 1], o) <= p_next:  # (a pair the training text prints: 1 an)
            cands += [(c, lp) for c, lp in realword.get(o, ()) if c in ones and c != o]
        if not cands or not _standalone(text, t) or _touched(spans, starts, t) or _touched(spans, starts, n):
            continue  # (standing alone: the space after it is asked above)
        span = _Tok(text[t.start:n.start], list(range(t.start, n.start)), t.sent_start, False)
        forms = [(c.upper() if t.sent_start or t.form == c.upper() else c) + "'" for c, _lp in cands]
        todo.append((span, forms, [lp for _c, lp in cands]))
    made = []
    if todo:
        scores = _sentence_scores(text, out, [(span, forms) for span, forms, _lps in todo], context_lm)
        for (span, forms, lps), got in zip(todo, scores):
            score, after = max((g - got[0] + lp, f) for g, f, lp in zip(got[1:], forms, lps))
            if score > apart["margin"]:
                made.append(_edit(span, after, score - apart["margin"], "elision"))
    return made


def familiar_kept(text: str, out: list[Correction], vocab, familiar: dict | None) -> list[Correction]:
    """out less the edits of a familiar second-person word (French ``te``, ``ta``, ``tes``, the elided
    ``t'``) in a document that prints the familiar register (``tu``, ``toi``: ``familiar["cues"]``, at least
    ``min_cues`` times in ``vocab``, the document's lower-cased word counts): there ``ta famille`` and
    ``qu'on t'a menacé`` are as printed, where elsewhere ``ta``, ``te``, ``t'`` are mostly a misread
    ``la``, ``le``, ``l'`` (held-out train: the 10 such edits in documents with these cues all made the
    text worse; of the 183 elsewhere 170 made it better, 6 worse)."""
    if not familiar or not out or sum(vocab.get(w, 0) for w in familiar["cues"]) < familiar["min_cues"]:
        return out
    words, elided = familiar["words"], familiar["elided"]
    kept = []
    for c in out:
        if not c.before.strip() or c.before.strip() != c.before:  # a merge: a gap closed
            kept.append(c)
            continue
        s, e = c.start, c.end
        while s > 0 and text[s - 1].isalpha():  # the whole word the edit touches
            s -= 1
        while e < len(text) and text[e].isalpha() and (e == s or text[e - 1].isalpha()):
            e += 1
        word = text[s:e].lower()
        head = word
        for a in APOSTROPHES:
            head = head.split(a)[0]
        glued = e < len(text) and text[e] in APOSTROPHES or word != head  # an elision: t'a
        if not (head in elided if glued else head in words):
            kept.append(c)
    return kept
