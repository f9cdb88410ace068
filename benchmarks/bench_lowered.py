#!/usr/bin/env python
"""How often the ``lowered`` pass is right (correct/casing.py: a capitalised word in mid-sentence written small).

The official scorer lower-cases every text, so ``bench_correct.py`` and ``bench_correct_cv.py`` cannot see these
edits. This script reads corrected HIPE records (a ``bench_correct_cv.py --dump`` file: held-out train, each fold's
table learned without its source), aligns each capitalised OCR word in mid-sentence (``casing.mid_capitals``) with
the output and with the ground truth (the blank-separated words aligned one to one, as training aligns them), and counts,
per word the output wrote small: right (the ground truth has it small), kept (the ground truth keeps the capital:
mostly a sentence start whose full stop the OCR lost) or other (the ground truth has another word). It also
counts those the output left capitalised, by what the ground truth has.

    .venv/bin/python benchmarks/bench_correct_cv.py --context --dump /tmp/cv.jsonl
    .venv/bin/python benchmarks/bench_lowered.py /tmp/cv.jsonl
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO / "src") not in sys.path:
    sys.path.insert(0, str(REPO / "src"))

from reissue.correct.casing import mid_capitals  # noqa: E402
from reissue.correct.tokens import one_to_one  # noqa: E402


def aligned(a: list[str], b: list[str]) -> dict[int, str]:
    """{place in a: the word of b aligned with it one to one} (tokens.one_to_one, as training aligns them)."""
    return {i: b[j] for i, j in one_to_one(a, b)}


def tally(records) -> tuple[dict, dict]:
    """({printed word: Counter of verdicts} of the words written small, {printed word: Counter} of those left)."""
    small, left = defaultdict(Counter), defaultdict(Counter)
    for r in records:
        ocr = r["ocr_hypothesis"]["transcription_unit"].split()
        at = list(mid_capitals(ocr))
        if not at:
            continue
        gt = aligned(ocr, r["ground_truth"]["transcription_unit"].split())
        out = aligned(ocr, r["ocr_postcorrection_output"]["transcription_unit"].split())
        for i in at:
            w, g, o = ocr[i], gt.get(i), out.get(i)
            if g is None or o is None:
                continue
            verdict = "right" if g == w.lower() else "kept" if g == w else "other"
            if o == w.lower():
                small[w][verdict] += 1
            elif o == w:
                left[w][verdict] += 1
    return small, left


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("dump", help="corrected HIPE records with their ground truth (bench_correct_cv.py --dump)")
    args = ap.parse_args(argv)
    with open(args.dump, encoding="utf-8") as fh:
        small, left = tally(json.loads(line) for line in fh if line.strip())
    total = sum(small.values(), Counter())
    decided = total["right"] + total["kept"] + total["other"]
    print(f"written small: {total['right']} right, {total['kept']} where the ground truth keeps the capital, "
          f"{total['other']} at another word: {total['right'] / decided:.0%} right" if decided else "written small: none")
    for w, c in sorted(small.items(), key=lambda kv: -sum(kv[1].values())):
        print(f"  {w:12s} {c['right']:4d} right {c['kept']:4d} kept {c['other']:4d} other")
    was_small = sum(c["right"] for c in left.values())
    most = sorted(left.items(), key=lambda kv: -kv[1]["right"])[:6]
    print(f"left capitalised where the ground truth has the word small: {was_small} (most often: "
          + ", ".join(f"{w} {c['right']}" for w, c in most) + ")")
    return 0


if __name__ == "__main__":
    sys.exit(main())
