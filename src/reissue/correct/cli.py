"""`reissue correct` and `reissue train`."""

from __future__ import annotations

import json
import sys

import click

from ..errors import ReissueError, UsageError


def _fail(exc: ReissueError):
    click.echo(f"reissue: error: {exc}", err=True)
    sys.exit(exc.exit_code)


def _notes(*lines: str | None) -> None:
    """Each summary line that says something, as a note on stderr."""
    for line in lines:
        if line:
            click.echo("reissue: note: " + line, err=True)


def _line_col(text: str, pos: int) -> tuple[int, int]:
    line = text.count("\n", 0, pos) + 1
    col = pos - (text.rfind("\n", 0, pos) + 1) + 1
    return line, col


@click.command("correct")
@click.argument("file", required=False, default="-", type=click.Path(allow_dash=True, dir_okay=False))
@click.option("-o", "--output", type=click.Path(dir_okay=False, allow_dash=True),
              help="Write the corrected text (or JSONL with --hipe) here instead of stdout.")
@click.option("--explain", is_flag=True,
              help="List every edit (position, before -> after, rule, confidence); to stdout unless -o is given, then to stderr.")
@click.option("--threshold", type=click.FloatRange(0.0, 1.0),
              help="Minimum confidence of an edit (higher = bolder edits are refused). Default: the model's.")
@click.option("--model", "model_path", type=click.Path(dir_okay=False),
              help="Correction model (.json.gz from `reissue train`). Default: the shipped English model.")
@click.option("--hipe", "hipe_in", type=click.Path(dir_okay=False, allow_dash=True),
              help="Read HIPE-OCRepair JSONL and fill ocr_postcorrection_output for every record.")
@click.option("--lang", "lang_opt", default="auto", show_default=True, metavar="auto|none|CODES",
              help="Language of each block (lines between blank lines) or HIPE record: auto (identified; a "
                   "record's document_metadata.language when it has one), none, or ISO 639-1 codes. Text "
                   "is corrected only by a model of its own language; other text is left as it is.")
def correct_command(file, output, explain, threshold, model_path, hipe_in, lang_opt):
    """Correct OCR errors in FILE (or stdin) and write the corrected text.

    \b
    Examples:
      reissue correct page.txt > page.corrected.txt
      reissue correct --explain page.txt
      reissue correct --hipe dev.jsonl -o dev.corrected.jsonl
    """
    from ..lang import parse_lang_option
    from .engine import apply_corrections, whole_words
    from .hipe import correct_hipe_records, iter_records, record_corrector
    from .stage import Correctors, blocks, correct_plain_text, foreign_summary, guard_summary

    try:
        lang = parse_lang_option(lang_opt)
        correctors = Correctors(model_path, threshold)
        if hipe_in:
            if file not in (None, "-"):
                raise UsageError("give either FILE or --hipe, not both")
            inp = sys.stdin if hipe_in == "-" else _open(hipe_in)
            records = list(iter_records(inp, hipe_in))
            skipped: list = []
            foreign: list = []
            outs = [json.dumps(r, ensure_ascii=False)
                    for r in correct_hipe_records(record_corrector(correctors, lang, skipped), records, foreign)]
            _write(output, "".join(o + "\n" for o in outs))
            click.echo(f"corrected {len(outs) - len(skipped)} records", err=True)
            _notes(guard_summary(skipped, len(outs), "records"), foreign_summary(foreign, "records"))
            if explain:
                for rid, rl, reason in skipped:
                    click.echo(f"{rid}\t{rl or '-'}\tleft as it is: {reason}", err=True)
                for rid, fl, s, e in foreign:
                    click.echo(f"{rid}\t{fl}\ta sentence left as it is: characters {s}-{e}", err=True)
            return
        text = sys.stdin.read() if file == "-" else _open(file).read()
        foreign = []
        corrs, skipped = correct_plain_text(text, correctors, lang, foreign)
        out = apply_corrections(text, corrs)
        _notes(guard_summary(skipped, len(blocks(text)), "blocks of text"), foreign_summary(foreign, "the text"))
        if explain:
            lines = [f"{where}\t{sl or '-'}\tleft as it is: {reason}" for where, sl, reason in skipped]
            lines += [f"{where}\t{fl}\ta sentence left as it is: characters {s}-{e}" for where, fl, s, e in foreign]
            for c in whole_words(text, corrs):
                ln, col = _line_col(text, c.start)
                lines.append(f"{ln}:{col}\t{c.before!r} -> {c.after!r}\t{c.rule}\t{c.confidence:.2f}")
            listing = "".join(s + "\n" for s in lines)
            _write(output, out)  # the corrected text (stdout without -o), the edits on stderr
            click.echo(listing, err=True, nl=False)
            return
        _write(output, out)
    except ReissueError as exc:
        _fail(exc)


