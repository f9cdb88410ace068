"""What the driver of `reissue batch` holds per issue (issue 16: the driver's RSS grew 72 -> 118 MB from
10,000 to 100,000 pages in bench_batch.py).

The driver is the process that calls ``run_batch``: discovery, input digests, the manifest, the
summaries for the report and, with ``--scheduler local``, the Dask scheduler itself. To measure it
alone, a collection of N one-page issues is run on a Dask LocalCluster of one worker whose build
returns at once a summary like a real one (no page is built), and the driver's RSS is read after
300, 1,000, 2,000 and 3,000 issues and at the end (after the report and the manifest are written),
with its peak. It prints the KB per issue from 1,000 issues on (the first few hundred fill Dask's
bounded logs) and the growth of the peak.

    nice .venv/bin/python benchmarks/bench_batch_driver.py                 # 3,000 issues, ~3 min on 2 busy cores
    nice .venv/bin/python benchmarks/bench_batch_driver.py --issues 1500 --workdir /tmp/drv
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

MARKS = (300, 1000, 2000, 3000, 5000, 10000)


def no_build(task):
    """A worker's answer without building: the fields a real summary has (sent by value: this is
    __main__)."""
    import os as _os

    from reissue.batch.worker import base_summary

    s = base_summary(task)
    s.update({"status": "ok", "pages": 25, "paragraphs": 100, "worker": f"host:{_os.getpid()}",
              "reissue_version": "0", "seconds": 0.01,
              "outputs": [f"{task['issue']}/edition.{x}" for x in ("json", "txt", "md", "tei.xml", "html")]})
    return s


def _mb(field: str) -> float:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return float("nan")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--issues", type=int, default=3000)
    ap.add_argument("--workdir", default=None)
    a = ap.parse_args(argv)
    from reissue.batch import run_batch, worker

    work = Path(a.workdir or tempfile.mkdtemp(prefix="reissue-bench-driver-"))
    coll = work / f"coll-{a.issues}"
    if not coll.is_dir():
        for i in range(a.issues):
            d = coll / f"issue-{i:05d}"
            d.mkdir(parents=True)
            (d / "p1.txt").write_text(f"page {i}\n", encoding="utf-8")
    out = work / "out"
    shutil.rmtree(out, ignore_errors=True)
    worker.build_issue = no_build  # the runner sends worker.build_issue: this one
    marks: dict[int, float] = {}

    def progress(done, _total, _s):
        if done in MARKS:
            marks[done] = _mb("VmRSS")

    rep = run_batch(str(coll), str(out), scheduler="local", workers=1, correct=False, progress=progress)
    end, peak = _mb("VmRSS"), _mb("VmHWM")
    print(f"{a.issues} issues, exit {rep['exit_code']}, load {os.getloadavg()[0]:.1f}: driver RSS "
          + ", ".join(f"{v:.1f} MB after {k}" for k, v in sorted(marks.items()))
          + f"; at the end {end:.1f} MB, peak {peak:.1f} MB")
    done = sorted(k for k in marks if k >= 1000)
    if len(done) >= 2:
        lo, hi = done[0], done[-1]
        print(f"driver: {1024 * (marks[hi] - marks[lo]) / (hi - lo):.2f} KB per issue from {lo} to {hi} issues; "
              f"peak {peak:.1f} MB against {marks[min(marks)]:.1f} MB after {min(marks)} issues")
    if not a.workdir:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
