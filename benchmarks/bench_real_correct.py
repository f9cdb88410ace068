#!/usr/bin/env python
"""Correction on real pages that have ground truth: character error before and after, and every edit judged.

The samples hold one real OCR output with a ground truth of the same pages: the 1784 Berlinische
Monatsschrift as raw Tesseract PAGE (``page-tesseract``) beside its PAGE ground truth (``page-gt``).
Both are built the way a user builds them (default options: language identification, the guard, the
shipped models); the reading text of the OCR (corrections off, then on) is compared with the reading
text of the ground truth (corrections off). The ground truth is also built with corrections on:
any edit there is damage (it is already right).

Each correction is judged against the ground truth word it stands for (found by aligning the
uncorrected reading text with the ground truth character by character): ``fixed`` (now equals the
ground truth), ``better`` (closer), ``same`` (no closer, no farther), ``worse`` (farther). Every
edit that is not ``fixed`` is printed with its context, to be read by hand.

The texts are compared after Unicode NFC, with the Fraktur superscript e over a, o, u (``aͤ``)
read as the umlaut (Tesseract writes ``ä``), and white space collapsed.

    .venv/bin/python benchmarks/bench_real_correct.py [--samples ../shared/samples]
"""
from __future__ import annotations

import argparse
import difflib
import re
import sys
import time
import unicodedata
from pathlib import Path

from rapidfuzz.distance import Levenshtein

from reissue.edition import document_to_dict, rebuild_raw
from reissue.ingest import load_inputs
from reissue.pipeline import process

HERE = Path(__file__).resolve().parent.parent
PAIRS = [("Berlinische Monatsschrift 1784, Tesseract PAGE", "berlinische-monatsschrift-1784-12/page-tesseract",
          "berlinische-monatsschrift-1784-12/page-gt")]
SUPERSCRIPT_E = {"a": "ä", "o": "ö", "u": "ü", "A": "Ä", "O": "Ö", "U": "Ü"}


def normal(text: str) -> str:
    text = re.sub("([aouAOU])\u0364", lambda m: SUPERSCRIPT_E[m.group(1)], text)
    return " ".join(unicodedata.normalize("NFC", text).split())


def reading(path: Path, correct: bool) -> tuple[str, int, float]:
    """Reading text of an edition (paragraphs and notes), its number of correction edits, CPU seconds."""
    t0 = time.process_time()
    doc = process(load_inputs([str(path)]), correct=correct)
    d = document_to_dict(doc)
    cpu = time.process_time() - t0
    assert rebuild_raw(d) == [p.raw for p in doc.pages], f"{path}: raw text does not rebuild"
    text = " ".join(p["text"] for p in d["paragraphs"] + d["footnotes"])
    n = sum(1 for e in d["edits"] if e["stage"] == "correct" and not e["superseded_by"])
    return normal(text), n, cpu


def char_map(a: str, b: str) -> list[int]:
    """For each position of ``a`` (and its end), the position of ``b`` it aligns with."""
    m = [0] * (len(a) + 1)
    for tag, i1, i2, j1, j2 in Levenshtein.opcodes(a, b):
        for k in range(i1, i2 + 1):
            m[k] = j1 + min(k - i1, j2 - j1) if tag != "delete" else j1
    return m


def word_at(text: str, a: int, b: int) -> str:
    """The whole words of ``text`` that the span [a, b) touches."""
    while a > 0 and text[a - 1] != " ":
        a -= 1
    while b < len(text) and text[b] != " ":
        b += 1
    return text[a:b].strip()


def judge(before: str, after: str, truth: str) -> list[tuple[str, str, str, str, str]]:
    """Each changed word group of ``before`` -> ``after``, with its ground-truth words and a verdict."""
    bw, aw = before.split(" "), after.split(" ")
    offs, pos = [], 0
    for w in bw:
        offs.append(pos)
        pos += len(w) + 1
    offs.append(pos)
    to_truth = char_map(before, truth)
    out = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, bw, aw, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        a, b = offs[i1], max(offs[i1], offs[i2] - 1)
        gt = word_at(truth, to_truth[a], to_truth[b]) if b > a else ""
        old, new = " ".join(bw[i1:i2]), " ".join(aw[j1:j2])
        d_old, d_new = Levenshtein.distance(old, gt), Levenshtein.distance(new, gt)
        verdict = "fixed" if new == gt else "better" if d_new < d_old else "worse" if d_new > d_old else "same"
        ctx = before[max(0, a - 40):a] + "[" + old + "]" + before[b:b + 30]
        out.append((verdict, old, new, gt, ctx))
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--samples", default=str(HERE.parent / "shared" / "samples"))
    args = ap.parse_args(argv)
    samples = Path(args.samples)
    status = 0
    for name, ocr_dir, gt_dir in PAIRS:
        ocr, gt = samples / ocr_dir, samples / gt_dir
        if not (ocr.is_dir() and gt.is_dir()):
            print(f"{name}: samples not found under {samples}", file=sys.stderr)
            status = 2
            continue
        truth, _, _ = reading(gt, correct=False)
        _, gt_edits, _ = reading(gt, correct=True)
        runs0 = [reading(ocr, correct=False) for _ in range(3)]  # warm; the least CPU of three
        runs1 = [reading(ocr, correct=True) for _ in range(3)]
        (before, _, _), (after, n_edits, _) = runs0[0], runs1[0]
        cpu0, cpu1 = min(r[2] for r in runs0), min(r[2] for r in runs1)
        cer0 = Levenshtein.distance(before, truth) / len(truth)
        cer1 = Levenshtein.distance(after, truth) / len(truth)
        verdicts = judge(before, after, truth)
        counts = {v: sum(1 for x in verdicts if x[0] == v) for v in ("fixed", "better", "same", "worse")}
        print(f"{name}: {len(truth):,} characters of ground truth")
        print(f"  CER against the ground truth: no correction {cer0:.4f} -> reissue {cer1:.4f} "
              f"({(cer1 - cer0) / cer0:+.1%})")
        print(f"  {n_edits} correction edits; changed word groups: " + ", ".join(f"{v} {c}" for v, c in counts.items()))
        print(f"  edits on the ground truth itself (damage): {gt_edits}")
        print(f"  CPU (least of 3): build with correction {cpu1:.3f} s = {cpu1 / cpu0:.2f}x the same build without")
        for verdict, old, new, gt, ctx in verdicts:
            if verdict != "fixed":
                print(f"    {verdict:6} {old!r} -> {new!r} (ground truth {gt!r}): ...{ctx}...")
    return status


if __name__ == "__main__":
    sys.exit(main())
