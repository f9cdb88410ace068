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
    .venv/bin/python benchmarks/bench_context.py --vet-tune           # logit shift, held-out train proposals
    .venv/bin/python benchmarks/bench_context.py --vet-feature        # vetter retrained with the context score,
                                                                      # then cMER on dev beside today's
    .venv/bin/python benchmarks/bench_context.py --end-to-end --weight 0.1 --mode both
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
from reissue.correct.vet import gt_offsets  # noqa: E402
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


def tune(data: Path, limit: int, weights) -> None:
    """Proposal-level choice of the weight on the train splits, with the context model held out:
    each train document is scored by a context model fitted on the folds (by source) that do not
    hold it. Sums the gains (characters of error removed, the vetter's labels) of the edits made."""
    from reissue.correct.hipe import source_of
    from reissue.correct.train import clean_gt
    from reissue.correct.vet import fold_of, labeller

    docs = []
    for split in TRAIN:
        recs = list(read_hipe(str(data / f"{split}.jsonl"), with_ids=True))
        docs += [(o, g, source_of(i)) for o, g, i in (recs[:limit] if limit else recs)]
    folds = sorted({fold_of(src) for _o, _g, src in docs})
    rows = []  # (vetter probability, context delta, gain)
    corrector = context.context_corrector(weight=0.0)
    corrector.record = []
    all_texts = []
    for split in TRAIN:
        all_texts += [(clean_gt(g), source_of(i)) for _o, g, i in read_hipe(str(data / f"{split}.jsonl"), with_ids=True)]
    for k in folds:
        lm_data = context.fit([t for t, src in all_texts if fold_of(src) != k])
        corrector.context_lm = context.CharLM(lm_data)
        for ocr, gt, src in docs:
            if fold_of(src) != k:
                continue
            corrector.record = []
            corrector.corrections(ocr)
            gain = labeller(ocr, gt)
            rows += [(p, d, gain(c)) for p, d, c in corrector.record]
    thr = corrector.threshold
    print(f"\ntune: {len(docs)} train documents, {len(rows)} vetted proposals (context model held out by source fold)")
    for mode, f in (("both ways", lambda d: d), ("veto only", lambda d: min(d, 0.0)),
                    ("support only", lambda d: max(d, 0.0))):
        for w in weights:
            made = [(p, d, g) for p, d, g in rows
                    if 1 / (1 + math.exp(-(math.log(p / (1 - p)) + w * f(d)))) >= thr]
            print(f"  {mode}, weight {w:g}: {len(made)} edits made, gain {sum(g for *_x, g in made):+d} characters "
                  f"({sum(g > 0 for *_x, g in made)} better, {sum(g < 0 for *_x, g in made)} worse)")


def context_vetter(data: Path, limit: int, seed: int = 0):
    """The vetter retrained with the context model's score as one more feature, the way
    scripts/train_default_model.py trains the shipped one (held-out proposals of the train splits,
    4 folds by source), the context model of each fold fitted on the other folds too.
    Returns (vetter dict with the context feature, vetter dict without it, rows)."""
    import numpy as np
    from sklearn.ensemble import HistGradientBoostingClassifier

    from reissue.correct.hipe import source_of
    from reissue.correct.model import CorrectionModel, load_model
    from reissue.correct.train import clean_gt
    from reissue.correct.train import fit as fit_base
    from reissue.correct.vet import FEATURES, MONOTONIC, export_trees, fit_vetter, fold_of, labeller

    pairs, groups = [], []
    for split in TRAIN:
        recs = list(read_hipe(str(data / f"{split}.jsonl"), with_ids=True))
        for o, g, i in (recs[:limit] if limit else recs):
            pairs.append((o, g))
            groups.append(source_of(i))
    params = dict(load_model().data.get("params") or {})
    folds = [fold_of(g) for g in groups]
    rows = []
    for k in sorted(set(folds)):
        train = [p for p, f in zip(pairs, folds) if f != k]
        mdata = fit_base(train)
        mdata["params"] = dict(params)
        mdata.pop("edit_filter", None)
        corr = context.context_corrector(CorrectionModel(mdata), weight=0.0,
                                         lm=context.CharLM(context.fit([clean_gt(g) for _o, g in train])))
        for (ocr, gt), f in zip(pairs, folds):
            if f != k:
                continue
            corr.proposals = []
            corr.corrections(ocr)
            gain = labeller(ocr, gt)
            rows += [(list(x), corr.context_delta(c), gain(c)) for x, c in corr.proposals]
        corr.proposals = None
    plain = fit_vetter([(x, g) for x, _d, g in rows])
    use = [(x + [d], g) for x, d, g in rows if g != 0]
    clf = HistGradientBoostingClassifier(max_iter=80, learning_rate=0.12, max_leaf_nodes=15, min_samples_leaf=40,
                                         early_stopping=False, random_state=seed,
                                         monotonic_cst=[MONOTONIC.get(f, 0) for f in FEATURES] + [1])
    clf.fit(np.array([x for x, _g in use]), np.array([int(g > 0) for _x, g in use]),
            sample_weight=np.array([abs(g) for _x, g in use], dtype=float))
    stacked = export_trees(clf)
    stacked["features"] = list(FEATURES) + [context.CONTEXT_FEATURE]
    return stacked, plain, rows


