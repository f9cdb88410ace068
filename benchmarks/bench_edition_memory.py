"""Memory of writing an edition against the number of pages of the issue (issue 16: "editions are
written streaming, page by page, so memory does not grow with the issue").

For each size (default 1,000, 5,000 and 20,000 small pages of 8 lines, generated with a fixed seed
paragraphs of 4 lines) a fresh process builds the issue (``document_from_texts`` +
``process(correct=False)``), then writes it twice, measuring the peak resident memory of each write
above the memory the process had before it (Linux: the peak is reset through /proc/self/clear_refs):

* ``stream``: ``reissue.export.write_edition`` (the files written paragraph by paragraph from a lazy
  view of the Document);
* ``whole`` (the peer, the way editions were written before): ``document_to_dict``, ``rebuild_raw``
  of it, then each file made whole in memory (``json.dumps``, ``to_text``, ``to_markdown``,
  ``to_tei``, ``render_edition_html``) and written.

It prints, per size: the memory of the built Document, the extra peak RSS of each writer (MB and KB per
page; a write may reuse memory the build freed, which RSS does not see), the peak of the Python heap
each write allocates (``tracemalloc``, a second write of each; this one sees everything Python
allocates), their ratios, and CPU seconds of each write; then the growth of each writer's extra peak from
the smallest to the largest size against the growth in pages, and the memory of the built Document
per page (the slope from the smallest to the largest size). The Document itself is held whole by the
pipeline (reflow, notes and articles read across pages), so the process's total still grows with the
issue (``Document.compact`` keeps it small: a line's own text is dropped once reflow has made its
paragraph, and the lines, the paragraphs' pieces and the edits are kept as integer rows,
``reissue.packed``); what streaming removes is the second copy that writing used to make, edition.html included
(rendered page by page from each page's own texts and edits).

    nice .venv/bin/python benchmarks/bench_edition_memory.py                  # ~2-4 min on 2 cores
    nice .venv/bin/python benchmarks/bench_edition_memory.py --pages 500,2000 --lines 8 --json out.json
    nice .venv/bin/python benchmarks/bench_edition_memory.py --document-only    # the Document alone
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

import pagegen  # noqa: E402


def _status_kb(field: str) -> int:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise RuntimeError(f"no {field} in /proc/self/status")


def _reset_peak() -> None:
    with open("/proc/self/clear_refs", "w") as fh:
        fh.write("5")  # resets VmHWM (the peak resident set) to the current resident set


def _whole_writer(doc, outdir: str) -> None:
    from reissue.export import render_html, to_markdown, to_tei, to_text, unsafe_characters
    from reissue.edition import document_to_dict, rebuild_raw

    ed = document_to_dict(doc)
    ed["unsafe_characters"] = unsafe_characters(ed)
    assert rebuild_raw(ed) == [p["raw"] for p in ed["pages"]]
    os.makedirs(outdir)
    files = {"edition.json": json.dumps(ed, ensure_ascii=False, indent=1).encode(),
             "edition.txt": to_text(ed).encode(), "edition.md": to_markdown(ed).encode(),
             "edition.tei.xml": to_tei(ed), "edition.html": (render_html(ed) or "").encode()}
    for name, data in files.items():
        with open(os.path.join(outdir, name), "wb") as fh:
            fh.write(data)


def page_text(rng, n_lines: int, folio: int) -> str:
    """A small page (benchmarks/pagegen.py): paragraphs of 4 lines, a line-end hyphen every 5 lines,
    the page's last paragraph running on to the next page."""
    return pagegen.page_text(rng, n_lines, folio, paragraph=4, hyphen_every=5, run_on=True)


