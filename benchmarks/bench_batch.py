"""Batch benchmark: `reissue batch` on a generated collection, serially and on a Dask LocalCluster.

Generates a collection with ``reissue.synth`` (default 40 issues x 25 pages = 1,000 pages, fixed
seeds; cached in the work folder), then builds it with ``reissue.batch.run_batch`` in a fresh child
process per run, once with ``--scheduler serial`` and once with ``--scheduler local --workers N``,
without correction and (when the correction model is installed) with it. Reports issues/s, pages/s,
wall time of the child, peak RSS of the driver process (the child itself) and of the largest worker,
and checks that every edition.json is identical between the serial and the Dask run (apart from
timing fields, of which edition.json has none today) and that both batch reports agree.

    .venv/bin/python benchmarks/bench_batch.py                       # 40 x 25 pages, 2 workers
    .venv/bin/python benchmarks/bench_batch.py --issues 8 --pages 10 --correct no --json
    .venv/bin/python benchmarks/bench_batch.py --schedulers serial   # without Dask
    .venv/bin/python benchmarks/bench_batch.py --control             # + N plain processes, no Dask

The runs import a copy of ``src/reissue`` taken when the benchmark starts, so edits made in the
working tree meanwhile do not leak into some runs only. Exit status 1 when the outputs differ
between schedulers or a run crashes; 2 when the runs used different sources anyway. "cores busy" is CPU seconds (driver + workers) over wall seconds: on a shared machine
it shows how much of the parallel capacity the run actually got.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SNAPSHOT_ENV = "REISSUE_BENCH_SNAPSHOT"
# the runs import a snapshot of the package taken when the benchmark starts (set in PYTHONPATH, which
# the Dask worker processes inherit), so edits made in the working tree meanwhile cannot change them
sys.path.insert(0, os.environ.get(SNAPSHOT_ENV) or str(ROOT / "src"))

TIMING_KEYS = {"seconds", "build_seconds", "startup_seconds", "started", "worker", "pages_per_second", "scheduler", "workers",
               "outroot", "generated_at", "elapsed"}


def _git_head() -> str:
    try:
        return subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True,
                              text=True, timeout=10).stdout.strip() or "-"
    except Exception:
        return "-"


def snapshot_package(workdir: Path) -> Path:
    """Copy src/reissue into WORKDIR/snapshot (fresh); returns the folder to put on PYTHONPATH."""
    snap = workdir / "snapshot"
    if snap.exists():
        shutil.rmtree(snap)
    shutil.copytree(ROOT / "src" / "reissue", snap / "reissue", ignore=shutil.ignore_patterns("__pycache__"))
    return snap


def code_digest(pkg: Path) -> str:
    """Hash of the package sources and data: a run is comparable only with runs of the same code."""
    import hashlib

    h = hashlib.sha256()
    for p in sorted(pkg.rglob("*")):
        if p.is_file() and "__pycache__" not in p.parts:
            h.update(str(p.relative_to(pkg)).encode())
            h.update(p.read_bytes())
    return h.hexdigest()[:12]


def make_collection(workdir: Path, issues: int, pages: int, seed: int) -> tuple[Path, float]:
    from reissue.synth import generate_issue, write_issue

    coll = workdir / f"collection-{issues}x{pages}-s{seed}"
    done = coll / ".complete"
    if done.exists():
        return coll, 0.0
    if coll.exists():
        shutil.rmtree(coll)
    t0 = time.perf_counter()
    for k in range(issues):
        iss = generate_issue(seed + k, pages)
        out = coll / f"issue-{k + 1}"
        write_issue(iss, out)
        (out / "truth.json").unlink()  # page files only, as a library would hand them over
    done.write_text("ok\n")
    return coll, time.perf_counter() - t0


def child(args: dict) -> None:
    """Runs in a fresh process: one batch, then its rusage as one JSON line on stdout."""
    import reissue
    from reissue.batch import run_batch

    snap = os.environ.get(SNAPSHOT_ENV)
    if snap and not Path(reissue.__file__).resolve().is_relative_to(Path(snap).resolve()):
        raise SystemExit(f"the run imported {reissue.__file__}, not the snapshot in {snap}")
    t0 = time.perf_counter()
    rep = run_batch(args["collection"], args["outroot"], scheduler=args["scheduler"], workers=args["workers"],
                    correct=args["correct"], force=True)
    wall = time.perf_counter() - t0
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(json.dumps({"wall": wall, "exit_code": rep["exit_code"], "totals": rep["totals"],
                      "build_seconds": rep["build_seconds"], "workers": rep["workers"],
                      "startup_seconds": rep["startup_seconds"],
                      "driver_peak_rss_mb": round(me.ru_maxrss / 1024, 1),
                      "driver_cpu_s": round(me.ru_utime + me.ru_stime, 2),
                      "worker_peak_rss_mb": round(kids.ru_maxrss / 1024, 1) if args["scheduler"] != "serial" else None,
                      "worker_cpu_s": round(kids.ru_utime + kids.ru_stime, 2)}))


def run_child(collection: Path, outroot: Path, scheduler: str, workers: int, correct: bool, snap: Path) -> dict:
    spec = {"collection": str(collection), "outroot": str(outroot), "scheduler": scheduler, "workers": workers,
            "correct": correct}
    env = dict(os.environ)
    env[SNAPSHOT_ENV] = str(snap)
    env["PYTHONPATH"] = os.pathsep.join([str(snap)] + ([env["PYTHONPATH"]] if env.get("PYTHONPATH") else []))
    before = code_digest(snap / "reissue")
    t0 = time.perf_counter()
    p = subprocess.run([sys.executable, __file__, "--child", json.dumps(spec)], capture_output=True, text=True,
                       cwd=str(ROOT), env=env)
    outer = time.perf_counter() - t0
    after = code_digest(snap / "reissue")
    lines = [ln for ln in p.stdout.splitlines() if ln.startswith("{")]
    if p.returncode != 0 or not lines:
        return {"crash": (p.stderr or p.stdout).strip().splitlines()[-3:], "rc": p.returncode}
    res = json.loads(lines[-1])
    res["process_wall"] = outer  # interpreter start, imports, cluster start and shutdown included
    res["code"] = before if before == after else f"{before}->{after}"
    res["cpu_s"] = round(res["driver_cpu_s"] + res["worker_cpu_s"], 2)
    res["cores_used"] = round(res["cpu_s"] / outer, 2)
    tot = res["totals"]
    res["issues_per_s"] = tot["issues"] / res["build_seconds"]
    res["pages_per_s"] = tot["pages"] / res["build_seconds"]
    return res


def run_control(collection: Path, workdir: Path, n: int, correct: bool, snap: Path) -> dict:
    """Control without Dask: N plain serial `run_batch` processes at once, each on 1/N of the issues.

    Tells what the machine itself gives to N processes (on a shared or busy machine, maybe little),
    to set against the LocalCluster run of N workers.
    """
    issues = sorted((p for p in collection.iterdir() if p.is_dir()), key=lambda p: int(p.name.split("-")[-1]))
    env = dict(os.environ)
    env[SNAPSHOT_ENV] = str(snap)
    env["PYTHONPATH"] = os.pathsep.join([str(snap)] + ([env["PYTHONPATH"]] if env.get("PYTHONPATH") else []))
    procs = []
    t0 = time.perf_counter()
    for k in range(n):
        shard = workdir / f"shard-{k}"
        if shard.exists():
            shutil.rmtree(shard)
        shard.mkdir()
        for p in issues[k::n]:
            os.symlink(p, shard / p.name, target_is_directory=True)
        out = workdir / f"out-control-{k}"
        if out.exists():
            shutil.rmtree(out)
        spec = {"collection": str(shard), "outroot": str(out), "scheduler": "serial", "workers": 1,
                "correct": correct}
        procs.append(subprocess.Popen([sys.executable, __file__, "--child", json.dumps(spec)], stdout=subprocess.PIPE,
                                      stderr=subprocess.PIPE, text=True, cwd=str(ROOT), env=env))
    outs = [p.communicate() for p in procs]
    wall = time.perf_counter() - t0
    res = {"scheduler": f"{n} plain processes", "correct": correct, "process_wall": wall}
    parts = []
    for p, (so, se) in zip(procs, outs):
        lines = [ln for ln in so.splitlines() if ln.startswith("{")]
        if p.returncode != 0 or not lines:
            return {**res, "crash": (se or so).strip().splitlines()[-3:], "rc": p.returncode}
        parts.append(json.loads(lines[-1]))
    for k in range(n):
        shutil.rmtree(workdir / f"shard-{k}", ignore_errors=True)
        shutil.rmtree(workdir / f"out-control-{k}", ignore_errors=True)
    pages = sum(x["totals"]["pages"] for x in parts)
    res.update({"pages": pages, "issues": sum(x["totals"]["issues"] for x in parts),
                "pages_per_s": pages / wall, "cpu_s": round(sum(x["driver_cpu_s"] for x in parts), 2),
                "driver_peak_rss_mb": max(x["driver_peak_rss_mb"] for x in parts)})
    res["cores_used"] = round(res["cpu_s"] / wall, 2)
    return res


def _strip(x):
    if isinstance(x, dict):
        return {k: _strip(v) for k, v in x.items() if k not in TIMING_KEYS}
    if isinstance(x, list):
        return [_strip(v) for v in x]
    return x


def compare(a: Path, b: Path) -> list[str]:
    """Differences between two OUTROOTs: edition.json files (timing fields dropped) and reports."""
    diffs = []
    dirs_a = sorted(p.name for p in a.iterdir() if p.is_dir())
    dirs_b = sorted(p.name for p in b.iterdir() if p.is_dir())
    if dirs_a != dirs_b:
        diffs.append(f"issue folders differ: {sorted(set(dirs_a) ^ set(dirs_b))[:5]}")
    for name in sorted(set(dirs_a) & set(dirs_b)):
        fa, fb = a / name / "edition.json", b / name / "edition.json"
        if fa.exists() != fb.exists():
            diffs.append(f"{name}: edition.json in one run only")
            continue
        if fa.exists():
            ea = _strip(json.loads(fa.read_text(encoding="utf-8")))
            eb = _strip(json.loads(fb.read_text(encoding="utf-8")))
            if ea != eb:
                diffs.append(f"{name}: edition.json differs")
        for f in ("edition.txt", "edition.md"):
            if (a / name / f).exists() and (a / name / f).read_bytes() != (b / name / f).read_bytes():
                diffs.append(f"{name}: {f} differs")
    ra = _strip(json.loads((a / "batch-report.json").read_text(encoding="utf-8")))
    rb = _strip(json.loads((b / "batch-report.json").read_text(encoding="utf-8")))
    if ra != rb:
        diffs.append("batch-report.json differs (beyond timing fields)")
    return diffs


def correction_available() -> bool:
    try:
        from reissue.correct import default_model_path
    except Exception:
        return False
    return os.path.isfile(default_model_path())


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--issues", type=int, default=40)
    ap.add_argument("--pages", type=int, default=25)
    ap.add_argument("--seed", type=int, default=5000)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--schedulers", default="serial,local", help="comma-separated: serial, local, or an address")
    ap.add_argument("--correct", choices=("auto", "yes", "no"), default="auto",
                    help="auto: a --no-correct pass, plus a corrected pass when the model is installed")
    ap.add_argument("--workdir", default=None, help="where the collection and outputs go (default: a temp folder)")
    ap.add_argument("--control", action="store_true",
                    help="also run WORKERS plain serial processes at once on shards of the collection (no Dask): "
                         "what the machine gives to parallel processes, to compare with the LocalCluster run")
    ap.add_argument("--repeat", type=int, default=1,
                    help="rounds of all runs, interleaved (on a shared machine the load changes), medians printed")
    ap.add_argument("--keep", action="store_true", help="keep the outputs (the collection is always cached)")
    ap.add_argument("--json", action="store_true", help="print the result as JSON too")
    ap.add_argument("--child", default=None, help=argparse.SUPPRESS)
    a = ap.parse_args(argv)
    if a.child:
        child(json.loads(a.child))
        return 0

    workdir = Path(a.workdir or Path(tempfile.gettempdir()) / "reissue-bench-batch")
    workdir.mkdir(parents=True, exist_ok=True)
    coll, gen_s = make_collection(workdir, a.issues, a.pages, a.seed)
    snap = snapshot_package(workdir)
    print(f"package snapshot {snap} (sources {code_digest(snap / 'reissue')})", flush=True)
    print(f"collection {coll}: {a.issues} issues x {a.pages} pages"
          + (f" (generated in {gen_s:.1f}s)" if gen_s else " (cached)"), flush=True)
    sys.path.insert(0, str(snap))  # the model check below looks at the snapshot too
    for m in [m for m in sys.modules if m == "reissue" or m.startswith("reissue.")]:
        del sys.modules[m]
    passes = {"auto": [False] + ([True] if correction_available() else []), "yes": [True], "no": [False]}[a.correct]
    if a.correct == "auto" and True not in passes:
        print("correction model not installed: only --no-correct passes", flush=True)
    scheds = [s.strip() for s in a.schedulers.split(",") if s.strip()]
    results, failures, inconclusive = [], [], []
    for corr in passes:
        for rnd in range(a.repeat):
            outs = {}
            for sched in scheds:
                tag = f"{'correct' if corr else 'no-correct'}-{sched.replace(':', '_').replace('/', '_')}"
                out = workdir / f"out-{tag}"
                if out.exists():
                    shutil.rmtree(out)
                res = run_child(coll, out, sched, a.workers, corr, snap)
                res.update({"scheduler": sched, "correct": corr, "round": rnd})
                results.append(res)
                if "crash" in res:
                    failures.append(f"{tag}: crashed (rc {res['rc']}): {' | '.join(res['crash'])}")
                    print(f"{tag}: CRASH {res['crash']}", flush=True)
                    continue
                outs[sched] = (out, res["code"])
                t = res["totals"]
                print(f"{tag:<24} {t['issues']} issues {t['pages']} pages in {res['build_seconds']:.2f}s "
                      f"({res['process_wall']:.2f}s with process start"
                      + (f", cluster start {res['startup_seconds']:.1f}s" if res["startup_seconds"] else "")
                      + f"): {res['issues_per_s']:.2f} issues/s, "
                      f"{res['pages_per_s']:.1f} pages/s; driver peak RSS {res['driver_peak_rss_mb']:.0f} MB"
                      + (f", largest worker {res['worker_peak_rss_mb']:.0f} MB" if res["worker_peak_rss_mb"] else "")
                      + f"; CPU {res['cpu_s']:.1f}s ({res['cores_used']:.2f} cores busy)"
                      + f"; ok={t['ok']} problems={t['problems']} failed={t['failed']} exit={res['exit_code']}",
                      flush=True)
            if a.control:
                res = run_control(coll, workdir, a.workers, corr, snap)
                res["round"] = rnd
                results.append(res)
                tag = f"{'correct' if corr else 'no-correct'}-control"
                if "crash" in res:
                    failures.append(f"{tag}: crashed: {res['crash']}")
                else:
                    print(f"{tag:<24} {res['scheduler']} on 1/{a.workers} of the issues each, without Dask: "
                          f"{res['pages']} pages in {res['process_wall']:.2f}s with process starts: "
                          f"{res['pages_per_s']:.1f} pages/s; CPU {res['cpu_s']:.1f}s ({res['cores_used']:.2f} cores busy)",
                          flush=True)
            base = scheds[0]
            for sched in scheds[1:]:
                if base in outs and sched in outs:
                    label = f"{'correct' if corr else 'no-correct'}: {base} vs {sched}"
                    codes = {outs[base][1], outs[sched][1]}
                    if len(codes) > 1 or any("->" in c for c in codes):
                        inconclusive.append(f"{label}: the package sources changed during the runs ({sorted(codes)}); "
                                            "outputs not compared, run again")
                        print(f"{label}: NOT COMPARED, sources changed during the runs", flush=True)
                        continue
                    diffs = compare(outs[base][0], outs[sched][0])
                    if diffs:
                        failures.append(f"{label}: {len(diffs)} differences, first: {diffs[:3]}")
                    print(f"{label}: {'IDENTICAL outputs' if not diffs else 'DIFFERENT: ' + '; '.join(diffs[:5])}",
                          flush=True)
            if not a.keep:
                for out, _code in outs.values():
                    shutil.rmtree(out, ignore_errors=True)
    if a.repeat > 1:
        import statistics

        print(f"medians of {a.repeat} rounds (runs interleaved; wall time of the whole process(es), "
              "interpreter start and imports included):")
        for corr in passes:
            for mode in scheds + ([f"{a.workers} plain processes"] if a.control else []):
                rs = [r for r in results if r.get("correct") == corr and r.get("scheduler") == mode and "crash" not in r]
                if not rs:
                    continue
                pps = [(r["totals"]["pages"] if "totals" in r else r["pages"]) / r["process_wall"] for r in rs]
                print(f"  {'correct' if corr else 'no-correct':<10} {mode:<20} {statistics.median(pps):7.1f} pages/s "
                      f"{statistics.median(r['process_wall'] for r in rs):7.2f}s "
                      f"{statistics.median(r['cores_used'] for r in rs):5.2f} cores busy  (pages/s per round: "
                      + ", ".join(f"{x:.0f}" for x in pps) + ")")
    summary = {"issues": a.issues, "pages_per_issue": a.pages, "workers": a.workers, "repeat": a.repeat,
               "cpu_count": os.cpu_count(),
               "load_avg": os.getloadavg(), "commit": _git_head(), "runs": results, "failures": failures,
               "inconclusive": inconclusive}
    if a.json:
        print(json.dumps(summary, indent=1))
    print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs", flush=True)
    for f in inconclusive:
        print(f"INCONCLUSIVE {f}")
    for f in failures:
        print(f"FAIL {f}")
    return 1 if failures else 2 if inconclusive else 0


if __name__ == "__main__":
    sys.exit(main())
