"""`reissue batch`: build every issue of a collection, serially or on a Dask cluster.

A *collection* is a folder whose sub-folders (page files inside) and ``.zip`` archives are issues,
taken in natural name order. Each issue is built into ``OUTROOT/<safe issue name>/`` exactly as
``reissue build`` would build it, then a ``batch-report.json`` and a table summarise the run.

Schedulers:

* ``serial``: an in-process loop (no extra dependency);
* ``local``: a ``dask.distributed.LocalCluster`` of N worker processes, one thread each;
* ``tcp://host:8786`` (or any Dask address): an existing scheduler. Its workers must have reissue
  installed and see the collection and OUTROOT under the same paths (a shared filesystem).

The task sent to a worker is a small dict of paths and options (:class:`IssueTask`), and what comes
back is a small summary dict (:func:`build_issue`): Documents never travel between processes. A
failing issue (a :class:`~reissue.errors.ReissueError` or any exception, even a dead worker) becomes
a summary with a one-line error; the other issues go on.

Public API: :func:`discover_issues`, :func:`safe_name`, :func:`build_issue`, :func:`run_batch`,
:data:`batch_command` (the click command).
"""

from __future__ import annotations

import json
import logging
import os
import re
import socket
import sys
import time
import traceback
import unicodedata
import uuid
from dataclasses import dataclass, field
from typing import Callable, Iterable

import click

from . import __version__
from .errors import ModelError, NoPagesError, ReissueError, UsageError
from .export import prepare_outdir

REPORT_NAME = "batch-report.json"
REPORT_FORMAT = "reissue-batch/1"
MAX_PROBLEMS = 50  # per issue in the summary (the edition.json of the issue keeps them all)
TABLE_ALL_ROWS = 50  # larger collections: the table lists only the issues with problems
# `--scheduler auto` starts a LocalCluster only for collections with at least this many page files
# (with / without correction). Measured (benchmarks/bench_batch.py): serial ~180 pages/s without and
# ~30 pages/s with correction; a LocalCluster costs ~1-2 s to start, ~1 s per worker to import reissue
# (+ ~2 s to load the correction model) and ~20% per issue; with 2 free cores it wins from about 900
# (without) and 250 (with correction) pages on.
AUTO_LOCAL_MIN_FILES = {True: 250, False: 1000}
CONNECT_TIMEOUT = 10  # seconds to reach an existing Dask scheduler
WORKERS_TIMEOUT = 30  # seconds to wait for its first worker

__all__ = ["Issue", "discover_issues", "safe_name", "build_issue", "run_batch", "batch_command",
           "have_dask", "REPORT_NAME", "EXIT_OK", "EXIT_SOME_PROBLEMS", "EXIT_NONE_BUILT"]

EXIT_OK = 0
EXIT_SOME_PROBLEMS = 3
EXIT_NONE_BUILT = 4


def _one_line(text) -> str:
    return " ".join(str(text).split())


def have_dask() -> bool:
    try:
        import distributed  # noqa: F401
    except Exception:  # ImportError, or a broken installation
        return False
    return True


# ----------------------------------------------------------------------------------------------
# discovery and names


_WINDOWS_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}
_UNSAFE_CHARS = re.compile(r"[^\w.\-]+")


def safe_name(name: str, max_len: int = 80) -> str:
    """A folder name made from an issue name: letters, digits, ``_ . -`` only, never ``.``/``..``.

    Path separators, control characters, spaces and the like become ``-``; leading and trailing
    dots and dashes are dropped; an empty result becomes ``issue``.
    """
    s = unicodedata.normalize("NFKC", str(name))
    s = _UNSAFE_CHARS.sub("-", s)
    s = re.sub(r"-{2,}", "-", s).strip(".-_")
    s = s[:max_len].rstrip(".-_")
    if not s:
        s = "issue"
    if s.split(".")[0].casefold() in _WINDOWS_RESERVED:
        s = f"issue-{s}"
    return s