def child(n_pages: int, n_lines: int, document_only: bool = False) -> dict:
    from reissue.export import write_edition
    from reissue.ingest import document_from_texts
    from reissue.pipeline import process

    rng = random.Random(16)
    warm = document_from_texts([("w.txt", page_text(rng, n_lines, 1))])  # modules and lexicons loaded
    process(warm, correct=False)
    with tempfile.TemporaryDirectory() as tmp:
        write_edition(warm, os.path.join(tmp, "w"))
    del warm
    gc.collect()
    base_kb = _status_kb("VmRSS")
    texts = [(f"p{i:06d}.txt", page_text(rng, n_lines, i + 1)) for i in range(n_pages)]
    doc = document_from_texts(texts)
    del texts
    process(doc, correct=False)
    gc.collect()
    out: dict = {"pages": n_pages, "lines_per_page": n_lines,
                 "raw_mb": round(sum(len(p.raw) for p in doc.pages) / 1e6, 2),
                 "document_mb": round((_status_kb("VmRSS") - base_kb) / 1024, 1),
                 "build_peak_mb": round(_status_kb("VmHWM") / 1024, 1)}
    if document_only:
        return out
    with tempfile.TemporaryDirectory() as tmp:
        for name, fn in (("stream", lambda d: write_edition(doc, d)), ("whole", lambda d: _whole_writer(doc, d))):
            gc.collect()
            before = _status_kb("VmRSS")
            _reset_peak()
            t0 = time.process_time()
            fn(os.path.join(tmp, name))
            out[f"{name}_cpu_s"] = round(time.process_time() - t0, 3)
            out[f"{name}_extra_mb"] = round((_status_kb("VmHWM") - before) / 1024, 1)
        import tracemalloc

        for name, fn in (("stream", lambda d: write_edition(doc, d)), ("whole", lambda d: _whole_writer(doc, d))):
            # the Python heap: what the writer allocates, whether or not freed memory of the build hid it
            gc.collect()
            tracemalloc.start()
            start = tracemalloc.get_traced_memory()[0]
            fn(os.path.join(tmp, name + "-traced"))
            out[f"{name}_heap_mb"] = round((tracemalloc.get_traced_memory()[1] - start) / 2**20, 1)
            tracemalloc.stop()
        # the streaming write file by file: where its heap peak comes from
        from reissue import export
        from reissue.export_stream import check_rebuild, edition_view

        per = {}
        view = edition_view(doc)
        view["unsafe_characters"] = export.unsafe_characters(view)
        files = os.path.join(tmp, "per-file")
        os.makedirs(files)
        for name, fn in (("check", lambda: check_rebuild(doc)),
                         ("json", lambda: export._write(files, "edition.json", view)),
                         ("txt", lambda: export._write(files, "edition.txt", export.iter_text(view))),
                         ("md", lambda: export._write(files, "edition.md", export.iter_markdown(view))),
                         ("tei", lambda: export._write(files, "edition.tei.xml", export.iter_tei(view))),
                         ("html", lambda: export._write(files, "edition.html", export.iter_html(view)))):
            gc.collect()
            tracemalloc.start()
            start = tracemalloc.get_traced_memory()[0]
            fn()
            per[name] = round((tracemalloc.get_traced_memory()[1] - start) / 2**20, 2)
            tracemalloc.stop()
        out["stream_heap_mb_per_file"] = per
        out["edition_json_mb"] = round(os.path.getsize(os.path.join(tmp, "stream", "edition.json")) / 1e6, 1)
        with open(os.path.join(tmp, "stream", "edition.tei.xml"), "rb") as a, \
                open(os.path.join(tmp, "whole", "edition.tei.xml"), "rb") as b:
            out["same_files"] = a.read() == b.read()
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--pages", default="1000,5000,20000", help="comma-separated page counts per issue")
    ap.add_argument("--lines", type=int, default=8, help="body lines per page (small pages: 8)")
    ap.add_argument("--json", help="write the results here")
    ap.add_argument("--document-only", action="store_true",
                    help="measure only the built Document (no writes: quick at large sizes)")
    ap.add_argument("--child", type=int, help=argparse.SUPPRESS)
    a = ap.parse_args(argv)
    if a.child:
        print(json.dumps(child(a.child, a.lines, a.document_only)))
        return 0
    rows = []
    for n in [int(x) for x in a.pages.split(",")]:
        r = subprocess.run([sys.executable, __file__, "--child", str(n), "--lines", str(a.lines)]
                           + (["--document-only"] if a.document_only else []),
                           capture_output=True, text=True, check=True)
        rows.append(json.loads(r.stdout.strip().splitlines()[-1]))
        x = rows[-1]
        if a.document_only:
            print(f"{n:>7} pages ({x['raw_mb']:.1f} MB raw): Document {x['document_mb']:.1f} MB "
                  f"({1024 * x['document_mb'] / n:.1f} KB/page; build peak {x['build_peak_mb']:.0f} MB)", flush=True)
            continue
        print(f"{n:>7} pages ({x['raw_mb']:.1f} MB raw, edition.json {x['edition_json_mb']:.1f} MB): "
              f"Document {x['document_mb']:.0f} MB (build peak {x['build_peak_mb']:.0f} MB); extra peak of the write: "
              f"stream {x['stream_extra_mb']:.1f} MB ({1024 * x['stream_extra_mb'] / n:.2f} KB/page), "
              f"whole {x['whole_extra_mb']:.1f} MB ({1024 * x['whole_extra_mb'] / n:.2f} KB/page), "
              f"stream/whole {x['stream_extra_mb'] / max(x['whole_extra_mb'], 0.1):.2f}; Python heap peak of the write "
              f"stream {x['stream_heap_mb']:.1f} MB / whole {x['whole_heap_mb']:.1f} MB = "
              f"{x['stream_heap_mb'] / max(x['whole_heap_mb'], 0.1):.3f}; "
              f"CPU stream {x['stream_cpu_s']:.2f} s / whole {x['whole_cpu_s']:.2f} s = "
              f"{x['stream_cpu_s'] / max(x['whole_cpu_s'], 1e-3):.2f}; same TEI bytes: {x['same_files']}", flush=True)
        print("          Python heap peak of the streaming write file by file (MB): "
              + ", ".join(f"{k} {v:.2f}" for k, v in x["stream_heap_mb_per_file"].items()), flush=True)
    lo, hi = rows[0], rows[-1]
    grow = hi["pages"] / lo["pages"]
    if a.document_only:
        slope = (hi["document_mb"] - lo["document_mb"]) * 1024 / max(hi["pages"] - lo["pages"], 1)
        print(f"the built Document: {slope:.2f} KB per page (slope from {lo['pages']} to {hi['pages']} pages)")
        if a.json:
            Path(a.json).write_text(json.dumps({"rows": rows, "document_kb_per_page": round(slope, 2)}, indent=1))
        return 0
    summary = {"pages_ratio": grow,
               "stream_extra_ratio": round(hi["stream_extra_mb"] / max(lo["stream_extra_mb"], 0.1), 2),
               "whole_extra_ratio": round(hi["whole_extra_mb"] / max(lo["whole_extra_mb"], 0.1), 2),
               "stream_heap_ratio": round(hi["stream_heap_mb"] / max(lo["stream_heap_mb"], 0.1), 2),
               "whole_heap_ratio": round(hi["whole_heap_mb"] / max(lo["whole_heap_mb"], 0.1), 2),
               "document_ratio": round(hi["document_mb"] / max(lo["document_mb"], 0.1), 2)}
    for k in lo["stream_heap_mb_per_file"]:
        summary[f"heap_ratio_{k}"] = round(hi["stream_heap_mb_per_file"][k] / max(lo["stream_heap_mb_per_file"][k], 0.01), 2)
    print("heap peak growth file by file, streaming: "
          + ", ".join(f"{k} x{summary[f'heap_ratio_{k}']}" for k in lo["stream_heap_mb_per_file"]))
    slope = (hi["document_mb"] - lo["document_mb"]) * 1024 / max(hi["pages"] - lo["pages"], 1)
    summary["document_kb_per_page"] = round(slope, 2)
    print(f"the built Document: {lo['document_mb']:.0f} MB at {lo['pages']} pages, {hi['document_mb']:.0f} MB at "
          f"{hi['pages']} pages: {slope:.1f} KB per page (slope)")
    print(f"{lo['pages']} -> {hi['pages']} pages (x{grow:g}): extra peak of the write x{summary['stream_extra_ratio']} "
          f"streaming, x{summary['whole_extra_ratio']} whole; Python heap peak of the write x{summary['stream_heap_ratio']} "
          f"streaming, x{summary['whole_heap_ratio']} whole; the Document itself x{summary['document_ratio']}")
    if a.json:
        Path(a.json).write_text(json.dumps({"rows": rows, "summary": summary}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
