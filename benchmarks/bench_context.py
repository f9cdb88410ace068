#!/usr/bin/env python
"""Offline check of the character context model (reissue.correct.context) on the engine's own candidates.

For every token of a HIPE-OCRepair English split that the shipped corrector gives candidates (the
tokens its detector looks at), the printed form and each candidate are scored two ways:

* ``engine``: today's decoder score (word bigram context + channel + document evidence; the
  printed form's "keep" score), as the corrector computes it;
* ``context``: the character model's log P(word + 12 characters after it | 32 characters before it);
* ``engine+context``: the engine score plus ``--weight`` times the context score (default 1, not
  tuned: the context model has seen the train splits' ground truth, so train cannot tune it here).

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

The context model's score is a feature of the shipped English vetter (``vet.CONTEXT_FEATURE``,
trained by scripts/train_model.py); its effect end to end is what benchmarks/bench_correct.py and
bench_clean_damage.py measure.

    .venv/bin/python benchmarks/bench_context.py --propose            # real-word alternatives, offline
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
from reissue.correct.vet_train import gt_offsets  # noqa: E402
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
        pos = gt_offsets(ocr, gt)
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
                if kind == "unreachable" and stats is not None:
                    # what a proposal generator would need to reach it
                    dist = Levenshtein.distance(printed, truth)
                    lm_ = corrector.lm
                    stats.setdefault("unreach", []).append(
                        (lm_.known(truth), dist, lm_.known(printed)))
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


LETTERS = "abcdefghijklmnopqrstuvwxyz"


def edits1(w: str) -> set[str]:
    splits = [(w[:i], w[i:]) for i in range(len(w) + 1)]
    return ({a + b[1:] for a, b in splits if b} | {a + c + b[1:] for a, b in splits if b for c in LETTERS}
            | {a + c + b for a, b in splits for c in LETTERS} - {w})


def propose(data: Path, limit: int, margins=(4.0, 8.0, 12.0, 16.0)) -> None:
    """Real-word alternatives the confusion search does not give: for every token the detector looks
    at whose printed form is a known word, the known words one edit away (letters), ranked by the
    context model's gain (plus the log ratio of their word frequencies). Reports, for each margin,
    how many real-word errors the best alternative fixes and how many correct words it would change."""
    lm = context.default_model()
    corrector = Recording()
    wl = corrector.lm
    print("\nreal-word alternatives one edit away, best by context gain + log frequency ratio")
    for split in DEV:
        pairs = list(read_hipe(str(data / f"{split}.jsonl")))
        if limit:
            pairs = pairs[:limit]
        fixed = {m: 0 for m in margins}
        broken = {m: 0 for m in margins}
        n_err = n_ok = 0
        for ocr, gt in pairs:
            corrector.corrections(ocr)
            toks, seen = corrector.last
            pos = gt_offsets(ocr, gt)
            queries, meta = [], []
            for i, (_keep, scores) in sorted(seen.items()):
                t = toks[i]
                o = t.form.lower()
                if not (o.isalpha() and wl.known(o) and len(o) >= 2):
                    continue
                have = {c for _sc, c, _r in scores}
                alts = sorted(c for c in edits1(o) if c not in have and wl.p(c) >= 1e-6)
                if not alts:
                    continue
                truth = normalize(gt[pos[t.start]:pos[t.end]])
                if truth == o:
                    kind = "ok"
                elif truth in alts:
                    kind = "err"
                else:
                    continue
                left = ocr[max(0, t.start - 2 * context.LEFT):t.start]
                right = context.normalize(ocr[t.end:t.end + 2 * context.RIGHT])[:context.RIGHT]
                queries.append((left, [t.form] + [_apply_case(t.form, c) for c in alts], right))
                meta.append((kind, truth, o, alts))
            for (kind, truth, o, alts), sc in zip(meta, lm.score_many(queries)):
                gains = [s - sc[0] + math.log(wl.p(c) / wl.p(o)) for s, c in zip(sc[1:], alts)]
                j = max(range(len(alts)), key=gains.__getitem__)
                n_err += kind == "err"
                n_ok += kind == "ok"
                for m in margins:
                    if gains[j] > m:
                        if kind == "ok":
                            broken[m] += 1
                        elif alts[j] == truth:
                            fixed[m] += 1  # (an error changed into another wrong word counts in neither)
        print(f"  {split}: {n_err} real-word errors one edit from the truth (not among the candidates), "
              f"{n_ok} correct known words looked at; " + "; ".join(
                  f"margin {m:g}: fixes {fixed[m]}, changes {broken[m]} correct words" for m in margins), flush=True)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=default_data())
    ap.add_argument("--context-model", default=None, help="default: the shipped one")
    ap.add_argument("--weight", type=float, default=1.0)
    ap.add_argument("--limit", type=int, default=0, help="documents per split (0: all)")
    ap.add_argument("--propose", action="store_true", help="real-word alternatives one edit away (offline)")
    a = ap.parse_args(argv)
    if a.propose:
        propose(a.data, a.limit)
        return
    path = a.context_model or context.default_path()
    if path is None:
        ap.error("no context model: build one with scripts/train_context_model.py")
    lm = context.load(path)
    corrector = Recording()
    splits = DEV
    weights = [a.weight]
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
        un = stats.get("unreach", [])
        if un:
            n = len(un)
            print(f"  wrong, not reachable ({n}): truth a known word {sum(k for k, _d, _p in un) / n:.0%}; "
                  f"a known word 1 edit away {sum(k and d == 1 for k, d, _p in un) / n:.0%}, 2 edits "
                  f"{sum(k and d == 2 for k, d, _p in un) / n:.0%}, more {sum(k and d > 2 for k, d, _p in un) / n:.0%}; "
                  f"printed form itself a known word (real-word error) {sum(p for *_x, p in un) / n:.0%}")
        ntok = len(rows)
        print(f"  speed: context {ntok / max(1e-9, stats['context_cpu']):,.0f} tokens (with their candidates) "
              f"per CPU s; the engine's whole correction pass {stats['engine_cpu']:.1f} CPU s, context "
              f"{stats['context_cpu']:.1f} CPU s")
        for w in weights:
            r = rates(rows, w)
            print(f"  weight {w:g}: " + "; ".join(f"{n}: gt>ocr {x[0]:.3f} top1 {x[1]:.3f} keep {x[2]:.3f}"
                                                   for n, x in r.items()))


if __name__ == "__main__":
    main()