@dataclass
class Issue:
    """One issue of a collection: where it is read from and the folder name it is written to."""

    name: str  # output folder name under OUTROOT (safe and unique)
    path: str  # absolute path of the folder or .zip
    kind: str  # "folder" | "zip"
    entry: str  # the entry name in the collection, as found


@dataclass
class Discovery:
    issues: list[Issue] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # one-line notes on entries that are no issue


def _hidden(name: str) -> bool:
    return name.startswith(".") or name in ("__MACOSX", "Thumbs.db", "desktop.ini")


def _has_files(folder: str) -> tuple[bool, bool]:
    """(has a non-hidden regular file, has a non-hidden sub-folder)."""
    files = dirs = False
    try:
        with os.scandir(folder) as it:
            for e in it:
                if _hidden(e.name):
                    continue
                try:
                    if e.is_dir():
                        dirs = True
                    elif e.is_file():
                        files = True
                        break
                except OSError:
                    continue
    except OSError:
        return True, False  # let the build report why it cannot be read
    return files, dirs


def _same_or_inside(path: str, root: str) -> bool:
    """``path`` is ``root`` or lies inside it (both real, absolute paths)."""
    try:
        return os.path.commonpath([path, root]) == root
    except ValueError:  # different drives
        return False


def discover_issues(collection: str, *, exclude: Iterable[str] = (), reserved: Iterable[str] = ()) -> Discovery:
    """Issues of a collection folder in natural name order, with safe, unique output names.

    ``exclude``: paths never taken as issues (OUTROOT when it lies inside the collection).
    ``reserved``: names the issue folders must not take (case-insensitively), e.g. the report.
    """
    from .ingest import natural_key

    if not os.path.exists(collection):
        raise UsageError("collection not found", path=collection, hint="name a folder of issue folders or .zip files")
    if not os.path.isdir(collection):
        raise UsageError("collection is not a folder", path=collection,
                         hint="name a folder whose sub-folders or .zip files are issues; for one issue use `reissue build`")
    try:
        names = os.listdir(collection)
    except OSError as exc:
        raise UsageError(f"collection cannot be read: {exc.strerror or exc}", path=collection,
                         hint="check its permissions") from exc
    excluded = {os.path.realpath(p) for p in exclude}
    taken = {r.casefold() for r in reserved}
    found = Discovery()
    loose_pages = 0
    for entry in sorted(names, key=natural_key):
        if _hidden(entry):
            continue
        path = os.path.abspath(os.path.join(collection, entry))
        if os.path.realpath(path) in excluded:
            continue
        if os.path.isdir(path):
            files, dirs = _has_files(path)
            if not files:
                why = ("no files, only sub-folders (nested collections are not searched: run `reissue batch` on it)"
                       if dirs else "empty folder")
                found.skipped.append(f"{entry}: {why}")
                continue
            kind, stem = "folder", entry
        elif entry.lower().endswith(".zip") and os.path.isfile(path):
            kind, stem = "zip", entry[:-4]
        else:
            loose_pages += 1
            continue
        base = safe_name(stem)
        name, k = base, 2
        while name.casefold() in taken:
            name = f"{base}-{k}"
            k += 1
        taken.add(name.casefold())
        found.issues.append(Issue(name, path, kind, entry))
    if loose_pages:
        found.skipped.append(f"{loose_pages} loose file{'s' if loose_pages != 1 else ''} in the collection folder "
                             "(an issue is a sub-folder of page files or a .zip)")
    return found


def count_files(issue: Issue) -> int:
    """Files in an issue folder (top level, not hidden) or members of its .zip: a cheap size estimate."""
    try:
        if issue.kind == "zip":
            import zipfile

            with zipfile.ZipFile(issue.path) as zf:
                return sum(1 for zi in zf.infolist() if not zi.is_dir())
        with os.scandir(issue.path) as it:
            return sum(1 for e in it if not _hidden(e.name) and e.is_file())
    except Exception:  # unreadable: the build reports why
        return 0


# ----------------------------------------------------------------------------------------------
# one issue (runs in a worker process)


def _relocate(text: str, abspath: str, display: str) -> str:
    """Messages and page sources name the issue by its entry name, not by where it lies."""
    return text.replace(abspath, display) if abspath in text else text


