"""Batch benchmark: `reissue batch` on a generated collection, on Dask and on plain processes.

Builds a collection of ``--issues-pages`` pages per issue and as many issues as each size in
``--sizes`` needs (default 10,000 and 100,000 pages of 25-page issues: 400 and 4,000 issues). The
pages come from a pool of ``--pool`` issues made by ``synth`` (fixed seeds, cached in the work
folder) and are hard-linked into each issue folder, so a 100,000-page collection costs seconds and
no disk; every issue is built in full. Then, for each size and each mode, one fresh child process
runs ``reissue.batch.run_batch`` (without correction unless ``--correct``):

* ``daskN``: a Dask LocalCluster of N single-threaded worker processes, configured as
  ``--scheduler local`` configures them (``runners.LOCAL_WORKER_CONFIG``: no statistical profiler;
  ``daskNp``: with it, Dask's default), started by the child and given to ``run_batch`` as an existing
  scheduler, so each worker's peak RSS and CPU time can be read
  from it (``client.run``) before it is closed;
* ``procN``: ``--scheduler processes`` (N plain processes, no Dask);
* ``serial``: in-process.

It prints per run: pages/s (whole call, and in the build phase after discovery, digests and cluster
start), pages/s per worker, pages per worker CPU-second (independent of the machine's load), peak RSS
per worker, the scheduler overhead (worker-slot time not spent in
building: N x build-phase seconds minus the summed in-worker seconds of the issues, per issue), and the
CPU the run got ("cores busy", to read the numbers against the machine's load). Then the targets:
2 Dask workers against 1 (speed-up, scaling efficiency; target >= 1.7x), peak worker memory at the
largest size against the smallest (target within 10%), and the time ``reissue index`` takes on the
editions of one run (``--index``). Every run's editions are compared with the first run of the same
size (edition.json, .txt, .md; timing fields dropped): exit status 1 when they differ or a run crashes.

    .venv/bin/python benchmarks/bench_batch.py                                   # 10k and 100k pages
    .venv/bin/python benchmarks/bench_batch.py --sizes 2000 --modes dask1,dask2  # quick
    .venv/bin/python benchmarks/bench_batch.py --sizes 10000 --modes dask1,dask2,proc1,proc2 --index

The runs import a copy of ``src/reissue`` taken when the benchmark starts (edits made meanwhile do
not leak into some runs only).
"""

from __future__ import annotations

import argparse
import hashlib
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
sys.path.insert(0, os.environ.get(SNAPSHOT_ENV) or str(ROOT / "src"))
sys.path.insert(1, str(ROOT / "devtools"))  # the synthetic generators (development only, not installed)

TIMING_KEYS = {"seconds", "build_seconds", "startup_seconds", "prepare_seconds", "started", "worker",
               "pages_per_second", "scheduler", "workers", "outroot", "collection", "generated_at", "elapsed",
               "finished"}


def _git_head() -> str:
    try:
        return subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True,
                              text=True, timeout=10).stdout.strip() or "-"
    except Exception:
        return "-"


def snapshot_package(workdir: Path) -> Path:
    snap = workdir / "snapshot"
    if snap.exists():
        shutil.rmtree(snap)
    shutil.copytree(ROOT / "src" / "reissue", snap / "reissue", ignore=shutil.ignore_patterns("__pycache__"))
    return snap


def code_digest(pkg: Path) -> str:
    h = hashlib.sha256()
    for p in sorted(pkg.rglob("*")):
        if p.is_file() and "__pycache__" not in p.parts:
            h.update(str(p.relative_to(pkg)).encode())
            h.update(p.read_bytes())
    return h.hexdigest()[:12]


# ----------------------------------------------------------------------------------------------
# the collection


