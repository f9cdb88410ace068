"""The build pipeline and the `reissue build` command.

ingest -> furniture -> notes -> reflow -> normalize -> lang -> correct -> articles -> link notes ->
export. Each stage is a plain function from Document to Document that records its changes as edits
and declares what it requires and assigns (reissue.contracts): :func:`process` checks the whole plan
before it runs a stage, and a stage never runs twice on one Document.
"""

from __future__ import annotations

import os
import sys
import time
from collections import Counter
from dataclasses import dataclass

import click

from .articles import detect_articles
from .contracts import check_plan
from .errors import ReissueError, UsageError
from .furniture import detect_furniture
from .ingest import load_inputs
from .model import Document
from .normalize import normalize_document
from .notes import detect_notes, link_notes
from .reflow import reflow
from . import wordfreqs

TRIVIAL_RULES = {"line-join", "page-join", "whitespace", "blank-line", "paragraph-break", "note-end"}


def stage_plan(correct: bool = True) -> list[str]:
    """The stages :func:`process` runs, in order (each declared with its contract: reissue.contracts).
    The modules of the stages imported lazily are imported here, so their contracts are registered."""
    from . import lang  # noqa: F401

    if correct:
        from . import correct as _correct  # noqa: F401
    return ["furniture", "notes", "reflow", "normalize", "lang"] + (["correct"] if correct else []) \
        + ["articles", "link-notes"]


def process(doc: Document, *, correct: bool = True, threshold: float | None = None, model=None,
            normalize: str = "ligatures", lang: str | tuple = "auto") -> Document:
    """Run every stage after ingest on a loaded Document. ``lang``: "auto" (identify each paragraph
    and note), "none" (no identification: nothing is corrected) or a tuple of ISO 639-1 codes."""
    from .lang import identify_languages

    check_plan(stage_plan(correct), doc.stages)  # the whole plan, before any stage runs
    detect_furniture(doc)
    detect_notes(doc)
    word_lists = None
    if correct and lang != "none":  # reflow's word lists from the correction models, not a second time from wordfreq
        from .correct.stage import word_lists as _word_lists

        word_lists = _word_lists(model)
    with wordfreqs.source(word_lists):
        reflow(doc, lang)
    normalize_document(doc, normalize)
    identify_languages(doc, lang)
    if correct:
        from .correct import correct_document

        correct_document(doc, threshold=threshold, model=model, lang=lang)
    detect_articles(doc)
    link_notes(doc)
    doc.compact()  # the stages have run: drop the lines' own texts and the edit index they used
    return doc


def build_document(inputs: list[str], *, correct: bool = True, threshold: float | None = None,
                   progress=None, model=None, normalize: str = "ligatures", lang: str | tuple = "auto") -> Document:
    """Load page dumps and build the edition Document (nothing is written)."""
    if lang == "auto" or (isinstance(lang, tuple) and len(lang) > 1):
        from .lang import preload

        preload()  # the identifier's model loads while the pages are read
    doc = load_inputs(inputs, progress=progress)
    return process(doc, correct=correct, threshold=threshold, model=model, normalize=normalize, lang=lang)


NORMALIZE_MODES = ("none", "ligatures", "historical")


@dataclass(frozen=True)
class BuildOptions:
    """What a build is asked to do; validated when made (frozen: the same for every issue of a batch)."""

    correct: bool = True
    threshold: float | None = None
    model: str | None = None  # a correction model file; None: the shipped model of each language
    normalize: str = "ligatures"
    lang: str | tuple = "auto"
    mets_use: str | None = None
    follow_symlinks: bool = False
    write_back: bool = True  # corrected ALTO/PAGE next to the edition for such input

    def __post_init__(self):
        if self.normalize not in NORMALIZE_MODES:
            raise UsageError(f"--normalize {self.normalize!r} is not one of {', '.join(NORMALIZE_MODES)}")
        if self.threshold is not None and not 0.0 <= self.threshold <= 1.0:
            raise UsageError(f"--threshold {self.threshold} is outside 0..1")


@dataclass
class BuildReport:
    """What one build did: the Document, the files written, the input notes and the time taken."""

    doc: Document
    outdir: str
    written: list[str]
    notes: list[str]  # input files skipped as not pages, one line each
    seconds: float

    def counts(self) -> dict:
        doc = self.doc
        md = doc.metadata
        nums = [p.number for p in doc.pages if p.number is not None]
        return {"pages": len(doc.pages), "paragraphs": len(doc.paragraphs), "notes": len(doc.footnotes),
                "furniture": sum(len(p.furniture) for p in doc.pages),
                "corrections": sum(1 for e in doc.edits if e.stage == "correct" and e.superseded_by is None),
                "title": md.title, "volume": md.volume, "number": md.number, "year": md.year,
                "page_count": md.page_count, "printed_pages": [min(nums), max(nums)] if nums else None}


