#!/usr/bin/env python
"""Held-out *train* scores of the OCR corrector: the numbers settings are tuned on.

The dev splits are for reporting only, so decoding parameters are chosen on the train splits.
Scoring a model on the documents it was trained on would flatter it (their ground-truth words and
bigrams are in its language model), so this script cross-validates:

* the train documents of all three English HIPE-OCRepair splits are put into 4 folds *grouped by
  source* (icdar2017: the source number in the document id; overproof: the newspaper id; impresso:
  the newspaper code), so that no fold is scored by a model that saw the same source;
* for each fold a model is trained (``reissue.correct.train.fit``) on the other three folds, and the
  fold's documents are corrected with it (``correct_hipe_text``, with the decoding parameters of the
  shipped model file of the language - ``scripts/train_model.py`` writes them there - and ``--params`` on
  top; ``--defaults``: the engine's defaults instead of the shipped file's);
* the edit vetter of fold k's model is trained only on proposals of the other folds: every fold's
  proposals are collected once by the same cross-validation (``vet_train.collect_proposals``), and fold
  k's are left out of its vetter (``--no-vet``: no vetter, the posterior threshold decides);
* the corrected folds are scored together with :mod:`reissue.evaluate` (the official scorer's
  numbers), per split.

    .venv/bin/python benchmarks/bench_correct_cv.py
    .venv/bin/python benchmarks/bench_correct_cv.py --params '{"name_bonus": 1.1}'   # try a setting
    .venv/bin/python benchmarks/bench_correct_cv.py --lang fr                        # French train splits
    .venv/bin/python benchmarks/bench_correct_cv.py --lang de --every 4

``--lang fr|de`` uses that language's train splits and settings (``languages.py``) and the parameters
its shipped model file sets (German: ``name_bonus`` 0, capitalised nouns are no names).

It takes about 70 CPU-s (models and vetters are trained in memory, a few seconds each).
"""

from __future__ import annotations

import argparse
import functools
import json
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO / "src") not in sys.path:
    sys.path.insert(0, str(REPO / "src"))

from bench_correct import default_data  # noqa: E402  (this folder is on sys.path when run as a script)
from reissue.correct.hipe import source_of  # noqa: E402
from reissue.correct.vet_train import FOLDS, fold_of as vet_fold  # noqa: E402
from reissue.evaluate_metrics import DRAWS, cmer_change  # noqa: E402

SPLITS = ("icdar2017-train", "overproof-train", "impresso-snippets-train")
LANG_SPLITS = {"en": SPLITS, "fr": ("icdar2017-train", "impresso-snippets-train"),
               "de": ("dta19-l0-train", "dta19-l1-train", "dta19-l2-train", "impresso-snippets-train",
                      "impresso-nzz-train")}


def source(rec: dict) -> str:
    return source_of(rec["document_metadata"]["document_id"])


def fold_of(rec: dict) -> int:
    return vet_fold(source(rec))


@functools.lru_cache(maxsize=None)
def _shipped(lang: str) -> dict:
    """The model JSON of the shipped model file of ``lang``, read once."""
    from reissue.correct.model import model_path_for, read_model_file
    return read_model_file(model_path_for(lang))[0]


def shipped_params(lang: str) -> dict:
    """The decoding parameters the shipped model file of ``lang`` sets (scripts/train_model.py)."""
    return dict(_shipped(lang).get("params") or {})


def trained_without(lang: str) -> tuple:
    """The names of the parameters the shipped model of ``lang`` set after its vetter was trained
    (``edit_filter.trained_without``, scripts/train_model.py AFTER_VET_PARAMS): its vetter learnt from the
    proposals made without them, and so do the folds' vetters here."""
    return tuple((_shipped(lang).get("edit_filter") or {}).get("trained_without", ()))


