"""The synthetic generator: articles, paragraphs, notes and hyphens laid out on pages."""

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



from .text import HYPHEN_CHARS, SYMBOL_MARKERS, TextSource, load_text_source  # noqa: F401
from .parts import SynthIssue, _Block, _COMPOUNDS, _LLine, _Note, _SECTIONS, _article_title, _author, _subheading, choose_layout  # noqa: F401
from .assemble import _Assemble  # noqa: F401

class _Gen(_Assemble):
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
