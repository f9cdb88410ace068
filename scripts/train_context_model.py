#!/usr/bin/env python
"""Build the character context model (reissue.correct.context), reproducibly, on CPU (well under a minute).

    .venv/bin/python scripts/train_context_model.py [--lang en|fr] [--data ../shared/data/hipe-<lang>] [--order 7] \
        [-o src/reissue/data/context-model-<lang>.bin.gz]

Trains on the ground truth of the HIPE-OCRepair *train* splits of the language only (never dev/test),
cleaned the way the correction model's training cleans it (``train.clean_gt``). Prints the size,
the training time and the model's cross-entropy (bits per character) on the dev splits' ground
truth and on their OCR. The output is byte-identical for the same input and numpy version.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "src"))

from reissue.correct import context  # noqa: E402
from reissue.correct.train import clean_gt, read_hipe  # noqa: E402

SPLITS = ["icdar2017-train.jsonl", "overproof-train.jsonl", "impresso-snippets-train.jsonl"]
DEV = ["icdar2017-dev.jsonl", "overproof-dev.jsonl", "impresso-snippets-dev.jsonl"]
# French: the vetter of the French correction model weighs a French context model (scripts/train_model.py)
LANG_SPLITS = {"en": SPLITS, "fr": ["icdar2017-train.jsonl", "impresso-snippets-train.jsonl"]}
NAMES = {"en": "English", "fr": "French"}


def bits_per_char(lm, texts) -> float:
    import math

    lp, lens = lm.logprobs(texts, [0] * len(texts))
    return float(-lp.sum() / max(1, sum(lens)) / math.log(2))


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--lang", choices=sorted(LANG_SPLITS), default="en")
    ap.add_argument("--data", default=None, help="default ../shared/data/hipe-<lang>")
    ap.add_argument("-o", "--output", default=None, help="default src/reissue/data/context-model-<lang>.bin.gz")
    ap.add_argument("--order", type=int, default=7)
    ap.add_argument("--min-top-count", type=int, default=1)
    ap.add_argument("--splits", nargs="+", default=None, help="default: the language's train splits")
    ap.add_argument("--no-report", dest="report", action="store_false", help="skip the dev cross-entropy")
    a = ap.parse_args(argv)
    a.data = a.data or os.path.join(HERE, "..", "..", "shared", "data", f"hipe-{a.lang}")
    a.output = a.output or os.path.join(HERE, "..", "src", "reissue", "data",
                                        context.DEFAULT_NAME.replace("-en.", f"-{a.lang}."))
    a.splits = a.splits or LANG_SPLITS[a.lang]
    for s in a.splits:
        if "-train" not in s:
            ap.error(f"{s}: only train splits may be used")
    t0 = time.process_time()
    texts = [clean_gt(gt) for s in a.splits for _ocr, gt in read_hipe(os.path.join(a.data, s))]
    data = context.fit(texts, order=a.order, min_top_count=a.min_top_count)
    data["sources"] = [f"hipe-ocrepair-bench v0.9 {NAMES[a.lang]} {s} (ground truth)" for s in a.splits]
    data["licence"] = "CC BY-NC-SA 4.0 (derived from CC BY-NC-SA 4.0 training data)"
    context.save(data, a.output)
    cpu = time.process_time() - t0
    digest = hashlib.sha256(open(a.output, "rb").read()).hexdigest()[:16]
    n = sum(len(o["keys"]) for o in data["orders"])
    print(f"{a.output}: {os.path.getsize(a.output) / 1e6:.2f} MB, sha256 {digest}, order {a.order}, "
          f"{data['chars']} training characters, {n} n-grams, {cpu:.1f} CPU s")
    if a.report:
        lm = context.load(a.output)
        for s in (x.replace("-train", "-dev") for x in a.splits):
            p = os.path.join(a.data, s)
            if not os.path.isfile(p):
                continue
            pairs = list(read_hipe(p))
            gt = bits_per_char(lm, [clean_gt(g) for _o, g in pairs])
            ocr = bits_per_char(lm, [o for o, _g in pairs])
            print(f"  {s}: {gt:.3f} bits/char on the ground truth, {ocr:.3f} on the OCR")


if __name__ == "__main__":
    main()