def make_pool(workdir: Path, pool: int, pages: int, seed: int) -> Path:
    from synth import generate_issue, write_issue

    root = workdir / f"pool-{pool}x{pages}-s{seed}"
    if (root / ".complete").exists():
        return root
    if root.exists():
        shutil.rmtree(root)
    t0 = time.perf_counter()
    for k in range(pool):
        out = root / f"p{k}"
        write_issue(generate_issue(seed + k, pages), out)
        (out / "truth.json").unlink()  # page files only, as a library would hand them over
    (root / ".complete").write_text("ok\n")
    print(f"generated a pool of {pool} issues x {pages} pages in {time.perf_counter() - t0:.0f}s", flush=True)
    return root


def make_collection(workdir: Path, pool_dir: Path, pool: int, n_issues: int) -> Path:
    """``n_issues`` issue folders whose page files are hard links to the pool's (issue k from pool k % pool)."""
    coll = workdir / f"{pool_dir.name}-collection-{n_issues}"
    if (coll / ".complete").exists():
        return coll
    if coll.exists():
        shutil.rmtree(coll)
    coll.mkdir()
    for k in range(n_issues):
        src = pool_dir / f"p{k % pool}"
        dst = coll / f"issue-{k + 1:05d}"
        dst.mkdir()
        for f in os.listdir(src):
            os.link(src / f, dst / f)
    (coll / ".complete").write_text("ok\n")
    return coll


# ----------------------------------------------------------------------------------------------
# one run, in a fresh child process


def _worker_stats() -> dict:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return {"peak_rss_mb": round(r.ru_maxrss / 1024, 1), "cpu_s": round(r.ru_utime + r.ru_stime, 2)}


def _warm_worker() -> dict:
    """Import what building an issue imports, then the worker's CPU so far (its one-time start)."""
    import reissue.batch.worker  # noqa: F401
    import reissue.export  # noqa: F401
    import reissue.ingest  # noqa: F401
    import reissue.pipeline  # noqa: F401

    return _worker_stats()


def child(spec: dict) -> None:
    import logging

    import reissue
    from reissue.batch import run_batch

    snap = os.environ.get(SNAPSHOT_ENV)
    if snap and not Path(reissue.__file__).resolve().is_relative_to(Path(snap).resolve()):
        raise SystemExit(f"the run imported {reissue.__file__}, not the snapshot in {snap}")
    mode, n = spec["mode"], spec["workers"]
    workers: list[dict] = []
    cluster_start = None
    t0 = time.perf_counter()
    if mode == "dask":
        import dask
        from distributed import Client, LocalCluster

        from reissue.batch.runners import LOCAL_WORKER_CONFIG

        # the workers `--scheduler local` starts (runners.run_dask), with their configuration
        with dask.config.set(LOCAL_WORKER_CONFIG if not spec.get("dask_profiler") else {}):
            cluster = LocalCluster(n_workers=n, threads_per_worker=1, processes=True, dashboard_address=None,
                                   silence_logs=logging.ERROR)
        client = Client(cluster)
        client.wait_for_workers(n)
        warm = list(client.run(_warm_worker).values())  # the workers' one-time start: imports
        cluster_start = time.perf_counter() - t0
        t1 = time.perf_counter()
        rep = run_batch(spec["collection"], spec["outroot"], scheduler=cluster.scheduler_address,
                        correct=spec["correct"], force=True)
        wall = time.perf_counter() - t1
        workers = list(client.run(_worker_stats).values())
        for w, w0 in zip(workers, warm):
            w["start_cpu_s"] = w0["cpu_s"]
        client.close()
        cluster.close()
    else:
        rep = run_batch(spec["collection"], spec["outroot"], scheduler=mode, workers=n, correct=spec["correct"],
                        force=True)
        wall = time.perf_counter() - t0
        kids = resource.getrusage(resource.RUSAGE_CHILDREN)
        if mode == "processes":  # the largest of the pool's processes (they all ran to the end)
            workers = [{"peak_rss_mb": round(kids.ru_maxrss / 1024, 1),
                        "cpu_s": round((kids.ru_utime + kids.ru_stime) / n, 2)}] * n
    me = resource.getrusage(resource.RUSAGE_SELF)
    issues = rep["issues"]
    print(json.dumps({
        "wall": wall, "cluster_start": cluster_start, "exit_code": rep["exit_code"], "totals": rep["totals"],
        "build_seconds": rep["build_seconds"], "prepare_seconds": rep.get("prepare_seconds"),
        "startup_seconds": rep["startup_seconds"], "workers": n,
        "issue_seconds": round(sum(s["seconds"] or 0 for s in issues), 3),
        "driver_peak_rss_mb": round(me.ru_maxrss / 1024, 1), "driver_cpu_s": round(me.ru_utime + me.ru_stime, 2),
        "worker_stats": workers,
        "tasks_per_worker": sorted({w: sum(1 for s in issues if s["worker"] == w)
                                    for w in {s["worker"] for s in issues}}.values()),
    }))


