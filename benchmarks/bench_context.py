#!/usr/bin/env python
"""Offline check of the character context model (reissue.correct.context) on the engine's own candidates.

For every token of a HIPE-OCRepair English split that the shipped corrector gives candidates (the
tokens its detector looks at), the printed form and each candidate are scored two ways:

* ``engine``: today's decoder score (word bigram context + channel + document evidence; the
  printed form's "keep" score), as the corrector computes it;
* ``context``: the character model's log P(word + 12 characters after it | 32 characters before it);
* ``engine+context``: the engine score plus ``--weight`` times the context score (the weight
  chosen on the train splits with ``--tune``).

The ground truth of each token is found by aligning the OCR text with the ground truth (both
normalised as the scorer does). Reported per split:

* ``error, reachable``: tokens whose printed form is wrong and whose ground truth is among the
  candidates: how often each score ranks the ground truth above the printed form (``gt>ocr``) and
  first among all (``top1``);
* ``correct``: tokens printed right: how often each score keeps the printed form first (``keep``);
* ``error, unreachable``: wrong tokens whose ground truth no candidate gives (what only new
  proposals could fix), and how many of them are a split or merge (the ground truth has a
  different number of words).

Speed: context scoring per CPU second (tokens with all their candidates), beside the engine's
corrections per CPU second in the same run.

    .venv/bin/python benchmarks/bench_context.py                     # dev splits, shipped models
    .venv/bin/python benchmarks/bench_context.py --tune --limit 150  # choose the weight on train
"""

from __future__ import annotations

import argparse
import math
import os
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO / "src") not in sys.path:
    sys.path.insert(0, str(REPO / "src"))

from rapidfuzz.distance import Levenshtein  # noqa: E402

from reissue.correct import context  # noqa: E402
from reissue.correct.engine import Corrector, _apply_case  # noqa: E402
from reissue.correct.train import read_hipe  # noqa: E402
from reissue.evaluate import normalize  # noqa: E402

DEV = ("icdar2017-dev", "overproof-dev", "impresso-snippets-dev")
TRAIN = ("icdar2017-train", "overproof-train", "impresso-snippets-train")


def default_data() -> Path:
    return REPO.parent / "shared/data/hipe-en"


class Recording(Corrector):
    """The corrector, keeping the candidate scores of its last pass (token, keep, [(score, cand)])."""

    def _corrections(self, text, toks, lows, vocab, adapt, memo):
        out = super()._corrections(text, toks, lows, vocab, adapt, memo)
        seen = {}
        for key, val in memo.items():
            if isinstance(key, tuple) and len(key) == 2 and isinstance(key[0], int) and isinstance(val, tuple):
                seen.setdefault(key[0], val)
        self.last = (toks, seen)
        return out


def gt_map(ocr: str, gt: str) -> list:
    pos: list = [None] * (len(ocr) + 1)
    for op in Levenshtein.opcodes(ocr, gt):
        for q in range(op.src_start, op.src_end + 1):
            if op.tag == "equal":
                pos[q] = op.dest_start + (q - op.src_start)
            elif pos[q] is None:
                pos[q] = op.dest_start if q == op.src_start else op.dest_end
    return pos


def items(corrector: Recording, lm: context.CharLM, pairs, stats: dict | None = None):
    """[(kind, truth index or None, engine scores, context scores)] per candidate-bearing token;
    index 0 is the printed form."""
    out = []
    t_eng = t_ctx = 0.0
    for ocr, gt in pairs:
        c0 = time.process_time()
        corrector.corrections(ocr)
        t_eng += time.process_time() - c0
        toks, seen = corrector.last
        pos = gt_map(ocr, gt)
        c0 = time.process_time()
        queries, meta = [], []
        for i, (keep, scores) in sorted(seen.items()):
            t = toks[i]
            truth = normalize(gt[pos[t.start]:pos[t.end]])
            printed = normalize(t.form)
            options = [t.form] + [_apply_case(t.form, c) for _sc, c, _r in scores]
            eng = [keep] + [sc for sc, _c, _r in scores]
            left = ocr[max(0, t.start - 2 * context.LEFT):t.start]
            right = context.normalize(ocr[t.end:t.end + 2 * context.RIGHT])[:context.RIGHT]
            queries.append((left, options, right))
            norm = [normalize(o) for o in options]
            if truth == printed:
                kind, k = "correct", 0
            elif truth in norm:
                kind, k = "reachable", norm.index(truth)
            else:
                kind = "split/merge" if len(truth.split()) != len(printed.split()) else "unreachable"
                k = None
            meta.append((kind, k, eng))
        for (kind, k, eng), ctx in zip(meta, lm.score_many(queries)):
            out.append((kind, k, eng, ctx))
        t_ctx += time.process_time() - c0
    if stats is not None:
        stats["engine_cpu"] = stats.get("engine_cpu", 0.0) + t_eng
        stats["context_cpu"] = stats.get("context_cpu", 0.0) + t_ctx
    return out


