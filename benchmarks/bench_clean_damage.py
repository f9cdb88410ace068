#!/usr/bin/env python
"""Do no harm on clean text: the ground truth of the HIPE-OCRepair dev splits (en, fr, de) is fed to
the corrector as if it were the OCR, and the output is scored against that same ground truth. Any
change is damage; the target is cMER micro <= 0.001 (0.1%) in every language.

Modes (``--modes``):

* ``hipe``: ``reissue correct --hipe`` (language from ``document_metadata.language``, the benchmark
  convention for line-end hyphens ``¬``);
* ``text``: ``reissue correct`` on plain text (each block's language identified: the build's guard);
* ``en``: the English model on everything (``--lang en``; what reissue did before the guard).

Per split: records, records changed, cMER micro of output vs ground truth, corrections per 10,000
words, words per second.

    .venv/bin/python benchmarks/bench_clean_damage.py
    .venv/bin/python benchmarks/bench_clean_damage.py --langs en --modes hipe,text,en --limit 50
"""

from __future__ import annotations

import argparse
import copy
import json
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO / "src") not in sys.path:
    sys.path.insert(0, str(REPO / "src"))


def data_root() -> Path:
    for c in (REPO.parent / "shared/data", REPO / "shared/data"):
        if (c / "hipe-en").is_dir():
            return c
    return REPO.parent / "shared/data"


def clean_records(path: Path, limit: int | None) -> list[dict]:
    out = []
    for line in open(path, encoding="utf-8"):
        if not line.strip():
            continue
        r = json.loads(line)
        gt = r["ground_truth"]["transcription_unit"] or ""
        r["ocr_hypothesis"] = {"transcription_unit": gt}
        out.append(r)
        if limit and len(out) >= limit:
            break
    return out


def run(records: list[dict], mode: str, correctors) -> tuple[list[str], float]:
    from reissue.correct.engine import apply_corrections
    from reissue.correct.hipe import correct_hipe_records, record_corrector
    from reissue.correct.stage import correct_plain_text

    recs = copy.deepcopy(records)
    t0 = time.perf_counter()
    if mode == "hipe":
        outs = [r["ocr_postcorrection_output"]["transcription_unit"]
                for r in correct_hipe_records(record_corrector(correctors, "auto"), recs)]
    else:
        lang = "auto" if mode == "text" else ("en",)
        outs = []
        for r in recs:
            text = r["ocr_hypothesis"]["transcription_unit"]
            corrs, _ = correct_plain_text(text, correctors, lang)
            outs.append(apply_corrections(text, corrs))
    return outs, time.perf_counter() - t0


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--langs", default="en,fr,de")
    ap.add_argument("--modes", default="hipe,text")
    ap.add_argument("--limit", type=int, default=None, help="records per split")
    ap.add_argument("--json", default=None, help="write the numbers to this file")
    ap.add_argument("--show", type=int, default=0, help="print up to N changed words per split")
    a = ap.parse_args(argv)
    from reissue.correct.stage import Correctors
    from reissue.evaluate import score_records

    correctors = Correctors()
    results = []
    print(f"{'split':<28} {'mode':<5} {'records':>7} {'changed':>7} {'cMER':>8} {'edits/10k w':>11} {'words/s':>8}")
    for lang in a.langs.split(","):
        for path in sorted((data_root() / f"hipe-{lang}").glob("*-dev.jsonl")):
            records = clean_records(path, a.limit)
            words = sum(len(r["ocr_hypothesis"]["transcription_unit"].split()) for r in records)
            for mode in a.modes.split(","):
                outs, dt = run(records, mode, correctors)
                recs = copy.deepcopy(records)
                changed = 0
                nedits = 0
                shown = 0
                for r, o in zip(recs, outs):
                    r["ocr_postcorrection_output"] = {"transcription_unit": o}
                    src = r["ocr_hypothesis"]["transcription_unit"]
                    if o != src:
                        changed += 1
                        a_w, b_w = src.split(), o.split()
                        import difflib

                        for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a_w, b_w, autojunk=False).get_opcodes():
                            if tag != "equal":
                                nedits += 1
                                if shown < a.show:
                                    shown += 1
                                    print(f"    {' '.join(a_w[i1:i2])!r} -> {' '.join(b_w[j1:j2])!r}")
                sc = score_records(recs)["averaged"]
                row = {"lang": lang, "split": path.stem, "mode": mode, "records": len(recs), "changed": changed,
                       "cmer_micro": sc["cmer_micro"], "edits_per_10k_words": nedits / max(words, 1) * 1e4,
                       "words_per_s": words / dt if dt else 0.0}
                results.append(row)
                print(f"{path.stem:<28} {mode:<5} {len(recs):>7} {changed:>7} {sc['cmer_micro']:>8.5f} "
                      f"{row['edits_per_10k_words']:>11.1f} {row['words_per_s']:>8.0f}", flush=True)
    worst = max((r["cmer_micro"] for r in results if r["mode"] != "en"), default=0.0)
    print(f"worst clean-text damage (guarded modes): cMER {worst:.5f} (target <= 0.00100)")
    if a.json:
        Path(a.json).write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
