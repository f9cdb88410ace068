"""Passages of another language inside a text corrected as one language: left as printed.

A HIPE record, a plain text or a long paragraph is corrected by the model of its language, but archives
mix languages inside one text: an Italian notice in a French newspaper's page, a German line quoted in an
English report (``sie sollen ihn nicht haben``: ``ihn`` -> ``in``). ``foreign_spans(text, lang)`` splits the
text into sentences; a sentence of at least ``min_words`` words that the language identifier finds far more
likely in another language than in the text's own is foreign (the text's language is the prior: a short or
garbled sentence stays the text's).
``outside(corrections, spans)`` keeps the corrections that touch no foreign sentence; ``in_language`` does
both for a corrector (its ``foreign_min_words``; None: off): ``Corrector.corrections`` applies it to what it
outputs, so ``reissue correct`` (HIPE and plain text), the build's correction stage and ``correct_text`` all do.

Held-out train (``bench_correct_cv.py --context --damage [--lang fr]``, 4 source-grouped folds): French
icdar2017 cMER -14.84% -> -14.92%, clean damage 0.0895% -> 0.0868% (two documents: an Italian notice, and an
English concert programme, both "corrected" into French: ``devra essere``, ``conduire``, ``wooing`` ->
``poing``; 5 sentences of 11,060 flagged); English the same (one sentence of 15,721 flagged: a list of Welsh
names read as Welsh). ``RATIO`` was chosen there too: at 20 the English programme is missed, at 5 three more
lists of Welsh names are flagged. It identifies the sentences of 8+ words only, at 85,000-95,000 words per CPU
second (a few per cent of the corrector's time).
"""

from __future__ import annotations

import re
from bisect import bisect_right

# a sentence: up to its end mark (and closing quotes or brackets) or a blank line; it runs on over a line break
# (a HIPE record keeps the lines of the page: a sentence cut at each would be too short to identify)
# (the characters of a run taken at once, "[^.!?;\n]+": the same sentences as one at a time, and faster; the run
# stops only where its end matches, so nothing is given back)
_SENTENCE = re.compile(r"(?:[^.!?;\n]+|\n(?![ \t]*\n))+(?:[.!?;]+[\"'’»)\]]*|\n[ \t]*\n|$)")
MIN_WORDS = 8
THRESHOLD = 0.5  # (reissue.lang's, for a paragraph)
RATIO = 10.0  # the text's own language is the prior: another needs this much more evidence


def sentences(text: str) -> list[tuple[int, int]]:
    """The (start, end) of each sentence of text with a letter in it."""
    return [(m.start(), m.end()) for m in _SENTENCE.finditer(text) if any(ch.isalpha() for ch in m.group())]


def foreign_spans(text: str, lang: str, min_words: int = MIN_WORDS,
                  touching: list | None = None) -> list[tuple[int, int, str]]:
    """The sentences of ``text`` (corrected as ``lang``) of at least ``min_words`` words that the language
    identifier (:func:`reissue.lang.probabilities_many`) finds in another language, in order, as (start,
    end, that language): its probability at least ``THRESHOLD`` and ``RATIO`` times that of ``lang``.
    ``touching``: corrections (``start``/``end``); only the sentences that touch one of them (as ``outside``
    tells) are identified, the others are not returned (each sentence is identified on its own: the same
    answer for those, and ``outside`` drops the same corrections, for much less work)."""
    from ..lang import probabilities_many, words

    every = sentences(text)
    if len(every) < 2:
        return []  # (a text of one sentence is as a whole the record's or paragraph's language)
    if touching is not None:
        every = _touched(every, touching)
    spans = [(s, e) for s, e in every if words(text[s:e]) >= min_words]
    out = []
    for (s, e), probs in zip(spans, probabilities_many([text[s:e] for s, e in spans])):
        best = max(probs, key=probs.get)
        if best not in (lang, "zxx") and probs[best] >= THRESHOLD and probs[best] >= RATIO * probs.get(lang, 0.0):
            out.append((s, e, best))
    return out


def load_identifier() -> None:
    """Load the language identifier ``foreign_spans`` asks (:mod:`reissue.lang`, once per process) now rather
    than at its first sentence (``Corrector.preload``)."""
    from ..lang import _identifier

    _identifier()


def _touched(spans: list[tuple[int, int]], corrections: list) -> list[tuple[int, int]]:
    """The sorted, disjoint spans that touch one of the corrections as ``outside`` tells: a correction is
    dropped when a span starts at or before its last character (an insertion's place) and ends after its
    start (``outside`` asks the last such span, which ends last of them)."""
    starts = [sp[0] for sp in spans]
    keep = set()
    for c in corrections:
        k = bisect_right(starts, max(c.end - 1, c.start)) - 1
        while k >= 0 and spans[k][1] > c.start:
            keep.add(k)
            k -= 1
    return [spans[k] for k in sorted(keep)]


def outside(corrections: list, spans: list[tuple]) -> list:
    """The corrections (with ``start``/``end``) that touch none of the sorted, disjoint spans ((start, end, ...))."""
    if not spans:
        return corrections
    starts = [sp[0] for sp in spans]
    kept = []
    for c in corrections:
        # the last span that starts at or before the edit's last character (an insertion's place)
        k = bisect_right(starts, max(c.end - 1, c.start)) - 1
        if k < 0 or spans[k][1] <= c.start:
            kept.append(c)
    return kept


def in_language(corrector, text: str, corrections: list,
                report: bool = True) -> tuple[list, list[tuple[int, int, str]]]:
    """The corrections of ``text`` less those in its foreign sentences (``foreign_spans`` with the corrector's
    language and ``foreign_min_words``), and those sentences (``report`` False: only those that touch a
    correction; the rest is not identified, a caller that reports no sentence saves most of the work)."""
    n = corrector.P.foreign_min_words
    if not corrections or n is None:
        return corrections, []
    spans = foreign_spans(text, corrector.model.lang, n, None if report else corrections)
    return outside(corrections, spans), spans