def rates(rows, weight: float) -> dict:
    res = {}
    for name, f in (("engine", lambda e, c: e), ("context", lambda e, c: c),
                    ("engine+context", lambda e, c: e + weight * c)):
        gt_over = top1 = n_err = keep = n_ok = 0
        for kind, k, eng, ctx in rows:
            s = [f(e, c) for e, c in zip(eng, ctx)]
            best = max(range(len(s)), key=s.__getitem__)
            if kind == "reachable":
                n_err += 1
                gt_over += s[k] > s[0]
                top1 += best == k
            elif kind == "correct":
                n_ok += 1
                keep += best == 0
        res[name] = (gt_over / max(1, n_err), top1 / max(1, n_err), keep / max(1, n_ok))
    return res


def expected_gain(rows, weight: float) -> int:
    """Tokens fixed minus tokens broken if each token took its best option (no threshold)."""
    g = 0
    for kind, k, eng, ctx in rows:
        s = [e + weight * c for e, c in zip(eng, ctx)]
        best = max(range(len(s)), key=s.__getitem__)
        if kind == "correct":
            g -= best != 0
        elif kind == "reachable":
            g += best == k
    return g


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=default_data())
    ap.add_argument("--context-model", default=None, help="default: the shipped one")
    ap.add_argument("--weight", type=float, default=1.0)
    ap.add_argument("--tune", action="store_true", help="choose the weight on the train splits (held-out-free)")
    ap.add_argument("--limit", type=int, default=0, help="documents per split (0: all)")
    a = ap.parse_args(argv)
    path = a.context_model or context.default_path()
    if path is None:
        ap.error("no context model: build one with scripts/train_context_model.py")
    lm = context.load(path)
    corrector = Recording()
    splits = TRAIN if a.tune else DEV
    weights = [0.0, 0.25, 0.5, 0.75, 1.0, 1.5, 2.0] if a.tune else [a.weight]
    allrows = []
    print(f"context model {os.path.basename(path)} (order {lm.order}); splits: {', '.join(splits)}")
    for split in splits:
        pairs = list(read_hipe(str(a.data / f"{split}.jsonl")))
        if a.limit:
            pairs = pairs[: a.limit]
        stats: dict = {}
        rows = items(corrector, lm, pairs, stats)
        allrows += rows
        kinds = {k: sum(r[0] == k for r in rows) for k in ("reachable", "unreachable", "split/merge", "correct")}
        print(f"\n{split}: {len(pairs)} documents, {len(rows)} tokens with candidates: "
              f"{kinds['correct']} printed right, {kinds['reachable']} wrong with the truth among the candidates, "
              f"{kinds['unreachable']} wrong without it, {kinds['split/merge']} wrong by a split or merge")
        ntok = len(rows)
        print(f"  speed: context {ntok / max(1e-9, stats['context_cpu']):,.0f} tokens (with their candidates) "
              f"per CPU s; the engine's whole correction pass {stats['engine_cpu']:.1f} CPU s, context "
              f"{stats['context_cpu']:.1f} CPU s")
        for w in weights:
            r = rates(rows, w)
            print(f"  weight {w:g}: " + "; ".join(f"{n}: gt>ocr {x[0]:.3f} top1 {x[1]:.3f} keep {x[2]:.3f}"
                                                   for n, x in r.items()))
    if a.tune:
        best = max(weights, key=lambda w: expected_gain(allrows, w))
        print(f"\nall train splits: tokens fixed minus broken when each token takes its best option, by weight: "
              + ", ".join(f"{w:g}: {expected_gain(allrows, w)}" for w in weights) + f"; best {best:g}")


if __name__ == "__main__":
    main()
