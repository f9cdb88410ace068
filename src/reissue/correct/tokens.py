"""Tokens of the corrector and the corrections it makes: the words of a text with their offsets
(line-break hyphenated words joined), and how a list of corrections is applied or widened to words.

Languages differ in what a word is: French and German split at apostrophes (``l'homme`` is the
two words ``l`` and ``homme``), English keeps them inside a word (``don't``). ``split_apostrophes``
says which (see ``languages.py``).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from rapidfuzz.distance import Levenshtein

from ..chars import INNER_MARKS, LINE_END_HYPHENS, line_end_hyphen_re

CHUNK_RE = re.compile(r"\S+")
STRIP_RE = re.compile(r"[\W_]*(.*?)[\W_]*$", re.S)  # group 1: a chunk without leading / trailing non-alphanumerics
PART_RE = re.compile(r"[^-–—]+")
LINE_HYPHENS = LINE_END_HYPHENS  # (the name this module exported before; reissue.chars defines it)
NUMBERISH_RE = re.compile(r"^\d+([.,]\d+)*(st|nd|rd|th|s|d|l|[.]|/-)?$", re.I)
WORD_RE = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
LINE_HYPHEN_RE = line_end_hyphen_re(LINE_HYPHENS)
ELISION_RE = re.compile(r"^([^\W\d_]+)['’]([^\W_].*)$", re.S)
SENT_END = ".!?:;\"”)"
# a Scottish or Irish surname with a capital after its prefix (McLaughlin, MacDonald, FitzGerald): group 1
# is the prefix. Only these: a capital inside other words is mostly a misread letter (German Fraktur OCR
# prints "AuSstellung" for "Ausstellung"), and French "De", "La", "Le" begin words and names alike
INNER_CAPITAL_RE = re.compile(r"(Mc|Mac|Fitz)[A-Z][^\W\d_A-Z]+")


# the words of one letter (lower-cased); any other single letter standing alone is a fragment
ONE_LETTER_WORDS = ("a", "i")


def stands_alone(w: str, one_letter=ONE_LETTER_WORDS) -> bool:
    """May the lower-cased w be a word on its own: more than one letter, or one of the language's words of one
    letter (``one_letter``, languages.py ``one_letter_words``; English ``a`` and ``I``)?"""
    return len(w) > 1 or w in one_letter


INNER_MARKS_RE = re.compile(f"[{re.escape(INNER_MARKS)}]")
_INNER_MARK_WORD_RE = re.compile(rf"([^\W\d_]+){INNER_MARKS_RE.pattern}([^\W\d_]+)")


def inner_mark_word(f: str) -> bool:
    """Is the token f (as printed) letters with one stop, comma, colon or semicolon between them that may be a
    misread letter ("ar.d", "or.ly", "Ber.tinck")? Lower case after the mark (not "St.John", "U.S"), three letters
    or more and no two single letters (not the abbreviations "i.e", "e.g", "a.m")."""
    m = _INNER_MARK_WORD_RE.fullmatch(f)
    if m is None or not m.group(2).islower():
        return False
    a, b = len(m.group(1)), len(m.group(2))
    return a + b >= 3 and max(a, b) >= 2


def renumbered(o: str, c: str) -> bool:
    """Would the candidate c make the printed figure o another number? No model of text can tell which
    number was printed (``6`` -> ``5``, ``arr. 0 h. 4`` -> ``9 h.``): a figure may become a word, never
    another number (singles.py, contextwords.py)."""
    return any(ch.isdigit() for ch in o) and any(ch.isdigit() for ch in c)


def in_order(out: list, more: list) -> list:
    """The corrections out (in order) and more, in order of place; out itself when there are no more (the
    passes after the decoder add their edits so)."""
    return sorted(out + more, key=lambda c: (c.start, c.end)) if more else out


def touches(spans, start: int, end: int) -> bool:
    """Whether an edit of one of spans ((start, end) pairs) overlaps text[start:end], or inserts at a
    place inside it or on its edges (the passes after the decoder leave such tokens alone)."""
    return any(s < end and start < e or s == e and start <= s <= end for s, e in spans)


@dataclass
class Correction:
    start: int  # offsets into the corrected text
    end: int
    before: str
    after: str
    confidence: float
    rule: str


@dataclass
class _Tok:
    form: str  # original-case analysis form (line-break hyphen removed)
    offs: list  # text offset of each form character (never changed after)
    sent_start: bool
    joined: bool  # spans a line-break hyphen
    # the offsets of its first character and after its last, made once (properties made a call of each of the
    # corrector's hundred thousand reads of them in a split)
    start: int = field(init=False, repr=False, compare=False)
    end: int = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        # (a token has at least one character: the tokenizer makes no empty one, and an empty one is an error here,
        # not an unset start or end found later)
        self.start = self.offs[0]
        self.end = self.offs[-1] + 1


_line_hyphen_re = line_end_hyphen_re



def split_elision(w: str, elisions) -> list[str]:
    """``l'homme`` -> [``l``, ``homme``] when ``l`` is one of the language's elisions (lower case);
    other words (``aujourd'hui``) stay whole."""
    if elisions:
        m = ELISION_RE.match(w)
        if m is not None and m.group(1).lower() in elisions:
            return [m.group(1)] + split_elision(m.group(2), elisions)
    return [w]


def words_of(text: str, elisions=()) -> list[str]:
    """The words of a text (runs of letters and digits, apostrophes inside; elisions split off)."""
    found = WORD_RE.findall(text)
    if not elisions:
        return found
    return [x for w in found for x in split_elision(w, elisions)]


def document_vocabulary(texts, line_hyphens: str = LINE_HYPHENS, elisions=()) -> Counter:
    c: Counter = Counter()
    lh = _line_hyphen_re(line_hyphens)
    for t in texts:
        t = lh.sub(r"\1\2", t)
        c.update(w.lower().replace("’", "'") for w in words_of(t, elisions))
    return c


def tokenize(text: str, line_hyphens: str = LINE_HYPHENS, elisions=(), dash_words_stripped: bool = True) -> list[_Tok]:
    """Word tokens of text with their offsets; line-break hyphenated words (a mark of line_hyphens at
    the end of a line) are joined; elisions split off (``l'homme``: ``l``, ``homme``); the words of a chunk
    between dashes without the punctuation at their ends (``diture.-Mr.``: ``diture``, ``Mr``), unless
    ``dash_words_stripped`` is off (``languages.py``)."""
    toks: list[_Tok] = []
    chunks = list(CHUNK_RE.finditer(text))
    sent_start = True
    pending: _Tok | None = None  # first half of a line-break hyphenated word
    for ci, m in enumerate(chunks):
        s, e = m.start(), m.end()
        chunk = m.group()
        if chunk.isalnum():  # (speed: most chunks are one part with nothing to strip - \w is isalnum and _)
            a, parts, hyphen_end = 0, [(s, e)], False
        else:
            # strip leading / trailing non-alphanumerics
            core = STRIP_RE.match(chunk)
            a, b = core.start(1), core.end(1)
            if a >= b:
                if pending is not None:
                    toks.append(pending)
                    pending = None
                if chunk and chunk[-1] in SENT_END:
                    sent_start = True
                continue
            parts = _parts(chunk, s, a, b, dash_words_stripped)
            if elisions and ("'" in chunk or "’" in chunk):
                parts = [q for ps, pe in parts for q in _elision_parts(text, ps, pe, elisions)]
            hyphen_end = (b < len(chunk) and chunk[b] in line_hyphens and b + 1 == len(chunk)
                          and ci + 1 < len(chunks) and "\n" in text[e:chunks[ci + 1].start()])
        for k, (ps, pe) in enumerate(parts):
            form = text[ps:pe]
            offs = range(ps, pe)
            if k == 0 and pending is not None:
                if a == 0:
                    pending = _Tok(pending.form + form, list(pending.offs) + list(offs), pending.sent_start, True)
                    form, offs = pending.form, pending.offs
                    if k == len(parts) - 1 and hyphen_end:
                        continue  # keep joining (rare: three-line word)
                    toks.append(pending)
                    pending = None
                    continue
                toks.append(pending)
                pending = None
            # a part after a stop and a dash begins a sentence ("part.-The meeting")
            starts = sent_start if k == 0 else any(ch in SENT_END for ch in text[parts[k - 1][1]:ps])
            tok = _Tok(form, offs, starts, False)
            if k == len(parts) - 1 and hyphen_end:
                pending = tok
            else:
                toks.append(tok)
        sent_start = chunk[-1] in SENT_END
    if pending is not None:
        toks.append(pending)
    return toks


def _parts(chunk: str, s: int, a: int, b: int, stripped: bool = True) -> list[tuple[int, int]]:
    """(start, end) in the text of the words of a chunk of text that starts at s, its letters and digits
    from a to b: the pieces between its dashes ("mid-line", "part.-The"), with stripped each without the
    punctuation at its ends, as a chunk is ("diture.-Mr." has the words "diture" and "Mr")."""
    out = []
    for pm in PART_RE.finditer(chunk, a, b):
        ps, pe = pm.start(), pm.end()
        if stripped and not (chunk[ps].isalnum() and chunk[pe - 1].isalnum()):
            core = STRIP_RE.match(chunk[ps:pe])
            ps, pe = ps + core.start(1), ps + core.end(1)
            if ps >= pe:
                continue
        out.append((s + ps, s + pe))
    return out


def _elision_parts(text: str, ps: int, pe: int, elisions) -> list[tuple[int, int]]:
    """(start, end) of the words of text[ps:pe] once its elisions are split off."""
    out = []
    for w in split_elision(text[ps:pe], elisions):
        k = text.index(w, ps, pe)
        out.append((k, k + len(w)))
        ps = k + len(w)
    return out


def _all_caps(f: str) -> bool:
    return len(f) >= 2 and f.isalpha() and f.isupper()


def _caps_runs(toks: list[_Tok], eligible: list[bool], check) -> None:
    """Make the short all-capital words of capitals runs eligible (in place): a word in capitals
    between words in capitals is set in capitals, not an abbreviation. A run needs three such
    words in a row, so "the BBC and ITV" keeps its abbreviations."""
    n = len(toks)
    caps = [_all_caps(t.form) for t in toks]
    for i in range(n):
        if eligible[i] or not caps[i] or len(toks[i].form) > 4:
            continue
        run = (i >= 2 and caps[i - 1] and caps[i - 2]) or (0 < i < n - 1 and caps[i - 1] and caps[i + 1]) \
            or (i + 2 < n and caps[i + 1] and caps[i + 2])
        if run:
            eligible[i] = check(toks[i], toks[i].form.lower(), True)


def _word_pair(text: str, a: _Tok, b: _Tok, lo_a: str, lo_b: str) -> bool:
    """Two tokens of letters one space apart, the second no capitalised word (a name starts there)."""
    return (text[a.end:b.start] == " " and lo_a.isalpha() and lo_b.isalpha()
            and not (b.form[:1].isupper() and not b.form.isupper()))


# the code of a pair of tokens (engine.Corrector's flags) that are halves joined by a hyphen in mid-line that
# stays (merges.py: hyphen_kept_lp); 1: two words one space apart, 2: halves joined by a hyphen
HYPHEN_KEPT = 3


def _hyphen_pair(text: str, a: _Tok, b: _Tok, lo_a: str, lo_b: str) -> bool:
    """Two tokens of letters joined by a hyphen in mid-line (``inclu-sive``), neither joined across a
    line break: maybe the hyphen of a line break the text no longer has (the caller also asks that
    one half be no word)."""
    return text[a.end:b.start] == "-" and lo_a.isalpha() and lo_b.isalpha() and not a.joined and not b.joined


def _apply_case(orig: str, new: str) -> str:
    if " " in new and " " not in orig and new.replace(" ", "").lower() == orig.lower():
        # a split keeps every printed letter as printed ('statesBritish' -> 'states British',
        # 'InMeath' -> 'In Meath'): it never lower-cases
        return split_case_kept(orig, new)
    letters = [ch for ch in orig if ch.isalpha()]
    if len(letters) >= 2 and sum(ch.isupper() for ch in letters) >= 0.6 * len(letters):
        return new.upper()
    if letters and orig[0].isupper():
        return new[:1].upper() + new[1:]
    if letters and letters[0].isupper() and not orig[0].isalpha():
        return new[:1].upper() + new[1:]
    return new


def inner_capital_kept(orig: str, new: str) -> str:
    """new (orig corrected, its case applied) with the capital inside a Scottish or Irish surname kept
    where the correction leaves that part as printed ('McLaughlln' -> 'McLaughlin', not 'Mclaughlin'),
    and the capital of a word whose correction drops a stray small letter printed before it
    ('iDublin' -> 'Dublin', 'lAdvt' -> 'Advt', not 'dublin')."""
    inner = INNER_CAPITAL_RE.fullmatch(orig)
    if inner:
        k = len(inner.group(1))
        if new[:k + 1].lower() == orig[:k + 1].lower():
            return orig[:k + 1] + new[k + 1:]
    if len(orig) > 2 and orig[0].islower() and orig[1].isupper() and orig[2].islower() and new[:1].islower() \
            and new[:2] == orig[1:3].lower() and orig[0] != new[0]:  # ("uUnd", "zZu": a doubled letter, German DTA)
        return new[0].upper() + new[1:]
    return new


def split_case_kept(orig: str, new: str) -> str:
    """new (orig corrected into two or more words, its case applied) with every printed letter it keeps in
    its printed case and every letter it replaces in the case of the one printed there: a split never
    lower-cases, also where it corrects a letter too ('streerEast' -> 'street East', not 'street east')."""
    if " " not in new or " " in orig:
        return new
    flat = new.replace(" ", "")
    printed: list[str | None] = [None] * len(flat)  # the printed character each letter of new stands for
    for op in Levenshtein.opcodes(orig.lower(), flat.lower()):
        if op.tag in ("equal", "replace"):
            for k in range(min(op.src_end - op.src_start, op.dest_end - op.dest_start)):
                printed[op.dest_start + k] = orig[op.src_start + k]
    out, k = [], 0
    for ch in new:
        if ch != " ":
            was = printed[k]
            k += 1
            if was is not None and was.isalpha():
                ch = ch.upper() if was.isupper() else ch.lower()
        out.append(ch)
    return "".join(out)


def _common_affixes(a: str, b: str) -> tuple[int, int]:
    """Lengths of the common prefix and of the common suffix (not overlapping it) of a and b."""
    p = 0
    while p < len(a) and p < len(b) and a[p] == b[p]:
        p += 1
    q = 0
    while q < len(a) - p and q < len(b) - p and a[-1 - q] == b[-1 - q]:
        q += 1
    return p, q


def _diff_key(a: str, b: str) -> tuple[str, str]:
    """(a part, b part) that differ once the common prefix and suffix are removed."""
    p, q = _common_affixes(a, b)
    return a[p:len(a) - q], b[p:len(b) - q]


MARK_RULE = "mark:"  # the rule of the stray marks' deletions (marks.py) begins so: "mark:<fix>"


def whole_words(text: str, corrs: list[Correction]) -> list[Correction]:
    """The same corrections widened to whole words (``hut -> but``, not ``h -> b``), so that edit
    lists and TEI ``<sic>``/``<corr>`` read as words; a mark's deletion stays as it is. Applying them gives
    the same text."""
    out = []
    for c in corrs:
        if c.rule.startswith(MARK_RULE) and not c.after:
            out.append(c)  # a mark's deletion (marks.py) is no word's edit: ``la ■ main``, `` •`` alone
            continue
        a, b = c.start, c.end
        while a > 0 and (text[a - 1].isalnum() or text[a - 1] in "'’"):
            a -= 1
        while b < len(text) and (text[b].isalnum() or text[b] in "'’"):
            b += 1
        out.append(Correction(a, b, text[a:b], text[a:c.start] + c.after + text[c.end:b], c.confidence, c.rule))
    return out


def apply_corrections(text: str, corrs: list[Correction]) -> str:
    parts = []
    pos = 0
    for c in sorted(corrs, key=lambda c: (c.start, c.end)):
        if c.start < pos:
            continue
        parts.append(text[pos:c.start])
        parts.append(c.after)
        pos = c.end
    parts.append(text[pos:])
    return "".join(parts)


def one_to_one(a: list[str], b: list[str]) -> list[tuple[int, int]]:
    """The places (i, j) of the words a[i] and b[j] aligned one to one (rapidfuzz's opcodes of the two word lists:
    equal, or replaced in runs of the same length), in order: how training reads an OCR text against its ground
    truth word by word."""
    return [(a0 + k, b0 + k) for tag, a0, a1, b0, b1 in Levenshtein.opcodes(a, b).as_list()
            if tag in ("equal", "replace") and a1 - a0 == b1 - b0 for k in range(a1 - a0)]


def char_rules(o: str, g: str) -> list[tuple[str, str]]:
    """Merged non-equal blocks of the alignment of OCR word o to true word g: [(ocr_sub, gt_sub)]."""
    out = []
    s0 = -1  # the block being merged: o[s0:s1] -> g[d0:d1] (none while s0 < 0)
    for tag, a0, a1, b0, b1 in Levenshtein.opcodes(o, g).as_list():  # (tuples: cheaper than Opcode objects)
        if tag == "equal":
            if s0 >= 0:
                out.append((o[s0:s1], g[d0:d1]))
                s0 = -1
        elif s0 < 0:
            s0, s1, d0, d1 = a0, a1, b0, b1
        else:
            s1, d1 = a1, b1
    if s0 >= 0:
        out.append((o[s0:s1], g[d0:d1]))
    return out


def caps_word(w: str) -> bool:
    """A word printed in capitals (``HOLIDAYS``): capitals are misread otherwise (``B`` for ``E``)."""
    return len(w) > 1 and w.isupper()