def _train_model():
    import importlib.util

    spec = importlib.util.spec_from_file_location("train_model", REPO / "scripts" / "train_model.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def clean_weight(lang: str) -> float:
    """The weight scripts/train_model.py gives the vetter's proposals made in the ground truth of ``lang``."""
    return _train_model().CLEAN_WEIGHTS.get(lang, 0.0)


def synthetic_weight(lang: str) -> float:
    """The weight scripts/train_model.py gives the vetter's proposals made in the misread ground truth of ``lang``."""
    return _train_model().SYNTHETIC_WEIGHTS.get(lang, 0.0)


def doc_feature(lang: str) -> bool:
    """Does the vetter scripts/train_model.py trains for ``lang`` weigh the document's share of unknown words?"""
    return lang in _train_model().DOC_FEATURE_LANGS


def uncorrected(ocr: str, gt: str, max_share: float) -> bool:
    """Is the ground truth the OCR left as it was: at most ``max_share`` of its characters differ from the OCR, both
    normalised as the scorer does? (The French icdar2017 train keeps the original ICDAR transcriptions, some never
    corrected: ``informatiorfs``, ``ehe``.)"""
    from rapidfuzz.distance import Levenshtein

    from reissue.evaluate import normalize

    g = normalize(gt)
    return Levenshtein.distance(normalize(ocr), g) <= max_share * max(1, len(g))


def vet_size(lang: str) -> dict:
    """The size of the vetter's tree ensemble scripts/train_model.py trains for ``lang`` (fit_vetter's arguments)."""
    return dict(_train_model().VET_SIZES.get(lang) or {})


def vetter_params(over: dict, after: tuple, base: dict, collect: dict | None) -> dict:
    """The decoding parameters the folds' vetters learn from the proposals of: those the folds decode with
    (``over``) less the ones the shipped model sets after its vetter is trained (``after``: its vetter
    learnt without them), or with ``collect`` (--collect-params) on top of ``base`` (the shipped model's
    parameters) less those instead."""
    if collect is None:
        return {k: v for k, v in over.items() if k not in after}
    return {**{k: v for k, v in base.items() if k not in after}, **collect}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--lang", choices=sorted(LANG_SPLITS), default="en",
                    help="language: its train splits and its settings (languages.py); default en")
    ap.add_argument("--data", type=Path, default=None)  # where the dev splits are: train lies beside them
    ap.add_argument("--splits", default=None, help="comma-separated train splits (default: all of the language)")
    ap.add_argument("--every", type=int, default=1,
                    help="only every k-th document of each split (faster; German: 4 as the shipped vetter)")
    ap.add_argument("--dump", type=Path, default=None, help="write the corrected records to this JSONL file "
                    "(with --damage, the corrected ground truths too: <dump>.clean.jsonl)")
    ap.add_argument("--params", default="{}", help="JSON object of decoding parameters to override")
    ap.add_argument("--collect-params", default=None,
                    help="JSON object of decoding parameters to override while the vetters' proposals are collected, "
                    "instead of those of --params (default: the shipped model's and --params, less those the model "
                    "sets after its vetter is trained, edit_filter.trained_without): '{}' weighs a decoding change "
                    "with the vetter the shipped parameters train, as a change shipped without retraining it would be")
    ap.add_argument("--defaults", action="store_true",
                    help="start from the engine's default parameters, not those of the shipped model file")
    ap.add_argument("--no-vet", dest="vet", action="store_false",
                    help="no edit vetter: the decoder's posterior alone decides (as before vetting)")
    ap.add_argument("--context", action="store_true",
                    help="the vetter weighs a character context model's score (each fold's fitted on its training "
                    "documents, as scripts/train_model.py does for a language with a context model)")
    ap.add_argument("--clean", type=float, default=None,
                    help="weight of the vetter's training proposals made in the ground truth itself (vet_train."
                    "collect_proposals; default: the language's, scripts/train_model.py CLEAN_WEIGHTS; 0: none)")
    ap.add_argument("--synthetic", type=float, default=None,
                    help="weight of the vetter's training proposals made in each ground truth misread by the fold "
                    "model's learned confusions (vet_train.collect_proposals, noise.py; default: the language's, "
                    "scripts/train_model.py SYNTHETIC_WEIGHTS; 0: none)")
    ap.add_argument("--doc", type=int, choices=(0, 1), default=None,
                    help="1: the vetter weighs the document's share of unknown words (vet.DOC_FEATURES), 0: not "
                    "(default: as scripts/train_model.py DOC_FEATURE_LANGS trains the language's)")
    ap.add_argument("--uncorrected", type=float, default=None,
                    help="an experiment: the folds' models learn nothing from a pair whose ground truth differs from "
                    "its OCR in at most this share of its characters (uncorrected(); scripts/train_model.py learns "
                    "from every pair); every pair is scored all the same")
    ap.add_argument("--vet-size", default=None,
                    help="JSON object of fit_vetter's max_iter / max_leaf_nodes (default: the language's, "
                    "scripts/train_model.py VET_SIZES)")
    ap.add_argument("--thresholds", default=None,
                    help="comma-separated vetter thresholds to score (default: the language's own)")
    ap.add_argument("--damage", action="store_true",
                    help="also the clean-text damage: each document's ground truth corrected as if it were the "
                    "OCR by its fold's model, cMER micro of the output against it (as bench_clean_damage.py on dev)")
    ap.add_argument("--proposals", type=Path, default=None,
                    help="write every edit proposed in the held-out documents (the last pass's, made or not) to this "
                    "JSONL file, with the vetter's probability, the one it needed and its gain against the ground truth "
                    "(vet_train.labeller), and print per band of the vetter's probability what the made ones gained "
                    "and what the others would have. The listing pass makes every edit the threshold allows, and "
                    "skips the clean-document check and the passes after the decoder, so 'made' is the decision "
                    "the gate takes on each listed edit, not always what the output holds: weigh a rule on the "
                    "rows, then measure it with a run of its own. With --damage also the proposals made in each "
                    "ground truth fed as the OCR (marked clean), and per kind of edit what each threshold of its own "
                    "would remove from the OCR and add to the ground truth")
    args = ap.parse_args(argv)

    from reissue.correct import Corrector
    from reissue.correct.hipe import correct_hipe_text
    from reissue.correct.model import CorrectionModel
    from reissue.correct.train import fit
    from reissue.correct.vet_train import fit_vetter
    from reissue.correct.vet import feature_names
    from reissue.correct.vet_train import collect_proposals, fold_context_model
    from reissue.evaluate import load_jsonl, score_records

    lang = args.lang
    clean = args.clean if args.clean is not None else clean_weight(lang)
    synthetic = args.synthetic if args.synthetic is not None else synthetic_weight(lang)
    size = json.loads(args.vet_size) if args.vet_size else vet_size(lang)
    doc = bool(args.doc) if args.doc is not None else doc_feature(lang)
    tried = json.loads(args.params)
    over = {**({} if args.defaults else shipped_params(lang)), **tried}
    collect = vetter_params(over, trained_without(lang), {} if args.defaults else shipped_params(lang),
                            None if args.collect_params is None else json.loads(args.collect_params))
    data_dir = args.data or default_data(lang)
    splits = args.splits.split(",") if args.splits else LANG_SPLITS[lang]
    records = {s: list(load_jsonl(data_dir / f"{s}.jsonl"))[::args.every] for s in splits}
    everything = [r for s in splits for r in records[s]]
    pairs = [(r["ocr_hypothesis"]["transcription_unit"], r["ground_truth"]["transcription_unit"]) for r in everything]
    folds = [fold_of(r) for r in everything]
    t0 = time.process_time()
    thresholds = [float(x) for x in args.thresholds.split(",")] if args.thresholds else [None]
    outputs = {t: {} for t in thresholds}
    damaged = {t: {} for t in thresholds}
    proposed: dict = {t: [] for t in thresholds}
    rows = []
    # what the models learn from: the pairs less those whose ground truth is the OCR left uncorrected (--uncorrected;
    # every pair is scored all the same)
    learn = [i for i, (ocr, gt) in enumerate(pairs)
             if args.uncorrected is None or not uncorrected(ocr, gt, args.uncorrected)]
    if args.vet:
        # held-out proposals of every fold, labelled by their effect (vet_train.collect_proposals); the
        # vetter scoring fold k is trained on the proposals of the other folds only
        rows = collect_proposals([pairs[i] for i in learn], [source(everything[i]) for i in learn],
                                 lambda p: fit(p, sources=["cv"], lang=lang),
                                 collect, context=fold_context_model if args.context else None, clean=clean,
                                 synthetic=synthetic, doc=doc)
    for k in range(FOLDS):
        train = [pairs[i] for i in learn if folds[i] != k]
        data = fit(train, sources=[f"held-out fold {k}"], lang=lang)
        data["params"] = over  # read when the model is built (some parameters shape the model)
        if args.vet:
            data["edit_filter"] = fit_vetter([(x, g, w) for kk, x, g, w in rows if kk != k],
                                             features=feature_names(args.context, doc), **size)
        model = CorrectionModel(data)
        ctx = fold_context_model(train) if args.context else None
        for t in thresholds:
            corrector = Corrector(model, threshold=t)
            corrector.context_lm = ctx
            for r, f in zip(everything, folds):
                if f == k:
                    wn = bool(r["document_metadata"].get("whitespace_normalised"))
                    ocr, gt = r["ocr_hypothesis"]["transcription_unit"], r["ground_truth"]["transcription_unit"]
                    outputs[t][id(r)] = correct_hipe_text(corrector, ocr, whitespace_normalised=wn)
                    if args.proposals:
                        proposed[t].extend({"document": r["document_metadata"]["document_id"], "threshold": t, **row}
                                           for row in proposal_rows(corrector, ocr, gt))
                        if args.damage:  # and those it proposes in the ground truth fed as the OCR
                            proposed[t].extend({"document": r["document_metadata"]["document_id"], "threshold": t,
                                                "clean": True, **row} for row in proposal_rows(corrector, gt, gt))
                    if args.damage:
                        damaged[t][id(r)] = correct_hipe_text(corrector, gt, whitespace_normalised=wn)
    print(f"held-out train, {FOLDS} source-grouped folds, params "
          f"{'engine defaults' if args.defaults else 'of the shipped model'}{f' with {tried}' if tried else ''}"
          f"{f' (vetter proposals collected with {args.collect_params})' if args.collect_params is not None else ''}"
          f"{', context model' if args.context else ''}{f', clean rows weight {clean}' if clean else ''}"
          f"{f', synthetic rows weight {synthetic}' if synthetic else ''}"
          f"{f', vetter {size}' if size else ''}; "
          f"{time.process_time() - t0:.0f} CPU-s")
    print(f"{'split':26} {'threshold':>9} {'docs':>5} {'cMER none':>10} {'cMER':>8} {'change':>9} {'wMER none':>10} "
          f"{'wMER':>8} {'pref':>7}" + (f" {'damage':>9}" if args.damage else "") + f"  {'95% interval of change':>22}")
    for t in thresholds:
        for s in splits:
            for r in records[s]:
                r["ocr_postcorrection_output"] = {"transcription_unit": outputs[t][id(r)]}
            sc = score_records(records[s], draws=DRAWS)["averaged"]
            none = sc["ocr_cmer_micro"]  # the scorer's own no-correction baseline
            line = (f"{s:26} {'own' if t is None else t:>9} {len(records[s]):>5} {none:>10.4f} {sc['cmer_micro']:>8.4f} "
                    f"{cmer_change(sc):>+9.2%} {sc['ocr_wmer_micro']:>10.4f} {sc['wmer_micro']:>8.4f} "
                    f"{sc['pref_score_cmer_macro']:>+7.3f}")
            if args.damage:
                clean = [{**r, "ocr_hypothesis": r["ground_truth"],
                          "ocr_postcorrection_output": {"transcription_unit": damaged[t][id(r)]}} for r in records[s]]
                line += f" {score_records(clean)['averaged']['cmer_micro']:>9.4%}"
            ci = sc["cmer_change_interval"]  # (a bootstrap over the split's documents: evaluate_metrics.change_interval)
            print(line + (f"  {ci[0]:>+10.2%} .. {ci[1]:>+7.2%}" if ci else f"  {'-':>22}"))
        if args.proposals:
            for line in band_table([row for row in proposed[t] if not row.get("clean")]):
                print(line)
            if args.damage:
                for line in rule_table(proposed[t]):
                    print(line)
        if args.dump:
            name = args.dump if len(thresholds) == 1 else args.dump.with_suffix(f".{t}.jsonl")
            with open(name, "w", encoding="utf-8") as fh:
                for r in everything:
                    r["ocr_postcorrection_output"] = {"transcription_unit": outputs[t][id(r)]}
                    fh.write(json.dumps(r, ensure_ascii=False) + "\n")
            if args.damage:
                # the clean-text run: each ground truth as the OCR, corrected by its fold's model
                with open(name.with_suffix(".clean.jsonl"), "w", encoding="utf-8") as fh:
                    for r in everything:
                        fh.write(json.dumps({**r, "ocr_hypothesis": r["ground_truth"], "ocr_postcorrection_output":
                                             {"transcription_unit": damaged[t][id(r)]}}, ensure_ascii=False) + "\n")
    if args.proposals:
        with open(args.proposals, "w", encoding="utf-8") as fh:
            for t in thresholds:
                for row in proposed[t]:
                    fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    return 0


