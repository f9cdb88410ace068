"""Synthetic page dumps with known answers, and the scorer that compares an edition with them.

``generate_issue(seed)`` lays out clean prose as the raw OCR text dumps of a digitized periodical
would show it: running heads alternating verso/recto, folios (top, bottom or inside the head line,
sometimes OCR-garbled or missing), viewer chrome (title lines, navigation lists, credits), drop
caps, paragraph styles, line-end hyphens (rejoined words and kept compounds), footnotes (also
continued on the next page), headings and OCR-like noise. Everything that was put on a page is
recorded in ``SynthIssue.truth`` (JSON-serialisable), so ``score_edition`` can grade what
``reissue build`` made of the pages.

Clean text: by default the ground truth of the HIPE train splits (``/work/shared/data/hipe-en``,
read at run time, never shipped) when that folder exists, else a small built-in text.

Command line: ``python -m reissue.synth OUTDIR --issues N --pages M --seed S``.

``truth.json`` (format ``reissue-synth-truth/1``; pages and lines are 0-based, lines numbered as
:meth:`reissue.model.Page.split_lines` numbers them):

* ``metadata``: title, volume, number, year, page_count as the pages show them (``None`` where no
  page shows it); ``issue``: the full facts (also those not printed); ``layout``: the drawn layout;
* ``pages[]``: index, name, number (printed page number, also where no folio is printed), folio
  (the folio text as printed, maybe OCR-garbled, or ``None``), verso, furniture[] (line, kind, text;
  kinds: running-head, folio, viewer-title, viewer-nav, viewer-credit), body_lines, heading_lines,
  note_lines, blank_lines, line_count;
* ``paragraphs[]`` in reading order: index, kind (paragraph | heading), role (title | byline |
  subheading for headings), text (clean, as printed: headings in their case, no call-out marks),
  pages, page_numbers, first_line [page, line], page_breaks [[page, index of the first word printed
  there]], dropcap, cues (what marks its start: blank, indent, dropcap, heading, short-line,
  sentence-end, page-top), callouts [{word, note, marker}];
* ``hyphens[]``: page, line, offset (raw offset of the hyphen char), char, kind (join: a word broken
  at the line end; keep: a real compound broken after its hyphen), word (the clean word), prefix,
  suffix, cross_page, in_note (and note: id);
* ``footnotes[]``: id, marker (``*``, ``†``, ``1``...), marker_raw (as printed: ``(1)``...), text
  (clean), page, page_number, paragraph (index of the paragraph with the call-out), callout_word,
  continued, pages, lines [[page, line]], parts (text on each page).
"""

from __future__ import annotations

import argparse
import functools
import glob
import json
import os
import random
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Sequence

DEFAULT_TEXT_DIR = "/work/shared/data/hipe-en"

FURNITURE_KINDS = ("running-head", "folio", "viewer-title", "viewer-nav", "viewer-credit")
HYPHEN_CHARS = ("-", "\u2013", "\u00b7", "\u00ac", "\u00ad")  # -, en dash, middle dot, not sign, soft hyphen
SYMBOL_MARKERS = ("*", "\u2020", "\u2021", "\u00a7")  # * † ‡ §

# ----------------------------------------------------------------------------------------------
# clean text sources

_FALLBACK_TEXT = """\
The river had been low all summer, and the boats that carried grain from the upper valley came down half empty. Nobody in the town could remember a season so dry. The old ferryman said that the water had not stood so far below the landing since the year of the great fire, and he was not a man given to exaggeration.

By the end of August the question was no longer whether the harvest would be poor but how poor it would be. The merchants met twice a week in the back room of the exchange and argued about prices. A few of them, the well-informed ones, had already bought what they could from the southern provinces; the rest waited, hoping for rain that did not come.

It is easy, looking back, to say that the council should have acted sooner. At the time the matter seemed less simple. The councillors were honest men, most of them, but they had been elected to keep the streets lit and the bridges in repair, not to feed a city through a winter of scarcity. They were reluctant to spend money they did not have on grain they might not need.

The newspapers took different views. One of them demanded an immediate public granary; another warned that any interference with the market would only drive the dealers away. Both were read with attention, and both were wrong in part. What the town needed was neither a granary nor a free market but a little foresight, and foresight was in short supply.

In the first week of September a traveller arrived from the capital with news that the government intended to open its own stores. The report was received with relief and then with suspicion. Had not the same promise been made three years before, and broken? The older citizens shook their heads; the younger ones, who had nothing to lose, talked of petitions and public meetings.

The meetings, when they came, were orderly and well attended. A schoolmaster spoke for an hour on the history of famine relief, quoting figures that nobody could check. A carpenter followed him and spoke for five minutes on the price of bread, and it was the carpenter who was cheered. The resolution that was finally adopted asked the council to do three things: to publish the state of the town accounts, to send a delegation to the capital, and to forbid the export of flour until the spring.

None of these requests was unreasonable, and two of them were granted within the month. The accounts were printed on a single sheet and posted on the church door, where they were read, copied and disputed. The delegation set out in a hired coach and returned a fortnight later with a letter of sympathy and a loan that covered rather less than half of what had been asked.

The export ban was another matter. The millers protested that it would ruin them, and the farmers of the surrounding districts, who sold their flour in the town only because it was the nearest market, threatened to take it elsewhere. For a while it seemed that the measure meant to protect the poor would starve them instead. In the end a compromise was found: flour might leave the town, but only after the town had been offered it first at a fixed price.

Looking at the record today, one is struck less by the mistakes than by the good sense that eventually prevailed. The winter was hard, but it was not the catastrophe that had been feared. Some families left for the cities of the coast and did not return; others took in lodgers, sold their furniture or lived on credit until the thaw. The schools stayed open. The hospital, which had expected the worst, reported fewer deaths than in an ordinary year.

What remains instructive is the slowness with which a community recognises a danger that grows by small degrees. A flood or a fire is seen at once for what it is. A dry summer is only a dry summer until, quite suddenly, it has become a famine, and by then the time for cheap remedies has passed. The lesson was not new, and it has not been learned since.

A word should be said about the people who kept the accounts. They were clerks, for the most part, poorly paid and rarely thanked, and their ledgers are the only reason we know anything precise about that winter. They wrote in a careful, slightly old-fashioned hand, and they noted everything: the price of a sack of oats on a given Tuesday, the number of loaves distributed at the north gate, the cost of mending a pump. Without them the story would be a matter of anecdote and legend.

The legends, of course, survive as well. There is the tale of the baker who gave away his last batch on Christmas morning, and the tale of the well-to-do widow who opened her cellar to the neighbourhood. Some of these stories may even be true. They tell us less about what happened than about what the town wished had happened, and that, too, is a kind of evidence.

Historians who have studied the period disagree about its larger meaning. Some see in it the first stirrings of a new civic spirit, a willingness on the part of ordinary people to take public affairs into their own hands. Others find only the familiar pattern of complaint, delay and half-measures. The truth, as usual, lies somewhere in between, and it is not the business of this essay to decide where.

It is enough to note that the town survived, and that the next summer was wet. The river rose, the boats came down full, and the merchants went back to arguing about other things. The granary that had been so hotly debated was never built. Its foundations, laid in a burst of enthusiasm in October, can still be seen behind the old customs house, overgrown with grass and half-forgotten.

The present writer first saw them as a boy, on a long-ago walk with his grandfather, who had been one of the clerks. He remembered the winter well, and he spoke of it without bitterness. They did what they could, he said, and most of the time it was enough. It seemed a modest epitaph for a hard season, but perhaps it is the only kind that history ever really allows.
"""

_SENT_RE = re.compile(r"(?<=[.!?])[\"')\]]?\s+(?=[\"'(]?[A-Z])")
_OK_SENT = re.compile(r"^[\"'(]?[A-Z][A-Za-z0-9 ,;:.!?'\"()\-]*[.!?][\"')]?$")


@dataclass
class TextSource:
    """Clean sentences in reading order, grouped into runs (documents) of consecutive sentences."""

    runs: list[list[str]]
    origin: str

    def __post_init__(self):
        # every sentence equally likely, wherever it stands
        self._flat = [(r, i) for r, run in enumerate(self.runs) for i in range(len(run))]

    def paragraph(self, rng: random.Random, n_sent: int, used: set | None = None) -> str:
        """``n_sent`` consecutive sentences of one run (fewer at a run end), avoiding ``used``."""
        for _ in range(20):
            r, i = rng.choice(self._flat)
            run = self.runs[r]
            i = max(0, min(i, len(run) - n_sent))
            ids = [(r, k) for k in range(i, min(len(run), i + n_sent))]
            if used is None or not any(x in used for x in ids) or len(used) > len(self._flat) // 2:
                break
        if used is not None:
            used.update(ids)
        return " ".join(run[k] for _, k in ids)

    def sentences(self, rng: random.Random, n: int, max_chars: int = 400, used: set | None = None) -> str:
        out: list[str] = []
        tries = 0
        while len(out) < n:
            tries += 1
            r, i = rng.choice(self._flat)
            s = self.runs[r][i]
            if len(s) > max_chars and tries < 200:
                continue
            if used is not None and (r, i) in used and tries < 200:
                continue
            if used is not None:
                used.add((r, i))
            out.append(s)
        return " ".join(out)


