"""Names, per-issue layout, OCR-like noise and the small records of the synthetic generator."""

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
