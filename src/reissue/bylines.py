"""Name lines: an author's name printed on a line of its own (a byline under a title, or a name after
a dash closing an article). Shared by reflow (a closing name is a paragraph of its own) and articles
(it becomes the article's byline)."""

from __future__ import annotations

import re

NAME = r"[A-Z][a-zà-ÿ'’.-]+|[A-Z]\.|[A-Z][A-Z'’.-]+"
NAME_LINE = re.compile(rf"^(?:[—–-]+\s*)?(?:{NAME})(?:\s+(?:{NAME}|de|van|von|der|la|le)){{1,4}}\.?$")


def is_name_line(text: str) -> bool:
    """'John A. Whitcombe', '— WALTER CONWAY': a short line of names only (no sentence)."""
    t = text.strip()
    if len(t) > 50 or not NAME_LINE.match(t):
        return False
    words = [w for w in re.split(r"[\s—–-]+", t) if w]
    return 2 <= len(words) <= 5 and any(re.fullmatch(r"[A-Z]\.", w) for w in words) or (
        t[:1] in "—–-" and 2 <= len(words) <= 5)


def is_closing_name(text: str) -> bool:
    """'— J. R. Ashby', '— Jane Morrow': an author's name after a dash, closing an article."""
    t = text.strip()
    return t[:1] in "—–-" and is_name_line(t)
