"""Start-up benchmark: correction model load time, peak memory and the 2-page build, each in a fresh
process, beside peers measured in the same run (issue 14, "instant start").

    .venv/bin/python benchmarks/bench_startup.py                  # 3 rounds, the example pages
    .venv/bin/python benchmarks/bench_startup.py --rounds 5 --json
    .venv/bin/python benchmarks/bench_startup.py --langs en,fr,de   # load time of every shipped model
    .venv/bin/python benchmarks/bench_startup.py --versus ../main    # also another checkout, same run

Each round runs, in this order and each in a new Python process (``os.wait4`` gives its CPU time
and peak RSS):

* ``python -c 'import reissue'``: the interpreter's own start (peer);
* model load (per language): ``load_model`` of the shipped model, then a ``Corrector`` on it (the
  corrector's set-up included), timed inside the child (wall and CPU); then, timed apart, the context
  model its vetter weighs (``Corrector._charlm``, numpy's import included: the first proposal of a
  correction loads it); the child's peak RSS (of both);
* ``reissue build PAGES -o TMP --force --no-correct`` (peer);
* ``reissue build PAGES -o TMP --force`` (with correction): wall, CPU, peak RSS.

Printed: the median over rounds of each, the build with correction as a ratio of the build
without it and of the bare interpreter start, and the load average before and after (on a shared
machine wall time follows the load; the ratios and CPU seconds much less). Targets (issue 14): load
< 0.5 s, peak RSS < 300 MB, the 2-page build <= 1.5 s wall on a quiet machine.

Every child runs with a bytecode cache of its tree's own for the run (``PYTHONPYCACHEPREFIX``, filled by
one untimed round first), as an installed package has its .pyc files: where PYTHONDONTWRITEBYTECODE is
set or the tree is read-only, each child would otherwise compile every module it imports.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PAGES = ROOT / "examples" / "partisan-review-1939-v6n5"

LOAD_CHILD = r"""
import json, resource, sys, time
t0, c0 = time.perf_counter(), time.process_time()
from reissue.correct.engine import Corrector
from reissue.correct.model import load_model, model_path_for
t1, c1 = time.perf_counter(), time.process_time()
m = load_model(model_path_for(sys.argv[1]))
t2, c2 = time.perf_counter(), time.process_time()
c = Corrector(m)
t3, c3 = time.perf_counter(), time.process_time()
if m.data.get("context_model"):  # the context model the vetter weighs (and numpy): loaded at the first proposal
    c._charlm()
t4, c4 = time.perf_counter(), time.process_time()
print(json.dumps({"import_s": t1 - t0, "import_cpu_s": c1 - c0, "model_s": t2 - t1, "model_cpu_s": c2 - c1,
                  "load_s": t3 - t1, "load_cpu_s": c3 - c1, "context_s": t4 - t3, "context_cpu_s": c4 - c3}))
