"""Review decisions: how they show in the reader and how `reissue export` applies them.

A decision is a row of the library's ``decisions`` table:

* on a correction (an edit of stage ``correct`` whose ``after`` is a piece of a paragraph or
  footnote): ``accept`` (keep it, nothing changes in the text), ``reject`` (the OCR's ``before``
  comes back) or ``rewrite`` (the reviewer's ``text`` replaces it); ``expect`` holds
  ``before + "\\x00" + after`` of the edit when the decision was made;
* a manual correction of any word: ``item`` (paragraph/footnote id), ``start``/``end`` (offsets in
  the indexed clean text), ``text`` (the replacement) and ``expect`` (the text it replaced).

A decision is *stale* when re-indexing changed what it was made on (another edition build): it is
kept, shown in the reader as stale, and never applied.

Export applies decisions on the Document with ``TrackedText.replace(stage="review", rule="reject" |
"rewrite" | "manual", note="<reviewer> <time>")``, right to left within each text, so the edition
keeps its promise that the raw OCR can be rebuilt from the exported files.
"""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

import click

from .decisions import (ACTIONS, REVIEWABLE_STAGES, _apply_manual, decision_status, edit_expect,  # noqa: F401
                        is_stale, overlay)
from .edition import apply_decisions  # noqa: F401  (the edition format owns it)
from .errors import EditionError, ReissueError, UsageError

REVIEW_FILE = "review-decisions.json"  # written by `reissue export` next to the edition files


def _write_edition(doc, outdir: str, force: bool, also=None) -> list[str]:
    try:
        from .export import write_edition  # the lead's writer (all formats)
    except ImportError:
        write_edition = None
    if write_edition is not None:
        return write_edition(doc, outdir, force=force, also=also)
    # fallback: edition.json and edition.html only
    from .edition import document_to_dict
    from .web.static import render_edition_html

    out = Path(outdir)
    if out.exists() and any(out.iterdir()) and not force:
        raise UsageError("output folder is not empty", path=outdir, hint="use --force to overwrite")
    out.mkdir(parents=True, exist_ok=True)
    d = document_to_dict(doc)
    (out / "edition.json").write_text(json.dumps(d, ensure_ascii=False, indent=1), encoding="utf-8")
    (out / "edition.html").write_text(render_edition_html(d), encoding="utf-8")
    return [str(out / "edition.json"), str(out / "edition.html")]


def export_edition(db_path: str, eid: str, outdir: str, *, force: bool = False, sources: list[str] | None = None,
                   mets_use: str | None = None) -> tuple[list[str], int, list[str]]:
    """Write an edition again with its decisions applied; with ``sources`` (the input of its build)
    also the corrected ALTO/PAGE, as `reissue build` writes them (:mod:`reissue.ingest.writeback`)."""
    from .index import Library
    from .edition import document_from_dict

    if not os.path.exists(db_path):
        raise UsageError("no such library", path=db_path, hint="create it with `reissue index`")
    lib = Library(db_path, readonly=True)
    try:
        ed = lib.edition_json(eid)
        if ed is None:
            known = ", ".join(e["id"] for e in lib.editions()[:10]) or "none"
            raise UsageError(f"no edition {eid!r} in the library", path=db_path, hint=f"known: {known}")
        decisions = lib.decisions(eid)
        try:
            from .accounts import history

            log = history(lib, eid, limit=1_000_000)[::-1]
        except sqlite3.OperationalError:  # a library made before the history was kept
            log = []
    finally:
        lib.close()
    doc = document_from_dict(ed)
    applied, problems = apply_decisions(doc, decisions)
    also = None
    if sources:
        from .ingest.writeback import attach_sources, generator_for, writer_into

        problems += attach_sources(doc, sources, mets_use)
        stages = ed.get("generator", {}).get("stages", [])
        also = writer_into(doc, generator_for("as in edition.json" if "correct" in stages else None), problems)
    files = _write_edition(doc, outdir, force, also)
    if decisions or log:  # every decision, accepts included, credited (name, time), and their history
        from .export import _write

        keys = ("edit", "item", "start", "end", "action", "text", "expect", "reviewer", "at")
        files.append(_write(outdir, REVIEW_FILE, {
            "format": "reissue-review/1", "edition": eid,
            "decisions": [{k: d.get(k) for k in keys} for d in decisions],
            "history": [{k: d.get(k) for k in keys + ("moderator",)} for d in log]}))
    return files, applied, problems


@click.command("export")
@click.argument("library", type=click.Path(dir_okay=False))
@click.argument("edition_id")
@click.option("-o", "--output", "--out", "outdir", required=True, type=click.Path(file_okay=False),
              help="Folder to write the edition files into.")
@click.option("--force", is_flag=True, help="Overwrite a non-empty output folder.")
@click.option("--sources", multiple=True, metavar="PATH",
              help="The input the edition was built from (folder, files, .zip or METS, as given to `reissue "
                   "build`; repeatable): corrected ALTO v4 (OUTDIR/alto/) and PAGE 2019 (OUTDIR/page/) are "
                   "written for its ALTO/PAGE/hOCR pages, with the review decisions applied, as build writes them.")
@click.option("--mets-use", default=None, help="File group (USE) of a METS file among --sources, as given to build.")
def export_command(library, edition_id, outdir, force, sources, mets_use):
    """Write EDITION_ID from LIBRARY again, with the review decisions applied."""
    try:
        files, applied, problems = export_edition(library, edition_id, outdir, force=force, sources=list(sources),
                                                  mets_use=mets_use)
    except (ReissueError, EditionError) as exc:
        click.echo(f"reissue: error: {exc}", err=True)
        raise SystemExit(exc.exit_code)
    for p in problems:
        click.echo(f"warning: {p}", err=True)
    click.echo(f"{applied} review decision(s) applied; wrote {len(files)} file(s) to {outdir}")
