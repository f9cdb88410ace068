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
ROMAN = re.compile(r"^(?=[ivxlcdm]+$)m{0,3}(cm|cd|d?c{0,3})(xc|xl|l?x{0,3})(ix|iv|v?i{0,3})$", re.I)
# a price under a masthead ('PRICE THREE CENTS.', 'ONE PENNY', 'Prix 10 centimes')
PRICE = re.compile(r"\b(?:price|prix|preis)\b|\b(?:one|two|three|four|five|six|\d{1,3})\s*(?:cents?|pence|penny|"
                   r"centimes?|sous|pfennige?|kreuzer|groschen)\b", re.I)
# the numbering under a newspaper's masthead, as the OCR reads it: 'VOL. LXIII....No. 20,620.', and
# letters for digits ('VOIVO1 LXIII----N0 20.620.'): a VOL-like word and a roman or arabic number ...
MAST_VOL = re.compile(r"\bV[O0][LI1|][\w.]{0,4}?[\s.]+([IVXLC]{1,7}|\d{1,4})\b")
# ... and No. with a number, thousands separated ('20,620', '20.620')
MAST_NUM = re.compile(r"\bN[o0O][.,]?\s*(\d{1,3}(?:[.,]\d{3})+|\d{1,5})\b")
MASTHEAD_WORDS = 12  # a masthead line is short ...
PROSE = re.compile(r"\b[a-zß-ÿ]+\s+[a-zß-ÿ]+\b")  # ... and has no run of small words (a sentence)
MASTHEAD_TYPE = 1.5  # a masthead's type size over the page's usual size ...
MASTHEAD_TYPE_DATED = 1.3  # ... or, the largest line of the page, over a date line


def roman_to_int(s: str) -> int | None:
    if not s or not s.isascii() or not ROMAN.match(s):
        return None  # non-ASCII: "İ" matches [i] case-insensitively but lowers to "i̇" (two characters)
    vals = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100, "d": 500, "m": 1000}
    s = s.lower()
    total = 0
    for a, b in zip(s, s[1:] + " "):
        v = vals[a]
        total += -v if b != " " and vals.get(b, 0) > v else v
    return total


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
    for ln in _top_lines(doc):
        t = ln.str
        if len(t) <= 100 and (WEEKDAY.search(t) or MONTH.search(t)) and (m := YEAR.search(t)):
            return int(m.group(1))
    return None


def numbering(text: str) -> tuple[int | None, int | None]:
    """(volume, number) printed on a masthead line: 'VOL. LXIII....No. 20,620.' -> (63, 20620); the
    OCR's letters for digits are read ('VOIVO1 LXIII----N0 20.620.'); None where not printed."""
    vol = num = None
    if (m := VOL.search(text)) or (m := MAST_VOL.search(text)):
        tok = m.group(1)
        vol = int(tok) if tok.isdigit() else roman_to_int(tok)
    if (m := MAST_NUM.search(text)) or (m := NUM.search(text)):
        num = int(re.sub(r"[.,]", "", m.group(1)))
    return vol, num


def _masthead_line(text: str) -> bool:
    """A date line (a weekday or month and a year), a price, or the volume and number."""
    t = text.strip()
    if not t or len(t.split()) > MASTHEAD_WORDS or len(t) > 100 or PROSE.search(t):
        return False
    if (WEEKDAY.search(t) or MONTH.search(t)) and YEAR.search(t):
        return True
    if PRICE.search(t) and len(t.split()) <= 6:
        return True
    vol, num = numbering(t)
    return vol is not None and num is not None


def masthead_lines(doc: Document, taken: set = frozenset()) -> list:
    """The lines under the masthead of the issue's first page that carry the issue's facts, not
    text: the date line, the price and the volume and number ('NEW-YORK. FRIDAY, MAY 1, 1903.-
    FOURTEEN PAGES', 'PRICE THREE CENTS.', 'VOL. LXIII....No. 20,620.'). They stand in the top
    15% of the page where the format gives geometry, else among its first 8 lines; ``taken``:
    (page, line no) of lines already furniture."""
    return [ln for ln in _top_lines(doc)
            if (ln.page, ln.no) not in taken and ln.kind == "body" and _masthead_line(ln.str)]


def _top_lines(doc: Document):
    """The lines of the issue's first page where a masthead's facts stand: the top 15% of the page
    where the format gives geometry, else its first 8 lines."""
    page, info, lines = _first_page(doc)
    height = page.info.get("height") if page is not None and isinstance(page.info, dict) else None
    for i, ln in enumerate(lines):
        box = info[ln.no] if info and ln.no < len(info) else {}
        if height and box.get("y") is not None:
            if box["y"] > DATE_LINE_TOP * height:
                continue
        elif i >= DATE_LINE_FIRST:
            break
        yield ln