def _good_sentence(s: str) -> bool:
    if not (25 <= len(s) <= 420) or not _OK_SENT.match(s):
        return False
    words = s.split()
    if len(words) < 5:
        return False
    letters = sum(c.isalpha() for c in s)
    if letters < 0.72 * len(s):
        return False
    if s.count("(") != s.count(")") or s.count('"') % 2:
        return False
    if re.search(r"\b[A-Z]{2,}\b.*\b[A-Z]{2,}\b", s):  # shouty ad copy, lists of names
        return False
    if re.search(r"\s[,.;:!?]|--|\.\.|\b\w\b\s\b\w\b\s\b\w\b", s):
        return False
    # a word with a hyphen must be a plausible compound: letters-letters, every part a word
    # (the ground truth sometimes keeps a line-break hyphen: "Con-tinuation")
    for w in words:
        if "-" in w:
            if not re.fullmatch(r"[\"'(]?[A-Za-z]{2,}(-[A-Za-z]{2,})+[,.;:!?\"')]*", w):
                return False
            if not all(_is_word(part) for part in re.findall(r"[A-Za-z]+", w)):
                return False
    return True


@functools.lru_cache(maxsize=None)
def _is_word(w: str) -> bool:
    try:
        from wordfreq import zipf_frequency
    except ImportError:  # pragma: no cover - wordfreq is a dependency
        return True
    return zipf_frequency(w.lower(), "en") >= 1.5


_ABBREV = {"mr", "mrs", "messrs", "dr", "st", "esq", "rev", "no", "co", "capt", "col", "gen", "lieut", "sir",
           "hon", "jun", "sen", "vol", "viz", "ult", "inst", "prof", "mt", "ft", "vs", "etc", "jan", "feb",
           "aug", "sept", "oct", "nov", "dec", "gov", "sergt", "supt", "insp"}


def _split_text(text: str) -> list[str]:
    text = re.sub(r"\u00ac\s*", "", text)  # ground-truth line-break hyphen: the halves join
    text = " ".join(text.split())
    out, start = [], 0
    for m in _SENT_RE.finditer(text):
        before = text[start:m.start()].split()
        last = before[-1].rstrip(".").lower() if before else ""
        if last in _ABBREV or (len(last) == 1 and last.isalpha()):  # "Mr.", "St.", "J." end no sentence
            continue
        out.append(text[start:m.start()].strip())
        start = m.end()
    out.append(text[start:].strip())
    return [x for x in out if x]


def _runs_from_text(chunks: Iterable[str]) -> list[list[str]]:
    runs = []
    for chunk in chunks:
        run: list[str] = []
        for s in _split_text(chunk):
            if _good_sentence(s):
                run.append(s)
            else:
                if len(run) >= 2:
                    runs.append(run)
                run = []
        if len(run) >= 2:
            runs.append(run)
    return runs


@functools.lru_cache(maxsize=8)
def _load_hipe(folder: str) -> TextSource | None:
    files = sorted(glob.glob(os.path.join(folder, "*-train.jsonl")))
    if not files:
        return None
    chunks = []
    for f in files:
        with open(f, encoding="utf-8") as fh:
            for line in fh:
                try:
                    rec = json.loads(line)
                    chunks.append(rec["ground_truth"]["transcription_unit"])
                except (ValueError, KeyError, TypeError):
                    continue
    runs = _runs_from_text(chunks)
    if sum(len(r) for r in runs) < 200:
        return None
    return TextSource(runs, f"hipe-train:{folder}")


@functools.lru_cache(maxsize=1)
def fallback_source() -> TextSource:
    paras = [p for p in _FALLBACK_TEXT.split("\n\n") if p.strip()]
    return TextSource(_runs_from_text([" ".join(paras)]), "built-in")


def load_text_source(text_source=None) -> TextSource:
    """``None``: HIPE train ground truth when present, else built-in prose; a folder of HIPE
    JSONL files; a plain-text file; a list of strings; or a ready :class:`TextSource`."""
    if isinstance(text_source, TextSource):
        return text_source
    if text_source is None:
        if os.path.isdir(DEFAULT_TEXT_DIR):
            src = _load_hipe(DEFAULT_TEXT_DIR)
            if src is not None:
                return src
        return fallback_source()
    if isinstance(text_source, (list, tuple)):
        runs = _runs_from_text(text_source)
        if not runs:
            raise ValueError("text_source: no usable sentences in the given strings")
        return TextSource(runs, "strings")
    p = str(text_source)
    if p == "builtin":
        return fallback_source()
    if os.path.isdir(p):
        src = _load_hipe(os.path.abspath(p))
        if src is None:
            raise ValueError(f"{p}: no *-train.jsonl with enough usable ground-truth text")
        return src
    if os.path.isfile(p):
        runs = _runs_from_text(Path(p).read_text(encoding="utf-8").split("\n\n"))
        if not runs:
            raise ValueError(f"{p}: no usable sentences")
        return TextSource(runs, f"file:{p}")
    raise ValueError(f"text_source {p!r} is neither a folder, a file nor 'builtin'")


# ----------------------------------------------------------------------------------------------
# names: titles, sections, authors (word lists of our own)

_T_ADJ = ["Monthly", "Northern", "Atlantic", "New", "Modern", "Literary", "Western", "Independent",
          "Common", "Civic", "Weekly", "Continental", "American", "Provincial", "Free", "Open"]
_T_NOUN = ["Review", "Forum", "Observer", "Quarterly", "Outlook", "Chronicle", "Journal", "Critic",
           "Letters", "Survey", "Mercury", "Record", "Gazette", "Standard", "Courier", "Register"]
_A_ADJ = ["Uncertain", "Quiet", "Long", "Divided", "Open", "Last", "Second", "Common", "Lost",
          "Narrow", "Distant", "Silent", "Broken", "Private", "Public", "Early", "Hidden"]
_A_NOUN = ["Harvest", "Frontier", "Question", "Crisis", "Tradition", "Bargain", "Inheritance",
           "Season", "Argument", "City", "Republic", "Valley", "Promise", "Machine", "Country",
           "Doctrine", "Winter", "Market", "Theatre", "Novel", "Canal", "Parliament"]
_SECTIONS = ["Notes and Comment", "Books in Review", "Letters from Abroad", "The Theatre", "Music",
             "Current Affairs", "The Arts", "Correspondence", "Chronicle", "Reviews", "Poetry",
             "Foreign Affairs", "At Home", "The Periodicals", "Brief Mention"]
_FIRST = ["John", "Mary", "Arthur", "Helen", "Walter", "Edith", "George", "Ruth", "Samuel",
          "Clara", "Henry", "Agnes", "Thomas", "Alice", "Robert", "Marian", "Lewis", "Nora"]
_LAST = ["Whitcombe", "Ashby", "Marlowe", "Penrose", "Hartley", "Conway", "Fairbanks", "Lindqvist",
         "Dalton", "Kerr", "Ormsby", "Templeton", "Vance", "Pritchard", "Hale", "Morland", "Sykes"]
# common hyphenated compounds, put before a noun after "the"/"a"/"an" now and then so that kept
# compound hyphens at line ends are frequent enough to be measured
_COMPOUNDS = ["well-known", "so-called", "long-standing", "old-fashioned", "first-class", "good-natured",
              "high-minded", "far-reaching", "hard-working", "short-lived", "middle-aged", "self-evident",
              "ill-fated", "half-hearted", "open-air", "up-to-date", "twenty-five", "thirty-six",
              "north-western", "semi-official", "light-hearted", "never-ending", "second-hand",
              "full-length", "broad-minded", "ready-made", "hand-written", "world-wide", "home-grown",
              "left-wing", "all-night", "close-fitting", "cross-country", "well-meaning", "one-sided"]
_CREDITS = ["Powered by FlippingBook", "Powered by PageFlip Studio", "Made with Flipsnack",
            "Published with Issuu", "Created with Paperturn", "Powered by Yumpu",
            "Digital edition by Archivio Reader", "Made with FlipHTML5",
            "Powered by Calameo", "Digital Archive Viewer 2.3"]


def _title_case(s: str) -> str:
    small = {"of", "and", "the", "on", "in", "a", "to"}
    return " ".join(w if (i and w.lower() in small) else w[:1].upper() + w[1:]
                    for i, w in enumerate(s.split()))


def _periodical_title(rng: random.Random) -> str:
    form = rng.randrange(4)
    a, n = rng.choice(_T_ADJ), rng.choice(_T_NOUN)
    if form == 0:
        return f"The {a} {n}"
    if form == 1:
        return f"{a} {n}"
    if form == 2:
        n2 = rng.choice([x for x in _T_NOUN if x != n])
        return f"The {n} and {n2}"
    return f"The {a} {rng.choice(['Quarterly', 'Monthly Review', 'Weekly Review', 'Magazine'])}"


def _article_title(rng: random.Random) -> str:
    a, n = rng.choice(_A_ADJ), rng.choice(_A_NOUN)
    form = rng.randrange(5)
    if form == 0:
        return f"The {a} {n}"
    if form == 1:
        n2 = rng.choice([x for x in _A_NOUN if x != n])
        return f"{n} and {n2}"
    if form == 2:
        return f"Notes on the {n}"
    if form == 3:
        return f"{'An' if a[0] in 'AEIOU' else 'A'} {a} {n}"
    return f"The {n} of the {rng.choice(_A_NOUN)}"


