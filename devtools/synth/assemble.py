"""The synthetic generator, second part: pages with furniture, rendering with noise, the truth."""

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



from .text import FURNITURE_KINDS  # noqa: F401
from .parts import SynthIssue, _LLine, _noisy_text, _ocr_digits, _periodical_title  # noqa: F401

def _key(s: str) -> str:
    return " ".join(re.sub(r"[^a-z]+", " ", s.lower()).split())


def _same_head(printed: str, head: str) -> bool:
    """The running head as printed names ``head``: its letters, less a folio the OCR garbled into
    letters at either end ('AT HOME l81' -> 'at home l')."""
    got, want = _key(printed).split(), _key(head).split()
    return got == want or (len(got) == len(want) + 1 and len(got[0]) <= 2 and got[1:] == want) or (
        len(got) == len(want) + 1 and len(got[-1]) <= 2 and got[:-1] == want)


class _Assemble:
    """Pages with their furniture, rendering and noise, and the truth (a part of the generator)."""

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
                "article": b.article,
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
        truth["articles"] = self._articles_truth(paras_truth, pages_truth)
        return SynthIssue(pages_out, truth, dict(lay))

    def _articles_truth(self, paras: list[dict], pages: list[dict]) -> list[dict]:
        """Articles as printed: title and byline from their headings; an article whose title is not
        on these pages gets the recto running head printed over its pages, or none."""
        out: list[dict] = []
        for p in paras:
            art = p["article"]
            if not out or out[-1]["_art"] != art:
                out.append({"_art": art, "title": None, "byline": None, "section": None, "paragraphs": [],
                            "pages": []})
            a = out[-1]
            a["paragraphs"].append(p["index"])
            for pg in p["pages"]:
                if pg not in a["pages"]:
                    a["pages"].append(pg)
            if p["role"] == "title":
                a["title"] = p["text"]
            elif p["role"] == "byline":
                a["byline"] = p["text"][3:] if p["text"].startswith("By ") else p["text"]
        for a in out:
            if a["title"] is None:
                recto = (self.article_titles[a["_art"]] if self.lay["recto_head"] == "article"
                         else self.sections[a["_art"]])
                shown = any(f["kind"] == "running-head" and _same_head(f["text"], recto)
                            for pg in a["pages"] for f in pages[pg]["furniture"])
                a["title"] = recto if shown else None
            del a["_art"]
        return out

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
