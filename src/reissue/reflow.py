"""Reflow: lines become paragraphs, line-end hyphens are resolved, whitespace is normalised.

Works across page breaks: the body lines of all pages form one stream (furniture and notes
already taken out), so a paragraph, a sentence or a hyphenated word that runs over a page break
simply continues. Every join is an edit on the raw text:

* ``line-join`` / ``page-join``: a line break (with any trailing/leading blanks) became one space;
* ``hyphen-join``: a line-end hyphen and the break were removed (``phil·`` + ``anthropist``);
* ``hyphen-keep``: a real compound kept its hyphen, the break was removed (``fellow-`` + ``travelers``);
* ``dash-join``: a line ending in a dash joined without space;
* ``drop-cap``: a drop-cap letter alone on a line joined to its word or line;
* ``paragraph-break``, ``blank-line``, ``whitespace``: separators and blanks removed or normalised.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from .bylines import is_closing_name
from .chars import LIGATURES, LINE_END_HYPHENS, LONG_S, after_stop_class, stop_class
from .furniture import BYLINE, is_titlelike
from .headings import (HEADING_LINES, SAME_TYPE, continued_title, display_break, display_runs, display_type, line_size,
                       runs_on, type_break, type_sizes)
from .contracts import stage
from .model import Document, Line, Paragraph, TrackedText
from .ingest.common import line_layout

STAGE = "reflow"
HYPHENS = LINE_END_HYPHENS  # one class for every format (reissue.chars)
DASHES = ("—", "--", "―")
# a sentence ends in a stop and closing marks, or in a colon followed by one (reissue.chars)
SENT_END = re.compile(stop_class() + after_stop_class() + "*$|" + stop_class(":") + after_stop_class() + "+$")
WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*", re.UNICODE)
FIT_MARGIN = 0.97
COMPOUND = re.compile(r"\b([^\W\d_]+)-([^\W\d_]+)\b")  # a word-word compound printed mid-line
WS_RUN = re.compile(r"[ \t\u00a0\u2000-\u200b\u3000]{2,}|[\t\u00a0\u2000-\u200b\u3000]")


_LOOKUP = str.maketrans({**LIGATURES, **LONG_S})  # the lexicons spell ﬁ and ſ as fi and s


@lru_cache(maxsize=200_000)
def zipf(word: str, lang: str = "en") -> float:
    """wordfreq's Zipf frequency of ``word`` in ``lang`` (a language wordfreq lacks: English), from
    the word list shared with the corrector (reissue.wordfreqs)."""
    from . import wordfreqs

    if not wordfreqs.knows(lang):
        lang = "en"
    return wordfreqs.zipf(word.translate(_LOOKUP), lang)


class Lexicon:
    """Is this a word? wordfreq's lexicon of the page's language (``langs``: page -> ISO 639-1;
    English where unset) plus the document's own vocabulary."""

    def __init__(self, texts: list[str] = (), langs: dict | None = None):
        self.vocab: Counter = Counter()
        self.compounds: Counter = Counter()
        self.langs = langs or {}
        # the texts at once: no word or compound runs across a line break, so the matches in the joined
        # text are those of each text in turn (the same counts, the keys in the same order)
        self.add("\n".join(texts))

    def add(self, text: str) -> None:
        # Counter.update counts in C (the same counts, keys in the same order as one += 1 per match)
        self.vocab.update(map(str.lower, WORD.findall(text)))
        self.compounds.update((a + "-" + b).lower() for a, b in COMPOUND.findall(text))

    def lang_of(self, page: int) -> str:
        return self.langs.get(page) or "en"

    def score(self, word: str, lang: str = "en") -> float:
        """How much ``word`` is a word of ``lang`` (the page's language: ``lang_of``)."""
        w = word.lower()
        return max(zipf(w, lang), 3.0 if self.vocab[w] >= 1 else 0.0)