def build_issue(task: dict) -> dict:
    """Build one issue and write its edition; returns a small JSON-able summary. Never raises.

    ``task``: ``{"issue", "source", "entry", "kind", "outdir", "correct", "threshold", "force"}``
    with absolute paths (as made by :func:`run_batch`).
    """
    t0 = time.perf_counter()
    s = _base_summary(task)
    s.update({"worker": f"{socket.gethostname()}:{os.getpid()}", "reissue_version": __version__})
    source, entry, outdir = task["source"], task["entry"], task["outdir"]
    try:
        from .export import write_edition
        from .ingest import load_inputs
        from .pipeline import process

        if os.path.islink(outdir):
            raise UsageError("output folder is a symbolic link; refused", path=task["issue"],
                             hint="remove the link from OUTROOT")
        notes: list[str] = []
        doc = load_inputs([source], notes=notes)
        # the edition records skipped non-page files first, as `reissue build` does
        doc.problems[:0] = notes
        n_notes = len(notes)
        for p in doc.pages:
            p.source = _relocate(p.source, source, entry)
        doc.problems = [_relocate(p, source, entry) for p in doc.problems]
        process(doc, correct=task["correct"], threshold=task["threshold"])
        written = write_edition(doc, outdir, force=task["force"])
        real = doc.problems[n_notes:]
        md = doc.metadata
        nums = [p.number for p in doc.pages if p.number is not None]
        s.update({
            "status": "problems" if real else "ok",
            "pages": len(doc.pages), "paragraphs": len(doc.paragraphs), "notes": len(doc.footnotes),
            "corrections": sum(1 for e in doc.edits if e.stage == "correct" and e.superseded_by is None),
            "problems": real[:MAX_PROBLEMS], "n_problems": len(real), "skipped_files": doc.problems[:n_notes],
            "title": md.title, "volume": md.volume, "number": md.number, "year": md.year,
            "printed_pages": [min(nums), max(nums)] if nums else None,
            "outputs": [os.path.relpath(w, os.path.dirname(outdir)).replace(os.sep, "/") for w in written],
        })
        del doc
    except Exception as exc:  # one broken issue never stops the batch
        s.update(_error_fields(exc, source, entry))
    s["seconds"] = round(time.perf_counter() - t0, 4)
    return s


def _error_fields(exc: BaseException, source: str | None = None, entry: str | None = None) -> dict:
    msg = _one_line(exc) or type(exc).__name__
    if source and entry:
        msg = _relocate(msg, source, entry)
    out = {"error": msg if isinstance(exc, ReissueError) else f"{type(exc).__name__}: {msg}",
           "error_type": type(exc).__name__,
           "exit_code": getattr(exc, "exit_code", 1) if isinstance(exc, ReissueError) else 1}
    if not isinstance(exc, ReissueError):  # a bug: say where it happened
        tb = traceback.extract_tb(exc.__traceback__) if exc.__traceback__ else []
        if tb:
            fr = tb[-1]
            out["where"] = f"{os.path.basename(fr.filename)}:{fr.lineno} in {fr.name}"
    return out


# ----------------------------------------------------------------------------------------------
# the batch


Progress = Callable[[int, int, dict], None]


def _check_scheduler(scheduler: str) -> str:
    s = scheduler.strip()
    if s in ("auto", "serial", "local"):
        return s
    if re.match(r"^(tcp|tls|ws|wss|ucx|inproc)://\S+$", s) or re.match(r"^[\w.\-\[\]:]+:\d+$", s):
        return s
    raise UsageError(f"unknown scheduler {scheduler!r}",
                     hint="use serial, local, or the address of a running Dask scheduler such as tcp://host:8786")


def _check_model(correct: bool) -> None:
    if not correct:
        return
    try:
        from .correct import default_model_path
    except ImportError as exc:
        raise ModelError(f"the corrector cannot be loaded ({exc})", hint="use --no-correct or reinstall reissue") from exc
    p = default_model_path()
    if not os.path.isfile(p):
        raise ModelError("correction model file not found", path=p,
                         hint="use --no-correct, or run scripts/train_default_model.py / reinstall reissue")