def _subheading(rng: random.Random) -> str:
    form = rng.randrange(4)
    if form == 0:
        return rng.choice(["I", "II", "III", "IV", "V", "VI"])
    if form == 1:
        return f"The {rng.choice(_A_ADJ)} {rng.choice(_A_NOUN)}"
    if form == 2:
        return f"{rng.choice(_A_NOUN)} and {rng.choice(_A_NOUN)}".upper()
    return f"On the {rng.choice(_A_NOUN)}"


def _author(rng: random.Random) -> str:
    return f"{rng.choice(_FIRST)} {rng.choice('ABCDEFGHJKLMNRSTW')}. {rng.choice(_LAST)}"


# ----------------------------------------------------------------------------------------------
# layout parameters


def choose_layout(rng: random.Random) -> dict:
    """Per-issue layout, drawn from ``rng``; any key can be overridden by ``generate_issue(layout=)``."""
    width = rng.randint(40, 75)
    lay = {
        "width": width,
        "lines_per_page": rng.randint(26, 46),
        "para_style": rng.choice(["blank", "indent", "none", "none"]),
        "indent": rng.choice(["  ", "   ", "    ", "     ", "\t"]),
        "folio_pos": rng.choice(["top", "top", "bottom", "head"]),
        "folio_decor": rng.choice(["plain", "plain", "dash", "bracket"]),
        "folio_ocr_rate": rng.choice([0.0, 0.05, 0.15]),
        "missing_folio_rate": rng.choice([0.0, 0.05, 0.12]),
        "head_case": rng.choice(["upper", "upper", "title"]),
        "head_rate": rng.uniform(0.85, 1.0),
        "head_noise_rate": rng.choice([0.0, 0.05, 0.1]),
        "recto_head": rng.choice(["article", "section"]),
        "viewer": rng.choice([None, "flip", "flip", "pager", "arrows", "bracket"]),
        "viewer_title_style": rng.randrange(4),
        "viewer_rate": rng.uniform(0.6, 1.0),
        "viewer_offset": rng.choice([0, 0, 0, 2]),
        "credit": rng.choice(_CREDITS),
        "dropcap_rate": rng.choice([0.0, 0.5, 0.9]),
        "heading_blank": rng.random() < 0.6,
        "center_headings": rng.random() < 0.5,
        "hyphen_rate": rng.uniform(0.3, 0.9),
        "hyphen_chars": rng.choice([["-"], ["-"], ["\u2013"], ["-", "\u00b7", "\u2013"], ["\u00ac"],
                                    ["\u00ad"], ["-", "\u00ad"]]),
        "compound_alt_rate": 0.1,
        "compound_rate": rng.choice([0.05, 0.15, 0.3]),  # per "the/a/an": insert a compound after it  # kept compounds printed with another hyphen char
        "note_style": rng.choice(["symbols", "digits", "paren"]),
        "note_rate": rng.uniform(0.04, 0.15),
        "continued_rate": rng.uniform(0.2, 0.5),
        "note_blank": rng.random() < 0.5,
        "noise": rng.choice([0.01, 0.02, 0.04]),
        "note_noise_factor": 3.0,
        "fragment_rate": rng.choice([0.0, 0.01, 0.03]),
        "note_fragment_rate": rng.choice([0.0, 0.03, 0.1]),
        "marker_noise_rate": 0.05,
        "crlf": rng.random() < 0.1,
        "final_newline": rng.random() < 0.5,
        "article_pages": [2, 8],
        "subheading_rate": rng.choice([0.0, 0.04, 0.1]),
    }
    return lay


# ----------------------------------------------------------------------------------------------
# OCR-like noise

_CONFUSIONS = [("rn", "m"), ("m", "rn"), ("h", "b"), ("b", "h"), ("e", "c"), ("c", "e"), ("l", "1"),
               ("1", "l"), ("I", "l"), ("O", "0"), ("li", "h"), ("u", "n"), ("n", "u"), ("cl", "d"),
               ("t", "f"), ("s", "f"), ("a", "o"), ("i", "l")]


def _noisy_word(rng: random.Random, w: str) -> str:
    """One OCR-like corruption of a word (letters only are touched)."""
    if len(w) < 2:
        return w
    kind = rng.random()
    if kind < 0.7:
        opts = [(a, b) for a, b in _CONFUSIONS if a in w]
        if opts:
            a, b = rng.choice(opts)
            idxs = [m.start() for m in re.finditer(re.escape(a), w)]
            i = rng.choice(idxs)
            return w[:i] + b + w[i + len(a):]
    letters = [i for i, c in enumerate(w) if c.isalpha()]
    if not letters:
        return w
    i = rng.choice(letters)
    if kind < 0.85:
        return w[:i] + rng.choice("~~~\u2022'^") + w[i + 1:]
    if 0 < i < len(w) - 1 and kind < 0.95:
        return w[:i] + " " + w[i:]  # broken spacing inside a word
    return w[:i] + rng.choice(".,'`") + w[i:]


_CALLOUT_TOKEN = re.compile(r"^\(\d+\)$|[*\u2020\u2021\u00a7]$|[^\d\s]\d{1,3}$")


def _noisy_text(rng: random.Random, text: str, rate: float, *, merge: bool = True) -> str:
    if rate <= 0:
        return text
    words = text.split(" ")
    out = []
    for w in words:
        if w and rng.random() < rate and not _CALLOUT_TOKEN.search(w):  # call-out marks stay legible
            w = _noisy_word(rng, w)
        out.append(w)
    s = out[0] if out else ""
    for w in out[1:]:
        s += ("" if merge and s and w and rng.random() < rate * 0.15 else " ") + w
    return s


def _ocr_digits(rng: random.Random, digits: str) -> str:
    """A folio as OCR misreads it: one 1/0/5 read as l, I, O or S (unchanged when none)."""
    idx = [i for i, c in enumerate(digits) if c in "105"]
    if not idx:
        return digits
    i = rng.choice(idx)
    sub = {"1": "lI", "0": "O", "5": "S"}[digits[i]]
    return digits[:i] + rng.choice(sub) + digits[i + 1:]


# ----------------------------------------------------------------------------------------------
# issue model during layout


@dataclass
class _Note:
    id: int
    text: str  # clean
    para: int
    word: int  # index of the call-out word in the paragraph's clean words
    marker: str = ""
    marker_raw: str = ""
    page: int = -1
    continued: bool = False
    pages: list = field(default_factory=list)
    parts: list = field(default_factory=list)  # continued notes: text on each page (approximate)


@dataclass
class _Block:
    kind: str  # paragraph | heading
    words: list[str]
    index: int  # truth paragraph index
    dropcap: bool = False
    callouts: dict = field(default_factory=dict)  # word index -> _Note
    article: int = 0
    style: str = ""  # heading: title | byline
    placed: int = 0  # words completely laid out so far
    last_line: "_LLine | None" = None


@dataclass
class _LLine:
    kind: str  # body | heading | blank | note | furniture kinds
    text: str
    para: int | None = None
    hyphen: dict | None = None
    note: int | None = None
    w0: int = 0  # body: index (in the paragraph's words) of the first word printed on this line


@dataclass
class SynthIssue:
    pages: list[tuple[str, str]]
    truth: dict
    layout: dict = field(default_factory=dict)


