"""The batch report (``batch-report.json``), exit codes, the table, and indexing the built editions."""

from __future__ import annotations

import json
import os
import tempfile

from . import storage
from .worker import error_fields, one_line

REPORT_NAME = "batch-report.json"
REPORT_FORMAT = "reissue-batch/1"
TABLE_ALL_ROWS = 50  # larger collections: the table lists only the issues with problems

EXIT_OK = 0
EXIT_SOME_PROBLEMS = 3
EXIT_NONE_BUILT = 4


def exit_code_for(summaries: list[dict]) -> int:
    built = sum(1 for s in summaries if s["status"] in ("ok", "problems"))
    if not built:
        return EXIT_NONE_BUILT
    return EXIT_OK if all(s["status"] == "ok" for s in summaries) else EXIT_SOME_PROBLEMS


def totals(summaries: list[dict], built_pages: int, build_seconds: float) -> dict:
    return {
        "issues": len(summaries),
        "ok": sum(1 for s in summaries if s["status"] == "ok"),
        "problems": sum(1 for s in summaries if s["status"] == "problems"),
        "failed": sum(1 for s in summaries if s["status"] == "failed"),
        "pages": sum(s["pages"] for s in summaries),
        "paragraphs": sum(s["paragraphs"] for s in summaries),
        "notes": sum(s["notes"] for s in summaries),
        "corrections": sum(s["corrections"] for s in summaries),
        # pages built by this run (issues finished by an earlier run are not counted)
        "pages_per_second": round(built_pages / build_seconds, 2) if build_seconds > 0 else None,
    }


def _joined(chunks, tail: str, size: int = 1 << 16):
    """``chunks`` then ``tail``, gathered into pieces of about ``size`` characters."""
    buf: list[str] = []
    n = 0
    for c in chunks:
        buf.append(c)
        n += len(c)
        if n >= size:
            yield "".join(buf)
            buf, n = [], 0
    buf.append(tail)
    yield "".join(buf)


def write_report(outroot: str, report: dict) -> None:
    fs, root = storage.resolve(outroot)
    # written as it is encoded (json.dumps' bytes): the report lists every issue of the collection
    enc = json.JSONEncoder(ensure_ascii=False, indent=1)
    storage.write_chunks(fs, storage.join(fs, root, REPORT_NAME),
                         (c.encode("utf-8") for c in _joined(enc.iterencode(report), "\n")))


def index_editions(db_path: str, outroot: str, names: list[str]) -> dict:
    """Add the built editions to a library, serially (SQLite has one writer), one transaction each.
    Editions on an fsspec store are fetched one at a time into a temporary folder."""
    out = {"db": db_path, "indexed": [], "errors": [], "note": None, "via": None}
    if not names:
        out["note"] = "no edition was built; nothing to index"
        return out
    try:
        from .. import index as ix
    except Exception as exc:
        out["note"] = f"indexing skipped: reissue.index cannot be imported ({one_line(exc)})"
        return out
    fs, root = storage.resolve(outroot)
    fn = getattr(ix, "index_editions", None)
    if callable(fn) and fs is None:
        dirs = [os.path.join(root, n) for n in names]
        out["via"] = "reissue.index.index_editions"
        try:
            res = fn(db_path, dirs)
            out["indexed"] = list(res) if isinstance(res, (list, tuple)) else [str(res)] if res else list(dirs)
        except Exception as exc:
            out["errors"].append(error_fields(exc)["error"])
        return out
    Library, load = getattr(ix, "Library", None), getattr(ix, "load_edition_file", None)
    if Library is None or load is None:
        out["note"] = "indexing skipped: reissue.index has no index_editions() (nor Library/load_edition_file)"
        return out
    out["via"] = "reissue.index.Library.add_editions"
    try:
        lib = Library(db_path)
    except Exception as exc:
        out["errors"].append(error_fields(exc)["error"])
        return out
    try:
        for n in names:  # one transaction per edition: one bad edition does not undo the others
            try:
                if fs is None:
                    ed, src = load(os.path.join(root, n))
                else:
                    with tempfile.TemporaryDirectory(prefix="reissue-index-") as tmp:
                        local = os.path.join(tmp, "edition.json")
                        fs.get_file(storage.join(fs, storage.join(fs, root, n), "edition.json"), local)
                        ed, _src = load(local)
                    src = storage.url_of(fs, storage.join(fs, storage.join(fs, root, n), "edition.json"))
                out["indexed"] += lib.add_editions([ed], [src])
            except Exception as exc:
                out["errors"].append(f"{n}: {error_fields(exc)['error']}")
        if out["indexed"] and hasattr(lib, "optimize"):
            lib.optimize()
    finally:
        lib.close()
    return out


def print_table(report: dict, console) -> None:
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
    resumed = f"; {report['resumed']} finished earlier, not rebuilt" if report.get("resumed") else ""
    console.print(f"{tot['issues']} issues: {tot['ok']} ok, {tot['problems']} with problems, {tot['failed']} failed; "
                  f"{tot['pages']} pages, {tot['paragraphs']} paragraphs, {tot['notes']} notes, "
                  f"{tot['corrections']} corrections in {report['build_seconds']:.2f}s "
                  f"({report['scheduler']}, {report['workers']} worker{'s' if report['workers'] != 1 else ''}){resumed}",
                  highlight=False)
