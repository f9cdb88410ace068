"""Write-back benchmark: the corrected ALTO/PAGE of real pages, timed against the same writer scanning every edit.

    .venv/bin/python benchmarks/bench_writeback.py [--samples ../shared/samples] [--rounds 3]

Each sample with ALTO or PAGE input (the 8-page 1832 Liverpool Standard via its METS, the Chronicling America page,
the Berlinische Monatsschrift's Tesseract PAGE) is built once with correction. Then ``write_back`` writes its corrected
files, in alternating rounds:

* **indexed**: the page's letter edits in a ``back_common.PageEdits``, which finds by bisection the few edits a word
  or a line can touch (the shipped writer);
* **scan**: the same edits in a plain sorted list, so that each word is checked against every edit of its page, and
  each edit placed on its line by a scan of the page's lines (the writer before stop 37: CPU time grows with words
  times edits; a third of the Liverpool Standard's build).

Both must write the same bytes (the processing timestamp aside). Printed per sample: the words and edits per page,
the median CPU seconds of each, their ratio, and the write-back's share of the build (correction included).
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from reissue.ingest import back_common, load_inputs, writeback  # noqa: E402
from reissue.pipeline import process  # noqa: E402

SAMPLES = (("Liverpool Standard 1832 (8 ALTO pages, METS)", "bl-liverpool-standard-1832-11-23"),
           ("New York Tribune (ChronAm ALTO)", "chronam-new-york-tribune/ocr.xml"),
           ("Berlinische Monatsschrift (Tesseract PAGE)", "berlinische-monatsschrift-1784-12/page-tesseract"))
STAMP = re.compile(rb"<(processingDateTime|LastChange)>[^<]*</(processingDateTime|LastChange)>")  # ALTO, PAGE


def _scanning_line_finder(page):
    """back_common._line_finder as a scan of every line of the page (the writer before stop 37)."""
    def line_of(pos: int) -> int | None:
        return next((ln.no for ln in page.lines if ln.start <= pos <= ln.eol_end), None)
    return line_of


def written(doc, scan: bool) -> tuple[float, dict[str, bytes]]:
    """CPU seconds of write_back and what it wrote (name -> bytes, timestamps blanked)."""
    by_page, finder = back_common._edits_by_page, back_common._line_finder
    if scan:
        writeback._edits_by_page = lambda d: {k: list(v) for k, v in by_page(d).items()}
        back_common._line_finder = _scanning_line_finder
    try:
        with tempfile.TemporaryDirectory() as tmp:
            t0 = time.process_time()
            paths, problems = writeback.write_back(doc, tmp, {"name": "reissue", "version": "bench"})
            cpu = time.process_time() - t0
            if problems:
                raise SystemExit(f"write-back problems: {problems}")
            return cpu, {Path(p).relative_to(tmp).as_posix(): STAMP.sub(b"", Path(p).read_bytes()) for p in paths}
    finally:
        writeback._edits_by_page, back_common._line_finder = by_page, finder


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--samples", type=Path, default=ROOT.parent / "shared" / "samples")
    ap.add_argument("--rounds", type=int, default=3)
    a = ap.parse_args()
    print(f"{'sample':48} {'pages':>5} {'words/p':>8} {'edits/p':>8} {'build s':>8} {'indexed s':>10} {'scan s':>8} "
          f"{'scan/indexed':>12} {'share':>6}")
    for label, rel in SAMPLES:
        path = a.samples / rel
        if not path.exists():
            print(f"{label:48} missing: {path}")
            continue
        t0 = time.process_time()
        doc = process(load_inputs([str(path)]), correct=True)
        build = time.process_time() - t0
        edits = sum(len(v) for v in back_common._edits_by_page(doc).values())
        words = sum(len(p.raw.split()) for p in doc.pages)
        times: dict[bool, list[float]] = {False: [], True: []}
        outputs = {}
        for _ in range(a.rounds):
            for scan in (False, True):
                cpu, out = written(doc, scan)
                times[scan].append(cpu)
                outputs[scan] = out
        if outputs[False] != outputs[True]:
            raise SystemExit(f"{label}: the indexed and the scanning writer wrote different files")
        fast, slow = statistics.median(times[False]), statistics.median(times[True])
        n = len(doc.pages)
        print(f"{label:48} {n:>5} {words / n:>8.0f} {edits / n:>8.0f} {build:>8.2f} {fast:>10.3f} {slow:>8.3f} "
              f"{slow / max(fast, 1e-9):>11.1f}x {fast / (build + fast):>6.1%}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