def document_lexicon(doc: Document, langs: dict | None = None) -> Lexicon:
    """The Lexicon of the document's body and note lines, page by page (the notes stage and reflow
    each read one). When every such line reads as it did for the last one made for ``doc`` (the note
    stage's joins seldom change a line), its counts are taken as they are: the same counts (only the
    order of their keys, which nothing reads, may differ). A Lexicon's counts are not changed after
    it is made."""
    texts = [ln.str for p in doc.pages for ln in p.lines if ln.kind in ("body", "note")]
    last = doc._lexicon
    if last is not None and last[0] == texts:
        lex = Lexicon((), langs)
        lex.vocab, lex.compounds = last[1], last[2]
    else:
        lex = Lexicon(texts, langs)
    doc._lexicon = (texts, lex.vocab, lex.compounds)
    return lex


# second halves that are (name or word) endings rather than words of a compound, and prefixes that
# English does not hyphenate; general English morphology, not a list of any document's words
WORD_ENDINGS = {"son", "sons", "man", "men", "worth", "ton", "ley", "ham", "field", "ford", "ship", "ships",
                "ness", "ment", "ments", "ly", "ing", "ings", "ed", "er", "ers", "est", "tion", "tions",
                "sion", "ity", "ous", "ful", "less", "able", "ible", "ism", "ist", "ists", "ance", "ence"}
BOUND_PREFIXES = {"un", "dis", "mis", "im", "ir", "il"}
# languages that write a compound of two words as one word (German Rechtswissenschaft, Dutch
# rechtswetenschap, Swedish rättsvetenskap): there two words at a line-end hyphen are a broken word
CLOSED_COMPOUNDS = {"de", "nl", "sv", "da", "nb", "no", "nn", "is", "fo", "lb", "fy"}
# the conjunctions after a suspended hyphen (German Ober- und Unterhaus, Dutch land- en tuinbouw)
SUSPENDED_BEFORE = {"de": {"und", "oder", "bis", "sowie"}, "nl": {"en", "of"}}


def hyphen_decision(left: str, right: str, lex: Lexicon, hyphen: str, lang: str = "en") -> tuple[str, float]:
    """'join', 'keep' (or 'suspend': keep, then a space) a line-end hyphen between the word parts ``left`` and ``right`` of a text in
    ``lang`` (whose wordfreq lexicon is used; the English word-ending rules only for English)."""
    if hyphen == "\u00ad":
        return "join", 0.99
    l, r = left.lower(), right.lower()
    joined = l + r
    if lex.compounds[l + "-" + r]:
        return "keep", 0.9  # printed with a hyphen mid-line elsewhere in this document
    if lex.vocab[joined]:
        return "join", 0.95  # printed unbroken elsewhere in this document
    if right[:1].isupper() and not left[:1].isupper():
        return "keep", 0.8  # anti-Fascist, pro-Soviet
    if right[:1].isupper() and left[:1].isupper() and not (left.isupper() and right.isupper()):
        return "keep", 0.75  # New-York, Weston-Super-Mare: capitalised parts are names joined by a hyphen
    zj = zipf(joined, lang)
    zl, zr = zipf(l, lang), zipf(r, lang)
    closed = lang in CLOSED_COMPOUNDS
    if closed and r in SUSPENDED_BEFORE.get(lang, ()):
        return "suspend", 0.8  # Ober- und Unterhaus: a suspended hyphen (kept, then a space)
    if lang == "en" and (r in WORD_ENDINGS or l in BOUND_PREFIXES):
        return "join", 0.8  # Bos-son, foot-men, un-shackled: an ending or a prefix, not a word
    if closed:
        # a compound of two words is written closed (Rechts-wissenschaft, Käse-markt): a break
        return "join", min(0.98, 0.8 + zj / 30) if zj >= 2.0 else 0.7 if zj > 0 else 0.6
    if zl >= 3.5 and zr >= 3.5 and len(l) >= 4 and len(r) >= 4 and zj < 4.0:
        return "keep", 0.7  # two common words whose fusion is rarer: hand-written, story-teller

    if zj >= 2.0 and not (zl >= 4.0 and zr >= 4.0 and zj < 2.5):
        return "join", min(0.98, 0.8 + zj / 30)
    if zl >= 2.5 and zr >= 2.5 and len(l) >= 2 and len(r) >= 3:
        return "keep", 0.75  # two words: a real compound (fellow-travelers, pipe-puffing)
    if zj > 0:
        return "join", 0.7
    return "join", 0.55  # most line-end hyphens break a word, also an unknown one