def end_to_end(data: Path, limit: int, weight: float, mode: str, systems: dict | None = None) -> None:
    """cMER / preference on the dev splits: no correction, today's corrector, today's plus the context
    model; and the change the two correctors make to the ground truth fed as OCR (clean-text damage)."""
    from reissue.correct.hipe import correct_hipe_text
    from reissue.evaluate import load_jsonl, score_records

    if systems is None:
        systems = {"today": Corrector(), f"context ({mode}, weight {weight:g})":
                   context.context_corrector(weight=weight, mode=mode)}
    t0, c0 = time.perf_counter(), time.process_time()
    context.load(context.default_path())
    print(f"\ncontext model load: {time.perf_counter() - t0:.2f} s wall, {time.process_time() - c0:.2f} CPU s")
    print("end to end (cMER micro, lower is better; preference = pref_score_cmer_macro)")
    for split in DEV:
        recs = list(load_jsonl(data / f"{split}.jsonl"))
        if limit:
            recs = recs[:limit]
        base = score_records(recs)["averaged"]
        line = [f"{split}: none {base['cmer_micro']:.4f}"]
        for name, corr in systems.items():
            outs, gts, cpu, words = [], [], 0.0, 0
            for rec in recs:
                text = rec["ocr_hypothesis"]["transcription_unit"]
                wsn = bool((rec.get("document_metadata") or {}).get("whitespace_normalised"))
                words += len(text.split())
                c0 = time.process_time()
                out = correct_hipe_text(corr, text, whitespace_normalised=wsn)
                cpu += time.process_time() - c0
                r = dict(rec)
                r["ocr_postcorrection_output"] = {"transcription_unit": out}
                outs.append(r)
                gt = rec["ground_truth"]["transcription_unit"]
                r2 = dict(rec)
                r2["ocr_hypothesis"] = {"transcription_unit": gt}
                r2["ocr_postcorrection_output"] = {"transcription_unit": correct_hipe_text(corr, gt, whitespace_normalised=wsn)}
                gts.append(r2)
            sc = score_records(outs)["averaged"]
            dmg = score_records(gts)["averaged"]["cmer_micro"]
            line.append(f"{name} {sc['cmer_micro']:.4f} ({(sc['cmer_micro'] / base['cmer_micro'] - 1) * 100:+.1f}%, "
                        f"preference {sc['pref_score_cmer_macro']:+.2f}, ground truth as OCR: cMER {dmg:.4f}, "
                        f"{words / max(cpu, 1e-9):,.0f} words/CPU s)")
        print("\n  ".join(line), flush=True)


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
    ap.add_argument("--vet-tune", action="store_true", help="choose the vetter weight on held-out train proposals")
    ap.add_argument("--end-to-end", action="store_true", help="cMER on the dev splits with the context vetter")
    ap.add_argument("--mode", default="both", choices=("both", "veto", "support"))
    ap.add_argument("--save-vetter", default=None,
                    help="with --vet-feature: write the vetter with the context feature (JSON) for "
                         "reissue.correct.context.context_corrector(vetter=json.load(...))")
    ap.add_argument("--train-limit", type=int, default=0, help="train documents per split for --vet-feature")
    ap.add_argument("--vet-feature", action="store_true",
                    help="retrain the vetter with the context score as a feature (train splits), then end to end on dev")
    ap.add_argument("--propose", action="store_true", help="real-word alternatives one edit away (offline)")
    a = ap.parse_args(argv)
    if a.propose:
        propose(a.data, a.limit)
        return
    if a.vet_feature:
        from reissue.correct.model import CorrectionModel, load_model

        c0 = time.process_time()
        stacked, plain, rows = context_vetter(a.data, a.train_limit)
        if a.save_vetter:
            import json

            with open(a.save_vetter, "w", encoding="utf-8") as fh:
                json.dump(stacked, fh, sort_keys=True)
        print(f"vetters trained on {len(rows)} held-out train proposals in {time.process_time() - c0:.0f} CPU s")
        shipped = load_model()
        systems = {"today (shipped vetter)": Corrector(),
                   "vetter retrained here, no context": Corrector(CorrectionModel({**shipped.data, "edit_filter": plain})),
                   "vetter with the context feature": context.context_corrector(vetter=stacked)}
        end_to_end(a.data, a.limit, 0.0, "both", systems)
        return
    if a.end_to_end:
        end_to_end(a.data, a.limit, a.weight, a.mode)
        return
    if a.vet_tune:
        tune(a.data, a.limit, [0.0, 0.1, 0.2, 0.3, 0.5, 0.75, 1.0])
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
