"""Printed signs that a word corrector cannot see: sums of money, ordinals and *et cetera*.

19th-century British print is full of prices in pounds, shillings and pence (``1s 6d``,
``7s. 6d.``) and of lists that end in ``&c.``. OCR misreads their digits and the ampersand as
letters (``Is 6d``, ``7s. Gd.``, ``tea, coffee, Ac.``), and the word model never sees them, since
its tokens are words of letters.

* **Sums of money.** A short token of digits and digit look-alikes followed by ``s`` or ``d``
  (``Is``, ``Gd.``, ``fid``, ``lid``, ``4Jd``) becomes a sum (``1s``, ``6d.``, ``6d``, ``11d``,
  ``4½d``) only beside another sum or number (``Is 6d``, ``7s. Gd.``, ``Is. to Is. Gd.``) or a
  word of prices (``price Is.``, ``Is. each``), so that the verb ``Is`` of a question stays. The
  shillings' ``s`` misread as ``a`` (``3a 8d``, ``44a to 45a``) too, where the number holds a digit
  as printed (``Ilia`` stays a word).
* **Ordinals.** A token of one to three digits, one of them at most a digit look-alike, with the English ordinal
  ending that agrees with its value (``2lst``, ``i8th``, ``3Oth``, ``l0th``) becomes the ordinal
  (``21st``, ``18th``, ``30th``, ``10th``) wherever it stands, and no word edit takes it (``l0th`` was ``lath``,
  ``3Oth`` ``Both``). ``loth`` holds no digit and stays a word.
* **Et cetera.** A token after a comma or a stop whose letters were learned from the training pairs as a
  misreading of ``&c`` (``Ac.``, ``kc.``, ``See.``) becomes ``&c``, keeping its stops and commas.
"""

from __future__ import annotations

import re

CHUNK_RE = re.compile(r"\S+")
# a digit's look-alikes in print (checked on the train splits: benchmarks/bench_correct_cv.py)
DIGIT_GLYPHS = {"I": "1", "l": "1", "i": "1", "|": "1", "!": "1", "O": "0", "G": "6", "C": "6", "fi": "6",
                "S": "5", "Z": "2", "B": "8", "J": "½", "j": "½"}
# a unit's look-alikes: the s of shillings read as a (on held-out train output: 21 such edits, 16 characters of
# error removed; wrong ones: a lot of land in acres, ``1a. 1r.``, and pence, ``5s 6a costs``)
UNIT_GLYPHS = {"a": "s"}
_GLYPH = "fi|[0-9" + "".join(re.escape(k) for k in DIGIT_GLYPHS if len(k) == 1) + "]"
# a sum: leading marks, the number part (1-3 glyphs), s(hillings) or d (pence), trailing marks; no part holds
# white space (a sum is one chunk of CHUNK_RE)
_MONEY = rf"([^\w|!\s]*)((?:{_GLYPH}){{1,3}})([sd{''.join(UNIT_GLYPHS)}])([^\w½\s]*)"
MONEY_RE = re.compile(rf"^{_MONEY}$")  # a chunk that is a sum
# the chunks of a text that are sums (those MONEY_RE matches, the same groups), found in one scan of the text:
# the same pattern from a chunk's start to its end, or to a dash right after the sum's stop ("Half-price,
# ls.—At toy": a line's last sum, its dash joined to the next line's first word)
_MONEY_CHUNK_RE = re.compile(rf"(?<!\S){_MONEY}(?:(?!\S)|(?<=\.)(?=[-–—]\w))")
VALUE_RE = re.compile(r"^(?:[1-9]\d{0,2}½?|½|0)$")
# an ordinal's digit look-alikes: one at most in a number, and none that may stand for two digits (B for 6 or 8, C for
# 0 or 6: on the train splits "2Bth" was 26th, "3Cth" 30th; "2lith", two look-alikes, was 26th)
ORDINAL_GLYPHS = {"I": "1", "l": "1", "i": "1", "|": "1", "!": "1", "O": "0", "o": "0", "S": "5", "G": "6", "Z": "2"}
_ORDINAL_GLYPH = "[" + "".join(map(re.escape, ORDINAL_GLYPHS)) + "]"
# an ordinal: the number part (digits, at most one of them a look-alike; VALUE_RE keeps 1-3), its English ending,
# the marks around it
_ORDINAL_CHUNK_RE = re.compile(rf"(?<!\S)([^\w\s]*)(\d{{0,2}}{_ORDINAL_GLYPH}?\d{{0,2}})(st|nd|rd|th|ST|ND|RD|TH)"
                                rf"([^\w\s]*)(?!\S)")
