"""Clean text for the synthetic issues: the HIPE train ground truth or a built-in text."""

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




# Clean text by default: the folder named by $REISSUE_SYNTH_TEXT, else the HIPE English train split
# in the shared data folder beside the checkout (``<checkout>/../shared/data/hipe-en``) when present,
# else the built-in prose. Never shipped, read only at generation time.
TEXT_ENV = "REISSUE_SYNTH_TEXT"


def default_text_dir() -> str:
    env = os.environ.get(TEXT_ENV)
    if env:
        return env
    checkout = Path(__file__).resolve().parents[2]
    return str(checkout.parent / "shared" / "data" / "hipe-en")


DEFAULT_TEXT_DIR = default_text_dir()
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
        folder = default_text_dir()
        if os.path.isdir(folder):
            src = _load_hipe(folder)
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
