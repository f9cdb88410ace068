r"""Guards of the corrector's edits found on real pages (issue 14, no confident damage). Each is switched
on by a decoding parameter and refuses an edit the decoder and its vetter would make
(``engine.Corrector._guarded``); the vetter still learns from such proposals.

* marks around a word stay (``marks_stay``): a mark that begins a word (``(President``, ``'eopold``: the
  case of the letter an apostrophe may hide is unknown) is neither dropped nor turned into a letter, nor
  is an apostrophe that elides the last letters of a known word (``happen'd``, ``ne'er``); stray marks
  (chars.STRAY_MARKS) go with an edit as before. On held-out train the apostrophe edits refused removed 8
  characters of error fewer than they added, and added 26 to clean text. Nor is the punctuation that
  ends a word dropped when the edit changes nothing else: before a dash, where the word keeps it
  (``army:—``, ``laws!—``, ``told;-``: of 14 such edits of the 1832 Liverpool Standard 12 dropped printed
  punctuation, 2 junk); nor is a comma, stop or apostrophe between two common words dropped alone or read as a
  letter, which glues them into a rarer one (``words_glued``: ``we,are`` -> ``weare``, 1832 Liverpool Standard;
  ``day'on`` -> ``dayton``); nor is a hyphen U+2010 or U+2011 inside a word dropped or changed (``corner‐stone``,
  ``to‐day``: the tokenizer divides words at the hyphen-minus only, and a learned confusion dropped these);
* a word of three letters or more is not completed with two or more letters added at its end (``word_completed``:
  ``clos`` -> ``closing`` where ``close`` was printed, ``morn\ning`` -> ``morning\ning``): learned insertions of
  whole syllables came from words split in the training OCR; on held-out train all 15 such edits were worse;
* a word followed by a fragment of at most three lower-case letters that is no word a split would make
  (``themse ves``, printed ``them-\nse ves``: maybe the rest of the same word, a letter and a space lost)
  is never shortened (``rest_fragment_keeps``);
* a half of a word broken over a line end stays (``line_fragment_keeps``): hyphenated there and not
  joined (``Wai-\nlace``), or a word at a line end that makes a known word with the first word of the
  next line (``thou^.\nsand``, ``FUR\nNITURE``), or the first word of a line that does with the last of
  the line before; and a word whose correction only adds at its end two or more letters that begin
  the next word (after marks and a blank; in the word's case, no common word): ``communica. tion`` ->
  ``communication. tion``, where a reflowed paragraph lost the line break but kept the rest of the word;
* in a built edition (``stage.correct_document``, which corrects reflowed paragraphs: their line breaks
  are gone) a half of a word hyphenated over a line end that reflow left apart because marks stand
  between the hyphen and the other half (``Wai- {\nlace``, ``accom-,\nplished``, ``dedi-\n('-ated``) is
  left as printed (``hyphen_half``, read in the page's raw text; on by ``line_fragment_keeps``): alone
  it is no word, and its correction makes another word of it ("Was", "pushed", "donated");
* a half of a word split by a hyphen in mid-line whose halves joined are a known word (``per-manente``,
  ``ac-cepté``: a line-end hyphen the text kept when its lines were joined) stays (``mid_hyphen_keeps``):
  the printed halves read as a word, and an edit of one half alone makes another (``per-manence``,
  ``ac-cepter``). Merges, which weigh the halves together, are not refused.
"""

from __future__ import annotations

import re

from ..chars import APOSTROPHES, ATTACH_LEFT, INWORD_HYPHENS, LINE_END_HYPHENS, QUOTE_MARKS, STRAY_MARKS

_REST = re.compile(r" ([a-z]{1,3})(?![\w'’-])")


_CLOSING = ATTACH_LEFT + QUOTE_MARKS  # punctuation and quotes that end a word


