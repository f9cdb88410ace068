"""One issue, built in a worker process: :func:`build_issue` takes a small dict of paths and
options and returns a small JSON-able summary. Documents never travel between processes."""

from __future__ import annotations

import os
import socket
import sys
import time
import traceback

from .. import __version__
from ..errors import ReissueError, UsageError
from . import storage

MAX_PROBLEMS = 50  # per issue in the summary (the edition.json of the issue keeps them all)


def one_line(text) -> str:
    return " ".join(str(text).split())


def _relocate(text: str, abspath: str, display: str) -> str:
    """Messages and page sources name the issue by its entry name, not by where it lies."""
    return text.replace(abspath, display) if abspath in text else text


def base_summary(task: dict) -> dict:
    return {"issue": task["issue"], "source": task["entry"], "kind": task["kind"], "status": "failed",
            "pages": 0, "paragraphs": 0, "notes": 0, "corrections": 0, "problems": [], "n_problems": 0,
            "skipped_files": [], "title": None, "volume": None, "number": None, "year": None,
            "printed_pages": None, "outputs": [], "error": None, "error_type": None, "exit_code": None, "where": None,
            "seconds": None, "worker": None, "reissue_version": None}


# summary fields whose values repeat from issue to issue (the driver keeps one copy of each)
REPEATED = frozenset({"status", "kind", "worker", "reissue_version", "error_type", "title"})


def shared_summary(s: dict) -> dict:
    """The summary as the driver keeps it, for the report, for every issue of the collection: a
    summary that came from a worker process was unpickled with its own copy of every key (and of
    values such as ``"ok"`` or the worker's name), about 2 KB per issue; here they are shared."""
    out = {}
    for k, v in s.items():
        if isinstance(k, str):
            k = sys.intern(k)
            if k in REPEATED and isinstance(v, str) and len(v) <= 200:
                v = sys.intern(v)
        out[k] = v
    return out


def error_fields(exc: BaseException, source: str | None = None, entry: str | None = None) -> dict:
    msg = one_line(exc) or type(exc).__name__
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


def failed_summary(task: dict, exc: BaseException, prefix: str = "") -> dict:
    s = base_summary(task)
    s.update(error_fields(exc))
    s["error"] = prefix + s["error"]
    return s


def build_issue(task: dict) -> dict:
    """Build one issue and publish its edition folder; returns a small JSON-able summary. Never raises.

    ``task``: ``{"issue", "source", "entry", "kind", "outroot", "correct", "threshold"}`` and
    optionally ``"lang"`` ("auto", "none" or a list of ISO 639-1 codes), ``"follow_symlinks"``,
    ``"normalize"`` and ``"mets_use"`` (as for ``reissue build``): ``source``
    and ``outroot`` are absolute local paths or fsspec URLs (as made by ``run_batch``). The edition
    is written into a fresh staging folder and then renamed (uploaded) into ``OUTROOT/<issue>``, so
    that folder holds a whole edition or none.
    """
    t0 = time.perf_counter()
    s = base_summary(task)
    s.update({"worker": f"{socket.gethostname()}:{os.getpid()}", "reissue_version": __version__})
    source, entry, outroot, name = task["source"], task["entry"], task["outroot"], task["issue"]
    fetched = staging = None
    local = source
    try:
        from ..pipeline import BuildOptions, build_edition

        out_fs, out_root = storage.resolve(outroot)
        if out_fs is None and os.path.islink(os.path.join(out_root, name)):
            raise UsageError("output folder is a symbolic link; refused", path=name,
                             hint="remove the link from OUTROOT")
        if storage.is_url(source) and storage.resolve(source)[0] is not None:
            fetched = storage.Staging(storage.FETCH_PREFIX)
            local = storage.fetch_issue(source, task["kind"], fetched.path)
        if out_fs is None:  # write_edition writes a temporary folder beside it and renames it in
            target = os.path.join(out_root, name)
        else:  # written here first, then uploaded
            staging = storage.Staging(storage.STAGING_PREFIX)  # a kill leaves it: the next run sweeps it
            target = os.path.join(staging.path, name)

        def relocate(doc):
            for p in doc.pages:
                p.source = _relocate(p.source, local, entry)
            doc.problems = [_relocate(p, local, entry) for p in doc.problems]

        # the one build path of `reissue build` (corrected ALTO/PAGE included); the edition records
        # skipped non-page files first
        lang = task.get("lang") or "auto"
        options = BuildOptions(correct=task["correct"], threshold=task["threshold"],
                               lang=lang if isinstance(lang, str) else tuple(lang),
                               follow_symlinks=bool(task.get("follow_symlinks")),
                               normalize=task.get("normalize") or "ligatures", mets_use=task.get("mets_use"))
        report = build_edition([local], target, options, on_loaded=relocate, notes_in_edition=True)
        doc, n_notes, c = report.doc, len(report.notes), report.counts()
        doc.problems = [_relocate(p, local, entry) for p in doc.problems]  # those of the write-back too
        real = doc.problems[n_notes:]
        s.update({k: c[k] for k in ("pages", "paragraphs", "notes", "corrections", "title", "volume", "number",
                                    "year", "printed_pages")})
        s.update({
            "status": "problems" if real else "ok",
            "problems": real[:MAX_PROBLEMS], "n_problems": len(real), "skipped_files": doc.problems[:n_notes],
            "outputs": [f"{name}/" + os.path.relpath(w, target).replace(os.sep, "/") for w in report.written],
        })
        del report
        del doc
        if staging:
            storage.publish(target, outroot, name)
    except Exception as exc:  # one broken issue never stops the batch
        s = base_summary(task) | {"worker": s["worker"], "reissue_version": s["reissue_version"]}
        s.update(error_fields(exc, local if fetched else source, entry))
    finally:
        for tmp in (staging, fetched):
            if tmp is not None:
                tmp.remove()
    s["seconds"] = round(time.perf_counter() - t0, 4)
    return s
