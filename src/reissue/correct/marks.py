"""Stray marks at the edges of words and between them: small, registered, replayable fixes.

OCR turns specks of dirt, bleed-through and broken type into marks: a full stop or comma glued to
the front of a word (``cause .profonde``), a bullet standing between two words (``la ■ main``), a
doubled stop (``demain..``), and, in French print, straight apostrophes that no French word has
there (``'sens``, ``pour'``, ``liberté.'``: French quotes with guillemets and elides only to the
left). The word corrector cannot see them: its tokens are words of letters, and a mark glued to a
word it leaves as printed stays (``engine.Corrector._make`` takes the marks of ``chars.STRAY_MARKS``
away only with an edit of their word).

Each fix here is a named pattern whose group ``x`` is deleted, with an optional check of the match
(``keep(text, match) -> bool``: leave this one). A language lists the fixes that hold for its print
(``languages.py``: ``mark_fixes``): in English a leading apostrophe opens a quotation or elides
(``'tis``, ``'em``) and a trailing one ends a plural possessive (``workers'``); in German it elides
(``'s``, ``'ne``, ``'mal``).
A hyphen before a comma is left alone everywhere: at a line end it may still join the word's halves
(``inter-,\nruptions``), which the corrector, reading reflowed text, cannot tell from mid-line. They were
chosen on the train splits of each language (``benchmarks/bench_marks.py --split train --all``,
held out), where each removes more error than it makes, and on their ground truth, which they leave
almost unchanged. A fix that changes a text reports the edit as rule ``mark:<name>`` with the
confidence ``mark_confidence`` (``model.DEFAULT_PARAMS``); ``mark_fixes`` false turns them all off.
They run after the decoder and the other passes, and leave alone every token those edited.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

from ..chars import APOSTROPHES, BULLET_MARKS
from .tokens import MARK_RULE as RULE, Correction, apply_corrections, in_order, touches

_L = r"[^\W\d_]"  # a letter of any script
_BUL = "[" + re.escape(BULLET_MARKS) + "]"
_APO = "[" + APOSTROPHES + "]"
# at the start of a token, written after the first character of the match: "[.,]" + _WORD_START, not
# "(?:(?<=\s)|^)[.,]" (the same matches; the engine then leaps to each candidate character instead of trying
# the lookbehind at every place: several times faster). So are the others below: each match's first character
# leads, and what stands before it is asked once that matched
_WORD_START = r"(?<!\S.)"


@dataclass(frozen=True)
class MarkFix:
    name: str
    pattern: re.Pattern  # the mark to delete is its group "x"
    keep: Callable[[str, re.Match], bool] | None = None  # True: leave this match as printed
    doc: str = ""


FIXES: dict[str, MarkFix] = {}


def register(name: str, pattern: str, doc: str, keep=None) -> MarkFix:
    """Add a fix to the registry (a name once)."""
    if name in FIXES:
        raise ValueError(f"mark fix {name!r} registered twice")
    FIXES[name] = fix = MarkFix(name, re.compile(pattern), keep, doc)
    return fix


# French words that elide before an apostrophe beside the one-letter ones and those in -qu (jusqu', lorsqu')
_ELIDING = ("aujourd", "entr")


def _elided(text: str, m: re.Match) -> bool:
    """Is the apostrophe at m an elision's, printed before a space (``l' homme``, ``qu' il``, ``jusqu'``) or
    with a space on either side, as tokenised text has it (``d ' être``, ``aujourd ' hui``)?"""
    s = m.start("x")
    i = s
    while i > 0 and text[i - 1].isalpha():
        i -= 1
    word = text[i:s].lower()
    return len(word) <= 1 or word.endswith("qu") or word in _ELIDING


register("lead-stop", rf"(?P<x>[.,]{_WORD_START}[.,]?)(?={_L}{{2}})",
         "a full stop or comma glued to the front of a word, not an ellipsis: 'cause .profonde' -> 'cause profonde'")
register("lead-bullet", rf"(?P<x>{_BUL}{_WORD_START}{_BUL}*)(?=\w)",
         "a bullet or square glued to the front of a word: '■du' -> 'du'")
register("lone-bullet", rf"(?P<x> (?<=\S ){_BUL}+)(?= \S)",
         "a bullet or square standing between two words: 'la ■ main' -> 'la main'")
register("double-stop", r"(?P<x>\.(?<=\w\.\.))(?=\s|$)",
         "a doubled full stop after a word, not an ellipsis: 'demain..' -> 'demain.'")
register("double-comma", r"(?P<x>,(?<=\w,,))(?!,)",
         "a doubled comma: 'Alors,,' -> 'Alors,'")
register("lead-quote", rf"(?P<x>{_APO}{_WORD_START}{_APO}*)(?={_L}{{2}})",
         "an apostrophe glued to the front of a word, where the language has none: \"'sens\" -> 'sens'")
register("trail-quote", rf"(?P<x>{_APO}(?<={_L}{_L}{_APO}))(?=[\s,.;:]|$)",
         "an apostrophe glued to the end of a word that elides nothing: \"pour'\" -> 'pour' (\"qu' il\" stays)",
         keep=_elided)
register("quote-after-stop", rf"(?P<x>{_APO}(?<=\w[.,;:!?]{_APO}))(?=\s|$)",
         "an apostrophe after a word's stop or comma: \"liberté.'\" -> 'liberté.'")
register("lone-quote", rf"(?P<x> (?<=\w ){_APO}{{1,2}})(?= \w)",
         "an apostrophe standing between two words: \"le ' roi\" -> 'le roi' (not an elision's: \"d ' être\")",
         keep=_elided)


def mark_edits(text: str, names) -> list[tuple[int, int, str]]:
    """[(start, end, fix name)] of the marks the named fixes delete from text, in order, none overlapping."""
    found = []
    for name in names:
        fix = FIXES[name]
        for m in fix.pattern.finditer(text):
            if fix.keep is None or not fix.keep(text, m):
                found.append((m.start("x"), m.end("x"), name))
    found.sort()
    out, end = [], -1
    for s, e, name in found:
        if s >= end:
            out.append((s, e, name))
            end = e
    return out


def replay(text: str, names) -> str:
    """text with the named fixes applied (as the corrector applies them when no other edit is near)."""
    return apply_corrections(text, [Correction(s, e, text[s:e], "", 1.0, RULE + name)
                                    for s, e, name in mark_edits(text, names)])


def with_mark_fixes(corr, text: str, out: list[Correction]) -> list[Correction]:
    """The corrector's edits out plus its language's mark fixes that touch none of them, in order."""
    names = corr.model.language.get("mark_fixes") or ()
    if not names or not corr.P.mark_fixes or corr.P.mark_confidence < corr.threshold:
        return out
    spans = [(c.start, c.end) for c in out]
    more = [Correction(s, e, text[s:e], "", corr.P.mark_confidence, f"{RULE}{name}")
            for s, e, name in mark_edits(text, names) if not touches(spans, s, e)]
    return joined(text, in_order(out, more)) if more else out


def joined(text: str, corrs: list[Correction]) -> list[Correction]:
    """corrs (in order, none overlapping) with each mark edit joined to the edits of the same chunk of
    text (no space in or between them): ``.tbat`` is one edit ``.tbat`` -> ``that``, of the word's rule, not a
    mark's edit and a word's that the edition's whole-word spans (``tokens.whole_words``) would overlap. A mark
    standing alone (`` •``) stays an edit of its own, which whole_words leaves as it is."""
    out: list[Correction] = []
    for c in corrs:
        p = out[-1] if out else None
        if p is not None and (p.rule.startswith(RULE) or c.rule.startswith(RULE)) \
                and not any(ch.isspace() for ch in text[p.start:c.end]):
            word = c if p.rule.startswith(RULE) else p
            out[-1] = Correction(p.start, c.end, text[p.start:c.end], p.after + text[p.end:c.start] + c.after,
                                 min(p.confidence, c.confidence), word.rule)
        else:
            out.append(c)
    return out