class _Gen:
    def __init__(self, seed: int, n_pages: int, source: TextSource, layout: dict):
        self.rng = random.Random(seed)
        self.nrng = random.Random(seed * 7919 + 13)  # noise stream (independent of layout choices)
        self.seed = seed
        self.n_pages = n_pages
        self.src = source
        self.lay = layout
        self.blocks: list[_Block] = []
        self.notes: list[_Note] = []
        self.pages_body: list[list[_LLine]] = [[]]
        self.pages_notes: list[list[_LLine]] = [[]]
        self.page_articles: list[int] = [0]
        self.article_titles: list[str] = []
        self.sections: list[str] = []
        self.carry_notes: list[_LLine] = []
        self.note_counter = 0
        self.page_symbol = 0
        self.hyphens: list[dict] = []
        self.done = False
        self.used: set = set()  # sentences already printed in this issue

    # -- pages
    @property
    def page(self) -> int:
        return len(self.pages_body) - 1

    def _capacity_left(self) -> int:
        used = len(self.pages_body[-1]) + len(self.pages_notes[-1])
        return self.cap - used

    def _new_page(self):
        if self.page + 1 >= self.n_pages:
            self.done = True
            raise _PageLimit()
        self.pages_body.append([])
        self.pages_notes.append(list(self.carry_notes))
        self.carry_notes = []
        self.page_articles.append(self.cur_article)
        self.page_symbol = 0
        self.cap = self.lay["lines_per_page"] + self.rng.randint(-2, 2)

    def _room(self):
        if self._capacity_left() <= 0:
            self._new_page()

    def _put(self, line: _LLine):
        self._room()
        body = self.pages_body[-1]
        if not body and line.kind == "blank":
            return  # no blank separator at the top of a page
        body.append(line)

    # -- content
    def _words_of(self, text: str) -> list[str]:
        return text.split()

    def _make_article(self, art: int):
        rng = self.rng
        title = _article_title(rng)
        self.article_titles.append(title)
        self.sections.append(rng.choice(_SECTIONS))
        blocks = [_Block("heading", title.split(), len(self.blocks), article=art, style="title")]
        if rng.random() < 0.6:
            blocks.append(_Block("heading", ("By " + _author(rng)).split(), len(self.blocks) + 1,
                                 article=art, style="byline"))
        return blocks

    def _make_paragraph(self, art: int, first: bool) -> _Block:
        rng = self.rng
        n = rng.choice([1, 2, 3, 3, 4, 4, 5, 6, 7])
        text = self.src.paragraph(rng, n, self.used)
        words = self._words_of(text)
        out: list[str] = []
        for k, w in enumerate(words):
            out.append(w)
            if w.lower() in ("the", "a", "an") and k + 1 < len(words) and words[k + 1].isalpha() \
                    and words[k + 1].islower() and rng.random() < self.lay["compound_rate"]:
                c = rng.choice(_COMPOUNDS)
                if w.lower() == "a" and c[0] in "aeiou":
                    continue
                if w.lower() == "an" and c[0] not in "aeiou":
                    continue
                out.append(c)
        words = out
        b = _Block("paragraph", words, len(self.blocks), article=art)
        b.dropcap = first and rng.random() < self.lay["dropcap_rate"] and words[0][:1].isalpha()
        if rng.random() < self.lay["note_rate"] * 3 and len(words) > 8:
            # call-out after a word ending a sentence or clause, else any word
            cands = [i for i, w in enumerate(words[:-1]) if w[-1] in ".,;:" and i > 2] or \
                list(range(3, len(words) - 1))
            wi = rng.choice(cands)
            ns = 1 if rng.random() < 0.65 else rng.randint(2, 3)
            note = _Note(len(self.notes), self.src.sentences(rng, ns, 180, self.used), b.index, wi)
            self.notes.append(note)
            b.callouts[wi] = note
        return b

    # -- markers
    def _next_marker(self) -> tuple[str, str]:
        st = self.lay["note_style"]
        if st == "symbols":
            k = self.page_symbol
            self.page_symbol += 1
            m = SYMBOL_MARKERS[k % 4] * (k // 4 + 1)
            return m, m
        self.note_counter += 1
        m = str(self.note_counter)
        return m, (f"({m})" if st == "paren" else m)

    # -- wrapping
    def _emit_paragraph(self, b: _Block):
        lay, rng = self.lay, self.rng
        if lay["para_style"] == "blank" or (b.kind == "heading" and lay["heading_blank"]):
            self._put(_LLine("blank", ""))
        if b.kind == "heading":
            txt = " ".join(b.words)
            if b.style == "title" and rng.random() < 0.7:
                txt = txt.upper()
                b.words = txt.split()  # the truth is the heading as printed
            if lay["center_headings"]:
                txt = " " * max(0, (lay["width"] - len(txt)) // 2) + txt
            self._put(_LLine("heading", txt, para=b.index))
            b.placed = len(b.words)
            if lay["heading_blank"] and b.style != "title":
                self._put(_LLine("blank", ""))
            return
        words = list(b.words)
        toks: list[tuple[str, int]] = [(w, i) for i, w in enumerate(words)]  # (display, word idx)
        width_now = lay["width"] - rng.randint(0, 5)
        prefix = ""
        if b.dropcap:
            first = words[0]
            lead = 1 if first[0] in "\"'(" and len(first) > 1 else 0
            self._put(_LLine("body", first[: lead + 1], para=b.index))
            rest = first[lead + 1:]
            toks = ([(rest, 0)] if rest else []) + toks[1:]
        elif lay["para_style"] == "indent":
            prefix = lay["indent"]
        cur = prefix
        line_notes: list[_Note] = []

        def flush(text: str, hyphen: dict | None, placed: int):
            self._room()  # may start a new page (or stop the issue)
            for note in line_notes:  # markers are decided on the page the call-out lands on
                note.marker, note.marker_raw = self._next_marker()
                text = text.replace("\x00", note.marker_raw, 1)
            ln = _LLine("body", text, para=b.index, hyphen=hyphen, w0=b.placed)
            self._put(ln)
            b.placed = placed
            b.last_line = ln
            for note in line_notes:
                self._attach_note(note)
            line_notes.clear()

        i = 0
        while i < len(toks):
            disp, wi = toks[i]
            note = b.callouts.get(wi)
            if note is not None and note not in line_notes and not disp.endswith("\x00"):
                disp = disp + (" \x00" if lay["note_style"] == "paren" else "\x00")
                toks[i] = (disp, wi)
            sep = "" if not cur.strip() else " "
            if len(cur) + len(sep) + len(disp) <= width_now or not cur.strip():
                cur += sep + disp
                if note is not None:
                    line_notes.append(note)
                i += 1
                continue
            # does not fit: try a line-end hyphen
            room = width_now - len(cur) - 1
            hy = None
            m = re.fullmatch(r"([\"'(]?)([A-Za-z]+)((?:-[A-Za-z]+)+)([,.;:!?\"')]*)", disp)
            if note is None and m:
                # a real compound: break after its (first) hyphen if the first part fits
                first = m.group(1) + m.group(2) + "-"
                if len(first) <= room and rng.random() < 0.85:
                    ch = "-" if rng.random() >= lay["compound_alt_rate"] else rng.choice(HYPHEN_CHARS[:2])
                    hy = {"kind": "keep", "word": words[wi], "char": ch,
                          "prefix": first[:-1], "suffix": disp[len(first):]}
            elif note is None and re.fullmatch(r"[\"'(]?[A-Za-z]{6,}[,.;:!?\"')]*", disp) \
                    and wi != 0 and rng.random() < lay["hyphen_rate"]:
                lead = 1 if disp[0] in "\"'(" else 0
                core = re.match(r"[\"'(]?([A-Za-z]+)", disp).group(1)
                ks = [k for k in range(2, len(core) - 2) if lead + k + 1 <= room]
                if ks:
                    k = ks[-1] if rng.random() < 0.7 else rng.choice(ks)
                    ch = rng.choice(lay["hyphen_chars"])
                    hy = {"kind": "join", "word": words[wi], "char": ch,
                          "prefix": disp[: lead + k], "suffix": disp[lead + k:]}
            if hy is not None:
                hy["cut"] = len(sep) + len(hy["prefix"])  # chars to drop from the line end
                flush(cur + sep + hy["prefix"], hy, wi)
                toks[i] = (hy["suffix"], wi)
            else:
                flush(cur, None, wi)
            cur = ""
            width_now = lay["width"] - rng.randint(0, 5)
        if cur.strip():
            flush(cur, None, len(words))

    def _attach_note(self, note: _Note):
        """Lay out the note's lines at the foot of the current page (maybe continued)."""
        lay, rng = self.lay, self.rng
        note.page = self.page
        note.pages = [self.page]
        width = lay["width"]
        words = (note.marker_raw + " " + note.text).split()
        lines: list[tuple[str, dict | None]] = []
        cur = ""
        i = 0
        while i < len(words):
            w = words[i]
            if cur and len(cur) + 1 + len(w) > width:
                room = width - len(cur) - 1
                hy = None
                if i > 0 and re.fullmatch(r"[A-Za-z]{6,}[,.;:!?]*", w) and rng.random() < lay["hyphen_rate"] * 0.6:
                    core = re.match(r"[A-Za-z]+", w).group(0)
                    ks = [k for k in range(2, len(core) - 2) if k + 1 <= room]
                    if ks:
                        k = ks[-1]
                        hy = {"kind": "join", "word": note.text.split()[i - 1], "char": rng.choice(lay["hyphen_chars"]),
                              "prefix": w[:k], "suffix": w[k:], "note": note.id}
                if hy is not None:
                    lines.append((cur + " " + hy["prefix"], hy))
                    words[i] = hy["suffix"]
                else:
                    lines.append((cur, None))
                cur = ""
                continue
            cur = (cur + " " + w) if cur else w
            i += 1
        if cur:
            lines.append((cur, None))
        ll = [_LLine("note", t, note=note.id, hyphen=hy) for t, hy in lines]
        if len(ll) >= 2 and self.page + 1 < self.n_pages and rng.random() < lay["continued_rate"]:
            k = rng.randint(1, len(ll) - 1)
            note.parts = [" ".join(t for t, _ in lines[:k]).split(" ", 1)[-1], " ".join(t for t, _ in lines[k:])]
            self.pages_notes[-1].extend(ll[:k])
            self.carry_notes.extend(ll[k:])
            note.continued = True
            note.pages = [self.page, self.page + 1]
        else:
            self.pages_notes[-1].extend(ll)

    # -- the whole issue
    def run(self) -> SynthIssue:
        rng, lay = self.rng, self.lay
        self.cap = lay["lines_per_page"] + rng.randint(-2, 2)
        self.cur_article = 0
        self.start_midway = rng.random() < 0.6  # the dump starts inside an article
        lo, hi = lay["article_pages"]
        try:
            art = 0
            while True:
                if art > 0 or not self.start_midway:
                    for b in self._make_article(art):
                        self.blocks.append(b)
                        self.cur_article = art
                        self.page_articles[-1] = art if not self.pages_body[-1] else self.page_articles[-1]
                        self._emit_paragraph(b)
                else:
                    self.article_titles.append(_article_title(rng))
                    self.sections.append(rng.choice(_SECTIONS))
                first = True
                target = self.page + rng.randint(lo, hi)
                while self.page < target:
                    if not first and rng.random() < lay["subheading_rate"]:
                        sub = _Block("heading", _subheading(rng).split(), len(self.blocks), article=art,
                                     style="subheading")
                        self.blocks.append(sub)
                        self._emit_paragraph(sub)
                    b = self._make_paragraph(art, first and (art > 0 or not self.start_midway))
                    self.blocks.append(b)
                    self._emit_paragraph(b)
                    first = False
                art += 1
                self.cur_article = art
        except _PageLimit:
            self._truncate_last()
        return self._assemble()

    def _truncate_last(self):
        """The issue ended inside a block: keep in the truth only what reached the pages."""
        if not self.blocks:
            return
        b = self.blocks[-1]
        if b.kind != "paragraph":
            return
        body = self.pages_body[-1]
        last = getattr(b, "last_line", None)
        if b.placed <= 0 or last is None:
            self.pages_body[-1] = [ln for ln in body if ln.para != b.index]
            b.words = []
            return
        if last.hyphen is not None:  # its second half never got printed: drop the first half
            last.text = last.text[: len(last.text) - last.hyphen["cut"]]
            last.hyphen = None
            if not last.text.strip():
                self.pages_body[-1] = [ln for ln in body if ln is not last]
        b.words = b.words[: b.placed]
        b.callouts = {k: v for k, v in b.callouts.items() if k < b.placed}

    # -- pages with furniture
    def _assemble(self) -> SynthIssue:
        rng, lay, nrng = self.rng, self.lay, self.nrng
        n = len(self.pages_body)
        title = _periodical_title(rng)
        volume = rng.randint(1, 40)
        number = rng.randint(1, 12)
        year = rng.randint(1880, 1965)
        p0 = rng.randint(1, 180)
        total = p0 + n - 1 + rng.randint(0, 120) + lay["viewer_offset"]
        noise = lay["noise"]
        eol = "\r\n" if lay["crlf"] else "\n"
        head_title = title.upper() if lay["head_case"] == "upper" else title
        shows_title = shows_count = shows_name = False
        pages_out: list[tuple[str, str]] = []
        pages_truth: list[dict] = []
        hyphens: list[dict] = []
        notes_seen_lines: dict[int, list] = {}
        para_pages: dict[int, list[int]] = {}
        para_first: dict[int, dict] = {}
        para_last: dict[int, str] = {}
        para_breaks: dict[int, list] = {}
        for pi in range(n):
            num = p0 + pi
            vnum = num + lay["viewer_offset"]
            verso = num % 2 == 0
            top: list[_LLine] = []
            bottom: list[_LLine] = []
            body = self.pages_body[pi]
            article_start = bool(body) and body[0].kind == "heading"
            has_folio = rng.random() >= lay["missing_folio_rate"] and not (article_start and rng.random() < 0.4)
            has_head = rng.random() < lay["head_rate"] and not (article_start and rng.random() < 0.7)
            folio_txt = str(num)
            if has_folio and rng.random() < lay["folio_ocr_rate"]:
                folio_txt = _ocr_digits(rng, folio_txt)
            art = self.page_articles[pi] if pi < len(self.page_articles) else 0
            art = min(art, len(self.article_titles) - 1)
            recto_txt = (self.article_titles[art] if lay["recto_head"] == "article" else self.sections[art])
            recto_txt = recto_txt.upper() if lay["head_case"] == "upper" else recto_txt
            head_txt = head_title if verso else recto_txt
            if has_head and verso:
                shows_name = True
            if has_head and rng.random() < lay["head_noise_rate"]:
                head_txt = _noisy_text(nrng, head_txt, 0.3, merge=False)
            viewer = lay["viewer"] and rng.random() < lay["viewer_rate"]
            if viewer:
                vt = self._viewer_title(title, volume, number, year, vnum, total)
                top.append(_LLine("viewer-title", vt))
                shows_title = True
                if lay["viewer_title_style"] == 3:
                    shows_count = True
                if lay["viewer_title_style"] in (1, 3):
                    shows_name = True
                if rng.random() < 0.7:
                    top.append(_LLine("blank", ""))
            pos = lay["folio_pos"]
            if pos == "head" and has_head:
                gap = " " * rng.choice([1, 1, 2, 4])
                if has_folio:
                    txt = f"{folio_txt}{gap}{head_txt}" if verso else f"{head_txt}{gap}{folio_txt}"
                else:
                    txt = head_txt
                top.append(_LLine("running-head", txt))
            else:
                folio_line = _LLine("folio", self._decor(folio_txt)) if has_folio else None
                if pos == "bottom" or (pos == "head" and not has_head):
                    if has_head:
                        top.append(_LLine("running-head", head_txt))
                    if folio_line:
                        bottom.append(folio_line)
                else:
                    if verso:
                        if folio_line:
                            top.append(folio_line)
                        if has_head:
                            top.append(_LLine("running-head", head_txt))
                    else:
                        if has_head:
                            top.append(_LLine("running-head", head_txt))
                        if folio_line:
                            top.append(folio_line)
            if top and top[-1].kind != "blank" and rng.random() < 0.25:
                top.append(_LLine("blank", ""))
            notes = self.pages_notes[pi]
            foot: list[_LLine] = []
            if notes:
                if lay["note_blank"]:
                    foot.append(_LLine("blank", ""))
                foot.extend(notes)
            tail: list[_LLine] = list(bottom)
            if viewer:
                if rng.random() < 0.9:
                    nav = self._viewer_nav(vnum, total)
                    tail.append(_LLine("viewer-nav", nav))
                    if re.search(rf"(?<!\d){total}$", nav):
                        shows_count = True
                if rng.random() < 0.85:
                    tail.append(_LLine("viewer-credit", lay["credit"]))
            # render body/note lines with noise and fragments
            rendered: list[_LLine] = []
            for ln in body:
                rendered.extend(self._render(ln, noise))
            for ln in foot:
                rendered.extend(self._render(ln, noise * lay["note_noise_factor"], note=True))
            all_lines = top + rendered + tail
            while all_lines and all_lines[-1].kind == "blank":  # a page never ends with a blank line
                all_lines.pop()
            while all_lines and all_lines[0].kind == "blank":
                all_lines.pop(0)
            # offsets
            texts = [ln.text for ln in all_lines]
            raw = eol.join(texts) + (eol if lay["final_newline"] else "")
            offs = []
            pos_ = 0
            for t in texts:
                offs.append(pos_)
                pos_ += len(t) + len(eol)
            furn, body_idx, note_idx, blank_idx, head_idx = [], [], [], [], []
            for li, ln in enumerate(all_lines):
                if ln.kind in FURNITURE_KINDS:
                    furn.append({"line": li, "kind": ln.kind, "text": ln.text})
                elif ln.kind == "blank":
                    blank_idx.append(li)
                elif ln.kind == "note":
                    note_idx.append(li)
                    notes_seen_lines.setdefault(ln.note, []).append([pi, li])
                else:
                    body_idx.append(li)
                    if ln.kind == "heading":
                        head_idx.append(li)
                    if ln.para is not None:
                        pl = para_pages.setdefault(ln.para, [])
                        if pi not in pl:
                            if pl:  # the paragraph goes on on this page: where, in its words
                                para_breaks.setdefault(ln.para, []).append([pi, ln.w0])
                            pl.append(pi)
                        if ln.para not in para_first:
                            prev = all_lines[li - 1] if li else None
                            para_first[ln.para] = {
                                "page": pi, "line": li, "text": ln.text,
                                "after_blank": prev is not None and prev.kind == "blank",
                                "page_top": all(x.kind in FURNITURE_KINDS or x.kind == "blank"
                                                for x in all_lines[:li])}
                        para_last[ln.para] = ln.text
                if ln.hyphen:
                    h = dict(ln.hyphen)
                    h.update(page=pi, line=li, offset=offs[li] + len(ln.text) - len(h["char"]))
                    assert raw[h["offset"]:h["offset"] + len(h["char"])] == h["char"]
                    hyphens.append(h)
            name = f"page-{pi + 1:03d}.txt"
            pages_out.append((name, raw))
            pages_truth.append({
                "index": pi, "name": name, "number": num,
                "folio": folio_txt if has_folio else None,
                "verso": verso, "furniture": furn, "body_lines": body_idx, "heading_lines": head_idx,
                "note_lines": note_idx, "blank_lines": blank_idx, "line_count": len(all_lines),
            })
        # cross-page hyphens: the hyphen line is the last body line of its page, or the last line
        # of a footnote part that goes on on the next page
        for h in hyphens:
            if h.get("note") is not None:
                nl = notes_seen_lines.get(h["note"], [])
                here = [li for pg, li in nl if pg == h["page"]]
                h["cross_page"] = h["line"] == max(here) and any(pg == h["page"] + 1 for pg, _ in nl)
                h["in_note"] = True
                continue
            body_lines = pages_truth[h["page"]]["body_lines"]
            h["cross_page"] = bool(body_lines) and h["line"] == body_lines[-1] and h["page"] + 1 < n
            h["in_note"] = False
        paragraphs = []
        for b in self.blocks:
            pgs = para_pages.get(b.index, [])
            if not pgs or not b.words:
                continue
            paragraphs.append(b)
        # re-index paragraphs that made it onto the pages
        new_index = {b.index: k for k, b in enumerate(paragraphs)}
        paras_truth = []
        prev_b = None
        for b in paragraphs:
            pgs = para_pages[b.index]
            first = para_first[b.index]
            cues = []
            if first["after_blank"]:
                cues.append("blank")
            if first["text"][:1] in (" ", "\t") and b.kind == "paragraph":
                cues.append("indent")
            if b.dropcap:
                cues.append("dropcap")
            if b.kind == "heading" or (prev_b is not None and prev_b.kind == "heading"):
                cues.append("heading")
            if prev_b is not None:
                last = para_last[prev_b.index].rstrip()
                if len(last) < 0.7 * lay["width"]:
                    cues.append("short-line")
                if re.search(r"[.!?][\"')]?$", last):
                    cues.append("sentence-end")
            if first["page_top"]:
                cues.append("page-top")
            prev_b = b
            paras_truth.append({
                "index": new_index[b.index], "kind": b.kind, "text": " ".join(b.words),
                "pages": pgs, "page_numbers": [p0 + p for p in pgs], "dropcap": b.dropcap,
                "first_line": [first["page"], first["line"]], "cues": cues,
                "role": b.style or None,  # headings: title | byline | subheading
                "page_breaks": para_breaks.get(b.index, []),  # [page, index of the first word there]
                "callouts": [{"word": wi, "note": note.id, "marker": note.marker}
                             for wi, note in sorted(b.callouts.items()) if note.marker and note.page >= 0],
            })
        notes_truth = []
        for note in self.notes:
            if note.page < 0 or note.id not in notes_seen_lines or note.para not in new_index:
                continue
            lines = notes_seen_lines[note.id]
            notes_truth.append({
                "id": note.id, "marker": note.marker, "marker_raw": note.marker_raw,
                "text": note.text, "page": note.page, "page_number": p0 + note.page,
                "paragraph": new_index[note.para], "callout_word": note.word,
                "continued": note.continued and len({pl[0] for pl in lines}) > 1,
                "pages": sorted({pl[0] for pl in lines}), "lines": lines,
                "parts": note.parts if note.continued else [note.text],
            })
        meta = {"title": title if shows_name else None,
                "volume": volume if shows_title else None,
                "number": number if shows_title else None,
                "year": year if shows_title else None,
                "page_count": total if shows_count else None}
        truth = {
            "format": "reissue-synth-truth/1", "seed": self.seed, "text_source": self.src.origin,
            "metadata": meta, "issue": {"title": title, "volume": volume, "number": number,
                                        "year": year, "page_count": total, "first_page": p0},
            "page_count": n, "layout": {k: v for k, v in lay.items()},
            "pages": pages_truth, "paragraphs": paras_truth, "hyphens": hyphens,
            "footnotes": notes_truth,
        }
        return SynthIssue(pages_out, truth, dict(lay))

    def _render(self, ln: _LLine, rate: float, note: bool = False) -> list[_LLine]:
        nrng, lay = self.nrng, self.lay
        if ln.kind == "blank":
            return [ln]
        text = ln.text
        if ln.kind == "note":
            # keep the marker at the line start readable (mostly)
            m = re.match(r"(\(\d+\)|\d+|[*\u2020\u2021\u00a7]+) ", text)
            if m and self.notes[ln.note].marker_raw == m.group(1) and text.startswith(m.group(0)):
                head, rest = m.group(0), text[m.end():]
                if nrng.random() < lay["marker_noise_rate"]:
                    head = {"*": "\u2022 ", "\u2020": "t ", "\u2021": "t ", "\u00a7": "S "}.get(
                        m.group(1)[0], head)
                text = head + _noisy_text(nrng, rest, rate)
            else:
                text = _noisy_text(nrng, text, rate)
            if ln.hyphen:
                return [_LLine(ln.kind, text + ln.hyphen["char"], note=ln.note, hyphen=ln.hyphen)]
            frag = lay["note_fragment_rate"]
        elif ln.kind == "heading":
            return [_LLine(ln.kind, text, para=ln.para)]
        else:
            lead = len(text) - len(text.lstrip())
            core = text[lead:]
            if ln.hyphen:
                pre = core
                text = text[:lead] + _noisy_text(nrng, pre, rate) + ln.hyphen["char"]
                return [_LLine(ln.kind, text, para=ln.para, hyphen=ln.hyphen, w0=ln.w0)]
            text = text[:lead] + _noisy_text(nrng, core, rate)
            frag = lay["fragment_rate"]
        words = text.split(" ")
        if frag and len(words) > 4 and nrng.random() < frag:
            k = nrng.randint(1, 2)
            parts = [" ".join(words[:-k])] + words[-k:]
            return [_LLine(ln.kind, p, para=ln.para, note=ln.note, w0=ln.w0) for p in parts if p]
        return [_LLine(ln.kind, text, para=ln.para, note=ln.note, w0=ln.w0)]

    def _decor(self, folio: str) -> str:
        d = self.lay["folio_decor"]
        if d == "dash":
            return f"\u2014 {folio} \u2014" if self.rng.random() < 0.5 else f"- {folio} -"
        if d == "bracket":
            return f"[{folio}]"
        return folio

    def _viewer_title(self, title, vol, no, year, vnum, total) -> str:
        st = self.lay["viewer_title_style"]
        if st == 0:
            return f"Vol. {vol} No. {no} {year} - page {vnum}"
        if st == 1:
            return f"{title} | Vol. {vol}, No. {no} ({year}) | p. {vnum}"
        if st == 2:
            return f"Volume {vol} Number {no} \u2014 {year} \u2014 Page {vnum}"
        return f"{title} v.{vol} n.{no} ({year}) page {vnum} of {total}"

    def _viewer_nav(self, vnum: int, total: int) -> str:
        st = self.lay["viewer"]
        if st == "flip":
            before = [str(k) for k in range(max(1, vnum - 5), vnum)]
            after = [str(k) for k in range(vnum + 1, min(total, vnum + 10) + 1)]
            s = "I," + ",".join(before)
            if after:
                s += " " + ",".join(after)
            if vnum + 10 < total:
                s += ",..." + str(total)
            return s
        if st == "pager":
            return f"Page {vnum} of {total}"
        if st == "arrows":
            return "\u00ab First \u2039 Prev | Next \u203a Last \u00bb"
        nums = [str(k) for k in range(max(1, vnum - 3), min(total, vnum + 3) + 1)]
        return " ".join(f"[{k}]" if k == str(vnum) else k for k in nums) + f" ... {total}"


class _PageLimit(Exception):
    pass


def generate_issue(seed: int, n_pages: int = 20, *, text_source=None, layout: dict | None = None) -> SynthIssue:
    """One synthetic issue of ``n_pages`` raw page dumps with its ground truth (deterministic)."""
    if n_pages < 1:
        raise ValueError("n_pages must be at least 1")
    src = load_text_source(text_source)
    lay = choose_layout(random.Random(f"layout-{seed}"))
    if layout:
        unknown = set(layout) - set(lay)
        if unknown:
            raise ValueError(f"unknown layout keys: {sorted(unknown)} (known: {sorted(lay)})")
        lay.update(layout)
    return _Gen(seed, n_pages, src, lay).run()


def write_issue(issue: SynthIssue, outdir: str | os.PathLike) -> Path:
    """Write ``page-001.txt``... (bytes exactly as generated) and ``truth.json`` into ``outdir``."""
    out = Path(outdir)
    out.mkdir(parents=True, exist_ok=True)
    for name, raw in issue.pages:
        with open(out / name, "w", encoding="utf-8", newline="") as fh:
            fh.write(raw)
    (out / "truth.json").write_text(json.dumps(issue.truth, ensure_ascii=False, indent=1), encoding="utf-8")
    return out


# ----------------------------------------------------------------------------------------------
# a perfect edition made from the truth (for tests of the scorer)


def truth_to_edition(truth: dict) -> dict:
    """The edition dict a perfect ``reissue build`` would produce for this truth (fields the
    scorer reads, in the ``reissue-edition/1`` shape)."""
    pages = [{"index": p["index"], "source": p["name"], "number": p["number"],
              "number_source": "folio" if p["folio"] else "sequence",
              "furniture": [{"kind": f["kind"], "text": f["text"], "line": f["line"]} for f in p["furniture"]]}
             for p in truth["pages"]]
    paras = [{"id": f"p{p['index']}", "kind": p["kind"], "text": p["text"],
              "pages": p["page_numbers"]} for p in truth["paragraphs"]]
    notes = []
    for n in truth["footnotes"]:
        words = truth["paragraphs"][n["paragraph"]]["text"].split(" ")
        callout = len(" ".join(words[: n["callout_word"] + 1]))
        notes.append({"id": f"n{n['id']}", "marker": n["marker"], "text": n["text"],
                      "page": n["page_number"], "page_index": n["page"],
                      "paragraph": f"p{n['paragraph']}", "callout": callout})
    edits = []
    for h in truth["hyphens"]:
        if h["kind"] == "join":
            edits.append({"stage": "reflow", "rule": "hyphen-join", "page": h["page"], "start": h["offset"],
                          "end": h["offset"] + len(h["char"]) + 1, "before": h["char"] + "\n", "after": "",
                          "superseded_by": None})
        else:
            s = h["offset"] + len(h["char"])
            edits.append({"stage": "reflow", "rule": "hyphen-keep", "page": h["page"], "start": s,
                          "end": s + 1, "before": "\n", "after": "", "superseded_by": None})
    return {"format": "reissue-edition/1", "metadata": dict(truth["metadata"]), "pages": pages,
            "paragraphs": paras, "footnotes": notes, "edits": edits, "problems": []}


# ----------------------------------------------------------------------------------------------
# scoring an edition against the truth

_WORD_STRIP = re.compile(r"[^\w]|_")
_CALLOUT_DIGITS = re.compile(r"(?<=[a-z])\d{1,2}$")


def _norm_word(tok: str) -> str:
    w = _WORD_STRIP.sub("", tok.lower())
    return _CALLOUT_DIGITS.sub("", w)


def _words(text: str) -> list[str]:
    out = []
    for tok in text.split():
        w = _norm_word(tok)
        if w:
            out.append(w)
    return out


def _norm_text(text: str) -> str:
    return " ".join(_words(text))


def _prf(tp: int, fp: int, fn: int) -> dict:
    p = tp / (tp + fp) if tp + fp else (1.0 if not fn else 0.0)
    r = tp / (tp + fn) if tp + fn else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4)}