def run_child(spec: dict, snap: Path) -> dict:
    env = dict(os.environ)
    env[SNAPSHOT_ENV] = str(snap)
    env["PYTHONPATH"] = os.pathsep.join([str(snap)] + ([env["PYTHONPATH"]] if env.get("PYTHONPATH") else []))
    load0 = os.getloadavg()[0]
    c0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    p = subprocess.run([sys.executable, __file__, "--child", json.dumps(spec)], capture_output=True, text=True,
                       cwd=str(ROOT), env=env)
    outer = time.perf_counter() - t0
    c1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    lines = [ln for ln in p.stdout.splitlines() if ln.startswith("{")]
    if p.returncode != 0 or not lines:
        return {"crash": (p.stderr or p.stdout).strip().splitlines()[-3:], "rc": p.returncode}
    res = json.loads(lines[-1])
    res["process_wall"] = outer
    cpu = (c1.ru_utime + c1.ru_stime) - (c0.ru_utime + c0.ru_stime)  # the child and everything it waited for
    if spec["mode"] == "dask":  # Dask's worker processes are not always waited for: add what they said
        cpu = max(cpu, res["driver_cpu_s"] + sum(w["cpu_s"] for w in res["worker_stats"]))
    res["cpu_s"] = round(cpu, 1)
    res["cores_busy"] = round(cpu / outer, 2)
    res["load_before_after"] = [round(load0, 2), round(os.getloadavg()[0], 2)]
    pages = res["totals"]["pages"]
    n = res["workers"]
    prep = res["prepare_seconds"] or 0.0
    start = res["startup_seconds"] or 0.0
    build_phase = max(res["build_seconds"] - prep - start, 1e-9)
    res["pages_per_s"] = pages / res["wall"]
    res["pages_per_s_build"] = pages / build_phase
    res["pages_per_s_per_worker"] = res["pages_per_s_build"] / n
    slot_time = n * build_phase if spec["mode"] != "serial" else build_phase
    res["overhead_ms_per_issue"] = 1000 * (slot_time - res["issue_seconds"]) / max(res["totals"]["issues"], 1)
    res["overhead_share"] = (slot_time - res["issue_seconds"]) / slot_time
    res["build_phase_s"] = build_phase
    # CPU time of the workers (each process's own, from its start: imports, idle loops and Dask's
    # bookkeeping included): pages per worker CPU-second does not depend on how much of the machine
    # the other sessions left this run, which wall-clock pages/s does
    wcpu = sum(w["cpu_s"] for w in res["worker_stats"]) if res["worker_stats"] else res["driver_cpu_s"]
    res["worker_cpu_s"] = round(wcpu, 2)
    res["pages_per_worker_cpu_s"] = pages / max(wcpu, 1e-9)
    # the same without each worker's one-time start (imports, measured before the first issue): the
    # per-page cost, which a larger collection converges to
    start_cpu = sum(w.get("start_cpu_s", 0.0) for w in res["worker_stats"])
    res["worker_start_cpu_s"] = round(start_cpu, 2)
    res["pages_per_worker_cpu_s_after_start"] = pages / max(wcpu - start_cpu, 1e-9)
    return res


