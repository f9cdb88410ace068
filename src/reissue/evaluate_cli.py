"""`reissue evaluate`: the command and its table (the metrics live in :mod:`reissue.evaluate`)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from .errors import InputError, ReissueError, UsageError
from .evaluate import record_meta, load_jsonl, merge_records, score_folders, score_records
from .evaluate_metrics import DRAWS

_ROWS = (
    # (label, key, kind)
    ("documents", "documents", "int"),
    ("CER micro", "cer_micro", "rate"),
    ("WER micro", "wer_micro", "rate"),
    ("cMER micro", "cmer_micro", "rate"),
    ("wMER micro", "wmer_micro", "rate"),
    ("cMER macro", "cmer_macro", "rate"),
    ("wMER macro", "wmer_macro", "rate"),
    ("OCR cMER micro (no correction)", "ocr_cmer_micro", "rate"),
    ("OCR wMER micro (no correction)", "ocr_wmer_micro", "rate"),
    ("cMER change against the OCR: 95% interval", "cmer_change_interval", "interval"),
    ("preference score (cMER)", "pref_score_cmer_macro", "signed"),
    ("preference score (wMER)", "pref_score_wmer_macro", "signed"),
    ("docs improved", "improved", "int"),
    ("docs damaged", "damaged", "int"),
    ("docs unchanged", "unchanged", "int"),
    ("outputs missing (scored as OCR)", "replaced_outputs", "int"),
)


def _fmt(value, kind: str) -> str:
    if value is None:
        return "-"
    if kind == "int":
        return f"{value:,}"
    if kind == "signed":
        return f"{value:+.4f}"
    if kind == "interval":
        return f"{value[0]:+.1%} .. {value[1]:+.1%}"
    return f"{value:.4f}"


def render_table(result: dict, title: str = "OCR correction scores") -> "object":
    """A rich Table: one row per metric, one column per dataset (+ their average)."""
    from rich.table import Table

    columns = list(result["datasets"].items())
    if len(columns) > 1:
        columns.append(("average over datasets", result["averaged"]))
    table = Table(title=title, title_justify="left")
    table.add_column("metric (lower is better, except preference)")
    for name, _ in columns:
        table.add_column(name, justify="right")
    for label, key, kind in _ROWS:
        if not any(key in scores for _n, scores in columns):
            continue
        if key == "replaced_outputs" and not any(s.get(key) for _n, s in columns):
            continue
        table.add_row(label, *[_fmt(scores.get(key), kind) for _n, scores in columns])
    return table


@click.command("evaluate")
@click.argument("jsonl", required=False, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--reference", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="HIPE JSONL with the ground truth; JSONL then only needs document ids and outputs.")
@click.option("--gt-dir", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="Folder of ground-truth text files (folder mode).")
@click.option("--hyp-dir", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="Folder of corrected text files, matched to --gt-dir files by name.")
@click.option("--ocr-dir", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="Folder of uncorrected OCR text files (enables the preference score).")
@click.option("--missing", type=click.Choice(["ocr", "empty"]), default="ocr", show_default=True,
              help="Score a missing/empty/'None' output as the OCR text (competition) or as empty.")
@click.option("--no-normalize", is_flag=True, help="Score raw text (case, punctuation count).")
@click.option("--documents", "per_document", is_flag=True, help="With --json: include per-document scores.")
@click.option("--interval", is_flag=True,
              help="Also a 95% bootstrap interval of the cMER change against the OCR, documents drawn with "
                   "replacement (needs the OCR: HIPE records, or --ocr-dir).")
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write the scores as JSON to this file.")
def evaluate_command(jsonl, reference, gt_dir, hyp_dir, ocr_dir, missing, no_normalize, per_document, interval,
                     as_json, output):
    """Score OCR/corrected text against ground truth (CER, WER, cMER, wMER, preference).

    \b
    reissue evaluate corrected.jsonl                  HIPE JSONL records
    reissue evaluate out.jsonl --reference dev.jsonl  outputs matched by document_id
    reissue evaluate --gt-dir GT --hyp-dir OUT [--ocr-dir OCR]

    A record without ocr_postcorrection_output (or with an empty or "None" one) is scored
    as its OCR text, so a plain HIPE file gives the no-correction baseline.

    Texts are normalised like the official HIPE-OCRepair scorer (lower case, punctuation and
    line breaks ignored); scores are per dataset and averaged over datasets.
    """
    try:
        result = _evaluate(jsonl, reference, gt_dir, hyp_dir, ocr_dir, missing, not no_normalize, per_document,
                           DRAWS if interval else 0)
    except ReissueError as exc:
        click.echo(f"reissue: error: {exc}", err=True)
        sys.exit(exc.exit_code)
    if output is not None:
        try:
            output.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        except OSError as exc:
            click.echo(f"reissue: error: cannot write {output}: {exc.strerror}", err=True)
            sys.exit(2)
    if as_json:
        click.echo(json.dumps(result, indent=2, ensure_ascii=False))
        return
    from rich.console import Console

    console = Console()
    title = f"Scores for {jsonl}" if jsonl else f"Scores for {hyp_dir} against {gt_dir}"
    console.print(render_table(result, title=title))
    replaced = sum(s.get("replaced_outputs", 0) for s in result["datasets"].values())
    total = sum(s["documents"] for s in result["datasets"].values())
    how = "the OCR text" if missing == "ocr" else "empty text"
    if replaced and replaced == total and missing == "ocr":
        console.print("No correction output in the input: these are the scores of the OCR itself "
                      "(the no-correction baseline).")
    elif replaced:
        console.print(f"{replaced} missing, empty or 'None' output(s) were scored as {how}.")


def _evaluate(jsonl, reference, gt_dir, hyp_dir, ocr_dir, missing, normalized, per_document, draws=0) -> dict:
    folder_mode = any(x is not None for x in (gt_dir, hyp_dir, ocr_dir))
    if folder_mode:
        if jsonl is not None or reference is not None:
            raise UsageError("give either a JSONL file or --gt-dir/--hyp-dir, not both")
        if gt_dir is None or hyp_dir is None:
            raise UsageError("folder mode needs both --gt-dir and --hyp-dir")
        return score_folders(gt_dir, hyp_dir, ocr_dir, normalized=normalized, missing=missing,
                             per_document=per_document, draws=draws)
    if jsonl is None:
        raise UsageError("nothing to evaluate", hint="give a HIPE JSONL file or --gt-dir and --hyp-dir")
    if reference is not None:
        hyp = load_jsonl(jsonl, validate=False)
        ref = load_jsonl(reference)
        for i, rec in enumerate(hyp):
            if record_meta(rec).get("document_id") is None:
                raise InputError("record has no document_metadata.document_id", path=str(jsonl),
                                 line=hyp.lines[i])
        records = merge_records(ref, hyp)
        where = reference
    else:
        records = load_jsonl(jsonl)
        where = jsonl
    try:
        return score_records(records, normalized=normalized, missing=missing, per_document=per_document,
                             draws=draws)
    except InputError as exc:
        if exc.path is None:
            exc.path = str(where)
            exc.args = (str(exc),)
        raise