def mark_lost(before: str, after: str, form: str, at: int, known: bool) -> bool:
    """Does replacing form[at:at + len(before)] by after drop or change the mark that begins the word (not
    a stray mark), drop nothing but the punctuation that ends it (``army:`` before a dash), or turn into a
    letter an apostrophe that, in a known word (``known``), elides its last letters (at most two follow
    it: "happen'd", "ne'er"; "distinct'y" is no word: its l was misread), or drop or change a hyphen printed
    inside the word (chars.INWORD_HYPHENS: "corner\u2010stone" -> "cornerstone")?"""
    if any(before.count(h) != after.count(h) for h in INWORD_HYPHENS):
        return True
    if at == 0 and before and not before[0].isalnum() and before[0] not in STRAY_MARKS:
        return True
    if not after and before and at + len(before) == len(form) and all(ch in _CLOSING for ch in before):
        return True  # "army:—" -> "army—": only the punctuation that ends the word dropped
    if not known or not any(ch in APOSTROPHES for ch in before) or not any(ch.isalpha() for ch in after):
        return False
    word = form.rstrip(".,;:!?")
    return any(ch in APOSTROPHES and len(word) - k - 1 <= 2 for k, ch in enumerate(before, at))


def words_glued(form: str, at: int, before: str, after: str, p, common: float) -> bool:
    """Does replacing form[at:at + len(before)] by after glue two common words (of two letters or more, word
    probability ``p(word)`` at least ``common``) into one word rarer than either, where only a comma or stop stood
    between them, dropped ("we,are" -> "weare", "in,the" -> "inthe"; not "sa,ul" -> "saul"), or an apostrophe,
    dropped or read as a letter ("day'on" -> "dayton")? The printed mark stands between two words: the ground truth
    most often has a space there."""
    if len(before) != 1 or not (before in ",.;:" and not after or before in APOSTROPHES and len(after) <= 1):
        return False
    left, right = form[:at].lower(), form[at + 1:].lower()
    if len(left) < 2 or len(right) < 2 or not left.isalpha() or not right.isalpha():
        return False
    least = min(p(left), p(right))
    return least >= common and p(left + after.lower() + right) < least


def word_dropped(form: str, new: str, p, common: float) -> bool:
    """Is new the token ``form`` less a common word (two letters or more, ``p(word)`` at least ``common``) at its
    start or end ("ofa" -> "a", "ofthe" -> "the")? Two words run together: the edit would delete one of them. The
    training alignment of such a token with the one word it kept makes real-word confusions of them."""
    lo, nw = form.lower(), new.lower()
    n = len(lo) - len(nw)
    if n < 2 or not nw:
        return False
    return lo.endswith(nw) and p(lo[:n]) >= common or lo.startswith(nw) and p(lo[len(nw):]) >= common


def word_completed(form: str, new: str) -> bool:
    """Does new only add two or more letters at the end of the word ``form`` of three letters or more
    (``morn`` -> ``morning``, ``Wednes`` -> ``Wednesday``, ``hav`` -> ``having``)? Letters the OCR never read are
    not invented: such a word is the half of a word split over a line whose rest is printed elsewhere, or is
    printed short."""
    return " " not in new and len(_letters(form)) >= 3 and _added_at_end(form, new) is not None


def line_fragment(text: str, start: int, end: int, known, hyphen: re.Pattern) -> bool:
    """Is the word text[start:end] a half of a word broken over a line end: hyphenated there (``hyphen``:
    chars.line_end_hyphen_re), or at a line end and with the first word of the next line (after marks)
    a known word (``known(w)``), or at a line start and so with the last word of the line before?"""
    # (a hyphenated half ending at start + 1 has white space before it: that asked first, most words have none)
    if end and hyphen.match(text, end - 1) or start and text[start - 1].isspace() \
            and (m := hyphen.search(text, max(0, start - 8), start + 1)) and m.end() == start + 1:
        return True
    m = _NEXT_LINE.match(text, end)
    if m is not None and known((_letters(text[start:end]) + m.group(1)).lower()):
        return True
    before = text[max(0, start - 40):start]
    # (_PREV_LINE ends at a line break and blanks: tested first, its search costs ten times more)
    m = _PREV_LINE.search(before) if before.rstrip(" \t").endswith("\n") else None
    return m is not None and known((m.group(1) + _letters(text[start:end])).lower())


def completed_by_next(text: str, end: int, form: str, new: str, common) -> bool:
    """Does turning the word ``form`` (ending at ``end``) into ``new`` only add two or more letters at its
    end that begin the next word, after at most three marks and blanks, written in the word's case and no
    common word (``common(w)`` false)? Then that word is the rest of a broken word (``communica. tion``),
    and the edit would print it twice."""
    if len(new) < len(form) + 2:
        return False  # (most edits: tested first, this runs for every one)
    added = _added_at_end(form, new)
    if added is None:
        return False  # (one letter added: "th" -> "the" before "e", a merge's business)
    m = _NEXT_WORD.match(text, end)
    if m is None or not (m.group(1).islower() or m.group(1).isupper() and form.isupper()):
        return False  # the rest of a word has its case ("th Em peror" is "the Emperor")
    return m.group(1).lower().startswith(added) and not common(m.group(1).lower())


