#!/usr/bin/env python
"""What the scorer counts as damage, read by hand: how much of it fixes misprints the ground truth kept.

The HIPE-OCRepair ground truth is not clean everywhere: some documents' "ground truth" is their OCR,
others keep a share of its misreads (``évêqne``, ``doeile``, ``Samnel``). The scorer then counts an
edit that fixes such a misread as damage twice over: in the clean-text test (``bench_clean_damage.py``:
the ground truth fed as OCR, every change is damage) and in the OCR itself (the output moves away from
a ground truth that kept the misprint). This script measures how much of the counted damage is of
that kind, so that the damage and preference numbers can be read for what they are.

For each split and mode (``clean``: the ground truth as the OCR; ``ocr``: the OCR), the split is
corrected with the shipped model of its language (``Corrector.corrections``, as ``reissue correct
--hipe`` makes them), and every edit is scored as the vetter's training labels are
(``vet_train.labeller``: the edit widened to its word(s), against the aligned ground truth, both
normalised as the scorer does). A seeded sample of the edits counted *worse* is drawn; each is matched
to a verdict read by a person, stored as data in ``benchmarks/data/gt_audit.jsonl``:

* ``gt-error``: the edit fixes a misprint the ground truth kept (the printed page, the sentence and
  the language leave no doubt);
* ``damage``: the edit makes the text worse (or only moves the error);
* ``unclear``: not decidable from the text.

It prints, per split and mode: the edits counted better / worse (and their characters), the sample's
verdicts, the share of counted damage that fixes ground-truth errors (with a 95% Wilson interval), and
the clean-text damage that is left when only the sampled share of real damage is counted.

Verdicts are matched by (language, split, mode, document, offset, before, after). An edit of the sample
that has none is listed as unlabelled (``--write-unlabelled FILE`` writes their lines with
``"verdict": null`` and the text around them, ready to be read and filled in): after a change to the
corrector, the new edits of the sample need reading before the shares mean anything.

    .venv/bin/python benchmarks/bench_gt_audit.py --lang fr --splits icdar2017-dev
    .venv/bin/python benchmarks/bench_gt_audit.py --lang en --splits icdar2017-dev --modes clean --sample 50
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO / "src") not in sys.path:
    sys.path.insert(0, str(REPO / "src"))

from reissue.evaluate_metrics import wilson_interval as wilson  # noqa: E402  (after the path)

LABELS = REPO / "benchmarks" / "data" / "gt_audit.jsonl"
VERDICTS = ("gt-error", "damage", "unclear")


def scored_edits(corrector, records: list[dict], mode: str) -> list[dict]:
    """Every edit of the corrector on the split's texts (the ground truth for ``clean``), with its
    gain in characters against the ground truth (negative: counted as damage)."""
    from reissue.correct.tokens import whole_words
    from reissue.correct.vet_train import gt_offsets, labeller

    out = []
    for r in records:
        ocr, gt = r["ocr_hypothesis"]["transcription_unit"], r["ground_truth"]["transcription_unit"]
        text = gt if mode == "clean" else ocr
        corrs = corrector.corrections(text, corrector.vocabulary([text]))
        if not corrs:
            continue
        gain = labeller(text, gt)
        pos = gt_offsets(text, gt)
        for c, w in zip(corrs, whole_words(text, corrs)):
            g0, g1 = pos[w.start], pos[w.end]
            out.append({"doc": r["document_metadata"]["document_id"], "start": w.start, "before": w.before,
                        "after": w.after, "gain": gain(c), "rule": c.rule, "confidence": c.confidence,
                        "context": text[max(0, w.start - 60):w.end + 40],
                        "gt": gt[g0:g1] if g0 is not None and g1 is not None else None})
    return out


def baseline_errors(records: list[dict]) -> int:
    """Characters of error of the uncorrected OCR against the ground truth, normalised as the scorer does."""
    from rapidfuzz.distance import Levenshtein

    from reissue.evaluate import normalize

    return sum(Levenshtein.distance(normalize(r["ocr_hypothesis"]["transcription_unit"]),
                                    normalize(r["ground_truth"]["transcription_unit"])) for r in records)


def documents(corrector, records: list[dict], lang: str, split: str, labels: dict) -> list[dict]:
    """Print the documents the scorer counts as damaged (a higher cMER than the OCR's, the output as
    reissue correct --hipe writes it) and the verdicts of their edits counted worse; return
    those edits that have none (to be read)."""
    from reissue.correct.hipe import correct_hipe_text
    from reissue.evaluate_metrics import cmer

    improved = damaged = only_fixes = 0
    missing = []
    for r in records:
        ocr, gt = r["ocr_hypothesis"]["transcription_unit"], r["ground_truth"]["transcription_unit"]
        out = correct_hipe_text(corrector, ocr, whitespace_normalised=bool(r["document_metadata"].get("whitespace_normalised")))
        before, after = (cmer(gt, t) for t in (ocr, out))  # the scorer's preference is by cMER
        if after < before:
            improved += 1
        if after <= before:
            continue
        damaged += 1
        worse = [e for e in scored_edits(corrector, [r], "ocr") if e["gain"] < 0]
        verdicts = []
        for e in worse:
            d = labels.get(key(lang, split, "ocr", e))
            verdicts.append(d["verdict"] if d else None)
            if d is None:
                missing.append({"lang": lang, "split": split, "mode": "ocr", **e, "verdict": None, "note": ""})
        fixes_only = bool(verdicts) and all(v == "gt-error" for v in verdicts)
        only_fixes += fixes_only
        print(f"  damaged {r['document_metadata']['document_id']}: cMER {before:.4f} -> {after:.4f}; edits counted worse: "
              + ", ".join(f"{e['before']!r}->{e['after']!r} {v or '?'}" for e, v in zip(worse, verdicts)))
    n = len(records)
    print(f"  documents {n}: improved {improved}, damaged {damaged} (preference {(improved - damaged) / n:+.3f}); damaged "
          f"only by fixes of misreads the ground truth kept: {only_fixes}; counted as improved, the preference would be "
          f"{(improved + only_fixes - damaged + only_fixes) / n:+.3f}"
          + (f" (edits without a verdict: {len(missing)})" if missing else ""))
    return missing


def key(lang: str, split: str, mode: str, e: dict) -> tuple:
    return (lang, split, mode, e["doc"], e["start"], e["before"], e["after"])


def read_verdicts(path: Path, allowed: tuple, key_of) -> dict[tuple, dict]:
    """The verdicts read by hand in the JSONL file ``path`` (none where it is missing), by ``key_of(line)``; a
    verdict that is none of ``allowed`` stops the run with the file and line."""
    out: dict[tuple, dict] = {}
    if not path.is_file():
        return out
    for no, line in enumerate(open(path, encoding="utf-8"), 1):
        if not line.strip():
            continue
        d = json.loads(line)
        if d.get("verdict") not in allowed:
            raise SystemExit(f"{path}:{no}: verdict {d.get('verdict')!r} is none of {', '.join(allowed)}")
        out[key_of(d)] = d
    return out


def write_unlabelled(path: Path, rows: list[dict], mode: str = "w") -> None:
    """Write the edits without a verdict (``"verdict": null``), one JSON line each, to be read by hand."""
    with open(path, mode, encoding="utf-8") as fh:
        for d in rows:
            fh.write(json.dumps(d, ensure_ascii=False) + "\n")
    print(f"wrote {len(rows)} edits without a verdict to {path}")


def load_labels(path: Path) -> dict[tuple, dict]:
    return read_verdicts(path, VERDICTS, lambda d: key(d["lang"], d["split"], d["mode"], d))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--lang", default="fr", choices=("en", "fr", "de"))
    ap.add_argument("--splits", default="icdar2017-dev", help="comma-separated dev splits of the language")
    ap.add_argument("--modes", default="clean,ocr", help="clean (ground truth as OCR), ocr, or both")
    ap.add_argument("--sample", type=int, default=50, help="edits counted worse drawn per split and mode")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--labels", type=Path, default=LABELS, help="verdicts read by hand (JSONL)")
    ap.add_argument("--write-unlabelled", type=Path, default=None,
                    help="append the sampled edits without a verdict to this JSONL file, verdict null")
    ap.add_argument("--show", action="store_true", help="print every sampled edit with its verdict")
    ap.add_argument("--documents", action="store_true",
                    help="ocr mode: also every document the scorer counts as damaged, with the verdicts of all its "
                         "edits counted worse (those without one are unlabelled too), and the preference if the "
                         "documents damaged only by fixes of kept misreads were counted as improved")
    a = ap.parse_args(argv)

    from bench_correct import default_data  # (this folder is on sys.path when run as a script)
    from reissue.correct import Corrector
    from reissue.correct.model import model_path_for
    from reissue.evaluate import load_jsonl

    labels = load_labels(a.labels)
    corrector = Corrector(model_path_for(a.lang))
    unlabelled = []
    for split in a.splits.split(","):
        records = list(load_jsonl(default_data(a.lang) / f"{split}.jsonl"))
        for mode in a.modes.split(","):
            edits = scored_edits(corrector, records, mode)
            worse = [e for e in edits if e["gain"] < 0]
            better = [e for e in edits if e["gain"] > 0]
            sample = random.Random(a.seed).sample(worse, min(a.sample, len(worse)))
            got = {v: 0 for v in VERDICTS}
            lost = {v: 0 for v in VERDICTS}  # the characters the scorer counts them as losing
            missing = 0
            for e in sample:
                d = labels.get(key(a.lang, split, mode, e))
                if d is None:
                    missing += 1
                    unlabelled.append({"lang": a.lang, "split": split, "mode": mode, **e, "verdict": None, "note": ""})
                else:
                    got[d["verdict"]] += 1
                    lost[d["verdict"]] -= e["gain"]
                if a.show:
                    print(f"    {d['verdict'] if d else '?':9} {e['before']!r} -> {e['after']!r} (gt {e['gt']!r}) "
                          f"{e['context']!r}")
            n = sum(got.values())
            lo, hi = wilson(got["gt-error"], n)
            worse_chars = -sum(e["gain"] for e in worse)
            print(f"{a.lang} {split} {mode}: edits counted better {len(better)} ({sum(e['gain'] for e in better)} chars), "
                  f"worse {len(worse)} ({worse_chars} chars); sample {len(sample)}, read {n}, unlabelled {missing}")
            if n:
                print(f"  verdicts: gt-error {got['gt-error']}, damage {got['damage']}, unclear {got['unclear']}; "
                      f"share of counted damage that fixes ground-truth errors {got['gt-error'] / n:.0%} "
                      f"(95% interval {lo:.0%}-{hi:.0%}); in characters {lost['gt-error'] / max(1, sum(lost.values())):.0%}")
                real = (lost["damage"] + lost["unclear"]) / max(1, sum(lost.values()))
                if mode == "clean":
                    total = sum(len(r["ground_truth"]["transcription_unit"]) for r in records)
                    print(f"  counted damage {worse_chars} chars ({worse_chars / total:.3%} of the ground truth's characters, "
                          f"about what the scorer's cMER says); damage or unclear in the sample: {real:.0%} of the "
                          f"characters, i.e. about {worse_chars * real / total:.3%}")
                else:
                    base = baseline_errors(records)
                    counted = sum(e["gain"] for e in better) - worse_chars
                    fixed = counted + 2 * worse_chars * (1 - real)  # a fix of a kept misprint gains what it was counted to lose
                    print(f"  error of the OCR {base} chars; counted gain {counted} chars ({-counted / base:+.1%}); with the "
                          f"sampled share of ground-truth fixes counted as fixes about {fixed:.0f} chars ({-fixed / base:+.1%}; "
                          f"the misprints the ground truth kept left in the baseline)")
            if mode == "ocr" and a.documents:
                unlabelled += documents(corrector, records, a.lang, split, labels)
    # (an edit of the sample that is also in a damaged document is written once)
    unlabelled = list({key(u["lang"], u["split"], u["mode"], u): u for u in unlabelled}.values())
    if a.write_unlabelled and unlabelled:
        write_unlabelled(a.write_unlabelled, unlabelled, "a")
    return 0


if __name__ == "__main__":
    sys.exit(main())