def proposal_rows(corrector, text: str, gt: str) -> list[dict]:
    """Every edit the corrector proposes in ``text`` (the last pass's, made or not: ``Corrector.proposals``), with
    the vetter's probability, the one the edit needed, whether it is made, and its gain against ``gt``
    (characters of error removed, negative: added; ``vet_train.labeller``)."""
    import math

    from reissue.correct.lm import LOG_KNOWN_MIN_P
    from reissue.correct.vet_train import labeller

    vocab = corrector.vocabulary([text])  # (the document: its threshold below is worked out once)
    corrector.proposals = []
    try:
        corrector.corrections(text, vocab)
        got = corrector.proposals
    finally:
        corrector.proposals = None
    gain = labeller(text, gt)
    rows = []
    base = corrector.document_threshold(vocab)
    for x, c in got:
        need = corrector._needed(c, x, text, base)
        rows.append({"before": c.before, "after": c.after, "start": c.start, "end": c.end, "rule": c.rule,
                     "posterior": round(1 / (1 + math.exp(-x["logit_post"])), 4), "vetter": c.confidence,
                     "needed": need, "made": c.confidence >= need, "gain": gain(c),
                     "known": x["log_p_ocr"] >= LOG_KNOWN_MIN_P,
                     "context": text[max(0, c.start - 30):c.end + 30]})
    return rows


