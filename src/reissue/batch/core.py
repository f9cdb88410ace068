"""`run_batch`: discovery, the manifest, the choice of runner, the report."""

from __future__ import annotations

import os
import posixpath
import time
from typing import Callable

from .. import __version__
from ..errors import ModelError, NoPagesError, UsageError
from . import runners, storage
from .discovery import Issue, count_files, discover_issues, issue_digest, same_or_inside
from .manifest import MANIFEST_NAME, Manifest, build_key, model_fingerprint
from .reporting import (EXIT_OK, EXIT_SOME_PROBLEMS, REPORT_FORMAT, REPORT_NAME, exit_code_for, index_editions,
                        totals, write_report)
from .worker import base_summary, failed_summary, shared_summary

# `--scheduler auto` starts a LocalCluster only for collections with at least this many page files
# (with / without correction). Measured (benchmarks/bench_batch.py): serial ~180 pages/s without and
# ~30 pages/s with correction; a LocalCluster costs ~1-2 s to start, ~1 s per worker to import reissue
# (+ ~2 s to load the correction model) and ~20% per issue; with 2 free cores it wins from about 900
# (without) and 250 (with correction) pages on.
AUTO_LOCAL_MIN_FILES = {True: 250, False: 1000}

Progress = Callable[[int, int, dict], None]


def _check_model(correct: bool) -> None:
    if not correct:
        return
    try:
        from ..correct import default_model_path
    except ImportError as exc:
        raise ModelError(f"the corrector cannot be loaded ({exc})", hint="use --no-correct or reinstall reissue") from exc
    p = default_model_path()
    if not os.path.isfile(p):
        raise ModelError("correction model file not found", path=p,
                         hint="use --no-correct, or run scripts/train_default_model.py / reinstall reissue")


def _where(path: str) -> tuple[str, str]:
    """(protocol, absolute path) to compare locations: local paths by their real path."""
    fs, p = storage.resolve(path)
    if fs is None:
        return "", os.path.realpath(p)
    proto = fs.protocol if isinstance(fs.protocol, str) else fs.protocol[0]
    return proto, posixpath.normpath("/" + p.lstrip("/"))


def _overlaps(a: tuple[str, str], b: tuple[str, str]) -> bool:
    """``a`` is ``b`` or lies inside it."""
    return a[0] == b[0] and same_or_inside(a[1], b[1])


def _prepare_outroot(outroot: str, force: bool) -> None:
    fs, root = storage.resolve(outroot)
    names = storage.listing(fs, root)
    if names and not force and MANIFEST_NAME not in names:
        raise UsageError("output folder is not empty", path=outroot,
                         hint="use --force to overwrite the editions in it, or choose another -o "
                              f"(a folder holding {MANIFEST_NAME} is resumed)")


