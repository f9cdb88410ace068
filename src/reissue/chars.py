"""Character classes used by more than one module, defined once.

Extend this module rather than redefining a class elsewhere.
"""

from __future__ import annotations

import re
import unicodedata

# Characters an XML 1.0 document cannot hold at all (C0 controls other than tab, LF and CR; lone
# surrogates; U+FFFE and U+FFFF), plus the other Unicode noncharacters, which XML allows but
# discourages and many tools reject. Exports write them safely (see reissue.export) and record them.
XML_UNSAFE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff"
    "\U0001fffe\U0001ffff\U0002fffe\U0002ffff\U0003fffe\U0003ffff\U0004fffe\U0004ffff"
    "\U0005fffe\U0005ffff\U0006fffe\U0006ffff\U0007fffe\U0007ffff\U0008fffe\U0008ffff"
    "\U0009fffe\U0009ffff\U000afffe\U000affff\U000bfffe\U000bffff\U000cfffe\U000cffff"
    "\U000dfffe\U000dffff\U000efffe\U000effff\U000ffffe\U000fffff\U0010fffe\U0010ffff]")

# XML_UNSAFE's characters of the BMP, and every character above it: a superset of XML_UNSAFE that the
# regex engine tests much faster (a class of BMP characters is a bitmap; astral members make it a list)
_XML_UNSAFE_OR_ASTRAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff"
                                   "\U00010000-\U0010ffff]")


def has_xml_unsafe(text: str) -> bool:
    """``bool(XML_UNSAFE.search(text))``, several times faster on text without astral characters."""
    return _XML_UNSAFE_OR_ASTRAL.search(text) is not None and XML_UNSAFE.search(text) is not None


_ASCII_LETTERS = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


def count_letters(text: str) -> int:
    """``sum(map(str.isalpha, text))``: in ASCII text, its letters are A-Z and a-z (deleted in C)."""
    if text.isascii():
        b = text.encode("ascii")
        return len(b) - len(b.translate(None, _ASCII_LETTERS))
    return sum(map(str.isalpha, text))


# lone surrogates: no UTF-8 file can hold them (undecodable file names, some codecs)
SURROGATE = re.compile("[\ud800-\udfff]")

# A line ftfy might change when it repairs only encoding errors (reissue.ingest.mojibake's settings):
# one of the characters that alone, beside ASCII, make ftfy's badness pattern match (the C1 controls,
# the ligature œ, and the Ã and Â of UTF-8 read as Latin-1), a lone surrogate, or two non-ASCII
# characters in a row (every other alternative of the pattern needs two). A line without any of these
# is left exactly as it is by ftfy, which is then not imported (tests/test_ingest.py derives both
# facts from the installed ftfy's pattern)
MOJIBAKE_SINGLES = "".join(map(chr, range(0x80, 0xA0))) + "ŒœÃÂ"
MOJIBAKE_SUSPECT = re.compile("[" + MOJIBAKE_SINGLES + "\ud800-\udfff]|[^\x00-\x7f]{2}")

_C0_NAMES = ("NULL", "START OF HEADING", "START OF TEXT", "END OF TEXT", "END OF TRANSMISSION", "ENQUIRY",
             "ACKNOWLEDGE", "BELL", "BACKSPACE", "CHARACTER TABULATION", "LINE FEED", "LINE TABULATION",
             "FORM FEED", "CARRIAGE RETURN", "SHIFT OUT", "SHIFT IN", "DATA LINK ESCAPE",
             "DEVICE CONTROL ONE", "DEVICE CONTROL TWO", "DEVICE CONTROL THREE", "DEVICE CONTROL FOUR",
             "NEGATIVE ACKNOWLEDGE", "SYNCHRONOUS IDLE", "END OF TRANSMISSION BLOCK", "CANCEL",
             "END OF MEDIUM", "SUBSTITUTE", "ESCAPE", "INFORMATION SEPARATOR FOUR",
             "INFORMATION SEPARATOR THREE", "INFORMATION SEPARATOR TWO", "INFORMATION SEPARATOR ONE")


def codepoint(ch: str) -> str:
    """'U+0002'."""
    return f"U+{ord(ch):04X}"


def char_name(ch: str) -> str:
    """Unicode name, also for controls, surrogates and noncharacters (which have none)."""
    o = ord(ch)
    if o < 32:
        return _C0_NAMES[o]
    if 0xD800 <= o <= 0xDFFF:
        return "LONE SURROGATE"
    return unicodedata.name(ch, "NONCHARACTER" if (o & 0xFFFE) == 0xFFFE or 0xFDD0 <= o <= 0xFDEF else
                            "UNNAMED CHARACTER")


def escape_unsafe(text: str) -> str:
    """``text`` with every XML-unsafe character written as ``\\uXXXX`` (``\\UXXXXXXXX`` above BMP)."""
    if not has_xml_unsafe(text):
        return text
    return XML_UNSAFE.sub(lambda m: (f"\\u{ord(m.group()):04x}" if ord(m.group()) < 0x10000
                                     else f"\\U{ord(m.group()):08x}"), text)


def without_surrogates(text: str) -> str:
    """``text`` with lone surrogates replaced by U+FFFD (what a UTF-8 text file can hold)."""
    return SURROGATE.sub("\ufffd", text)