"""


_PYCACHE: dict[Path, str] = {}  # tree -> its bytecode cache for this run (see _env)


def _env(root: Path) -> dict:
    """The children's environment: ``root``'s src first on the path, and a bytecode cache of its own
    (an installed package has its .pyc files; without one - PYTHONDONTWRITEBYTECODE, a read-only
    tree - every child would compile every module it imports, about half a second of the build)."""
    env = dict(os.environ)
    env["PYTHONPATH"] = str(root / "src")
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    if root not in _PYCACHE:
        _PYCACHE[root] = tempfile.mkdtemp(prefix="bench-startup-pyc-")
    env["PYTHONPYCACHEPREFIX"] = _PYCACHE[root]
    return env


def run_child(cmd: list[str], root: Path = ROOT) -> dict:
    """Run ``cmd`` with ``root``'s src first on the path; its wall time, CPU time (user + system),
    peak RSS and stdout."""
    t = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=_env(root), cwd=str(root))
    out = p.stdout.read()
    err = p.stderr.read()
    _pid, status, ru = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t
    p.returncode = os.waitstatus_to_exitcode(status)
    if p.returncode not in (0, 3):
        raise SystemExit(f"{' '.join(cmd)} failed ({p.returncode}): {err.decode(errors='replace')[-2000:]}")
    rss = ru.ru_maxrss / 1024  # kB on Linux
    return {"wall_s": wall, "cpu_s": ru.ru_utime + ru.ru_stime, "peak_rss_mb": rss, "stdout": out.decode()}


def one_round(langs: list[str], pages: Path, tmp: str, root: Path = ROOT) -> dict:
    py = sys.executable
    res: dict = {"import": run_child([py, "-c", "import reissue"], root)}
    for lang in langs:
        r = run_child([py, "-c", LOAD_CHILD, lang], root)
        r.update(json.loads(r.pop("stdout")))
        res[f"load_{lang}"] = r
    build = [py, "-m", "reissue.cli", "build", str(pages), "-o", os.path.join(tmp, "out"), "--force"]
    res["build_no_correct"] = run_child(build + ["--no-correct"], root)
    res["build"] = run_child(build, root)
    for r in res.values():
        r.pop("stdout", None)
    return res


def median(rounds: list[dict], key: str, field: str) -> float:
    return statistics.median(r[key][field] for r in rounds)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--langs", default="en", help="shipped models whose load is timed (comma-separated)")
    ap.add_argument("--pages", default=str(PAGES), help="input of the build (default: the example pages)")
    ap.add_argument("--json", action="store_true", help="print the medians as JSON too")
    ap.add_argument("--versus", default=None, help="another checkout (repository root) measured in the same rounds")
    a = ap.parse_args(argv)
    langs = [x for x in a.langs.split(",") if x]
    load_before = os.getloadavg()
    rounds, other = [], []
    pages = Path(a.pages).resolve()
    with tempfile.TemporaryDirectory(prefix="bench-startup-") as tmp:
        for root in [ROOT] + ([Path(a.versus).resolve()] if a.versus else []):
            one_round(langs, pages, tmp, root)  # not timed: fills the tree's bytecode cache
        for _ in range(a.rounds):  # interleaved, so that both see the same load
            rounds.append(one_round(langs, pages, tmp))
            if a.versus:
                other.append(one_round(langs, pages, tmp, Path(a.versus).resolve()))
    load_after = os.getloadavg()
    keys = list(rounds[0])
    med = {k: {f: median(rounds, k, f) for f in rounds[0][k]} for k in keys}
    print(f"bench_startup: {a.rounds} rounds, medians; load average before {load_before[0]:.2f} "
          f"after {load_after[0]:.2f} ({os.cpu_count()} CPUs)")
    if other:
        omed = {k: {f: median(other, k, f) for f in other[0][k]} for k in keys}
        print(f"--versus {a.versus} (same rounds, interleaved): this / that")
        for k in keys:
            m, o = med[k], omed[k]
            print(f"  {k:<26} wall {m['wall_s']:.2f} / {o['wall_s']:.2f} s   CPU {m['cpu_s']:.2f} / {o['cpu_s']:.2f} s"
                  f"   peak RSS {m['peak_rss_mb']:.0f} / {o['peak_rss_mb']:.0f} MB"
                  + (f"   load {m['load_s']:.3f} / {o['load_s']:.3f} s wall ({m['load_s'] / o['load_s']:.2f}x), "
                     f"{m['load_cpu_s']:.3f} / {o['load_cpu_s']:.3f} s CPU; context model {m['context_s']:.3f} / "
                     f"{o.get('context_s', float('nan')):.3f} s wall" if k.startswith("load_") else ""))
    print(f"{'what':<28} {'wall s':>8} {'CPU s':>8} {'peak RSS MB':>12}")
    names = {"import": "python -c 'import reissue'", "build_no_correct": "build --no-correct (2 pages)",
             "build": "build (2 pages, corrected)"}
    for k in keys:
        m = med[k]
        print(f"{names.get(k, k):<28} {m['wall_s']:>8.2f} {m['cpu_s']:>8.2f} {m['peak_rss_mb']:>12.0f}")
    for lang in langs:
        m = med[f"load_{lang}"]
        print(f"model load {lang}: {m['load_s']:.3f} s wall, {m['load_cpu_s']:.3f} s CPU (file {m['model_s']:.3f} s, "
              f"the rest the corrector's set-up; target < 0.5 s); imports before it {m['import_s']:.3f} s; "
              f"then its context model (with numpy) {m['context_s']:.3f} s wall, {m['context_cpu_s']:.3f} s CPU")
    b, nb, imp = med["build"], med["build_no_correct"], med["import"]
    print(f"2-page build with correction: {b['wall_s']:.2f} s wall (target <= 1.5 s on a quiet machine), "
          f"{b['cpu_s']:.2f} s CPU, peak RSS {b['peak_rss_mb']:.0f} MB (target < 300 MB)")
    print(f"ratios in this run: build / build --no-correct: wall {b['wall_s'] / nb['wall_s']:.2f}x, "
          f"CPU {b['cpu_s'] / nb['cpu_s']:.2f}x, RSS {b['peak_rss_mb'] / nb['peak_rss_mb']:.2f}x; "
          f"build / bare interpreter start: wall {b['wall_s'] / imp['wall_s']:.1f}x")
    if a.json:
        print(json.dumps({"medians": med, "rounds": rounds, "versus_rounds": other,
                          "load_average": [load_before, load_after]}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
