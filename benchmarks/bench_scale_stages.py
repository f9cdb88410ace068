"""Scale benchmark: time of every build stage against page size and page count, with fitted exponents.

Generates page text (fixed seed: words, line-end hyphens, blank lines between paragraphs, a folio
and a running head), then times each stage in-process on growing inputs:

* page size: one page of L, 4L and 16L lines (default L = 3,000: 3k, 12k, 48k lines);
* page count: N, 10N (and 100N with --full) pages of 40 lines (default N = 1,000).

Stages: ingest (``document_from_texts``: decoding aside, line split and mojibake check), furniture,
notes, reflow, correction (only with ``--correct``: it is the slow stage by design and is measured by
bench_correct.py), export (edition dict, rebuild_raw check, JSON, txt, Markdown and TEI). For each
stage the exponent ``k`` of ``time ~ size^k`` is fitted by least squares on log-log; the issue's target
is k <= 1.15. The peer is a trivial pass over the same text (split into lines, join them again), so
``x peer`` is how many times slower than that pass each stage is: it must not grow with the size.
Times are CPU seconds of the process (``time.process_time``), so other work on the machine does not
bend the exponents.

    .venv/bin/python benchmarks/bench_scale_stages.py                   # ~1-2 min on 2 cores
    .venv/bin/python benchmarks/bench_scale_stages.py --lines 1000 --pages 200 --full --json out.json
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from pagegen import page_text  # noqa: E402  (paragraphs of 12 lines, a line-end hyphen every 9)

# CPU seconds of this process: every stage runs on one thread, and on a shared machine wall time
# measures the neighbours as much as the code
CLOCK = time.process_time


def run_stages(texts: list[tuple[str, str]], correct: bool) -> dict[str, float]:
    from reissue.export import to_markdown, to_tei, to_text
    from reissue.furniture import detect_furniture
    from reissue.ingest import document_from_texts
    from reissue.edition import document_to_dict, rebuild_raw
    from reissue.notes import detect_notes, link_notes
    from reissue.reflow import reflow

    t: dict[str, float] = {}
    t0 = CLOCK()
    joined = "\n".join(s for _, s in texts)
    _ = "\n".join(joined.splitlines())
    t["peer"] = CLOCK() - t0

    def timed(name, fn, *a, **k):
        s = CLOCK()
        r = fn(*a, **k)
        t[name] = CLOCK() - s
        return r

    doc = timed("ingest", document_from_texts, texts)
    timed("furniture", detect_furniture, doc)
    timed("notes", detect_notes, doc)
    timed("reflow", reflow, doc)
    if correct:
        from reissue.correct import correct_document

        timed("correct", correct_document, doc)
    timed("link", link_notes, doc)

    def export():
        ed = document_to_dict(doc)
        assert rebuild_raw(ed) == [p["raw"] for p in ed["pages"]]
        json.dumps(ed, ensure_ascii=False)
        to_text(ed)
        to_markdown(ed)
        to_tei(ed)

    timed("export", export)
    return t


def slope(xs: list[float], ys: list[float]) -> float:
    lx = [math.log(x) for x in xs]
    ly = [math.log(max(y, 1e-6)) for y in ys]
    mx, my = sum(lx) / len(lx), sum(ly) / len(ly)
    return sum((a - mx) * (b - my) for a, b in zip(lx, ly)) / sum((a - mx) ** 2 for a in lx)


def series(label: str, sizes: list[int], make, correct: bool) -> dict:
    rows = []
    for n in sizes:
        texts = make(n)
        rows.append((n, run_stages(texts, correct)))
    stages = [k for k in rows[0][1] if k != "peer"]
    print(f"\n{label}")
    print(f"{'size':>8} " + " ".join(f"{s:>10}" for s in stages) + f" {'total':>9} {'x peer':>8}")
    for n, t in rows:
        total = sum(t[s] for s in stages)
        print(f"{n:>8} " + " ".join(f"{t[s]:>10.3f}" for s in stages) + f" {total:>9.2f} {total / t['peer']:>8.0f}")
    xs = [n for n, _ in rows]
    exps = {s: slope(xs, [t[s] for _, t in rows]) for s in stages}
    exps["total"] = slope(xs, [sum(t[s] for s in stages) for _, t in rows])
    print(f"{'exponent':>8} " + " ".join(f"{exps[s]:>10.2f}" for s in stages) + f" {exps['total']:>9.2f}")
    return {"sizes": xs, "times": [t for _, t in rows], "exponents": exps}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--lines", type=int, default=3000, help="lines of the 1x page")
    ap.add_argument("--pages", type=int, default=1000, help="pages of the 1x collection")
    ap.add_argument("--page-lines", type=int, default=40, help="lines per page in the page-count series")
    ap.add_argument("--full", action="store_true", help="also 100x pages")
    ap.add_argument("--correct", action="store_true", help="time the correction stage too")
    ap.add_argument("--json", help="write every number to this file")
    a = ap.parse_args()
    rng = random.Random(16)
    run_stages([("warm.txt", page_text(rng, 200, 1))], a.correct)  # imports, word lists, model: not timed
    out = {}
    out["page_size"] = series("one page, lines per page (1x, 4x, 16x)", [a.lines, 4 * a.lines, 16 * a.lines],
                              lambda n: [("p1.txt", page_text(rng, n, 7))], a.correct)
    counts = [a.pages, 10 * a.pages] + ([100 * a.pages] if a.full else [])
    out["page_count"] = series(f"pages of {a.page_lines} lines (1x, 10x{', 100x' if a.full else ''})", counts,
                               lambda n: [(f"p{i}.txt", page_text(rng, a.page_lines, i + 1)) for i in range(n)],
                               a.correct)
    worst = max(v for s in out.values() for v in s["exponents"].values())
    print(f"\nlargest exponent: {worst:.2f} (target <= 1.15)")
    if a.json:
        Path(a.json).write_text(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