def _letters(text: str) -> str:
    return "".join(ch for ch in text if ch.isalpha()).lower()


def _word_end(text: str) -> bool:
    """Does ``text`` end in a word (a letter, possibly with one noise mark after it)?"""
    tail = text[-2:]
    return bool(tail) and not tail[-1].isspace() and any(c.isalpha() for c in tail)


def _word_start(text: str) -> bool:
    """Does ``text`` begin with a word (a letter, possibly after one noise mark)?"""
    head = text[:2]
    return bool(head) and (head[0].isalpha() or (head[0] in ",.'`~^•·" and head[1:2].isalpha()))


def _content_bounds(tt: TrackedText) -> tuple[int, int]:
    text = tt.text
    return len(text) - len(text.lstrip()), len(text.rstrip())


def _normalise_spaces(doc: Document, tt: TrackedText) -> None:
    for m in reversed(list(WS_RUN.finditer(tt.text))):
        tt.replace(doc, m.start(), m.end(), " ", stage=STAGE, rule="whitespace", confidence=1.0,
                   note="run of spaces or a tab made one space")


def _trailing_start(tt: TrackedText, end_off: int, line: Line) -> int:
    """Raw offset where the part of the line after text offset ``end_off`` begins.

    When ``end_off`` is not in verbatim text (an edit piece begins there, e.g. mojibake repaired to a
    blank), it is the raw end of the last piece before it, or the line start: the join that covers
    the rest of the line then covers (and supersedes) those edits whole.
    """
    pos = tt.raw_pos(end_off)
    if pos:
        return pos[1]
    start = line.start
    for _s, e, p in tt.offsets():
        if e > end_off:
            break
        start = p.end
    return start


