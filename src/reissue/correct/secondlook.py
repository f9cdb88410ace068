"""A second look: the words beside the decoder's edits decided again, in the corrected text.

The decoder reads a text left to right. The word before a token is the one it chose, but the word after it,
and the character context model's sentence, are as printed: in ``no credit u duo to the committee`` the decoder
weighs ``u`` before ``duo`` is corrected to ``due`` (the second look then reads ``u due`` and makes ``is``). Once the first look has made its edits, the second decodes the
corrected text again, only the tokens within ``second_look`` characters of an edit (the rest would be decided
as before), and keeps its edits there. They are composed with the first look's onto the printed text, so
that every edit still replaces printed text: where an edit of the second look touches one of the first, the
two become one edit, from the printed text to the final one, with the lower confidence of the two (and none
where the second undoes the first).

The second look is not taken while the corrector collects its vetter's training proposals: the vetter
learns from the first look's proposals, and the model file does not depend on the second.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable

from .tokens import Correction, apply_corrections

_BLANK = re.compile(r"[^\n]")
# the characters the second look's decoder reads beyond its focus: the context model's window before a token
# (context.py, 32) and a word or two after it
REACH = 40


class Looked:
    """The first look's edits as spans of the corrected text, and the way back to the printed text."""

    def __init__(self, text: str, first: list[Correction]):
        self.text = text
        self.first = sorted(first, key=lambda c: (c.start, c.end))
        self.starts: list[int] = []  # where each edit's text starts in the corrected text
        self.ends: list[int] = []  # and ends
        self.shift: list[int] = []  # the length the edits up to and including it add
        shift = 0
        for c in self.first:
            a = c.start + shift
            shift += len(c.after) - (c.end - c.start)
            self.starts.append(a)
            self.ends.append(a + len(c.after))
            self.shift.append(shift)
        self.corrected = apply_corrections(text, self.first)

    def around(self, reach: int) -> str:
        """The corrected text with every character farther than ``reach`` from a first-look edit made a space
        (a line break kept): of the same length, so that its places are the corrected text's, and read by the
        decoder in a fraction of the time (speed only: farther than the context the decoder and its context
        model read around a token in focus)."""
        text, keep, pos = self.corrected, [], 0
        for a, b in zip(self.starts, self.ends):
            a, b = max(a - reach, pos), min(b + reach, len(text))
            if a > pos:
                keep.append(_BLANK.sub(" ", text[pos:a]))
            if b > a:
                keep.append(text[a:b])
            pos = max(pos, b)
        keep.append(_BLANK.sub(" ", text[pos:]))
        return "".join(keep)

    def near(self, start: int, end: int, window: int) -> bool:
        """Is corrected text [start, end) within ``window`` characters of a first-look edit?"""
        k = bisect_right(self.starts, end + window) - 1  # (spans in order, none overlapping)
        return k >= 0 and self.ends[k] >= start - window

    def printed(self, p: int) -> int:
        """The printed-text position of corrected-text position ``p`` (an edit's inside: its start)."""
        k = bisect_right(self.ends, p) - 1  # the last edit that ends at or before p
        if k + 1 < len(self.starts) and self.starts[k + 1] < p:
            return self.first[k + 1].start  # inside an edit's text
        return p - (self.shift[k] if k >= 0 else 0)

    def compose(self, second: list[Correction]) -> list[Correction]:
        """The first look's edits and the second's (on the corrected text), as edits of the printed text."""
        text, corrected, first = self.text, self.corrected, self.first
        used: set[int] = set()
        out: list[Correction] = []
        for s in sorted(second, key=lambda c: (c.start, c.end)):
            lo = bisect_right(self.ends, s.start - 1)  # first-look edits touching s (ends >= s.start)
            group = list(range(lo, bisect_right(self.starts, s.end)))
            if used.intersection(group):
                continue  # (a first-look edit touched by two of the second's: the first of them only)
            if not group:
                a, b = self.printed(s.start), self.printed(s.end)
                out.append(Correction(a, b, text[a:b], s.after, s.confidence, s.rule))
                continue
            used.update(group)
            u0 = min(s.start, self.starts[group[0]])
            u1 = max(s.end, self.ends[group[-1]])
            a = first[group[0]].start if self.starts[group[0]] == u0 else self.printed(u0)
            b = first[group[-1]].end if self.ends[group[-1]] == u1 else self.printed(u1)
            after = corrected[u0:s.start] + s.after + corrected[s.end:u1]
            if after != text[a:b]:  # (else the second look undid the first: no edit)
                conf = min([s.confidence] + [first[k].confidence for k in group])
                out.append(Correction(a, b, text[a:b], after, conf, s.rule))
        out.extend(c for k, c in enumerate(first) if k not in used)
        out.sort(key=lambda c: (c.start, c.end))
        return out


def second_look(text: str, first: list[Correction], window: int,
                decode: Callable[[str, Callable[[int, int], bool], Callable | None], list[Correction]],
                doubtful: Callable[[int, int], bool] | None = None) -> list[Correction]:
    """The first look's edits ``first`` of ``text`` with the second look's: ``decode(corrected text, focus,
    doubtful)`` decodes the tokens for which ``focus(start, end)`` holds (their edits outside it are dropped).
    ``doubtful(start, end)``: the OCR-confidence hook on the printed text (engine.Corrector.corrections), asked
    at the printed place of a corrected-text span."""
    if not first:
        return first
    looked = Looked(text, first)

    def focus(start: int, end: int) -> bool:
        return looked.near(start, end, window)
    hook = None if doubtful is None else lambda s, e: doubtful(looked.printed(s), looked.printed(e))
    second = [c for c in decode(looked.around(window + REACH), focus, hook) if focus(c.start, c.end)]
    return looked.compose(second) if second else first