AMOUNT_RE = re.compile(r"^£?[\d½¼¾]+[sd]?$")  # a number or a sum, as printed right
CORE_RE = re.compile(r"^[^\w£½¼¾]*(.*?)[^\w½¼¾]*$")
LINKS = frozenset({"to", "and", "or"})  # "Is. to Is. 6d."
# words that announce or follow a price: "price Is.", "Admission, Is.", "at Is. each" (on the train
# splits: 9 sums right, 2 wrong beyond those that sums beside them find); one before it may end a compound
# ("Half-price, ls.", a theatre's bill on the Liverpool Standard, was "Half-price, is.")
PRICE_BEFORE = frozenset({"price", "admission", "admittance", "at", "for"})
PRICE_AFTER = frozenset({"each", "per"})
ETC_RE = re.compile(r"^([^\w&]*)([^\W_]{2,3})([.,].*)$")
ETC_AFTER = (",", ".")  # "&c." closes a list, of items after commas or (in advertisements) stops
# a chunk after a chunk that ends with one of ETC_AFTER (its group 1), found in one scan of the text
_AFTER_STOP_RE = re.compile("(?:" + "|".join(map(re.escape, ETC_AFTER)) + rf")(?=\s+({CHUNK_RE.pattern}))")


def _core(chunk: str) -> str:
    return CORE_RE.match(chunk).group(1)


def money_edits(text: str, frequent) -> list[tuple[int, int, str, str]]:
    """[(start, end, before, after)] that turn misread sums of money into sums.

    ``frequent(word)``: is this lower-case word a frequent word? Such a word (``is``) is read as a
    sum only with a full stop after it (``is.``), the mark of an abbreviation.
    """
    # (speed: the chunks MONEY_RE matches are found in one scan, the text split into its chunks only where one of
    # them is a candidate; a candidate is then known by its chunk's place, as before)
    cand: dict[int, tuple] = {}  # start of the chunk -> (end of the sum, the sum) (then: its chunk's index -> ..)
    for m in _MONEY_CHUNK_RE.finditer(text):
        lead, num, unit, trail = m.groups()
        if unit in UNIT_GLYPHS:
            if not any(ch.isdigit() for ch in num):
                continue  # "Ilia", "la": a word, or too little of a sum
            unit = UNIT_GLYPHS[unit]
        elif num.isdigit():
            continue  # printed right
        word = num + unit
        if word.islower() and not trail.startswith(".") and frequent(word):
            continue
        value = re.sub(_GLYPH, lambda g: DIGIT_GLYPHS.get(g.group(), g.group()), num)
        if VALUE_RE.match(value):
            cand[m.start()] = (m.end(), lead + value + unit + trail)
    if not cand:
        return []
    chunks = list(CHUNK_RE.finditer(text))
    index = {m.start(): k for k, m in enumerate(chunks)}
    cand = {index[at]: new for at, new in cand.items()}

    def amount(j: int) -> bool:
        return 0 <= j < len(chunks) and (j in cand or AMOUNT_RE.match(_core(chunks[j].group())) is not None)

    def word(j: int) -> str:
        return _core(chunks[j].group()).lower() if 0 <= j < len(chunks) else ""

    out = []
    for k, (end, new) in cand.items():
        ok = any(amount(k + d) or (word(k + d) in LINKS and amount(k + 2 * d)) for d in (-1, 1)) \
            or word(k - 1).rpartition("-")[2] in PRICE_BEFORE or word(k + 1) in PRICE_AFTER
        if ok:
            start = chunks[k].start()
            out.append((start, end, text[start:end], new))
    return out


def ordinal_ending(n: int) -> str:
    """The English ordinal ending of n: 1st, 2nd, 3rd, 4th, 11th-13th, 21st."""
    return "th" if n % 100 in (11, 12, 13) else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")


def ordinal_edits(text: str) -> list[tuple[int, int, str, str]]:
    """[(start, end, before, after)] that turn ordinals whose digits were misread as letters (``2lst``, ``i8th``)
    into ordinals: the number holds a digit as printed, and its ending agrees with the value it reads as."""
    out = []
    for m in _ORDINAL_CHUNK_RE.finditer(text):
        lead, num, end, trail = m.groups()
        if num.isdigit() or not any(ch.isdigit() for ch in num):
            continue  # printed right, or no number at all ("loth")
        value = "".join(ORDINAL_GLYPHS.get(ch, ch) for ch in num)
        if VALUE_RE.match(value) and ordinal_ending(int(value)) == end.lower():  # (1-3 digits, no leading 0)
            out.append((m.start(), m.end(), m.group(), lead + value + end + trail))
    return out


def etc_edits(text: str, forms) -> list[tuple[int, int, str, str]]:
    """[(start, end, before, after)] that turn learned misreadings of ``&c.`` after a comma or a stop
    into ``&c.``."""
    out = []
    # (speed: the chunks after a chunk that ends with a comma or a stop, found in one scan of the text)
    for m in _AFTER_STOP_RE.finditer(text):
        chunk = m.group(1)
        mm = ETC_RE.match(chunk)
        if mm is not None and mm.group(2).lower() in forms:
            out.append((m.start(1), m.end(1), chunk, mm.group(1) + "&c" + mm.group(3)))
    return out