BANDS = (0.0, 0.3, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0)
# the vetter probabilities rule_table weighs each kind of edit at
RULE_THRESHOLDS = (0.4, 0.5, 0.55, 0.6, 0.65, 0.7, 0.8, 0.9)


def band_table(rows: list[dict]) -> list[str]:
    """Per band of the vetter's probability: the proposals; the made ones, how many of them brought the text
    nearer the ground truth (better), left it as far (same) or took it farther (worse), and the characters of
    error they removed in all (net); of the others, how many would have helped or harmed and their net gain.
    The line "all": every made edit (what a reader who checks them one by one finds); the last, what a vetter that
    made exactly the proposals that help would remove (the ceiling of any vetter over these proposals)."""
    out = [f"  {'vetter':>9} {'proposed':>8} {'made':>6} {'better':>6} {'same':>6} {'worse':>6} {'made net':>8} "
           f"{'left':>6} {'better':>6} {'worse':>6} {'left net':>8}"]

    def line(label: str, band: list[dict]) -> str:
        made = [r for r in band if r["made"]]
        left = [r for r in band if not r["made"]]
        return (f"  {label:>9} {len(band):>8} {len(made):>6} {sum(r['gain'] > 0 for r in made):>6} "
                f"{sum(r['gain'] == 0 for r in made):>6} {sum(r['gain'] < 0 for r in made):>6} "
                f"{sum(r['gain'] for r in made):>+8} {len(left):>6} {sum(r['gain'] > 0 for r in left):>6} "
                f"{sum(r['gain'] < 0 for r in left):>6} {sum(r['gain'] for r in left):>+8}")
    for lo, hi in zip(BANDS, BANDS[1:]):
        out.append(line(f"{lo:.1f}-{hi:.1f}", [r for r in rows if lo <= r["vetter"] < hi
                                               or hi == BANDS[-1] and r["vetter"] == hi]))
    out.append(line("all", rows))
    # the ceiling of any vetter over these proposals: it makes every one that helps and no other
    best, made = sum(max(r["gain"], 0) for r in rows), sum(r["gain"] for r in rows if r["made"])
    out.append(f"  a vetter that made exactly the proposals that help: {best:+d} characters of error removed "
               f"(the made ones: {made:+d}{f', {best / made - 1:+.1%}' if made > 0 else ''})")
    return out