class ClusterStartError(ReissueError):
    """A Dask LocalCluster could not be started (before any issue was sent to it)."""

    exit_code = 1


def _run_serial(tasks: list[dict], on_done: Callable[[int, dict], None]) -> None:
    for i, t in enumerate(tasks):
        on_done(i, build_issue(t))


def _run_dask(tasks: list[dict], on_done: Callable[[int, dict], None], *, scheduler: str, workers: int,
              info: dict) -> None:
    try:
        from distributed import Client, LocalCluster, as_completed
    except ImportError as exc:
        raise UsageError(f"--scheduler {scheduler} needs Dask ({exc})",
                         hint="pip install 'reissue[dask]', or use --scheduler serial") from exc
    cluster = None
    t0 = time.perf_counter()
    if scheduler == "local":
        try:
            cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                   dashboard_address=None, silence_logs=logging.ERROR)
            client = Client(cluster)
        except Exception as exc:  # e.g. worker processes cannot be spawned from this __main__
            if cluster is not None:
                cluster.close()
            raise ClusterStartError(f"cannot start a Dask LocalCluster ({_one_line(exc)})",
                                    hint="use --scheduler serial") from exc
    else:
        try:
            client = Client(scheduler, timeout=f"{CONNECT_TIMEOUT}s")
        except (OSError, TimeoutError) as exc:
            raise UsageError(f"cannot reach the Dask scheduler at {scheduler} ({_one_line(exc)})",
                             hint="start it with `dask scheduler` and `dask worker ADDRESS`, or use --scheduler local") from exc
    try:
        if scheduler != "local":
            try:
                client.wait_for_workers(1, timeout=WORKERS_TIMEOUT)
            except (TimeoutError, OSError) as exc:
                raise UsageError(f"the Dask scheduler at {scheduler} has no workers",
                                 hint="start some with `dask worker ADDRESS`") from exc
        info["dask_workers"] = len(client.scheduler_info().get("workers", {}))
        info["startup_seconds"] = round(time.perf_counter() - t0, 3)
        token = uuid.uuid4().hex[:8]
        futs = {}
        for i, t in enumerate(tasks):
            f = client.submit(build_issue, t, key=f"reissue-build-{i}-{t['issue']}-{token}", pure=False)
            futs[f] = i
        for f in as_completed(list(futs)):
            i = futs[f]
            try:
                summary = f.result()
            except (KeyboardInterrupt, SystemExit):
                raise
            except BaseException as exc:  # KilledWorker (the worker died on it), a cancelled future...
                summary = _failed_summary(tasks[i], exc, "the worker failed on this issue: ")
            on_done(i, summary)
            f.release()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _base_summary(task: dict) -> dict:
    return {"issue": task["issue"], "source": task["entry"], "kind": task["kind"], "status": "failed",
            "pages": 0, "paragraphs": 0, "notes": 0, "corrections": 0, "problems": [], "n_problems": 0,
            "skipped_files": [], "title": None, "volume": None, "number": None, "year": None,
            "printed_pages": None, "outputs": [], "error": None, "error_type": None, "exit_code": None, "where": None,
            "seconds": None, "worker": None, "reissue_version": None}


def _failed_summary(task: dict, exc: BaseException, prefix: str = "") -> dict:
    s = _base_summary(task)
    s.update(_error_fields(exc))
    s["error"] = prefix + s["error"]
    return s