def run_batch(collection: str, outroot: str, *, scheduler: str = "auto", workers: int | None = None,
              correct: bool = True, threshold: float | None = None, force: bool = False,
              index: str | None = None, progress: Progress | None = None,
              on_plan: Callable[[list[Issue]], None] | None = None, lang: "str | tuple" = "auto",
              follow_symlinks: bool = False, normalize: str = "ligatures", mets_use: str | None = None) -> dict:
    """Build every issue of ``collection`` into ``outroot``; returns the report (also written as
    ``outroot/batch-report.json``). ``report["exit_code"]``: 0 all built cleanly, 3 some issues
    failed or had problems, 4 none built. Raises :class:`UsageError`/:class:`ModelError` before any
    work when the call cannot work.

    ``collection`` and ``outroot``: local paths or fsspec URLs. An issue listed as finished in
    ``outroot``'s manifest, with the same input digest, reissue version, model and options, is not
    built again (unless ``force``); its summary comes from the manifest.

    ``scheduler``: ``auto``, ``serial``, ``processes``, ``local`` or a Dask scheduler address.
    ``auto`` is ``local`` when Dask is installed, there are 2+ issues and 2+ workers, and either
    ``workers`` was given or the collection holds at least :data:`AUTO_LOCAL_MIN_FILES` page files
    (a LocalCluster takes a few seconds to start); else ``serial``.
    ``progress(done, total, summary)`` is called in the driver after each issue.
    ``lang`` and ``follow_symlinks`` as for `reissue build` (``--lang``, ``--follow-symlinks``): a
    symbolic link in the collection folder or in an issue folder is refused unless ``follow_symlinks``.
    An ``outroot`` equal to, or inside, ``collection`` is refused (the next run would read it).
    """
    t0 = time.perf_counter()
    started = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    scheduler = runners.check_scheduler(scheduler)
    if workers is not None and workers < 1:
        raise UsageError("--workers must be at least 1")
    coll_fs, coll_path = storage.resolve(collection)
    out_fs, out_path = storage.resolve(outroot)
    coll_ref = collection if coll_fs is not None else coll_path
    out_ref = storage.url_of(out_fs, out_path) if out_fs is not None else out_path
    if _overlaps(_where(out_ref), _where(coll_ref)):
        same = _where(out_ref) == _where(coll_ref)
        raise UsageError("output folder is " + ("the collection folder" if same else "inside the collection folder")
                         + f" {collection}", path=outroot, hint="choose an -o outside the collection")
    reserved = {REPORT_NAME, REPORT_NAME + ".tmp", MANIFEST_NAME, MANIFEST_NAME + ".tmp"}
    index_abs = os.path.abspath(index) if index else None
    if index_abs and out_fs is None and os.path.dirname(index_abs) == out_path:
        base = os.path.basename(index_abs)
        reserved |= {base, base + "-wal", base + "-shm", base + "-journal"}
    found = discover_issues(coll_ref, exclude=[out_path] if out_fs is None else [], reserved=reserved,
                            follow_symlinks=follow_symlinks)
    if out_fs is not None and coll_fs is not None:
        out_where = _where(out_ref)
        found.issues = [i for i in found.issues if not _overlaps(_where(i.path), out_where)]
    if not found.issues:
        why = "; ".join(found.skipped[:3])
        raise NoPagesError(f"no issue found in {collection}" + (f" ({why})" if why else ""),
                           hint="an issue is a sub-folder of page files or a .zip archive of them")
    _prepare_outroot(out_ref, force)
    if scheduler in ("auto", "serial", "processes", "local"):
        _check_model(correct)
    n_workers = workers or min(os.cpu_count() or 1, len(found.issues))
    in_memory = [u for u, fs in ((collection, coll_fs), (outroot, out_fs)) if fs is not None and "memory" in fs.protocol]
    if in_memory and scheduler not in ("auto", "serial"):
        raise UsageError(f"{in_memory[0]} lies in this process's memory, which worker processes do not share",
                         hint="use --scheduler serial, or a store the workers can reach")
    auto = scheduler == "auto"
    if in_memory:
        scheduler = "serial"
    elif auto:
        big = workers is not None or sum(count_files(i) for i in found.issues) >= AUTO_LOCAL_MIN_FILES[bool(correct)]
        scheduler = "local" if (len(found.issues) > 1 and n_workers > 1 and big and runners.have_dask()) else "serial"
    elif scheduler not in ("serial", "processes") and not runners.have_dask():
        raise UsageError(f"--scheduler {scheduler} needs Dask, which is not installed",
                         hint="pip install 'reissue[dask]', or use --scheduler serial")
    storage.makedirs(out_fs, out_path)
    storage.remove_stale_staging(out_ref)
    storage.sweep_staging()  # local staging folders of fsspec issues and editions a killed run left

    tasks = [{"issue": iss.name, "source": iss.path, "entry": iss.entry, "kind": iss.kind, "outroot": out_ref,
              "correct": correct, "threshold": threshold, "lang": lang if isinstance(lang, str) else list(lang),
              "follow_symlinks": follow_symlinks, "normalize": normalize, "mets_use": mets_use}
             for iss in found.issues]
    if on_plan:
        on_plan(found.issues)

    summaries: list[dict | None] = [None] * len(tasks)
    out_where = _where(out_ref)
    coll_where = _where(coll_ref)
    for i, t in enumerate(tasks):
        od = (out_where[0], posixpath.join(out_where[1], t["issue"]) if out_where[0] else os.path.join(out_where[1], t["issue"]))
        src = _where(t["source"])
        if _overlaps(coll_where, od) or _overlaps(src, od) or _overlaps(od, src):
            summaries[i] = failed_summary(t, UsageError("the output folder would overwrite the input; refused",
                                                        path=t["issue"], hint="choose an -o outside the collection"))

    # the manifest: what an earlier run finished, and is unchanged, is not built again
    manifest = Manifest(out_ref, fresh=force)
    model = model_fingerprint(correct)
    keys: dict[int, dict] = {}
    resumed: set[str] = set()
    for i, (iss, t) in enumerate(zip(found.issues, tasks)):
        if summaries[i] is not None:
            continue
        keys[i] = key = build_key(issue_digest(iss, follow_symlinks), __version__, model, correct, threshold,
                                  lang, follow_symlinks, normalize, mets_use)
        done = manifest.finished(iss.name, key) if key["digest"] else None
        if done is not None and storage.read_bytes(out_fs, storage.join(out_fs, storage.join(out_fs, out_path, iss.name),
                                                                        "edition.json")) is not None:
            summaries[i] = done
            resumed.add(iss.name)
    runnable = [i for i, s in enumerate(summaries) if s is None]
    manifest.start(keep=resumed)
    prepare_seconds = time.perf_counter() - t0  # discovery, digests, the manifest
    done_count = len(tasks) - len(runnable)
    built_pages = 0

    def on_done(j: int, summary: dict) -> None:
        nonlocal done_count, built_pages
        i = runnable[j]
        summaries[i] = summary = shared_summary(summary)
        done_count += 1
        built_pages += summary["pages"]
        if summary["status"] in ("ok", "problems") and keys[i]["digest"]:
            key = dict(keys[i], version=summary.get("reissue_version") or __version__)
            manifest.record(summary["issue"], tasks[i]["entry"], key, summary)
        if progress:
            progress(done_count, len(tasks), summary)

    info: dict = {}
    notes: list[str] = []
    run_tasks = [tasks[i] for i in runnable]
    interrupted = False
    try:
        if run_tasks and scheduler not in ("serial", "processes"):
            try:
                runners.run_dask(run_tasks, on_done, scheduler=scheduler, workers=n_workers, info=info)
            except runners.ClusterStartError as exc:
                if not auto:
                    raise
                notes.append(f"{exc}; built serially instead")
                scheduler = "serial"
        if run_tasks and scheduler == "processes":
            runners.run_processes(run_tasks, on_done, workers=n_workers, info=info)
        if run_tasks and scheduler == "serial":
            runners.run_serial(run_tasks, on_done)
    except KeyboardInterrupt:
        interrupted = True
    finally:
        manifest.close()
    for i, s in enumerate(summaries):
        if s is None:
            summaries[i] = base_summary(tasks[i])
            summaries[i]["error"] = "not built: the batch was interrupted"
    build_seconds = time.perf_counter() - t0

    index_info = None
    if index_abs and not interrupted:
        built = [s["issue"] for s in summaries if s["status"] in ("ok", "problems")]
        index_info = index_editions(index_abs, out_ref, built)
        index_info["db"] = index
    code = exit_code_for(summaries)
    if code == EXIT_OK and index_info and index_info["errors"]:
        code = EXIT_SOME_PROBLEMS
    report = {
        "format": REPORT_FORMAT,
        "generator": {"name": "reissue", "version": __version__},
        "started": started,
        "collection": collection,
        "outroot": outroot,
        "scheduler": scheduler,
        "workers": 1 if scheduler == "serial" else info.get("dask_workers", n_workers),
        "options": {"correct": correct, "threshold": threshold, "force": force,
                    "lang": lang if isinstance(lang, str) else list(lang), "follow_symlinks": follow_symlinks,
                    "normalize": normalize, "mets_use": mets_use},
        "seconds": round(time.perf_counter() - t0, 3),
        "build_seconds": round(build_seconds, 3),  # discovery, digests, cluster start and every issue
        "prepare_seconds": round(prepare_seconds, 3),  # of which discovery, input digests, the manifest
        "startup_seconds": info.get("startup_seconds"),  # of which Dask: until the client was connected
        "totals": totals(summaries, built_pages, build_seconds),
        "resumed": len(resumed),  # issues finished by an earlier run (manifest), not built again
        "manifest": MANIFEST_NAME,
        "skipped": found.skipped,
        "notes": notes,
        "interrupted": interrupted,
        "index": index_info,
        # reissue versions the issues were built with (an existing scheduler's workers may differ)
        "worker_versions": sorted({s["reissue_version"] for s in summaries if s["reissue_version"]}),
        "exit_code": 130 if interrupted else code,
        "issues": summaries,
    }
    write_report(out_ref, report)
    return report