def join_lines(doc: Document, lines: list[Line], lex: Lexicon, *, end_rule: str = "paragraph-break",
               stage: str = STAGE) -> TrackedText:
    """One TrackedText from consecutive lines, recording every join, hyphen and blank as an edit."""
    out = TrackedText()
    pending_lead = 0  # raw offset where the current line's leading blanks are already covered
    for i, ln in enumerate(lines):
        tt = ln.text
        a, b = _content_bounds(tt)
        nxt = lines[i + 1] if i + 1 < len(lines) else None
        # leading blanks not covered by the previous join
        if a > 0:
            p0, pa = tt.raw_pos(0), tt.raw_pos(a)
            if pa and not p0 and tt.pieces:  # blanks made by a repair: the removal covers the edit whole
                p0 = (ln.page, tt.pieces[0].start)
            if p0 and pa:
                start = max(p0[1], pending_lead)
                if start < pa[1]:
                    doc.remove_span(ln.page, start, pa[1], stage=stage, rule="whitespace",
                                    note="leading blanks of a line")
        content_end = b
        text = tt.text
        rule, after, conf, note = None, " ", 1.0, "line break became a space"
        hyphen_at = None
        if nxt is not None:
            ntext = nxt.text.text.lstrip()
            stripped = text[:b]
            layout = line_layout(doc.pages[ln.page], ln.no)
            subs = _letters(layout.get("hyphen_word") or "")  # the file's own reading (ALTO SUBS_CONTENT)
            split = (_letters(stripped.split()[-1]) + _letters(ntext.split()[0])
                     if subs and stripped.split() and ntext.split() else None)
            if split and split == subs and stripped[-1] not in HYPHENS:
                rule, after, conf = "hyphen-join", "", 0.99
                note = f"word split at the line end joined as the file says: {layout['hyphen_word']}"
            elif stripped.endswith(DASHES):
                rule, after, note = "dash-join", "", "line ending in a dash joined without space"
            elif (len(stripped) >= 2 and stripped[-1] in HYPHENS and _word_end(stripped[:-1])
                  and (_word_start(ntext) or (split is not None and split == subs))):
                # the halves may carry OCR noise next to the hyphen ("e~-" + "cept", "prot-" + ",ect")
                left_word, right_word = stripped[:-1].split()[-1], ntext.split()[0]
                last = re.split(f"[{HYPHENS}]", left_word)[-1]
                left = "".join(ch for ch in last if ch.isalpha())
                right = "".join(ch for ch in right_word if ch.isalpha() or ch in "'’")
                decision, conf = hyphen_decision(left, right, lex, stripped[-1], lex.lang_of(ln.page))
                if "-" in left_word or "-" in right_word.rstrip("-"):
                    decision, conf = "keep", 0.85  # a part of Saxe-Coburg-Gotha, up-to-date
                hw = layout.get("hyphen_word") or ""
                # the file writes the word with a hyphen where the line breaks: a compound
                compound = any(ch in HYPHENS and hw[i + 1:i + 2].isalpha() and hw[i - 1:i] == left_word[-1:]
                               and _letters(hw[:i]) == _letters(left_word) for i, ch in enumerate(hw) if i)
                if compound:
                    decision, conf = "keep", 0.95  # the file reads a compound: its hyphen stays
                elif split and subs == split and not lex.compounds[left.lower() + "-" + right.lower()]:
                    # the file's own reading of the split word; but many engines join the letters of every
                    # pair there (OmniPage: SUBS_CONTENT="Bedfordrow"), and the issue printing the compound with
                    # its hyphen in mid-line (copper-fastened, vice-president) says more
                    decision, conf = "join", 0.99
                hyphen_at = b - 1
                content_end = hyphen_at
                if decision == "join":
                    rule, after, note = "hyphen-join", "", f"line-end hyphen joined: {left}{right}"
                elif decision == "suspend":
                    rule, after, note = "hyphen-keep", "- ", f"suspended hyphen kept: {left}- {right}"
                else:
                    rule, after, note = "hyphen-keep", "-", f"compound kept: {left}-{right}"
            elif len(stripped) == 1 and stripped.isupper() and stripped.isalpha():
                first = ntext.split()[0] if ntext.split() else ""
                glued = first[:1].isupper() or (stripped not in "AI" and lex.score(stripped + first, lex.lang_of(ln.page)) >= 2.5)
                glued = glued or bool(layout.get("dropcap") and first[:1].islower())  # the file says so
                rule, after, conf = "drop-cap", "" if glued else " ", 0.8
                note = "drop-cap letter joined to its word" if glued else "drop-cap letter joined to its line"
            elif nxt.page != ln.page:
                rule = "page-join"
                note = "paragraph continues on the next page"
            else:
                rule = "line-join"
        if content_end > a:
            piece = tt.slice(a, content_end)
            _normalise_spaces(doc, piece)  # per line: each replace costs the length of what it edits
            out.append(piece)
        tail_start = _trailing_start(tt, content_end, ln)
        if nxt is None:
            if ln.eol_end > tail_start:
                doc.remove_span(ln.page, tail_start, ln.eol_end, stage=stage, rule=end_rule,
                                note="end of paragraph" if end_rule == "paragraph-break" else "end of note")
            pending_lead = 0
            continue
        # the join covers the trailing part of this line, and the next line's leading blanks when adjacent
        end = ln.eol_end
        if (nxt.page == ln.page and nxt.start == ln.eol_end and nxt.text.pieces
                and nxt.text.pieces[0].edit is None):
            npos = nxt.text.raw_pos(len(nxt.text.text) - len(nxt.text.text.lstrip()))
            end = npos[1] if npos else nxt.start
            pending_lead = end
        else:
            pending_lead = 0
        if content_end <= a and rule in ("line-join", "page-join"):
            after, note = "", "line left blank by a repair joined without space"  # the join before gave one
        eid = doc.record_edit(stage, rule, ln.page, tail_start, end, after, conf, note)
        out.append(doc.piece_for(eid))
    _normalise_spaces(doc, out)  # runs across pieces only (the lines' own runs are done)
    text = out.text
    if text != text.strip():  # a first or last line left blank by a repair: no edge blanks
        if text.rstrip() != text:
            out.replace(doc, len(text.rstrip()), len(text), "", stage=stage, rule="whitespace",
                        note="blank at the end of a paragraph")
        lead = len(out.text) - len(out.text.lstrip())
        if lead:
            out.replace(doc, 0, lead, "", stage=stage, rule="whitespace", note="blank at the start of a paragraph")
    return out


