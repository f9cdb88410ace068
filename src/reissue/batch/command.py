"""The `reissue batch` command."""

from __future__ import annotations

import os
import sys

import click

from .. import __version__
from ..errors import ReissueError
from .core import run_batch
from .manifest import MANIFEST_NAME
from .reporting import REPORT_NAME, print_table


@click.command(name="batch")
@click.argument("collection")
@click.option("-o", "--output", "outroot", required=True,
              help="Folder (or fsspec URL) for one edition folder per issue, batch-report.json and "
                   f"{MANIFEST_NAME}. Must be empty, unless it holds a manifest (the batch is resumed) "
                   "or --force is given.")
@click.option("--workers", type=click.IntRange(min=1), default=None,
              help="Worker processes for --scheduler local/processes (default: CPU count, at most one per issue).")
@click.option("--scheduler", default="auto", show_default=True,
              help="serial, processes (a pool of plain processes), local (a Dask LocalCluster), or the "
                   "address of a running Dask scheduler (tcp://host:8786). auto: local when Dask is "
                   "installed and the collection is large (250+ page files, 1000+ with --no-correct) "
                   "or --workers is given; else serial.")
@click.option("--no-correct", is_flag=True, help="Skip OCR error correction.")
@click.option("--threshold", type=float, default=None, help="Correction confidence threshold.")
@click.option("--force", is_flag=True,
              help="Write into a non-empty OUTROOT and rebuild every issue, even those the manifest lists as finished.")
@click.option("--index", "index_db", type=click.Path(dir_okay=False), default=None,
              help="Add the built editions to this SQLite library afterwards (as `reissue index`).")
@click.option("--lang", "lang_opt", default="auto", show_default=True, metavar="auto|none|CODES",
              help="Language of each paragraph and note, as for `reissue build`: auto (identified), none, "
                   "or ISO 639-1 codes (en,fr,...: the collection's languages).")
@click.option("--follow-symlinks", is_flag=True,
              help="Read symbolic links in the collection folder and in issue folders (refused by default).")
@click.option("--normalize", type=click.Choice(["none", "ligatures", "historical"]), default="ligatures",
              show_default=True, help="Characters of the print in the reading text, as for `reissue build`.")
@click.option("--mets-use", default=None,
              help="File group (USE) of each issue's METS file to read the pages from, as for `reissue build`.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar or table (problems are still listed).")
def batch_command(collection, outroot, workers, scheduler, no_correct, threshold, force, index_db, lang_opt,
                  follow_symlinks, normalize, mets_use, quiet):
    """Build every issue of a COLLECTION, in parallel, resumably.

    COLLECTION: a folder whose sub-folders (each holding the page files of one issue) and .zip
    archives are issues, taken in natural name order. Each is built as `reissue build` would, into
    OUTROOT/<issue name>/; OUTROOT/batch-report.json lists every issue with its counts, problems
    and errors. One broken issue does not stop the others.

    COLLECTION and OUTROOT may be fsspec URLs (memory://, s3://bucket/x, ...): workers then copy
    each issue from the store and upload its edition, so they need no shared disk.

    OUTROOT/batch-manifest.jsonl records each finished issue (input digest, reissue version, model,
    options). Run the same command again after a crash or kill: finished, unchanged issues are
    kept, the rest are built. --force rebuilds everything.

    An OUTROOT equal to, or inside, COLLECTION is refused; symbolic links in COLLECTION and in the
    issue folders are refused unless --follow-symlinks is given (as `reissue build` does).

    Output folder names are made safe (letters, digits, _ . - only; made unique); nothing is
    written outside OUTROOT; an edition folder appears whole or not at all. With a Dask scheduler
    address, the workers must have reissue installed and see COLLECTION and OUTROOT (the same paths,
    or URLs of a store they can reach).

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
        from ..lang import parse_lang_option

        lang = parse_lang_option(lang_opt)
        try:
            report = run_batch(collection, outroot, scheduler=scheduler, workers=workers, correct=not no_correct,
                               threshold=threshold, force=force, index=index_db, progress=progress,
                               on_plan=on_plan, lang=lang, follow_symlinks=follow_symlinks, normalize=normalize,
                               mets_use=mets_use)
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
    if report["resumed"]:
        click.echo(f"reissue: {report['resumed']} issue(s) finished by an earlier run and unchanged were kept "
                   f"(see {MANIFEST_NAME}; --force rebuilds them)", err=True)
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
        print_table(report, out)
        sep = "/" if "://" in outroot else os.sep
        click.echo(f"wrote {outroot.rstrip('/' + os.sep)}{sep}{REPORT_NAME}", err=True)
    sys.exit(report["exit_code"])