def _index_editions(db_path: str, dirs: list[str]) -> dict:
    """Add the built editions to a library, serially (SQLite has one writer)."""
    out = {"db": db_path, "indexed": [], "errors": [], "note": None, "via": None}
    if not dirs:
        out["note"] = "no edition was built; nothing to index"
        return out
    try:
        from . import index as ix
    except Exception as exc:
        out["note"] = f"indexing skipped: reissue.index cannot be imported ({_one_line(exc)})"
        return out
    fn = getattr(ix, "index_editions", None)
    if callable(fn):
        out["via"] = "reissue.index.index_editions"
        try:
            res = fn(db_path, dirs)
            out["indexed"] = list(res) if isinstance(res, (list, tuple)) else [str(res)] if res else list(dirs)
        except Exception as exc:
            out["errors"].append(_error_fields(exc)["error"])
        return out
    Library, load = getattr(ix, "Library", None), getattr(ix, "load_edition_file", None)
    if Library is None or load is None:
        out["note"] = "indexing skipped: reissue.index has no index_editions() (nor Library/load_edition_file)"
        return out
    out["via"] = "reissue.index.Library.add_editions"
    try:
        lib = Library(db_path)
    except Exception as exc:
        out["errors"].append(_error_fields(exc)["error"])
        return out
    try:
        for d in dirs:  # one transaction per edition: one bad edition does not undo the others
            try:
                ed, src = load(d)
                out["indexed"] += lib.add_editions([ed], [src])
            except Exception as exc:
                out["errors"].append(f"{os.path.basename(d)}: {_error_fields(exc)['error']}")
        if out["indexed"] and hasattr(lib, "optimize"):
            lib.optimize()
    finally:
        lib.close()
    return out


def _write_json(path: str, data: dict) -> None:
    tmp = path + ".tmp"
    if os.path.lexists(tmp):  # never write through a link planted under the temporary name
        os.unlink(tmp)
    with open(tmp, "x", encoding="utf-8") as fh:
        json.dump(data, fh, ensure_ascii=False, indent=1)
        fh.write("\n")
    os.replace(tmp, path)


def exit_code_for(summaries: list[dict]) -> int:
    built = sum(1 for s in summaries if s["status"] in ("ok", "problems"))
    if not built:
        return EXIT_NONE_BUILT
    return EXIT_OK if all(s["status"] == "ok" for s in summaries) else EXIT_SOME_PROBLEMS