def rule_table(rows: list[dict]) -> list[str]:
    """Per kind of edit (its rule, and whether the printed word is a known one) and per vetter probability it
    might need (RULE_THRESHOLDS): the characters of error its proposals of at least that probability remove from the
    OCR (net) and add to the ground truth fed as the OCR (the rows marked ``clean``: every change there is damage).
    What a threshold of its own for one kind of edit would trade, read off the listed proposals (each kind decided
    alone, as the listing pass decides it: measure a choice with a run of its own)."""
    kinds: dict[tuple[str, bool], list[dict]] = {}
    for r in rows:
        kinds.setdefault((r["rule"], r["known"]), []).append(r)
    out = ["  per kind of edit, at each vetter probability: characters of error removed from the OCR / added to the "
           "ground truth",
           f"  {'rule':15} {'word':7} {'OCR':>5} {'clean':>5} " + " ".join(f"{t:>10}" for t in RULE_THRESHOLDS)]
    for (rule, known), got in sorted(kinds.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        ocr = [r for r in got if not r.get("clean")]
        clean = [r for r in got if r.get("clean")]
        cells = [f"{sum(r['gain'] for r in ocr if r['vetter'] >= t):+d}/{-sum(r['gain'] for r in clean if r['vetter'] >= t)}"
                 for t in RULE_THRESHOLDS]
        out.append(f"  {rule:15} {'known' if known else 'unknown':7} {len(ocr):>5} {len(clean):>5} "
                   + " ".join(f"{c:>10}" for c in cells))
    return out


if __name__ == "__main__":
    sys.exit(main())