def _added_at_end(form: str, new: str) -> str | None:
    """The letters (lower case) that new only adds at the end of the word form, two or more; else None (the marks
    around either aside: ``hav,`` -> ``having,`` adds ``ing``)."""
    lf, ln = _letters(form).lower(), _letters(new).lower()
    return ln[len(lf):] if len(ln) >= len(lf) + 2 and ln.startswith(lf) else None


def _letters(w: str) -> str:
    return "".join(ch for ch in w if ch.isalpha())


_NEXT_LINE = re.compile(r"[^\w\s]{0,3}[ \t]*\n[ \t]*([^\W\d_]+)")
_NEXT_WORD = re.compile(r"[^\w\s]{0,3}\s+([^\W\d_]+)")
_PREV_LINE = re.compile(r"([^\W\d_]+)[^\w\s]{0,3}[ \t]*\n[ \t]*\Z")


def rest_follows(text: str, end: int, common) -> bool:
    """Is the token ending at end followed, one space on, by a fragment of at most three lower-case
    letters that is no common word (``common(w)`` false: maybe the rest of the same word)?"""
    m = _REST.match(text, end)
    return m is not None and not common(m.group(1))


_HY = re.escape(LINE_END_HYPHENS)
# a line-end hyphen after a letter (not doubled: "--" is a dash), at most four marks or blanks, the line
# break, at most four marks or blanks: what stands between the halves of a hyphenated word
_HALF_BEFORE = re.compile(rf"[{_HY}](?![{_HY}])[^\w\n]{{0,4}}\n[^\w\n]{{0,4}}[^\W\d_]")
_HALF_AFTER = re.compile(rf"[^\W\d_][{_HY}](?![{_HY}])[^\w\n]{{0,4}}\n[^\w\n]{{0,4}}\Z")


def hyphen_half(raw: str, start: int, end: int) -> bool:
    r"""Is the word raw[start:end] of a page's raw text (its line breaks as printed) a half of a word
    hyphenated over a line end: ending in a letter followed by a line-end hyphen (chars.LINE_END_HYPHENS,
    not doubled), a line break and a letter, or beginning after such a hyphen and line break, with at
    most four marks or blanks on either side of the break (``Wai- {\nlace``, ``accom-,\nplished``)?"""
    if end < len(raw) and raw[end - 1:end].isalpha() and _HALF_BEFORE.match(raw, end):
        return True
    return _HALF_AFTER.search(raw, max(0, start - 14), start) is not None


_WORD_AFTER = re.compile(r"-([^\W\d_]+)(?![\w-])")
_WORD_BEFORE = re.compile(r"(?<![\w-])([^\W\d_]+)-\Z")


def mid_hyphen_half(text: str, start: int, end: int, known) -> bool:
    """Is the word text[start:end] one half of a word split by a hyphen in mid-line (one hyphen between
    letters, no other hyphen on either side: ``per-manente``, not ``Saint-Jean-de-Luz``) whose halves
    joined are a known word (``known(w)``, lower case)?"""
    word = text[start:end]
    if not word.isalpha():
        return False
    m = _WORD_AFTER.match(text, end)
    if m is not None and (start == 0 or text[start - 1] != "-") and known((word + m.group(1)).lower()):
        return True
    # (the half before ends in the hyphen at start - 1: asked first, the search tries every place of its window)
    m = _WORD_BEFORE.search(text, max(0, start - 40), start) if start and text[start - 1] == "-" else None
    return m is not None and (end == len(text) or text[end] != "-") and known((m.group(1) + word).lower())


def dirt_replaced(text: str, start: int, end: int, after: str) -> bool:
    """Does the edit put one letter in place of a mark of dirt (chars.STRAY_MARKS) printed between two
    letters of a word (``devasta~ion``)? No edition prints such a mark inside a word."""
    return (end - start == 1 and text[start] in STRAY_MARKS and len(after) == 1 and after.isalpha()
            and 0 < start and end < len(text) and text[start - 1].isalpha() and text[end].isalpha())
