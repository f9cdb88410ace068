"""Catch-words: the first word of the next page printed alone under the last line of a page.

Older books and periodicals print it to help the binder and the reader; it is page furniture, not
text (the word is read again at the top of the next page). Evidence: the last text line of a page
is one or two words, and they are the words the next page's text begins with (its first line,
or one of the next three when a kicker, heading or byline opens the page) (as printed, so a
paragraph that ends in ``it.`` over a page that begins ``It was`` is no catch-word). OCR-tolerant
for longer words.
"""

from __future__ import annotations

from rapidfuzz import fuzz

from .model import Document, Line

MAX_WORDS = 2
MAX_CHARS = 24
NOTE_SIGNS = "*†‡§¶"  # a catch-word may be the sign opening the next page's first line
LOOK_AHEAD = 4  # the word may be that of the text under a heading or byline opening the next page


def _same(a: str, b: str) -> bool:
    a, b = a.casefold(), b.casefold()
    if a == b:
        return True
    if a.endswith(("-", "\u00ac", "=", "\u2e17")) and len(a) >= 4 and b.startswith(a[:-1]):
        return True  # 'Aufklä-' over 'Aufklärung'
    if _tail(a) != _tail(b):
        return False  # 'it.' is the end of a sentence, 'It' the start of one
    return len(a) >= 5 and len(b) >= 5 and fuzz.ratio(a, b) >= 85


def _tail(w: str) -> str:
    return w[len(w.rstrip(".,;:!?\"'”’)")):]


def catch_words(doc: Document, furniture: set[tuple[int, int]]) -> list[tuple[int, Line]]:
    """(page index, line) of each catch-word; ``furniture`` holds the (page, line) already taken."""
    def text_lines(pi: int) -> list[Line]:
        return [ln for ln in doc.pages[pi].lines if ln.kind != "blank" and ln.str.strip()
                and (pi, ln.no) not in furniture]

    out: list[tuple[int, Line]] = []
    for pi in range(len(doc.pages) - 1):
        mine, nxt = text_lines(pi), text_lines(pi + 1)
        if len(mine) < 3 or not nxt:
            continue
        last = mine[-1]
        words = last.str.split()
        if not 1 <= len(words) <= MAX_WORDS or len(last.str.strip()) > MAX_CHARS:
            continue
        if not any(c.isalnum() or c in NOTE_SIGNS for c in last.str):
            continue  # a word, a number ('1844,') or a note's sign ('*'), not a speck
        for ln in nxt[:LOOK_AHEAD]:
            first = ln.str.split()
            # the next page's line begins with the catch-word (and may be no longer than it)
            if len(first) >= len(words) and all(_same(w, f) for w, f in zip(words, first)):
                out.append((pi, last))
                break
    return out
