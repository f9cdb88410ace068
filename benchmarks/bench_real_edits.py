#!/usr/bin/env python
"""English corrections on real newspaper pages, read by hand: how many of the edits are right.

Issue 14 is judged in part by reading sampled edits on real pages, which have no ground truth. This script
keeps such a reading as data, so that it is a number a change can be measured against. The pages are the two
English real samples in ``../shared/samples`` (input only): the Liverpool Standard of 1832-11-23 (British
Library ALTO and METS, 8 pages) and the New-York Tribune of 1903 (Chronicling America ALTO, 1 page). Each is
built as a user builds it (``load_inputs`` and ``process``, default options: the shipped English model).

Verdicts are stored in ``benchmarks/data/real_edits.jsonl``, one edit a line, matched by (sample, page, start,
before, after): the edit's place in the page's raw text, which edits never move.

* ``right``: the edit writes what the page printed (a stray mark: removes what is no print);
* ``wrong``: what it writes is not what was printed, or it changes a word printed right (``pail`` -> ``pair``
  in "a pail of water");
* ``unclear``: the OCR around it does not tell what was printed.

The verdicts of stop 52 are of two seeded random samples: 100 word edits and 20 mark edits (rules ``mark:*``) of
the Liverpool Standard's 1,685, 50 and 10 of the Tribune's 166, drawn before any was read or anything changed;
then, after that stop's guard, twice more of the word edits without a verdict (60 and 40, 70 and 30). Stop 53 added
a fourth, 30 edits of each page set without a verdict, marks among them (``--sample 30 --seed 53``). Their context
is stored with them.

It prints, per page set: the edits made (word / mark), the judged ones still made with their verdicts and the
share right of those right or wrong (95% Wilson interval), by rule; the judged edits no longer made (a wrong
one gone is a gain, a right one a loss); how many edits have no verdict; and, at or above each of a few
confidences, the word edits made, the share right of the judged ones and how many right and wrong edits that
makes of all (``--threshold T`` builds as ``reissue build --threshold T`` does, to check that a bolder threshold
makes the same edits as the filter says). After a change to the corrector,
``--write-unlabelled FILE`` writes a seeded sample of the edits without a verdict (``"verdict": null``, with
their context), to be read and added to the data; until they are, the share describes the judged edits only.

``--by-ocr`` also splits the judged word edits by what the OCR engine said of the word: doubted (below the
confidence the build doubts words under, ``ocr_doubt_below`` of its parameters: the page set's lowest
``correct.stage.OCR_DOUBT_Q``), not doubted, or no confidence; and by the edit's confidence, under or at least
``edition.CERTAIN``.

    .venv/bin/python benchmarks/bench_real_edits.py [--samples ../shared/samples] [--show wrong,unclear] [--threshold T]
        [--by-ocr]
"""

from __future__ import annotations

import argparse
import random
import sys
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
for _path in (REPO / "src", REPO / "benchmarks"):
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))

from reissue.edition import CERTAIN, document_to_dict  # noqa: E402  (after the path)
from reissue.evaluate_metrics import wilson_interval  # noqa: E402
from reissue.ingest import load_inputs  # noqa: E402
from reissue.correct.tokens import MARK_RULE  # noqa: E402
from reissue.ingest.confidence import OcrConfidence  # noqa: E402
from reissue.pipeline import process  # noqa: E402

from bench_gt_audit import read_verdicts, write_unlabelled  # noqa: E402  (the same JSONL of verdicts)

VERDICTS_FILE = REPO / "benchmarks" / "data" / "real_edits.jsonl"
VERDICTS = ("right", "wrong", "unclear")
SAMPLES = ("bl-liverpool-standard-1832-11-23", "chronam-new-york-tribune/ocr.xml")
CONTEXT = 70  # characters of raw text kept on the left of an edit (50 on the right)
CONFIDENCE_FLOORS = (0.0, 0.7, 0.9, 0.95)  # the confidences the share right is given at or above


