"""Issue facts printed on the page: volume, number and year patterns, and the masthead's title.

Shared by the furniture stage (running heads, viewer captions) and read here from the masthead of
an issue's first page when no head repeats across the issue.
"""

from __future__ import annotations

import re

from .model import Document

# characters OCR commonly puts in place of digits in a folio
OCR_DIGITS = str.maketrans({"l": "1", "I": "1", "i": "1", "|": "1", "!": "1", "O": "0", "o": "0",
                            "Q": "0", "D": "0", "S": "5", "s": "5", "B": "8", "Z": "2", "z": "2",
                            "G": "6", "b": "6", "g": "9", "q": "9", "T": "7"})
VOL = re.compile(r"\b(?:vol(?:ume)?\.?|v\.|bd\.?|tome|jahrgang|jg\.?)\s*([0-9]{1,4}|[ivxlcdm]{1,7})\b", re.I)
NUM = re.compile(r"\b(?:no\.?|nr\.?|n\.|num(?:ber)?\.?|issue|heft)\s*([0-9]{1,4})\b", re.I)
YEAR = re.compile(r"\b(1[5-9][0-9]{2}|20[0-9]{2})\b")
# a year the OCR read with letters for digits or split ('I78 4', 'l832'): digit-like characters only
OCR_YEAR = re.compile(r"(?<![\w])([0-9Il|O](?:\s?[0-9Il|O]){3})(?![\w])")
# month names (en, fr, de; old spellings), for the date line under a masthead
MONTH = re.compile(r"\b(?:jan(?:uary|vier|uar)|feb(?:ruary|ruar)|f[ée]vrier|m[aä]r(?:ch|s|z)|april|avril|mai|may|"
                   r"june?|juin|juni|july|juillet|juli|august|ao[uû]t|sept(?:ember|embre)|o[ck]tob(?:er|re)|"
                   r"nov(?:ember|embre)|d[eé][cz]emb(?:er|re))\b", re.I)
# weekday names (en, fr, de), for a newspaper's date line
WEEKDAY = re.compile(r"\b(?:mon|tues|wednes|thurs|fri|satur|sun)day\b|\b(?:lundi|mardi|mercredi|jeudi|vendredi|"
                     r"samedi|dimanche|montag|dienstag|mittwoch|donnerstag|freitag|sonnabend|samstag|sonntag)\b", re.I)
DATE_LINE_TOP = 0.15  # a date line stands in the top of the first page (share of the page height) ...
DATE_LINE_FIRST = 8  # ... or, without geometry, among its first lines
# characters that are OCR specks inside a printed title ('Monatsſc<hrift')
TITLE_SPECKS = re.compile(r"[<>|^~`»«¬_]")
MASTHEAD_TYPE = 1.5  # a masthead's type size over the page's usual size ...
MASTHEAD_TYPE_DATED = 1.3  # ... or, the largest line of the page, over a date line


def letters(text: str) -> str:
    return "".join(c for c in text if c.isalpha())


def title_case(s: str) -> str:
    small = {"a", "an", "and", "as", "at", "but", "by", "for", "in", "of", "on", "or", "the", "to", "with"}
    words = s.split()
    if not words or any(c.islower() for c in s):
        return " ".join(words)
    out = []
    for i, w in enumerate(words):
        lw = w.lower()
        out.append(lw if (i and lw in small) else lw[:1].upper() + lw[1:])
    return " ".join(out)


def ocr_year(text: str) -> int | None:
    """A year printed on a date line, also where the OCR put letters for digits or split it."""
    m = YEAR.search(text)
    if m:
        return int(m.group(1))
    for m in OCR_YEAR.finditer(text):
        tok = m.group(1)
        if sum(c.isdigit() for c in tok) < 2:
            continue
        y = YEAR.fullmatch(tok.replace(" ", "").translate(OCR_DIGITS))
        if y:
            return int(y.group(1))
    return None


def _first_page(doc: Document) -> tuple:
    """The issue's first page (None if it has none), its lines' format information (None for plain
    text) and its non-blank lines."""
    if not doc.pages:
        return None, None, []
    page = doc.pages[0]
    info = page.info.get("lines") if isinstance(page.info, dict) else None
    return page, info, [ln for ln in (page.lines or page.split_lines()) if ln.kind != "blank"]


def masthead(doc: Document) -> tuple[str, int | None] | None:
    """The title in the masthead of the issue's first page: its first line, set in type at least
    1.5 times the page's usual size (font sizes from the format), or the page's largest line at
    1.3 times, with a date or numbering line under it (a year, also OCR-garbled, a month, a volume
    or number). An article's title at the top of a page has no such line; plain text gives no sizes."""
    _, info, lines = _first_page(doc)
    if not info:
        return None
    sizes = [info[ln.no].get("font_size") for ln in lines if ln.no < len(info) and info[ln.no].get("font_size")]
    if len(sizes) < 5 or not lines:
        return None
    med = sorted(sizes)[len(sizes) // 2]
    first = lines[0]
    size = info[first.no].get("font_size") if first.no < len(info) else None
    text = TITLE_SPECKS.sub("", first.str).strip().rstrip(" .,:;")
    words = text.split()
    if not size or not 1 <= len(words) <= 6 or len(letters(text)) < 0.7 * len(text.replace(" ", "")):
        return None
    largest = size >= max(sizes)
    if size < MASTHEAD_TYPE * med and not (largest and size >= MASTHEAD_TYPE_DATED * med):
        return None
    for ln in lines[1:4]:
        t = ln.str
        year = ocr_year(t)
        dated = year is not None or bool(MONTH.search(t))
        if dated or VOL.search(t) or NUM.search(t):
            if size < MASTHEAD_TYPE * med and not dated:
                return None  # the smaller masthead needs a date under it
            return title_case(re.sub(r"\s+([.,:;])", r"\1", text)), year
    return None


def date_line_year(doc: Document) -> int | None:
    """The year of a newspaper's date line ('NEW-YORK. FRIDAY, MAY 1, 1903.- FOURTEEN PAGES') at the
    top of the issue's first page: a line with a weekday or month name and a year, within the top
    15% of the page where the format gives geometry, else among its first 8 lines. A date in an
    article further down the page ('On Monday, June 3, 1889, ...') is not the issue's."""
    page, info, lines = _first_page(doc)
    height = page.info.get("height") if page is not None and isinstance(page.info, dict) else None
    for i, ln in enumerate(lines):
        box = info[ln.no] if info and ln.no < len(info) else {}
        if height and box.get("y") is not None:
            if box["y"] > DATE_LINE_TOP * height:
                continue
        elif i >= DATE_LINE_FIRST:
            break
        t = ln.str
        if len(t) <= 100 and (WEEKDAY.search(t) or MONTH.search(t)) and (m := YEAR.search(t)):
            return int(m.group(1))
    return None