def run_batch(collection: str, outroot: str, *, scheduler: str = "auto", workers: int | None = None,
              correct: bool = True, threshold: float | None = None, force: bool = False,
              index: str | None = None, progress: Progress | None = None,
              on_plan: Callable[[list[Issue]], None] | None = None) -> dict:
    """Build every issue of ``collection`` into ``outroot``; returns the report (also written as
    ``outroot/batch-report.json``). ``report["exit_code"]``: 0 all built cleanly, 3 some issues
    failed or had problems, 4 none built. Raises :class:`UsageError`/:class:`ModelError` before any
    work when the call cannot work.

    ``scheduler``: ``auto``, ``serial``, ``local`` or a Dask scheduler address. ``auto`` is ``local``
    when Dask is installed, there are 2+ issues and 2+ workers, and either ``workers`` was given or
    the collection holds at least :data:`AUTO_LOCAL_MIN_FILES` page files (a LocalCluster takes a few
    seconds to start); else ``serial``.
    ``progress(done, total, summary)`` is called in the driver after each issue.
    """
    t0 = time.perf_counter()
    started = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    scheduler = _check_scheduler(scheduler)
    if workers is not None and workers < 1:
        raise UsageError("--workers must be at least 1")
    collection_abs = os.path.abspath(collection)
    outroot_abs = os.path.abspath(outroot)
    reserved = {REPORT_NAME, REPORT_NAME + ".tmp"}
    index_abs = os.path.abspath(index) if index else None
    if index_abs and os.path.dirname(index_abs) == outroot_abs:
        base = os.path.basename(index_abs)
        reserved |= {base, base + "-wal", base + "-shm", base + "-journal"}
    found = discover_issues(collection_abs, exclude=[outroot_abs], reserved=reserved)
    if not found.issues:
        why = "; ".join(found.skipped[:3])
        raise NoPagesError(f"no issue found in {collection}" + (f" ({why})" if why else ""),
                           hint="an issue is a sub-folder of page files or a .zip archive of them")
    prepare_outdir(outroot_abs, force, what="the editions", create=False)
    if scheduler in ("auto", "serial", "local"):
        _check_model(correct)
    n_workers = workers or min(os.cpu_count() or 1, len(found.issues))
    auto = scheduler == "auto"
    if auto:
        big = workers is not None or sum(count_files(i) for i in found.issues) >= AUTO_LOCAL_MIN_FILES[bool(correct)]
        scheduler = "local" if (len(found.issues) > 1 and n_workers > 1 and big and have_dask()) else "serial"
    elif scheduler != "serial" and not have_dask():
        raise UsageError(f"--scheduler {scheduler} needs Dask, which is not installed",
                         hint="pip install 'reissue[dask]', or use --scheduler serial")
    os.makedirs(outroot_abs, exist_ok=True)
    out_real = os.path.realpath(outroot_abs)
    coll_real = os.path.realpath(collection_abs)

    tasks = []
    for iss in found.issues:
        outdir = os.path.join(outroot_abs, iss.name)
        tasks.append({"issue": iss.name, "source": iss.path, "entry": iss.entry, "kind": iss.kind,
                      "outdir": outdir, "correct": correct, "threshold": threshold, "force": force})
    if on_plan:
        on_plan(found.issues)

    summaries: list[dict | None] = [None] * len(tasks)
    runnable: list[int] = []
    for i, t in enumerate(tasks):
        od_real = os.path.join(out_real, t["issue"])  # safe_name: one plain component, no link followed
        src_real = os.path.realpath(t["source"])
        if _same_or_inside(coll_real, od_real) or _same_or_inside(src_real, od_real) or _same_or_inside(od_real, src_real):
            summaries[i] = _failed_summary(t, UsageError("the output folder would overwrite the input; refused",
                                                         path=t["issue"], hint="choose an -o outside the collection"))
        else:
            runnable.append(i)
    done = sum(1 for s in summaries if s is not None)

    def on_done(j: int, summary: dict) -> None:
        nonlocal done
        summaries[runnable[j]] = summary
        done += 1
        if progress:
            progress(done, len(tasks), summary)

    info: dict = {}
    notes: list[str] = []
    run_tasks = [tasks[i] for i in runnable]
    interrupted = False
    try:
        if scheduler != "serial":
            try:
                _run_dask(run_tasks, on_done, scheduler=scheduler, workers=n_workers, info=info)
            except ClusterStartError as exc:
                if not auto:
                    raise
                notes.append(f"{exc}; built serially instead")
                scheduler = "serial"
        if scheduler == "serial":
            _run_serial(run_tasks, on_done)
    except KeyboardInterrupt:
        interrupted = True
    for i, s in enumerate(summaries):
        if s is None:
            summaries[i] = _base_summary(tasks[i])
            summaries[i]["error"] = "not built: the batch was interrupted"
    build_seconds = time.perf_counter() - t0

    index_info = None
    if index_abs and not interrupted:
        built = [os.path.join(outroot_abs, s["issue"]) for s in summaries if s["status"] in ("ok", "problems")]
        index_info = _index_editions(index_abs, built)
        index_info["db"] = index
    code = exit_code_for(summaries)
    if code == EXIT_OK and index_info and index_info["errors"]:
        code = EXIT_SOME_PROBLEMS
    pages = sum(s["pages"] for s in summaries)
    report = {
        "format": REPORT_FORMAT,
        "generator": {"name": "reissue", "version": __version__},
        "started": started,
        "collection": collection,
        "outroot": outroot,
        "scheduler": scheduler,
        "workers": 1 if scheduler == "serial" else info.get("dask_workers", n_workers),
        "options": {"correct": correct, "threshold": threshold, "force": force},
        "seconds": round(time.perf_counter() - t0, 3),
        "build_seconds": round(build_seconds, 3),  # discovery, cluster start and every issue
        "startup_seconds": info.get("startup_seconds"),  # Dask: until the client was connected
        "totals": {
            "issues": len(summaries),
            "ok": sum(1 for s in summaries if s["status"] == "ok"),
            "problems": sum(1 for s in summaries if s["status"] == "problems"),
            "failed": sum(1 for s in summaries if s["status"] == "failed"),
            "pages": pages,
            "paragraphs": sum(s["paragraphs"] for s in summaries),
            "notes": sum(s["notes"] for s in summaries),
            "corrections": sum(s["corrections"] for s in summaries),
            "pages_per_second": round(pages / build_seconds, 2) if build_seconds > 0 else None,
        },
        "skipped": found.skipped,
        "notes": notes,
        "interrupted": interrupted,
        "index": index_info,
        # reissue versions the issues were built with (an existing scheduler's workers may differ)
        "worker_versions": sorted({s["reissue_version"] for s in summaries if s["reissue_version"]}),
        "exit_code": 130 if interrupted else code,
        "issues": summaries,
    }
    _write_json(os.path.join(outroot_abs, REPORT_NAME), report)
    return report