def _open(path):
    try:
        return open(path, encoding="utf-8", errors="replace")
    except OSError as exc:
        raise UsageError(f"cannot read input: {exc.strerror}", path=path) from exc


def _write(output, text):
    if not output or output == "-":
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    try:
        with open(output, "w", encoding="utf-8") as fh:
            fh.write(text)
    except OSError as exc:
        raise UsageError(f"cannot write output: {exc.strerror}", path=output) from exc


@click.command("train")
@click.option("--hipe", "hipe_files", multiple=True, type=click.Path(dir_okay=False),
              help="HIPE-OCRepair JSONL with OCR and ground truth (repeatable).")
@click.option("--ocr-dir", type=click.Path(file_okay=False), help="Folder of OCR text files.")
@click.option("--gt-dir", type=click.Path(file_okay=False), help="Folder of corrected text files with the same names.")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False),
              help="Model file to write (.json.gz).")
@click.option("--base", default=None,
              help="Add the new counts to this model's ('default' = the shipped model) instead of starting empty.")
@click.option("--params", "params_json", default=None,
              help="JSON object of decoding parameters to store in the model (e.g. '{\"threshold\": 0.8}').")
@click.option("--vet/--no-vet", default=True, show_default=True,
              help="Also train the edit vetter (needs scikit-learn: pip install 'reissue[train]'). With too "
                   "few pages for it, the model keeps the base model's vetter, or none.")
def train_command(hipe_files, ocr_dir, gt_dir, output, base, params_json, vet):
    """Fit the correction model (confusions, word counts, edit vetter) on aligned OCR / ground-truth pairs.

    \b
    Examples:
      reissue train --hipe train.jsonl -o my-model.json.gz
      reissue train --ocr-dir ocr/ --gt-dir corrected/ --base default -o my-model.json.gz
      reissue correct --model my-model.json.gz page.txt
    """
    from .model import save_model_dict
    from .train import fit, read_hipe, read_text_dirs

    try:
        if not hipe_files and not (ocr_dir and gt_dir):
            raise UsageError("nothing to train on", hint="give --hipe FILE or both --ocr-dir and --gt-dir")
        if (ocr_dir is None) != (gt_dir is None):
            raise UsageError("--ocr-dir and --gt-dir go together")

        def pairs():
            for h in hipe_files:
                yield from read_hipe(h)
            if ocr_dir:
                yield from read_text_dirs(ocr_dir, gt_dir)

        sources = [str(h) for h in hipe_files] + ([f"{ocr_dir} + {gt_dir}"] if ocr_dir else [])
        pairs = list(pairs())
        data = fit(pairs, sources=sources)
        base_data = None
        if base:
            from .model import load_model
            from .train import merge_models

            base_data = load_model(None if base == "default" else base).data
            data = merge_models(base_data, data)

        def fold_fit(p):  # the model each cross-validation fold of the vetter is corrected with
            return fit(p) if base_data is None else merge_models(base_data, fit(p))
        if params_json:
            try:
                params = json.loads(params_json)
                assert isinstance(params, dict)
            except (ValueError, AssertionError) as exc:
                raise UsageError("--params must be a JSON object") from exc
            data["params"] = params
        if vet:
            from .vet_train import vet_model

            try:
                data = vet_model(data, pairs, fit=fold_fit)
            except UsageError as exc:
                kept = "the base model's" if data.get("edit_filter") else "no"
                click.echo(f"note: {exc}; the model has {kept} edit vetter", err=True)
        save_model_dict(data, output)
        vetter = data.get("edit_filter")
        click.echo(f"model of {data['documents']} documents: {len(data['char_rules'])} character "
                   f"confusions, {len(data['word_confusions'])} word confusions, "
                   f"{'an edit vetter of %d proposals' % vetter['rows'] if vetter else 'no edit vetter'} -> {output}",
                   err=True)
    except ReissueError as exc:
        _fail(exc)