def edits_of(path: Path, threshold: float | None = None) -> list[dict]:
    """The correction edits a default build of ``path`` makes (with ``threshold``: as ``reissue build --threshold``
    does), each with its page's raw text around it."""
    doc = process(load_inputs([str(path)]), threshold=threshold)
    ocr = OcrConfidence(doc)
    doubt = doc.parameters.get("correct", {}).get("ocr_doubt_below")  # the build's: it doubts the words below it
    d = document_to_dict(doc)
    raws = {p["index"]: p["raw"] for p in d["pages"]}
    out = []
    for e in d["edits"]:
        if e["stage"] != "correct" or e.get("superseded_by"):
            continue
        raw, s, t = raws[e["page"]], e["start"], e["end"]
        conf = ocr.of_raw(e["page"], s, t)
        out.append({"page": e["page"], "start": s, "end": t, "before": raw[s:t], "after": e["after"],
                    "rule": e["rule"], "confidence": e["confidence"], "left": raw[max(0, s - CONTEXT):s],
                    "right": raw[t:t + 50],
                    "ocr": "none" if conf is None else "doubted" if doubt is not None and conf < doubt else "not doubted"})
    return out


def key(sample: str, e: dict) -> tuple:
    return (sample, e["page"], e["start"], e["before"], e["after"])


def load_verdicts(path: Path) -> dict[tuple, dict]:
    return read_verdicts(path, VERDICTS, lambda d: key(d["sample"], d))


def is_mark(e: dict) -> bool:
    return e["rule"].startswith(MARK_RULE)


def tally(sample: str, edits: list[dict], verdicts: dict[tuple, dict]) -> dict:
    """What the judged edits say of one sample's edits: the verdicts of those still made (words, marks, by
    rule), those of the judged edits no longer made, and the edits without a verdict."""
    made = {key(sample, e): e for e in edits}
    judged = {k: v for k, v in verdicts.items() if k[0] == sample}
    words, marks, by_rule, gone = Counter(), Counter(), {}, Counter()
    for k, v in judged.items():
        if k not in made:
            gone[v["verdict"]] += 1
            continue
        (marks if is_mark(v) else words)[v["verdict"]] += 1
        by_rule.setdefault(v["rule"], Counter())[v["verdict"]] += 1
    return {"edits": len(edits), "word_edits": sum(not is_mark(e) for e in edits), "words": words, "marks": marks,
            "by_rule": by_rule, "gone": gone, "unjudged": [e for k, e in made.items() if k not in judged]}


def by_confidence(sample: str, edits: list[dict], verdicts: dict[tuple, dict],
                  floors: tuple[float, ...] = CONFIDENCE_FLOORS) -> list[tuple[float, int, Counter]]:
    """For each floor: the word edits made with at least that confidence, and the verdicts of the judged ones
    among them. The judged edits are uniform samples of the word edits, so their share right at a floor estimates
    what a build with that ``--threshold`` would make (a build at a higher threshold makes nearly the same edits:
    ``--threshold`` checks it)."""
    out = []
    for floor in floors:
        above = [e for e in edits if not is_mark(e) and e["confidence"] >= floor]
        out.append((floor, len(above), Counter(verdicts[k]["verdict"] for e in above
                                               if (k := key(sample, e)) in verdicts)))
    return out


def by_ocr(sample: str, edits: list[dict], verdicts: dict[tuple, dict]) -> dict[tuple[str, str], Counter]:
    """The verdicts of the judged word edits by what the OCR engine said of the word (``ocr``: doubted, below
    the build's quantile of the page set's word confidences; not doubted; no confidence) and by the edit's own
    confidence (under CERTAIN, or at or above it)."""
    out: dict[tuple[str, str], Counter] = {}
    for e in edits:
        v = verdicts.get(key(sample, e))
        if v is not None and not is_mark(e):
            band = f"{'<' if e['confidence'] < CERTAIN else '>='}{CERTAIN}"
            out.setdefault((e["ocr"], band), Counter())[v["verdict"]] += 1
    return out


def estimate(n: int, c: Counter) -> tuple[float, float]:
    """How many of n edits are right and how many wrong, by the verdicts c of a uniform sample of them."""
    judged = sum(c.values())
    return (n * c["right"] / judged, n * c["wrong"] / judged) if judged else (0.0, 0.0)


def pooled(per_sample: list[list[tuple]]) -> list[tuple[float, int, Counter, tuple[float, float]]]:
    """The rows (floor, made, verdicts, estimate) of several page sets added up floor by floor; the estimates
    summed, not made again from the pooled verdicts: each page set is sampled at its own rate."""
    return [(rows[0][0], sum(r[1] for r in rows), sum((r[2] for r in rows), Counter()),
             (sum(r[3][0] for r in rows), sum(r[3][1] for r in rows))) for rows in zip(*per_sample)]