def _width(lines: list[Line]) -> tuple[float, float]:
    """(typical, full) line length in characters: the 75th and 90th percentiles."""
    lens = sorted(n for n in (len(ln.str.strip()) for ln in lines) if n > 1)  # each line read once
    if not lens:
        return 0.0, 0.0
    at = lambda q: float(lens[min(len(lens) - 1, int(len(lens) * q))])  # noqa: E731
    return at(0.75), at(0.9)


@lru_cache(maxsize=4096)  # paragraph_break asks about each line twice (as the current, then the previous)
def is_heading(text: str) -> bool:
    t = text.strip()
    if len(t) > 60 or t[-1:] in HYPHENS + ",;":  # the cheap tests first (no letter list for a long line)
        return False
    let = "".join(filter(str.isalpha, t))  # the letters (each tested in C: the same ones)
    if len(let) < 4 or len(t.split()) > 8:
        return False
    return sum(map(str.isupper, let)) / len(let) >= 0.8


ABBREV = re.compile(r"\b(?:Mr|Mrs|Messrs|Mme|Mlle|Dr|St|Rev|Gen|Col|Capt|Lieut|Sgt|Hon|Esq|Jun|Sen|Jr|Sr|Prof|"
                    r"Gov|Sec|Supt|Vol|Nos|pp|vs|viz|cf|Bros|Ltd|Inst|ult|prox)\.$"
                    r"|(?:\b[A-Z]\.\s?){2,}$")  # initials: P. M., J. A.


def ends_sentence(text: str) -> bool:
    return bool(SENT_END.search(text)) and not ABBREV.search(text)


def _titleish(text: str, width: float) -> bool:
    return len(text) < 0.75 * width and (bool(BYLINE.match(text)) or is_titlelike(text))


def paragraph_break(prev: Line, cur: Line, widths: tuple[float, float], blanks_between: bool, blank_mode: bool,
                    indent_mode: bool) -> bool:
    p = prev.str.strip()
    c = cur.str.strip()
    if len(p) == 1 and p.isupper():
        return False  # a drop cap belongs to the next line
    if len(c) == 1 and c.isupper() and c.isalpha():
        return True  # a drop cap starts a paragraph
    if blank_mode and blanks_between:
        return True
    if p[-1:] in HYPHENS or p.endswith(DASHES):
        return False
    if is_heading(p) or is_heading(c):
        return True
    if ends_sentence(p) and is_closing_name(c):
        return True  # '— Jane Morrow' closing an article (at the top of the next page too)
    width, full = widths
    if width and (_titleish(c, width) and (ends_sentence(p) or _titleish(p, width))):
        return True  # a short Title Case line or a byline after a finished sentence
    if width and _titleish(p, width) and c[:1].isupper() and not ends_sentence(p):
        return True
    starts_new = c[:1].isupper() or c[:1] in "\"“‘'([0123456789"
    if indent_mode and starts_new:
        ind = len(cur.str) - len(cur.str.lstrip())
        if ind >= 2:
            return True
    if ends_sentence(p) and starts_new and width:
        short = 1 - len(p) / width
        if short > 0.13 or (short > 0.06 and len(c) < 0.92 * width):
            return True
        # the fit test: the next line's first word would have fitted on this line, so the line
        # was ended on purpose
        first = c.split()[0] if c.split() else ""
        if len(p) + 1 + len(first) <= full * FIT_MARGIN:
            return True
    return False