def _ratio(a: int, b: int) -> float | None:
    return round(a / b, 4) if b else None


def _align(truth_words: list[str], pred_words: list[str]) -> tuple[list[int], int]:
    """For every predicted word, the truth word position it aligns to (an inserted word maps to
    the next truth word); plus the number of exactly equal aligned words."""
    from rapidfuzz.distance import Levenshtein

    m = [0] * len(pred_words)
    equal = 0
    for op in Levenshtein.opcodes(truth_words, pred_words):
        ts, te, ps, pe = op.src_start, op.src_end, op.dest_start, op.dest_end
        if op.tag == "equal":
            equal += te - ts
        for k in range(ps, pe):
            if op.tag in ("equal", "replace") and te > ts:
                m[k] = min(ts + (k - ps), te - 1)
            else:
                m[k] = ts
    return m, equal


def _title_key(s) -> str:
    return " ".join(str(s).casefold().split()) if s is not None else ""


def score_edition(edition: dict, truth: dict) -> dict:
    """Grade an edition dict (``document_to_dict`` shape) against a synthetic issue's truth.

    Every section holds raw ``counts`` (so several issues can be summed by
    :func:`aggregate_scores`) and the derived rates."""
    from rapidfuzz import fuzz

    out: dict = {}
    tpages = truth["pages"]
    epages = edition.get("pages", [])
    # ---- furniture (line level, and by kind)
    tset = {(p["index"], f["line"]): f["kind"] for p in tpages for f in p["furniture"]}
    blank = {(p["index"], li) for p in tpages for li in p["blank_lines"]}
    pset = {}
    for i, p in enumerate(epages):
        for f in p.get("furniture", []):
            key = (p.get("index", i), f.get("line"))
            if key not in blank:  # a blank line called furniture costs nothing
                pset[key] = f.get("kind")
    tp = len(set(tset) & set(pset))
    fc = {"tp": tp, "fp": len(pset) - tp, "fn": len(tset) - tp, "by_kind": {}, "confusion": {}}
    for key in set(tset) | set(pset):
        pair = f"{tset.get(key, '(body)')} -> {pset.get(key, '(body)')}"
        fc["confusion"][pair] = fc["confusion"].get(pair, 0) + 1
    kinds = sorted(set(tset.values()) | {k for k in pset.values() if k})
    for k in kinds:
        tk = {key for key, v in tset.items() if v == k}
        pk = {key for key, v in pset.items() if v == k}
        fc["by_kind"][k] = {"tp": len(tk & pk), "fp": len(pk - tk), "fn": len(tk - pk),
                            "found_any_kind": len(tk & set(pset))}
    out["furniture"] = {"counts": fc}
    # ---- page numbers
    pn = {"total": 0, "ok": 0, "folio_total": 0, "folio_ok": 0, "nofolio_total": 0, "nofolio_ok": 0}
    for tp_ in tpages:
        i = tp_["index"]
        got = epages[i].get("number") if i < len(epages) else None
        ok = got == tp_["number"]
        pn["total"] += 1
        pn["ok"] += ok
        key = "folio" if tp_["folio"] is not None else "nofolio"
        pn[key + "_total"] += 1
        pn[key + "_ok"] += ok
    out["page_numbers"] = {"counts": pn}
    # ---- metadata
    md = {"total": 0, "ok": 0, "spurious": 0, "fields": {}}
    emd = edition.get("metadata") or {}
    for k, tv in truth["metadata"].items():
        pv = emd.get(k)
        if tv is None:
            md["spurious"] += pv is not None and k != "page_count"
            continue
        if k == "title":
            ok = _title_key(pv) == _title_key(tv)
        else:
            try:
                ok = pv is not None and int(pv) == int(tv)
            except (TypeError, ValueError):
                ok = False
        md["total"] += 1
        md["ok"] += ok
        md["fields"][k] = {"total": 1, "ok": int(ok)}
    out["metadata"] = {"counts": md}
    # ---- line-end hyphens (from the edits)
    hy_edits: dict[int, list] = {}
    for e in edition.get("edits", []):
        if e.get("rule") in ("hyphen-join", "hyphen-keep"):
            hy_edits.setdefault(e.get("page"), []).append(e)
    hc = {"join_total": 0, "join_ok": 0, "keep_total": 0, "keep_ok": 0, "cross_total": 0,
          "cross_ok": 0, "undecided": 0, "failures": []}
    for h in truth["hyphens"]:
        pos = h["offset"] + len(h["char"])  # just after the hyphen char
        got = None
        for e in hy_edits.get(h["page"], []):
            if e["start"] <= pos <= e["end"] and e["end"] > h["offset"] and e["start"] >= h["offset"] - 1:
                got = "join" if e["rule"] == "hyphen-join" else "keep"
                break
        ok = got == h["kind"]
        hc[h["kind"] + "_total"] += 1
        hc[h["kind"] + "_ok"] += ok
        if h.get("cross_page"):
            hc["cross_total"] += 1
            hc["cross_ok"] += ok
        if got is None:
            hc["undecided"] += 1
        if not ok:
            hc["failures"].append({"page": h["page"], "line": h["line"], "word": h["word"],
                                   "expected": h["kind"], "got": got, "cross_page": h.get("cross_page")})
    out["hyphens"] = {"counts": hc}
    # ---- paragraphs: align word streams
    t_words: list[str] = []
    t_para_of: list[int] = []
    t_starts: dict[int, int] = {}
    for p in truth["paragraphs"]:
        ws = _words(p["text"])
        if not ws:
            continue
        t_starts[len(t_words)] = p["index"]
        t_words.extend(ws)
        t_para_of.extend([p["index"]] * len(ws))
    p_words: list[str] = []
    p_starts: list[tuple[int, dict]] = []
    p_first_word: dict[str, int] = {}
    for para in edition.get("paragraphs", []):
        ws = _words(para.get("text", ""))
        p_first_word[para.get("id")] = len(p_words)
        if not ws:
            continue
        p_starts.append((len(p_words), para))
        p_words.extend(ws)
    amap, equal = _align(t_words, p_words) if t_words and p_words else ([0] * len(p_words), 0)
    truth_b = set(t_starts) - {0}
    pred_b = [amap[j] for j, _ in p_starts if j > 0]
    ptp = len(truth_b & set(pred_b))
    visible_cues = {"blank", "indent", "dropcap", "heading", "short-line"}
    vis = {pos for pos in truth_b if visible_cues & set(truth["paragraphs"][t_starts[pos]].get("cues", []))}
    # article titles must come out as headings; a byline only has to be a paragraph of its own
    heading_total = sum(1 for p in truth["paragraphs"] if p["kind"] == "heading" and p.get("role") != "byline")
    start_kind = {}
    for j, para in p_starts:
        start_kind.setdefault(amap[j] if j < len(amap) else -1, para.get("kind"))
    heading_ok = sum(1 for pos, pi in t_starts.items()
                     if truth["paragraphs"][pi]["kind"] == "heading" and truth["paragraphs"][pi].get("role") != "byline"
                     and start_kind.get(pos) == "heading")
    # paragraphs that run over a page break must not be broken there
    pb_total = pb_kept = 0
    pb_fail: list[dict] = []
    pos_of = {pi: pos for pos, pi in t_starts.items()}
    pred_bset = set(pred_b)
    for tpara in truth["paragraphs"]:
        words = tpara["text"].split()
        for _pg, wi in tpara.get("page_breaks", []):
            if tpara["index"] not in pos_of or wi <= 0:
                continue
            pos = pos_of[tpara["index"]] + len(_words(" ".join(words[:wi])))
            pb_total += 1
            near = {pos} if pos + 1 in truth_b or pos + 1 >= len(t_words) else {pos, pos + 1}
            kept = not (near & pred_bset)
            pb_kept += kept
            if not kept and len(pb_fail) < 50:
                pb_fail.append({"type": "broken-at-page-break", "paragraph": tpara["index"], "page": _pg,
                                "at": " ".join(words[max(0, wi - 3):wi + 4])})
    pc = {"tp": ptp, "fp": len(pred_b) - ptp, "fn": len(truth_b) - ptp,
          "page_break_total": pb_total, "page_break_kept": pb_kept,
          "truth_paragraphs": len(t_starts), "pred_paragraphs": len(p_starts),
          "truth_words": len(t_words), "pred_words": len(p_words), "equal_words": equal,
          "heading_total": heading_total, "heading_ok": heading_ok,
          "visible_total": len(vis), "visible_tp": len(vis & set(pred_b)),
          "hidden_total": len(truth_b - vis), "hidden_tp": len((truth_b - vis) & set(pred_b)),
          "failures": []}
    # concrete failures: missed boundaries and false ones (page of the truth paragraph)
    pred_set = set(pred_b)
    for pos in sorted(truth_b - pred_set)[:50]:
        tpara = truth["paragraphs"][t_starts[pos]]
        pc["failures"].append({"type": "missed-boundary", "paragraph": tpara["index"],
                               "page": tpara["pages"][0], "line": tpara.get("first_line", [None, None])[1],
                               "cues": tpara.get("cues"), "starts": " ".join(tpara["text"].split()[:6])})
    for pos in sorted(pred_set - truth_b)[:50]:
        tpara = truth["paragraphs"][t_para_of[min(pos, len(t_para_of) - 1)]] if t_para_of else None
        pc["failures"].append({"type": "false-boundary", "paragraph": tpara["index"] if tpara else None,
                               "page": tpara["pages"][0] if tpara else None,
                               "at": " ".join(t_words[pos:pos + 6])})
    pc["failures"].extend(pb_fail)
    out["paragraphs"] = {"counts": pc}
    # ---- footnotes
    tnotes = truth["footnotes"]
    pnotes = edition.get("footnotes", [])
    pid_index = {para.get("id"): k for k, para in enumerate(edition.get("paragraphs", []))}
    pairs = []
    for ti, tn in enumerate(tnotes):
        tt = _norm_text(tn["text"])
        for pi, pnn in enumerate(pnotes):
            s = fuzz.ratio(tt, _norm_text(pnn.get("text", ""))) / 100.0
            if pnn.get("page_index", pnn.get("page")) == tn["page"]:
                s += 0.001  # prefer the same page on ties
            if s >= 0.5:
                pairs.append((s, ti, pi))
    pairs.sort(reverse=True)
    used_t, used_p, match = set(), set(), {}
    for s, ti, pi in pairs:
        if ti in used_t or pi in used_p:
            continue
        used_t.add(ti)
        used_p.add(pi)
        match[ti] = (pi, min(s, 1.0))
    nc = {"truth": len(tnotes), "pred": len(pnotes), "found": len(match), "marker_ok": 0,
          "page_ok": 0, "linked_ok": 0, "sim_sum": 0.0, "continued_total": 0, "continued_joined": 0,
          "failures": []}
    for ti, tn in enumerate(tnotes):
        if tn["continued"]:
            nc["continued_total"] += 1
        if ti not in match:
            nc["failures"].append({"type": "not-found", "page": tn["page"], "marker": tn["marker"],
                                   "starts": " ".join(tn["text"].split()[:6])})
            continue
        pi, s = match[ti]
        pnn = pnotes[pi]
        nc["sim_sum"] += s
        mk = lambda m: str(m or "").strip().strip("()").strip()  # noqa: E731
        mok = mk(pnn.get("marker")) == mk(tn["marker"])
        nc["marker_ok"] += mok
        nc["page_ok"] += pnn.get("page_index", pnn.get("page")) == tn["page"]
        linked = None
        pid = pnn.get("paragraph")
        if pid in p_first_word and pid in pid_index and amap:
            para = edition["paragraphs"][pid_index[pid]]
            j0 = p_first_word[pid]
            co = pnn.get("callout")
            if co is not None:
                j = j0 + max(0, len(_words(para.get("text", "")[:co])) - 1)
                if j < len(amap):
                    linked = t_para_of[amap[j]] if amap[j] < len(t_para_of) else None
            if linked is None:
                n = len(_words(para.get("text", "")))
                tps = [t_para_of[amap[k]] for k in range(j0, min(j0 + n, len(amap))) if amap[k] < len(t_para_of)]
                linked = max(set(tps), key=tps.count) if tps else None
        lok = linked == tn["paragraph"]
        nc["linked_ok"] += lok
        joined = True
        if tn["continued"]:
            ptxt = _norm_text(pnn.get("text", ""))
            parts = tn.get("parts") or [tn["text"]]
            joined = all(fuzz.partial_ratio(_norm_text(x), ptxt) >= 80 for x in parts if _norm_text(x))
            nc["continued_joined"] += joined
        if not (mok and lok and joined and s >= 0.8):
            nc["failures"].append({"type": "imperfect", "page": tn["page"], "marker": tn["marker"],
                                   "got_marker": pnn.get("marker"), "similarity": round(s, 3),
                                   "linked": lok, "continued": tn["continued"], "joined": joined})
    out["footnotes"] = {"counts": nc}
    return _derive(out)


