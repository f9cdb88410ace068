"""Heading evidence between lines, for reflow (which lines form a heading paragraph) and articles.

Three facts a pair of lines cannot show alone:

* **display runs**: a run of lines in capitals that reads as continuous prose (most lines end
  without terminal punctuation, some in a hyphen or a word a sentence goes on after, 'THE', 'OF')
  is one display paragraph (a boxed quotation, a notice set in capitals), not a stack of headings;
* **continued titles**: a title line ending in a word no title ends in ('Only Force Can Turn Her
  Out of' / 'Manchuria—Personal Notes.') goes on on the next line: both are one heading;
* **type size** (where the format gives font sizes): lines set in display type (at least
  ``DISPLAY_TYPE`` times the page's usual size) are heading lines; the change from display type to
  text type ends a heading, and a few display lines of one size form one heading.
"""

from __future__ import annotations

import re

from .chars import LINE_END_HYPHENS, QUOTE_MARKS, after_stop_class, stop_class
from .model import Document, Line

DISPLAY_MIN = 4  # lines in a run of capitals that can be one display paragraph
RUN_ON_SHARE = 0.6  # ... of which at least this share end without terminal punctuation
RUN_ON_EVIDENCE = 2  # ... and at least this many end in a hyphen or a word a sentence goes on after
DISPLAY_TYPE = 1.5  # a display line's type size over the page's usual (median) size
SAME_TYPE = 1.15  # two display lines of one heading: sizes within this ratio
HEADING_LINES = 3  # at most this many display lines form one heading
# words a title does not end in (en, fr, de): a line ending in one goes on on the next line
RUN_ON_WORDS = frozenset("""a an and as at but by for from in into of on or the to with upon than that
    le la les des du de et en au aux un une à der die das den dem des und ein eine zu von mit im""".split())
# terminal punctuation of a heading: a stop, a colon or a semicolon, then closing marks (a guillemet too)
# and dashes ('THE PRESS.—')
TERMINAL = re.compile(stop_class(":;") + after_stop_class("»") + "*[—–-]*$")
LETTER = re.compile(r"[^\W\d_]")
LOWER3 = re.compile(r"[a-zß-ÿ]{3}")


def caps_line(text: str) -> bool:
    """Most of the letters (80%) are capitals, at least four of them."""
    # the cheap test first: a line of text has three small letters in a row
    return not LOWER3.search(text) and caps_share(text, 0.8)


def runs_on(text: str) -> bool:
    """The line ends in a hyphen or a word after which a sentence goes on ('... OF', '... the')."""
    t = text.rstrip()
    if t[-1:] in LINE_END_HYPHENS and not t.endswith("--"):
        return True
    words = t.rsplit(None, 1)
    return bool(words) and words[-1].lower().strip("\"'“”‘’,") in RUN_ON_WORDS


def display_runs(lines: list[Line]) -> dict[tuple[int, int], int]:
    """(page, line no) -> the run's longest line (characters), for the body lines in display runs:
    at least ``DISPLAY_MIN`` consecutive lines of one page in capitals, with no other line between,
    most of which end without terminal punctuation and some in a hyphen or a run-on word.
    ``lines``: the body lines in reading order."""
    out: dict[tuple[int, int], int] = {}
    run: list[Line] = []

    def close():
        if len(run) >= DISPLAY_MIN:
            texts = [ln.str.strip() for ln in run]
            ends = texts[:-1]
            open_ = sum(1 for t in ends if not TERMINAL.search(t))
            if open_ >= RUN_ON_SHARE * len(ends) and sum(1 for t in ends if runs_on(t)) >= RUN_ON_EVIDENCE:
                longest = max(len(t) for t in texts)
                out.update(((ln.page, ln.no), longest) for ln in run)
        run.clear()

    for ln in lines:
        if not caps_line(ln.str):
            close()
            continue
        if run and (run[-1].page != ln.page or run[-1].no + 1 != ln.no):
            close()
        run.append(ln)
    close()
    return out


def display_break(p: str, c: str, longest: int, ends_sentence) -> bool:
    """Inside a display run: a new paragraph only after a sentence ending a short line."""
    return ends_sentence(p) and len(p) < 0.85 * longest