# ----------------------------------------------------------------------------------------------
# outputs


def _strip(x):
    if isinstance(x, dict):
        return {k: _strip(v) for k, v in x.items() if k not in TIMING_KEYS}
    if isinstance(x, list):
        return [_strip(v) for v in x]
    return x


def compare(a: Path, b: Path) -> list[str]:
    diffs = []
    dirs_a = sorted(p.name for p in a.iterdir() if p.is_dir())
    dirs_b = sorted(p.name for p in b.iterdir() if p.is_dir())
    if dirs_a != dirs_b:
        diffs.append(f"issue folders differ: {sorted(set(dirs_a) ^ set(dirs_b))[:5]}")
    for name in sorted(set(dirs_a) & set(dirs_b)):
        for f in ("edition.json", "edition.txt", "edition.md"):
            fa, fb = a / name / f, b / name / f
            if fa.exists() != fb.exists() or (fa.exists() and fa.read_bytes() != fb.read_bytes()):
                diffs.append(f"{name}/{f} differs")
    ra = _strip(json.loads((a / "batch-report.json").read_text(encoding="utf-8")))
    rb = _strip(json.loads((b / "batch-report.json").read_text(encoding="utf-8")))
    if ra != rb:
        diffs.append("batch-report.json differs (beyond timing fields)")
    return diffs


def time_index(outroot: Path, workdir: Path, snap: Path) -> dict:
    db = workdir / "bench-index.sqlite"
    for suffix in ("", "-wal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    dirs = sorted(str(p) for p in outroot.iterdir() if (p / "edition.json").is_file())
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(snap)] + ([env["PYTHONPATH"]] if env.get("PYTHONPATH") else []))
    t0 = time.perf_counter()
    p = subprocess.run([sys.executable, "-c", "import sys; from reissue.cli import main; main(sys.argv[1:])",
                        "index", *dirs, "--db", str(db)], capture_output=True, text=True, env=env)
    dt = time.perf_counter() - t0
    if p.returncode != 0:
        return {"crash": p.stderr.strip().splitlines()[-3:]}
    pages = sum(len(json.loads((Path(d) / "edition.json").read_text(encoding="utf-8"))["pages"]) for d in dirs)
    size = db.stat().st_size
    for suffix in ("", "-wal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    return {"editions": len(dirs), "pages": pages, "seconds": dt, "pages_per_s": pages / dt,
            "db_mb": round(size / 1e6, 1)}


# ----------------------------------------------------------------------------------------------