def _derive(out: dict) -> dict:
    """(Re)compute the rates of every section from its counts."""
    fc = out["furniture"]["counts"]
    out["furniture"].update(_prf(fc["tp"], fc["fp"], fc["fn"]))
    out["furniture"]["by_kind"] = {k: {**_prf(v["tp"], v["fp"], v["fn"]),
                                       "detected_any_kind": _ratio(v["found_any_kind"], v["tp"] + v["fn"])}
                                   for k, v in fc["by_kind"].items()}
    pn = out["page_numbers"]["counts"]
    out["page_numbers"].update(accuracy=_ratio(pn["ok"], pn["total"]),
                               with_folio=_ratio(pn["folio_ok"], pn["folio_total"]),
                               without_folio=_ratio(pn["nofolio_ok"], pn["nofolio_total"]))
    md = out["metadata"]["counts"]
    out["metadata"].update(accuracy=_ratio(md["ok"], md["total"]),
                           fields={k: _ratio(v["ok"], v["total"]) for k, v in md["fields"].items()},
                           spurious=md["spurious"])
    hc = out["hyphens"]["counts"]
    out["hyphens"].update(accuracy=_ratio(hc["join_ok"] + hc["keep_ok"], hc["join_total"] + hc["keep_total"]),
                          join=_ratio(hc["join_ok"], hc["join_total"]),
                          keep=_ratio(hc["keep_ok"], hc["keep_total"]),
                          cross_page=_ratio(hc["cross_ok"], hc["cross_total"]))
    pc = out["paragraphs"]["counts"]
    out["paragraphs"].update(_prf(pc["tp"], pc["fp"], pc["fn"]))
    out["paragraphs"].update(word_recall=_ratio(pc["equal_words"], pc["truth_words"]),
                             word_precision=_ratio(pc["equal_words"], pc["pred_words"]),
                             headings=_ratio(pc["heading_ok"], pc["heading_total"]),
                             recall_visible=_ratio(pc["visible_tp"], pc["visible_total"]),
                             page_break_kept=_ratio(pc["page_break_kept"], pc["page_break_total"]),
                             recall_hidden=_ratio(pc["hidden_tp"], pc["hidden_total"]))
    nc = out["footnotes"]["counts"]
    out["footnotes"].update(recall=_ratio(nc["found"], nc["truth"]),
                            precision=_ratio(nc["found"], nc["pred"]) if nc["pred"] else (1.0 if not nc["truth"] else 0.0),
                            marker=_ratio(nc["marker_ok"], nc["found"]),
                            page=_ratio(nc["page_ok"], nc["found"]),
                            linked=_ratio(nc["linked_ok"], nc["found"]),
                            text_similarity=_ratio(nc["sim_sum"], nc["found"]),
                            continued_joined=_ratio(nc["continued_joined"], nc["continued_total"]))
    return out