def build_edition(inputs: list[str], outdir: str, options: BuildOptions = BuildOptions(), *, progress=None,
                  on_loaded=None, notes_in_edition: bool = False) -> BuildReport:
    """The one build path of `reissue build` and `reissue batch`: load the pages, run every stage,
    write the edition (checked: it rebuilds its raw text) with, for ALTO/PAGE/hOCR input, the
    corrected ALTO/PAGE files in the same folder. ``on_loaded(doc)`` runs after loading, before the stages; ``notes_in_edition`` records the
    input notes (skipped non-page files) first in the edition's problems. Raises ReissueError."""
    from .export import write_edition

    t0 = time.perf_counter()
    lang = options.lang
    if lang == "auto" or (isinstance(lang, tuple) and len(lang) > 1):
        from .lang import preload

        preload()  # the identifier's model loads while the pages are read
    notes: list[str] = []
    doc = load_inputs(list(inputs), progress=progress, notes=notes, follow_symlinks=options.follow_symlinks,
                      mets_use=options.mets_use)
    if notes_in_edition:
        doc.problems[:0] = notes
    if on_loaded is not None:
        on_loaded(doc)
    process(doc, correct=options.correct, threshold=options.threshold, model=options.model,
            normalize=options.normalize, lang=lang)
    also, back_problems = None, []
    if options.write_back:  # corrected ALTO/PAGE, written into the edition's folder before it appears
        from .ingest.writeback import generator_for, writer_into

        also = writer_into(doc, generator_for((options.model or "default") if options.correct else None),
                           back_problems)
    written = write_edition(doc, outdir, force=True, also=also)
    doc.problems.extend(back_problems)
    return BuildReport(doc, outdir, written, notes, time.perf_counter() - t0)


def check_output_outside_inputs(outdir: str, inputs: list[str]) -> None:
    """Refuse an output folder equal to, or inside, an input folder (the next build would read
    the edition files as pages)."""
    import os

    from .errors import UsageError

    out = os.path.realpath(outdir)
    for arg in inputs:
        if arg == "-" or not os.path.isdir(arg):
            continue
        src = os.path.realpath(arg)
        if out == src or out.startswith(src.rstrip(os.sep) + os.sep):
            raise UsageError("output folder is " + ("the input folder" if out == src else "inside the input folder")
                             + f" {arg}", path=outdir,
                             hint="choose an -o outside the folders of pages")


def explain_lines(doc: Document, include_trivial: bool = False) -> list[str]:
    from .correct.stage import explain_skipped

    out = explain_skipped(doc)
    counts: Counter = Counter()
    for e in doc.edits:
        if e.rule in TRIVIAL_RULES and not include_trivial:
            counts[e.rule] += 1
            continue
        page = doc.pages[e.page]
        label = f"p.{page.number}" if page.number is not None else f"page#{e.page}"
        sup = f" (superseded by #{e.superseded_by})" if e.superseded_by is not None else ""
        out.append(f"#{e.id:<5} {e.stage:<9} {e.rule:<16} {label:<8} {e.start}-{e.end} "
                   f"{e.before!r} -> {e.after!r} conf={e.confidence:.2f}{sup}  {e.note}")
    if counts:
        out.append("also: " + ", ".join(f"{n} {r}" for r, n in sorted(counts.items()))
                   + " (use --explain-all to list them)")
    return out


@click.command(name="build")
@click.argument("inputs", nargs=-1, required=True)
@click.option("-o", "--output", "outdir", required=True, type=click.Path(file_okay=False),
              help="Folder for edition.json/.txt/.md/.tei.xml/.html (must be empty unless --force).")
@click.option("--force", is_flag=True, help="Overwrite edition files in a non-empty output folder.")
@click.option("--no-correct", is_flag=True, help="Skip OCR error correction.")
@click.option("--threshold", type=click.FloatRange(0.0, 1.0), default=None, help="Correction confidence threshold (higher = bolder is lower).")
@click.option("--model", "model_path", type=click.Path(dir_okay=False), default=None,
              help="Correction model from `reissue train` (default: the shipped English model).")
@click.option("--normalize", type=click.Choice(["none", "ligatures", "historical"]), default="ligatures",
              show_default=True, help="Reading text: ligatures as letters (ﬁ -> fi); historical also ſ -> s, aͤ -> ä. "
              "The raw text keeps them; each change is a recorded edit.")