# ----------------------------------------------------------------------------------------------
# CLI


def _table(report: dict, console) -> None:
    """A plain fixed-width table (fits 80 columns; long titles and errors are cut with an ellipsis)."""
    from rich.markup import escape

    issues = report["issues"]
    rows = issues if len(issues) <= TABLE_ALL_ROWS else [s for s in issues if s["status"] != "ok"]
    cols = [("issue", None), ("status", None), ("pages", "pages"), ("paras", "paragraphs"), ("notes", "notes"),
            ("corr", "corrections"), ("secs", "seconds")]
    cells = []
    for s in rows:
        what = s["error"] if s["status"] == "failed" else ", ".join(
            str(x) for x in (s["title"], s["volume"] is not None and f"vol. {s['volume']}",
                             s["number"] is not None and f"no. {s['number']}", s["year"]) if x)
        if s["status"] == "problems":
            what = f"{s['n_problems']} problem(s); {what}"
        secs = f"{s['seconds']:.1f}" if isinstance(s["seconds"], (int, float)) else "-"
        cells.append([s["issue"], s["status"], str(s["pages"]), str(s["paragraphs"]), str(s["notes"]),
                      str(s["corrections"]), secs, what or ""])
    widths = [max([len(h)] + [len(c[i]) for c in cells]) for i, (h, _k) in enumerate(cols)]
    widths[0] = min(widths[0], 30)
    rest = max(20, (console.width or 80) - sum(widths) - 2 * len(widths))

    def cut(text: str, w: int) -> str:
        return text if len(text) <= w else text[: w - 1] + "\u2026"

    def line(values: list[str]) -> str:
        parts = [cut(values[0], widths[0]).ljust(widths[0]), values[1].ljust(widths[1])]
        parts += [v.rjust(w) for v, w in zip(values[2:7], widths[2:7])]
        return "  ".join(parts + [cut(values[7], rest)]).rstrip()

    style = {"ok": "green", "problems": "yellow", "failed": "red"}
    if rows:
        console.print(line([h for h, _k in cols] + ["title / error"]), style="bold", highlight=False)
        for c in cells:
            console.print(escape(line(c)), style=style[c[1]], highlight=False)
    tot = report["totals"]
    if len(rows) < len(issues):
        console.print(f"({len(issues) - len(rows)} issues built cleanly are not listed; see {REPORT_NAME})")
    console.print(f"{tot['issues']} issues: {tot['ok']} ok, {tot['problems']} with problems, {tot['failed']} failed; "
                  f"{tot['pages']} pages, {tot['paragraphs']} paragraphs, {tot['notes']} notes, "
                  f"{tot['corrections']} corrections in {report['build_seconds']:.2f}s "
                  f"({report['scheduler']}, {report['workers']} worker{'s' if report['workers'] != 1 else ''})",
                  highlight=False)


@click.command(name="batch")
@click.argument("collection", type=click.Path(file_okay=False))
@click.option("-o", "--output", "outroot", required=True, type=click.Path(file_okay=False),
              help="Folder for one edition folder per issue and batch-report.json (must be empty unless --force).")
@click.option("--workers", type=click.IntRange(min=1), default=None,
              help="Worker processes for --scheduler local (default: CPU count, at most one per issue).")