def type_sizes(doc: Document) -> dict[int, float]:
    """Page index -> the usual (median) type size of its body lines, for pages whose format gives
    font sizes (ALTO, hOCR, PAGE) on at least five lines."""
    med: dict[int, float] = {}
    for page in doc.pages:
        info = page.info.get("lines") if isinstance(page.info, dict) else None
        if not info:
            continue
        sizes = sorted(d["font_size"] for d in info if isinstance(d, dict) and d.get("font_size"))
        if len(sizes) >= 5:
            med[page.index] = sizes[len(sizes) // 2]
    return med


def line_size(doc: Document, ln: Line) -> float | None:
    info = doc.pages[ln.page].info.get("lines") if isinstance(doc.pages[ln.page].info, dict) else None
    if info and 0 <= ln.no < len(info) and isinstance(info[ln.no], dict):
        return info[ln.no].get("font_size")
    return None


def display_type(size: float | None, med: float | None) -> bool:
    return bool(size and med) and size >= DISPLAY_TYPE * med


def type_break(ps: float | None, cs: float | None, med: float | None) -> bool | None:
    """Between two lines of known type size: True where display type meets text type (a heading
    ends or begins), False where two display lines of one size run on (one heading), None where
    the sizes say nothing."""
    if not (ps and cs and med):
        return None
    pd, cd = display_type(ps, med), display_type(cs, med)
    if pd != cd:
        return True
    if pd and max(ps, cs) <= SAME_TYPE * min(ps, cs):
        return False
    return None


def continued_title(p: str, c: str, titleish) -> bool:
    """A title line ending in a run-on word ('... Turn Her Out of') and a short next line starting
    with a capital: the title goes on there. ``titleish``: the caller's test of a title line."""
    return runs_on(p) and c[:1].isupper() and p.rstrip()[-1:] not in LINE_END_HYPHENS and titleish(p) \
        and titleish_or_end(c, titleish)


def titleish_or_end(c: str, titleish) -> bool:
    """The second line of a title: title-like itself, or a short line ending the title with a
    stop ('Manchuria—Personal Notes.')."""
    return titleish(c) or (len(c.split()) <= 8 and bool(TERMINAL.search(c)) and caps_words(c))


def caps_words(text: str) -> bool:
    """Most words (75%) longer than three letters start with a capital."""
    words = [w for w in re.split(r"[\s—–-]+", text) if len(w) > 3]
    return bool(words) and sum(w[:1].isupper() for w in words) >= 0.75 * len(words)


CREDIT = re.compile(r"\s*by\s", re.I)  # 'BY CABLE TO THE TRIBUNE', 'By our Correspondent': a credit line
SECTION_WORDS = 4  # words at most in a section head ('LOCAL.', 'LATEST LONDON. NEWS.')
CAPS_SHARE = 0.9  # ... whose letters are capitals (OCR may read one small)


def section_head(text: str) -> bool:
    """A short section head in capitals ending in a stop: 'LOCAL.', 'DIED.', 'TO CORRESPONDENTS.'.
    A stop inside it ('LATEST LONDON. NEWS.') is no sentence end in a head of a few capital words.
    A line in quotation marks ('"AN ODD FELLOW."') is a quotation or a signature, a 'BY ...' line a
    credit, not a head."""
    t = text.strip()
    words = t.split()
    if not t.endswith(".") or not 1 <= len(words) <= SECTION_WORDS or quoted(t) or CREDIT.match(t):
        return False
    return caps_share(t, CAPS_SHARE)


def caps_share(text: str, share: float = 0.75) -> bool:
    """At least four letters, at least ``share`` of them capitals (OCR reads some small)."""
    let = LETTER.findall(text)
    return len(let) >= 4 and sum(c.isupper() for c in let) >= share * len(let)


def quoted(text: str) -> bool:
    """The text is wrapped in quotation marks ('"AN ODD FELLOW."', '“Home.”')."""
    t = text.strip()
    return len(t) > 2 and t[0] in QUOTE_MARKS and t.rstrip(".,;:!? ")[-1:] in QUOTE_MARKS


# page geometry (ALTO, hOCR, PAGE: ``page.info["lines"]`` boxes and the page's width)
EDGE = 0.05  # a scrap of the facing page lies within this share of the page width from its edge
CENTRED = 0.1  # a centred line's middle lies within this share of its column's width from the column's


def edge_scrap(boxes: list[dict], width: float | None) -> bool:
    """Every line lies in a narrow strip at the page's left or right edge: a scrap of the facing
    page caught at the gutter, never a title."""
    return bool(boxes and width) and all(b["x"] + b["w"] <= EDGE * width or b["x"] >= (1 - EDGE) * width
                                         for b in boxes)


def over_page(boxes: list[dict], top: float | None, width: float | None) -> bool:
    """The lines stand above every other line of the page (``top``: the highest other line's top)
    and centred on it: the paper's name or running head printed over the page, not a title."""
    return bool(boxes and width and top is not None) and all(b["y"] + b["h"] <= top for b in boxes) and \
        all(abs(b["x"] + b["w"] / 2 - width / 2) <= CENTRED * width for b in boxes)


def centred(boxes: list[dict], column: list[dict]) -> bool:
    """Each line is centred over ``column`` (the boxes of the text under it) and narrower than it."""
    if not boxes or not column:
        return False
    left = min(b["x"] for b in column)
    right = max(b["x"] + b["w"] for b in column)
    wide = right - left
    return wide > 0 and all(b["w"] < 0.9 * wide and abs(b["x"] + b["w"] / 2 - (left + right) / 2) <= CENTRED * wide
                            for b in boxes)


def line_boxes(doc: Document, lines: list[Line]) -> list[dict]:
    """The boxes (x, y, w, h) of ``lines`` where the format gives them all, else []."""
    out = []
    for ln in lines:
        info = doc.pages[ln.page].info.get("lines") if isinstance(doc.pages[ln.page].info, dict) else None
        d = info[ln.no] if info and 0 <= ln.no < len(info) else None
        if not isinstance(d, dict) or any(d.get(k) is None for k in ("x", "y", "w", "h")):
            return []
        out.append(d)
    return out
