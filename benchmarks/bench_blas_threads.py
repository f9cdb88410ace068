#!/usr/bin/env python
"""The 2-page build with numpy's BLAS threads as they were before the command line asked for one (a thread per
core) and as it asks now, in alternating fresh processes: median wall and CPU seconds.

    .venv/bin/python benchmarks/bench_blas_threads.py [ROUNDS] [PAGES]

OpenBLAS starts a thread per core when numpy is imported, and they spin a while. On two cores that costs a
little; on 16 it was 2 of the build's 3 CPU seconds (benchmarks/README.md, stop 35). ``reissue.cli.one_blas_thread``.
The children are run and timed as ``bench_startup.py`` runs its builds (``run_child``).
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile

from bench_startup import PAGES, ROOT, run_child  # (this folder is on sys.path when run as a script)

sys.path.insert(0, str(ROOT / "src"))
from reissue.cli import BLAS_THREADS  # noqa: E402


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    rounds = int(argv[0]) if argv else 5
    pages = argv[1] if len(argv) > 1 else str(PAGES)
    cores = str(os.cpu_count())
    for name in BLAS_THREADS:  # the children's environment is this one's (bench_startup._env)
        os.environ.pop(name, None)
    res: dict[str, list] = {f"a thread per core ({cores})": [], "one (the command line's default)": []}
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [sys.executable, "-m", "reissue.cli", "build", pages, "-o", os.path.join(tmp, "out"), "--force"]
        run_child(cmd)  # untimed: fills the children's bytecode cache (as bench_startup.py's warm round)
        for _ in range(rounds):
            for name in res:
                if name.startswith("a thread"):
                    os.environ["OPENBLAS_NUM_THREADS"] = cores
                res[name].append(run_child(cmd))
                os.environ.pop("OPENBLAS_NUM_THREADS", None)
    for name, v in res.items():
        print(f"build, BLAS threads {name}: wall {statistics.median(r['wall_s'] for r in v):.3f} s, "
              f"CPU {statistics.median(r['cpu_s'] for r in v):.3f} s (median of {len(v)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
