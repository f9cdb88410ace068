"""Scoring OCR (post-)correction against ground truth: CER, WER and the HIPE-OCRepair metrics.

A self-contained re-implementation (on :mod:`rapidfuzz`) of the official HIPE-OCRepair-2026
scorer (``hipe-ocrepair-scorer`` 0.9.9, ``Evaluation(...).score_over_datasets(normalize=True)``):

* texts are normalised like the scorer's ``norm``: lower-cased; ``ß``->``ss``, ``ꝛ``->``r``,
  ``œ``->``oe``, ``æ``->``ae``, ``aͤ/oͤ/uͤ``->``ä/ö/ü``; ``—\\n`` and ``¬\\n`` deleted (the ground
  truth's line-break hyphens, so the halves join); every non-word character (``[^\\w]``, and
  ``_``) becomes a space; whitespace is collapsed and stripped;
* the character and word alignments are rapidfuzz's Levenshtein ``opcodes``, exactly what
  ``jiwer.process_characters`` / ``jiwer.process_words`` use, so hits (H), substitutions (S),
  deletions (D) and insertions (I) are the same numbers;
* MER = (S+D+I)/(H+S+D+I) at character level (cMER) and word level (wMER), CER/WER =
  (S+D+I)/(H+S+D); *micro* = from the counts summed over a dataset's documents, *macro* = mean
  of the documents' rates;
* preference score = share of documents whose MER the correction lowered minus share whose
  MER it raised, compared with the uncorrected OCR (``pref_score_cmer_macro``); ``pcis`` is the
  scorer's normalised-improvement score;
* documents flagged ``ground_truth.exclude_from_icdar_evaluation = true`` are left out;
* scores are computed per dataset (``document_metadata.primary_dataset_name``) and the
  ``averaged`` scores are the plain mean over datasets, like ``averaged_scores``.

One deliberate convention (the competition's, see the data README): a missing, empty,
whitespace-only or ``"None"`` correction output is replaced by the document's OCR text, i.e.
scored as "no correction" (``missing="ocr"``). The scorer package's own ``align_records``
scores such documents with an empty output instead; ``missing="empty"`` reproduces that.

The scorer's bootstrap confidence intervals are not computed (they need numpy and 10,000
resamples per metric); everything else is numerically identical (tested against the official
package on the dev data).
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Iterable, Sequence

from .errors import InputError, ReissueError
from .evaluate_metrics import (Counts, DocScore, aggregate, cer, char_counts, cmer, normalize,  # noqa: F401
                               score_document, score_documents, wer, wmer, word_counts)

__all__ = [
    "Counts",
    "DocScore",
    "normalize",
    "char_counts",
    "word_counts",
    "cer",
    "wer",
    "cmer",
    "wmer",
    "score_document",
    "aggregate",
    "score_records",
    "score_pairs",
    "score_folders",
    "load_jsonl",
    "merge_records",
]


# --------------------------------------------------------------------------------------------
# HIPE records


def _text_of(record: dict, key: str, where: str, *, required: bool = True):
    part = record.get(key)
    if isinstance(part, dict) and isinstance(part.get("transcription_unit"), str):
        return part["transcription_unit"]
    if part is None and not required:
        return None
    if not required:  # present but malformed output: scored as missing
        return None
    raise InputError(f"{where} has no string '{key}.transcription_unit'",
                     hint="expected a HIPE-OCRepair record")


def record_meta(record: dict) -> dict:
    meta = record.get("document_metadata")
    return meta if isinstance(meta, dict) else {}


def _where(record: dict, index: int) -> str:
    return f"record {index + 1}"


def score_records(records: Sequence[dict], *, normalized: bool = True, missing: str = "ocr",
                  per_document: bool = False, draws: int = 0) -> dict:
    """Score HIPE-OCRepair records (each with ``ground_truth``, ``ocr_hypothesis`` and, when
    corrected, ``ocr_postcorrection_output``).

    Records without an output are scored as their OCR (the no-correction baseline). Returns
    ``{"datasets": {name: scores}, "averaged": scores[, "documents": [...]]}``; ``scores`` holds
    ``cmer_micro``, ``wmer_micro``, ``cmer_macro``, ``wmer_macro``, ``cer_*``, ``wer_*``,
    ``pref_score_cmer_macro``, ``pref_score_wmer_macro``, ``pcis_*``, ``improved``,
    ``damaged``, ``unchanged``, ``ocr_*`` (the baseline) and counts; with ``draws``, also
    ``cmer_change_interval`` (a bootstrap interval of the cMER change: ``change_interval``).
    """
    docs = []
    for i, rec in enumerate(records):
        line = getattr(records, "lines", None)
        where = _where(rec, i) if line is None else f"line {line[i]}"
        if not isinstance(rec, dict):
            raise InputError(f"{where} is not a JSON object")
        gt_part = rec.get("ground_truth")
        if isinstance(gt_part, dict) and gt_part.get("exclude_from_icdar_evaluation") is True:
            continue
        gt = _text_of(rec, "ground_truth", where)
        ocr = _text_of(rec, "ocr_hypothesis", where)
        output = _text_of(rec, "ocr_postcorrection_output", where, required=False)
        meta = record_meta(rec)
        docs.append(score_document(gt, output, ocr, doc_id=meta.get("document_id"),
                                   dataset=str(meta.get("primary_dataset_name") or "default"),
                                   normalized=normalized, missing=missing))
    if not docs:
        raise InputError("no documents to evaluate", hint="the records are empty or all excluded")
    return score_documents(docs, per_document=per_document, draws=draws)


def score_pairs(pairs: Iterable[tuple[str, str, str | None]], *, dataset: str = "pairs",
                normalized: bool = True, missing: str = "ocr", per_document: bool = False) -> dict:
    """Score ``(ocr, gt, output)`` triples as one dataset; ``output=None`` scores the OCR."""
    docs = [score_document(gt, hyp, ocr, doc_id=str(i), dataset=dataset, normalized=normalized,
                           missing=missing)
            for i, (ocr, gt, hyp) in enumerate(pairs)]
    if not docs:
        raise InputError("no documents to evaluate")
    return score_documents(docs, per_document=per_document)


class _Records(list):
    """A list of records that remembers the file and line number of each."""

    path: str = ""
    lines: list[int]


def load_jsonl(path, *, validate: bool = True) -> list[dict]:
    """Read a (optionally gzipped) JSONL file of HIPE records.

    Raises :class:`~reissue.errors.InputError` naming the file and line of the first bad line
    (not JSON, not an object, or - with *validate* - no ``ground_truth`` / ``ocr_hypothesis``
    ``transcription_unit`` string).
    """
    path = Path(path)
    records = _Records()
    records.path = str(path)
    records.lines = []
    opener = gzip.open if path.suffix == ".gz" else open
    try:
        with opener(path, "rt", encoding="utf-8") as fh:
            for n, line in enumerate(fh, start=1):
                if not line.strip():
                    continue
                try:
                    rec = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise InputError(f"not valid JSON: {exc.msg} (column {exc.colno})", path=str(path),
                                     line=n, hint="expected one HIPE-OCRepair JSON record per line") from None
                if not isinstance(rec, dict):
                    raise InputError("not a JSON object", path=str(path), line=n,
                                     hint="expected one HIPE-OCRepair JSON record per line")
                if validate:
                    for key in ("ground_truth", "ocr_hypothesis"):
                        part = rec.get(key)
                        if not (isinstance(part, dict) and isinstance(part.get("transcription_unit"), str)):
                            raise InputError(f"record has no string '{key}.transcription_unit'",
                                             path=str(path), line=n, hint="expected a HIPE-OCRepair record")
                records.append(rec)
                records.lines.append(n)
    except FileNotFoundError:
        raise InputError("file not found", path=str(path)) from None
    except IsADirectoryError:
        raise InputError("is a folder, expected a JSONL file", path=str(path)) from None
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text ({exc.reason})", path=str(path)) from None
    except (OSError, EOFError) as exc:
        if isinstance(exc, ReissueError):
            raise
        raise InputError(f"cannot be read: {exc}", path=str(path)) from None
    return records


def merge_records(reference: Sequence[dict], hypothesis: Sequence[dict]) -> list[dict]:
    """Take ground truth, OCR and metadata from *reference* and the correction output from the
    *hypothesis* record with the same ``document_id`` (a missing one is scored as missing)."""
    by_id = {}
    for i, rec in enumerate(hypothesis):
        doc_id = record_meta(rec).get("document_id")
        if doc_id is None:
            raise InputError(f"hypothesis record {i + 1} has no document_metadata.document_id")
        if doc_id in by_id:
            raise InputError(f"duplicate document_id {doc_id!r} in the hypothesis records")
        by_id[doc_id] = rec
    merged = []
    for i, ref in enumerate(reference):
        doc_id = record_meta(ref).get("document_id")
        if doc_id is None:
            raise InputError(f"reference record {i + 1} has no document_metadata.document_id")
        rec = {k: ref[k] for k in ("document_metadata", "ground_truth", "ocr_hypothesis") if k in ref}
        hyp = by_id.get(doc_id)
        if hyp is not None and "ocr_postcorrection_output" in hyp:
            rec["ocr_postcorrection_output"] = hyp["ocr_postcorrection_output"]
        merged.append(rec)
    return merged


# --------------------------------------------------------------------------------------------
# folders of text files


def _text_files(folder: Path) -> dict[str, Path]:
    files = {}
    for p in sorted(folder.rglob("*")):
        rel = p.relative_to(folder)
        if p.is_file() and not any(part.startswith(".") for part in rel.parts):
            files[rel.as_posix()] = p
    return files


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text ({exc.reason} at byte {exc.start})", path=str(path)) from None
    except OSError as exc:
        raise InputError(f"cannot be read: {exc.strerror or exc}", path=str(path)) from None


def score_folders(gt_dir, hyp_dir, ocr_dir=None, *, normalized: bool = True, missing: str = "ocr",
                  per_document: bool = False, dataset: str | None = None, draws: int = 0) -> dict:
    """Score the text files of *hyp_dir* against the same-named files of *gt_dir*.

    Every file of *gt_dir* (recursively, hidden ones skipped) is a document; a missing or
    empty hypothesis file counts as a missing output (replaced by the *ocr_dir* file when
    given, else scored as empty). With *ocr_dir* the preference score and OCR baseline are
    computed too. All documents form one dataset (named after *gt_dir* unless *dataset*).
    """
    dirs = {"ground-truth": gt_dir, "hypothesis": hyp_dir}
    if ocr_dir is not None:
        dirs["OCR"] = ocr_dir
    for label, d in dirs.items():
        if not Path(d).is_dir():
            raise InputError(f"{label} folder not found", path=str(d))
    gt_files = _text_files(Path(gt_dir))
    if not gt_files:
        raise InputError("no files in the ground-truth folder", path=str(gt_dir))
    hyp_dir, ocr_dir = Path(hyp_dir), (Path(ocr_dir) if ocr_dir is not None else None)
    name = dataset or Path(gt_dir).resolve().name or "folder"
    docs = []
    for rel, gt_path in gt_files.items():
        gt = _read_text(gt_path)
        hyp_path = hyp_dir / rel
        hyp = _read_text(hyp_path) if hyp_path.is_file() else None
        ocr = None
        if ocr_dir is not None:
            ocr_path = ocr_dir / rel
            if not ocr_path.is_file():
                raise InputError(f"no OCR file for ground-truth file {rel}", path=str(ocr_path),
                                 hint="every ground-truth file needs a same-named OCR file")
            ocr = _read_text(ocr_path)
        docs.append(score_document(gt, hyp, ocr, doc_id=rel, dataset=name, normalized=normalized,
                                   missing=missing))
    return score_documents(docs, per_document=per_document, draws=draws)