def confidence_report(rows: list[tuple[float, int, Counter, tuple[float, float]]]) -> None:
    """The share right of the judged word edits at or above each confidence, and how many right and wrong edits
    of all those made that makes (``estimate``; the unclear ones apart)."""
    print("  word edits at or above a confidence: made, judged, right of right or wrong, estimated right / wrong")
    for floor, n, c, (right, wrong) in rows:
        print(f"    {floor:.2f}  {n:5d}  {counts(c)}  {share(c)}  {right:.0f} / {wrong:.0f}")


def share(c: Counter) -> str:
    n = c["right"] + c["wrong"]
    if not n:
        return "-"
    lo, hi = wilson_interval(c["right"], n)
    return f"{c['right'] / n:.0%} ({lo:.0%}..{hi:.0%})"


def counts(c: Counter) -> str:
    return " / ".join(f"{c[v]} {v}" for v in VERDICTS)


def report(sample: str, t: dict) -> None:
    print(f"\n{sample}: {t['edits']} edits ({t['word_edits']} word edits)")
    print(f"  judged word edits still made: {counts(t['words'])}; right of right or wrong {share(t['words'])}")
    print(f"  judged mark edits still made: {counts(t['marks'])}; right of right or wrong {share(t['marks'])}")
    for rule, c in sorted(t["by_rule"].items(), key=lambda kv: -sum(kv[1].values())):
        print(f"    {rule:16s} {counts(c)}")
    print(f"  judged edits no longer made: {counts(t['gone'])}")
    print(f"  edits without a verdict: {len(t['unjudged'])}")


def line_of(e: dict) -> str:
    return (e["left"] + "[" + e["before"] + "→" + e["after"] + "]" + e["right"]).replace("\n", "⏎")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--samples", type=Path, default=REPO.parent / "shared" / "samples")
    ap.add_argument("--verdicts", type=Path, default=VERDICTS_FILE, help="verdicts read by hand (JSONL)")
    ap.add_argument("--show", default="", help="comma-separated verdicts whose edits are printed (wrong,unclear)")
    ap.add_argument("--write-unlabelled", type=Path, default=None,
                    help="write a seeded sample of the edits without a verdict here, to be read")
    ap.add_argument("--sample", type=int, default=30, help="edits without a verdict written per page set")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--by-ocr", action="store_true",
                    help="also the judged word edits by the OCR's confidence in the word (doubted or not)")
    ap.add_argument("--threshold", type=float, default=None,
                    help="build with this correction threshold (reissue build --threshold; default: the model's)")
    args = ap.parse_args(argv)
    verdicts = load_verdicts(args.verdicts)
    show = set(filter(None, args.show.split(",")))
    unlabelled, total = [], {"words": Counter(), "marks": Counter()}
    per_sample = []  # each page set's rows at the floors
    for sample in SAMPLES:
        path = args.samples / sample
        if not path.exists():
            print(f"{sample}: not found under {args.samples}; skipped", file=sys.stderr)
            continue
        name = sample.split("/")[0]
        edits = edits_of(path, args.threshold)
        t = tally(name, edits, verdicts)
        report(name, t)
        rows = [(floor, n, c, estimate(n, c)) for floor, n, c in by_confidence(name, edits, verdicts)]
        confidence_report(rows)
        per_sample.append(rows)
        if args.by_ocr:
            print("  judged word edits by the OCR's confidence in the word and the edit's confidence:")
            for (ocr, band), c in sorted(by_ocr(name, edits, verdicts).items()):
                print(f"    {ocr:12s} {band:7s} {counts(c)}  {share(c)}")
        total["words"] += t["words"]
        total["marks"] += t["marks"]
        for e in edits:
            v = verdicts.get(key(name, e))
            if v and v["verdict"] in show:
                print(f"    {v['verdict']:7s} {e['rule']:14s} {e['confidence']:.2f} {line_of(e)}")
        todo = t["unjudged"]
        for e in random.Random(args.seed).sample(todo, min(args.sample, len(todo))):
            unlabelled.append({"sample": name, **e, "verdict": None})
    print(f"\nall pages: judged word edits {counts(total['words'])}, right {share(total['words'])}; "
          f"mark edits {counts(total['marks'])}, right {share(total['marks'])}")
    if per_sample:
        confidence_report(pooled(per_sample))
    if args.write_unlabelled and unlabelled:
        write_unlabelled(args.write_unlabelled, unlabelled)
    return 0


if __name__ == "__main__":
    sys.exit(main())