# Line-end hyphens in every format: hyphen-minus, en dash, hyphen, non-breaking hyphen, not sign,
# middle dot, soft hyphen, and the double oblique hyphen U+2E17 '⸗' and '=' of Fraktur prints
# (Transkribus, OCR-D ground truth).
LINE_END_HYPHENS = "-–‐‑¬·\u00ad\u2e17="
# the em dash, which German prints also set at a line end inside a word (elsewhere it is a dash)
LINE_END_DASH = "—"
# hyphens that bind a token to the word beside it (peut-il, a word broken at a line end): hyphen-minus, the
# hyphen, the not sign of the ground truths' line breaks
WORD_HYPHENS = "-\u2010\u00ac"
# the hyphen and the non-breaking hyphen: unlike the hyphen-minus, the corrector's tokens keep them inside a word
# ("corner\u2010stone"), and an edit leaves them as printed (correct/guards.py mark_lost)
INWORD_HYPHENS = "\u2010\u2011"

_LINE_END_RES: dict[tuple[str, bool, bool], re.Pattern] = {}


def line_end_hyphen_re(marks: str = LINE_END_HYPHENS, *, words: bool = False, word_start: bool = False) -> re.Pattern:
    """A word hyphenated over a line end: a letter, one of ``marks``, white space holding the line
    break, a letter (groups 1 and 2: the two letters). The one definition every module uses.
    ``words``: the same, with the whole halves and the white space as groups 1, 3 and 2; with ``word_start``
    too, a match begins only where a word does (no letter before it): what ``sub`` over a whole text finds all
    the same (a match from inside a word has one from the word's start), without trying the pattern at every
    letter of every word. (Not for a search from a place inside a word: ``word_start`` finds nothing there.)"""
    key = (marks, words, word_start)
    got = _LINE_END_RES.get(key)
    if got is None:
        L = "[^\\W\\d_]+" if words else "[^\\W\\d_]"
        gap = "(\\s*\\n\\s*)" if words else "\\s*\\n\\s*"
        start = "(?<![^\\W\\d_])" if words and word_start else ""
        got = _LINE_END_RES[key] = re.compile(f"{start}({L})[{re.escape(marks)}]{gap}({L})")
    return got

# Punctuation that a format may store as its own word (ALTO <String>, PAGE <Word>): it attaches to
# the word before it (closing) or after it (opening) when the file gives no space between them.
# the apostrophe and the right single quotation mark written for it
APOSTROPHES = "'\u2019"
ATTACH_LEFT = ".,;:!?)]}»›”’%\u2019"
ATTACH_RIGHT = "([{«‹„“‚‘\u201e"

# The end of a sentence: its stop, and the closing quotation marks and brackets printed after the stop
# ('end."', 'end.)'). Reflow's and the notes stage's sentence ends and a heading's terminal punctuation
# are made of these (reissue.reflow.SENT_END, reissue.notes.SENT_END, reissue.headings.TERMINAL).
SENTENCE_STOPS = ".!?"
AFTER_STOP = "\"'”’)]"


def stop_class(extra: str = "") -> str:
    """A regular-expression class of the sentence stops (and ``extra``)."""
    return "[" + re.escape(SENTENCE_STOPS + extra) + "]"


def after_stop_class(extra: str = "") -> str:
    """A regular-expression class of the marks printed after a stop (and ``extra``)."""
    return "[" + re.escape(AFTER_STOP + extra) + "]"


# French: the first letters of a word that takes an elided article or pronoun (l'heure, d'une, s'écouler)
ELISION_INITIALS = "aeiouyhàâæéèêëîïôœùûü"


# Quotation marks, straight and curly, opening and closing (a heading wrapped in them is a quotation).
QUOTE_MARKS = "\"'“”‘’„‚«»‹›"

# Marks that OCR makes of dirt and ornaments beside a word and that no edition prints glued to a word
# (in the English train splits: 570 in the OCR, 6 in the ground truth). An edit of the word they touch
# takes them away with it (``thli^`` -> ``this``, not ``this^``); a word left as printed keeps them.
STRAY_MARKS = "^•■▪¦|~\\_¡¿▼♦►✓"
# marks a misread letter may leave between a word's letters ("ar.d" for "and": correct/tokens.inner_mark_word)
INNER_MARKS = ".,:;"

# Bullets and squares: what OCR makes of specks standing beside or between words, and no word's letter
# (correct/marks.py deletes them there). Not the ornaments print sets between items on purpose (``demain ♦♦
# A l'Apollo``, ``29. Okt. □ Das Budget``), which the French and German ground truths keep.
BULLET_MARKS = "•■▪"

# Typographic ligatures and the long s: kept in the raw text, optionally normalised for reading
# (``--normalize ligatures`` uses LIGATURES, ``historical`` also LONG_S).
LIGATURES = {"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl",
             "\ufb05": "\u017ft", "\ufb06": "st", "\ua733": "aa", "\u0133": "ij", "\u0132": "IJ"}
LONG_S_CHAR = "\u017f"  # the long s of old prints (ſ); the lexicons write it s
LONG_S = {LONG_S_CHAR: "s"}

# ``--normalize historical`` also writes the combining small e above (U+0364) of Fraktur umlauts as
# the modern umlaut (aͤ -> ä)
HISTORICAL = {**LONG_S, "a\u0364": "ä", "o\u0364": "ö", "u\u0364": "ü", "A\u0364": "Ä", "O\u0364": "Ö",
              "U\u0364": "Ü"}
