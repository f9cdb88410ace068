#!/usr/bin/env python
"""The 2-page build with numpy's BLAS threads as they were before the command line asked for one (a thread per
core) and as it asks now, in alternating fresh processes: median wall and CPU seconds (the children's rusage).

    .venv/bin/python benchmarks/bench_blas_threads.py [ROUNDS] [PAGES]

OpenBLAS starts a thread per core when numpy is imported, and they spin a while. On two cores that costs a
little; on 16 it was 2 of the build's 3 CPU seconds (benchmarks/README.md, stop 35). ``reissue.cli.one_blas_thread``.
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    rounds = int(argv[0]) if argv else 5
    pages = argv[1] if len(argv) > 1 else str(ROOT / "examples" / "partisan-review-1939-v6n5")
    cores = str(os.cpu_count())
    tmp = tempfile.TemporaryDirectory()
    cmd = [sys.executable, "-m", "reissue.cli", "build", pages, "-o", os.path.join(tmp.name, "out"), "--force"]
    res: dict[str, list] = {f"a thread per core ({cores})": [], "one (the command line's default)": []}
    base = {k: v for k, v in os.environ.items() if k not in ("OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")}
    base["PYTHONPATH"] = os.pathsep.join([str(ROOT / "src")] + [p for p in [os.environ.get("PYTHONPATH")] if p])
    for _ in range(rounds):
        for name in res:
            env = dict(base)
            if name.startswith("a thread"):
                env["OPENBLAS_NUM_THREADS"] = cores
            u0 = resource.getrusage(resource.RUSAGE_CHILDREN)
            t = time.perf_counter()
            subprocess.run(cmd, env=env, check=True, capture_output=True)
            wall = time.perf_counter() - t
            u1 = resource.getrusage(resource.RUSAGE_CHILDREN)
            res[name].append((wall, u1.ru_utime + u1.ru_stime - u0.ru_utime - u0.ru_stime))
    for name, v in res.items():
        print(f"build, BLAS threads {name}: wall {statistics.median(w for w, _ in v):.3f} s, "
              f"CPU {statistics.median(c for _, c in v):.3f} s (median of {len(v)})")
    tmp.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