@click.option("--mets-use", default=None, help="File group (USE) of a METS file to read the pages from "
              "(default: the first holding page text).")
@click.option("--lang", "lang_opt", default="auto", show_default=True, metavar="auto|none|CODES",
              help="Language of each paragraph and note: auto (identified), none, or ISO 639-1 codes "
                   "(en,fr,...: the issue's languages). A text is corrected only by a model of its own "
                   "language, identified with confidence; others are left as printed.")
@click.option("--explain", is_flag=True, help="Print the edits (joins and blanks summarised) and the texts left uncorrected.")
@click.option("--explain-all", is_flag=True, help="Print every edit.")
@click.option("--follow-symlinks", is_flag=True,
              help="Read symbolic links inside input folders (refused by default).")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar or summary.")
def build_command(inputs, outdir, force, no_correct, threshold, model_path, normalize, mets_use, lang_opt, explain,
                  explain_all, quiet, follow_symlinks):
    """Build an edition from OCR page dumps.

    INPUTS: a folder of page files (natural filename order), page files, a .zip, or - for stdin
    (pages separated by form feeds). A folder with a METS file (*mets*.xml), or the METS file itself,
    is read as the issue it describes. For ALTO and PAGE input, corrected ALTO v4 (OUTDIR/alto/) and
    PAGE 2019 (OUTDIR/page/) files are written too.

    Exit codes: 0 ok; 2 usage error (e.g. non-empty output folder); 3 edition written but some
    input files were skipped (listed on stderr); 4 no usable page; 6 correction model missing.
    """
    from .export import prepare_outdir
    from .lang import parse_lang_option

    t0 = time.perf_counter()
    try:
        lang = parse_lang_option(lang_opt)
        for arg in inputs:  # a path that does not exist is a usage error: nothing is created
            if arg != "-" and not os.path.lexists(arg):
                raise UsageError("input not found", path=arg, hint="check the path; use - to read standard input")
        prepare_outdir(outdir, force, create=False)  # refuse early, before any work
        check_output_outside_inputs(outdir, list(inputs))
        options = BuildOptions(correct=not no_correct, threshold=threshold, model=model_path, normalize=normalize,
                               lang=lang, mets_use=mets_use, follow_symlinks=follow_symlinks)
        progress = None
        bar = None
        if not quiet and sys.stderr.isatty():
            from rich.progress import Progress

            bar = Progress(transient=True)
            bar.start()
            task = bar.add_task("reading pages", total=None)

            def progress(done, total, source):
                bar.update(task, completed=done, total=total, description=f"reading {source[-40:]}")

        def loaded(_doc):
            if bar:
                bar.update(task, description="furniture, notes, reflow" + ("" if no_correct else ", correction"))
        try:
            report = build_edition(list(inputs), outdir, options, progress=progress, on_loaded=loaded)
        finally:
            if bar:
                bar.stop()
    except ReissueError as exc:
        click.echo(f"reissue: error: {exc}", err=True)
        sys.exit(exc.exit_code)
    doc = report.doc
    for n in report.notes:
        click.echo(f"reissue: note: {n}", err=True)
    for p in doc.problems:
        click.echo(f"reissue: problem: {p}", err=True)
    if not quiet and not no_correct:
        from .correct.stage import foreign_summary, guard_summary, ocr_guard_summary

        for line in (guard_summary(doc.skipped, len(doc.paragraphs) + len(doc.footnotes)), foreign_summary(doc.foreign_kept),
                     ocr_guard_summary(doc)):
            if line:
                click.echo(f"reissue: note: {line}", err=True)
    if explain or explain_all:
        for line in explain_lines(doc, include_trivial=explain_all):
            click.echo(line)
    if not quiet:
        c = report.counts()
        first_last = c["printed_pages"]
        printed = f"printed {first_last[0]}–{first_last[1]}" if first_last else "printed page numbers not found"
        click.echo(f"{c['pages']} pages ({printed}), {c['paragraphs']} paragraphs, {c['notes']} notes, "
                   f"{c['furniture']} furniture lines, {c['corrections']} corrections "
                   f"in {time.perf_counter() - t0:.2f}s", err=True)
        click.echo(f"title={c['title']!r} volume={c['volume']} number={c['number']} year={c['year']} "
                   f"page_count={c['page_count']}", err=True)
        click.echo("wrote " + ", ".join(report.written), err=True)
    if doc.problems:
        sys.exit(3)