class _HeadingLines:
    """The heading evidence of :mod:`reissue.headings` for the line pairs of reflow: display runs of
    capitals (one paragraph), continued titles and display type (one heading)."""

    def __init__(self, doc: Document, body: list[Line]):
        self.doc = doc
        self.runs = display_runs(body)
        self.med = type_sizes(doc)
        self.titles: set[tuple[int, int]] = set()  # lines of a heading continued over two lines
        self.ends: set[tuple[int, int]] = set()  # the last line of such a heading

    def size(self, ln: Line):
        return line_size(self.doc, ln) if ln.page in self.med else None

    def decide(self, prev: Line, cur: Line, widths, blank_break: bool) -> bool | None:
        """True / False where the heading evidence decides the break before ``cur``; None to ask
        :func:`paragraph_break`."""
        if blank_break or not (self.ends or self.runs or self.med):
            return None  # the cheap way out: plain text without display runs or continued titles
        pk, ck = (prev.page, prev.no), (cur.page, cur.no)
        if pk in self.ends:
            return True  # a continued title ends on its second line
        p, c = prev.str.strip(), cur.str.strip()
        if pk in self.runs:
            if ck in self.runs:
                return display_break(p, c, self.runs[pk], ends_sentence)
            if not ends_sentence(p) and p[-1:] not in HYPHENS:
                return False  # the run's sentence goes on on the next line ('... (President Roosevelt.')
        if len(p) > 1 and len(c) > 1 and prev.page == cur.page and prev.page in self.med \
                and p[-1:] not in HYPHENS:  # a word broken at the line end goes on, whatever the type
            tb = type_break(self.size(prev), self.size(cur), self.med[prev.page])
            if tb is False and ends_sentence(p) and not runs_on(p):
                return None  # two display lines, the first a finished head: the text decides
            return tb
        return None

    def continues_title(self, prev: Line, cur: Line, widths) -> bool:
        """A break paragraph_break found is none: a title line goes on on the next line (no blank
        line between them: the caller asks only then)."""
        width = widths[0]
        if not width or (prev.page, prev.no) in self.runs:
            return False
        ok = continued_title(prev.str.strip(), cur.str.strip(), lambda t: _titleish(t, width) or is_heading(t))
        if ok and prev.page in self.med:
            ps, cs = self.size(prev), self.size(cur)
            ok = not (ps and cs) or max(ps, cs) <= SAME_TYPE * min(ps, cs)  # one title is set in one type
        if ok:
            self.titles.update(((prev.page, prev.no), (cur.page, cur.no)))
            self.ends.add((cur.page, cur.no))
        return ok

    def kind(self, group: list[Line]) -> str | None:
        """'paragraph' for a display run, 'heading' for a continued title or a few display lines of
        one size, None to let the text decide."""
        k0 = (group[0].page, group[0].no)
        if k0 in self.runs:
            return "paragraph"
        if k0 in self.titles and len(group) == 2:
            return "heading"
        if len(group) <= HEADING_LINES and group[0].page in self.med:
            med = self.med[group[0].page]
            if all(display_type(self.size(ln), med) for ln in group) and sum(len(ln.str) for ln in group) <= 200:
                return "heading"
        return None


def hyphen_languages(doc: Document, body: list[Line], languages: str | tuple = "auto") -> dict[int, str]:
    """The language of each page whose line-end hyphens are decided (page -> ISO 639-1), for the
    lexicon: reflow runs before the ``lang`` stage, so each page's body text (its first
    ``lang.PARAMS["max_chars"]`` characters) goes to the same identifier, with the document's languages
    as prior; a page not identified takes the document's main language. ``--lang none``, or a
    document without line-end hyphens: {} (English)."""
    if languages == "none":
        return {}
    pages = sorted({ln.page for ln in body if ln.str.rstrip()[-1:] in HYPHENS})
    if not pages:
        return {}
    if isinstance(languages, tuple) and len(languages) == 1:
        return dict.fromkeys(pages, languages[0])
    from .lang import PARAMS, identify_texts

    text: dict[int, list[str]] = {}
    size: Counter = Counter()
    for ln in body:  # at most max_chars per page: linear, and what the identifier reads anyway
        if size[ln.page] < PARAMS["max_chars"]:
            text.setdefault(ln.page, []).append(ln.str)
            size[ln.page] += len(ln.str) + 1
    order = sorted(text)
    found = dict(zip(order, (d.lang for d in identify_texts(["\n".join(text[p]) for p in order], languages))))
    main = Counter(v for v in found.values() if v).most_common(1)
    return {p: found.get(p) or (main[0][0] if main else "en") for p in pages}