def parse_modes(text: str) -> list[tuple[str, str, int]]:
    out = []
    for m in (x.strip() for x in text.split(",") if x.strip()):
        if m == "serial":
            out.append((m, "serial", 1))
        elif m.startswith("dask"):  # daskNp: with Dask's statistical profiler on (its default; reissue turns it off)
            out.append((m, "dask", int(m[4:].rstrip("p") or 2)))
        elif m.startswith("proc"):
            out.append((m, "processes", int(m[4:] or 2)))
        else:
            raise SystemExit(f"unknown mode {m!r} (serial, daskN, procN)")
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="10000,100000", help="collection sizes in pages, comma-separated")
    ap.add_argument("--pages", type=int, default=25, help="pages per issue")
    ap.add_argument("--pool", type=int, default=40, help="distinct generated issues the collection is made of")
    ap.add_argument("--seed", type=int, default=5000)
    ap.add_argument("--modes", default="dask1,dask2,proc2",
                    help="comma-separated runs per size: serial, daskN (LocalCluster), procN (plain processes)")
    ap.add_argument("--large-modes", default=None,
                    help="runs for sizes above the smallest (default: the same as --modes)")
    ap.add_argument("--correct", action="store_true", help="with correction (default: --no-correct)")
    ap.add_argument("--index", action="store_true", help="time `reissue index` on the editions of each size's first run")
    ap.add_argument("--workdir", default=None, help="where the collections and outputs go (default: a temp folder)")
    ap.add_argument("--json", default=None, help="write every number to this file")
    ap.add_argument("--child", default=None, help=argparse.SUPPRESS)
    a = ap.parse_args(argv)
    if a.child:
        child(json.loads(a.child))
        return 0

    workdir = Path(a.workdir or Path(tempfile.gettempdir()) / "reissue-bench-batch")
    workdir.mkdir(parents=True, exist_ok=True)
    snap = snapshot_package(workdir)
    print(f"package snapshot {snap} (sources {code_digest(snap / 'reissue')}, commit {_git_head()})", flush=True)
    for m in [m for m in sys.modules if m == "reissue" or m.startswith("reissue.")]:
        del sys.modules[m]
    sys.path.insert(0, str(snap))
    pool_dir = make_pool(workdir, a.pool, a.pages, a.seed)
    sizes = [int(s) for s in a.sizes.split(",") if s.strip()]
    results, failures = [], []
    for si, size in enumerate(sizes):
        n_issues = max(1, size // a.pages)
        coll = make_collection(workdir, pool_dir, a.pool, n_issues)
        modes = parse_modes(a.modes if si == 0 or not a.large_modes else a.large_modes)
        first_out = None
        for label, mode, n in modes:
            out = workdir / f"out-{size}-{label}"
            if out.exists():
                shutil.rmtree(out)
            spec = {"collection": str(coll), "outroot": str(out), "mode": mode, "workers": n, "correct": a.correct,
                    "dask_profiler": label.endswith("p")}
            res = run_child(spec, snap)
            res.update({"size": size, "issues": n_issues, "mode": label})
            results.append(res)
            if "crash" in res:
                failures.append(f"{size} {label}: crashed (rc {res['rc']}): {' | '.join(res['crash'])}")
                print(f"{size:>7} {label:<7} CRASH {res['crash']}", flush=True)
                shutil.rmtree(out, ignore_errors=True)
                continue
            peaks = [w["peak_rss_mb"] for w in res["worker_stats"]]
            t = res["totals"]
            print(f"{size:>7} {label:<7} {t['issues']} issues {t['pages']} pages: {res['wall']:.1f}s "
                  f"({res['pages_per_s']:.1f} pages/s; build phase {res['build_phase_s']:.1f}s, "
                  f"{res['pages_per_s_build']:.1f} pages/s, {res['pages_per_s_per_worker']:.1f} per worker); "
                  f"prepare {res['prepare_seconds'] or 0:.1f}s"
                  + (f", cluster start {res['cluster_start']:.1f}s" if res.get("cluster_start") else "")
                  + f"; overhead {res['overhead_ms_per_issue']:.1f} ms/issue ({100 * res['overhead_share']:.1f}%)"
                  + f"; peak RSS driver {res['driver_peak_rss_mb']:.0f} MB"
                  + (f", workers {'/'.join(f'{p:.0f}' for p in peaks)} MB" if peaks else "")
                  + f"; {res['pages_per_worker_cpu_s']:.1f} pages per worker CPU-second ({res['worker_cpu_s']:.0f} s; "
                  f"{res['pages_per_worker_cpu_s_after_start']:.1f} without the workers' start, {res['worker_start_cpu_s']:.0f} s)"
                  + f"; tasks/worker {res['tasks_per_worker']}; {res['cores_busy']:.2f} cores busy, "
                  f"load {res['load_before_after'][0]:.1f}->{res['load_before_after'][1]:.1f}; "
                  f"ok={t['ok']} problems={t['problems']} failed={t['failed']}", flush=True)
            if first_out is None:
                first_out = out
                if a.index:
                    ix = time_index(out, workdir, snap)
                    ix.update({"size": size, "mode": "index"})
                    results.append(ix)
                    print(f"{size:>7} index   " + (f"CRASH {ix['crash']}" if "crash" in ix else
                          f"{ix['editions']} editions, {ix['pages']} pages in {ix['seconds']:.1f}s "
                          f"({ix['pages_per_s']:.0f} pages/s), library {ix['db_mb']} MB"), flush=True)
            else:
                diffs = compare(first_out, out)
                if diffs:
                    failures.append(f"{size} {label}: {len(diffs)} differences from {first_out.name}: {diffs[:3]}")
                print(f"{size:>7} {label:<7} {'IDENTICAL to ' + first_out.name if not diffs else 'DIFFERENT: ' + '; '.join(diffs[:3])}",
                      flush=True)
                shutil.rmtree(out, ignore_errors=True)
        if first_out is not None:
            shutil.rmtree(first_out, ignore_errors=True)

    ok = {(r["size"], r["mode"]): r for r in results if "crash" not in r and r.get("mode") != "index"}
    print("targets:")
    for size in sizes:
        one, two = ok.get((size, "dask1")), ok.get((size, "dask2"))
        if one and two:
            sp = two["pages_per_s_build"] / one["pages_per_s_build"]
            spw = two["pages_per_s"] / one["pages_per_s"]
            print(f"  {size} pages: 2 Dask workers vs 1: {sp:.2f}x in the build phase ({sp / 2:.0%} scaling "
                  f"efficiency), {spw:.2f}x over the whole call; target >= 1.7x: {'MET' if sp >= 1.7 else 'NOT MET'} "
                  f"(cores busy {one['cores_busy']:.2f} / {two['cores_busy']:.2f})")
            ce = two["pages_per_worker_cpu_s"] / one["pages_per_worker_cpu_s"]
            print(f"  {size} pages: CPU-time efficiency of 2 Dask workers against 1 (pages per worker CPU-second): "
                  f"{two['pages_per_worker_cpu_s']:.1f} / {one['pages_per_worker_cpu_s']:.1f} = {ce:.2f} "
                  f"(1.00 = no work lost to running on two workers; x2 = {2 * ce:.2f}x the throughput of one "
                  "worker on two free cores)")
            ce2 = two["pages_per_worker_cpu_s_after_start"] / one["pages_per_worker_cpu_s_after_start"]
            print(f"  {size} pages: the same without each worker's one-time start (imports): "
                  f"{two['pages_per_worker_cpu_s_after_start']:.1f} / {one['pages_per_worker_cpu_s_after_start']:.1f} = "
                  f"{ce2:.2f} (x2 = {2 * ce2:.2f}x)")
        p2 = ok.get((size, "proc2"))
        if one and p2:
            print(f"  {size} pages: 2 plain processes vs 1 Dask worker: "
                  f"{p2['pages_per_s_build'] / one['pages_per_s_build']:.2f}x in the build phase")
    if len(sizes) > 1:
        lo, hi = sizes[0], sizes[-1]
        for label in sorted({r["mode"] for r in ok.values()}):
            a_, b_ = ok.get((lo, label)), ok.get((hi, label))
            if a_ and b_ and a_["worker_stats"] and b_["worker_stats"]:
                ma = max(w["peak_rss_mb"] for w in a_["worker_stats"])
                mb = max(w["peak_rss_mb"] for w in b_["worker_stats"])
                print(f"  peak worker RSS {label}: {ma:.0f} MB at {lo} pages, {mb:.0f} MB at {hi} pages "
                      f"({mb / ma - 1:+.1%}); target within 10%: {'MET' if abs(mb / ma - 1) <= 0.10 else 'NOT MET'}; "
                      f"driver {a_['driver_peak_rss_mb']:.0f} -> {b_['driver_peak_rss_mb']:.0f} MB")
    print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs", flush=True)
    if a.json:
        Path(a.json).write_text(json.dumps({"sizes": sizes, "pages_per_issue": a.pages, "pool": a.pool,
                                            "cpu_count": os.cpu_count(), "commit": _git_head(),
                                            "runs": results, "failures": failures}, indent=1))
    for f in failures:
        print(f"FAIL {f}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