@click.option("--scheduler", default="auto", show_default=True,
              help="serial, local (a Dask LocalCluster), or the address of a running Dask scheduler "
                   "(tcp://host:8786). auto: local when Dask is installed and the collection is large "
                   "(250+ page files, 1000+ with --no-correct) or --workers is given; else serial.")
@click.option("--no-correct", is_flag=True, help="Skip OCR error correction.")
@click.option("--threshold", type=float, default=None, help="Correction confidence threshold.")
@click.option("--force", is_flag=True, help="Write into a non-empty OUTROOT, overwriting edition files.")
@click.option("--index", "index_db", type=click.Path(dir_okay=False), default=None,
              help="Add the built editions to this SQLite library afterwards (as `reissue index`).")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar or table (problems are still listed).")
def batch_command(collection, outroot, workers, scheduler, no_correct, threshold, force, index_db, quiet):
    """Build every issue of a COLLECTION, in parallel.

    COLLECTION: a folder whose sub-folders (each holding the page files of one issue) and .zip
    archives are issues, taken in natural name order. Each is built as `reissue build` would, into
    OUTROOT/<issue name>/; OUTROOT/batch-report.json lists every issue with its counts, problems
    and errors. One broken issue does not stop the others.

    Output folder names are made safe (letters, digits, _ . - only; made unique); nothing is
    written outside OUTROOT. With a Dask scheduler address, the workers must have reissue installed
    and see COLLECTION and OUTROOT under the same paths.

    Exit codes: 0 every issue built cleanly; 1 a Dask LocalCluster could not start (asked for with
    --scheduler local); 2 usage error (e.g. non-empty OUTROOT, unreachable scheduler); 3 some issues
    failed or had input problems (or indexing failed); 4 no issue could be built; 6 correction
    model missing; 130 interrupted.
    """
    from rich.console import Console

    err = Console(stderr=True, highlight=False)
    out = Console(highlight=False)
    bar = None
    task = None

    def on_plan(issues):
        nonlocal bar, task
        if quiet or not err.is_terminal:
            return
        from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn,
                                   TimeRemainingColumn)

        bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                       TimeElapsedColumn(), TimeRemainingColumn(), console=err, transient=True)
        bar.start()
        task = bar.add_task("building issues", total=len(issues))

    def progress(done, total, s):
        if bar is not None:
            bar.update(task, completed=done, description=f"built {s['issue'][:30]}")

    try:
        try:
            report = run_batch(collection, outroot, scheduler=scheduler, workers=workers, correct=not no_correct,
                               threshold=threshold, force=force, index=index_db, progress=progress,
                               on_plan=on_plan)
        finally:
            if bar is not None:
                bar.stop()
    except ReissueError as exc:
        click.echo(f"reissue: error: {exc}", err=True)
        sys.exit(exc.exit_code)
    for note in report["skipped"]:
        click.echo(f"reissue: not an issue: {note}", err=True)
    for note in report["notes"]:
        click.echo(f"reissue: note: {note}", err=True)
    for s in report["issues"]:
        if s["status"] == "failed":
            click.echo(f"reissue: {s['issue']}: failed: {s['error']}", err=True)
        elif s["n_problems"]:
            more = f" (+{s['n_problems'] - 1} more in {REPORT_NAME})" if s["n_problems"] > 1 else ""
            click.echo(f"reissue: {s['issue']}: skipped: {s['problems'][0]}{more}", err=True)
    others = [v for v in report["worker_versions"] if v != __version__]
    if others:
        click.echo(f"reissue: warning: some issues were built by reissue {', '.join(others)} on the workers; "
                   f"this is reissue {__version__}", err=True)
    ix = report["index"]
    if ix:
        if ix["note"]:
            click.echo(f"reissue: {ix['note']}", err=True)
        for e in ix["errors"]:
            click.echo(f"reissue: index: {e}", err=True)
        if ix["indexed"]:
            click.echo(f"indexed {len(ix['indexed'])} edition(s) into {ix['db']}", err=True)
    if not quiet:
        _table(report, out)
        click.echo(f"wrote {os.path.join(outroot, REPORT_NAME)}", err=True)
    sys.exit(report["exit_code"])