@stage("reflow", requires=("page.furniture", "doc.footnotes"),
       assigns=("doc.paragraphs", "paragraph.kind"))
def reflow(doc: Document, lang: str | tuple = "auto") -> Document:
    """Stage: body lines of all pages -> paragraphs (Document.paragraphs). ``lang`` as for the
    ``lang`` stage: which languages the line-end hyphens are decided in (:func:`hyphen_languages`)."""
    body: list[Line] = [ln for page in doc.pages for ln in page.lines if ln.kind == "body"]
    lex = document_lexicon(doc, hyphen_languages(doc, body, lang))
    widths = {}
    for page in doc.pages:
        widths[page.index] = _width([ln for ln in page.lines if ln.kind == "body"])
    n_body = {page.index: sum(1 for ln in page.lines if ln.kind == "body") for page in doc.pages}
    all_width = _width(body)
    # blank lines separate paragraphs, unless the dump puts them inside sentences (double spacing)
    blank_pairs = mid_sentence = 0
    for page in doc.pages:
        lines = [ln for ln in page.lines if ln.kind in ("body", "blank")]
        for i, ln in enumerate(lines):
            if ln.kind != "body":
                continue
            j = i + 1
            while j < len(lines) and lines[j].kind == "blank":
                j += 1
            if j > i + 1 and j < len(lines):
                blank_pairs += 1
                prev, nxt = ln.str.rstrip(), lines[j].str.lstrip()
                mid_sentence += (not SENT_END.search(prev) and nxt[:1].islower()) or prev[-1:] in HYPHENS
    blank_mode = blank_pairs > 0 and mid_sentence / blank_pairs < 0.5
    indented = sum(1 for ln in body if ln.str[:1] in " \t")
    indent_mode = 0 < indented < 0.5 * len(body)

    groups: list[list[Line]] = []
    heads = _HeadingLines(doc, body)
    prev: Line | None = None
    for ln in body:
        if prev is None:
            groups.append([ln])
        else:
            page = doc.pages[ln.page]
            blanks = prev.page == ln.page and any(
                x.kind == "blank" for x in page.lines[prev.no + 1: ln.no])
            w = widths[prev.page] if n_body[prev.page] >= 8 else all_width
            brk = heads.decide(prev, ln, w, blanks and blank_mode)
            if brk is None:
                brk = paragraph_break(prev, ln, w, blanks, blank_mode, indent_mode)
                if brk and not blanks and heads.continues_title(prev, ln, w):
                    brk = False
            if brk:
                groups.append([ln])
            else:
                groups[-1].append(ln)
        prev = ln
    for n, group in enumerate(groups, 1):
        tt = join_lines(doc, group, lex)
        for ln in group:
            ln.release()  # the paragraph holds the text now; a line remakes its own when asked
        g0 = group[0].str.strip()
        w0 = widths[group[0].page][0] or all_width[0]
        kind = heads.kind(group)
        if kind is None:
            kind = "heading" if len(group) == 1 and (is_heading(g0) or _titleish(g0, w0)) else "paragraph"
        doc.paragraphs.append(Paragraph(f"p{n}", tt, kind))
    # blank lines that no other stage owns
    for page in doc.pages:
        for ln in page.lines:
            if ln.kind == "blank" and ln.eol_end > ln.start:
                doc.remove_span(page.index, ln.start, ln.eol_end, stage=STAGE, rule="blank-line",
                                note="blank line")
    doc.stages.append(STAGE)
    return doc