def aggregate_scores(scores: Sequence[dict]) -> dict:
    """Sum the counts of several :func:`score_edition` results (micro averages)."""
    if not scores:
        raise ValueError("no scores to aggregate")
    agg = json.loads(json.dumps({k: {"counts": v["counts"]} for k, v in scores[0].items()}))
    for s in scores[1:]:
        for sec, v in s.items():
            _add_counts(agg[sec]["counts"], v["counts"])
    return _derive(agg)


def _add_counts(a: dict, b: dict):
    for k, v in b.items():
        if isinstance(v, dict):
            _add_counts(a.setdefault(k, {}), v)
        elif isinstance(v, list):
            a.setdefault(k, []).extend(v)
        else:
            a[k] = a.get(k, 0) + v


# ----------------------------------------------------------------------------------------------
# command line


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m reissue.synth",
                                 description="Write synthetic OCR page dumps with their truth.json.")
    ap.add_argument("outdir")
    ap.add_argument("--issues", type=int, default=1)
    ap.add_argument("--pages", type=int, default=20)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--noise", type=float, default=None, help="per-word OCR noise rate (default: drawn per issue)")
    ap.add_argument("--text-source", default=None,
                    help=f"folder of HIPE *-train.jsonl, a text file, or 'builtin' (default: {DEFAULT_TEXT_DIR} if present)")
    a = ap.parse_args(argv)
    if a.issues < 1 or a.pages < 1:
        ap.error("--issues and --pages must be at least 1")
    lay = {"noise": a.noise} if a.noise is not None else None
    for k in range(a.issues):
        issue = generate_issue(a.seed + k, a.pages, text_source=a.text_source, layout=lay)
        d = write_issue(issue, Path(a.outdir) / f"issue-{a.seed + k:04d}")
        print(f"{d}: {len(issue.pages)} pages, {len(issue.truth['paragraphs'])} paragraphs, "
              f"{len(issue.truth['footnotes'])} footnotes, {len(issue.truth['hyphens'])} line-end hyphens")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
