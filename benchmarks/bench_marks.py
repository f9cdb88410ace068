"""Stray-mark fixes (src/reissue/correct/marks.py) against HIPE ground truth, fix by fix.

    .venv/bin/python benchmarks/bench_marks.py [--split train|dev] [--lang en,fr,de] [--all]

The official scorer does not see these marks: it scores text with every non-word character read
as a space (``reissue.evaluate.normalize``), so a mark glued to a word or standing alone costs
nothing there, and the correction benchmarks (bench_correct.py, bench_correct_cv.py) are blind to
them. A reader is not. This script scores each fix on the text as printed: the raw character edit
distance (no normalisation) of each document's OCR to its ground truth, before and after the fix,
summed over the documents the fix changes into characters of error removed and added; and the
characters it changes in the ground truth itself (text that is right: every change there is damage,
or a mark the transcribers kept). ``--all``: every registered fix in every language, to choose the
language's list (``languages.py`` mark_fixes) on train; the default is each language's own list.
Speed: the fixes' seconds per million characters, beside rapidfuzz's distance on the same texts.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from rapidfuzz.distance import Levenshtein

REPO = Path(__file__).resolve().parents[1]
if str(REPO / "src") not in sys.path:
    sys.path.insert(0, str(REPO / "src"))

from reissue.correct.languages import LANGUAGES  # noqa: E402
from reissue.correct.marks import FIXES, replay  # noqa: E402
from reissue.evaluate import load_jsonl  # noqa: E402


def pairs(data: Path, lang: str, split: str) -> list[tuple[str, str]]:
    out = []
    for f in sorted((data / f"hipe-{lang}").glob(f"*-{split}.jsonl")):
        out += [(r["ocr_hypothesis"]["transcription_unit"], r["ground_truth"]["transcription_unit"])
                for r in load_jsonl(f, validate=False)]
    return out


def score(docs: list[tuple[str, str]], names) -> dict:
    removed = added = on_gt = changed = 0
    for ocr, gt in docs:
        fixed = replay(ocr, names)
        if fixed != ocr:
            changed += 1
            d = Levenshtein.distance(ocr, gt) - Levenshtein.distance(fixed, gt)
            removed += max(d, 0)
            added += max(-d, 0)
        clean = replay(gt, names)
        if clean != gt:
            on_gt += Levenshtein.distance(gt, clean)
    return {"removed": removed, "added": added, "on_gt": on_gt, "docs": changed}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--split", default="dev", choices=["train", "dev"])
    ap.add_argument("--lang", default="en,fr,de")
    ap.add_argument("--all", action="store_true", help="every registered fix in every language")
    ap.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data")
    args = ap.parse_args(argv)
    print(f"{args.split} splits; characters of raw (unnormalised) error: OCR errors, removed, added by the fix; "
          f"characters it changes in the ground truth")
    print(f"{'lang':4} {'fix':18} {'errors':>8} {'removed':>8} {'added':>6} {'on GT':>6} {'GT chars':>9}")
    for lang in args.lang.split(","):
        docs = pairs(args.data, lang, args.split)
        if not docs:
            print(f"{lang}: no {args.split} data under {args.data}")
            continue
        errors = sum(Levenshtein.distance(o, g) for o, g in docs)
        gt_chars = sum(len(g) for _, g in docs)
        own = LANGUAGES[lang]["mark_fixes"]
        for name in (FIXES if args.all else own):
            r = score(docs, (name,))
            flag = "" if name in own else "  (not in the language's list)"
            print(f"{lang:4} {name:18} {errors:8} {r['removed']:8} {r['added']:6} {r['on_gt']:6} {gt_chars:9}{flag}")
        r = score(docs, own)
        print(f"{lang:4} {'all of ' + lang:18} {errors:8} {r['removed']:8} {r['added']:6} {r['on_gt']:6} {gt_chars:9}"
              f"  net {(r['removed'] - r['added']) / errors:.2%} of the raw error, "
              f"{r['on_gt'] / gt_chars:.4%} of the ground truth changed")
        texts = [o for o, _ in docs]
        t = time.perf_counter()
        for o in texts:
            replay(o, own)
        fix_s = time.perf_counter() - t
        t = time.perf_counter()
        for o, g in docs:
            Levenshtein.distance(o, o[::-1])
        peer_s = time.perf_counter() - t
        mchars = sum(map(len, texts)) / 1e6
        print(f"{lang:4} speed: {fix_s / mchars:.3f} s per million characters, x{fix_s / peer_s:.2f} of rapidfuzz's "
              f"distance of each text to its reverse")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
