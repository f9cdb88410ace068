"""Span indexes on real pages: the corrector's OCR-confidence lookups and the corrected ALTO/PAGE write-back, each
timed against the same code scanning every piece, edit or line.

    .venv/bin/python benchmarks/bench_span_indexes.py [--samples ../shared/samples] [--rounds 3]

Each sample with ALTO or PAGE input (the 8-page 1832 Liverpool Standard via its METS, the Chronicling America page,
the Berlinische Monatsschrift's Tesseract PAGE) is read once. Then, in alternating rounds:

* **the build's stages** (``pipeline.process``, correction included) with the OCR engine's confidence of each word the
  corrector asks about found by bisection over the paragraph's pieces (``OcrConfidence.reader``, shipped), and as
  before stop 37 by slicing the whole paragraph for each word (``TrackedText.slice``: a long paragraph has a piece
  per line join);
* **the write-back** (``writeback.write_back``) with the page's letter edits in a ``back_common.PageEdits``, which finds
  by bisection the few edits a word or a line can touch, and its lines found the same way (shipped), and as before
  stop 37: every word checked against every edit of its page, each edit placed on its line by a scan of the lines.

Both ways must give the same edition and write the same bytes (the processing timestamp aside). Printed per sample:
words and edits per page, the median CPU seconds of each way, their ratio, and the write-back's share of the build.
The rounds run in one process after an untimed build, so the corrector's memos are warm: the stages take less than in
a fresh ``reissue build``, the same for both ways.
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
from reissue.ingest.confidence import OcrConfidence  # noqa: E402
from reissue.pipeline import process  # noqa: E402

SAMPLES = (("Liverpool Standard 1832 (8 ALTO pages, METS)", "bl-liverpool-standard-1832-11-23"),
           ("New York Tribune (ChronAm ALTO)", "chronam-new-york-tribune/ocr.xml"),
           ("Berlinische Monatsschrift (Tesseract PAGE)", "berlinische-monatsschrift-1784-12/page-tesseract"))
STAMP = re.compile(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:[.,]\d+)?(?:Z|[+-]\d\d:\d\d)?")  # the time written


def scanning_line_finder(page):
    """back_common._line_finder as a scan of every line of the page (the writer before stop 37)."""
    def line_of(pos: int) -> int | None:
        return next((ln.no for ln in page.lines if ln.start <= pos <= ln.eol_end), None)
    return line_of


def written(doc, scan: bool) -> tuple[float, dict[str, bytes]]:
    """CPU seconds of write_back and what it wrote (name -> bytes, timestamps blanked)."""
    gather, finder = writeback.WriteEdits, back_common._line_finder
    if scan:
        writeback.WriteEdits = lambda d: {k: list(v) for k, v in gather(d).items()}
        back_common._line_finder = scanning_line_finder
    try:
        with tempfile.TemporaryDirectory() as tmp:
            t0 = time.process_time()
            paths, problems = writeback.write_back(doc, tmp, {"name": "reissue", "version": "bench"})
            cpu = time.process_time() - t0
            if problems:
                raise SystemExit(f"write-back problems: {problems}")
            return cpu, {Path(p).relative_to(tmp).as_posix(): STAMP.sub(b"", Path(p).read_bytes()) for p in paths}
    finally:
        writeback.WriteEdits, back_common._line_finder = gather, finder


def of_text_by_slice(self, tt, a: int, b: int):
    """OcrConfidence.of_text before stop 37: the verbatim pieces of ``tt.slice(a, b)``, each looked up."""
    found = None
    for p in tt.slice(a, b).pieces:
        if p.edit is None:
            c = self.of_raw(p.page, p.start, p.end)
            if c is not None:
                found = c if found is None else min(found, c)
    return found


def processed(path: Path, scan: bool):
    """CPU seconds of the build's stages on the sample and the edition's reading text."""
    reader = OcrConfidence.reader
    if scan:
        OcrConfidence.reader = lambda self, tt: (lambda a, b: of_text_by_slice(self, tt, a, b))
    try:
        docs = load_inputs([str(path)])
        t0 = time.process_time()
        doc = process(docs, correct=True)
        return time.process_time() - t0, doc
    finally:
        OcrConfidence.reader = reader


def alternate(rounds: int, run) -> tuple[float, float, dict]:
    """``run(scan)`` -> (CPU seconds, result), both ways in alternating rounds: the median seconds of the indexed
    way and of the scanning way, and the last result of each (by ``scan``)."""
    times: dict[bool, list[float]] = {False: [], True: []}
    results = {}
    for _ in range(rounds):
        for scan in (False, True):
            cpu, results[scan] = run(scan)
            times[scan].append(cpu)
    return statistics.median(times[False]), statistics.median(times[True]), results


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--samples", type=Path, default=ROOT.parent / "shared" / "samples")
    ap.add_argument("--rounds", type=int, default=3)
    a = ap.parse_args()
    print(f"{'sample':46} {'pages':>5} {'words/p':>7} {'edits/p':>7} {'stages s':>8} {'scan s':>7} {'ratio':>6} "
          f"{'write s':>7} {'scan s':>7} {'ratio':>6} {'share':>6}")
    for label, rel in SAMPLES:
        path = a.samples / rel
        if not path.exists():
            print(f"{label:46} missing: {path}")
            continue
        processed(path, False)  # the models loaded before the first timed round
        st_fast, st_slow, docs = alternate(a.rounds, lambda scan: processed(path, scan))
        if [p.text.text for p in docs[False].paragraphs] != [p.text.text for p in docs[True].paragraphs]:
            raise SystemExit(f"{label}: the confidence lookups by bisection and by slicing gave different editions")
        doc = docs[False]
        edits = sum(len(v) for v in back_common.WriteEdits(doc).values())
        words = sum(len(p.raw.split()) for p in doc.pages)
        fast, slow, outputs = alternate(a.rounds, lambda scan: written(doc, scan))
        if outputs[False] != outputs[True]:
            raise SystemExit(f"{label}: the indexed and the scanning writer wrote different files")
        n = len(doc.pages)
        print(f"{label:46} {n:>5} {words / n:>7.0f} {edits / n:>7.0f} {st_fast:>8.2f} {st_slow:>7.2f} "
              f"{st_slow / max(st_fast, 1e-9):>5.2f}x {fast:>7.2f} {slow:>7.2f} {slow / max(fast, 1e-9):>5.1f}x "
              f"{fast / (st_fast + fast):>6.1%}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
