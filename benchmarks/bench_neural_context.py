#!/usr/bin/env python
"""Would a bigger, neural character context model, trained on an accelerator, help enough to ship?

Issue 14 asks to measure it. The English corrector weighs a character 7-gram model's score of each
edit in its sentence (``context.py``: the decoder's rescoring of a token's best candidates, and a
feature of the edit vetter). This script swaps that score for a neural model's, everywhere the
7-gram is asked, without touching the product:

1. ``record DIR``: runs the held-out train benchmark (``bench_correct_cv.py --context --damage``), the
   English model's training (``scripts/train_model.py``, into DIR) and the dev benchmark
   (``bench_correct.py --in-process``) with every question put to a context model written down: the
   text and where its scored part starts (``CharLM.logprobs``), per context model (each fold's and the
   shipped one, told apart by the ground truth they were fitted on). It writes each model's training
   text (``corpus-<tag>.txt.gz``), its questions (``queries-<tag>.tsv.gz``) and the dev ground truth.
2. ``scripts/train_neural_context.py DIR`` (on a GPU; PyTorch there, never here) trains one neural
   model per training text and writes each question's log-probability (``scores-<tag>.f32``).
3. ``replay DIR``: runs the same three with the neural numbers in place of the 7-gram's (a question
   the neural model was not asked, because a different decision led to a different text, falls back
   to the 7-gram and is counted), the model trained into DIR/replay.

    .venv/bin/python benchmarks/bench_neural_context.py record /tmp/nctx
    (device) python3 scripts/train_neural_context.py /tmp/nctx
    .venv/bin/python benchmarks/bench_neural_context.py replay /tmp/nctx [--mix 0.5]

The product never needs PyTorch or a GPU; this is an experiment, its numbers are in benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import os
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
for p in (REPO / "src", REPO / "benchmarks", REPO / "scripts"):
    if str(p) not in sys.path:
        sys.path.insert(0, str(p))

import numpy as np  # noqa: E402

from reissue.correct import context, vet_train  # noqa: E402
from reissue.correct.train import clean_gt, read_hipe  # noqa: E402

DEV = ("icdar2017-dev", "overproof-dev", "impresso-snippets-dev")
TRAIN = ("icdar2017-train", "overproof-train", "impresso-snippets-train")
FULL = "full"  # the tag of the shipped context model (all train splits' ground truth)


def tag_of(texts) -> str:
    return hashlib.sha1("\0".join(context.normalize(t) for t in texts).encode("utf-8")).hexdigest()[:10]


class Patch:
    """Tags every context model with the ground truth it was fitted on, and records (``scores`` None)
    or answers (``scores``: tag -> {(text, start): log-probability}) the questions put to it."""

    def __init__(self, scores: dict | None = None, mix: float = 1.0):
        self.scores, self.mix = scores, mix
        self.corpora: dict[str, list[str]] = {}
        self.asked: dict[str, dict] = {}
        self.misses = self.hits = 0
        self.models: dict[str, context.CharLM] = {}

    def install(self):
        """Patch the context models in (for the rest of the process: ``uninstall`` undoes it)."""
        orig_fold, orig_load, orig_logprobs = vet_train.fold_context_model, context.load, context.CharLM.logprobs
        self._orig = (orig_fold, orig_load, orig_logprobs)
        patch = self

        def fold_model(train):
            texts = [clean_gt(g) for _o, g in train]
            tag = tag_of(texts)
            if tag not in patch.models:
                patch.corpora[tag] = texts
                lm = patch.models[tag] = orig_fold(train)
                lm._tag = tag
            return patch.models[tag]

        def load(path):
            lm = orig_load(path)
            lm._tag = FULL
            return lm

        def logprobs(self, texts, starts):
            tag = getattr(self, "_tag", None)
            texts = [context.normalize(t) for t in texts]
            starts = [int(s) for s in starts]
            if patch.scores is None or tag is None:
                if tag is not None:
                    asked = patch.asked.setdefault(tag, {})
                    for t, s in zip(texts, starts):
                        asked.setdefault((t, s), None)
                return orig_logprobs(self, texts, starts)
            # the neural numbers: a text's whole log-probability on its first scored position, zeros
            # after it (the callers only ever sum a text's positions)
            lp, lens = orig_logprobs(self, texts, starts)
            table = patch.scores.get(tag, {})
            out = np.zeros_like(lp)
            at = 0
            for t, s, n in zip(texts, starts, lens):
                got = table.get((t, s))
                if got is None:
                    patch.misses += 1
                    out[at:at + n] = lp[at:at + n]
                else:
                    patch.hits += 1
                    if n:  # (mix < 1: a log-linear mixture with the 7-gram's)
                        out[at] = patch.mix * got + (1 - patch.mix) * float(lp[at:at + n].sum())
                at += n
            return out, lens

        vet_train.fold_context_model = fold_model
        context.load = load
        context.CharLM.logprobs = logprobs
        context._LOADED.clear()
        context._DEFAULT = None

    def uninstall(self):
        vet_train.fold_context_model, context.load, context.CharLM.logprobs = self._orig
        context._LOADED.clear()
        context._DEFAULT = None


def run_all(out: Path, model_out: Path):
    import bench_correct
    import bench_correct_cv
    import train_model

    print("== held-out train (bench_correct_cv.py --context --damage)", flush=True)
    bench_correct_cv.main(["--context", "--damage"])
    print("== scripts/train_model.py --lang en", flush=True)
    train_model.main(["--lang", "en", "-o", str(model_out)])
    # the model names context-model-en.bin.gz: found beside it
    ctx = out / "context-model-en.bin.gz"
    if not ctx.exists():
        ctx.symlink_to(Path(context.default_path()).resolve())
    print("== dev (bench_correct.py --in-process)", flush=True)
    bench_correct.main(["--in-process", "--systems", "none,reissue", "--model", str(model_out),
                        "--json", str(out / "dev.json")])


def record(out: Path):
    out.mkdir(parents=True, exist_ok=True)
    patch = Patch()
    patch.install()
    run_all(out, out / "correct-model-en.json.gz")
    from bench_correct import default_data
    from reissue.evaluate import load_jsonl

    data = default_data("en")
    # the shipped model's text, read as scripts/train_context_model.py reads it
    patch.corpora[FULL] = [clean_gt(gt) for s in TRAIN for _ocr, gt in read_hipe(str(data / f"{s}.jsonl"))]
    for tag, texts in patch.corpora.items():
        with gzip.open(out / f"corpus-{tag}.txt.gz", "wt", encoding="utf-8") as fh:
            fh.writelines(context.normalize(t).strip() + "\n" for t in texts)
    for tag, asked in patch.asked.items():
        with gzip.open(out / f"queries-{tag}.tsv.gz", "wt", encoding="utf-8") as fh:
            fh.writelines(f"{s}\t{t}\n" for t, s in asked)
        print(f"{tag}: {len(asked):,} questions, {len(patch.corpora.get(tag, ())):,} training documents")
    for s in DEV:
        with gzip.open(out / f"dev-{s}.txt.gz", "wt", encoding="utf-8") as fh:
            fh.writelines(context.normalize(r["ground_truth"]["transcription_unit"]).strip() + "\n"
                          for r in load_jsonl(data / f"{s}.jsonl"))


def replay(out: Path, mix: float = 1.0):
    scores = {}
    for q in sorted(out.glob("queries-*.tsv.gz")):
        tag = q.name[len("queries-"):-len(".tsv.gz")]
        f = out / f"scores-{tag}.f32"
        if not f.exists():
            print(f"{tag}: no neural scores: the 7-gram answers")
            continue
        with gzip.open(q, "rt", encoding="utf-8") as fh:
            keys = [(t, int(s)) for s, t in (line.rstrip("\n").split("\t", 1) for line in fh)]
        vals = np.fromfile(f, dtype=np.float32)
        assert len(vals) == len(keys), (tag, len(vals), len(keys))
        scores[tag] = dict(zip(keys, vals.astype(float).tolist()))
    patch = Patch(scores, mix)
    patch.install()
    where = out / ("replay" if mix == 1.0 else f"replay-mix{mix}")
    where.mkdir(exist_ok=True)
    run_all(where, where / "correct-model-en.json.gz")
    print(f"neural numbers for {patch.hits:,} texts; {patch.misses:,} not asked before (the 7-gram's)")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("step", choices=("record", "replay"))
    ap.add_argument("dir", type=Path)
    ap.add_argument("--mix", type=float, default=1.0,
                    help="replay: the neural model's weight in a log-linear mixture with the 7-gram (default 1: alone)")
    a = ap.parse_args(argv)
    if a.step == "record":
        record(a.dir)
    else:
        replay(a.dir, a.mix)


if __name__ == "__main__":
    main()
